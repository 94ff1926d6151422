/**
 * DPoP proofs (RFC 9449) checked as the server they are sent to checks them (§4.3): signed with an
 * asymmetric key, by the public key the proof carries in "jwk", with the members a proof must have,
 * and made moments ago. This is the one place CredOps checks a signature with a key the token
 * supplies, because for a proof that is the check; and it can only refuse. Anyone can sign with a
 * key of their own, so a proof is valid only when the key it carries is the client's key the user
 * gave; otherwise whose key it is, the access token's "cnf"."jkt" says (§6.1).
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { span } from '../../../shared/spans';
import type { InspectRequest, TokenPolicy } from '../../../shared/tokens';
import { DEFAULT_TOLERANCE_S, instant } from './claim-checks';
import { quoted, type Finding } from './header-checks';
import type { InspectContext } from './inspect';
import { isJsonObject } from '../json-depth';
import { KeyError, fromJwk, PRIVATE_JWK_MEMBERS, type CandidateKey, type KeyList } from './keys';
import { checkSignature, keyTypeFor } from './signature';
import { candidateKeys, maySign, type SignatureResult } from './verify-signature';

/**
 * How long after its "iat" a proof is accepted. RFC 9449 §11.1 leaves the window to the server and
 * asks for a short one; servers keep it to seconds or minutes, and five minutes is the longest common.
 */
export const DPOP_WINDOW_S = 300;

/** An HTTP method is a token (RFC 9110 §9.1, §5.6.2). */
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** "ath" is the base64url SHA-256 of the access token: 43 characters (RFC 9449 §4.2). */
const ATH = /^[A-Za-z0-9_-]{43}$/;

const KEY_NAMES: Readonly<Record<string, string>> = { rsa: 'an RSA', 'rsa-pss': 'an RSA-PSS', ec: 'an EC', ed25519: 'an Ed25519', ed448: 'an Ed448', x25519: 'an X25519', x448: 'an X448' };
const CURVE_NAMES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

const has = (claims: Record<string, unknown>, name: string) => Object.hasOwn(claims, name);

function malformed(where: string, message: string, blocking = true): Finding {
  return { code: 'MALFORMED', severity: blocking ? 'high' : 'low', where, message, blocking };
}

