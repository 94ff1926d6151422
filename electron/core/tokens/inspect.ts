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
import { pasteTokenLabel, severityRank, type InspectRequest, type Inspection, type TokenPolicy } from '../../../shared/tokens';
import { claimsForScreen, exactClaimTexts, impreciseNumberFindings, tokenKind } from './claims';
import { kindFindings, policyFindings, recheckAtMs, timeFindings } from './claim-checks';
import { proofFindings, proofRecheckAtMs, verifyProof, type ProofResult } from './dpop';
import { DecodeError, decodeBase64url, decodeJsonObject, decodeUtf8, mayBeJoseHeader, parseJsonObject } from './decode';
import { headerFindings, quoted, type Finding } from './header-checks';
import { inspectJwe } from './jwe';
import { isCompactToken, joseHeaderOf, type BrokenToken } from './find-in-paste';
import { BARE, countParts, normalizeToken, readPaste, type Normalized } from './normalize';
import { classifyOpaqueToken, classifyTokenFormat } from '../secrets/opaque-formats';
import { checkKeyBinding, type KeyBinding } from './key-binding';
import { isSelectivelyDisclosable, revealDisclosures, sdContentFindings, splitSdJwt, type Revealed, type SdJwtParts } from './sd-jwt';
import { findSensitiveData } from './sensitive-data';
import { verifySignature } from './verify-signature';

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
export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const MAX_HEADER_CHARS = 64 * 1024;
/** Something that may be a bearer token or API key, rather than garbage. */
const TOKENISH = /^[A-Za-z0-9._~+/=:-]{16,4096}$/;

function answer(partial: Partial<Answer> & Pick<Answer, 'verdict' | 'summary' | 'kind'>): Answer {
  return { header: null, claims: [], moreClaims: 0, claimsRead: false, signature: { alg: null, verified: null, key: null }, opaque: null, findings: [], recheckAtMs: null, inPaste: null, sdJwt: null, ...partial };
}

function strip(findings: Finding[]): Answer['findings'] {
  return findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).map(({ blocking: _blocking, ...finding }) => finding);
}

/** What a JWT cut at the front when copied lacks: what put back before it makes its first part a JOSE header again. */
function lostHead(token: string): string | null {
  const first = token.indexOf('.');
  // Only the first part is decoded, so an 8 MB paste costs no more than a token.
  if (first === -1 || first > MAX_HEADER_CHARS || !BARE.test(token) || ![3, 5].includes(countParts(token, 6))) return null;
  return ['e', 'ey', 'eyJ'].find((head) => joseHeaderOf(head + token.slice(0, first)) !== null) ?? null;
}

