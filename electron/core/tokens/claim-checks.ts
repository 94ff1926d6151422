/**
 * The claims as business rules: time (exp, nbf, iat against the clock with the policy's
 * tolerance), lifetime, and the policy's issuer, audiences, required claims, equalities and scopes.
 */
import { canonicalJson } from '../../../shared/canonical-json';
import { LAST_DATE_SECONDS } from '../../../shared/claim-meanings';
import { span } from '../../../shared/spans';
import type { Inspection, TokenPolicy } from '../../../shared/tokens';
import { LOGOUT_EVENT } from './claims';
import { quoted, type Finding } from './header-checks';

export const DEFAULT_TOLERANCE_S = 60;
/**
 * Year 33658 in seconds, 2001 in milliseconds: a NumericDate past it was written in milliseconds.
 * Far-future "never expires" values (253402300799, the last second of 9999) stay below it.
 */
const MILLISECONDS_FROM = 1e12;

/** The date a NumericDate meant if its issuer wrote milliseconds, when it looks so. */
function inMilliseconds(seconds: number): string | null {
  return seconds >= MILLISECONDS_FROM && seconds < LAST_DATE_SECONDS * 1000 ? stamp(seconds / 1000) : null;
}

/** A NumericDate as `2026-01-15 12:00:00 UTC`, or in seconds when no calendar holds it. */
function stamp(seconds: number): string {
  if (Math.abs(seconds) >= LAST_DATE_SECONDS) return `${Math.abs(seconds)} s ${seconds < 0 ? 'before' : 'after'} 1970, beyond any calendar`;
  return `${new Date(seconds * 1000).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, '')} UTC`;
}

/**
 * A NumericDate with how far it lay from the clock when checked: a finding is read later than it
 * is made (a report, a screen left open), so "3 h ago" alone would lie.
 */
export function instant(seconds: number, now: number): string {
  const distance = Math.abs(seconds - now) < 1 ? 'under a second' : span(seconds - now);
  return `${stamp(seconds)}, ${distance} ${seconds <= now ? 'before' : 'after'} this check`;
}

const has = (claims: Record<string, unknown>, name: string) => Object.hasOwn(claims, name);

function numericDate(claims: Record<string, unknown>, name: string, findings: Finding[]): number | null {
  if (!has(claims, name)) return null;
  const value = claims[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    findings.push({ code: 'MALFORMED', severity: 'high', where: `payload.${name}`, message: `"${name}" is not a number of seconds since 1970 (RFC 7519 NumericDate), so its time cannot be checked. Reject it.`, blocking: true });
    return null;
  }
  return value;
}

/** Where a time claim's check flips, in epoch ms: the claim shifted by the tolerance (+1, 0 or −1 times it). */
function boundaryMs(seconds: number, shift: 1 | 0 | -1, tolerance: number): number {
  return (seconds + shift * tolerance) * 1000;
}

