/**
 * Leak triage as both sides see it: a scan of pasted text or a file for secrets, its progress, and
 * its findings, each masked, located, matched against the inventory by keyed fingerprint, and
 * explained. The scanned text never leaves main and is never stored; what comes back holds no
 * secret, only masks, fingerprints and the inventory's metadata.
 */
import { z } from 'zod';
import { CREDENTIAL_KINDS, CREDENTIAL_STATUSES } from './credentials';
import { TOKEN_SEVERITIES, VERDICTS, tokenFinding } from './tokens';

/** What a finding is: a known provider's format, a JWT (or JWE), a private key block, or a secret-looking value assigned to a secret-looking name. */
export const LEAK_KINDS = ['provider', 'jwt', 'private_key', 'generic'] as const;
export type LeakKind = (typeof LEAK_KINDS)[number];

/** Pasted text larger than this is refused: save it to a file and open that, which is streamed. */
export const MAX_PASTE_CHARS = 32 * 1024 * 1024;
/** Distinct secrets kept per scan; past this the scan says it stopped counting. */
export const MAX_FINDINGS = 5_000;
/** Places a secret is listed at (the rest are counted). */
export const MAX_PLACES = 20;

export const leakPlace = z.strictObject({ line: z.number().int().min(1), column: z.number().int().min(1) });

/** An inventory credential a finding is, by keyed fingerprint of its secret (or a private key's public thumbprint). */
export const leakMatch = z.strictObject({
  credentialId: z.string(),
  name: z.string(),
  kind: z.enum(CREDENTIAL_KINDS),
  environment: z.string(),
  owner: z.string().nullable(),
  status: z.enum(CREDENTIAL_STATUSES),
  /** Recorded locations: every place a copy of it lives. */
  copies: z.number().int(),
});
export type LeakMatch = z.output<typeof leakMatch>;

/** The inspector's reading of a JWT found in the text, without a key. */
export const leakJwt = z.strictObject({
  verdict: z.enum(VERDICTS),
  summary: z.string(),
  issuer: z.string().nullable(),
  subject: z.string().nullable(),
  /** UTC ISO, null when the token has no exp. */
  expiresAt: z.string().nullable(),
  findings: z.array(tokenFinding),
});

export const leakFinding = z.strictObject({
  /** Stable within its scan: `f1`, `f2`, … in order of first appearance. */
  id: z.string(),
  kind: z.enum(LEAK_KINDS),
  /** `GitHub`, `Stripe`, `JWT`, `Private key`, or `Unknown` for a generic secret of no known issuer. */
  provider: z.string(),
  /** What it is, for a person: `GitHub personal access token (classic)`. */
  format: z.string(),
  severity: z.enum(TOKEN_SEVERITIES),
  /** The secret with its middle hidden: a known public prefix and, for long ones, the last four characters. */
  masked: z.string(),
  /** Keyed fingerprint (`fp:abcd:…`): equal secrets share it; it cannot be used to test guesses. */
  fingerprint: z.string(),
  /** The name it was assigned to (`STRIPE_SECRET_KEY=…`), when there was one. */
  assignedTo: z.string().nullable(),
  /** Where it appears first, then further places up to MAX_PLACES. */
  places: z.array(leakPlace),
  occurrences: z.number().int(),
  /** Inventory credentials with this secret; empty when it is unknown. */
  matches: z.array(leakMatch),
  /** What to do: the provider's guidance for an unknown secret, or the inventory's playbook for a known one. */
  advice: z.string(),
  jwt: leakJwt.nullable(),
});
export type LeakFinding = z.output<typeof leakFinding>;

export const SCAN_STATES = ['running', 'done', 'cancelled', 'failed'] as const;
export type ScanState = (typeof SCAN_STATES)[number];

export const scanStatus = z.strictObject({
  scanId: z.uuid(),
  state: z.enum(SCAN_STATES),
  source: z.strictObject({ kind: z.enum(['paste', 'file']), label: z.string() }),
  bytesScanned: z.number().int(),
  /** Null while a file's size is unknown. */
  totalBytes: z.number().int().nullable(),
  lines: z.number().int(),
  /** Distinct secrets found so far. */
  found: z.number().int(),
  /** More than MAX_FINDINGS distinct secrets: the rest were not listed. */
  truncated: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Why a failed scan failed, in words a user can act on. */
  error: z.string().nullable(),
});
export type ScanStatus = z.output<typeof scanStatus>;

/** The built-in playbook for each kind of credential a leak can match. */
export const LEAK_PLAYBOOK_FOR_KIND: Record<(typeof CREDENTIAL_KINDS)[number], string> = {
  api_key: 'leaked-api-key',
  service_token: 'leaked-api-key',
  oauth_client: 'leaked-client-secret',
  signing_key: 'compromised-signing-key',
  webhook_secret: 'leaked-webhook-secret',
  refresh_token: 'compromised-sessions',
};

const scanId = z.uuid('Not a scan id');
const sourceLabel = z.string().trim().max(200, 'A source is at most 200 characters');

export const leakChannels = {
  /** Scans pasted text in main; the text is held only while it is scanned. */
  'leaks:scanText': {
    input: z.strictObject({
      text: z.string().min(1, 'Paste the text to scan').max(MAX_PASTE_CHARS, 'That is more than 32 MB: save it to a file and open the file, which is read as a stream'),
      /** Where the text came from (`CI build #4411`), for the evidence of a playbook started from it. */
      source: sourceLabel,
    }),
    output: scanStatus,
  },
  /** Main asks for the file and streams it; null when the user cancels the dialog. */
  'leaks:scanFile': { input: z.strictObject({ source: sourceLabel }), output: z.strictObject({ scan: scanStatus.nullable() }) },
  'leaks:status': { input: z.strictObject({ scanId }), output: scanStatus },
  'leaks:cancel': { input: z.strictObject({ scanId }), output: scanStatus },
  /** The findings once the scan has ended (done, or cancelled: what it found before it stopped), ours first, then most severe. */
  'leaks:findings': { input: z.strictObject({ scanId }), output: z.strictObject({ status: scanStatus, findings: z.array(leakFinding) }) },
  'leaks:discard': { input: z.strictObject({ scanId }), output: z.strictObject({}) },
  /**
   * Starts one playbook run per matched credential chosen, with the leak's source and its masked
   * findings as evidence on the run's first step.
   */
  'leaks:startPlaybooks': {
    input: z.strictObject({
      scanId,
      findingIds: z.array(z.string().min(1).max(20)).min(1, 'Choose at least one finding').max(500),
      /** Per credential, a template other than the built-in one for its kind. */
      templates: z.record(z.uuid(), z.string().min(1).max(64)).default({}),
    }),
    output: z.strictObject({
      runs: z.array(z.strictObject({ runId: z.uuid(), credentialId: z.string(), credentialName: z.string(), templateName: z.string() })),
    }),
  },
} as const;