function notAToken(token: string, reason: string): Answer {
  const credential = classifyOpaqueToken(token);
  const match = credential ?? classifyTokenFormat(token);
  if (match) {
    const opaque = match.token;
    // A key file is not valid or invalid: whoever holds it can use it.
    const summary =
      match.example ? `${opaque.provider}: ${opaque.format}, but this one is the example printed in ${opaque.provider}'s documentation, not anyone's credential.`
      : !credential ? `${opaque.provider}: ${opaque.format}. Not a JWT, and a format CredOps does not verify: the finding says who can.`
      : match.keyFile === 'plain' ? `${opaque.provider}: ${opaque.format}. A key, not a token: whoever holds it can use it until it is rotated.`
      : match.keyFile === 'protected' ? `${opaque.provider}: ${opaque.format}. A key, not a token: whoever holds it can try passphrases offline until it is rotated.`
      : `${opaque.provider}: ${opaque.format}. It is not a JWT, so only its issuer can say whether it is valid.`;
    return answer({ verdict: 'opaque', kind: 'opaque', summary, opaque, findings: [{ code: 'OPAQUE_TOKEN', severity: match.severity, where: null, message: opaque.advice }] });
  }
  const lost = lostHead(token);
  if (lost) {
    const message = `Put back "${lost}" before it, and its first part is a JOSE header: the token was cut at the front when it was copied. Copy it again whole.`;
    return answer({ verdict: 'unparseable', kind: 'unknown', summary: `A JWT missing its first ${lost.length === 1 ? 'character' : `${lost.length} characters`}: copy it again whole.`, findings: [{ code: 'MALFORMED', severity: 'info', where: 'header', message }] });
  }
  // Dots alone do not make a JWT (a Discord token has three parts): a first part that may be a
  // JOSE header does, and is then a broken JWT, with the reason. So does a dotted token with other
  // characters than base64url's, which lenient decoders skip or a label left on it brought.
  if (TOKENISH.test(token) && (!token.includes('.') || BARE.test(token)) && !mayBeJoseHeader(token.split('.', 1)[0])) {
    const dotted = token.includes('.') ? ' Its parts are separated by dots, but the first is no JOSE header.' : '';
    const unknown = { format: 'unrecognised opaque token', provider: 'unknown', advice: `Not a JWT and not a format CredOps knows.${dotted} Ask its issuer (introspection, RFC 7662) whether it is active.` };
    return answer({ verdict: 'opaque', kind: 'opaque', summary: 'An opaque token of no format CredOps knows: only its issuer can say whether it is valid.', opaque: unknown, findings: [{ code: 'OPAQUE_TOKEN', severity: 'info', where: null, message: unknown.advice }] });
  }
  return answer({ verdict: 'unparseable', kind: 'unknown', summary: `Not a token CredOps can read: ${reason}`, findings: [{ code: 'MALFORMED', severity: 'info', where: null, message: reason }] });
}

/** `encrypted`: the claims came out of a JWE, so only holders of its key read them. */
export function contentFindings(claims: Record<string, unknown>, encrypted = false): Finding[] {
  return findSensitiveData(claims)
    .slice(0, 10)
    .map(({ path, kind }) => ({
      code: 'SENSITIVE_DATA' as const,
      severity: encrypted ? ('low' as const) : ('medium' as const),
      where: path,
      message: encrypted
        ? `Holds ${SENSITIVE_WORDS[kind]}. The token is encrypted, so only holders of the decryption key read it; every service that decrypts it does.`
        : `Holds ${SENSITIVE_WORDS[kind]}, readable by anyone who sees the token (JWS is signed, not encrypted). Keep personal data out of tokens, or encrypt them.`,
      blocking: false,
    }));
}

const NESTED_ADVICE: Partial<Record<Answer['kind'], string>> = {
  jwe: 'It is encrypted: inspect it on its own with its decryption key.',
  dpop_proof: "It is a DPoP proof, checked with the key it carries: inspect it on its own with the client's key to know whose it is.",
};

/**
 * What the token inside contributes: its findings, shown as the inner token's, and a blocking
 * finding when it is invalid (an unsecured or expired token inside a valid envelope is not valid).
 */
export function nestedFindings(nested: Answer): Finding[] {
  const inner = nested.findings.map((f) => ({ ...f, where: f.where ? `inner ${f.where}` : 'inner token', blocking: false }));
  const note: Finding =
    nested.verdict === 'invalid'
      ? { code: 'NESTED_TOKEN', severity: 'high', where: 'payload', message: `The token inside is invalid: ${nested.summary.replace(/^Invalid: /, '')}`, blocking: true }
      : {
          code: 'NESTED_TOKEN',
          severity: 'info',
          where: 'payload',
          message: `The payload is itself a token (${nested.kind})${nested.claims.length > 0 ? '; its claims are shown' : ''}. ${NESTED_ADVICE[nested.kind] ?? "Its own signature is checked only with its issuer's key: inspect it on its own."}`,
          blocking: false,
        };
  return [note, ...inner];
}

