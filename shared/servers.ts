/**
 * Authorization servers as both sides see them: what a user enters to add one, what comes back
 * (never the client secret), and the answers of test, JWKS, introspection, revocation, bulk
 * revocation and the provider's sessions.
 */
import { z } from 'zod';
import { secretInput } from './credentials';
import { tokenClaim } from './tokens';

export const PROVIDER_KINDS = ['oauth', 'keycloak'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'] as const;
export type ClientAuthMethod = (typeof CLIENT_AUTH_METHODS)[number];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Why a URL may not be used for an endpoint, or null when it may: https only (plain http only
 * to this machine, for a lab), no user info, no fragment (RFC 6749 §3.1, §3.2).
 */
export function endpointUrlProblem(url: string): string | null {
  if (!URL.canParse(url)) return 'is not a URL';
  const u = new URL(url);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname))) return 'must be an https URL (plain http only on 127.0.0.1, ::1 or localhost)';
  if (u.username || u.password) return 'must not carry a user name or password';
  if (u.hash) return 'must not have a fragment';
  return null;
}

/** An issuer identifier is an endpoint URL without a query either (RFC 8414 §2). */
export function issuerProblem(issuer: string): string | null {
  return endpointUrlProblem(issuer) ?? (new URL(issuer).search ? 'must not have a query' : null);
}

export const issuerUrl = z
  .string()
  .trim()
  .min(1, 'Enter the issuer URL')
  .max(2048, 'That URL is too long')
  .superRefine((text, ctx) => {
    const problem = issuerProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `The issuer ${problem}, such as https://login.example.com/realms/main` });
  });

const pemCertificates = z
  .string()
  .max(65_536, 'A CA bundle is at most 64 KiB')
  .refine((pem) => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(pem), 'Paste one or more PEM certificates (-----BEGIN CERTIFICATE-----)')
  .refine((pem) => !/PRIVATE KEY-----/.test(pem), 'That contains a private key. Paste only the CA certificate.');

