/**
 * Finds candidate secrets in text that arrives in chunks of any size, with the line and column of
 * each. The text is read as latin1 (one character per byte, so nothing is decoded twice and a
 * chunk may end inside a UTF-8 sequence); columns are counted in characters of the UTF-8 text.
 *
 * Chunks are scanned in windows that overlap by more than the longest match, and a match is
 * reported only from the window where it starts before the overlap, so nothing is found twice
 * or cut in two at a chunk's edge. A JWT or SD-JWT, which has no bound, may be longer than the
 * overlap: one the window's end may cut is read in the next window instead (see runOnFrom).
 * Lookbehind sees a little text before each window.
 */
import { combinedFinder, KNOWN_FORMAT, MAX_MATCH_CHARS, MAX_PEM_BLOCK, PERCENT_ESCAPE_CHARS } from './detectors';
import { tokenLength } from './sd-jwt-tail';

export interface Candidate {
  shape: 'token' | 'block' | 'assignment';
  /** The token or block, or an assignment's value. */
  text: string;
  /** The name the value was assigned to (`STRIPE_SECRET_KEY`), when there was one just before. */
  assignedTo: string | null;
  line: number;
  column: number;
  /** Where the text begins, in bytes from the start of the stream. */
  offset: number;
}

/**
 * Longest token waited for across chunks (an SD-JWT with a portrait among its disclosures is tens
 * of kilobytes); a longer run is read as far as the window holds it, so a hostile one costs a
 * bounded rescan (at most this over the chunk size, per run).
 */
const MAX_DEFERRED_CHARS = 256 * 1024;
/** What a JWT, an SD-JWT's tail (`~`, `%7E`, padding) and an escape before a token are made of. */
const isRunChar = (code: number) =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x2d || code === 0x2e || code === 0x7e || code === 0x25 || code === 0x3d;

function onlyRunBytes(chunk: Buffer): boolean {
  for (let i = 0; i < chunk.length; i++) if (!isRunChar(chunk[i])) return false;
  return true;
}

/**
 * Where the run of token characters the window ends in begins, when it may hold a JWT cut by the
 * window's end (it has an `eyJ`) and is short enough to wait for; else the window's length.
 */
function runOnFrom(window: string): number {
  const stop = Math.max(0, window.length - MAX_DEFERRED_CHARS);
  const lastJwt = window.lastIndexOf('eyJ');
  if (lastJwt < stop) return window.length;
  let from = window.length;
  while (from > stop && isRunChar(window.charCodeAt(from - 1))) from--;
  if (from === stop && stop > 0) return window.length;
  return lastJwt >= from ? from : window.length;
}

