/**
 * Inspects a pasted token offline: decode, explain, check the header, the clock and the policy,
 * verify with the key the user gave (never one the token names), and give one verdict.
 *   valid         verified with the given key, and nothing blocking
 *   invalid       something blocking: unsecured, bad signature, expired, policy mismatch, …
 *   unverifiable  decodes and nothing blocks, but no key was given (or none could be used)
 *   unparseable   not a token: says which part fails and why
 *   opaque        not a JWT: a provider's token or key recognised by its format, or an unknown one
 * It never throws for what was pasted: every failure is an answer.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { severityRank, type InspectRequest, type Inspection, type KeySource, type TokenPolicy } from '../../../shared/tokens';
import { explainClaims, tokenKind } from './claims';
import { policyFindings, timeFindings } from './claim-checks';
import { DecodeError, decodeBase64url, decodeJsonObject, decodeUtf8, parseJsonObject } from './decode';
import { headerFindings, type Finding } from './header-checks';
import { inspectJwe } from './jwe';
import { KeyError, keysFromSecretText, resolveKeys, type CandidateKey } from './keys';
import { normalizeToken } from './normalize';
import { classifyOpaqueToken } from './opaque-formats';
import { findSensitiveData } from './sensitive-data';
import { checkSignature, keyTypeFor } from './signature';
import { isCoreError } from '../errors';
import { findWeakHmacSecret, hmacSecretStrength, isWeakHmacSecret } from './weak-secrets';

export interface InspectContext {
  nowMs: number;
  /** A vault credential's secret, opened for verification (the caller audits it). */
  credentialSecret(id: string): { secret: string; kind: string; name: string };
  /** A saved server's last fetched JWKS, as JSON text, with the server's name. */
  serverJwks(id: string): { jwks: string; name: string; fetchedAt: string };
}

type Answer = Omit<Inspection, 'tookMs'>;

const SENSITIVE_WORDS = { email: 'an e-mail address', phone: 'a phone number', card: 'a payment card number', 'password-claim': 'a password or secret', 'national-id': 'a national id number', iban: 'a bank account (IBAN)' } as const;
/** Far beyond any real token's claims, small enough to parse and explain within the 100 ms budget. */
const MAX_PAYLOAD_BYTES = 256 * 1024;
const MAX_HEADER_CHARS = 64 * 1024;
/** Something that may be a bearer token or API key, rather than garbage. */
const TOKENISH = /^[A-Za-z0-9._~+/=:-]{16,4096}$/;

function answer(partial: Partial<Answer> & Pick<Answer, 'verdict' | 'summary' | 'kind'>): Answer {
  return { header: null, claims: [], signature: { alg: null, verified: null, key: null }, opaque: null, findings: [], ...partial };
}

function strip(findings: Finding[]): Answer['findings'] {
  return findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).map(({ blocking: _blocking, ...finding }) => finding);
}

function notAToken(token: string, reason: string): Answer {
  const match = classifyOpaqueToken(token);
  if (match) {
    const opaque = match.token;
    return answer({
      verdict: 'opaque',
      kind: 'opaque',
      summary: `${opaque.provider}: ${opaque.format}. It is not a JWT, so only its issuer can say whether it is valid.`,
      opaque,
      findings: [{ code: 'OPAQUE_TOKEN', severity: match.severity, where: null, message: opaque.advice }],
    });
  }
  if (TOKENISH.test(token) && !token.includes('.')) {
    const unknown = { format: 'unrecognised opaque token', provider: 'unknown', advice: 'Not a JWT and not a format CredOps knows. Ask its issuer (introspection, RFC 7662) whether it is active.' };
    return answer({ verdict: 'opaque', kind: 'opaque', summary: 'An opaque token of no format CredOps knows: only its issuer can say whether it is valid.', opaque: unknown, findings: [{ code: 'OPAQUE_TOKEN', severity: 'info', where: null, message: unknown.advice }] });
  }
  return answer({ verdict: 'unparseable', kind: 'unknown', summary: `Not a token CredOps can read: ${reason}`, findings: [{ code: 'MALFORMED', severity: 'info', where: null, message: reason }] });
}

/**
 * Keys built from what was pasted, kept for the next inspection: typing in the token field
 * inspects on every keystroke, and parsing a PEM or JWKS costs more than verifying with it.
 * Vault keys are opened (and audited) each time and not kept; the rest go on lock.
 */
const keyCache = new Map<string, CandidateKey[]>();
const KEY_CACHE_SIZE = 16;
let newestKeyId: string | null = null;

