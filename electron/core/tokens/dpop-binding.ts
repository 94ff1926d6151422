/**
 * Whether a DPoP proof goes with an access token, as a resource server checks the pair (RFC 9449
 * §4.3, §7.1): the proof names the token by the SHA-256 of its text in "ath", and the token names
 * the proof's key by its RFC 7638 thumbprint in "cnf"."jkt" (§6.1). Either failing, the server
 * refuses the pair; so it does when either is invalid on its own (a forged or stale proof, an
 * unsecured token), which each side's inspection decides. A pair bound and each side unverifiable
 * is the usual answer: whether the token is the issuer's, only its key can say.
 */
import { createHash } from 'node:crypto';
import type { DpopBinding, Inspection, KeySource } from '../../../shared/tokens';
import { proofKeyThumbprint } from './dpop';
import { quoted } from './header-checks';
import { inspectToken, type InspectContext } from './inspect';
import { readPaste } from './normalize';

/**
 * A claim as the inspection read it, parsed back from the JSON text it travels as. `cut`: the value
 * was too long to travel whole (over 4,000 characters), so it is no value this pairing can use.
 */
function claimOf(answer: Inspection, name: string): { value: unknown } | 'cut' | null {
  const claim = answer.claims.find((c) => c.name === name);
  if (!claim) return null;
  return claim.digest !== null ? 'cut' : { value: JSON.parse(claim.value) as unknown };
}

/** The token as pasted, unwrapped (or picked) as the inspector reads it; null when it holds what no token does. */
function pasted(input: string, pick: number): string | null {
  const { token, strange, tooLargeToJoin, broken } = readPaste(input, pick);
  return strange.length > 0 || tooLargeToJoin || broken || token === '' ? null : token;
}

/** What the access token's "cnf" binds it to (RFC 7800 §3.1): a DPoP key, a client certificate (RFC 8705), or nothing readable. */
type Confirmation = { jkt: string } | { certificate: true } | { holderKey: true } | { malformed: true } | null;

function confirmation(answer: Inspection): Confirmation {
  const claim = claimOf(answer, 'cnf');
  if (claim === null) return null;
  const cnf = claim === 'cut' ? null : claim.value;
  if (typeof cnf !== 'object' || cnf === null || Array.isArray(cnf)) return { malformed: true };
  if (Object.hasOwn(cnf, 'jkt')) return typeof (cnf as Record<string, unknown>).jkt === 'string' ? { jkt: (cnf as Record<string, string>).jkt } : { malformed: true };
  if (Object.hasOwn(cnf, 'x5t#S256')) return { certificate: true };
  // RFC 7800 §3.2's key itself, as an SD-JWT names its holder's: a key binding JWT proves it, not a DPoP proof.
  return Object.hasOwn(cnf, 'jwk') ? { holderKey: true } : null;
}

const SENTENCES = {
  proofInvalid: (why: string) => `Not bound: the proof itself is refused (${why.replace(/^Invalid: /, '').replace(/\.$/, '')}).`,
  tokenInvalid: (why: string) => `Not bound: the access token itself is refused (${why.replace(/^Invalid: /, '').replace(/\.$/, '')}).`,
  jktDiffers: (token: string, proof: string | null) =>
    `Not bound: the access token is bound to the key with thumbprint ${quoted(token, 60)}, and the proof ${proof ? `carries ${proof}` : 'carries no key to match it'}. A server refuses the pair (RFC 9449 §7.1): the token is used with a key that is not its client's, as a thief's would be.`,
  athDiffers: 'Not bound: the proof was made for another access token, as its "ath" is not this token\'s SHA-256. A server refuses the pair (RFC 9449 §4.3).',
  certificate: 'Not bound: the access token is bound to a client certificate ("cnf"."x5t#S256", RFC 8705), not to a DPoP key; a server checks the certificate, which no proof stands in for.',
  holderKey: 'Not bound: the token names its holder\'s key itself ("cnf"."jwk", RFC 7800 §3.2), as an SD-JWT does, not by the thumbprint a DPoP server checks ("cnf"."jkt"); its holder proves the key with a Key Binding JWT, which no DPoP proof stands in for.',
  malformed: 'Not bound: the access token\'s "cnf" does not hold a thumbprint string in "jkt" (RFC 9449 §6.1), so no key can match it.',
  jktAbsent: 'Not bound: the access token names no key ("cnf"."jkt"), so it is a bearer token, which works with no proof at all.',
  athAbsent: 'The proof names no access token ("ath"): a resource server refuses it with one (RFC 9449 §7.1); only a request to the token endpoint goes without.',
  notRead: 'The access token is not a JWT CredOps can read, so what key it is bound to is its issuer\'s to say, by introspection (RFC 9449 §6.2).',
  bound: 'Bound: the proof was made for this access token ("ath"), by the key the token is bound to ("cnf"."jkt"). Whether each is genuine, its own verdict says.',
  boundAndValid: 'Bound, and each is valid with the key you gave it: the proof was made for this access token ("ath") by the client\'s key, which the token is bound to ("cnf"."jkt"). A server also checks the proof\'s "htm" and "htu" against the request it came with.',
};

