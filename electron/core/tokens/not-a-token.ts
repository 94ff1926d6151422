/**
 * The answer for what is not a JWT: a provider's token or key named by its format, a JWT cut at the
 * front when it was copied, an opaque token of no known format, or text that is no token at all, with why.
 */
import { classifyOpaqueToken, classifyTokenFormat } from '../secrets/opaque-formats';
import { answer, MAX_HEADER_CHARS, type Answer } from './answer';
import { mayBeJoseHeader } from './decode';
import { joseHeaderOf } from './token-in-text';
import { BARE, countParts } from './normalize';

/** Something that may be a bearer token or API key, rather than garbage. */
const TOKENISH = /^[A-Za-z0-9._~+/=:-]{16,4096}$/;

/** What a JWT cut at the front when copied lacks: what put back before it makes its first part a JOSE header again. */
function lostHead(token: string): string | null {
  const first = token.indexOf('.');
  // Only the first part is decoded, so an 8 MB paste costs no more than a token.
  if (first === -1 || first > MAX_HEADER_CHARS || !BARE.test(token) || ![3, 5].includes(countParts(token, 6))) return null;
  return ['e', 'ey', 'eyJ'].find((head) => joseHeaderOf(head + token.slice(0, first)) !== null) ?? null;
}

export function notAToken(token: string, reason: string): Answer {
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
