/**
 * What a JWS or JWE header says about the token before any key is tried: unsecured, algorithms
 * outside the policy, keys the token names for itself (never fetched, never used), a kid built to
 * attack a key lookup, and critical extensions nobody here understands.
 */
import type { TokenFinding, TokenPolicy } from '../../../shared/tokens';

export type Finding = TokenFinding & { blocking: boolean };

/**
 * Path traversal, an absolute path or URL (however a URL parser would still read one: `file:/etc`,
 * `jar:file:/x`, a leading blank), percent-encoding and full-width dots and slashes, quoting, SQL,
 * shell and template characters: no honest key id needs them. A slash inside is not one: base64
 * kids (AWS Cognito's) and resource names (`projects/acme/keys/k1`) have them.
 */
const SUSPICIOUS_KID =
  /(\.\.|^\s*\/|:\/\/|^\s*(?:[a-z][a-z0-9+.-]*:)+\/|^\s*(?:https?|file|ftp|jar|data|ldap|gopher|dict|smb):|[\\'"`;|&$<>{}]|--|\bunion\b|\bselect\b|\bor\s+1\s*=\s*1\b|%[0-9a-f]{2}|[\uff0e\uff0f\uff3c])/i;
/** Header parameters RFC 7515 and 7516 define: never extensions, so never in "crit". */
const REGISTERED = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit', 'enc', 'zip', 'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c']);
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\x00-\x1f\x7f]/;
/** Invisible and direction-changing characters: a kid shown one way on screen and matched another. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

/**
 * JWS algorithms in IANA's JOSE registry (RFC 7515 §4.1.1 asks for registered names or
 * collision-resistant private ones; no JWT library verifies the latter), matched exactly and
 * case-sensitively, so "hs256" is none of them. RS1 is registered as prohibited; ML-DSA is
 * registered but not something CredOps checks.
 */
const JWS_ALGORITHMS = new Set(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'ES256K', 'Ed25519', 'Ed448', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']);
/** JWE algorithms (RFC 7518 §4.1, §5.1): in a JWS header, a probe for a verifier that takes any alg it knows. */
const JWE_ALGORITHMS = new Set(['RSA1_5', 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512', 'A128KW', 'A192KW', 'A256KW', 'dir', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW', 'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM']);
const JWS_BY_LOWER_CASE = new Map([...JWS_ALGORITHMS].map((name) => [name.toLowerCase(), name]));
/** Extensions CredOps understands, so "crit" may name them (RFC 7797's b64: true is ordinary JWS). */
const UNDERSTOOD_CRIT = new Set(['b64']);

/**
 * A header value as a finding shows it: quoted, cut to `max` characters, and with anything but
 * printable ASCII escaped, so a right-to-left override or a line break cannot rearrange the sentence.
 */
export function quoted(value: string, max = 100): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return `"${cut.replace(/[\\"]/g, (c) => `\\${c}`).replace(/[^\x20-\x7e…]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/** Why a JWS's alg is not one a verifier may accept, or null when it is registered. */
/** Whether an "alg" is a registered JWS algorithm, written exactly as registered. */
export const isRegisteredJwsAlg = (alg: string): boolean => JWS_ALGORITHMS.has(alg);

function unregisteredAlg(alg: string): string | null {
  if (JWS_ALGORITHMS.has(alg)) return null;
  const meant = JWS_BY_LOWER_CASE.get(alg.trim().toLowerCase());
  if (meant) return `"alg" is ${quoted(alg)}, not ${meant}: algorithm names are exact and case-sensitive (RFC 7515 §4.1.1), and a verifier that matches them loosely can be led past its allow-list. Reject the token.`;
  if (JWE_ALGORITHMS.has(alg)) return `"alg" is ${quoted(alg)}, an encryption algorithm, in a signed token: a probe for a verifier that accepts any algorithm it knows (RFC 8725 §3.1). Reject the token.`;
  if (alg === 'RS1') return '"alg" is RS1 (RSA with SHA-1), which the JOSE registry marks prohibited for JWS. Reject the token.';
  return `"alg" is ${quoted(alg)}, which is no registered JWS algorithm: no JWT library checks it, so none should accept it. Reject the token.`;
}

/** `isJwe`: the header is a JWE's (five parts), told by the caller rather than guessed from an "enc" anyone can add. */
export function headerFindings(header: Record<string, unknown>, policy: TokenPolicy | null, isJwe = false): Finding[] {
  const findings: Finding[] = [];
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '') {
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'header.alg', message: 'The header names no algorithm ("alg"), so nothing can verify it. Reject it.', blocking: true });
  } else if (alg.toLowerCase() === 'none') {
    const message = isJwe
      ? `"alg": ${quoted(alg)} in an encrypted token: "none" is no key management algorithm (RFC 7518 §4.1), so this is a probe for a decrypter that skips the key. Reject it.`
      : `Unsecured ("alg": ${quoted(alg)}): anyone can write this token. A server that accepts it accepts forgeries; make sure none does.`;
    findings.push({ code: 'ALG_NONE', severity: 'critical', where: 'header.alg', message, blocking: true });
  } else if (!isJwe && unregisteredAlg(alg)) {
    findings.push({ code: 'ALG_UNKNOWN', severity: 'high', where: 'header.alg', message: unregisteredAlg(alg)!, blocking: true });
  } else if (policy && policy.algorithms.length > 0 && !policy.algorithms.includes(alg)) {
    findings.push({ code: 'ALG_NOT_ALLOWED', severity: 'high', where: 'header.alg', message: `${quoted(alg)} is not among the algorithms the policy allows (${policy.algorithms.join(', ')}).`, blocking: true });
  }
  if ('kid' in header) {
    const kid = header.kid;
    if (typeof kid !== 'string') findings.push({ code: 'MALFORMED', severity: 'medium', where: 'header.kid', message: '"kid" is not a string.', blocking: false });
    else if (INVISIBLE.test(kid)) {
      findings.push({ code: 'KID_SUSPICIOUS', severity: 'high', where: 'header.kid', message: `The key id holds invisible or direction-changing characters (${quoted(kid, 40)}): it reads as one key id on screen and matches another. No honest kid needs them.`, blocking: false });
    } else if (kid.length > 256 || CONTROL.test(kid) || SUSPICIOUS_KID.test(kid)) {
      findings.push({ code: 'KID_SUSPICIOUS', severity: 'high', where: 'header.kid', message: 'The key id holds path, quote, SQL or shell characters: a probe for a server that builds a file path or query from it. Check how your servers look keys up.', blocking: false });
    }
  }
  if ('jku' in header) findings.push({ code: 'JKU_PRESENT', severity: 'high', where: 'header.jku', message: 'The token names its own key set URL ("jku"). CredOps never fetches it; a server that does can be made to trust an attacker\'s keys.', blocking: false });
  if ('x5u' in header) findings.push({ code: 'X5U_PRESENT', severity: 'high', where: 'header.x5u', message: 'The token names its own certificate URL ("x5u"). CredOps never fetches it; trust only keys you configured.', blocking: false });
  if ('jwk' in header) findings.push({ code: 'JWK_EMBEDDED', severity: 'high', where: 'header.jwk', message: 'The token carries its own key ("jwk"): a signature by a key the token supplies proves nothing. CredOps never uses it.', blocking: false });
  if ('x5c' in header) findings.push({ code: 'X5C_PRESENT', severity: 'medium', where: 'header.x5c', message: 'The token carries a certificate chain ("x5c"). CredOps does not verify with it; a server should only if it validates the chain to a pinned root.', blocking: false });
  if ('crit' in header) {
    const crit = header.crit;
    const listed = Array.isArray(crit) && crit.length > 0 && crit.every((name) => typeof name === 'string') ? (crit as string[]) : null;
    const wrong = listed?.filter((name) => REGISTERED.has(name) || !Object.hasOwn(header, name)) ?? [];
    const unknown = listed?.filter((name) => isJwe || !UNDERSTOOD_CRIT.has(name)) ?? [];
    if (!listed) {
      findings.push({ code: 'MALFORMED', severity: 'high', where: 'header.crit', message: '"crit" must be a non-empty list of header names (RFC 7515 §4.1.11). Reject the token.', blocking: true });
    } else if (wrong.length > 0) {
      findings.push({ code: 'MALFORMED', severity: 'high', where: 'header.crit', message: `"crit" lists ${wrong.map((n) => `"${n}"`).join(', ')}: it may list only extensions the header carries, never registered names (RFC 7515 §4.1.11). Reject the token.`, blocking: true });
    } else if (unknown.length > 0) {
      findings.push({ code: 'CRIT_UNSUPPORTED', severity: 'high', where: 'header.crit', message: `The token requires extensions (${unknown.map((n) => quoted(n, 40)).join(', ')}) that a verifier must understand or reject it (RFC 7515 §4.1.11).`, blocking: true });
    }
  }
  // RFC 7797 is a JWS extension: a JWE header (one with "enc") is not held to it.
  if (header.b64 === false && !isJwe && !(Array.isArray(header.crit) && header.crit.includes('b64'))) {
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'header.b64', message: '"b64": false without "b64" in "crit" (RFC 7797 §6): verifiers that do not know the extension would read the payload differently. Reject the token.', blocking: true });
  }
  findings.push(...typFindings(header, policy));
  return findings;
}

/** The policy's typ, checked on the header that types the token: for a nested one, the inner (RFC 8725 §3.11). */
export function typFindings(header: Record<string, unknown>, policy: TokenPolicy | null): Finding[] {
  if (!policy?.typ) return [];
  if (typeof header.typ === 'string' && normaliseTyp(header.typ) === normaliseTyp(policy.typ)) return [];
  return [{ code: 'TYP_MISMATCH', severity: 'high', where: 'header.typ', message: `"typ" is ${typeof header.typ === 'string' ? quoted(header.typ, 60) : 'missing'}; the policy expects ${quoted(policy.typ, 60)} (this stops one kind of token being used as another).`, blocking: true }];
}

/** RFC 7515 §4.1.9: "application/" may be left off, and media types compare case-insensitively. */
export function normaliseTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}