/** An envelope is no more trustworthy than what it carries: valid outside, unchecked inside, is unverifiable. */
export function capByNested(verdict: Pick<Answer, 'verdict' | 'summary'>, nested: Answer | null): Pick<Answer, 'verdict' | 'summary'> {
  if (!nested || verdict.verdict !== 'valid' || nested.verdict === 'valid') return verdict;
  return { verdict: 'unverifiable', summary: `The outer signature verifies, but the token inside is ${nested.verdict}: ${nested.summary}` };
}

/** Valid, but not clean: a small RSA key, a jku, a suspicious kid must not hide behind "every check passes". */
export function validSummary(findings: Finding[], lead: string): string {
  const serious = findings.filter((f) => f.severity === 'critical' || f.severity === 'high').length;
  // An hour past exp under an hour's tolerance passes, but a responder must not read it as fresh.
  if (serious === 0 && findings.some((f) => f.code === 'WITHIN_CLOCK_TOLERANCE')) return `${lead}, and every check passes, but only within the clock tolerance (see the time findings).`;
  if (serious === 0) return `${lead}, and every check passes.`;
  return `${lead} and nothing blocks, but ${serious === 1 ? 'one high finding needs' : `${serious} high findings need`} attention.`;
}

function verdictOf(findings: Finding[], verified: boolean | null): Pick<Answer, 'verdict' | 'summary'> {
  const blocking = findings.filter((f) => f.blocking);
  if (blocking.length > 0) {
    const worst = strip([...blocking])[0];
    return { verdict: 'invalid', summary: `Invalid: ${worst.message}` };
  }
  if (verified === true) return { verdict: 'valid', summary: validSummary(findings, 'Valid: the signature verifies with the key given') };
  if (verified === false) return { verdict: 'invalid', summary: 'Invalid: the signature does not verify.' };
  return { verdict: 'unverifiable', summary: 'Decodes, but the signature was not checked: give the issuer\'s key to verify it.' };
}

/** A DPoP proof's verdict: its own key can refuse it, and only the client's key given makes it valid. */
function proofVerdictOf(findings: Finding[], signed: ProofResult): Pick<Answer, 'verdict' | 'summary'> {
  if (findings.some((f) => f.blocking) || signed.verified === false) return verdictOf(findings, signed.verified);
  if (signed.byGivenKey) return { verdict: 'valid', summary: validSummary(findings, 'Valid DPoP proof: signed by the key you gave, which it carries') };
  if (signed.verified === true) {
    return { verdict: 'unverifiable', summary: `A DPoP proof signed by ${signed.key}, which shows only that its sender holds that key. Give the client's public key to check the proof is theirs, or compare the thumbprint with the access token's "cnf"."jkt".` };
  }
  return { verdict: 'unverifiable', summary: 'A DPoP proof whose signature CredOps cannot check: see the findings.' };
}

const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

/** A compact JWS split and decoded, before its claims are read. */
interface DecodedJws {
  header: Record<string, unknown>;
  signingInput: string;
  payloadBytes: Buffer;
  payloadText: string;
  signature: Buffer;
}

/** A token inside the token inside: one level is read, and the rest is said rather than misread as bad JSON. */
function tooDeep(header: Record<string, unknown>): Answer {
  const message = 'Its payload is a token again (a token inside a token inside a token). CredOps reads one level deep: inspect the inner token on its own.';
  return answer({ verdict: 'unverifiable', kind: 'unknown', header: JSON.stringify(header, null, 2), summary: message, findings: [{ code: 'NESTED_TOKEN', severity: 'medium', where: 'payload', message }] });
}

/** An SD-JWT's payload is claims, where its disclosures' digests are: one that is a token carries nowhere for them to go. */
function tokenInSdJwt(header: Record<string, unknown>): Answer {
  const message = "It is pasted as an SD-JWT (with disclosures after \"~\"), but its payload is a token, not the JSON object of claims an SD-JWT's is: no disclosure can match what the issuer signed. A verifier rejects it; inspect the inner token on its own.";
  return answer({ verdict: 'invalid', kind: 'sd_jwt', header: JSON.stringify(header, null, 2), summary: `Invalid: ${message}`, findings: [{ code: 'DISCLOSURE_INVALID', severity: 'high', where: 'payload', message }] });
}