export function forgetKeys(): void {
  keyCache.clear();
  newestKeyId = null;
}

/**
 * A digest of what was pasted, so the map's keys are not the pasted secrets themselves. Through
 * JSON, which escapes lone surrogates: as UTF-8 they would all become U+FFFD and two sources collide.
 */
function cacheId(source: Exclude<KeySource, { kind: 'credential' | 'server' }>): string {
  return hash('sha256', JSON.stringify(source), 'base64');
}

function candidateKeys(source: KeySource, ctx: InspectContext): CandidateKey[] {
  if (source.kind === 'credential') {
    const { secret, kind, name } = ctx.credentialSecret(source.credentialId);
    return keysFromSecretText(secret, kind, name);
  }
  if (source.kind === 'server') {
    let saved: ReturnType<InspectContext['serverJwks']>;
    try {
      saved = ctx.serverJwks(source.serverId);
    } catch (error) {
      throw new KeyError(isCoreError(error) ? error.message : 'The server\'s JWKS could not be read.');
    }
    const { jwks, name, fetchedAt } = saved;
    const keys = candidateKeys({ kind: 'jwks', jwks }, ctx);
    return keys.map((key) => ({ ...key, description: key.description.replace('JWKS key', `${name} JWKS key (fetched ${fetchedAt})`) }));
  }
  const id = cacheId(source);
  const cached = keyCache.get(id);
  if (cached) {
    // Least recently used goes first; the same key again and again (the usual case) moves nothing.
    if (id !== newestKeyId) {
      keyCache.delete(id);
      keyCache.set(id, cached);
      newestKeyId = id;
    }
    return cached;
  }
  const resolved = resolveKeys(source as Exclude<KeySource, { kind: 'credential' | 'server' }>);
  keyCache.set(id, resolved);
  newestKeyId = id;
  if (keyCache.size > KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  return resolved;
}

/** An HMAC token checked against a public key: does the public key itself, as a secret, verify it? */
function forgedWithPublicKey(alg: string, signingInput: string, signature: Buffer, keys: CandidateKey[]): boolean {
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  if (!hash) return false;
  return keys.some((k) =>
    k.publicText().some((text) => {
      const mac = createHmac(hash, text).update(signingInput).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }),
  );
}

function weakFinding(weak: string): Finding {
  const shown = weak.length <= 2 ? `${weak.length} characters` : `"${weak.slice(0, 2)}…", ${weak.length} characters`;
  return { code: 'WEAK_HMAC_SECRET', severity: 'critical', where: 'signature', message: `Signed with a well-known secret (${shown}): anyone can forge tokens that verify. Rotate the issuer's secret to 32+ random bytes and revoke what it signed.`, blocking: true };
}

/**
 * The dictionary secret an HMAC token was signed with, if any. The dictionary (hundreds of HMACs)
 * runs only when no key was given or the given one fails; a secret that verifies is looked up in it instead.
 */
function dictionarySecret(alg: string, signingInput: string, signature: Buffer): string | null {
  return keyTypeFor(alg) === 'secret' ? findWeakHmacSecret(alg as 'HS256' | 'HS384' | 'HS512', signingInput, signature) : null;
}

interface SignatureResult {
  verified: boolean | null;
  key: string | null;
  findings: Finding[];
}

function verifySignature(alg: string, signingInput: string, signature: Buffer, kid: string | null, request: InspectRequest, ctx: InspectContext): SignatureResult {
  const findings: Finding[] = [];
  if (alg.toLowerCase() === 'none') return { verified: false, key: null, findings };
  if (signature.length === 0) {
    findings.push({ code: 'SIGNATURE_MISSING', severity: 'critical', where: 'signature', message: `The header says ${alg} but there is no signature: a stripped token. Reject it.`, blocking: true });
    return { verified: false, key: null, findings };
  }
  const needs = keyTypeFor(alg);
  if (!request.key) {
    const weak = dictionarySecret(alg, signingInput, signature);
    if (weak !== null) {
      findings.push(weakFinding(weak));
      return { verified: true, key: 'a well-known secret from CredOps\'s dictionary', findings };
    }
    findings.push({ code: 'NOT_VERIFIED', severity: 'info', where: 'signature', message: 'No key given, so the signature is not checked. Give the issuer\'s key, JWKS or shared secret; CredOps never uses a key the token names.', blocking: false });
    return { verified: null, key: null, findings };
  }
  if (!needs) {
    findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'header.alg', message: `CredOps cannot check ${alg} signatures.`, blocking: false });
    return { verified: null, key: null, findings };
  }
  let resolved: CandidateKey[];
  try {
    resolved = candidateKeys(request.key, ctx);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'signature', message: `The key could not be used: ${error.message}`, blocking: false });
    return { verified: null, key: null, findings };
  }
  // Keys published for encryption are not signing keys (RFC 7517 §4.2, §4.3).
  const keys = resolved.filter((k) => k.use !== 'enc' && (k.keyOps === null || k.keyOps.includes('verify')));
  let candidates = keys;
  if (kid !== null && resolved.some((k) => k.kid !== null)) {
    candidates = keys.filter((k) => k.kid === kid || k.kid === null);
    if (candidates.length === 0) {
      const forEncryption = resolved.some((k) => k.kid === kid);
      findings.push({
        code: 'KID_UNKNOWN',
        severity: 'high',
        where: 'header.kid',
        message: forEncryption
          ? `The kid "${kid.slice(0, 100)}" names a key published for encryption, not signing: no signature by it is valid.`
          : `No signing key with kid "${kid.slice(0, 100)}" in the keys given: signed by a key the issuer does not publish (rotated out, or not theirs).`,
        blocking: true,
      });
      return { verified: false, key: null, findings };
    }
  }
  // Checked on the keys this token could mean, after its kid chose them: the attack hides an HMAC
  // token behind the kid of a public key in a set that also holds secrets.
  if (needs === 'secret' && candidates.every((k) => k.key.type !== 'secret')) {
    const forged = forgedWithPublicKey(alg, signingInput, signature, candidates);
    findings.push({
      code: 'KEY_CONFUSION',
      severity: 'critical',
      where: 'header.alg',
      message: forged
        ? `Forged: this ${alg} token is signed with the public key used as an HMAC secret. A server that lets the token choose the algorithm accepts it; pin the algorithm per key.`
        : `${alg} (a shared secret) checked against a public key: the algorithm/key confusion attack. A verifier must pin the algorithm to the key, never take it from the token.`,
      blocking: true,
    });
    return { verified: false, key: null, findings };
  }
  const named = kid !== null ? candidates.filter((k) => k.kid === kid) : [];
  if (named.length > 0 && named.every((k) => (k.alg !== null && k.alg !== alg) || checkSignature(alg, signingInput, signature, k.key) === 'incompatible-key')) {
    findings.push({ code: 'KEY_CONFUSION', severity: 'high', where: 'header.alg', message: `The key named by kid "${kid!.slice(0, 100)}" is not a key for ${alg} (${named[0].description}): the token claims an algorithm its key cannot have made. Reject it.`, blocking: true });
    return { verified: false, key: null, findings };
  }
  candidates = candidates.filter((k) => k.alg === null || k.alg === alg);
  let badSignature = false;
  for (const candidate of candidates) {
    const result = checkSignature(alg, signingInput, signature, candidate.key);
    if (result === 'verified') {
      const used = candidate.secret;
      if (used && needs === 'secret') {
        if (isWeakHmacSecret(used)) findings.push(weakFinding(used.toString('utf8')));
        const weakness = hmacSecretStrength(used, alg as 'HS256' | 'HS384' | 'HS512');
        if (weakness) findings.push({ code: 'SHORT_HMAC_SECRET', severity: 'medium', where: 'signature', message: weakness, blocking: false });
      }
      const bits = candidate.key.asymmetricKeyDetails?.modulusLength;
      if (bits !== undefined && bits < 2048) {
        findings.push({ code: 'KEY_TOO_SMALL', severity: 'high', where: 'signature', message: `Verified, but by a ${bits}-bit RSA key: keys under 2048 bits can be factored (NIST SP 800-131A disallows them). Replace the issuer's key.`, blocking: false });
      }
      return { verified: true, key: candidate.description, findings };
    }
    if (result === 'bad-signature') badSignature = true;
  }
  if (badSignature) {
    const weak = dictionarySecret(alg, signingInput, signature);
    if (weak !== null) findings.push(weakFinding(weak));
    findings.push({ code: 'SIGNATURE_INVALID', severity: 'critical', where: 'signature', message: 'The signature does not verify with the key given: altered, or signed by another key. Reject it.', blocking: true });
    return { verified: false, key: null, findings };
  }
  findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'signature', message: `None of the keys given can check ${alg} (it needs ${needs === 'secret' ? 'a shared secret' : `an ${needs.toUpperCase()} public key`}).`, blocking: false });
  return { verified: null, key: null, findings };
}

