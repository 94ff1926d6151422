/**
 * The token inspector's vocabulary, shared by the contract, the core and the Inspector screen:
 * what can be pasted and verified against, the policy a token is checked against, and the answer
 * (verdict, the token explained, findings with stable codes).
 */
import { z } from 'zod';

/** The most the inspector reads: anything longer is answered at once as too long to be a token. */
export const MAX_TOKEN_CHARS = 8 * 1024 * 1024;

export const VERDICTS = ['valid', 'invalid', 'unverifiable', 'unparseable', 'opaque'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const TOKEN_FINDING_CODES = [
  // Header and signature
  'ALG_NONE',
  'ALG_NOT_ALLOWED',
  'ALG_UNKNOWN',
  'KEY_CONFUSION',
  'SIGNATURE_INVALID',
  'SIGNATURE_MISSING',
  'KID_UNKNOWN',
  'KID_SUSPICIOUS',
  'JKU_PRESENT',
  'X5U_PRESENT',
  'JWK_EMBEDDED',
  'X5C_PRESENT',
  'CRIT_UNSUPPORTED',
  'WEAK_HMAC_SECRET',
  'SHORT_HMAC_SECRET',
  'KEY_TOO_SMALL',
  'KEY_FORGEABLE',
  'KEY_EXPIRED',
  'NOT_VERIFIED',
  // Time
  'EXPIRED',
  'NOT_YET_VALID',
  'ISSUED_IN_FUTURE',
  'EXP_MISSING',
  'WITHIN_CLOCK_TOLERANCE',
  'LIFETIME_TOO_LONG',
  // Policy
  'ISSUER_MISMATCH',
  'AUDIENCE_MISMATCH',
  'TYP_MISMATCH',
  'CLAIM_MISSING',
  'CLAIM_MISMATCH',
  'SCOPE_MISSING',
  // Content
  'SENSITIVE_DATA',
  'ENCRYPTED',
  'NESTED_TOKEN',
  'MALFORMED',
  'IMPRECISE_NUMBER',
  'OPAQUE_TOKEN',
  'TOKEN_IN_PASTE',
  // SD-JWT (RFC 9901)
  'DISCLOSURE_INVALID',
  'DISCLOSURE_WEAK_SALT',
  'SD_ALG_UNSUPPORTED',
  'KEY_BINDING_INVALID',
  'KEY_BINDING_MISSING',
  'KEY_BINDING_ALONE',
  'SEPARATORS_ESCAPED',
] as const;
export type TokenFindingCode = (typeof TOKEN_FINDING_CODES)[number];

export const TOKEN_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** 0 for critical up to 4 for info: the order findings are listed in, most severe first. */
export const severityRank = (severity: (typeof TOKEN_SEVERITIES)[number]): number => TOKEN_SEVERITIES.indexOf(severity);

export const tokenFinding = z.strictObject({
  code: z.enum(TOKEN_FINDING_CODES),
  severity: z.enum(TOKEN_SEVERITIES),
  /** The header field or claim concerned (`header.alg`, `payload.exp`), null for the whole token. */
  where: z.string().nullable(),
  /** What is wrong and what to do about it, in a sentence a responder can act on. */
  message: z.string(),
});

/** Where a verification key comes from. Keys a token names itself (jwk, jku, x5u, x5c) never make it valid; a DPoP proof's own jwk can only refuse it. */
export const keySource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('hmac'), secret: z.string().min(1, 'Enter the secret').max(65_536), encoding: z.enum(['text', 'base64', 'base64url']) }),
  z.strictObject({ kind: z.literal('pem'), pem: z.string().min(1, 'Paste a PEM public key or certificate').max(65_536) }),
  z.strictObject({ kind: z.literal('jwk'), jwk: z.string().min(1, 'Paste a JWK').max(65_536) }),
  z.strictObject({ kind: z.literal('jwks'), jwks: z.string().min(1, 'Paste a JWKS').max(1_048_576) }),
  z.strictObject({ kind: z.literal('credential'), credentialId: z.uuid('Not a credential id') }),
  /** A saved server's JWKS, as last fetched: verification stays offline. */
  z.strictObject({ kind: z.literal('server'), serverId: z.uuid('Not a server id') }),
]);

const claimName = z.string().trim().min(1, 'Name the claim').max(200);

/** What a token must be to pass: every field optional, and only what is set is checked. */
export const tokenPolicy = z.strictObject({
  issuer: z.string().max(2000).nullable(),
  audiences: z.array(z.string().min(1).max(2000)).max(50),
  algorithms: z.array(z.string().min(1).max(20)).max(20),
  requiredClaims: z.array(claimName).max(50),
  typ: z.string().max(100).nullable(),
  maxLifetimeSeconds: z.number().int().min(1).max(10 * 365 * 86_400).nullable(),
  clockToleranceSeconds: z.number().int().min(0).max(3600),
  requiredScopes: z.array(z.string().min(1).max(200)).max(100),
  /** Claims that must equal a value exactly (`tenant_id` = `acme`), as JSON text of the value. */
  claimEquals: z.array(z.strictObject({ claim: claimName, value: z.string().max(2000) })).max(50),
});