/** `maker`: who made the token, whose clock and code the findings blame (a DPoP proof's is the client). */
export function timeFindings(claims: Record<string, unknown>, policy: TokenPolicy | null, nowMs: number, maker: 'issuer' | 'client' = 'issuer'): Finding[] {
  const findings: Finding[] = [];
  const now = nowMs / 1000;
  const tolerance = policy?.clockToleranceSeconds ?? DEFAULT_TOLERANCE_S;
  const exp = numericDate(claims, 'exp', findings);
  const nbf = numericDate(claims, 'nbf', findings);
  const iat = numericDate(claims, 'iat', findings);
  // Compared in ms through boundaryMs, exactly as recheckAtMs schedules them.
  if (exp !== null && boundaryMs(exp, 1, tolerance) <= nowMs) {
    findings.push({ code: 'EXPIRED', severity: 'high', where: 'payload.exp', message: `Expired at ${instant(exp, now)}. A server that still accepts it is not checking "exp".`, blocking: true });
  } else if (exp !== null && boundaryMs(exp, 0, tolerance) <= nowMs) {
    findings.push({ code: 'WITHIN_CLOCK_TOLERANCE', severity: 'info', where: 'payload.exp', message: `Past its expiry (${instant(exp, now)}), accepted only within the ${tolerance} s clock tolerance: invalid from ${stamp(exp + tolerance)}.`, blocking: false });
  }
  if (nbf !== null && boundaryMs(nbf, -1, tolerance) > nowMs) {
    findings.push({ code: 'NOT_YET_VALID', severity: 'high', where: 'payload.nbf', message: `Not valid before ${instant(nbf, now)} ("nbf").`, blocking: true });
  } else if (nbf !== null && boundaryMs(nbf, 0, tolerance) > nowMs) {
    findings.push({ code: 'WITHIN_CLOCK_TOLERANCE', severity: 'info', where: 'payload.nbf', message: `Not valid before ${instant(nbf, now)} ("nbf"), accepted now only within the ${tolerance} s clock tolerance: the ${maker}'s clock runs ahead of this one.`, blocking: false });
  }
  if (iat !== null && boundaryMs(iat, -1, tolerance) > nowMs) {
    const meant = inMilliseconds(iat);
    const why = meant ? `written in milliseconds, not seconds (meant ${meant}): the ${maker}'s code has a unit error` : `the ${maker}'s clock is wrong, this machine's is behind, or the token was made by hand`;
    findings.push({ code: 'ISSUED_IN_FUTURE', severity: 'high', where: 'payload.iat', message: `Issued at ${instant(iat, now)}, in the future: ${why}.`, blocking: true });
  } else if (iat !== null && boundaryMs(iat, 0, tolerance) > nowMs) {
    findings.push({ code: 'WITHIN_CLOCK_TOLERANCE', severity: 'info', where: 'payload.iat', message: `Issued at ${instant(iat, now)}, in the future, accepted only within the ${tolerance} s clock tolerance: the ${maker}'s clock runs ahead of this one.`, blocking: false });
  }
  const expMeant = exp !== null ? inMilliseconds(exp) : null;
  if (expMeant) {
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'payload.exp', message: `"exp" is ${exp}, written in milliseconds, not seconds (meant ${expMeant}): read as RFC 7519 says, it expires millennia from now, so if it leaks it works until the key changes. Fix the ${maker}.`, blocking: false });
  }
  // No instant satisfies nbf <= now < exp when nbf is not before exp, whatever the clock's skew.
  if (exp !== null && nbf !== null && nbf >= exp) {
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'payload.nbf', message: `Valid at no instant: not before ${stamp(nbf)}, yet expired at ${stamp(exp)} (RFC 7519 §4.1.4, §4.1.5). Reject it.`, blocking: true });
  }
  if (exp !== null && iat !== null && iat > exp) {
    findings.push({ code: 'MALFORMED', severity: 'high', where: 'payload.iat', message: `Issued at ${stamp(iat)}, after it expired at ${stamp(exp)}: no ${maker} makes that. Reject it.`, blocking: true });
  }
  if (exp === null && !has(claims, 'exp')) {
    findings.push({ code: 'EXP_MISSING', severity: 'medium', where: 'payload.exp', message: 'No expiry ("exp"): if it leaks it works until the key changes. Issue tokens with an expiry.', blocking: false });
  }
  if (policy?.maxLifetimeSeconds && exp !== null && !has(claims, 'iat') && !has(claims, 'nbf')) {
    // Measured from now, the lifetime would shrink under the maximum as the screen waited.
    findings.push({ code: 'CLAIM_MISSING', severity: 'medium', where: 'payload.iat', message: `The policy limits a token's life to ${span(policy.maxLifetimeSeconds)}, but there is no "iat" (or "nbf") to measure it from. Reject it, or take the limit out of the policy.`, blocking: true });
  } else if (policy?.maxLifetimeSeconds && exp !== null && (iat ?? nbf) !== null) {
    const lifetime = exp - (iat ?? nbf)!;
    if (lifetime > policy.maxLifetimeSeconds) {
      // Rounded, 3601 s and 3600 s both read "60 min": then say the seconds.
      const [lives, allowed] = span(lifetime) === span(policy.maxLifetimeSeconds) ? [`${lifetime} s`, `${policy.maxLifetimeSeconds} s`] : [span(lifetime), span(policy.maxLifetimeSeconds)];
      findings.push({ code: 'LIFETIME_TOO_LONG', severity: 'medium', where: 'payload.exp', message: `Lives ${lives}, longer than the policy's ${allowed}.`, blocking: true });
    }
  } else if (policy?.maxLifetimeSeconds && !has(claims, 'exp')) {
    findings.push({ code: 'LIFETIME_TOO_LONG', severity: 'high', where: 'payload.exp', message: 'No expiry, so its lifetime is unlimited; the policy allows a bounded one.', blocking: true });
  }
  return findings;
}

/**
 * Past exp, first within the tolerance, then expired from exp + tolerance on; not yet valid, or
 * issued in the future, until nbf or iat − tolerance, then within the tolerance until nbf or iat.
 */
const BOUNDARIES = [['exp', 0], ['exp', 1], ['nbf', -1], ['nbf', 0], ['iat', -1], ['iat', 0]] as const;

/**
 * The next instant the clock alone changes what timeFindings says (exp, nbf or iat crossing the
 * tolerance), in epoch ms; null when none lies ahead. Claims that are not numbers never change.
 */
