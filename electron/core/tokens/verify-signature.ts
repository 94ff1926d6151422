/**
 * The signature of a JWS checked with the key the user gave, never one the token names: which
 * keys the source holds (pasted ones kept for the next keystroke), which of them the kid and alg
 * allow, key confusion, weak and short HMAC secrets, and small RSA keys.
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { InspectRequest, KeySource } from '../../../shared/tokens';
import { isCoreError } from '../errors';
import { quoted, type Finding } from './header-checks';
import type { InspectContext } from './inspect';
import { KeyError, keysFromSecretText, resolveKeys, type CandidateKey, type KeyList } from './keys';
import { checkSignature, keyTypeFor } from './signature';
import { findWeakHmacSecret, MAX_DICTIONARY_SIGNING_INPUT, hmacMinimumBytes, hmacSecretStrength, isWeakHmacSecret, type HmacAlgorithm } from './weak-secrets';

/**
 * Keys built from what was pasted, kept for the next inspection: typing in the token field
 * inspects on every keystroke, and parsing a PEM or JWKS costs more than verifying with it.
 * Vault keys are opened (and audited) each time and not kept; the rest go on lock.
 */
const keyCache = new Map<string, KeyList>();
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

export function candidateKeys(source: KeySource, ctx: InspectContext): KeyList {
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
    return Object.assign(
      // A function, so a "$&" in the server's name is text, not a replacement pattern.
      keys.map((key) => ({ ...key, description: key.description.replace('JWKS key', () => `${name} JWKS key (fetched ${fetchedAt})`) })),
      { unreadable: keys.unreadable },
    );
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
  let resolved: KeyList;
  try {
    resolved = resolveKeys(source as Exclude<KeySource, { kind: 'credential' | 'server' }>);
  } catch (error) {
    // Whatever a pasted key trips, it is a key that cannot be used, not a failed inspection.
    throw error instanceof KeyError ? error : new KeyError('it is not a key CredOps can use.');
  }
  keyCache.set(id, resolved);
  newestKeyId = id;
  if (keyCache.size > KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  return resolved;
}

/**
 * Whether a key may check signatures: keys published for encryption are not signing keys (RFC 7517
 * §4.2, §4.3). A private key marked "sign" is checked by its public half, so it counts.
 */
export const maySign = (k: CandidateKey) => k.use !== 'enc' && (k.keyOps === null || k.keyOps.includes('verify') || k.keyOps.includes('sign'));

const DIGEST_BYTES: Record<string, number> = { sha256: 32, sha384: 48, sha512: 64 };

/** An HMAC token checked against a public key: does the public key itself, as a secret, verify it? */
function forgedWithPublicKey(alg: string, signingInput: string, signature: Buffer, keys: CandidateKey[]): boolean {
  const digest = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  // A signature of another length is no HMAC of this kind, and a huge signing input would cost a keystroke.
  if (!digest || signature.length !== DIGEST_BYTES[digest] || signingInput.length > MAX_DICTIONARY_SIGNING_INPUT) return false;
  return keys.some((k) =>
    k.publicText().some((text) => {
      const mac = createHmac(digest, text).update(signingInput).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }),
  );
}

function weakFinding(weak: string, alg: string): Finding {
  const shown = weak.length <= 2 ? `${weak.length} character${weak.length === 1 ? '' : 's'}` : `"${weak.slice(0, 2)}…", ${weak.length} characters`;
  const minimum = hmacMinimumBytes(alg as HmacAlgorithm);
  return { code: 'WEAK_HMAC_SECRET', severity: 'critical', where: 'signature', message: `Signed with a well-known secret (${shown}): anyone can forge tokens that verify. Rotate the issuer's secret to ${minimum}+ random bytes (${alg} needs ${minimum}) and revoke what it signed.`, blocking: true };
}

/**
 * The dictionary secret an HMAC token was signed with, if any. The dictionary (hundreds of HMACs)
 * runs only when no key was given or the given one fails; a secret that verifies is looked up in it instead.
 */
function dictionarySecret(alg: string, signingInput: string, signature: Buffer): string | null {
  return keyTypeFor(alg) === 'secret' ? findWeakHmacSecret(alg as 'HS256' | 'HS384' | 'HS512', signingInput, signature) : null;
}

/** The curve each ECDSA and EdDSA algorithm is defined on (RFC 7518 §3.4, RFC 8812 §3.2, RFC 9864). */
const CURVES: Partial<Record<string, string>> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521', ES256K: 'secp256k1', EdDSA: 'Ed25519 or Ed448', Ed25519: 'Ed25519', Ed448: 'Ed448' };

export interface SignatureResult {
  verified: boolean | null;
  key: string | null;
  findings: Finding[];
}

/**
 * The signature checked with the key given. An HMAC token that no key given verifies is also tried
 * against the dictionary: a key that cannot be used must not hide a secret anyone can sign with.
 */
export function verifySignature(alg: string, signingInput: string, signature: Buffer, kid: string | null, request: InspectRequest, ctx: InspectContext): SignatureResult {
  const result = checkWithKeyGiven(alg, signingInput, signature, kid, request, ctx);
  if (result.verified !== true && request.key && signature.length > 0 && !result.findings.some((f) => f.code === 'WEAK_HMAC_SECRET')) {
    const weak = dictionarySecret(alg, signingInput, signature);
    if (weak !== null) result.findings.unshift(weakFinding(weak, alg));
  }
  return result;
}

function checkWithKeyGiven(alg: string, signingInput: string, signature: Buffer, kid: string | null, request: InspectRequest, ctx: InspectContext): SignatureResult {
  const findings: Finding[] = [];
  if (alg.toLowerCase() === 'none') return { verified: false, key: null, findings };
  if (signature.length === 0) {
    findings.push({ code: 'SIGNATURE_MISSING', severity: 'critical', where: 'signature', message: `The header says ${quoted(alg, 20)} but there is no signature: a stripped token. Reject it.`, blocking: true });
    return { verified: false, key: null, findings };
  }
  const needs = keyTypeFor(alg);
  if (!request.key) {
    const weak = dictionarySecret(alg, signingInput, signature);
    if (weak !== null) {
      findings.push(weakFinding(weak, alg));
      return { verified: true, key: 'a well-known secret from CredOps\'s dictionary', findings };
    }
    findings.push({ code: 'NOT_VERIFIED', severity: 'info', where: 'signature', message: 'No key given, so the signature is not checked. Give the issuer\'s key, JWKS or shared secret; CredOps never uses a key the token names.', blocking: false });
    return { verified: null, key: null, findings };
  }
  if (!needs) {
    findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'header.alg', message: `CredOps cannot check ${quoted(alg)} signatures.`, blocking: false });
    return { verified: null, key: null, findings };
  }
  let resolved: KeyList;
  try {
    resolved = candidateKeys(request.key, ctx);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'signature', message: `The key could not be used: ${error.message}`, blocking: false });
    return { verified: null, key: null, findings };
  }
  const keys = resolved.filter(maySign);
  let candidates = keys;
  // Published, but not in a form CredOps reads: not an unknown kid, and no other key's failure is its.
  const unreadable = kid !== null && !resolved.some((k) => k.kid === kid) ? resolved.unreadable?.find((k) => k.kid === kid) : undefined;
  if (unreadable) {
    findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'header.kid', message: `The key set publishes kid ${quoted(kid!)}, but CredOps cannot read that key (${unreadable.reason}), so the signature is not checked.`, blocking: false });
    return { verified: null, key: null, findings };
  }
  if (kid !== null && resolved.some((k) => k.kid !== null)) {
    candidates = keys.filter((k) => k.kid === kid || k.kid === null);
    if (candidates.length === 0) {
      const forEncryption = resolved.some((k) => k.kid === kid);
      findings.push({
        code: 'KID_UNKNOWN',
        severity: 'high',
        where: 'header.kid',
        message: forEncryption
          ? `The kid ${quoted(kid)} names a key marked for encryption or for other operations than signing ("use", "key_ops"): no signature by it is valid.`
          : `No signing key with kid ${quoted(kid)} in the keys given: signed by a key the issuer does not publish (rotated out, or not theirs).`,
        blocking: true,
      });
      return { verified: false, key: null, findings };
    }
  }
  if (candidates.length === 0) {
    findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'signature', message: 'Every key given is marked for encryption ("use": "enc") or for operations other than signing ("key_ops"), so none may check a signature (RFC 7517 §4.2, §4.3).', blocking: false });
    return { verified: null, key: null, findings };
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
  if (named.length > 0 && named.every((k) => checkSignature(alg, signingInput, signature, k.key) === 'incompatible-key')) {
    findings.push({ code: 'KEY_CONFUSION', severity: 'high', where: 'header.alg', message: `The key named by kid ${quoted(kid!)} is not a key for ${alg} (${named[0].description}): the token claims an algorithm its key cannot have made. Reject it.`, blocking: true });
    return { verified: false, key: null, findings };
  }
  // A key pinned to another algorithm could have made it, but a verifier that honours the pin refuses it.
  if (named.length > 0 && named.every((k) => k.alg !== null && k.alg !== alg)) {
    findings.push({ code: 'ALG_NOT_ALLOWED', severity: 'high', where: 'header.alg', message: `The key named by kid ${quoted(kid!)} is pinned to ${named[0].alg} by its "alg", and the token says ${alg}: a verifier that honours the pin refuses it (RFC 7517 §4.4).`, blocking: true });
    return { verified: false, key: null, findings };
  }
  const pinned = [...new Set(candidates.filter((k) => k.alg !== null && k.alg !== alg).map((k) => k.alg!))];
  candidates = candidates.filter((k) => k.alg === null || k.alg === alg);
  let badSignature = false;
  for (const candidate of candidates) {
    const result = checkSignature(alg, signingInput, signature, candidate.key);
    if (result === 'verified') {
      const used = candidate.secret;
      if (used && needs === 'secret') {
        if (isWeakHmacSecret(used)) findings.push(weakFinding(used.toString('utf8'), alg));
        const weakness = hmacSecretStrength(used, alg as 'HS256' | 'HS384' | 'HS512');
        if (weakness) findings.push({ code: 'SHORT_HMAC_SECRET', severity: 'medium', where: 'signature', message: weakness, blocking: false });
      }
      if (candidate.flaw) {
        const { code, severity, message, blocking } = candidate.flaw;
        findings.push({ code, severity, message: message('given'), blocking, where: 'signature' });
      }
      if (candidate.certificateExpiresMs !== null && candidate.certificateExpiresMs < ctx.nowMs) {
        findings.push({ code: 'KEY_EXPIRED', severity: 'low', where: 'signature', message: `Verified by a key whose certificate expired on ${new Date(candidate.certificateExpiresMs).toISOString().slice(0, 10)}. JWT verifiers rarely check a key's certificate, but one that does refuses this; ask the issuer whether the key is still theirs.`, blocking: false });
      }
      return { verified: true, key: candidate.description, findings };
    }
    if (result === 'bad-signature') badSignature = true;
  }
  // A key CredOps could not read (past the first 100, refused, unreadable) may be the signer: not checked is not altered.
  const unread = (resolved.unreadable ?? []).filter((u) => kid === null || u.kid === null || u.kid === kid);
  if (badSignature && unread.length > 0) {
    findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'signature', message: `It does not verify with the keys CredOps could read, and ${unread.length === 1 ? 'one key it could not read' : `${unread.length} keys it could not read`} may have signed it (${unread[0].reason}), so the signature is not checked.`, blocking: false });
    return { verified: null, key: null, findings };
  }
  if (badSignature) {
    findings.push({ code: 'SIGNATURE_INVALID', severity: 'critical', where: 'signature', message: 'The signature does not verify with the key given: altered, or signed by another key. Reject it.', blocking: true });
    return { verified: false, key: null, findings };
  }
  const wanted = needs === 'secret' ? 'a shared secret' : `an ${needs.toUpperCase()} public key${CURVES[alg] ? ` on ${CURVES[alg]}` : ''}`;
  const why = pinned.length > 0 && candidates.length === 0 ? `the keys given are pinned to ${pinned.slice(0, 3).join(', ')} by their "alg"` : `it needs ${wanted}`;
  findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'signature', message: `None of the keys given can check ${alg} (${why}).`, blocking: false });
  return { verified: null, key: null, findings };
}