/**
 * The pair compared; null when the first is no DPoP proof or the second holds what no token does
 * (each side's own inspection says so). `keys`: what each side's verdict beside the pairing was
 * checked with, so the pairing refuses what those verdicts refuse.
 */
export async function dpopBinding(
  proofInput: string,
  accessTokenInput: string,
  ctx: InspectContext,
  keys: { proof: KeySource | null; accessToken: KeySource | null } = { proof: null, accessToken: null },
  picks: { proof: number; accessToken: number } = { proof: 0, accessToken: 0 },
): Promise<DpopBinding | null> {
  // The token's text as sent, for "ath"; a proof that holds what no token does is no proof below.
  const accessToken = pasted(accessTokenInput, picks.accessToken);
  if (accessToken === null) return null;
  // Both read once, by the inspector, from the pastes as the verdicts beside the pairing read them
  // (unwrapped once, not twice, and the token picked from each): what it says they hold, they hold.
  const ask = (token: string, key: KeySource | null, pick: number) => inspectToken({ token, key, policy: null, pick }, ctx);
  const [proofAnswer, tokenAnswer] = await Promise.all([ask(proofInput, keys.proof, picks.proof), ask(accessTokenInput, keys.accessToken, picks.accessToken)]);
  if (proofAnswer.kind !== 'dpop_proof' || proofAnswer.header === null) return null;
  const proofHeader = JSON.parse(proofAnswer.header) as Record<string, unknown>;
  // A token carrying a proof in its payload is named for the proof, whatever its own typ, but a
  // server takes only the proof itself: its header, its key, its claims.
  if (proofAnswer.findings.some((f) => f.code === 'NESTED_TOKEN' && f.where === 'payload')) return null;
  const proofThumbprint = proofKeyThumbprint(proofHeader.jwk);
  const sentAth = claimOf(proofAnswer, 'ath');
  // The SHA-256 of the token's ASCII text, as sent in the Authorization header (RFC 9449 §4.2).
  const ath = sentAth === null ? 'absent' : sentAth !== 'cut' && createHash('sha256').update(accessToken, 'latin1').digest('base64url') === sentAth.value ? 'matches' : 'differs';
  // Opaque, encrypted or unreadable: only its issuer knows what it is bound to.
  const bound = tokenAnswer.claimsRead ? confirmation(tokenAnswer) : null;
  const tokenThumbprint = bound && 'jkt' in bound ? bound.jkt : null;
  const jkt = !tokenAnswer.claimsRead ? 'not-read' : bound === null || 'certificate' in bound || 'holderKey' in bound ? 'absent' : 'malformed' in bound ? 'malformed' : bound.jkt === proofThumbprint ? 'matches' : 'differs';
  // Either side refused on its own (forged, stale, unsecured) makes the pair refused, whatever it names.
  const summary =
    proofAnswer.verdict === 'invalid' ? SENTENCES.proofInvalid(proofAnswer.summary)
    : tokenAnswer.verdict === 'invalid' ? SENTENCES.tokenInvalid(tokenAnswer.summary)
    : jkt === 'differs' ? SENTENCES.jktDiffers(tokenThumbprint!, proofThumbprint)
    : ath === 'differs' ? SENTENCES.athDiffers
    : jkt === 'malformed' ? SENTENCES.malformed
    : bound !== null && 'certificate' in bound ? SENTENCES.certificate
    : bound !== null && 'holderKey' in bound ? SENTENCES.holderKey
    : jkt === 'absent' ? SENTENCES.jktAbsent
    : ath === 'absent' ? SENTENCES.athAbsent
    : jkt === 'not-read' ? SENTENCES.notRead
    : proofAnswer.verdict === 'valid' && tokenAnswer.verdict === 'valid' ? SENTENCES.boundAndValid
    : SENTENCES.bound;
  const refused = proofAnswer.verdict === 'invalid' || tokenAnswer.verdict === 'invalid';
  const verdict = refused ? 'not_bound' : ath === 'matches' && jkt === 'matches' ? 'bound' : ath === 'matches' && jkt === 'not-read' ? 'unknown' : 'not_bound';
  return { verdict, ath, jkt, proofThumbprint, tokenThumbprint, summary };
}