/** An absolute http(s) URI, as "htu" must be. */
function httpUri(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** The members RFC 9449 §4.2 requires, each of the type it says. */
function shapeFindings(header: Record<string, unknown>, claims: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  if (!isJsonObject(header.jwk)) {
    findings.push({ code: 'CLAIM_MISSING', severity: 'high', where: 'header.jwk', message: 'A DPoP proof must carry the public key that signed it in "jwk" (RFC 9449 §4.2); without one no server can check it. Reject it.', blocking: true });
  }
  const missing = ['jti', 'htm', 'htu', 'iat'].filter((name) => !has(claims, name));
  for (const name of missing) {
    findings.push({ code: 'CLAIM_MISSING', severity: 'high', where: `payload.${name}`, message: `A DPoP proof must carry "${name}" (RFC 9449 §4.2), and this one has none: no server accepts it as a proof. Reject it.`, blocking: true });
  }
  if (has(claims, 'jti') && (typeof claims.jti !== 'string' || claims.jti === '')) findings.push(malformed('payload.jti', '"jti" must be a string that names this proof once (RFC 9449 §4.2), so a server can refuse it a second time. Reject it.'));
  if (has(claims, 'htm') && (typeof claims.htm !== 'string' || !METHOD.test(claims.htm))) findings.push(malformed('payload.htm', '"htm" must be the request\'s HTTP method, such as "POST" (RFC 9449 §4.2). Reject it.'));
  if (has(claims, 'htu')) {
    const url = typeof claims.htu === 'string' ? httpUri(claims.htu) : null;
    if (!url) findings.push(malformed('payload.htu', '"htu" must be the http or https URI the proof was made for (RFC 9449 §4.2). Reject it.'));
    else if (url.search !== '' || url.hash !== '' || (claims.htu as string).includes('?') || (claims.htu as string).includes('#')) {
      findings.push(malformed('payload.htu', '"htu" carries a query or fragment, which a proof leaves out (RFC 9449 §4.2); a server that compares it as written refuses the proof.', false));
    }
  }
  if (has(claims, 'ath') && (typeof claims.ath !== 'string' || !ATH.test(claims.ath))) {
    findings.push(malformed('payload.ath', '"ath" must be the base64url SHA-256 of the access token, 43 characters (RFC 9449 §4.2): no access token matches this one. Reject it.'));
  }
  return findings;
}

/** A proof is good for moments: made longer ago than the window and the clock tolerance, a server refuses it. */
function freshnessFindings(claims: Record<string, unknown>, policy: TokenPolicy | null, nowMs: number): Finding[] {
  const iat = claims.iat;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return [];
  const tolerance = policy?.clockToleranceSeconds ?? DEFAULT_TOLERANCE_S;
  const window = `${span(DPOP_WINDOW_S)} after its "iat" (RFC 9449 §11.1)`;
  if ((iat + DPOP_WINDOW_S + tolerance) * 1000 <= nowMs) {
    return [{ code: 'EXPIRED', severity: 'high', where: 'payload.iat', message: `Made at ${instant(iat, nowMs / 1000)}: servers accept a proof for moments, and CredOps allows ${window} and the ${tolerance} s clock tolerance. Replayed now, it is refused.`, blocking: true }];
  }
  if ((iat + DPOP_WINDOW_S) * 1000 <= nowMs) {
    return [{ code: 'WITHIN_CLOCK_TOLERANCE', severity: 'info', where: 'payload.iat', message: `Made at ${instant(iat, nowMs / 1000)}, more than ${window}: accepted only within the ${tolerance} s clock tolerance.`, blocking: false }];
  }
  return [];
}

/** When a proof's freshness next changes, in epoch ms: its window ends, then the tolerance after it. */
export function proofRecheckAtMs(claims: Record<string, unknown>, policy: TokenPolicy | null, nowMs: number): number | null {
  if (typeof claims.iat !== 'number' || !Number.isFinite(claims.iat)) return null;
  const tolerance = policy?.clockToleranceSeconds ?? DEFAULT_TOLERANCE_S;
  const next = [claims.iat + DPOP_WINDOW_S, claims.iat + DPOP_WINDOW_S + tolerance].map((s) => s * 1000).find((ms) => ms > nowMs);
  return next ?? null;
}

/**
 * The general findings as they apply to a proof, and what a proof must be besides. Its own key and
 * its lack of "exp" are its design (§4.2, §11.1), not findings; its shape and its age are.
 */
export function proofFindings(findings: Finding[], header: Record<string, unknown>, claims: Record<string, unknown>, policy: TokenPolicy | null, nowMs: number): Finding[] {
  const general = findings
    .filter((f) => f.code !== 'EXP_MISSING')
    .map((f) =>
      f.code === 'JWK_EMBEDDED'
        ? { ...f, severity: 'info' as const, message: 'A DPoP proof carries its public key in "jwk" by design (RFC 9449 §4.2), and a server checks the proof with it. That shows only that the sender holds the key, whoever they are: the access token the proof comes with must name the key\'s thumbprint in "cnf"."jkt" (§6.1), and only the client\'s public key, given here, makes the proof valid.' }
        : f,
    );
  return [...general, ...shapeFindings(header, claims), ...freshnessFindings(claims, policy, nowMs)];
}

const CARRIED = 'the key the proof carries';

/** A proof's key is its own public members, from which the thumbprint "cnf"."jkt" holds is made (RFC 7638 §3.2). */
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };

/**
 * RFC 7638's thumbprint of the members as sent, as the authorization server computed the "jkt" it
 * bound the access token to: a re-encoded key (a modulus without its stray leading zero) would
 * give another.
 */
function thumbprintAsSent(jwk: Record<string, unknown>, members: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(Object.fromEntries(members.map((m) => [m, jwk[m]])))).digest('base64url');
}

/** The thumbprint of a proof's "jwk" as sent, when it holds a public key's own members. */
export function proofKeyThumbprint(jwk: unknown): string | null {
  if (!isJsonObject(jwk) || typeof jwk.kty !== 'string' || !Object.hasOwn(THUMBPRINT_MEMBERS, jwk.kty)) return null;
  const members = THUMBPRINT_MEMBERS[jwk.kty];
  return members.every((m) => typeof jwk[m] === 'string') ? thumbprintAsSent(jwk, members) : null;
}

