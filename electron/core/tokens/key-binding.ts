/**
 * An SD-JWT's Key Binding JWT (RFC 9901): the holder signs, with the key the issuer bound the
 * credential to in "cnf", the digest of the presentation ("sd_hash"), whom it is for ("aud"), a
 * "nonce" and when ("iat"). Checked as a verifier checks it. The holder's key is the one the
 * issuer named, never one the KB-JWT brings, so the check means as much as the issuer's signature.
 */
import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import { LAST_DATE_SECONDS } from '../../../shared/claim-meanings';
import { span } from '../../../shared/spans';
import type { SdJwtSection, TokenPolicy } from '../../../shared/tokens';
import { DEFAULT_TOLERANCE_S, instant } from './claim-checks';
import { claimsForScreen } from './claims';
import { DecodeError, decodeBase64url, decodeJsonObject } from './decode';
import { isRegisteredJwsAlg, normaliseTyp, quoted, type Finding } from './header-checks';
import { isJsonObject } from '../json-depth';
import { KeyError, fromJwk, PRIVATE_JWK_MEMBERS, type CandidateKey } from './keys';
import { checkSignature, keyTypeFor } from './signature';

/** How long after its "iat" a presentation is taken: RFC 9901 leaves the window to the verifier, and asks for a short one. */
export const KB_WINDOW_S = 300;
/** A KB-JWT is a few hundred characters: one far larger is not decoded (the issuer-signed JWT's caps, and no more). */
const MAX_KB_JWT_CHARS = 64 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;


export interface KeyBindingInput {
  /** The KB-JWT, or null when the presentation carries none. */
  jwt: string | null;
  /** The presentation up to its last `~`, which "sd_hash" is the digest of. */
  hashed: string;
  /** node:crypto's name of the SD-JWT's hash, and its "_sd_alg" name. */
  hash: string;
  hashAlg: string;
  /** The SD-JWT's claims as disclosed, where "cnf" names the holder's key. */
  claims: Record<string, unknown>;
  policy: TokenPolicy | null;
  nowMs: number;
}

export interface KeyBinding {
  findings: Finding[];
  view: SdJwtSection['keyBinding'];
  /** When the KB-JWT's freshness next changes, in epoch ms. */
  recheckAtMs: number | null;
}

function invalid(where: string, message: string, severity: Finding['severity'] = 'high'): Finding {
  return { code: 'KEY_BINDING_INVALID', severity, where, message, blocking: true };
}

const ABSENT: SdJwtSection['keyBinding'] = { status: 'absent', header: null, claims: [], key: null };

/** The holder's key as the issuer named it: a key to check with, a reason it cannot be, or a refusal. */
function holderKey(claims: Record<string, unknown>): { key: CandidateKey } | { unchecked: string } | { refused: Finding } {
  const cnf = claims.cnf;
  if (!isJsonObject(cnf)) return { refused: invalid('payload.cnf', 'The presentation carries a Key Binding JWT, but the issuer-signed JWT names no holder key ("cnf"): nothing says whose key may sign it, so a verifier rejects it.') };
  if (Object.hasOwn(cnf, 'jwk') && !isJsonObject(cnf.jwk)) {
    return { refused: invalid('payload.cnf.jwk', '"cnf"."jwk" must be a JWK, a JSON object (RFC 7800 §3.2), and this one is not: no holder key can be read from it, so a verifier rejects the key binding.') };
  }
  if (!isJsonObject(cnf.jwk)) {
    const named = Object.keys(cnf).slice(0, 3).map((m) => quoted(m, 20)).join(', ');
    return { unchecked: `The issuer names the holder's key by ${named || 'nothing'} in "cnf", not by "jwk": CredOps cannot find that key offline, so the key binding is not checked.` };
  }
  const exposed = PRIVATE_JWK_MEMBERS.filter((m) => Object.hasOwn(cnf.jwk as object, m));
  if (exposed.length > 0) {
    return { refused: invalid('payload.cnf.jwk', `The issuer-signed JWT carries the holder's private key (${exposed.map((m) => `"${m}"`).join(', ')}) in "cnf"."jwk": anyone who saw the credential can present it as the holder. Revoke the credential and have it issued again to a new key.`, 'critical') };
  }
  try {
    return { key: fromJwk(cnf.jwk as JWK, 'the holder key the issuer named in "cnf"."jwk"') };
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    return { refused: invalid('payload.cnf.jwk', `${error.message.replace(/\.$/, '')}, so the key binding cannot be checked. A verifier rejects it.`) };
  }
}

