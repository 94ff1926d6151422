/**
 * Lifecycle hygiene: what is wrong with a credential, each finding with a stable code, a severity
 * and a sentence that says what to do. Pure: the caller supplies the clock and which environments
 * share this credential's fingerprint.
 */
import type { CredentialFields, HealthCode, HealthFinding, Severity } from '../../../shared/credentials';

// The thresholds are exported because query.ts states the same rules in SQL for filtering; a test
// checks the two agree. Some facts are kept per row as flags (migration 005, store.ts): a change to
// isBroadScope or CLIENT_SIDE must ship with a migration that recomputes them, as 005 computed them.
export const DAY_MS = 86_400_000;
export const DEFAULT_ROTATION_DAYS = 90;
export const UNUSED_DAYS = 90;
/** A credential younger than this is not yet "never rotated": it was just issued. */
export const NEVER_ROTATED_GRACE_DAYS = 30;

/** Statuses of credentials that no longer work: nothing about them needs doing, so nothing is found. */
export const RETIRED: ReadonlySet<string> = new Set(['revoked', 'expired']);

/** Environment labels compare case-insensitively, as SQLite's lower() and NOCASE do (ASCII only). */
export function sameEnvironment(a: string, b: string): boolean {
  const fold = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return fold(a) === fold(b);
}

/** Kinds whose secrets should carry an expiry: bearer tokens and sessions. */
export const SHOULD_EXPIRE: ReadonlySet<string> = new Set(['service_token', 'refresh_token']);
/** Places a secret-bearing credential must not be copied to: code there runs on the user's device. */
export const CLIENT_SIDE: ReadonlySet<string> = new Set(['browser', 'mobile']);

/** `*`, `admin`, `root`, `all`, `full_access`, `*:*`, `write:*`, `repo:admin`, `write_all`, …  */
const BROAD_SCOPE = /^(?:\*|[^:]*:\*|\*:[^:]*|admin|root|all|full[_-]?access|superuser|[\w.-]+[:._-]admin|admin[:._-][\w.-]+|write[:._-]?all|[\w.-]+[:._-]write[_-]?all)$/i;

/** Each finding's severity: high when the secret is exposed or about to fail, low for hygiene. */
export const SEVERITY: Record<HealthCode, Severity> = {
  EXPIRED: 'high',
  EXPIRING_7D: 'high',
  EXPIRING_30D: 'medium',
  NO_EXPIRY: 'medium',
  STALE: 'medium',
  NEVER_ROTATED: 'low',
  NO_OWNER: 'medium',
  OVER_BROAD_SCOPES: 'medium',
  SHARED_ACROSS_ENVIRONMENTS: 'high',
  CLIENT_SIDE_COPY: 'high',
  UNUSED_90D: 'low',
  LOCATIONS_UNCONFIRMED: 'low',
};

export interface HealthContext {
  now: Date;
  /** Environments of other live credentials holding the same secret (matched by keyed fingerprint). */
  sharedWithEnvironments: readonly string[];
}

function daysAgoText(days: number): string {
  return days === 0 ? 'today' : days === 1 ? 'yesterday' : `${days} days ago`;
}

export function isBroadScope(scope: string): boolean {
  return BROAD_SCOPE.test(scope.trim());
}

export function assessHealth(credential: CredentialFields, context: HealthContext): HealthFinding[] {
  if (RETIRED.has(credential.status)) return [];
  const now = context.now.getTime();
  const findings: HealthFinding[] = [];
  const add = (code: HealthCode, message: string) => findings.push({ code, severity: SEVERITY[code], message });
  const daysSince = (iso: string) => Math.floor((now - Date.parse(iso)) / DAY_MS);

  if (credential.expiresAt) {
    const left = Date.parse(credential.expiresAt) - now;
    if (left <= 0) add('EXPIRED', `Expired ${daysAgoText(Math.floor(-left / DAY_MS))}. Revoke it and remove every copy, then set its status to expired.`);
    else if (left <= 7 * DAY_MS) add('EXPIRING_7D', `Expires in ${Math.ceil(left / DAY_MS)} days. Rotate it now and update every location before it stops working.`);
    else if (left <= 30 * DAY_MS) add('EXPIRING_30D', `Expires in ${Math.ceil(left / DAY_MS)} days. Plan the rotation and check its locations.`);
  } else if (SHOULD_EXPIRE.has(credential.kind)) {
    add('NO_EXPIRY', 'A bearer token with no expiry works forever if it leaks. Reissue it with an expiry.');
  }

  const policy = credential.rotationPolicyDays ?? DEFAULT_ROTATION_DAYS;
  const age = daysSince(credential.lastRotatedAt ?? credential.createdAt);
  if (age > policy) {
    add('STALE', `Last ${credential.lastRotatedAt ? 'rotated' : 'issued'} ${age} days ago, past its ${policy}-day rotation policy. Rotate it.`);
  }
  if (!credential.lastRotatedAt && daysSince(credential.createdAt) > NEVER_ROTATED_GRACE_DAYS) {
    add('NEVER_ROTATED', 'Never rotated since it was issued. Rotate it once to prove the procedure works before an incident needs it.');
  }

  if (!credential.owner) add('NO_OWNER', 'No owner: nobody will rotate it or answer for it in an incident. Assign a person or team.');

  const broad = credential.scopes.filter(isBroadScope);
  if (broad.length > 0) add('OVER_BROAD_SCOPES', `Broad scopes (${broad.join(', ')}): a leak gives away everything. Narrow it to what its users need.`);

  const others = [...new Set(context.sharedWithEnvironments)].filter((env) => !sameEnvironment(env, credential.environment));
  if (others.length > 0) {
    add('SHARED_ACROSS_ENVIRONMENTS', `The same secret is also recorded in ${others.join(', ')}. A leak in one environment opens the others: issue a separate secret per environment.`);
  }

  const clientSide = credential.locations.filter((location) => CLIENT_SIDE.has(location.kind));
  if (clientSide.length > 0) {
    add('CLIENT_SIDE_COPY', `A copy lives in ${clientSide.map((l) => l.label).join(', ')}, where anyone with the device can read it. Move it server-side and rotate it.`);
  }

  if (credential.lastUsedAt && daysSince(credential.lastUsedAt) > UNUSED_DAYS) {
    add('UNUSED_90D', `Not used for ${daysSince(credential.lastUsedAt)} days. If nothing needs it, revoke it.`);
  }

  const unconfirmed = credential.locations.filter((location) => !location.confirmedAt);
  if (unconfirmed.length > 0) {
    add('LOCATIONS_UNCONFIRMED', `${unconfirmed.length} location${unconfirmed.length === 1 ? ' has' : 's have'} never been confirmed. Check each copy is where the inventory says.`);
  }
  return findings;
}