/** The key the proof carries, described by its thumbprint as sent, or the findings that refuse it. */
function carriedKey(jwk: Record<string, unknown>): { key: CandidateKey | null; findings: Finding[] } {
  const findings: Finding[] = [];
  const exposed = PRIVATE_JWK_MEMBERS.filter((m) => has(jwk, m));
  if (exposed.length > 0) {
    findings.push({
      code: 'KEY_FORGEABLE',
      severity: 'critical',
      where: 'header.jwk',
      message: `The proof carries its private or secret key (${exposed.map((m) => `"${m}"`).join(', ')}) in "jwk": anyone who saw it can make proofs as this client. Reject it, rotate the client's DPoP key, and revoke the tokens bound to it.`,
      blocking: true,
    });
  }
  const kty = typeof jwk.kty === 'string' ? jwk.kty : null;
  const members = kty !== null && Object.hasOwn(THUMBPRINT_MEMBERS, kty) ? THUMBPRINT_MEMBERS[kty] : null;
  const lacking = members?.filter((m) => typeof jwk[m] !== 'string') ?? [];
  if (!members || lacking.length > 0) {
    // A key only in "x5c" has no members to take the thumbprint of, and jose's EmbeddedJWK refuses it too.
    const why = !members ? `its "kty" is ${kty === null ? 'missing' : quoted(kty, 20)}` : `it lacks ${lacking.map((m) => `"${m}"`).join(' and ')}`;
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'header.jwk', message: `A proof's "jwk" must hold an RSA, EC or OKP public key in its own members (RFC 9449 §4.2), and ${why}: there is no key to check it with, and no thumbprint for "cnf"."jkt". Reject it.`, blocking: true });
    return { key: null, findings };
  }
  try {
    const read = fromJwk(jwk as JWK, CARRIED);
    return { key: { ...read, description: `${CARRIED} (${kty}, thumbprint ${thumbprintAsSent(jwk, members)})` }, findings };
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'header.jwk', message: `${error.message.replace(/\.$/, '')}, so CredOps does not check the proof with it. Reject it.`, blocking: true });
    return { key: null, findings };
  }
}

/** What kind of key it is, in words, with the curve when the algorithm asks for one. */
function keyInWords(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  const named = type === undefined ? 'a symmetric key' : `${Object.hasOwn(KEY_NAMES, type) ? KEY_NAMES[type] : `a ${type}`} key`;
  const curve = type === 'ec' ? key.asymmetricKeyDetails?.namedCurve : undefined;
  return curve ? `${named} on ${Object.hasOwn(CURVE_NAMES, curve) ? CURVE_NAMES[curve] : curve}` : named;
}

const notVerified = (message: string): { matched: null; findings: Finding[] } => ({ matched: null, findings: [{ code: 'NOT_VERIFIED', severity: 'medium', where: 'signature', message, blocking: false }] });

/**
 * A key given beside the proof says whose proof it should be: the client's public key, which the
 * proof must carry. Compared, not verified again: the signature was checked with the carried key.
 * The rules a verifier keeps for any key given hold here too: a key for encryption, or pinned to
 * another algorithm, does not check a proof, and a key CredOps could not read may be the client's.
 */
function givenKey(alg: string, carried: CandidateKey, request: InspectRequest, ctx: InspectContext): { matched: CandidateKey | null; findings: Finding[] } {
  // A saved server publishes its own signing keys, never its clients' DPoP keys.
  if (request.key!.kind === 'server') return notVerified('A saved server\'s JWKS holds the issuer\'s keys, and a DPoP proof is signed by the client\'s key: give the client\'s public key to check the proof is theirs.');
  let given: KeyList;
  try {
    given = candidateKeys(request.key!, ctx);
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    return notVerified(`The key you gave could not be used (${error.message.replace(/\.$/, '')}), so whether the proof is the client's is not known.`);
  }
  const publicKeys = given.filter((k) => k.key.type === 'public');
  if (publicKeys.length === 0) return notVerified('The key you gave is a shared secret, and a DPoP proof is signed with the client\'s private key: give the client\'s public key to check the proof is theirs.');
  const same = publicKeys.filter((k) => k.key.equals(carried.key));
  const usable = same.filter((k) => maySign(k) && (k.alg === null || k.alg === alg));
  if (usable.length > 0) return { matched: usable[0], findings: [] };
  if (same.length > 0) {
    const why = same[0].alg !== null && same[0].alg !== alg ? `pinned to ${quoted(same[0].alg, 20)} by its "alg"` : 'marked for encryption or for other operations than signing ("use", "key_ops")';
    return { matched: null, findings: [{ code: 'ALG_NOT_ALLOWED', severity: 'high', where: 'header.alg', message: `The key you gave is the key the proof carries, but it is ${why}: a verifier that honours that refuses a ${alg} proof by it (RFC 7517 §4.2 to §4.4).`, blocking: true }] };
  }
  if ((given.unreadable ?? []).length > 0) return notVerified(`The proof carries none of the keys CredOps could read among those you gave, and ${given.unreadable!.length === 1 ? 'one it could not read' : `${given.unreadable!.length} it could not read`} may be the client's (${given.unreadable![0].reason}).`);
  return { matched: null, findings: [{ code: 'SIGNATURE_INVALID', severity: 'high', where: 'signature', message: `Signed by ${carried.description}, which is not the key you gave: not this client's proof (or not the client's key you gave). Reject it as theirs.`, blocking: true }] };
}