/** RFC 7797's unencoded payload: the middle part is the payload as it is, which CredOps does not verify. */
function unencodedPayload(header: Record<string, unknown>): Answer {
  const findings = headerFindings(header, null);
  if (!findings.some((f) => f.blocking)) {
    findings.push({ code: 'CRIT_UNSUPPORTED', severity: 'high', where: 'header.b64', message: 'An unencoded payload ("b64": false, RFC 7797): CredOps does not verify these, and most JWT libraries reject them.', blocking: true });
  }
  return answer({ verdict: 'invalid', kind: 'unknown', header: JSON.stringify(header, null, 2), summary: 'Invalid: an unencoded payload ("b64": false, RFC 7797), which CredOps does not verify and JWT verifiers reject.', findings: strip(findings) });
}

/** `checked`: the caller has already seen that the token holds only base64url characters and dots. */
function decodeJws(token: string, checked: boolean): DecodedJws | Answer {
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  if (headerPart.length > MAX_HEADER_CHARS) return notAToken(token, `the header is ${Math.round(headerPart.length / 1024)} KB; a real one is a few hundred bytes.`);
  try {
    const header = decodeJsonObject(decodeBase64url(headerPart, 'header', checked), 'header');
    if (header.b64 === false) return unencodedPayload(header);
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
function judgeJws({ header, signingInput, payloadBytes, payloadText, signature }: DecodedJws, request: InspectRequest, ctx: InspectContext, nested: Answer | null, sd: SdJwtParts | null = null): Answer {
  // The policy's typ is the inner token's to meet when this one only carries it.
  let findings: Finding[] = headerFindings(header, nested && request.policy ? { ...request.policy, typ: null } : request.policy);
  let claims: Record<string, unknown> = {};
  let exact: Map<string, string> | null = null;
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
      // A Flask session's first part is JSON too, with no alg, and its second a timestamp: a format of its own, not a broken JWT.
      const whole = `${signingInput}.${signature.toString('base64url')}`;
      if (!Object.hasOwn(header, 'alg') && classifyTokenFormat(whole)) return notAToken(whole, error.message);
      return answer({ verdict: 'unparseable', kind: 'unknown', header: JSON.stringify(header, null, 2), summary: `Not a JWT: ${error.message}`, findings: [{ code: 'MALFORMED', severity: 'high', where: 'payload', message: error.message }] });
    }
    exact = exactClaimTexts(claims, payloadText);
  }
  // An SD-JWT is judged on what it discloses, as its verifier reads it.
  const revealed = !nested && (sd || isSelectivelyDisclosable(claims)) ? revealDisclosures(claims, sd?.disclosures ?? []) : null;
  // Claims written with numbers parsing changed are shown as written, unless disclosures changed them since.
  let shownExact = exact;
  if (revealed) {
    claims = revealed.claims;
    findings.push(...revealed.findings);
    shownExact = exact && new Map([...exact].filter(([name]) => typeof claims[name] !== 'object'));
  }
  const kind = nested ? nested.kind : revealed ? 'sd_jwt' : tokenKind(header, claims);
  if (!nested) {
    // A proof is made by the client, not an issuer: its clock and its code are the client's.
    findings.push(...timeFindings(claims, request.policy, ctx.nowMs, kind === 'dpop_proof' ? 'client' : 'issuer'), ...policyFindings(claims, sdPolicy(request.policy, sd), shownExact), ...impreciseNumberFindings(exact));
    findings.push(...(revealed ? sdContentFindings(contentFindings(claims), revealed.disclosures) : contentFindings(claims)));
  }
  const alg = typeof header.alg === 'string' ? header.alg : null;
  // A proof carries the key it is checked with; every other token is checked with the key given.
  const proof = !nested && kind === 'dpop_proof';
  const kid = typeof header.kid === 'string' ? header.kid : null;
  const checkedProof = alg && proof ? verifyProof(alg, signingInput, signature, header, request, ctx) : null;
  const signed = checkedProof ?? (alg ? verifySignature(alg, signingInput, signature, kid, request, ctx) : { verified: false, key: null, findings: [] });
  findings.push(...signed.findings);
  if (proof) findings = proofFindings(findings, header, claims, request.policy, ctx.nowMs);
  else if (!nested) findings = kindFindings(kind, claims, findings);
  const bound = revealed?.hash ? checkKeyBinding({ jwt: sd?.keyBinding ?? null, hashed: sd?.hashed ?? '', hash: revealed.hash, hashAlg: revealed.hashAlg, claims, policy: request.policy, nowMs: ctx.nowMs }) : null;
  if (bound) findings.push(...bound.findings);
  const judged = checkedProof ? proofVerdictOf(findings, checkedProof) : revealed ? sdVerdictOf(findings, signed.verified, revealed, bound) : verdictOf(findings, signed.verified);
  const { verdict, summary } = capByNested(judged, nested);
  const shown = nested ?? claimsForScreen(claims, shownExact);
  return {
    verdict,
    summary,
    kind,
    header: JSON.stringify(header, null, 2),
    claims: shown.claims,
    moreClaims: shown.moreClaims,
    claimsRead: nested ? nested.claimsRead : true,
    signature: { alg, verified: signed.verified, key: signed.key },
    opaque: null,
    inPaste: null,
    findings: strip(findings),
    recheckAtMs: nested ? nested.recheckAtMs : earliest(recheckAtMs(claims, request.policy, ctx.nowMs), proof ? proofRecheckAtMs(claims, request.policy, ctx.nowMs) : (bound?.recheckAtMs ?? null)),
    sdJwt: revealed && { hashAlg: revealed.hashAlg, disclosures: revealed.disclosures, withheld: revealed.withheld, keyBinding: bound?.view ?? { status: 'absent', header: null, claims: [], key: null } },
  };
}