export function contentFindings(claims: Record<string, unknown>): Finding[] {
  return findSensitiveData(claims)
    .slice(0, 10)
    .map(({ path, kind }) => ({
      code: 'SENSITIVE_DATA' as const,
      severity: 'medium' as const,
      where: path,
      message: `Holds ${SENSITIVE_WORDS[kind]}, readable by anyone who sees the token (JWS is signed, not encrypted). Keep personal data out of tokens, or encrypt them.`,
      blocking: false,
    }));
}

/** A compact JWS (3 parts, the last may be empty) or JWE (5 parts, the second empty for "dir"). */
const NESTED = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?$/;

/**
 * What the token inside contributes: its findings, shown as the inner token's, and a blocking
 * finding when it is invalid (an unsecured or expired token inside a valid envelope is not valid).
 */
export function nestedFindings(nested: Answer): Finding[] {
  const inner = nested.findings.map((f) => ({ ...f, where: f.where ? `inner ${f.where}` : 'inner token', blocking: false }));
  const note: Finding =
    nested.verdict === 'invalid'
      ? { code: 'NESTED_TOKEN', severity: 'high', where: 'payload', message: `The token inside is invalid: ${nested.summary.replace(/^Invalid: /, '')}`, blocking: true }
      : { code: 'NESTED_TOKEN', severity: 'info', where: 'payload', message: `The payload is itself a token (${nested.kind}); its claims are shown. Its own signature is checked only with its issuer's key: inspect it on its own.`, blocking: false };
  return [note, ...inner];
}

