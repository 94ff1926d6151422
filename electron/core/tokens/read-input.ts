/**
 * What was pasted, made a token to decode, or the answer that it is none: the paste read (a token
 * alone, or one picked from several, see normalize.ts and find-in-paste.ts), a key file or PEM
 * block recognised as pasted, a broken JWT or look-alike letters refused with where, an SD-JWT
 * taken apart; and the finding that says which token of a paste was read.
 */
import { pasteTokenLabel, type Inspection } from '../../../shared/tokens';
import { classifyOpaqueToken } from '../secrets/opaque-formats';
import { answer, type Answer } from './answer';
import type { BrokenToken } from './broken-in-paste';
import { isSdJwt } from './sd-jwt-in-paste';
import { quoted } from './header-checks';
import { asOnePaste, countParts, normalizeToken, readPaste, type Normalized } from './normalize';
import { notAToken } from './not-a-token';
import { splitSdJwt, type SdJwtParts } from './sd-jwt';

/** The paste, when it held more than a token: what it calls each token in it, which one was read, and whether it holds more. */
export type FromPaste = NonNullable<Inspection['inPaste']>;

/** A token to decode: its parts counted, its alphabet `checked` already, and which of the paste's tokens it is. */
export interface Decodable {
  token: string;
  parts: number;
  checked: boolean;
  from?: FromPaste;
  /** An SD-JWT taken apart: `token` is its issuer-signed JWT. */
  sd?: SdJwtParts;
  /** The SD-JWT's `~` were written `%7E` in the paste, and read as `~`. */
  escaped?: true;
}

/**
 * What was pasted, made a token to decode, or the answer that it is none. `pick`: which token to
 * read from a paste holding several, at the top level only (a payload is never searched). `from`
 * says which token of the paste the answer is about, whether or not it could be decoded.
 */
export function readInput(input: string, pick: number | null): Decodable | Answer {
  const trimmed = input.trim();
  if (trimmed === '') return answer({ verdict: 'unparseable', kind: 'unknown', summary: 'Nothing to inspect: paste a token.' });
  const { token, strange, bare, tooLargeToJoin, found, more, picked, broken, escaped } = pick === null ? asOnePaste(normalizeToken(input)) : readPaste(input, pick);
  // Key files and PEM blocks are recognised as pasted: normalising would take their lines apart,
  // and a comment above the key may hold dots. A bare token has no lines to keep.
  if ((picked !== null || !bare) && classifyOpaqueToken(trimmed)) return notAToken(trimmed, 'a key or secret, not a token');
  if (broken) return brokenInPaste(broken);
  const read = readToken(token, strange, tooLargeToJoin, bare);
  if (escaped && 'sd' in read) read.escaped = true;
  if (picked === null) return read;
  const from = { names: found.map((f) => f.name), picked, more };
  return 'token' in read ? { ...read, from } : { ...read, findings: [...read.findings, fromPasteFinding(from)], inPaste: from };
}

/** A paste holding a run that begins as a JWT but breaks: refused with where, rather than read around it or as its header. */
function brokenInPaste({ position, character, reason }: BrokenToken): Answer {
  const lookAlike = character !== null && character > '\x7f';
  const how =
    reason === 'parts' ? 'has the wrong number of parts (a JWS has 3, a JWE 5)'
    : reason === 'wrapped' ? 'is an SD-JWT whose disclosures are wrapped over more lines, or are longer, than CredOps joins again (a disclosure or Key Binding JWT over 64 KB)'
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
  // A JWT and a `~` with text after it, joined by normalising, is no SD-JWT: refused below as the JWT it begins with.
  const split = token.includes('~') ? splitSdJwt(token) : null;
  const sd = split && ('tooLarge' in split || isSdJwt(split.issuerJwt, token.slice(split.issuerJwt.length))) ? split : null;
  if (sd && 'tooLarge' in sd) return notAToken(token, `an SD-JWT with ${sd.tooLarge}.`);
  if (sd) return { token: sd.issuerJwt, parts: 3, checked: false, sd };
  const parts = countParts(token, 6);
  if (parts !== 3 && parts !== 5) return notAToken(token, parts === 1 ? 'no dots, so not a JWT' : parts === 6 ? 'more than 5 parts separated by dots; a JWS has 3 and a JWE 5' : `${parts} parts separated by dots; a JWS has 3 and a JWE 5`);
  return { token, parts, checked: bare };
}

/**
 * An SD-JWT whose `~` the paste wrote `%7E`: read as a form body or URL parameter is read once
 * decoded, which is the only place a verifier decodes it so. Said, so no one takes a header or JSON
 * body that carries `%7E` for one a verifier accepts.
 */
export const ESCAPED_SEPARATORS: Answer['findings'][number] = {
  code: 'SEPARATORS_ESCAPED',
  severity: 'low',
  where: null,
  message:
    'Its "~" separators were written "%7E" (percent-encoded, as Java\'s URLEncoder writes a form body) and were read as "~", as a verifier reads a form body or URL parameter once decoded. Sent anywhere the value is not decoded so (a JSON body, an Authorization header), it is not this SD-JWT and a verifier rejects it.',
};

/** A token of the paste in a sentence: its name quoted, or its place. */
function labelled(names: FromPaste['names'], index: number): string {
  const label = pasteTokenLabel(names, index);
  return names[index] === null ? label : label.replace(names[index]!, quoted(names[index]!, 64));
}

/** What the finder names is a token; what it leaves out is said, so no one takes the list for every secret in the paste. */
const NOT_NAMED = ' Only what CredOps can tell is a token or key is named (a JWT, a provider\'s format, a value under a token\'s name such as refresh_token); a password or secret of no known format is not.';

/** Which token of the paste was read, and what else it holds, so no one takes one for another. */
export function fromPasteFinding({ names, picked, more }: FromPaste): Answer['findings'][number] {
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
