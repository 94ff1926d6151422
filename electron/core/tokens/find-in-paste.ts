/**
 * Tokens inside a paste that is more than a token: a token endpoint's JSON answer, a callback URL,
 * a Set-Cookie line, a curl command, a log line. Each is found with the name it is
 * given there (`access_token`, `session`, `Authorization`), so a responder who pastes what they
 * have is told which token was read, and what else the paste holds.
 * A token is taken only when set off from the text around it: a run that goes on (a redaction,
 * padding, URL encoding) is one broken token, left to be refused whole. A token wrapped across lines
 * is joined again as far as its header says it must go, and never glued to the words below it.
 * The paste is searched only where a token may begin, with a bound on what is tried.
 * Opaque tokens are found as the leak scanner finds them (opaque-in-paste.ts).
 */
import { findOpaqueInPaste } from './opaque-in-paste';
import { classifyOpaqueToken } from './opaque-formats';

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
  /**
   * Whether it has the parts and signature length its header calls for. A token whose algorithm
   * fixes no length, or whose signature is not that length (alg none with a signature, a cut one), is still found.
   */
  whole: boolean;
}

/** A token endpoint's answer or a log file is kilobytes; larger pastes are not searched. */
export const MAX_SEARCHED_CHARS = 256 * 1024;
/** More than a token response (access, ID and refresh token) or a request dump holds. */
export const MAX_FOUND = 20;
/** Runs that begin like a token, tried at most: a paste of near-tokens is answered as fast as one. */
const MAX_TRIED = 200;
/** Lines one token may be wrapped over, joined again at most (an 8 KB token at 76 columns is 108). */
const MAX_JOINED_LINES = 128;

/** Where a token may begin: a JOSE header's first two characters, after no character a token has. */
const STARTS = /(?<![A-Za-z0-9_.-])e[w-z0-9_-]/g;
/** The rest of a run of what a compact token is made of, from where it begins. */
const RUN = /[A-Za-z0-9_.-]+/y;
/** A line break a terminal or an e-mail wrapped a token at, and the run on the next line. */
const NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}([A-Za-z0-9_.-]+)/y;
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

/** A run from `at` on, or the empty string. */
function runAt(paste: string, at: number): string {
  RUN.lastIndex = at;
  return RUN.exec(paste)?.[0] ?? '';
}

/**
 * The token that begins at `start`: its first line's run, joined with the runs of the lines after
 * it while a wrap may have cut it. The longest join that is whole wins (a 2048-bit RSA signature cut
 * where a 1024-bit one would end is joined on); failing any, the first line's run as it is, when set
 * off and compact, so an unsecured or cut token is still found, never glued to the words below it.
 */
function tokenAt(paste: string, start: number): { token: string; end: number; whole: boolean } | null {
  const pieces: { text: string; end: number }[] = [];
  let at = start;
  for (let line = 0; line <= MAX_JOINED_LINES; line++) {
    let text: string;
    if (line === 0) text = runAt(paste, at);
    else {
      NEXT_LINE.lastIndex = at;
      const next = NEXT_LINE.exec(paste);
      if (!next) break;
      text = next[1];
      at = NEXT_LINE.lastIndex - text.length;
    }
    at += text.length;
    pieces.push({ text, end: at });
  }
  let joined = '';
  let header: Record<string, unknown> | null | undefined;
  let best: { token: string; end: number; whole: boolean } | null = null;
  for (const [index, piece] of pieces.entries()) {
    joined += piece.text;
    if (joined.split('.', 7).length > 6) break;
    // A sentence may end just after a token: its full stop is not a fourth part.
    const stop = joined.endsWith('.') && !COMPACT.test(joined);
    const token = stop ? joined.slice(0, -1) : joined;
    // What follows the run (after the full stop, if any) must set it off from the text.
    if (!COMPACT.test(token) || !AFTER.has(paste[piece.end] ?? ' ')) continue;
    header ??= joseHeaderOf(token.slice(0, token.indexOf('.')));
    if (!header) return null;
    const end = stop ? piece.end - 1 : piece.end;
    if (isWhole(token, header)) best = { token, end, whole: true };
    else if (index === 0) best = { token, end, whole: false };
  }
  return best;
}

/** The name the paste gives the token at `start`, unless it would be read from the token before (`tokA=tokB`). */
function nameBefore(paste: string, start: number, previousEnd: number): string | null {
  const from = Math.max(0, start - NAME_REACH, previousEnd);
  const named = NAMED.exec(paste.slice(from, start));
  // The tail of a longer run (another token, a hash, a word in another script) is no name.
  if (!named || /[\p{L}\p{N}_.-]/u.test(paste[from + named.index - 1] ?? ' ')) return null;
  return named[1] ?? named[2] ?? named[3];
}

/** The line below a value, when it could be the rest of it: a bare run of a token's characters. */
const CONTINUED = /[ \t]{0,64}\r?\n[ \t]{0,64}([A-Za-z0-9_.~+/-]+=*)/y;