/** An envelope is no more trustworthy than what it carries: valid outside, unchecked inside, is unverifiable. */
export function capByNested(verdict: Pick<Answer, 'verdict' | 'summary'>, nested: Answer | null): Pick<Answer, 'verdict' | 'summary'> {
  if (!nested || verdict.verdict !== 'valid' || nested.verdict === 'valid') return verdict;
  return { verdict: 'unverifiable', summary: `The outer signature verifies, but the token inside is ${nested.verdict}: ${nested.summary}` };
}

function verdictOf(findings: Finding[], verified: boolean | null): Pick<Answer, 'verdict' | 'summary'> {
  const blocking = findings.filter((f) => f.blocking);
  if (blocking.length > 0) {
    const worst = strip([...blocking])[0];
    return { verdict: 'invalid', summary: `Invalid: ${worst.message}` };
  }
  if (verified === true) return { verdict: 'valid', summary: 'Valid: the signature verifies with the key given, and every check passes.' };
  if (verified === false) return { verdict: 'invalid', summary: 'Invalid: the signature does not verify.' };
  return { verdict: 'unverifiable', summary: 'Decodes, but the signature was not checked: give the issuer\'s key to verify it.' };
}

/** A compact JWS split and decoded, before its claims are read. */
interface DecodedJws {
  header: Record<string, unknown>;
  signingInput: string;
  payloadBytes: Buffer;
  payloadText: string;
  signature: Buffer;
}

/** `checked`: the caller has already seen that the token holds only base64url characters and dots. */
function decodeJws(token: string, checked: boolean): DecodedJws | Answer {
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  if (headerPart.length > MAX_HEADER_CHARS) return notAToken(token, `the header is ${Math.round(headerPart.length / 1024)} KB; a real one is a few hundred bytes.`);
  try {
    const header = decodeJsonObject(decodeBase64url(headerPart, 'header', checked), 'header');
    const payloadBytes = decodeBase64url(payloadPart, 'payload', checked);
    const signature = decodeBase64url(signaturePart, 'signature', checked);
    return { header, signingInput: token.slice(0, headerPart.length + 1 + payloadPart.length), payloadBytes, payloadText: payloadBytes.toString('utf8'), signature };
  } catch (error) {
    if (error instanceof DecodeError) return notAToken(token, error.message);
    throw error;
  }
}

/**
 * Everything about a decoded JWS but the token it may carry, which `nested` gives when the
 * payload is itself a token.
 */