export const EMPTY_POLICY: z.output<typeof tokenPolicy> = {
  issuer: null,
  audiences: [],
  algorithms: [],
  requiredClaims: [],
  typ: null,
  maxLifetimeSeconds: null,
  clockToleranceSeconds: 60,
  requiredScopes: [],
  claimEquals: [],
};

/** Which token to read when the paste holds several (a token endpoint's JSON answer): the first by default; at most 20 are found. */
const pasteTokenPick = z.number().int().min(0).max(19).optional();

export const inspectRequest = z.strictObject({
  token: z.string().max(MAX_TOKEN_CHARS, 'That is longer than any token (8 MB at most)'),
  key: keySource.nullable(),
  policy: tokenPolicy.nullable(),
  pick: pasteTokenPick,
});

export const TOKEN_KINDS = ['access_token', 'id_token', 'logout_token', 'refresh_token', 'dpop_proof', 'sd_jwt', 'kb_jwt', 'jwt', 'jwe', 'opaque', 'unknown'] as const;

/**
 * A claim as the inspector answers it. What it means and, for a NumericDate, the instant it names
 * are the screen's to work out (shared/claim-meanings.ts), as they are for the header.
 */
export const tokenClaim = z.strictObject({
  name: z.string(),
  /** The value as JSON text (claims can be any JSON), cut to a few thousand characters. */
  value: z.string(),
  /** When the value was cut for the screen: a digest of it whole, so two can still be compared. */
  digest: z.string().nullable(),
  /** Said beside it: what an SD-JWT's holder disclosed in it. */
  note: z.string().nullable().optional(),
});

/** More disclosures than any credential has (a PID has a few dozen): a presentation with more is refused unread. */
export const MAX_DISCLOSURES = 1000;

/** One disclosure of an SD-JWT as the inspector read it (RFC 9901 §4.2). */
export const sdDisclosure = z.strictObject({
  /** The claim it discloses; null for an array element, or one that does not read. */
  name: z.string().nullable(),
  /** Where it lands among the claims (`payload.address.locality`, `payload.nationalities[1]`); null when nowhere. */
  path: z.string().nullable(),
  /** The disclosed value as JSON text, cut for the screen; null when the disclosure does not read. */
  value: z.string().nullable(),
  /** Its digest, as the issuer signs it (base64url). */
  digest: z.string(),
  /**
   * disclosed: the issuer signed its digest, once; unreferenced: it did not (added or altered);
   * malformed: it does not read, or breaks a rule of RFC 9901; unmatched: not matched at all, as
   * "_sd_alg" names a hash CredOps does not take.
   */
  status: z.enum(['disclosed', 'unreferenced', 'malformed', 'unmatched']),
});

/** What an SD-JWT holds beyond its issuer-signed JWT: the disclosures, and the holder's Key Binding JWT. */
export const sdJwtSection = z.strictObject({
  /** The hash its digests are made with ("_sd_alg", sha-256 when absent). */
  hashAlg: z.string(),
  disclosures: z.array(sdDisclosure).max(MAX_DISCLOSURES),
  /** Digests the issuer signed that this presentation does not disclose: claims withheld, or decoys. */
  withheld: z.number().int().nonnegative(),
  keyBinding: z.strictObject({
    /** absent: no KB-JWT; unchecked: one CredOps could not check (no holder key it can read). */
    status: z.enum(['verified', 'invalid', 'unchecked', 'absent']),
    header: z.string().nullable(),
    claims: z.array(tokenClaim),
    /** The holder's key, as the issuer named it in "cnf", described without its secret part. */
    key: z.string().nullable(),
  }),
});

