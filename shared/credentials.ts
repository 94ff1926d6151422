/**
 * The credential inventory's vocabulary, shared by the contract, the core and the screens: kinds,
 * fields with their limits, and the health findings with stable codes.
 */
import { z } from 'zod';

export const CREDENTIAL_KINDS = ['api_key', 'oauth_client', 'service_token', 'signing_key', 'webhook_secret', 'refresh_token'] as const;
export const PROVIDERS = ['stripe', 'github', 'slack', 'aws', 'own_auth_server', 'other'] as const;
export const CREDENTIAL_STATUSES = ['active', 'rotating', 'revoked', 'expired'] as const;
export const LOCATION_KINDS = ['ci_variable', 'kubernetes_secret', 'env_file', 'cloud_secret_manager', 'partner', 'developer_machine', 'browser', 'mobile', 'other'] as const;
export const STANDARD_ENVIRONMENTS = ['production', 'staging', 'development', 'test'] as const;

export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

// Bounded so every stored date is a four-digit UTC year: dates are compared as ISO text in SQL, and
// toISOString writes "+010000-…" past 9999, which would sort before every real date.
const EARLIEST = Date.UTC(1970, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);
const isoDate = z.iso
  .datetime({ offset: true, message: 'Use a date and time such as 2026-11-23T09:00:00Z' })
  .refine((text) => {
    const at = Date.parse(text);
    return Number.isNaN(at) || (at >= EARLIEST && at < LATEST);
  }, 'Use a date between 1970 and 9999');
const label = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(max, `${what} is at most ${max} characters`)
    .refine((text) => ![...text].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), `${what} cannot contain control characters`);

export const environment = label('Environment', 40);

export const credentialLocation = z.strictObject({
  kind: z.enum(LOCATION_KINDS),
  label: label('Location', 200),
  environment,
  /** When someone last confirmed the copy is there (or gone); null when never. */
  confirmedAt: isoDate.nullable(),
});

export const credentialFields = z.strictObject({
  name: label('Name', 120),
  kind: z.enum(CREDENTIAL_KINDS),
  provider: z.enum(PROVIDERS),
  owner: label('Owner', 120).nullable(),
  environment,
  tenant: label('Tenant', 120).nullable(),
  // RFC 6749 scope tokens contain no spaces; the form and the CSV both separate scopes by spaces.
  scopes: z.array(label('Scope', 200).refine((scope) => !/\s/.test(scope), 'A scope cannot contain spaces')).max(200, 'At most 200 scopes'),
  createdAt: isoDate,
  expiresAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
  lastRotatedAt: isoDate.nullable(),
  rotationPolicyDays: z.number().int().min(1).max(3650).nullable(),
  status: z.enum(CREDENTIAL_STATUSES),
  authServerId: label('Auth server', 120).nullable(),
  clientId: label('Client id', 512).nullable(),
  notes: z.string().max(10_000, 'Notes are at most 10,000 characters'),
  tags: z.array(label('Tag', 60)).max(50, 'At most 50 tags'),
  locations: z.array(credentialLocation).max(100, 'At most 100 locations'),
});

export interface CredentialProblem {
  path: string;
  /** A sentence naming the field as the form labels it: "Expires cannot be before…". */
  message: string;
  /** The same without the field, for callers that name it their own way (a CSV column). */
  reason: string;
}

const DATE_LABELS = { createdAt: 'Created', expiresAt: 'Expires', lastRotatedAt: 'Last rotated', lastUsedAt: 'Last used' } as const;
/** How far ahead of this machine's clock a past event may be dated (another machine's clock, a time zone). */
const CLOCK_SKEW_MS = 86_400_000;

/**
 * What the schema cannot say: dates that come before the credential existed, past events dated in
 * the future (a mistyped year would hide a stale or unused credential), and fields a kind needs.
 */