export function recheckAtMs(claims: Record<string, unknown>, policy: TokenPolicy | null, nowMs: number): number | null {
  const tolerance = policy?.clockToleranceSeconds ?? DEFAULT_TOLERANCE_S;
  let next = Number.POSITIVE_INFINITY;
  for (const [name, shift] of BOUNDARIES) {
    const value = has(claims, name) ? claims[name] : null;
    if (typeof value !== 'number') continue;
    const at = boundaryMs(value, shift, tolerance);
    if (at > nowMs && at < next) next = at;
  }
  // Past what a Date holds, no screen can show or wait for it.
  return next < LAST_DATE_SECONDS * 1000 ? next : null;
}

function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === 'string') return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === 'string');
  return [];
}

/** Both spellings, as issuers differ: `scope` (RFC 8693, a space-separated string) and `scp` (often an array). */
function scopes(claims: Record<string, unknown>): string[] {
  const granted: string[] = [];
  for (const value of [claims.scope, claims.scp]) {
    if (typeof value === 'string') granted.push(...value.split(' ').filter(Boolean));
    else if (Array.isArray(value)) granted.push(...value.filter((s): s is string => typeof s === 'string'));
  }
  return granted;
}

/**
 * Whether a claim equals the policy's value as typed: a string claim is compared with the text
 * (quotes optional: `tenant_id = 123` is met by "123", as a responder means it), anything else
 * with the text read as JSON, objects regardless of member order. Numbers past 2^53 cannot be
 * compared exactly once parsed, so they never count as equal.
 */
export function claimEquals(claim: unknown, text: string, canonicalClaim: () => string | null = () => canonicalJson(claim)): boolean {
  const typed = text.trim();
  if (typeof claim === 'string') {
    if (typed.startsWith('"')) {
      try {
        return JSON.parse(typed) === claim;
      } catch {
        return false;
      }
    }
    return typed === claim;
  }
  let expected: unknown;
  try {
    expected = JSON.parse(typed);
  } catch {
    return false;
  }
  const [have, want] = [canonicalClaim(), canonicalJson(expected)];
  return have !== null && want !== null && have === want;
}

const INTEGER = /^-?\d{1,400}$/;

/**
 * A claim JSON.parse changed (an integer past 2^53), compared as the issuer wrote it: an integer
 * exactly, by its digits; a value holding one deeper never equals, as before.
 */
function writtenEquals(written: string, text: string): boolean {
  const typed = text.trim();
  return INTEGER.test(written) && INTEGER.test(typed) && BigInt(written) === BigInt(typed);
}

/** `exact`: claims whose numbers parsing changed, as written (see exactClaimTexts). */
export function policyFindings(claims: Record<string, unknown>, policy: TokenPolicy | null, exact: Map<string, string> | null = null): Finding[] {
  if (!policy) return [];
  const findings: Finding[] = [];
  if (policy.issuer !== null && claims.iss !== policy.issuer) {
    findings.push({ code: 'ISSUER_MISMATCH', severity: 'high', where: 'payload.iss', message: `Issued by ${typeof claims.iss === 'string' ? quoted(claims.iss) : has(claims, 'iss') ? `an "iss" that is not a string (${quoted(JSON.stringify(claims.iss), 60)})` : 'nobody named'}, not ${quoted(policy.issuer)}. A token from another issuer must not be accepted here.`, blocking: true });
  }
  if (policy.audiences.length > 0) {
    const aud = audiences(claims);
    if (!aud.some((a) => policy.audiences.includes(a))) {
      findings.push({ code: 'AUDIENCE_MISMATCH', severity: 'high', where: 'payload.aud', message: `Meant for ${aud.length ? `${aud.slice(0, 5).map((a) => quoted(a)).join(', ')}${aud.length > 5 ? ` and ${aud.length - 5} more` : ''}` : 'no audience'}, not for ${policy.audiences.map((a) => `"${a}"`).join(' or ')}: a token for another service replayed here.`, blocking: true });
    }
  }
  for (const name of policy.requiredClaims) {
    if (!has(claims, name)) findings.push({ code: 'CLAIM_MISSING', severity: 'high', where: `payload.${name}`, message: `The policy requires "${name}", and the token has none.`, blocking: true });
  }
  // Several rules on one large claim canonicalise it once (50 rules on a 60,000-element array took a second).
  const canonical = new Map<string, string | null>();
  const canonicalOf = (claim: string) => () => {
    if (!canonical.has(claim)) canonical.set(claim, canonicalJson(claims[claim]));
    return canonical.get(claim)!;
  };
  for (const { claim, value } of policy.claimEquals) {
    if (!has(claims, claim)) {
      findings.push({ code: 'CLAIM_MISSING', severity: 'high', where: `payload.${claim}`, message: `The policy requires "${claim}" to be ${value}, and the token has no "${claim}".`, blocking: true });
    } else if (exact?.has(claim) ? !writtenEquals(exact.get(claim)!, value) : !claimEquals(claims[claim], value, canonicalOf(claim))) {
      const shown = exact?.get(claim) ?? JSON.stringify(claims[claim]);
      findings.push({ code: 'CLAIM_MISMATCH', severity: 'high', where: `payload.${claim}`, message: `"${claim}" is ${shown.length > 200 ? `${shown.slice(0, 200)}…` : shown}, not ${value}: a token for another tenant or principal.`, blocking: true });
    }
  }
  if (policy.requiredScopes.length > 0) {
    const granted = scopes(claims);
    const missing = policy.requiredScopes.filter((s) => !granted.includes(s));
    if (missing.length > 0) findings.push({ code: 'SCOPE_MISSING', severity: 'high', where: 'payload.scope', message: `Lacks the scopes the policy requires: ${missing.join(', ')}.`, blocking: true });
  }
  return findings;
}