/** A presentation with a Key Binding JWT is for the verifier its "aud" names: the policy's audiences are checked there (key-binding.ts). */
function sdPolicy(policy: TokenPolicy | null, sd: SdJwtParts | null): TokenPolicy | null {
  return policy && sd?.keyBinding ? { ...policy, audiences: [] } : policy;
}

/** An SD-JWT's verdict: the issuer's signature, and then the disclosures and the holder's key binding, which must check too. */
function sdVerdictOf(findings: Finding[], verified: boolean | null, revealed: Revealed, bound: KeyBinding | null): Pick<Answer, 'verdict' | 'summary'> {
  const judged = verdictOf(findings, verified);
  if (judged.verdict !== 'valid') return judged;
  if (bound?.view.status === 'unchecked') return { verdict: 'unverifiable', summary: "The issuer's signature verifies and every disclosure matches its digests, but the key binding could not be checked: see the findings." };
  const count = revealed.disclosures.length;
  const disclosed = count === 0 ? 'it discloses nothing' : `${count === 1 ? 'its disclosure matches' : `all ${count} disclosures match`} what the issuer signed`;
  const holder = bound?.view.status === 'verified' ? ", the holder's key binding checks" : '';
  return { verdict: 'valid', summary: validSummary(findings, `Valid SD-JWT: the issuer's signature verifies with the key given, ${disclosed}${holder}`) };
}

/**
 * Promises only where something is awaited (a token inside the payload, a JWE's decryption): the
 * inspector runs on every keystroke, and each async step costs more than a policy check.
 */
