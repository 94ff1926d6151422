/**
 * An SD-JWT in a paste (RFC 9901): the `~` tail after its issuer-signed JWT (the disclosures and a
 * Key Binding JWT), joined again when a wrap cut it, or read with `~` where a form body wrote each
 * as `%7E`; and told apart from a `~` that is only text after a JWT (`~~strike~~`, `~5 min`, `~/bin`).
 */
import { normaliseTyp } from './header-checks';
import { AFTER, AFTER_WHOLE, escapedTildeAt, isCompactToken, isWhole, joseHeaderOf, setsOff } from './token-in-text';

/**
 * A run of what an SD-JWT's tail is made of (disclosures, `~`, a Key Binding JWT), on its line and
 * on the next. A `~` may be written `%7E`, as Java's URLEncoder writes a form body: each run is read
 * with its escapes decoded, as a verifier decodes the value once, wherever a wrap fell.
 */
const SD_RUN = /(?:[A-Za-z0-9_.~-]|%7[Ee])*/y;
const SD_NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}((?:[A-Za-z0-9_.~-]|%7[Ee])+)/y;
/** A line break and the `~` an SD-JWT's disclosures begin with, when a wrap fell just after its issuer-signed JWT. */
const TILDE_ON_NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}(?=(?:~|%7[Ee])(?:Wy|e[w-z0-9_-]))/y;
const ESCAPED_TILDE = /%7E/gi;
/** A run or token with each `%7E` read as the `~` it stands for. */
export const withTildes = (text: string) => (text.includes('%') ? text.replace(ESCAPED_TILDE, '~') : text);
/** A Key Binding JWT's header names its algorithm and type, and perhaps a key id: one longer is none. */
const MAX_KB_HEADER_CHARS = 4096;
/** A part of a tail longer than this is no disclosure or Key Binding JWT: such a tail is refused, not read in part. */
const MAX_SD_PART_CHARS = 64 * 1024;
/** Lines an SD-JWT's tail may be wrapped over (dozens of disclosures at 64 columns), joined again at most. */
const MAX_SD_TAIL_LINES = 4096;

/** Whether a run begins as a disclosure, a JSON array whose salt comes first: `["` or `[ "`, base64url `WyI` to `WyL` or `WyA`, not a word such as Wyatt. */
function beginsDisclosure(run: string): boolean {
  return /^Wy[A-L]/.test(run) && /^\[\s*"/.test(Buffer.from(run.slice(0, 8), 'base64url').toString('latin1'));
}
/** A part of a tail that may begin a disclosure, as far as beginsDisclosure looks: found rather than split out, as a run of tildes has thousands of parts. */
const PART_BEGINNING_DISCLOSURE = /(?:^|~)(Wy[A-L][^~]{0,5})/g;
function holdsDisclosure(run: string): boolean {
  for (const [, beginning] of run.matchAll(PART_BEGINNING_DISCLOSURE)) if (beginsDisclosure(beginning)) return true;
  return false;
}

/**
 * How many dots at its end (a sentence's full stop, an ellipsis) to cut for a tail whose last part
 * (after its last `~`) is `part` to end an SD-JWT: with `~`, or with a whole Key Binding JWT (with
 * `mustFixLength`, one whose algorithm fixes its signature's length). Null when it ends neither way:
 * it goes on.
 */
function sdJwtCut(part: string, headerOf: HeaderReader, mustFixLength = false): number | null {
  for (const cut of [0, 1, 3]) {
    if (cut > 0 && !part.endsWith('.'.repeat(cut))) break;
    const end = part.length - cut;
    if (end === 0) return cut;
    // Not searched or decoded past a header's length: a wrapped part is asked again at each of its lines.
    const first = part.slice(0, MAX_KB_HEADER_CHARS).indexOf('.');
    if (first === -1) continue;
    const second = part.indexOf('.', first + 1);
    const third = second === -1 ? -1 : part.indexOf('.', second + 1);
    if (second === -1 || second >= end || (third !== -1 && third < end)) continue;
    const header = headerOf(part.slice(0, first));
    if (!header) continue;
    const whole = isWhole(3, end - second - 1, header);
    // An algorithm that fixes no length ends where the text does, but is never joined on for it (see sdJwtEnd).
    if (mustFixLength ? whole === true : whole !== false) return cut;
  }
  return null;
}

type HeaderReader = (text: string) => Record<string, unknown> | null;

/**
 * joseHeaderOf, keeping the header last read: within one tail, a part wrapped over many lines is
 * asked about at each, with the same header. Made for one tail and dropped with it, so no paste is
 * held past its reading.
 */
function headerReader(): HeaderReader {
  let last = '';
  let header: Record<string, unknown> | null = null;
  return (text) => {
    if (text !== last) {
      last = text;
      header = joseHeaderOf(text);
    }
    return header;
  };
}

/** The next line of a header a wrap cut. */
const HEADER_NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}([A-Za-z0-9_.-]+)/y;