/** A critical extension a verifier must understand: none is defined for a KB-JWT, so any refuses it (RFC 7515 §4.1.11). */
function headerRuleFindings(header: Record<string, unknown>): Finding[] {
  if (!Object.hasOwn(header, 'crit')) return [];
  return [{ code: 'CRIT_UNSUPPORTED', severity: 'high', where: 'kb.crit', message: `The Key Binding JWT marks ${quoted(JSON.stringify(header.crit), 60)} critical: extensions CredOps and verifiers do not know, so it must be rejected (RFC 7515 §4.1.11).`, blocking: true }];
}

/** "aud" as RFC 7519 has it: a string or an array of strings. */
function audiencesOf(aud: unknown): string[] | null {
  if (typeof aud === 'string') return [aud];
  return Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string') ? aud : null;
}

/** "iat", "nonce", "aud" and "sd_hash", each as a verifier needs it. */
function claimFindings(claims: Record<string, unknown>, input: KeyBindingInput): Finding[] {
  const findings: Finding[] = [];
  for (const [name, type] of [['iat', 'number'], ['nonce', 'string'], ['sd_hash', 'string']] as const) {
    if (typeof claims[name] !== type) findings.push(invalid(`kb.${name}`, `A Key Binding JWT must carry "${name}" (a ${type}), and this one ${Object.hasOwn(claims, name) ? 'has one of another type' : 'has none'}. A verifier rejects it.`));
  }
  const presentedTo = audiencesOf(claims.aud);
  if (!presentedTo) findings.push(invalid('kb.aud', `A Key Binding JWT must name the verifier it is for in "aud" (a string, or an array of strings), and this one ${Object.hasOwn(claims, 'aud') ? 'has one of another type' : 'has none'}. A verifier rejects it.`));
  if (typeof claims.sd_hash === 'string') {
    const expected = createHash(input.hash).update(input.hashed).digest('base64url');
    if (claims.sd_hash !== expected) {
      findings.push(invalid('kb.sd_hash', `"sd_hash" is not the ${input.hashAlg} of this presentation: the Key Binding JWT was made for other disclosures (some added, dropped or reordered since) or another credential. A verifier rejects it.`));
    }
  }
  const audiences = input.policy?.audiences ?? [];
  if (audiences.length > 0 && presentedTo && !presentedTo.some((a) => audiences.includes(a))) {
    findings.push({ code: 'AUDIENCE_MISMATCH', severity: 'high', where: 'kb.aud', message: `The holder presented it to ${presentedTo.slice(0, 3).map((a) => quoted(a)).join(', ')}, not to ${audiences.map((a) => quoted(a)).join(' or ')}: a presentation replayed from another verifier.`, blocking: true });
  }
  return findings;
}

/** A KB-JWT is a JWT in every other respect: an "exp" past or an "nbf" to come refuses it too. */
function lifetimeFindings(claims: Record<string, unknown>, tolerance: number, now: number): Finding[] {
  const findings: Finding[] = [];
  const { exp, nbf } = claims;
  if (Object.hasOwn(claims, 'exp') && (typeof exp !== 'number' || !Number.isFinite(exp))) findings.push(invalid('kb.exp', '"exp" is not a NumericDate. A verifier rejects it.'));
  else if (typeof exp === 'number' && exp + tolerance <= now) findings.push({ code: 'EXPIRED', severity: 'high', where: 'kb.exp', message: `The Key Binding JWT expired ${instant(exp, now)}, past the ${tolerance} s clock tolerance. A verifier rejects it.`, blocking: true });
  if (Object.hasOwn(claims, 'nbf') && (typeof nbf !== 'number' || !Number.isFinite(nbf))) findings.push(invalid('kb.nbf', '"nbf" is not a NumericDate. A verifier rejects it.'));
  else if (typeof nbf === 'number' && nbf - tolerance > now) findings.push({ code: 'NOT_YET_VALID', severity: 'high', where: 'kb.nbf', message: `The Key Binding JWT is not valid until ${instant(nbf, now)}, past the ${tolerance} s clock tolerance. A verifier rejects it.`, blocking: true });
  return findings;
}