function inspectJws(token: string, request: InspectRequest, ctx: InspectContext, depth: number, checked: boolean, sd: SdJwtParts | null): Promise<Answer> {
  const decoded = decodeJws(token, checked);
  if (!('signingInput' in decoded)) return Promise.resolve(decoded);
  if (isCompactToken(decoded.payloadText)) {
    if (sd) return Promise.resolve(tokenInSdJwt(decoded.header));
    if (depth > 0) return Promise.resolve(tooDeep(decoded.header));
    return inspectAny(decoded.payloadText, { ...request, key: null }, ctx, depth + 1).then((nested) => judgeJws(decoded, request, ctx, nested));
  }
  return Promise.resolve(judgeJws(decoded, request, ctx, null, sd));
}

/** The paste, when it held more than a token: what it calls each token in it, which one was read, and whether it holds more. */
type FromPaste = NonNullable<Inspection['inPaste']>;

/** A token to decode: its parts counted, its alphabet `checked` already, and which of the paste's tokens it is. */
interface Decodable {
  token: string;
  parts: number;
  checked: boolean;
  from?: FromPaste;
  /** An SD-JWT taken apart: `token` is its issuer-signed JWT. */
  sd?: SdJwtParts;
}

/**
 * What was pasted, made a token to decode, or the answer that it is none. `pick`: which token to
 * read from a paste holding several, at the top level only (a payload is never searched). `from`
 * says which token of the paste the answer is about, whether or not it could be decoded.
 */
function readInput(input: string, pick: number | null): Decodable | Answer {
  const trimmed = input.trim();
  if (trimmed === '') return answer({ verdict: 'unparseable', kind: 'unknown', summary: 'Nothing to inspect: paste a token.' });
  const { token, strange, bare, tooLargeToJoin, found, more, picked, broken } = pick === null ? { ...normalizeToken(input), found: [], more: false, picked: null, broken: null } : readPaste(input, pick);
  // Key files and PEM blocks are recognised as pasted: normalising would take their lines apart,
  // and a comment above the key may hold dots. A bare token has no lines to keep.
  if ((picked !== null || !bare) && classifyOpaqueToken(trimmed)) return notAToken(trimmed, 'a key or secret, not a token');
  if (broken) return brokenInPaste(broken);
  const read = readToken(token, strange, tooLargeToJoin, bare);
  if (picked === null) return read;
  const from = { names: found.map((f) => f.name), picked, more };
  return 'token' in read ? { ...read, from } : { ...read, findings: [...read.findings, fromPasteFinding(from)], inPaste: from };
}

/** A paste holding a run that begins as a JWT but breaks: refused with where, rather than read around it or as its header. */
function brokenInPaste({ position, character, reason }: BrokenToken): Answer {
  const lookAlike = character !== null && character > '\x7f';
  const how =
    reason === 'parts' ? 'has the wrong number of parts (a JWS has 3, a JWE 5)'
    : reason === 'header' ? 'has a header that does not decode: a character lost or added in copying'
    : lookAlike ? `goes on with U+${character!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}, which no token has: a look-alike letter or a copy error`
    : character === '=' ? 'goes on with padding (=), which base64url does not have'
    : `goes on with ${quoted(character!)}, which no token has: a redaction, an encoding or a copy error`;
  const summary = `The JWT at character ${position} of the paste ${how}. No token in the paste is read, so none is taken for it: copy it again whole, or paste the one you want alone.`;
  return answer({ verdict: 'unparseable', kind: 'unknown', summary, findings: [{ code: 'MALFORMED', severity: lookAlike ? 'high' : 'medium', where: null, message: summary }] });
}

