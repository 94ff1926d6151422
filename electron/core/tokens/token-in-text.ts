/**
 * How a token stands in text: what a compact token looks like and whether a first part is a JOSE
 * header; which characters set a token off from the text around it, and which go on its run; and
 * how long a signature or tag is for an algorithm, so a token wrapped across lines is joined as far
 * as its header says it must go. Shared by the paste search (find-in-paste.ts), the refusal of a
 * broken JWT (broken-in-paste.ts) and an SD-JWT's tail (sd-jwt-in-paste.ts).
 */
/**
 * A compact JWS (3 parts, the last may be empty) or JWE (5 parts, the second empty for "dir")
 * whose header begins with `{`: base64url `e` then one of w–z, 0–9, -, _. So `www.example.com` is not one.
 */
const COMPACT = /^e[w-z0-9_-][A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?$/;

/** A first part decoded as a JOSE header (a JSON object), or null. Text that cannot be one is not handed to JSON.parse. */
export function joseHeaderOf(part: string): Record<string, unknown> | null {
  const text = Buffer.from(part, 'base64url').toString('utf8').trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  try {
    const header: unknown = JSON.parse(text);
    return typeof header === 'object' && header !== null && !Array.isArray(header) ? (header as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Whether a text is itself a compact token, rather than claims (whose URLs have dots too). A line
 * break around it, as `echo` and text files leave one, does not hide it.
 */
export function isCompactToken(text: string): boolean {
  const token = text.trim();
  return COMPACT.test(token) && joseHeaderOf(token.slice(0, token.indexOf('.'))) !== null;
}

/** Lines one token may be wrapped over, joined again at most (an 8 KB token at 76 columns is 108). */
export const MAX_JOINED_LINES = 128;

/** The rest of a run of what a compact token is made of, from where it begins. */
const RUN = /[A-Za-z0-9_.-]+/y;
/**
 * What may stand just before and just after a token in text: space, quotes (typographic ones too,
 * as chat and word processors turn them), brackets, and the separators of JSON, URLs, cookies and
 * SD-JWT (`~`). Anything else (`+`, `/`, `%`, `!`, a letter no token has) means the run goes on:
 * it is one broken token, left to be refused whole, with the character that breaks it.
 */
export const BEFORE = new Set([...' \t\r\n"\'`=:,;&?#([{<>|~']);
export const AFTER = new Set([...' \t\r\n"\'`,;&#)]}<>|~']);
/**
 * After a whole token only: a log's colon (`invalid token ey…: expired`) and the backslash of JSON
 * escaped inside JSON (`\"id_token\":\"ey…\"`). After a token cut short they may be inside it.
 */
export const AFTER_WHOLE = new Set([':', '\\']);
/**
 * Non-ASCII that goes on a run rather than setting it off: what may be taken for a token's own
 * character (a letter, digit or mark; a hyphen, minus or underscore; a middle or one-dot leader). Any
 * other (a space, a quote of any script, an em dash, an ellipsis, CJK punctuation, a symbol) sets it off.
 */
export const LOOKS_LIKE_TOKEN_CHARACTER = /[\p{L}\p{N}\p{M}\p{Pc}\u00ad\u02d7\u2010-\u2013\u2212\ufe63\uff0d\u00b7\u2024\u2027\u2219\u22c5\u30fb\uff0e]/u;

/** A percent escape (`%3D`), as a URL carried inside another URL's parameter has its separators. */
const PERCENT_ESCAPE = /^%[0-9A-Fa-f]{2}$/;

/**
 * Whether the character at `index` sets a token off on that side; beyond either end of the paste,
 * it is. So does a percent escape of such a character (`…%23id_token%3Dey…%26state`); an escape of
 * any other (`%3D%3D` padding, `%2B` of standard base64) goes on the run, which stays broken, and
 * so does `%7E`: only an SD-JWT's tail may begin with it (see escapedTildeAt).
 */
export function setsOff(paste: string, index: number, side: ReadonlySet<string>): boolean {
  // A pair of surrogates is one character: the whole of it, read back from its end when before.
  const character = side === BEFORE ? characterBefore(paste, index + 1) : characterAt(paste, index);
  if (character === '') return true;
  if (character > '\x7f') return !LOOKS_LIKE_TOKEN_CHARACTER.test(character);
  if (side.has(character)) return true;
  const escape = side === BEFORE ? paste.slice(Math.max(0, index - 2), index + 1) : paste.slice(index, index + 3);
  if (!PERCENT_ESCAPE.test(escape)) return false;
  // Not an SD-JWT's `~` as `%7E`: a JWT read without its tail would lack its disclosures.
  const decoded = String.fromCharCode(Number.parseInt(escape.slice(1), 16));
  return decoded !== '~' && side.has(decoded);
}

/**
 * Whether an SD-JWT's `~` stands at `index` written `%7E`, as Java's URLEncoder writes a form body
 * (`vp_token=ey…%7EWy…%7E`). After a whole JWT the run may end there, for its tail to be read with
 * `~` (sd-jwt-in-paste.ts); a JWT followed by one that is no SD-JWT's stays one broken run.
 */
export function escapedTildeAt(paste: string, index: number): boolean {
  return paste[index] === '%' && paste[index + 1] === '7' && (paste[index + 2] === 'E' || paste[index + 2] === 'e');
}

/** A signature's length in base64url for each algorithm that fixes it; RSA's follows the key (1024 to 4096 bits). */
const SIGNATURE_CHARS: Record<string, readonly number[]> = {
  none: [0],
  HS256: [43],
  HS384: [64],
  HS512: [86],
  ES256: [86],
  ES256K: [86],
  ES384: [128],
  ES512: [176],
  EdDSA: [86, 152],
  Ed25519: [86],
  Ed448: [152],
  // FIPS 204 signatures: 2,420, 3,309 and 4,627 bytes.
  'ML-DSA-44': [3227],
  'ML-DSA-65': [4412],
  'ML-DSA-87': [6170],
};
const RSA_SIGNATURE_CHARS = [171, 342, 512, 683];
/** An AEAD tag: 16 bytes for AES-GCM and A128CBC-HS256, 24 and 32 for the larger CBC-HMAC suites. */
const TAG_CHARS = [22, 32, 43];

/**
 * Whether a run of `parts` parts, the last `last` characters long, has every part its header calls
 * for: a JWE five, with a tag of its length; a JWS three, with a signature of its algorithm's
 * length. Null for an algorithm that fixes no length: where it ends cannot be told.
 */
export function isWhole(parts: number, last: number, header: Record<string, unknown>): boolean | null {
  if (typeof header.enc === 'string') return parts === 5 && TAG_CHARS.includes(last);
  if (parts !== 3) return false;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  // RS1 too, and "none" in any case, as an attacker writes it.
  const lengths = /^(?:RS|PS)\d+$/.test(alg) ? RSA_SIGNATURE_CHARS : alg.toLowerCase() === 'none' ? SIGNATURE_CHARS.none : SIGNATURE_CHARS[alg];
  return lengths ? lengths.includes(last) : null;
}

/** A run from `at` on, or the empty string. */
export function runAt(paste: string, at: number): string {
  RUN.lastIndex = at;
  return RUN.exec(paste)?.[0] ?? '';
}

/** The whole character at `index`, or just before it; the empty string beyond the paste. */
export function characterAt(paste: string, index: number): string {
  const point = paste.codePointAt(index);
  return point === undefined ? '' : String.fromCodePoint(point);
}
export function characterBefore(paste: string, index: number): string {
  if (index <= 0) return '';
  return index >= 2 && /[\udc00-\udfff]/.test(paste[index - 1]) ? paste.slice(index - 2, index) : paste[index - 1];
}

/** A token's character, or one that may be taken for it. */
export function inRun(character: string): boolean {
  const code = character.charCodeAt(0);
  if (code <= 0x7f) return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x2d || code === 0x2e;
  return LOOKS_LIKE_TOKEN_CHARACTER.test(character);
}