/**
 * Whether a run with no dot yet is a Key Binding JWT whose header a wrap cut: with the lines after
 * it (from `at`), up to its first dot, the header says `kb+jwt`. A JWT of its own below the tail, or
 * a word, is not joined to it.
 */
function beginsCutKeyBinding(paste: string, run: string, at: number): boolean {
  if (run.includes('.') || run.includes('~') || !/^\{\s*"/.test(Buffer.from(run.slice(0, 8), 'base64url').toString('latin1'))) return false;
  let header = run;
  for (let line = run, next = at; !line.includes('.'); next = HEADER_NEXT_LINE.lastIndex) {
    if (header.length > MAX_KB_HEADER_CHARS) return false;
    HEADER_NEXT_LINE.lastIndex = next;
    const found = HEADER_NEXT_LINE.exec(paste);
    if (!found) return false;
    line = found[1];
    header += line;
  }
  return beginsKeyBinding(header);
}

/** Whether a run begins with a Key Binding JWT: after a tail that ended with `~`, it is the SD-JWT's, not a token of its own. */
function beginsKeyBinding(run: string): boolean {
  const dot = run.indexOf('.');
  const header = dot > 0 ? joseHeaderOf(run.slice(0, dot)) : null;
  return typeof header?.typ === 'string' && normaliseTyp(header.typ) === 'kb+jwt';
}

/** Whether a JWT says it is an SD-JWT's issuer-signed JWT: a typ of SD-JWT (`dc+sd-jwt`), or digests in its claims. */
function issuesSdJwt(jwt: string): boolean {
  const [header, payload] = jwt.split('.', 2);
  const typ = joseHeaderOf(header)?.typ;
  if (typeof typ === 'string' && normaliseTyp(typ).endsWith('sd-jwt')) return true;
  const claims = Buffer.from(payload ?? '', 'base64url').toString('utf8');
  return claims.includes('"_sd"') || claims.includes('"_sd_alg"');
}

/** Whether a text (a JWE's plaintext, a JWS's payload) is itself a token: a compact one, or an SD-JWT. */
export function carriesToken(text: string): boolean {
  const token = text.trim();
  const tilde = token.indexOf('~');
  if (tilde === -1) return isCompactToken(token);
  const jwt = token.slice(0, tilde);
  return isCompactToken(jwt) && /^[A-Za-z0-9_.~-]*$/.test(token) && isSdJwt(jwt, token.slice(tilde));
}

/** Whether a JWT and the `~` tail after it are an SD-JWT, rather than a JWT and text: see sdJwtEnd. */
export function isSdJwt(jwt: string, tail: string): boolean {
  return issuesSdJwt(jwt) || holdsDisclosure(tail) || beginsKeyBinding(tail.slice(tail.lastIndexOf('~') + 1));
}

/**
 * Where an SD-JWT's tail ends, and the tail (with `~` where the paste wrote `%7E`); or where the run
 * it is in breaks, and where the search for tokens resumes past it. `scanned`: how many characters
 * past the JWT were read to tell, which the search bounds in all (a run of tildes after each of many
 * JWTs is read again from each).
 */
export type TailEnd = ({ end: number; tail: string; escaped: boolean } | { broken: number; wrapped?: true; resume: number }) & { scanned: number };

/**
 * Where the JWT `jwt` that ends at `end` ends with its SD-JWT tail, and the tail, if it has one:
 * the disclosures and Key Binding JWT are part of it, not text around it or a token of their own.
 * A tail is one when it holds a disclosure or a Key Binding JWT, or follows a JWT that says it
 * issues an SD-JWT; a plain JWT followed by `~` in text (`~~strike~~`, `~5 min`, `~/bin`) keeps
 * its `~` as text. A tail wrapped across lines is joined while its last part is cut, or while the
 * next line goes on with a disclosure or a Key Binding JWT; a Key Binding JWT is joined on while it
 * stays whole (a 2048-bit RSA signature cut where a 1024-bit one ends). A tail that goes on with a
 * character no SD-JWT has, or past what is joined, is a broken token: `{ broken }`, where it breaks.
 */
export function sdJwtEnd(paste: string, jwt: string, start: number, end: number): TailEnd {
  let at = end;
  const issuer = issuesSdJwt(jwt);
  if (paste[at] !== '~' && !escapedTildeAt(paste, at)) {
    TILDE_ON_NEXT_LINE.lastIndex = at;
    if (!issuer || !TILDE_ON_NEXT_LINE.test(paste)) return { end, tail: '', escaped: false, scanned: 0 };
    at = TILDE_ON_NEXT_LINE.lastIndex;
  }
  // Text after a JWT is never written `%7E`: a tail that begins so is an SD-JWT's, or a broken token.
  const startsEscaped = escapedTildeAt(paste, at);
  SD_RUN.lastIndex = at;
  const written = SD_RUN.exec(paste)![0];
  const first = withTildes(written);
  const headerOf = headerReader();
  let escaped = first !== written;
  const lines = [first];
  let part = first.slice(first.lastIndexOf('~') + 1);
  let disclosures = holdsDisclosure(first);
  at += written.length;
  // A JWT that issues no SD-JWT has its tail on its own line or none: text below a `~` is not searched.
  for (let line = 1; issuer || disclosures; line++) {
    SD_NEXT_LINE.lastIndex = at;
    const next = SD_NEXT_LINE.exec(paste);
    if (!next) break;
    const run = withTildes(next[1]);
    const after = SD_NEXT_LINE.lastIndex;
    const cut = sdJwtCut(part, headerOf);
    const goesOn =
      cut === null ||
      (part === '' && (beginsDisclosure(run) || beginsKeyBinding(run) || beginsCutKeyBinding(paste, run, after))) ||
      // A whole Key Binding JWT whose signature may be cut where a shorter key's would end: the longest whole join wins.
      (cut === 0 && part !== '' && !run.includes('~') && sdJwtCut(part + run, headerOf, true) === 0);
    if (!goesOn) break;
    const tilde = run.lastIndexOf('~');
    const joinedPart = tilde === -1 ? part + run : run.slice(tilde + 1);
    // A line that goes on with the tail must end set off as a tail does: else the tail is broken there, not cut short at the wrap.
    if (!setsOff(paste, after, AFTER) && !(AFTER_WHOLE.has(paste[after]) && sdJwtCut(joinedPart, headerOf) !== null)) return { broken: after, resume: after, scanned: after - end };
    // Past what is joined, the tail would be read in part: refused instead.
    if (line > MAX_SD_TAIL_LINES || part.length + run.length > MAX_SD_PART_CHARS) return { broken: at, wrapped: true, resume: at, scanned: at - end };
    lines.push(run);
    part = joinedPart;
    escaped ||= run !== next[1];
    disclosures ||= holdsDisclosure(run);
    at = after;
  }
  const tail = lines.join('');
  const keyBinding = part !== '' && beginsKeyBinding(part);
  // Text after a JWT, or markup around it (`~token~`), unless the JWT says it issues an SD-JWT.
  if (!disclosures && !keyBinding && (paste[start - 1] === '~' || !issuer)) return startsEscaped ? { broken: end, resume: at, scanned: at - end } : { end, tail: '', escaped: false, scanned: at - end };
  const cut = sdJwtCut(part, headerOf);
  if (!setsOff(paste, at, AFTER) && !(cut !== null && AFTER_WHOLE.has(paste[at]))) return { broken: at, resume: at, scanned: at - end };
  return { end: at - (cut ?? 0), tail: tail.slice(0, tail.length - (cut ?? 0)), escaped, scanned: at - end };
}
