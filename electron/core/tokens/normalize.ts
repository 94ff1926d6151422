/**
 * What was pasted, made into what was meant: `Authorization: Bearer <jwt>` with quotes, line
 * breaks and stray whitespace becomes the token. Characters no token contains (zero-width spaces,
 * look-alike letters) are not silently dropped: they are reported, since they may be a trick.
 */
import { isAsciiSpace, trimWhile } from '../trim';

export interface Normalized {
  token: string;
  /** What was removed around or inside the token, for the screen to say. */
  stripped: string[];
  /** Characters outside ASCII found in the token, with their position and code point. */
  strange: { index: number; codePoint: string }[];
  /** Nothing but base64url characters and dots, as pasted: no part needs its alphabet checked again. */
  bare: boolean;
}

const WRAPPERS = /^(?:authorization[ \t]*:[ \t]*)?(?:bearer|dpop|token)[ \t]+/i;
const QUOTES = new Set(['"', "'", '`']);
/** A bare compact token, as most pastes are: nothing to strip and nothing strange. */
const BARE = /^[A-Za-z0-9_.-]+$/;

export function normalizeToken(input: string): Normalized {
  if (BARE.test(input)) return { token: input, stripped: [], strange: [], bare: true };
  const stripped: string[] = [];
  // ASCII whitespace only: a no-break space or byte-order mark is reported below, not dropped.
  const asciiTrim = (t: string) => trimWhile(t, isAsciiSpace);
  let text = asciiTrim(input);
  if (text !== input) stripped.push('surrounding whitespace');
  for (let changed = true; changed; ) {
    changed = false;
    const wrapper = WRAPPERS.exec(text);
    if (wrapper) {
      stripped.push(`"${wrapper[0].trim()}" prefix`);
      text = asciiTrim(text.slice(wrapper[0].length));
      changed = true;
    }
    if (text.length >= 2 && QUOTES.has(text[0]) && text[text.length - 1] === text[0]) {
      stripped.push('quotes');
      text = asciiTrim(text.slice(1, -1));
      changed = true;
    }
  }
  // A token wrapped across lines by a terminal or an e-mail: whitespace inside is not part of it.
  // (A PEM block keeps its lines: it is recognised as an opaque secret, not decoded.)
  if (/[ \t\r\n]/.test(text) && !text.startsWith('-----BEGIN')) {
    text = text.replace(/[ \t\r\n]+/g, '');
    stripped.push('whitespace inside');
  }
  const strange: Normalized['strange'] = [];
  for (let i = 0; i < text.length && strange.length < 20; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7e || code < 0x20) strange.push({ index: i, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` });
  }
  return { token: text, stripped, strange, bare: false };
}