/** The token made of the paste, or why it is none. */
function readToken(token: string, strange: Normalized['strange'], tooLargeToJoin: boolean, bare: boolean): Decodable | Answer {
  if (token.startsWith('-----BEGIN')) return notAToken(token, 'a PEM block');
  if (strange.length > 0) {
    const where = strange.slice(0, 3).map((s) => `${s.codePoint} at character ${s.position}`).join(', ');
    return answer({
      verdict: 'unparseable',
      kind: 'unknown',
      summary: `Contains characters no token has (${where}): a copy error, or look-alike letters meant to deceive.`,
      findings: [{ code: 'MALFORMED', severity: 'high', where: null, message: `Characters outside ASCII (${where} of the paste). Tokens are plain ASCII; look-alike or invisible characters can make a token read as another.` }],
    });
  }
  if (tooLargeToJoin) {
    const size = `${(token.length / 1024 / 1024).toFixed(1)} MB`;
    return notAToken(token, `${size} with spaces or line breaks inside: far larger than any token (a few KB at most), so its lines are not joined.`);
  }
  const sd = token.includes('~') ? splitSdJwt(token) : null;
  if (sd && 'tooLarge' in sd) return notAToken(token, `an SD-JWT with ${sd.tooLarge}.`);
  if (sd) return { token: sd.issuerJwt, parts: 3, checked: false, sd };
  const parts = countParts(token, 6);
  if (parts !== 3 && parts !== 5) return notAToken(token, parts === 1 ? 'no dots, so not a JWT' : parts === 6 ? 'more than 5 parts separated by dots; a JWS has 3 and a JWE 5' : `${parts} parts separated by dots; a JWS has 3 and a JWE 5`);
  return { token, parts, checked: bare };
}

/** A token of the paste in a sentence: its name quoted, or its place. */
function labelled(names: FromPaste['names'], index: number): string {
  const label = pasteTokenLabel(names, index);
  return names[index] === null ? label : label.replace(names[index]!, quoted(names[index]!, 64));
}

/** What the finder names is a token; what it leaves out is said, so no one takes the list for every secret in the paste. */
const NOT_NAMED = ' Only what CredOps can tell is a token or key is named (a JWT, a provider\'s format, a value under a token\'s name such as refresh_token); a password or secret of no known format is not.';

/** Which token of the paste was read, and what else it holds, so no one takes one for another. */
function fromPasteFinding({ names, picked, more }: FromPaste): Answer['findings'][number] {
  if (names.length === 1 && !more) {
    return { code: 'TOKEN_IN_PASTE', severity: 'info', where: null, message: `Read ${names[0] === null ? 'the token' : labelled(names, 0)} from the paste; the text around it was not read.${NOT_NAMED}` };
  }
  const others = names.flatMap((_, i) => (i === picked ? [] : [labelled(names, i)]));
  const count = more ? `more than ${names.length}` : `${names.length}`;
  const beyond = more ? ` Past the first ${names.length}, no token is read or named: paste the rest apart.` : '';
  return {
    code: 'TOKEN_IN_PASTE',
    severity: 'info',
    where: null,
    message: `Read ${labelled(names, picked)}, one of ${count} tokens in the paste; the text around them was not read. The others: ${others.join(', ')}. To read another, choose it above or paste it alone.${beyond}${NOT_NAMED}`,
  };
}

function inspectAny(input: string, request: InspectRequest, ctx: InspectContext, depth: number): Promise<Answer> {
  const read = readInput(input, depth === 0 ? (request.pick ?? 0) : null);
  if (!('token' in read)) return Promise.resolve(read);
  const answered = read.parts === 3 ? inspectJws(read.token, request, ctx, depth, read.checked, read.sd ?? null) : inspectJwe(read.token, request, ctx, depth, { inspectAny, answer, strip, notAToken });
  const { from } = read;
  if (!from) return answered;
  return answered.then((a) => ({ ...a, findings: [...a.findings, fromPasteFinding(from)], inPaste: from }));
}

export async function inspectToken(request: InspectRequest, ctx: InspectContext): Promise<Inspection> {
  const started = performance.now();
  const result = await inspectAny(request.token, request, ctx, 0);
  return Object.assign(result, { tookMs: Math.round((performance.now() - started) * 100) / 100 });
}

export type { Answer, Finding, TokenPolicy };
