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
import { severityRank, type InspectRequest, type Inspection, type TokenPolicy } from '../../../shared/tokens';
import { answer, capByNested, MAX_HEADER_CHARS, MAX_PAYLOAD_BYTES, strip, validSummary, verdictOf, type Answer } from './answer';
import { claimsForScreen, exactClaimTexts, impreciseNumberFindings, tokenKind } from './claims';
import { kindFindings, policyFindings, recheckAtMs, timeFindings } from './claim-checks';
import { proofFindings, proofRecheckAtMs, verifyProof, type ProofResult } from './dpop';
import { DecodeError, decodeBase64url, decodeJsonObject, decodeUtf8, parseJsonObject } from './decode';
import { carriesToken } from './sd-jwt-in-paste';
import { headerFindings, type Finding } from './header-checks';
import { inspectJwe } from './jwe';
import { checkKeyBinding, type KeyBinding } from './key-binding';
import { notAToken } from './not-a-token';
import { ESCAPED_SEPARATORS, readInput, fromPasteFinding } from './read-input';
import { classifyTokenFormat } from '../secrets/opaque-formats';
import { isSelectivelyDisclosable, revealDisclosures, asSdJwtFindings, type Revealed, type SdJwtParts } from './sd-jwt';
import { findSensitiveData } from './sensitive-data';
import { verifySignature } from './verify-signature';

export interface InspectContext {
  nowMs: number;
  /** A vault credential's secret, opened for verification (the caller audits it). */
  credentialSecret(id: string): { secret: string; kind: string; name: string };
  /** A saved server's last fetched JWKS, as JSON text, with the server's name. */
  serverJwks(id: string): { jwks: string; name: string; fetchedAt: string };
}

const SENSITIVE_WORDS = { email: 'an e-mail address', phone: 'a phone number', card: 'a payment card number', 'password-claim': 'a password or secret', 'national-id': 'a national id number', iban: 'a bank account (IBAN)' } as const;
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
    const kept = [...(exact ?? [])].filter(([name]) => !revealed.changed.has(name));
    shownExact = kept.length + revealed.written.size > 0 ? new Map([...kept, ...revealed.written]) : null;
  }
  const kind = nested ? nested.kind : revealed ? 'sd_jwt' : tokenKind(header, claims);
  if (!nested) {
    // A proof is made by the client, not an issuer: its clock and its code are the client's.
    const general = [...timeFindings(claims, request.policy, ctx.nowMs, kind === 'dpop_proof' ? 'client' : 'issuer'), ...policyFindings(claims, sdPolicy(request.policy, sd), shownExact), ...contentFindings(claims), ...impreciseNumberFindings(exact)];
    findings.push(...(revealed ? asSdJwtFindings(general, revealed) : general));
  }
  const alg = typeof header.alg === 'string' ? header.alg : null;
  // A proof carries the key it is checked with; every other token is checked with the key given.
  const proof = !nested && kind === 'dpop_proof';
  const kid = typeof header.kid === 'string' ? header.kid : null;
  const checkedProof = alg && proof ? verifyProof(alg, signingInput, signature, header, request, ctx) : null;
  const signed = checkedProof ?? (alg ? verifySignature(alg, signingInput, signature, kid, request, ctx) : { verified: false, key: null, findings: [] });
  findings.push(...signed.findings);
  if (proof) findings = proofFindings(findings, header, claims, request.policy, ctx.nowMs);
  else if (!nested) findings = kindFindings(kind, claims, findings, request.policy);
  const bound = revealed?.hash ? checkKeyBinding({ jwt: sd?.keyBinding ?? null, hashed: sd?.hashed ?? '', hash: revealed.hash, hashAlg: revealed.hashAlg, claims, policy: request.policy, nowMs: ctx.nowMs }) : null;
  if (bound) findings.push(...bound.findings);
  const judged = checkedProof ? proofVerdictOf(findings, checkedProof) : revealed ? sdVerdictOf(findings, signed.verified, revealed, bound) : aloneVerdictOf(kind, verdictOf(findings, signed.verified));
  const { verdict, summary } = capByNested(judged, nested);
  const shown = nested ?? claimsForScreen(claims, shownExact, revealed?.notes ?? null);
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

/** A Key Binding JWT apart from its presentation is never valid on its own: what it proves needs the SD-JWT. */
function aloneVerdictOf(kind: Answer['kind'], judged: Pick<Answer, 'verdict' | 'summary'>): Pick<Answer, 'verdict' | 'summary'> {
  if (kind !== 'kb_jwt' || judged.verdict !== 'valid') return judged;
  return { verdict: 'unverifiable', summary: 'A Key Binding JWT whose signature verifies with the key given; it proves nothing apart from the SD-JWT it was made for: paste the whole presentation.' };
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
  if (carriesToken(decoded.payloadText)) {
    if (sd) return Promise.resolve(tokenInSdJwt(decoded.header));
    if (depth > 0) return Promise.resolve(tooDeep(decoded.header));
    return inspectAny(decoded.payloadText, { ...request, key: null }, ctx, depth + 1).then((nested) => judgeJws(decoded, request, ctx, nested));
  }
  return Promise.resolve(judgeJws(decoded, request, ctx, null, sd));
}

function inspectAny(input: string, request: InspectRequest, ctx: InspectContext, depth: number): Promise<Answer> {
  const read = readInput(input, depth === 0 ? (request.pick ?? 0) : null);
  if (!('token' in read)) return Promise.resolve(read);
  const answered = read.parts === 3 ? inspectJws(read.token, request, ctx, depth, read.checked, read.sd ?? null) : inspectJwe(read.token, request, ctx, depth, inspectAny);
  const { from, escaped } = read;
  if (!from && !escaped) return answered;
  const said = [...(escaped ? [ESCAPED_SEPARATORS] : []), ...(from ? [fromPasteFinding(from)] : [])];
  // Sorted again, most severe first: the escape is said above what is only information.
  return answered.then((a) => ({ ...a, findings: [...a.findings, ...said].sort((x, y) => severityRank(x.severity) - severityRank(y.severity)), inPaste: from ?? a.inPaste }));
}

export async function inspectToken(request: InspectRequest, ctx: InspectContext): Promise<Inspection> {
  const started = performance.now();
  const result = await inspectAny(request.token, request, ctx, 0);
  return Object.assign(result, { tookMs: Math.round((performance.now() - started) * 100) / 100 });
}

export type { Answer, Finding, TokenPolicy };
