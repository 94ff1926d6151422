/**
 * The inspector's answer, and its verdict from the findings: what every path through the inspector
 * (a JWS, a JWE, an SD-JWT, an opaque token, a paste refused) builds its answer with, so one
 * finding sorts and one rule turns blocking findings into "invalid" everywhere.
 */
import { severityRank, type Inspection } from '../../../shared/tokens';
import type { Finding } from './header-checks';

export type Answer = Omit<Inspection, 'tookMs'>;

/** Far beyond any real token's claims, small enough to parse and explain within the 100 ms budget. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
export const MAX_HEADER_CHARS = 64 * 1024;

export function answer(partial: Partial<Answer> & Pick<Answer, 'verdict' | 'summary' | 'kind'>): Answer {
  return { header: null, claims: [], moreClaims: 0, claimsRead: false, signature: { alg: null, verified: null, key: null }, opaque: null, findings: [], recheckAtMs: null, inPaste: null, sdJwt: null, ...partial };
}

export function strip(findings: Finding[]): Answer['findings'] {
  return findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity)).map(({ blocking: _blocking, ...finding }) => finding);
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

export function verdictOf(findings: Finding[], verified: boolean | null): Pick<Answer, 'verdict' | 'summary'> {
  const blocking = findings.filter((f) => f.blocking);
  if (blocking.length > 0) {
    const worst = strip([...blocking])[0];
    return { verdict: 'invalid', summary: `Invalid: ${worst.message}` };
  }
  if (verified === true) return { verdict: 'valid', summary: validSummary(findings, 'Valid: the signature verifies with the key given') };
  if (verified === false) return { verdict: 'invalid', summary: 'Invalid: the signature does not verify.' };
  return { verdict: 'unverifiable', summary: 'Decodes, but the signature was not checked: give the issuer\'s key to verify it.' };
}