/**
 * Whether an opaque value stands set off from the text as a JWT must: a value cut short by a
 * look-alike letter is no token. Nor is one ending a line whose next line may be the rest of it (a
 * bare run, not a token of its own, that its format, if any, still takes): with no length to go by,
 * which it is cannot be told, and its first line is never read as all of it.
 */
function opaqueSetOff(paste: string, at: number, end: number): boolean {
  const next = paste[end] === '.' ? end + 1 : end;
  if (!BEFORE.has(paste[at - 1] ?? ' ') || !AFTER.has(paste[next] ?? ' ')) return false;
  CONTINUED.lastIndex = end;
  const rest = CONTINUED.exec(paste)?.[1];
  if (rest === undefined || !AFTER.has(paste[CONTINUED.lastIndex] ?? ' ') || classifyOpaqueToken(rest)) return true;
  const token = paste.slice(at, end);
  return classifyOpaqueToken(token) !== null && classifyOpaqueToken(token + rest) === null;
}

/** A JSON object's first member, as a JOSE header begins: `{"`, `{ "`, `{` and a line break. */
const OBJECT_START = /^\{\s*"/;
/** A member only a JOSE header has, among the first a header holds. */
const JOSE_MEMBER = /"(?:alg|enc|typ|kid|cty|crit|jku|jwk|x5u|x5c|x5t)"/;
/** Enough of a first part to see what it begins with. */
const HEAD_CHARS = 1024;

/** Where a run that begins as a JWT breaks, and with what character. */
export interface BrokenToken {
  /** The run's first character, counted from 1 in the paste's characters. */
  position: number;
  /** The character the run goes on with, or null when it is set off but its parts are wrong. */
  character: string | null;
}

/**
 * A run at `start` that is no token but begins as a JWT: one going on with a character no token
 * has, when its first part names a JOSE member, a dot came before, or the character is non-ASCII
 * (a look-alike letter); or one set off but with the wrong number of parts after a JOSE header. A
 * base64 JSON cursor with padding, or a word that begins with "ex", is none of these.
 */
function brokenAt(paste: string, start: number): BrokenToken | null {
  const run = runAt(paste, start);
  const dot = run.indexOf('.');
  const head = Buffer.from(run.slice(0, Math.min(dot === -1 ? run.length : dot, HEAD_CHARS)), 'base64url').toString('latin1');
  if (run.length < 16 || !OBJECT_START.test(head)) return null;
  const after = paste.codePointAt(start + run.length);
  const position = [...paste.slice(0, start)].length + 1;
  if (after !== undefined && !AFTER.has(String.fromCodePoint(after))) {
    return after > 0x7f || dot !== -1 || JOSE_MEMBER.test(head) ? { position, character: String.fromCodePoint(after) } : null;
  }
  return dot !== -1 && joseHeaderOf(run.slice(0, dot)) !== null ? { position, character: null } : null;
}

/**
 * The tokens in a paste, in order, up to MAX_FOUND; `more` when it holds others past those; and the
 * first run that begins as a JWT but breaks, which leaves the paste to be refused rather than read
 * around. A compact token is found when it is set off from the text around it and its first part is
 * a JOSE header; one wrapped across lines is joined again (see tokenAt). An opaque one is found by
 * its provider's format or a token's name (see opaque-in-paste.ts), unless it lies inside a JWT's run.
 */
export function findTokensInPaste(paste: string): { found: FoundToken[]; more: boolean; broken: BrokenToken | null } {
  if (paste.length > MAX_SEARCHED_CHARS) return { found: [], more: false, broken: null };
  const spans: { at: number; end: number; token: string; whole: boolean }[] = [];
  let broken: BrokenToken | null = null;
  let tried = 0;
  let previousEnd = 0;
  for (const match of paste.matchAll(STARTS)) {
    const start = match.index;
    if (start < previousEnd || !BEFORE.has(paste[start - 1] ?? ' ')) continue;
    if (++tried > MAX_TRIED) break;
    const token = tokenAt(paste, start);
    if (token) {
      spans.push({ at: start, end: token.end, token: token.token, whole: token.whole });
      previousEnd = token.end;
    } else broken ??= brokenAt(paste, start);
  }
  const jwts = spans.length;
  const beside = (at: number, end: number) => opaqueSetOff(paste, at, end) && !spans.slice(0, jwts).some((jwt) => at < jwt.end && jwt.at < end);
  spans.push(...findOpaqueInPaste(paste, MAX_FOUND + 1, beside).map((opaque) => ({ ...opaque, whole: true })));
  spans.sort((a, b) => a.at - b.at);
  const found = spans.slice(0, MAX_FOUND).map((span, i) => ({ name: nameBefore(paste, span.at, i === 0 ? 0 : spans[i - 1].end), token: span.token, whole: span.whole }));
  return { found, more: spans.length > MAX_FOUND, broken };
}
