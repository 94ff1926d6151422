/**
 * A found secret as the screen sees it: masked, fingerprinted, matched, and told what to do.
 * Urgency follows what the secret is to us: one of our live credentials is critical, one we have
 * already revoked is low, an expired JWT cannot be replayed (unless its server ignores `exp`).
 */
import type { LeakFinding, LeakMatch } from '../../../shared/leaks';
import { displayFingerprint } from '../credentials/fingerprint';
import type { DetectedSecret } from '../secrets/detect-secret';
import { matchesOf, type findCredentials, type MatchKeys } from './match-inventory';

/** The inspector's reading of a JWT, without a key or policy. */
export type InspectJwt = (token: string) => Promise<LeakFinding['jwt']>;

export interface FoundSecret {
  id: string;
  detected: DetectedSecret;
  places: LeakFinding['places'];
  occurrences: number;
}

const LIVE = new Set<LeakMatch['status']>(['active', 'rotating']);

/**
 * The token itself has expired (its exp, or a DPoP proof's iat). An SD-JWT's stale Key Binding JWT
 * (`kb.iat`, `kb.exp`) is not: the credential and its disclosures can be presented again with a new one.
 */
const hasExpired = (jwt: LeakFinding['jwt']) => jwt?.findings.some((f) => f.code === 'EXPIRED' && f.where?.startsWith('payload.')) ?? false;

function describeMatches(matches: LeakMatch[]): string {
  const named = matches.map((m) => `${m.name} (${m.environment}${m.owner ? `, owned by ${m.owner}` : ''}, ${m.copies} known ${m.copies === 1 ? 'copy' : 'copies'})`);
  return named.join('; ');
}

function severityOf(detected: DetectedSecret, matches: LeakMatch[], jwt: LeakFinding['jwt']): LeakFinding['severity'] {
  if (matches.some((m) => LIVE.has(m.status))) return 'critical';
  if (matches.length > 0) return 'low';
  // Expired, it is no longer presented where exp is checked; disclosed personal data stays exposed all the same.
  if (hasExpired(jwt)) return detected.outlivesExpiry ? 'medium' : 'low';
  return detected.severity;
}

function adviceOf(detected: DetectedSecret, matches: LeakMatch[], jwt: LeakFinding['jwt']): string {
  const live = matches.filter((m) => LIVE.has(m.status));
  if (live.length > 0) return `This is ${describeMatches(live)}. Select it and start its rotation playbook, which rotates every copy and checks the old secret is refused. ${detected.advice}`;
  if (matches.length > 0) return `This is ${describeMatches(matches)}, already ${matches.map((m) => m.status).join(' / ')} in the inventory: confirm at its issuer that the old secret is refused.`;
  if (hasExpired(jwt)) return `It has expired, so it can no longer be replayed where its server checks exp. ${detected.advice}`;
  return detected.advice;
}

export async function describeFinding(found: FoundSecret, keys: MatchKeys, credentials: ReturnType<typeof findCredentials>, inspect: InspectJwt | null): Promise<LeakFinding> {
  const { detected } = found;
  const matches = matchesOf(credentials, keys);
  const jwt = inspect ? await inspect(detected.secret).catch(() => null) : null;
  return {
    id: found.id,
    kind: detected.kind,
    provider: detected.provider,
    format: detected.format,
    severity: severityOf(detected, matches, jwt),
    masked: detected.masked,
    fingerprint: displayFingerprint(keys.fingerprint),
    assignedTo: detected.assignedTo,
    places: found.places,
    occurrences: found.occurrences,
    matches,
    advice: adviceOf(detected, matches, jwt),
    jwt,
  };
}