/** A presentation is good for moments after its "iat", and never made in the future; nor is it past its "exp" or before its "nbf". */
function freshnessFindings(claims: Record<string, unknown>, policy: TokenPolicy | null, nowMs: number): Finding[] {
  const tolerance = policy?.clockToleranceSeconds ?? DEFAULT_TOLERANCE_S;
  const now = nowMs / 1000;
  return [...lifetimeFindings(claims, tolerance, now), ...iatFindings(claims.iat, tolerance, now)];
}

function iatFindings(iat: unknown, tolerance: number, now: number): Finding[] {
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return [];
  if (iat > now + tolerance) return [{ code: 'ISSUED_IN_FUTURE', severity: 'high', where: 'kb.iat', message: `The holder dated the presentation ${instant(iat, now)}, past the ${tolerance} s clock tolerance: a wrong clock, or one made to be replayed later. A verifier rejects it.`, blocking: true }];
  const window = `${span(KB_WINDOW_S)} after its "iat"`;
  if (iat + KB_WINDOW_S + tolerance <= now) {
    return [{ code: 'EXPIRED', severity: 'high', where: 'kb.iat', message: `The holder presented it ${instant(iat, now)}: a verifier takes a presentation for moments, and CredOps allows ${window} and the ${tolerance} s clock tolerance. Replayed now, it is refused.`, blocking: true }];
  }
  if (iat + KB_WINDOW_S <= now) return [{ code: 'WITHIN_CLOCK_TOLERANCE', severity: 'info', where: 'kb.iat', message: `Presented ${instant(iat, now)}, more than ${window}: taken only within the ${tolerance} s clock tolerance.`, blocking: false }];
  return [];
}

/** When the KB-JWT's verdict next changes by the clock: its "iat" window, its "exp", its "nbf". */
function recheckAt(claims: Record<string, unknown>, policy: TokenPolicy | null, nowMs: number): number | null {
  const tolerance = policy?.clockToleranceSeconds ?? DEFAULT_TOLERANCE_S;
  const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  const { iat, exp, nbf } = claims;
  const at = [...(finite(iat) ? [iat - tolerance, iat + KB_WINDOW_S, iat + KB_WINDOW_S + tolerance] : []), ...(finite(exp) ? [exp + tolerance] : []), ...(finite(nbf) ? [nbf - tolerance] : [])];
  // Past what a Date holds, no clock reaches it.
  const next = at.filter((s) => Math.abs(s) < LAST_DATE_SECONDS).map((s) => s * 1000).filter((ms) => ms > nowMs);
  return next.length > 0 ? Math.min(...next) : null;
}

/**
 * The Key Binding JWT checked: its shape and "typ", its signature by the holder key "cnf" names,
 * "sd_hash" against this very presentation, and its age. Without one, a credential bound to a key
 * is said to be presentable by whoever copies it.
 */
