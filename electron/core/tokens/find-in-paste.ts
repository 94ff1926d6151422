/**
 * Compact tokens inside a paste that is more than a token: a token endpoint's JSON answer, a
 * callback URL, a Set-Cookie line, a curl command, a log line. Each is found with the name it is
 * given there (`access_token`, `session`, `Authorization`), so a responder who pastes what they
 * have is told which token was read, and what else the paste holds.
 * One pass over the paste with a pattern that cannot backtrack, and pastes larger than any
 * such text are not searched, so the cost stays bounded.
 */

/**
 * A compact JWS (3 parts, the last may be empty) or JWE (5 parts, the second empty for "dir")
 * whose header begins with `{`: base64url `e` then one of w–z, 0–9, -, _. So `www.example.com` is not one.
 */
const COMPACT = /^e[w-z0-9_-][A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)?$/;

/**
 * Whether a text is itself a compact token, rather than claims (whose URLs have dots too). A line
 * break around it, as `echo` and text files leave one, does not hide it.
 */
export function isCompactToken(text: string): boolean {
  const token = text.trim();
  if (!COMPACT.test(token)) return false;
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && !Array.isArray(header);
  } catch {
    return false;
  }
}

export interface FoundToken {
  /** What the paste calls it (`access_token`, `id_token`, `session`), null when nothing does. */
  name: string | null;
  /** Where it is in the paste, as string offsets: the paste is ASCII, or it is refused before this. */
  start: number;
  end: number;
}

/** A token endpoint's answer or a log file is kilobytes; larger pastes are not searched. */
export const MAX_SEARCHED_CHARS = 256 * 1024;
/** More than a token response (access, ID and refresh token) or a request dump holds. */
export const MAX_FOUND = 20;

/** Runs of what a compact token is made of; whatever else lies between them is the text around. */
const RUNS = /[A-Za-z0-9_.-]+/g;
/**
 * What names the run that follows: a JSON member (`"id_token": "`), a URL parameter, cookie or
 * variable (`access_token=`), or a header (`Authorization: Bearer `, as curl's `-H` has it).
 */
const NAMED = /(?:"([\w.-]{1,64})"\s*:\s*"|([\w.-]{1,64})=|([\w-]{1,64})[ \t]*:[ \t]*(?:(?:bearer|dpop|token|jwt)[ \t]+)?)$/i;
/** How far before a token its name is looked for. */
const NAME_REACH = 100;

/**
 * The compact tokens in a paste, in order. A run that goes on in standard base64 (`+`, `/`) or
 * ends in padding (`=`) is one broken token, not a token beside text: it is left to be refused
 * whole, with the character that breaks it.
 */
export function findTokensInPaste(paste: string): FoundToken[] {
  if (paste.length > MAX_SEARCHED_CHARS) return [];
  const found: FoundToken[] = [];
  for (const match of paste.matchAll(RUNS)) {
    const start = match.index;
    // A sentence may end just after a token: its full stop is not a fourth part.
    const run = match[0].endsWith('.') && !COMPACT.test(match[0]) ? match[0].slice(0, -1) : match[0];
    const end = start + run.length;
    if (/[+/]/.test(paste[start - 1] ?? '') || /[+/=]/.test(paste[end] ?? '') || !isCompactToken(run)) continue;
    const named = NAMED.exec(paste.slice(Math.max(0, start - NAME_REACH), start));
    found.push({ name: named ? (named[1] ?? named[2] ?? named[3]) : null, start, end });
    if (found.length === MAX_FOUND) break;
  }
  return found;
}