const serverFieldsShape = z.strictObject({
  name: z.string().trim().min(1, 'Name the server').max(100, 'A name is at most 100 characters'),
  issuer: issuerUrl,
  provider: z.enum(PROVIDER_KINDS),
  /** Keycloak only: the realm whose admin endpoints the adapter calls. */
  realm: z.string().trim().max(100).regex(/^[^/\\?#\s]*$/, 'A realm name has no slashes, spaces, ? or #').nullable(),
  clientId: z.string().trim().min(1, 'Enter the admin client id').max(255),
  authMethod: z.enum(CLIENT_AUTH_METHODS),
  /** private_key_jwt: a signing key from the inventory whose secret is the client's private key. */
  signingCredentialId: z.uuid('Choose a signing key from the vault').nullable(),
  extraCaPem: pemCertificates.nullable(),
});

function checkServerFields(fields: z.output<typeof serverFieldsShape>, ctx: z.RefinementCtx): void {
  if (fields.provider === 'keycloak' && !fields.realm) ctx.addIssue({ code: 'custom', path: ['realm'], message: 'Name the Keycloak realm' });
  if (fields.authMethod === 'private_key_jwt' && !fields.signingCredentialId)
    ctx.addIssue({ code: 'custom', path: ['signingCredentialId'], message: 'private_key_jwt needs a signing key from the vault' });
}

export const serverFields = serverFieldsShape.superRefine(checkServerFields);
export type ServerFields = z.output<typeof serverFields>;

/** Adding a server: a client secret for the secret methods. Editing: omit the secret to keep it. */
export const serverInput = z.strictObject({ fields: serverFields, clientSecret: secretInput.optional() });

export const serverSummary = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  issuer: z.string(),
  provider: z.enum(PROVIDER_KINDS),
  realm: z.string().nullable(),
  clientId: z.string(),
  authMethod: z.enum(CLIENT_AUTH_METHODS),
  signingCredentialId: z.string().nullable(),
  extraCaPem: z.string().nullable(),
  /** Keyed fingerprint of the sealed client secret, never the secret. */
  secretFingerprint: z.string().nullable(),
  testedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ServerSummary = z.output<typeof serverSummary>;

const check = z.strictObject({ name: z.string(), ok: z.boolean(), detail: z.string() });

export const connectionReport = z.strictObject({
  issuer: z.string(),
  /** Which discovery document answered. */
  source: z.enum(['openid-configuration', 'oauth-authorization-server']),
  endpoints: z.record(z.string(), z.string().nullable()),
  authMethods: z.array(z.string()),
  grantTypes: z.array(z.string()),
  checks: z.array(check),
});
export type ConnectionReport = z.output<typeof connectionReport>;

export const jwksKeyView = z.strictObject({
  kid: z.string().nullable(),
  kty: z.string(),
  alg: z.string().nullable(),
  use: z.string().nullable(),
  thumbprint: z.string(),
});
export type JwksKeyView = z.output<typeof jwksKeyView>;

export const jwksView = z.strictObject({
  fetchedAt: z.string().nullable(),
  checkedAt: z.string().nullable(),
  keys: z.array(jwksKeyView),
  rejected: z.array(z.strictObject({ index: z.number().int(), kid: z.string().nullable(), reason: z.string() })),
  /** Newest first: each change of the published key set. */
  history: z.array(z.strictObject({ at: z.string(), appeared: z.array(z.string()), disappeared: z.array(z.string()), keyCount: z.number().int() })),
});
export type JwksView = z.output<typeof jwksView>;

export const TOKEN_HINTS = ['access_token', 'refresh_token'] as const;
export const tokenHint = z.enum(TOKEN_HINTS);
export type TokenHint = z.output<typeof tokenHint>;

/** A token pasted for a server call: bounded, and never echoed back. */
export const tokenText = z
  .string()
  .max(16_384, 'A token is at most 16 KiB')
  .transform((text) => text.trim().replace(/^Bearer\s+/i, ''))
  .refine((text) => text.length > 0, 'Paste a token')
  .refine((text) => !/\s/.test(text), 'A token has no spaces or line breaks inside it');

export const introspectionView = z.strictObject({
  active: z.boolean(),
  /** The answer's members as a token's claims travel: JSON text, bounded; the screen adds meanings and times. */
  members: z.array(tokenClaim),
  /** A sentence saying what the answer means for the responder; nothing in it goes stale. */
  summary: z.string(),
  /** When an active token stops being accepted ("exp"), in epoch ms: the screen keeps "in 5 min" true. */
  expiresAtMs: z.number().nullable(),
});
export type IntrospectionView = z.output<typeof introspectionView>;

export const revocationView = z.strictObject({
  outcome: z.enum(['revoked', 'unsupported_token_type']),
  /** The follow-up introspection: false means the server confirms it inactive; null when it could not be asked. */
  stillActive: z.boolean().nullable(),
  summary: z.string(),
  /** For a self-contained JWT the server cannot revoke: when it stops being accepted anyway. */
  expiresAt: z.string().nullable(),
  advice: z.array(z.string()),
});
export type RevocationView = z.output<typeof revocationView>;

export const BULK_JOB_STATES = ['running', 'paused', 'verifying', 'cancelled', 'finished'] as const;
export type BulkJobState = (typeof BULK_JOB_STATES)[number];
/**
 * One token's way through a bulk job. `sending` is written before the request leaves, so a crash
 * leaves it there and resume checks it by introspection before sending again.
 */
export const BULK_ITEM_STATES = ['pending', 'sending', 'acknowledged', 'unsupported', 'failed', 'inactive', 'still_active', 'cancelled'] as const;
export type BulkItemState = (typeof BULK_ITEM_STATES)[number];

export const bulkStartInput = z
  .strictObject({
    serverId: z.uuid(),
    label: z.string().trim().min(1, 'Name the job').max(200),
    hint: tokenHint.nullable(),
    tokens: z.array(tokenText).max(100_000, 'At most 100,000 tokens in one job'),
    /** Tokens kept in the inventory: main opens them, so they never pass through the renderer. */
    credentialIds: z.array(z.uuid()).max(10_000),
  })
  .refine((input) => input.tokens.length + input.credentialIds.length > 0, { message: 'Paste at least one token or choose credentials', path: ['tokens'] })
  .refine((input) => input.tokens.reduce((sum, token) => sum + token.length, 0) <= 32 * 1024 * 1024, { message: 'At most 32 MB of tokens in one job: split the list', path: ['tokens'] });

export const bulkStatus = z.strictObject({
  id: z.uuid(),
  serverId: z.string(),
  label: z.string(),
  state: z.enum(BULK_JOB_STATES),
  total: z.number().int(),
  counts: z.record(z.enum(BULK_ITEM_STATES), z.number().int()),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Epoch ms: the server asked us to wait (Retry-After) until then. */
  waitingUntil: z.number().nullable(),
  /** A runner is working on it now; a running job without one waits for Resume (or the next unlock). */
  active: z.boolean(),
  lastError: z.string().nullable(),
});
export type BulkStatus = z.output<typeof bulkStatus>;

export const bulkItemView = z.strictObject({
  n: z.number().int(),
  fingerprint: z.string(),
  state: z.enum(BULK_ITEM_STATES),
  attempts: z.number().int(),
  detail: z.string().nullable(),
});
export type BulkItemView = z.output<typeof bulkItemView>;

export const providerSession = z.strictObject({
  id: z.string(),
  ipAddress: z.string().nullable(),
  start: z.string().nullable(),
  lastAccess: z.string().nullable(),
  clients: z.array(z.string()),
});
export type ProviderSession = z.output<typeof providerSession>;

export const providerUser = z.strictObject({ id: z.string(), username: z.string() });

export const realmKey = z.strictObject({
  kid: z.string(),
  algorithm: z.string().nullable(),
  type: z.string().nullable(),
  status: z.string().nullable(),
  use: z.string().nullable(),
  active: z.boolean(),
});
export type RealmKey = z.output<typeof realmKey>;

const serverId = z.strictObject({ id: z.uuid() });
const jobId = z.strictObject({ jobId: z.uuid() });
const onServer = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ serverId: z.uuid(), ...shape });
const done = z.strictObject({});

