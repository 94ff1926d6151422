/**
 * What was pasted, made into what was meant: `Authorization: Bearer <jwt>` with quotes, line
 * breaks and stray whitespace becomes the token. Characters no token contains (zero-width spaces,
 * look-alike letters) are not silently dropped: they are reported, since they may be a trick.
 * Every step is bounded, so 8 MB of quotes or spaces is answered as quickly as a token.
 */
import { isAsciiSpace, trimWhile } from '../trim';
import type { BrokenToken } from './broken-in-paste';
import { findTokensInPaste, type FoundToken } from './find-in-paste';
import { isSdJwt, withTildes } from './sd-jwt-in-paste';
import { isCompactToken } from './token-in-text';

export interface Normalized {
  token: string;
  /** Characters outside printable ASCII, with their place in the paste (from 1) and code point. */
  strange: { position: number; codePoint: string }[];
  /** Nothing but base64url characters and dots, as pasted: no part needs its alphabet checked again. */
  bare: boolean;
  /** Whitespace inside a paste larger than any token, left in place rather than joined (see MAX_JOINED_CHARS). */
  tooLargeToJoin: boolean;
}

/**
 * `Authorization: Bearer …` or `DPoP …` (or `JWT …`, as djangorestframework-jwt has it, or no scheme
 * at all), and the `DPoP: …` header a proof travels in (RFC 9449 §4.1). `Bearer` may end a line:
 * e-mail and chat wrap a header at that space.
 */
const WRAPPERS = /^(?:authorization[ \t]*:\s*(?:(?:bearer|dpop|token|jwt)\s+)?|(?:bearer|dpop|token|jwt)\s+|dpop[ \t]*:\s*)/i;
/**
 * Any other scheme word (`OAuth`, `MAC`, `ApiKey`, `access_token`) before a JWT: left on, joining
 * would glue it to the token and hide the JWT. Only before what begins as a JOSE header (`ey`,
 * `ew`), and never a word that itself begins so, which would be the first line of a wrapped token.
 */
const SCHEME_BEFORE_JWT = /^(?!e[wy])[A-Za-z][\w-]{0,30}[ \t]+(?=e[wy])/;
const QUOTES = new Set(['"', "'", '`']);
/** The rest of a bearer token (RFC 6750 §2.1's characters) wrapped onto the lines below it, and nothing else. */
const WRAPPED_REST = /^(?:[ \t]*\r?\n[ \t]*[A-Za-z0-9._~+/-]+=*)+\s*$/;
/** A bare compact token, as most pastes are: nothing to strip and nothing strange. */
export const BARE = /^[A-Za-z0-9_.-]+$/;
/** A compact token and an SD-JWT's tail with a `~` written `%7E`, as a form body has it. */
const ESCAPED_SD_JWT = /^e[w-z0-9_-][A-Za-z0-9_.~-]*(?:%7[Ee][A-Za-z0-9_.~-]*)+$/;
/** A header quoted in a log line is two or three layers; eight is beyond any real paste. */
const MAX_UNWRAP_ROUNDS = 8;
/**
 * Far beyond any token wrapped across lines (servers refuse headers over 8 to 16 KB). Joining a
 * paste costs a step per run of whitespace, so a larger one is left as it is and refused.
 */
const MAX_JOINED_CHARS = 256 * 1024;
const MAX_STRANGE = 20;

/** Non-ASCII and control characters (ASCII whitespace aside, which is stripped), as whole code points. */
function strangeCharacters(input: string): Normalized['strange'] {
  const strange: Normalized['strange'] = [];
  let position = 0;
  for (let i = 0; i < input.length && strange.length < MAX_STRANGE; i++) {
    position++;
    const code = input.charCodeAt(i);
    if (code >= 0x20 && code <= 0x7e) continue;
    if (isAsciiSpace(code)) continue;
    const point = input.codePointAt(i)!;
    // A pair of surrogates is one character, as the user sees it: U+1F600, not U+D83D and U+DE00.
    if (point > 0xffff) i++;
    strange.push({ position, codePoint: `U+${point.toString(16).toUpperCase().padStart(4, '0')}` });
  }
  return strange;
}

export function normalizeToken(input: string): Normalized {
  if (BARE.test(input)) return { token: input, strange: [], bare: true, tooLargeToJoin: false };
  // Looked for in the paste itself, so a position is where the user can find it. Only ASCII is
  // stripped below, so every such character is also in the token.
  const strange = strangeCharacters(input);
  // ASCII whitespace only: a no-break space or byte-order mark is reported, not dropped.
  const asciiTrim = (t: string) => trimWhile(t, isAsciiSpace);
  let text = asciiTrim(input);
  for (let round = 0, changed = true; changed && round < MAX_UNWRAP_ROUNDS; round++) {
    changed = false;
    const wrapper = WRAPPERS.exec(text) ?? SCHEME_BEFORE_JWT.exec(text);
    if (wrapper) {
      text = asciiTrim(text.slice(wrapper[0].length));
      changed = true;
    }
    if (text.length >= 2 && QUOTES.has(text[0]) && text[text.length - 1] === text[0]) {
      text = asciiTrim(text.slice(1, -1));
      changed = true;
    }
  }
  // A token wrapped across lines by a terminal or an e-mail: whitespace inside is not part of it.
  // (A PEM block keeps its lines: it is recognised as an opaque secret, not decoded.)
  let tooLargeToJoin = false;
  if (/[ \t\r\n]/.test(text) && !text.startsWith('-----BEGIN')) {
    if (text.length <= MAX_JOINED_CHARS) text = text.replace(/[ \t\r\n]+/g, '');
    else tooLargeToJoin = true;
  }
  return { token: text, strange, bare: false, tooLargeToJoin };
}

