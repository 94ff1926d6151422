/**
 * Tokens inside a paste that is more than a token: a token endpoint's JSON answer, a callback URL,
 * a Set-Cookie line, a curl command, a log line. Each is found with the name it is
 * given there (`access_token`, `session`, `Authorization`), so a responder who pastes what they
 * have is told which token was read, and what else the paste holds.
 * A token is taken only when set off from the text around it: a run that goes on (a redaction,
 * padding, URL encoding) is one broken token, left to be refused whole. A token wrapped across lines
 * is joined again as far as its header says it must go, and never glued to the words below it.
 * The paste is searched only where a token may begin, with a bound on what is tried.
 * How a token stands in text is token-in-text.ts's; a broken JWT is broken-in-paste.ts's to find; an
 * SD-JWT's `~` tail is sd-jwt-in-paste.ts's; opaque tokens are found as the leak scanner finds them
 * (opaque-in-paste.ts).
 */
import { classifyOpaqueToken } from '../secrets/opaque-formats';
import { brokenAt, lookAlikeRun, type BrokenToken } from './broken-in-paste';
import { findOpaqueInPaste } from './opaque-in-paste';
import { sdJwtEnd } from './sd-jwt-in-paste';
import { AFTER, AFTER_WHOLE, BEFORE, characterAt, escapedTildeAt, isWhole, joseHeaderOf, MAX_JOINED_LINES, runAt, setsOff } from './token-in-text';

export type { BrokenToken };

export interface FoundToken {
  /** What the paste calls it (`access_token`, `id_token`, `session`), null when nothing does. */
  name: string | null;
  /** The token, with the line breaks of a paste that wrapped it taken out. */
  token: string;
  /** An SD-JWT whose `~` the paste wrote `%7E` (some or all), read with `~`. */
  escaped?: true;
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
/** Characters read after JWTs to tell where their `~` tails end, in all: a paste of JWTs glued to a run of tildes is answered as fast as one. */
const MAX_TAIL_SCANNED = 1024 * 1024;

/** Where a token may begin: a JOSE header's first two characters, after no character a token has, or after a percent escape (see setsOff). */
const STARTS = /(?:(?<![A-Za-z0-9_.-])|(?<=%[0-9A-Fa-f]{2}))e[w-z0-9_-]/g;
/** A line break a terminal or an e-mail wrapped a token at, and the run on the next line. */
const NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}([A-Za-z0-9_.-]+)/y;

/**
 * What names the run that follows: a JSON member (`"id_token": "`), a URL parameter, cookie or
 * variable (`access_token=`, or `access_token%3D` in a URL inside a URL), or a header or YAML key
 * that names a credential (`Authorization: Bearer `).
 */
