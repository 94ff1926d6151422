/**
 * Compact tokens inside a paste that is more than a token: a token endpoint's JSON answer, a
 * callback URL, a Set-Cookie line, a curl command, a log line. Each is found with the name it is
 * given there (`access_token`, `session`, `Authorization`), so a responder who pastes what they
 * have is told which token was read, and what else the paste holds.
 * Only a whole token is taken: one set off from the text around it, and with the parts its header
 * calls for. A token wrapped across lines is joined again; a fragment is never read as a token.
 * One pass over the paste, with a bound on what is tried, so the cost stays bounded.
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

export interface FoundToken {
  /** What the paste calls it (`access_token`, `id_token`, `session`), null when nothing does. */
  name: string | null;
  /** The token, with the line breaks of a paste that wrapped it taken out. */
  token: string;
}

/** A token endpoint's answer or a log file is kilobytes; larger pastes are not searched. */
export const MAX_SEARCHED_CHARS = 256 * 1024;
/** More than a token response (access, ID and refresh token) or a request dump holds. */
export const MAX_FOUND = 20;
/** Runs that begin like a token, tried at most: a paste of near-tokens is answered as fast as one. */
const MAX_TRIED = 200;
/** Lines one token may be wrapped over, joined again at most. */
const MAX_JOINED_LINES = 64;

/** Runs of what a compact token is made of; whatever else lies between them is the text around. */
const RUNS = /[A-Za-z0-9_.-]+/g;
/**
 * What may stand just before and just after a token in text: space, quotes (typographic ones too,
 * as chat and word processors turn them), brackets, and the separators of JSON, URLs, cookies and
 * SD-JWT (`~`). Anything else (`+`, `/`, `%`, `!`, a letter no token has) means the run goes on:
 * it is one broken token, left to be refused whole, with the character that breaks it.
 */
const BEFORE = new Set([...' \t\r\n"\'`=:,;&?#([{<>|~', '\u201c', '\u2018', '\u00ab']);
const AFTER = new Set([...' \t\r\n"\'`,;&#)]}<>|~', '\u201d', '\u2019', '\u00bb']);
/**
 * What names the run that follows: a JSON member (`"id_token": "`), a URL parameter, cookie or
 * variable (`access_token=`), or a header or YAML key that names a credential (`Authorization: Bearer `).
 */
const NAMED = /(?:"([\w.-]{1,64})"\s*:\s*"|([\w.-]{1,64})=|([\w-]{0,40}(?:authorization|dpop|token|jwt|assertion|session|cookie|credential|secret|key)[\w-]{0,40})[ \t]*:[ \t]*(?:(?:bearer|dpop|token|jwt)[ \t]+)?)$/i;
/** How far before a token its name is looked for. */
const NAME_REACH = 100;

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
};
const RSA_SIGNATURE_CHARS = [171, 342, 512, 683];
/** An AEAD tag: 16 bytes for AES-GCM and A128CBC-HS256, 24 and 32 for the larger CBC-HMAC suites. */
const TAG_CHARS = [22, 32, 43];

/**
 * Whether a run has every part its header calls for: a JWE five, with a tag of its length; a JWS
 * three, with a signature of its algorithm's length. An algorithm that fixes no length is taken as it is.
 */
function isWhole(run: string, header: Record<string, unknown>): boolean {
  const parts = run.split('.');
  const last = parts[parts.length - 1].length;
  if (typeof header.enc === 'string') return parts.length === 5 && TAG_CHARS.includes(last);
  if (parts.length !== 3) return false;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const lengths = /^(?:RS|PS)\d{3}$/.test(alg) ? RSA_SIGNATURE_CHARS : SIGNATURE_CHARS[alg];
  return !lengths || lengths.includes(last);
}

/**
 * The paste's text from `end` on, joined over line breaks while the token is not yet whole (a
 * terminal or an e-mail wrapped it): where it ends and what it reads, or null when no join makes it whole.
 */
function joinWrapped(paste: string, start: number, end: number, header: Record<string, unknown>): { end: number; token: string } | null {
  let token = paste.slice(start, end);
  let at = end;
  for (let line = 0; line < MAX_JOINED_LINES; line++) {
    const next = /^[ \t]*\r?\n[ \t]*([A-Za-z0-9_.-]+)/.exec(paste.slice(at, at + 4096));
    if (!next) return null;
    token += next[1];
    at += next[0].length;
    if (token.split('.').length > 5) return null;
    if (isWhole(token, header) && AFTER.has(paste[at] ?? ' ')) return { end: at, token };
  }
  return null;
}

/** The name the paste gives the token at `start`, unless it would be read from the token before (`tokA=tokB`). */
function nameBefore(paste: string, start: number, previousEnd: number): string | null {
  const from = Math.max(0, start - NAME_REACH, previousEnd);
  const named = NAMED.exec(paste.slice(from, start));
  // The tail of a longer run (another token, a hash) is no name.
  if (!named || /[A-Za-z0-9_.-]/.test(paste[from + named.index - 1] ?? ' ')) return null;
  return named[1] ?? named[2] ?? named[3];
}

/**
 * The whole compact tokens in a paste, in order, up to MAX_FOUND; `more` when it holds others past those.
 * A run is a token when it is set off from the text, its first part is a JOSE header, and it has
 * the parts that header calls for, once joined over the lines a wrap broke it into.
 */
export function findTokensInPaste(paste: string): { found: FoundToken[]; more: boolean } {
  const found: FoundToken[] = [];
  if (paste.length > MAX_SEARCHED_CHARS) return { found, more: false };
  let tried = 0;
  let previousEnd = 0;
  for (const match of paste.matchAll(RUNS)) {
    if (match.index < previousEnd || !/^e[w-z0-9_-]/.test(match[0])) continue;
    if (++tried > MAX_TRIED) break;
    const start = match.index;
    // A sentence may end just after a token: its full stop is not a fourth part.
    const run = match[0].endsWith('.') && !COMPACT.test(match[0]) ? match[0].slice(0, -1) : match[0];
    if (!BEFORE.has(paste[start - 1] ?? ' ') || !COMPACT.test(run)) continue;
    const header = joseHeaderOf(run.slice(0, run.indexOf('.')));
    if (!header) continue;
    const end = start + run.length;
    // After a sentence's full stop, what follows the stop sets the token off.
    const after = run === match[0] ? paste[end] : paste[end + 1];
    const setOff = AFTER.has(after ?? ' ');
    // A token with no signature is the stripped-token attack, unless the next line holds the signature a wrap cut off.
    const stripped = setOff && run.endsWith('.') && !header.enc;
    const whole = isWhole(run, header) && setOff ? { end, token: run } : (joinWrapped(paste, start, start + match[0].length, header) ?? (stripped ? { end, token: run } : null));
    if (!whole) continue;
    if (found.length === MAX_FOUND) return { found, more: true };
    found.push({ name: nameBefore(paste, start, previousEnd), token: whole.token });
    previousEnd = whole.end;
  }
  return { found, more: false };
}