/**
 * An SD-JWT alone whose `~` a form body wrote `%7E` (Java's URLEncoder), read with them, as a
 * verifier decodes the value once and as the paste search reads one in text. Only an SD-JWT: a
 * plain JWT then `%7E` is refused for the `%` it has. At the top level only: a payload or a JWE's
 * plaintext is never percent-decoded by a verifier.
 */
function unescapedSdJwt(text: string): string {
  if (text.length > MAX_JOINED_CHARS || !ESCAPED_SD_JWT.test(text)) return text;
  const read = withTildes(text);
  const tilde = read.indexOf('~');
  return isSdJwt(read.slice(0, tilde), read.slice(tilde)) ? read : text;
}

/** How many dot-separated parts a text has, counting no further than `limit`: a paste of dots is not split. */
export function countParts(text: string, limit: number): number {
  let parts = 1;
  for (let at = text.indexOf('.'); at !== -1 && parts < limit; at = text.indexOf('.', at + 1)) parts++;
  return parts;
}

/** A paste as the inspector reads it at the top level: the token meant, or the one picked from several. */
export interface PasteRead extends Normalized {
  /** The compact tokens in a paste that is more than a token (JSON, a URL, a cookie, a log line, two tokens). */
  found: FoundToken[];
  /** The paste holds more tokens than `found` lists (MAX_FOUND). */
  more: boolean;
  /** Which of `found` is `token`; null when the paste was read as one token. */
  picked: number | null;
  /** A run beside the tokens found that begins as a JWT but breaks: the paste is refused, not read around it. */
  broken: BrokenToken | null;
  /** `token` is an SD-JWT whose `~` the paste wrote `%7E`, read with `~`. */
  escaped: boolean;
}

/**
 * Characters that hide or reorder text as it is shown (bidi controls and isolates, zero-width and
 * other format characters, variation selectors and fillers, controls but ASCII whitespace): with one anywhere in a paste,
 * what the screen shows may not be what is read, so no token is picked out of it.
 */
const HIDING = /[\p{Default_Ignorable_Code_Point}\p{Cf}]|(?![\t\n\v\f\r])\p{Cc}/u;

/**
 * A paste read as one token. Built member by member: in V8 (Node 20), an object spread followed by
 * more members costs about a microsecond per member, a tenth of a whole HS256 inspection.
 */
export function asOnePaste({ token, strange, bare, tooLargeToJoin }: Normalized, escaped = false): PasteRead {
  return { token, strange, bare, tooLargeToJoin, found: [], more: false, picked: null, broken: null, escaped };
}

/**
 * The paste made a token, unless it is more than one: text around a token (a JSON answer, a URL,
 * typographic quotes, a line of words below it) or several tokens, which joining would glue into
 * one. Then the token `pick` names is read, the first by default. A paste holding no token is left
 * as normalised, to be refused with its reason.
 */
export function readPaste(input: string, pick = 0): PasteRead {
  const read = normalizeToken(input);
  if (read.bare || read.tooLargeToJoin) return asOnePaste(read);
  const token = unescapedSdJwt(read.token);
  const normalized = token === read.token ? read : { ...read, token };
  const asOne = asOnePaste(normalized, token !== read.token);
  if (normalized.strange.length > 0 && HIDING.test(input)) return asOne;
  const { found, more, broken } = findTokensInPaste(input);
  // A broken token is never read around: another one beside it would take the screen, and the
  // look-alike letter or cut in it go unsaid. Alone, it is refused as the token it was unwrapped to,
  // unless text around it (JSON, a log line) would be read as its header.
  if (broken && (found.length > 0 || !normalized.token.startsWith('e'))) return Object.assign(asOne, { broken });
  if (found.length === 0) return asOne;
  // The paste is one token, trimmed, unwrapped or joined again; or one whose length its header does
  // not fix, which the finder takes only up to its first line break, and which joining reads whole.
  const [first] = found;
  // So is `Bearer <opaque token>` wrapped across lines: nothing but a scheme before it, and after it
  // only lines that are each a bare run of its characters.
  // (An SD-JWT's issuer-signed JWT, before its first `~`, is a compact token too: its tail is the finder's to join.)
  const wrappedOpaque = () => normalized.token.startsWith(first.token) && WRAPPED_REST.test(input.slice(input.indexOf(first.token) + first.token.length)) && !isCompactToken(first.token.split('~', 1)[0]);
  const oneToken = found.length === 1 && normalized.strange.length === 0 && (first.token === normalized.token || wrappedOpaque() || (!first.whole && isCompactToken(normalized.token)));
  if (oneToken) return asOne;
  const picked = Number.isInteger(pick) ? Math.min(Math.max(0, pick), found.length - 1) : 0;
  const chosen = found[picked];
  return { token: chosen.token, strange: [], bare: BARE.test(chosen.token), tooLargeToJoin: false, found, more, picked, broken: null, escaped: chosen.escaped === true };
}
