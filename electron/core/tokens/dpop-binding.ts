/**
 * Whether a DPoP proof goes with an access token, as a resource server checks the pair (RFC 9449
 * §4.3, §7.1): the proof names the token by the SHA-256 of its text in "ath", and the token names
 * the proof's key by its RFC 7638 thumbprint in "cnf"."jkt" (§6.1). Either failing, the server
 * refuses the pair. Both holding says nothing of either signature: each side's inspection does.
 */
import { createHash } from 'node:crypto';
import type { DpopBinding } from '../../../shared/tokens';
import { DecodeError, decodeBase64url, decodeJsonObject } from './decode';
import { proofKeyThumbprint } from './dpop';
import { normaliseTyp } from './header-checks';
import { MAX_HEADER_CHARS, MAX_PAYLOAD_BYTES } from './inspect';
import { normalizeToken } from './normalize';

interface Jws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** A compact JWS's header and claims, or null for anything else (opaque, JWE, garbage). */
function decodedJws(token: string): Jws | null {
  const parts = token.split('.');
  // A payload past the inspector's limit is no token it reads; neither is it one here.
  if (parts.length !== 3 || parts[0].length > MAX_HEADER_CHARS || (parts[1].length * 3) / 4 > MAX_PAYLOAD_BYTES) return null;
  try {
    return { header: decodeJsonObject(decodeBase64url(parts[0], 'header'), 'header'), claims: decodeJsonObject(decodeBase64url(parts[1], 'payload'), 'payload') };
  } catch (error) {
    if (error instanceof DecodeError) return null;
    throw error;
  }
}

/** The token as pasted, unwrapped as the inspector unwraps it; null when it holds what no token does. */
function pasted(input: string): string | null {
  const { token, strange, tooLargeToJoin } = normalizeToken(input);
  return strange.length > 0 || tooLargeToJoin || token === '' ? null : token;
}

const SENTENCES = {
  jktDiffers: (token: string, proof: string | null) =>
    `Not bound: the access token is bound to the key with thumbprint ${token}, and the proof ${proof ? `carries ${proof}` : 'carries no key to match it'}. A server refuses the pair (RFC 9449 §7.1): the token is used with a key that is not its client's, as a thief's would be.`,
  athDiffers: 'Not bound: the proof was made for another access token, as its "ath" is not this token\'s SHA-256. A server refuses the pair (RFC 9449 §4.3).',
  jktAbsent: 'Not bound: the access token names no key ("cnf"."jkt"), so it is a bearer token, which works with no proof at all.',
  athAbsent: 'The proof names no access token ("ath"): a resource server refuses it with one (RFC 9449 §7.1); only a request to the token endpoint goes without.',
  notRead: 'The access token is not a JWT CredOps can read, so what key it is bound to is its issuer\'s to say, by introspection (RFC 9449 §6.2).',
  bound: 'Bound: the proof was made for this access token ("ath"), by the key the token is bound to ("cnf"."jkt"). Whether each is genuine, its own verdict says.',
};

/** The pair compared, or null when the first is no DPoP proof. */
export function dpopBinding(proofInput: string, accessTokenInput: string): DpopBinding | null {
  const proofToken = pasted(proofInput);
  const proof = proofToken === null ? null : decodedJws(proofToken);
  if (!proof || typeof proof.header.typ !== 'string' || normaliseTyp(proof.header.typ) !== 'dpop+jwt') return null;
  const accessToken = pasted(accessTokenInput);
  const proofThumbprint = proofKeyThumbprint(proof.header.jwk);
  // The SHA-256 of the token's ASCII text, as sent in the Authorization header (RFC 9449 §4.2).
  const ath = typeof proof.claims.ath !== 'string' ? 'absent' : accessToken !== null && createHash('sha256').update(accessToken, 'latin1').digest('base64url') === proof.claims.ath ? 'matches' : 'differs';
  const access = accessToken === null ? null : decodedJws(accessToken);
  const cnf = access?.claims.cnf;
  const tokenThumbprint = typeof cnf === 'object' && cnf !== null && typeof (cnf as Record<string, unknown>).jkt === 'string' ? ((cnf as Record<string, unknown>).jkt as string) : null;
  const jkt = !access ? 'not-read' : tokenThumbprint === null ? 'absent' : tokenThumbprint === proofThumbprint ? 'matches' : 'differs';
  const summary =
    jkt === 'differs' ? SENTENCES.jktDiffers(tokenThumbprint!, proofThumbprint)
    : ath === 'differs' ? SENTENCES.athDiffers
    : jkt === 'absent' ? SENTENCES.jktAbsent
    : ath === 'absent' ? SENTENCES.athAbsent
    : jkt === 'not-read' ? SENTENCES.notRead
    : SENTENCES.bound;
  const verdict = ath === 'matches' && jkt === 'matches' ? 'bound' : ath === 'matches' && jkt === 'not-read' ? 'unknown' : 'not_bound';
  return { verdict, ath, jkt, proofThumbprint, tokenThumbprint, summary };
}