const NAMED = /(?:"([\w.-]{1,64})"\s*:\s*"(?:(?:bearer|dpop)[ \t]+)?|([\w.-]{1,64})(?:=|%3[Dd])|([\w-]{0,40}(?:authorization|dpop|token|jwt|assertion|session|cookie|credential|secret|key)[\w-]{0,40})[ \t]*:[ \t]*(?:(?:bearer|dpop|token|jwt)[ \t]+)?)$/i;
/**
 * A name and value side by side, where the name is a member of its own: a HAR export's header or
 * cookie (`{"name": "Authorization", "value": "Bearer `), a Kubernetes env entry (`- name: API_TOKEN` then `value: `).
 */
const PAIRED = /(?:"name"\s*:\s*"([\w.-]{1,64})"\s*,\s*"value"\s*:\s*"|\bname:[ \t]*["']?([\w.-]{1,64})["']?[ \t]*\r?\n[ \t]*value:[ \t]*["']?)(?:(?:bearer|dpop)[ \t]+)?$/i;
/** How far before a token its name is looked for. */
const NAME_REACH = 100;

/** A first part this long with no dot yet is no header a wrap cut (an x5c chain is a few KB). */
const MAX_WRAPPED_HEADER_CHARS = 16 * 1024;

/**
 * The length of the compact token a joined run of `length` characters, with dots at `dots`, ends
 * in: the run itself, or the run less a sentence's full stop or an ellipsis. Null when neither has
 * 3 parts, or 5 with the last two not empty.
 */
function compactLength(length: number, dots: readonly number[]): { length: number; parts: number } | null {
  for (const cut of [0, 1, 3]) {
    const end = length - cut;
    if (cut > 0 && dots.at(-cut) !== end) break;
    const inside = dots.length - cut;
    if (inside === 2) return { length: end, parts: 3 };
    if (inside === 4 && dots[3] - dots[2] > 1 && end - dots[3] > 1) return { length: end, parts: 5 };
  }
  return null;
}

/**
 * The token that begins at `start`: its first line's run, joined with the runs of the lines after
 * it while a wrap may have cut it. The longest join that is whole wins (a 2048-bit RSA signature cut
 * where a 1024-bit one would end is joined on); failing any, the first line's run as it is, when set
 * off and compact, so an unsecured or cut token is still found, never glued to the words below it.
 * Each line costs only its own length: what is known of the join so far is kept, not worked out again.
 */
function tokenAt(paste: string, start: number): { token: string; end: number; whole: boolean } | null {
  let joined = '';
  const dots: number[] = [];
  let header: Record<string, unknown> | null = null;
  let best: { token: string; end: number; whole: boolean } | null = null;
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
    for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', dot + 1)) dots.push(joined.length + dot);
    joined += text;
    if (dots.length > 7) break;
    if (dots.length === 0) {
      if (joined.length > MAX_WRAPPED_HEADER_CHARS) return null;
      continue;
    }
    header ??= joseHeaderOf(joined.slice(0, dots[0]));
    if (!header) return null;
    const compact = compactLength(joined.length, dots);
    if (!compact) continue;
    const inside = dots.slice(0, compact.parts - 1);
    // An algorithm that fixes no length is taken as its first line has it, and never joined to the lines below.
    const whole = isWhole(compact.parts, compact.length - inside.at(-1)! - 1, header) ?? line === 0;
    // What follows the run (after the full stop, if any) must set it off from the text, or begin an SD-JWT's escaped tail.
    // (Not after a full stop: `ey….%7E` decodes to no SD-JWT.)
    const escapedTail = compact.length === joined.length && escapedTildeAt(paste, at);
    if (!setsOff(paste, at, AFTER) && !(whole && (AFTER_WHOLE.has(paste[at]) || escapedTail))) continue;
    const end = at - (joined.length - compact.length);
    if (whole) best = { token: joined.slice(0, compact.length), end, whole: true };
    else if (line === 0) best = { token: joined.slice(0, compact.length), end, whole: false };
  }
  return best;
}

/** The name the paste gives the token at `start`, unless it would be read from the token before (`tokA=tokB`). */
function nameBefore(paste: string, start: number, previousEnd: number): string | null {
  const from = Math.max(0, start - NAME_REACH, previousEnd);
  const before = paste.slice(from, start);
  const paired = PAIRED.exec(before);
  if (paired) return paired[1] ?? paired[2];
  const named = NAMED.exec(before);
  // The tail of a longer run (another token, a hash, a word in another script) is no name.
  if (!named || /[\p{L}\p{N}_.-]/u.test(paste[from + named.index - 1] ?? ' ')) return null;
  // In a percent-encoded URL the escape before a parameter (`%26access_token%3D`) is not part of its name.
  const escaped = named[2] !== undefined && paste[from + named.index - 1] === '%' && /^[0-9A-Fa-f]{2}/.test(named[2]);
  const name = escaped ? named[2].slice(2) : (named[1] ?? named[2] ?? named[3]);
  // A token glued to the next by `=` (`ghp_…%3Dey…`) is no name, and must not be shown as one.
  return name && !classifyOpaqueToken(name) ? name : null;
}

/** Whether an opaque value stands set off from the text as a JWT must: a value cut short by a look-alike letter is no token. */
function opaqueSetOff(paste: string, at: number, end: number): boolean {
  return setsOff(paste, at - 1, BEFORE) && setsOff(paste, paste[end] === '.' ? end + 1 : end, AFTER);
}

/**
 * The tokens in a paste, in order, up to MAX_FOUND; `more` when it holds others past those, or was
 * not searched to its end; and the first run that begins as a JWT but breaks, which leaves the paste
 * to be refused rather than read around. A compact token is found when it is set off from the text
 * around it and its first part is a JOSE header; one wrapped across lines is joined again (see
 * tokenAt). An opaque one is found by its provider's format or a token's name (see
 * opaque-in-paste.ts) in the first MAX_OPAQUE_SEARCHED_BYTES, unless it lies inside a JWT's run.
 */
export function findTokensInPaste(paste: string): { found: FoundToken[]; more: boolean; broken: BrokenToken | null } {
  if (paste.length > MAX_SEARCHED_CHARS) return { found: [], more: false, broken: null };
  const spans: { at: number; end: number; token: string; whole: boolean; escaped?: boolean }[] = [];
  let broken: (Omit<BrokenToken, 'position'> & { at: number }) | null = null;
  let tried = 0;
  let tailScanned = 0;
  let previousEnd = 0;
  // Where the search for JWTs stopped: an opaque token past it is not read while a JWT there is unseen.
  let searchedTo = paste.length;
  for (const match of paste.matchAll(STARTS)) {
    const start = match.index;
    if (start < previousEnd || !setsOff(paste, start - 1, BEFORE)) continue;
    if (++tried > MAX_TRIED) {
      searchedTo = start;
      break;
    }
    const token = tokenAt(paste, start);
    const sd = token && sdJwtEnd(paste, token.token, start, token.end);
    if (sd && 'broken' in sd) {
      broken ??= sd.wrapped ? { at: start, character: null, reason: 'wrapped' } : { at: start, character: characterAt(paste, sd.broken), reason: 'character' };
      // The run is one broken token: no token begins inside it.
      previousEnd = sd.resume;
    } else if (token && sd) {
      spans.push({ at: start, end: sd.end, token: token.token + sd.tail, whole: token.whole, escaped: sd.escaped });
      previousEnd = sd.end;
    } else if (!broken) {
      const at = brokenAt(paste, start);
      if (at) broken = { ...at, at: start };
    }
    tailScanned += sd?.scanned ?? 0;
    if (tailScanned > MAX_TAIL_SCANNED) {
      searchedTo = previousEnd;
      break;
    }
  }
  broken ??= lookAlikeRun(paste);
  const jwts = spans.length;
  const beside = (at: number, end: number) => end <= searchedTo && opaqueSetOff(paste, at, end) && !spans.slice(0, jwts).some((jwt) => at < jwt.end && jwt.at < end);
  spans.push(...findOpaqueInPaste(paste, MAX_FOUND + 1, beside).map((opaque) => ({ ...opaque, whole: true })));
  spans.sort((a, b) => a.at - b.at);
  const found = spans.slice(0, MAX_FOUND).map((span, i) => ({ name: nameBefore(paste, span.at, i === 0 ? 0 : spans[i - 1].end), token: span.token, whole: span.whole, ...(span.escaped && { escaped: true as const }) }));
  const position = broken ? [...paste.slice(0, broken.at)].length + 1 : 0;
  return { found, more: spans.length > MAX_FOUND || searchedTo < paste.length, broken: broken && { position, character: broken.character, reason: broken.reason } };
}
