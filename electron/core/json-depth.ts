/** A JSON object, as parsed: not null and not an array. */
export const isJsonObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether JSON text nests deeper than `max` ([ and { outside strings), found in one linear pass
 * before JSON.parse is trusted with text built to exhaust a parser or whatever walks the result.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** Small objects are searched for a repeated name by scanning; past this many names, by a Set. */
const NAMES_SCANNED = 16;

/**
 * What a token's JSON must not do, found in one linear pass before JSON.parse is trusted with it:
 * nest deeper than `max`, or repeat a member name within an object. JSON.parse keeps the last of
 * two names and other parsers the first, so {"iss":"a","iss":"b"} says different things to
 * different servers. Names are compared decoded, as JSON.parse reads them, so an escape does not hide a repeat. Text that is not JSON
 * may pass: JSON.parse refuses it next.
 */
export function jsonShapeProblem(text: string, max: number): { deeper: true } | { repeated: string } | null {
  // The member names of each object open, innermost last; null for an array.
  const open: (string[] | Set<string> | null)[] = [];
  let expectName = false;
  // Depth is the graver problem, so a repeated name is reported only once the whole text is read.
  let repeated: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = stringEnd(text, i);
      if (end === -1) end = text.length;
      if (expectName) {
        // Decoded as JSON.parse will: "i\u0073s" and "iss" are one name twice, the attack itself.
        const name = decodedName(text.slice(i + 1, end));
        const names = open[open.length - 1]!;
        const seen = Array.isArray(names) ? names.includes(name) : names.has(name);
        if (seen) repeated ??= name;
        else if (Array.isArray(names)) {
          names.push(name);
          if (names.length > NAMES_SCANNED) open[open.length - 1] = new Set(names);
        } else names.add(name);
        expectName = false;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      if (open.length >= max) return { deeper: true };
      open.push(c === 0x7b ? [] : null);
      expectName = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      open.pop();
      expectName = false;
    } else if (c === 0x2c) expectName = open.length > 0 && open[open.length - 1] !== null;
  }
  return repeated === null ? null : { repeated };
}

/** A member name with its escapes decoded; as written when they do not decode (JSON.parse refuses those). */
function decodedName(written: string): string {
  if (!written.includes('\\')) return written;
  try {
    return JSON.parse(`"${written}"`) as string;
  } catch {
    return written;
  }
}

/** Where the JSON string opened by the quote at `open` closes; -1 when it never does. */
function stringEnd(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1 && escaped(text, end)) end = text.indexOf('"', end + 1);
  return end;
}

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function escaped(text: string, at: number): boolean {
  let slashes = 0;
  while (text.charCodeAt(at - 1 - slashes) === 0x5c) slashes++;
  return slashes % 2 === 1;
}

/**
 * The text of each member of a top-level JSON object, as written, by name (escapes decoded, so
 * `"a\/b"` is found as `a/b`). For values JSON.parse would change, such as integers past 2^53; run
 * only when one is there. Assumes text JSON.parse accepted and jsonShapeProblem passed.
 */
export function topLevelMemberTexts(text: string): Map<string, string> {
  const members = new Map<string, string>();
  let depth = 0;
  let expectName = false;
  let name: string | null = null;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (end === -1) break;
      if (depth === 1 && expectName) {
        const written = text.slice(i + 1, end);
        name = written.includes('\\') ? (JSON.parse(`"${written}"`) as string) : written;
        expectName = false;
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth === 1) expectName = c === 0x7b;
    } else if (c === 0x3a) {
      if (depth === 1 && name !== null && start === -1) start = i + 1;
    } else if (c === 0x2c || c === 0x7d || c === 0x5d) {
      // A comma or the closing brace at the top level ends the member being read.
      if (depth === 1 && name !== null && start !== -1) {
        members.set(name, text.slice(start, i).trim());
        name = null;
        start = -1;
      }
      if (c === 0x2c) expectName = depth === 1;
      else depth--;
    }
  }
  return members;
}

const isDigit = (code: number) => code >= 0x30 && code <= 0x39;
/** Fewer digits than this always parse exactly (2^53 has 16). */
const EXACT_DIGITS = 16;

/**
 * The first integer in JSON text that JSON.parse reads as another number (past 2^53, and not a
 * power of two that a double holds exactly), with what JavaScript then shows; null when none.
 */
export function firstChangedInteger(text: string): { written: string; read: string; printed: string } | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (end === -1) return null;
      i = end;
    } else if (c === 0x2d || isDigit(c)) {
      let end = i + 1;
      while (end < text.length && isDigit(text.charCodeAt(end))) end++;
      const next = text[end];
      const literal = text.slice(i, end);
      if (next !== '.' && next !== 'e' && next !== 'E' && literal.replace('-', '').length >= EXACT_DIGITS) {
        const read = Number(literal);
        // Past 1.8e308 a double holds no integer at all: JavaScript reads Infinity.
        if (!Number.isFinite(read)) return { written: literal, read: String(read), printed: String(read) };
        // The double's exact value: JavaScript prints 12345678901234567000 for what it holds as …168.
        if (BigInt(read) !== BigInt(literal)) return { written: literal, read: BigInt(read).toString(), printed: String(read) };
      }
      // A fraction or exponent: floating point by design, not an identifier.
      while (end < text.length && /[\d.eE+-]/.test(text[end])) end++;
      i = end - 1;
    }
  }
  return null;
}