export function checkKeyBinding(input: KeyBindingInput): KeyBinding {
  if (input.jwt === null) {
    if (!Object.hasOwn(input.claims, 'cnf')) return { findings: [], view: ABSENT, recheckAtMs: null };
    const message = 'The issuer bound the credential to the holder\'s key ("cnf"), but this presentation carries no Key Binding JWT: whoever copies it can present it. A verifier that requires key binding refuses it.';
    return { findings: [{ code: 'KEY_BINDING_MISSING', severity: 'medium', where: 'payload.cnf', message, blocking: false }], view: ABSENT, recheckAtMs: null };
  }
  const refused = (finding: Finding, view: Partial<SdJwtSection['keyBinding']> = {}): KeyBinding => ({ findings: [finding], view: { ...ABSENT, ...view, status: 'invalid' }, recheckAtMs: null });
  if (input.jwt.length > MAX_KB_JWT_CHARS) return refused(invalid('kb', `The Key Binding JWT is ${Math.round(input.jwt.length / 1024)} KB; a real one is a few hundred bytes, so CredOps does not decode it. A verifier rejects it.`));
  if (!COMPACT_JWS.test(input.jwt)) return refused(invalid('kb', 'What follows the last "~" is no compact JWS (3 parts): a disclosure without the "~" that ends it, or a Key Binding JWT cut in copying. A verifier rejects it; copy the SD-JWT again whole.'));
  const [headerPart, payloadPart, signaturePart] = input.jwt.split('.');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  let signature: Buffer;
  try {
    header = decodeJsonObject(decodeBase64url(headerPart, 'Key Binding JWT\'s header', true), 'Key Binding JWT\'s header');
    claims = decodeJsonObject(decodeBase64url(payloadPart, 'Key Binding JWT\'s payload', true), 'Key Binding JWT\'s payload');
    signature = decodeBase64url(signaturePart, 'Key Binding JWT\'s signature', true);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return refused(invalid('kb', `${error.message} A verifier rejects it.`));
  }
  const shown = { header: JSON.stringify(header, null, 2), claims: claimsForScreen(claims).claims };
  const findings: Finding[] = [];
  if (typeof header.typ !== 'string' || normaliseTyp(header.typ) !== 'kb+jwt') {
    findings.push(invalid('kb.typ', `A Key Binding JWT's "typ" is "kb+jwt", and this one's is ${typeof header.typ === 'string' ? quoted(header.typ, 40) : 'missing'}: another JWT passed off as one. A verifier rejects it.`));
  }
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const type = keyTypeFor(alg);
  let signed: 'verified' | 'unchecked' | 'refused' = 'refused';
  let described: string | null = null;
  if (alg.toLowerCase() === 'none' || signature.length === 0) findings.push(invalid('kb.alg', 'The Key Binding JWT is unsigned: it proves nothing about who presents the credential. A verifier rejects it.', 'critical'));
  else if (type === 'secret') findings.push(invalid('kb.alg', `A Key Binding JWT is signed with the holder's private key, and ${quoted(alg, 20)} uses a shared secret, which proves nothing about the holder. A verifier rejects it.`, 'critical'));
  else if (type === null && !isRegisteredJwsAlg(alg)) findings.push(invalid('kb.alg', `The Key Binding JWT's "alg" is ${quoted(alg, 20)}, which is no registered JWS algorithm (names are exact and case-sensitive): a verifier rejects it.`));
  else if (type === null) {
    signed = 'unchecked';
    findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'kb.alg', message: `CredOps cannot check ${alg ? quoted(alg, 20) : 'unnamed'} signatures, so the key binding is not checked.`, blocking: false });
  } else {
    const holder = holderKey(input.claims);
    if ('refused' in holder) findings.push(holder.refused);
    else if ('unchecked' in holder) {
      signed = 'unchecked';
      findings.push({ code: 'NOT_VERIFIED', severity: 'medium', where: 'kb.signature', message: holder.unchecked, blocking: false });
    } else {
      described = holder.key.description;
      const checked = checkSignature(alg, `${headerPart}.${payloadPart}`, signature, holder.key.key);
      const { flaw } = holder.key;
      if (checked === 'verified' && flaw) findings.push({ code: flaw.code, severity: flaw.severity, where: 'payload.cnf.jwk', message: flaw.message('holder'), blocking: flaw.blocking });
      if (checked === 'verified') signed = 'verified';
      else if (checked === 'incompatible-key') findings.push(invalid('kb.alg', `The Key Binding JWT says ${alg}, which the holder key the issuer named cannot make. A verifier rejects it.`));
      else findings.push(invalid('kb.signature', 'The Key Binding JWT\'s signature does not verify with the holder key the issuer named: someone other than the holder presented this credential. A verifier rejects it.', 'critical'));
    }
  }
  // The policy's algorithms are the issuer's: a wallet's key binding algorithms are listed apart (OpenID4VP's kb-jwt_alg_values).
  findings.push(...headerRuleFindings(header), ...claimFindings(claims, input), ...freshnessFindings(claims, input.policy, input.nowMs));
  const status = findings.some((f) => f.blocking) ? 'invalid' : signed === 'verified' ? 'verified' : 'unchecked';
  return { findings, view: { status, ...shown, key: described }, recheckAtMs: recheckAt(claims, input.policy, input.nowMs) };
}