/** A Key Binding JWT is taken for minutes, and only with its presentation: no "exp" is its design, and alone it proves nothing. */
function keyBindingAloneFindings(findings: Finding[]): Finding[] {
  const alone: Finding = {
    code: 'KEY_BINDING_ALONE',
    severity: 'info',
    where: null,
    message: 'A Key Binding JWT ("kb+jwt"): it shows the holder of an SD-JWT presented it, and means that only with the presentation it was made for ("sd_hash"). Paste the whole SD-JWT (issuer-signed JWT, disclosures and this, joined by "~") to check it.',
    blocking: false,
  };
  return [...findings.filter((f) => f.code !== 'EXP_MISSING'), alone];
}

/**
 * The party an ID token was issued to (OIDC Core §2, §3.1.3.7): with several audiences, "azp" says
 * which client it is for, and a client takes only one whose azp is its own client id. The policy's
 * audiences are the client ids this relying party answers to.
 */
function idTokenFindings(claims: Record<string, unknown>, policy: TokenPolicy | null): Finding[] {
  const azp = claims.azp;
  if (!has(claims, 'azp')) {
    if (!Array.isArray(claims.aud) || audiences(claims).length < 2) return [];
    return [{ code: 'CLAIM_MISSING', severity: 'medium', where: 'payload.azp', message: `An ID token for ${audiences(claims).length} audiences with no "azp" to say which client it was issued to (OIDC Core §3.1.3.7): any of them could present it as its own. Ask the issuer to send "azp", or accept only ID tokens with one audience.`, blocking: false }];
  }
  if (typeof azp !== 'string') return [{ code: 'MALFORMED', severity: 'medium', where: 'payload.azp', message: `"azp" must be a client id (a string), not ${quoted(JSON.stringify(azp), 60)}.`, blocking: false }];
  if (policy && policy.audiences.length > 0 && !policy.audiences.includes(azp)) {
    return [{ code: 'AUDIENCE_MISMATCH', severity: 'high', where: 'payload.azp', message: `Issued to the client ${quoted(azp)} ("azp"), not to ${policy.audiences.map((a) => quoted(a)).join(' or ')}: an ID token another client obtained, replayed here. Reject it.`, blocking: true }];
  }
  return [];
}

/**
 * What a token's kind demands beyond the general checks. An ID token's azp names the client it was
 * issued to. A logout token must name whom it logs out and carry the logout event, and never a
 * nonce, which would let an ID token pass for one (OIDC Back-Channel Logout 1.0 §2.4, §2.6). A DPoP
 * proof's rules are dpop.ts's.
 */
export function kindFindings(kind: Inspection['kind'], claims: Record<string, unknown>, findings: Finding[], policy: TokenPolicy | null): Finding[] {
  if (kind === 'kb_jwt') return keyBindingAloneFindings(findings);
  if (kind === 'id_token') {
    const extra = idTokenFindings(claims, policy);
    return extra.length > 0 ? [...findings, ...extra] : findings;
  }
  if (kind !== 'logout_token') return findings;
  const extra: Finding[] = [];
  const events = claims.events;
  if (typeof events !== 'object' || events === null || Array.isArray(events) || !Object.hasOwn(events, LOGOUT_EVENT)) {
    extra.push({ code: 'CLAIM_MISSING', severity: 'high', where: 'payload.events', message: `A logout token must carry "events" with the member "${LOGOUT_EVENT}" (Back-Channel Logout §2.4). Reject it.`, blocking: true });
  }
  if (!has(claims, 'sub') && !has(claims, 'sid')) {
    extra.push({ code: 'CLAIM_MISSING', severity: 'high', where: 'payload.sid', message: 'A logout token must name the session ("sid") or the user ("sub") it ends (Back-Channel Logout §2.4). Reject it.', blocking: true });
  }
  if (has(claims, 'nonce')) {
    extra.push({ code: 'MALFORMED', severity: 'high', where: 'payload.nonce', message: 'A logout token must not carry "nonce" (Back-Channel Logout §2.4, §2.6): one that does may be an ID token passed off as a logout token. Reject it.', blocking: true });
  }
  return [...findings, ...extra];
}
