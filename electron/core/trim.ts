/**
 * Trimming by character class in one pass from the ends. A regular expression such as
 * /[ \t]+$/ tries every start position and rescans each run it meets, so a long run that is not
 * at the end costs its square (50,000 spaces inside a paste took 4 s); these never look at a
 * character twice.
 */
export type CharTest = (code: number) => boolean;

/** The text without the characters at its end that pass `test`. */
export function trimEndWhile(text: string, test: CharTest): string {
  let end = text.length;
  while (end > 0 && test(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** The text without the characters at either end that pass `test`. */
export function trimWhile(text: string, test: CharTest): string {
  let start = 0;
  while (start < text.length && test(text.charCodeAt(start))) start++;
  return trimEndWhile(start === 0 ? text : text.slice(start), test);
}

/** The longest end of the text whose every character passes `test`. */
export function tailWhile(text: string, test: CharTest): string {
  let start = text.length;
  while (start > 0 && test(text.charCodeAt(start - 1))) start--;
  return text.slice(start);
}

/** Space, tab, CR and LF: the whitespace a terminal or e-mail puts around and inside a token. */
export const isAsciiSpace: CharTest = (code) => code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