function judgeJws({ header, signingInput, payloadBytes, payloadText, signature }: DecodedJws, request: InspectRequest, ctx: InspectContext, nested: Answer | null): Answer {
  const findings: Finding[] = headerFindings(header, request.policy);
  let claims: Record<string, unknown> = {};
  if (nested) {
    findings.push(...nestedFindings(nested));
  } else if (payloadBytes.length > MAX_PAYLOAD_BYTES) {
    const size = `${(payloadBytes.length / 1024 / 1024).toFixed(1)} MB`;
    return answer({
      verdict: 'unparseable',
      kind: 'unknown',
      header: JSON.stringify(header, null, 2),
      summary: `The payload is ${size}: real tokens are a few kilobytes (servers refuse headers over 8 to 16 KB), so CredOps does not decode it.`,
      findings: [{ code: 'MALFORMED', severity: 'high', where: 'payload', message: `A ${size} payload: no server should accept a token this large. It may be an attempt to exhaust a parser.` }],
    });
  } else {
    try {
      claims = parseJsonObject(decodeUtf8(payloadBytes, 'payload', payloadText), 'payload');
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      return answer({ verdict: 'unparseable', kind: 'unknown', header: JSON.stringify(header, null, 2), summary: `Not a JWT: ${error.message}`, findings: [{ code: 'MALFORMED', severity: 'high', where: 'payload', message: error.message }] });
    }
    findings.push(...timeFindings(claims, request.policy, ctx.nowMs), ...policyFindings(claims, request.policy), ...contentFindings(claims));
  }
  const alg = typeof header.alg === 'string' ? header.alg : null;
  const signed = alg ? verifySignature(alg, signingInput, signature, typeof header.kid === 'string' ? header.kid : null, request, ctx) : { verified: false, key: null, findings: [] };
  findings.push(...signed.findings);
  const { verdict, summary } = capByNested(verdictOf(findings, signed.verified), nested);
  return {
    verdict,
    summary,
    kind: nested ? nested.kind : tokenKind(header, claims),
    header: JSON.stringify(header, null, 2),
    claims: nested ? nested.claims : explainClaims(claims),
    signature: { alg, verified: signed.verified, key: signed.key },
    opaque: null,
    findings: strip(findings),
  };
}

/**
 * Promises only where something is awaited (a token inside the payload, a JWE's decryption): the
 * inspector runs on every keystroke, and each async step costs more than a policy check.
 */
function inspectJws(token: string, request: InspectRequest, ctx: InspectContext, depth: number, checked: boolean): Promise<Answer> {
  const decoded = decodeJws(token, checked);
  if (!('signingInput' in decoded)) return Promise.resolve(decoded);
  if (depth === 0 && NESTED.test(decoded.payloadText)) {
    return inspectAny(decoded.payloadText, { ...request, key: null }, ctx, depth + 1).then((nested) => judgeJws(decoded, request, ctx, nested));
  }
  return Promise.resolve(judgeJws(decoded, request, ctx, null));
}

/** What was pasted, made a token to decode, or the answer that it is none. */
function readInput(input: string): { token: string; parts: number; checked: boolean } | Answer {
  const trimmed = input.trim();
  if (trimmed === '') return answer({ verdict: 'unparseable', kind: 'unknown', summary: 'Nothing to inspect: paste a token.' });
  const { token, strange, bare } = normalizeToken(input);
  const parts = token.split('.').length;
  // Key files and PEM blocks are recognised as pasted: normalising would take their lines apart.
  if (parts !== 3 && parts !== 5 && classifyOpaqueToken(trimmed)) return notAToken(trimmed, 'a key or secret, not a token');
  if (token.startsWith('-----BEGIN')) return notAToken(token, 'a PEM block');
  if (strange.length > 0) {
    const where = strange.slice(0, 3).map((s) => `${s.codePoint} at ${s.index + 1}`).join(', ');
    return answer({
      verdict: 'unparseable',
      kind: 'unknown',
      summary: `Contains characters no token has (${where}): a copy error, or look-alike letters meant to deceive.`,
      findings: [{ code: 'MALFORMED', severity: 'high', where: null, message: `Characters outside ASCII (${where}). Tokens are plain ASCII; look-alike or invisible characters can make a token read as another.` }],
    });
  }
  if (parts !== 3 && parts !== 5) return notAToken(token, parts === 1 ? 'no dots, so not a JWT' : `${parts} parts separated by dots; a JWS has 3 and a JWE 5`);
  return { token, parts, checked: bare };
}

function inspectAny(input: string, request: InspectRequest, ctx: InspectContext, depth: number): Promise<Answer> {
  const read = readInput(input);
  if (!('token' in read)) return Promise.resolve(read);
  if (read.parts === 3) return inspectJws(read.token, request, ctx, depth, read.checked);
  return inspectJwe(read.token, request, ctx, depth, { inspectAny, answer, strip, notAToken });
}

export async function inspectToken(request: InspectRequest, ctx: InspectContext): Promise<Inspection> {
  const started = performance.now();
  const result = await inspectAny(request.token, request, ctx, 0);
  return Object.assign(result, { tookMs: Math.round((performance.now() - started) * 100) / 100 });
}

export type { Answer, Finding, TokenPolicy };