export interface ProofResult extends SignatureResult {
  /** The key given (the client's) is the one the proof carries: only then can a proof be valid. */
  byGivenKey: boolean;
}

/**
 * The proof's signature, checked with the public key it carries (RFC 9449 §4.3 steps 5 to 7). That
 * check can refuse a proof but never make it valid: anyone can sign with a key of their own, so a
 * proof is valid only when the key it carries is the client's key the user gave.
 */
export function verifyProof(alg: string, signingInput: string, signature: Buffer, header: Record<string, unknown>, request: InspectRequest, ctx: InspectContext): ProofResult {
  const refused = (findings: Finding[]): ProofResult => ({ verified: false, key: null, findings, byGivenKey: false });
  const type = keyTypeFor(alg);
  // "none" and unregistered algorithms are the header checks' to name; registered ones CredOps lacks are said here.
  if (type === null) {
    const findings: Finding[] = alg.toLowerCase() === 'none' ? [] : [{ code: 'NOT_VERIFIED', severity: 'medium', where: 'header.alg', message: `CredOps cannot check ${quoted(alg, 20)} signatures, so the proof is not checked.`, blocking: false }];
    return { verified: alg.toLowerCase() === 'none' ? false : null, key: null, findings, byGivenKey: false };
  }
  if (type === 'secret') {
    return refused([{ code: 'ALG_NOT_ALLOWED', severity: 'critical', where: 'header.alg', message: `A DPoP proof must be signed with a private key (RFC 9449 §4.3): ${quoted(alg, 20)} uses a shared secret, which proves nothing about who sent it. Reject it.`, blocking: true }]);
  }
  if (signature.length === 0) {
    return refused([{ code: 'SIGNATURE_MISSING', severity: 'critical', where: 'signature', message: `The header says ${quoted(alg, 20)} but there is no signature: a stripped proof. Reject it.`, blocking: true }]);
  }
  // A missing "jwk" is a shape finding; without it there is nothing to check with.
  if (!isJsonObject(header.jwk)) return refused([]);
  const { key: carried, findings } = carriedKey(header.jwk);
  if (!carried) return refused(findings);
  const checked = checkSignature(alg, signingInput, signature, carried.key);
  if (checked === 'incompatible-key') {
    findings.push({ code: 'KEY_CONFUSION', severity: 'high', where: 'header.alg', message: `The proof says ${alg}, but the key it carries is ${keyInWords(carried.key)}, which cannot make ${alg} signatures. Reject it.`, blocking: true });
    return refused(findings);
  }
  if (checked !== 'verified') {
    findings.push({ code: 'SIGNATURE_INVALID', severity: 'critical', where: 'signature', message: 'The signature does not verify with the key the proof carries: altered, or made to pass another key off as the sender\'s. Reject it.', blocking: true });
    return refused(findings);
  }
  if (carried.flaw) {
    const { code, severity, message, blocking } = carried.flaw;
    findings.push({ code, severity, message: message('carried'), blocking, where: 'header.jwk' });
  }
  if (!request.key) return { verified: true, key: carried.description, findings, byGivenKey: false };
  const { matched, findings: given } = givenKey(alg, carried, request, ctx);
  // Named by the thumbprint as sent, which "cnf"."jkt" holds, whatever the key given re-encodes to.
  const key = matched ? carried.description.replace(CARRIED, 'the key you gave, which the proof carries') : carried.description;
  return { verified: true, key, findings: [...findings, ...given], byGivenKey: matched !== null };
}