export function credentialProblems(fields: z.output<typeof credentialFields>, now: Date): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  const problem = (path: string, label: string, reason: string) => problems.push({ path, message: `${label} ${reason}`, reason });
  const created = Date.parse(fields.createdAt);
  for (const key of ['expiresAt', 'lastRotatedAt', 'lastUsedAt'] as const) {
    const value = fields[key];
    if (value && Date.parse(value) < created) problem(key, DATE_LABELS[key], 'cannot be before the credential was created');
  }
  const latest = now.getTime() + CLOCK_SKEW_MS;
  for (const key of ['createdAt', 'lastRotatedAt', 'lastUsedAt'] as const) {
    const value = fields[key];
    if (value && Date.parse(value) > latest) problem(key, DATE_LABELS[key], 'is in the future: check the year');
  }
  fields.locations.forEach((location, i) => {
    if (location.confirmedAt && Date.parse(location.confirmedAt) > latest) {
      problem(`locations.${i}.confirmedAt`, 'Confirmed', 'is in the future: check the year');
    }
  });
  if (fields.kind === 'oauth_client' && !fields.clientId) problem('clientId', 'Client id', 'is needed for an OAuth client');
  return problems;
}

export const HEALTH_CODES = [
  'EXPIRED',
  'EXPIRING_7D',
  'EXPIRING_30D',
  'STALE',
  'NEVER_ROTATED',
  'NO_OWNER',
  'NO_EXPIRY',
  'OVER_BROAD_SCOPES',
  'SHARED_ACROSS_ENVIRONMENTS',
  'CLIENT_SIDE_COPY',
  'UNUSED_90D',
  'LOCATIONS_UNCONFIRMED',
] as const;
export type HealthCode = (typeof HEALTH_CODES)[number];
export type Severity = 'high' | 'medium' | 'low';

export const healthFinding = z.strictObject({
  code: z.enum(HEALTH_CODES),
  severity: z.enum(['high', 'medium', 'low']),
  /** What is wrong and what to do, in one or two sentences. */
  message: z.string(),
});

/** What leaves main about a credential: metadata, fingerprints and findings, never the secret. */
export const credentialSummary = z.strictObject({
  id: z.string(),
  ...credentialFields.shape,
  hasSecret: z.boolean(),
  /** Short keyed fingerprint of the secret (fp:xxxx:…), null when no secret is recorded. */
  fingerprint: z.string().nullable(),
  /** RFC 7638 thumbprint of a signing key's public half. */
  publicThumbprint: z.string().nullable(),
  findings: z.array(healthFinding),
  version: z.number().int(),
  updatedAt: z.string(),
});

/** Counts per finding over credentials that are not revoked, and how many those are. */
export const healthSummary = z.strictObject({
  total: z.number().int(),
  findings: z.array(z.strictObject({ code: z.enum(HEALTH_CODES), severity: z.enum(['high', 'medium', 'low']), count: z.number().int() })),
});

export const credentialHistoryEntry = z.strictObject({
  at: z.string(),
  action: z.string(),
  note: z.string().nullable(),
  /** What an edit changed, one line per field ("environment: production → staging"). */
  changes: z.array(z.string()),
});

/**
 * A secret as typed or pasted, bounded so a stray 5 MB paste is refused, not stored. It is kept as
 * given (an OpenSSH key needs its final newline); the fingerprint ignores surrounding whitespace.
 */
export const secretInput = z
  .string()
  .max(65_536, 'A secret is at most 64 KiB')
  .refine((secret) => secret.trim().length > 0, 'The secret cannot be empty');

export const CREDENTIAL_SORTS = ['name', 'kind', 'provider', 'owner', 'environment', 'status', 'createdAt', 'expiresAt', 'lastUsedAt', 'lastRotatedAt', 'updatedAt'] as const;

export const credentialQuery = z.strictObject({
  /** Matched, case-insensitively, anywhere in name, owner, tenant, client id, environment, tags and scopes. */
  text: z.string().max(200, 'Search text is at most 200 characters').default(''),
  kind: z.enum(CREDENTIAL_KINDS).optional(),
  environment: environment.optional(),
  owner: label('Owner', 120).optional(),
  status: z.enum(CREDENTIAL_STATUSES).optional(),
  finding: z.enum(HEALTH_CODES).optional(),
  sort: z.enum(CREDENTIAL_SORTS).default('name'),
  direction: z.enum(['asc', 'desc']).default('asc'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});

export type CredentialQuery = z.input<typeof credentialQuery>;
export type CredentialFields = z.output<typeof credentialFields>;
export type CredentialSummary = z.output<typeof credentialSummary>;
export type CredentialHistoryEntry = z.output<typeof credentialHistoryEntry>;
export type CredentialLocation = z.output<typeof credentialLocation>;
export type HealthFinding = z.output<typeof healthFinding>;
export type HealthSummary = z.output<typeof healthSummary>;