export const inspection = z.strictObject({
  verdict: z.enum(VERDICTS),
  /** One sentence: the verdict and why. */
  summary: z.string(),
  kind: z.enum(TOKEN_KINDS),
  /** The protected header as pretty JSON text, null when there is none to show. */
  header: z.string().nullable(),
  claims: z.array(tokenClaim),
  /** Claims past the first 500, not sent: the screens say they are there rather than show them. */
  moreClaims: z.number().int().nonnegative(),
  /** Whether the claims were read at all: false when the payload did not decode, was not decrypted, or lies too deep. */
  claimsRead: z.boolean(),
  signature: z.strictObject({
    alg: z.string().nullable(),
    /** true, false, or null when not checked (no key, or nothing to check). */
    verified: z.boolean().nullable(),
    /** The key that verified it, described without its secret part (kid, thumbprint, source). */
    key: z.string().nullable(),
  }),
  /** For an opaque token recognised by its format: whose it is and what to do. */
  opaque: z.strictObject({ format: z.string(), provider: z.string(), advice: z.string() }).nullable(),
  findings: z.array(tokenFinding),
  /**
   * When the paste held more than a token (a JSON answer, a URL, a cookie, a log line, several
   * tokens): what the paste calls each token found in it (null for none), and which one was read.
   */
  inPaste: z.strictObject({ names: z.array(z.string().nullable()).max(20), picked: z.number().int().nonnegative(), more: z.boolean() }).nullable(),
  /** For an SD-JWT: its disclosures and key binding; the claims above are the ones it discloses, merged in. */
  sdJwt: sdJwtSection.nullable(),
  /**
   * When the verdict may next change by the clock alone (exp, nbf or iat crossing the policy's
   * tolerance), in epoch ms, so a screen left open inspects again then; null when no claim will.
   */
  recheckAtMs: z.number().nullable(),
  /** How long the inspection took in main, for the screen's footnote. */
  tookMs: z.number(),
});

/**
 * A DPoP proof and the access token it comes with, compared in Compare two, each with the key its
 * own verdict used: the client's for the proof, the issuer's for the token.
 */
export const bindingRequest = z.strictObject({
  proof: z.string().max(MAX_TOKEN_CHARS, 'That is longer than any token (8 MB at most)'),
  proofKey: keySource.nullable(),
  accessToken: z.string().max(MAX_TOKEN_CHARS, 'That is longer than any token (8 MB at most)'),
  accessTokenKey: keySource.nullable(),
  /** Which token of each paste, as each side's verdict read it. */
  proofPick: pasteTokenPick,
  accessTokenPick: pasteTokenPick,
});

/**
 * Whether a proof goes with an access token (RFC 9449 §4.2, §6.1, §7.1): the proof names the token
 * by its SHA-256 in "ath", and the token names the proof's key by its thumbprint in "cnf"."jkt".
 */
export const dpopBinding = z.strictObject({
  /**
   * bound: both hold, the pair a server accepts as far as binding goes; unknown: the proof names an
   * opaque or encrypted token, whose binding only its issuer can say; not_bound: a server refuses it.
   */
  verdict: z.enum(['bound', 'not_bound', 'unknown']),
  ath: z.enum(['matches', 'differs', 'absent']),
  /**
   * absent: no "cnf"."jkt" (a bearer token, or one bound to a certificate); malformed: a "jkt" that is
   * no string; not-read: the access token is opaque or encrypted, so only its issuer can say.
   */
  jkt: z.enum(['matches', 'differs', 'absent', 'malformed', 'not-read']),
  /** RFC 7638 thumbprints: of the key the proof carries (null when it carries none), and the one the token names. */
  proofThumbprint: z.string().nullable(),
  tokenThumbprint: z.string().nullable(),
  /** One sentence: bound, or the first reason a server refuses the pair. */
  summary: z.string(),
});

export const savedPolicy = z.strictObject({
  id: z.uuid(),
  name: z.string(),
  policy: tokenPolicy,
  updatedAt: z.string(),
});

/** A saved profile that no longer reads as a policy: kept in the vault, named so it can be deleted. */
export const unreadablePolicy = z.strictObject({ id: z.string(), name: z.string(), reason: z.string() });

export const policyName = z.string().trim().min(1, 'Name the policy').max(120, 'A policy name is at most 120 characters');

/**
 * What a token found in a paste is called on screen: the name the paste gives it, numbered when two
 * share one, or its place (`token 2`) when the paste gives none.
 */
export function pasteTokenLabel(names: readonly (string | null)[], index: number): string {
  const name = names[index];
  if (name === null) return `token ${index + 1}`;
  return names.filter((n) => n === name).length > 1 ? `${name} (token ${index + 1})` : name;
}

export type SavedPolicy = z.output<typeof savedPolicy>;
export type UnreadablePolicy = z.output<typeof unreadablePolicy>;
export type KeySource = z.output<typeof keySource>;
export type TokenPolicy = z.output<typeof tokenPolicy>;
export type InspectRequest = z.output<typeof inspectRequest>;
export type Inspection = z.output<typeof inspection>;
export type DpopBinding = z.output<typeof dpopBinding>;
export type BindingRequest = z.output<typeof bindingRequest>;
export type TokenFinding = z.output<typeof tokenFinding>;
export type TokenClaim = z.output<typeof tokenClaim>;
export type SdJwtSection = z.output<typeof sdJwtSection>;
export type SdDisclosure = z.output<typeof sdDisclosure>;