/** Text kept before a window's first reportable position, for lookbehind and the assigned name. */
const CONTEXT = 256;
const OVERLAP = MAX_MATCH_CHARS + CONTEXT;
const NAME_CHAR = /[\w.-]/;
/** What comes just before a token when it is assigned: `NAME=`, `"name": "`, `name: Bearer `, or `name%3D` in a URL inside a URL. */
const ASSIGNED_BEFORE = /([A-Za-z_][\w.-]{0,63})["']?\s{0,5}(?::=|=>|[:=]|%3[Dd])\s{0,5}["']?(?:Bearer\s+)?$/;
const PERCENT_ESCAPE = /^%[0-9A-Fa-f]{2}$/;
/** No token of a known format is shorter (an AWS access key ID): shorter names, nearly all, skip the look. */
const SHORTEST_TOKEN = 20;
const NON_ASCII = /[\x80-\xff]/;
const CONTINUATION = /[\x80-\xbf]/g;

/**
 * The name a token was assigned to just before it, unless that "name" is itself credential
 * material: the user part of `https://user:token@host`, or a long run with many digits.
 */
function assignedName(window: string, at: number): string | null {
  const before = ASSIGNED_BEFORE.exec(window.slice(Math.max(0, at - 96), at));
  if (!before) return null;
  const nameAt = at - before[0].length;
  // After a percent escape (`%3Fapi_key%3D`) the name begins past the escape's hex digits, which may be letters.
  const inEscape = [1, 2].find((digits) => PERCENT_ESCAPE.test(window.slice(nameAt - 3 + digits, nameAt + digits))) ?? 0;
  const name = before[1].slice(inEscape);
  if (name === '' || window.slice(Math.max(0, nameAt - 2), nameAt) === '//' || (name.match(/\d/g)?.length ?? 0) > 4) return null;
  // A token glued to the next by `=` (`hf_…%3Dghp_…`) is no name: shown as one, it would put a secret in the evidence.
  if (name.length >= SHORTEST_TOKEN && KNOWN_FORMAT.test(name)) return null;
  return name;
}

/** Characters of the UTF-8 text the latin1 slice stands for: every byte but continuation bytes. */
function charsIn(text: string, from: number, to: number): number {
  const slice = text.slice(from, to);
  return NON_ASCII.test(slice) ? slice.length - (slice.match(CONTINUATION)?.length ?? 0) : slice.length;
}

export class SecretScanner {
  private readonly finder = combinedFinder();
  /**
   * The window's bytes: the carry from carryStart on, then the chunk. One buffer, reused and grown
   * only when a chunk is bigger than any before: joining strings, or allocating per chunk, cost
   * more than the search itself.
   */
  private buffer = Buffer.alloc(0);
  private carryLength = 0;
  private carryStart = 0;
  /** Where the finder resumes: matches starting before it were reported (or are inside one that was). */
  private resumeAt = 0;
  /** Where a run of token characters the text ended in began, while it is waited for (see runOnFrom). */
  private waitingFor: number | null = null;
  /** Line and column at `cursorAt`, which only moves forward. */
  private cursorAt = 0;
  private line = 1;
  private column = 1;
  private lastChar = '';
  bytes = 0;

  /** Candidates that start far enough from the chunk's end to be complete. */
  push(chunk: Buffer): Candidate[] {
    this.bytes += chunk.length;
    if (chunk.length > 0) this.lastChar = String.fromCharCode(chunk[chunk.length - 1]);
    const length = this.carryLength + chunk.length;
    if (length > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(length, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.carryLength);
      this.buffer = grown;
    }
    chunk.copy(this.buffer, this.carryLength);
    // A chunk that only goes on with the run being waited for gives nothing new to read: keep it, and
    // read the run once it ends, rather than again at every chunk (1 KB chunks made that quadratic).
    if (this.waitingFor !== null && this.carryStart + length - this.waitingFor <= MAX_DEFERRED_CHARS && onlyRunBytes(chunk)) {
      this.carryLength = length;
      return [];
    }
    return this.scan(this.buffer.subarray(0, length), false);
  }

  /** The rest, once the text has ended. */
  end(): Candidate[] {
    return this.scan(this.buffer.subarray(0, this.carryLength), true);
  }

  /** Lines so far (a last line without a newline counts). */
  get lines(): number {
    const unfinished = this.cursorAt === this.bytes && this.bytes > 0 && this.lastChar !== '\n';
    return this.line - 1 + (unfinished ? 1 : 0);
  }

  private scan(bytes: Buffer, final: boolean): Candidate[] {
    const window = bytes.toString('latin1');
    const start = this.carryStart;
    const end = start + window.length;
    const limit = final ? end : end - OVERLAP;
    const found: Candidate[] = [];
    if (limit > this.resumeAt) {
      const finder = this.finder;
      finder.lastIndex = this.resumeAt - start;
      let next = finder.lastIndex;
      // A JWT longer than the overlap (its parts have no bound) may run on past the window: it is read
      // in the next one, from the start of the run of token characters the window ends in.
      const tail = final ? window.length : runOnFrom(window);
      let match: RegExpExecArray | null;
      let deferredAt: number | null = null;
      while ((match = finder.exec(window)) !== null) {
        if (start + match.index >= limit) break;
        if (match.index >= tail) {
          deferredAt = start + match.index;
          break;
        }
        found.push(this.candidate(window, start, match));
        next = finder.lastIndex;
      }
      // No match began in the run, but a JWT cut inside its header or payload may have: search it
      // again from where this search got to (what came before it was read, or was inside a match).
      if (deferredAt === null && tail < window.length && Math.max(start + tail, start + next) < limit) deferredAt = Math.max(start + tail, start + next);
      this.resumeAt = deferredAt ?? Math.max(limit, start + next);
      this.advance(window, start, deferredAt ?? limit);
      this.waitingFor = deferredAt;
    }
    const keepFrom = Math.max(start, Math.min(limit, this.cursorAt) - CONTEXT);
    if (final) {
      this.buffer.fill(0);
      this.carryLength = 0;
    } else {
      bytes.copyWithin(0, keepFrom - start);
      this.carryLength = bytes.length - (keepFrom - start);
    }
    this.carryStart = final ? end : keepFrom;
    return found;
  }

  private candidate(window: string, start: number, match: RegExpExecArray): Candidate {
    const [text, nameWord, value] = match;
    if (value !== undefined) {
      // An assignment: the whole name, and the value scanned again, so a token assigned to a name is found by its own format.
      let from = match.index;
      while (from > 0 && match.index - from < 64 && NAME_CHAR.test(window[from - 1])) from--;
      const name = window.slice(from, match.index) + nameWord;
      const valueAt = match.index + text.length - value.length;
      this.finder.lastIndex = valueAt;
      this.advance(window, start, start + valueAt);
      return { shape: 'assignment', text: value, assignedTo: name, line: this.line, column: this.column, offset: start + valueAt };
    }
    // A token after a percent escape: the escape was matched with it, and is not part of it.
    const escaped = text.startsWith('%');
    const at = escaped ? match.index + PERCENT_ESCAPE_CHARS : match.index;
    this.advance(window, start, start + at);
    const assignedTo = assignedName(window, at);
    if (!text.startsWith('-----')) {
      let token = escaped ? text.slice(PERCENT_ESCAPE_CHARS) : text;
      // A JWT and what the finder took after it: only an SD-JWT's tail is the token's; the text after that is searched on.
      if (token.startsWith('eyJ') && /~|%/.test(token)) {
        token = token.slice(0, tokenLength(token));
        this.finder.lastIndex = at + token.length;
      }
      return { shape: 'token', text: token, assignedTo, line: this.line, column: this.column, offset: start + at };
    }
    // A key block runs to its END line, when there is one within reach; the finder goes on after it.
    const footer = window.indexOf('-----END ', match.index + text.length);
    const close = footer === -1 || footer - match.index > MAX_PEM_BLOCK ? -1 : window.indexOf('-----', footer + 9);
    const block = close === -1 ? text : window.slice(match.index, close + 5);
    if (close !== -1) this.finder.lastIndex = close + 5;
    return { shape: 'block', text: block, assignedTo, line: this.line, column: this.column, offset: start + match.index };
  }

  /** Moves the line and column on to `to` (absolute), counting the newlines on the way. */
  private advance(window: string, start: number, to: number): void {
    if (to <= this.cursorAt) return;
    const from = this.cursorAt - start;
    const stop = to - start;
    let newline = window.indexOf('\n', from);
    let lastNewline = -1;
    while (newline !== -1 && newline < stop) {
      this.line++;
      lastNewline = newline;
      newline = window.indexOf('\n', newline + 1);
    }
    this.column = lastNewline === -1 ? this.column + charsIn(window, from, stop) : charsIn(window, lastNewline + 1, stop) + 1;
    this.cursorAt = to;
  }
}