/** The Servers screen's channels; shared/contract.ts spreads them into the one contract. */
export const serverChannels = {
  'servers:list': { input: done, output: z.strictObject({ servers: z.array(serverSummary) }) },
  'servers:add': { input: serverInput, output: serverSummary },
  /** Without a clientSecret the stored one is kept. */
  'servers:update': { input: z.strictObject({ id: z.uuid(), fields: serverFields, clientSecret: secretInput.optional() }), output: serverSummary },
  'servers:delete': { input: serverId, output: done },
  'servers:test': { input: serverId, output: connectionReport },
  'servers:jwks': { input: serverId, output: jwksView },
  'servers:refreshJwks': { input: serverId, output: jwksView },
  /** The token goes to the chosen server only; it is never stored or echoed. */
  'servers:introspect': { input: onServer({ token: tokenText, hint: tokenHint.nullable() }), output: introspectionView },
  'servers:revoke': { input: onServer({ token: tokenText, hint: tokenHint.nullable() }), output: revocationView },
  'servers:bulkStart': { input: bulkStartInput, output: bulkStatus },
  'servers:bulkList': { input: onServer({}), output: z.strictObject({ jobs: z.array(bulkStatus) }) },
  'servers:bulkStatus': { input: jobId, output: bulkStatus },
  'servers:bulkItems': {
    input: z.strictObject({ jobId: z.uuid(), states: z.array(z.enum(BULK_ITEM_STATES)).nullable(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }),
    output: z.strictObject({ items: z.array(bulkItemView) }),
  },
  'servers:bulkPause': { input: jobId, output: bulkStatus },
  'servers:bulkResume': { input: jobId, output: bulkStatus },
  'servers:bulkCancel': { input: jobId, output: bulkStatus },
  'sessions:findUsers': { input: onServer({ username: z.string().trim().min(1, 'Enter a user name').max(255) }), output: z.strictObject({ users: z.array(providerUser) }) },
  'sessions:list': { input: onServer({ userId: z.string().min(1).max(255) }), output: z.strictObject({ sessions: z.array(providerSession) }) },
  'sessions:end': { input: onServer({ sessionId: z.string().min(1).max(255) }), output: done },
  'sessions:logoutUser': { input: onServer({ userId: z.string().min(1).max(255) }), output: done },
  /** Tokens issued before now stop being accepted by the realm's clients that honour not-before. */
  'sessions:pushNotBefore': { input: onServer({}), output: z.strictObject({ notBefore: z.string(), pushedTo: z.array(z.string()), failed: z.array(z.string()) }) },
  /** The new secret is sealed into the chosen inventory credential (marked rotated), never shown. */
  'sessions:regenerateSecret': {
    input: onServer({ clientId: z.string().trim().min(1).max(255), credentialId: z.uuid().nullable() }),
    output: z.strictObject({ clientId: z.string(), fingerprint: z.string(), savedTo: z.string().nullable() }),
  },
  'sessions:realmKeys': { input: onServer({}), output: z.strictObject({ keys: z.array(realmKey) }) },
} as const;
