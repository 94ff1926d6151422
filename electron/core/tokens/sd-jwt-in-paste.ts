/**
 * An SD-JWT in a paste (RFC 9901): the `~` tail after its issuer-signed JWT (the disclosures and a
 * Key Binding JWT), joined again when a wrap cut it, or read with `~` where a form body wrote each
 * as `%7E`; and told apart from a `~` that is only text after a JWT (`~~strike~~`, `~5 min`, `~/bin`).
 */
import { normaliseTyp } from './header-checks';
import { AFTER, AFTER_WHOLE, escapedTildeAt, isCompactToken, isWhole, joseHeaderOf, setsOff } from './token-in-text';

/** A run of what an SD-JWT's tail is made of (disclosures, `~`, a Key Binding JWT), on its line and on the next. */
const SD_RUN = /[A-Za-z0-9_.~-]*/y;
const SD_NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}([A-Za-z0-9_.~-]+)/y;
/** A line break and the `~` an SD-JWT's disclosures begin with, when a wrap fell just after its issuer-signed JWT. */
const TILDE_ON_NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}(?=~(?:Wy|e[w-z0-9_-]))/y;
/** What a tail with its `~` written `%7E` may span: its runs (a `~` left as it is counts too) and the line breaks a wrap put in them. */
const ESCAPED_SPAN = /(?:[A-Za-z0-9_.~-]|%7[Ee]|[ \t]{0,64}\r?\n[ \t]{0,64})*/y;
const ESCAPED_TILDE = /%7E/gi;
/** A part of a tail longer than this is no disclosure or Key Binding JWT: such a tail is refused, not read in part. */
const MAX_SD_PART_CHARS = 64 * 1024;
/** Lines an SD-JWT's tail may be wrapped over (dozens of disclosures at 64 columns), joined again at most. */
const MAX_SD_TAIL_LINES = 4096;

/** Whether a run begins as a disclosure, a JSON array whose salt comes first: `["` or `[ "`, base64url `WyI` to `WyL` or `WyA`, not a word such as Wyatt. */
function beginsDisclosure(run: string): boolean {
  return /^Wy[A-L]/.test(run) && /^\[\s*"/.test(Buffer.from(run.slice(0, 8), 'base64url').toString('latin1'));
}
/** Where a part of a tail may begin a disclosure: looked for rather than split out, as a run of tildes has thousands of parts. */
const PART_BEGINS_DISCLOSURE = /(?:^|~)(?=Wy[A-L])/g;
function holdsDisclosure(run: string): boolean {
  for (const match of run.matchAll(PART_BEGINS_DISCLOSURE)) if (beginsDisclosure(run.slice(match.index + match[0].length, match.index + match[0].length + 8))) return true;
  return false;
}

/**
 * How many dots at its end (a sentence's full stop, an ellipsis) to cut for a tail whose last part
 * (after its last `~`) is `part` to end an SD-JWT: with `~`, or with a whole Key Binding JWT. Null
 * when it ends neither way: it goes on.
 */
function sdJwtCut(part: string): number | null {
  for (const cut of [0, 1, 3]) {
    if (cut > 0 && !part.endsWith('.'.repeat(cut))) break;
    const end = part.length - cut;
    if (end === 0) return cut;
    const first = part.indexOf('.');
    const second = first === -1 ? -1 : part.indexOf('.', first + 1);
    const third = second === -1 ? -1 : part.indexOf('.', second + 1);
    if (second === -1 || second >= end || (third !== -1 && third < end)) continue;
    const header = joseHeaderOf(part.slice(0, first));
    if (header && isWhole(3, end - second - 1, header) !== false) return cut;
  }
  return null;
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
 * Where an SD-JWT's tail ends, and the tail; or where the run it is in breaks, and where the search
 * for tokens resumes past it. `scanned`: how many characters past the JWT were read to tell, which
 * the search bounds in all (a run of tildes after each of many JWTs is read again from each).
 */
export type TailEnd = ({ end: number; tail: string } | { broken: number; wrapped?: true; resume: number }) & { scanned: number };

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
  if (escapedTildeAt(paste, end)) return escapedSdJwtEnd(paste, jwt, end);
  let at = end;
  const issuer = issuesSdJwt(jwt);
  if (paste[at] !== '~') {
    TILDE_ON_NEXT_LINE.lastIndex = at;
    if (!issuer || !TILDE_ON_NEXT_LINE.test(paste)) return { end, tail: '', scanned: 0 };
    at = TILDE_ON_NEXT_LINE.lastIndex;
  }
  SD_RUN.lastIndex = at;
  const first = SD_RUN.exec(paste)![0];
  const lines = [first];
  let part = first.slice(first.lastIndexOf('~') + 1);
  let disclosures = holdsDisclosure(first);
  at += first.length;
  // A JWT that issues no SD-JWT has its tail on its own line or none: text below a `~` is not searched.
  for (let line = 1; issuer || disclosures; line++) {
    SD_NEXT_LINE.lastIndex = at;
    const next = SD_NEXT_LINE.exec(paste);
    if (!next) break;
    const run = next[1];
    const cut = sdJwtCut(part);
    const goesOn =
      cut === null ||
      (part === '' && (beginsDisclosure(run) || beginsKeyBinding(run))) ||
      // A whole Key Binding JWT whose signature may be cut where a shorter key's would end: the longest whole join wins.
      (cut === 0 && part !== '' && !run.includes('~') && sdJwtCut(part + run) === 0);
    if (!goesOn || !setsOff(paste, SD_NEXT_LINE.lastIndex, AFTER)) break;
    // Past what is joined, the tail would be read in part: refused instead.
    if (line > MAX_SD_TAIL_LINES || part.length + run.length > MAX_SD_PART_CHARS) return { broken: at, wrapped: true, resume: at, scanned: at - end };
    lines.push(run);
    const tilde = run.lastIndexOf('~');
    part = tilde === -1 ? part + run : run.slice(tilde + 1);
    disclosures ||= holdsDisclosure(run);
    at = SD_NEXT_LINE.lastIndex;
  }
  const tail = lines.join('');
  const keyBinding = part !== '' && beginsKeyBinding(part);
  // Text after a JWT, or markup around it (`~token~`), unless the JWT says it issues an SD-JWT.
  if (!disclosures && !keyBinding && (paste[start - 1] === '~' || !issuer)) return { end, tail: '', scanned: at - end };
  const cut = sdJwtCut(part);
  if (!setsOff(paste, at, AFTER) && !(cut !== null && AFTER_WHOLE.has(paste[at]))) return { broken: at, resume: at, scanned: at - end };
  return { end: at - (cut ?? 0), tail: tail.slice(0, tail.length - (cut ?? 0)), scanned: at - end };
}

/**
 * The tail at `end` whose `~` were written `%7E` (see escapedTildeAt), read as the same tail with
 * `~` is, wraps and all, in a copy of its span with each `%7E` decoded; where it ends is then told
 * in the paste's own places. Text is not written so after a JWT: a tail that is no SD-JWT's leaves
 * the whole span one broken token, refused with the `%` it goes on with. A wrap inside an escape
 * (`%7` at a line's end) breaks it too.
 */
function escapedSdJwtEnd(paste: string, jwt: string, end: number): TailEnd {
  ESCAPED_SPAN.lastIndex = end;
  const span = ESCAPED_SPAN.exec(paste)![0];
  const resume = end + span.length;
  // Where each decoded `~` stands in the copy, to count the two characters each escape had more.
  const decodedAt: number[] = [];
  const decoded = span.replace(ESCAPED_TILDE, (_escape, offset: number) => {
    decodedAt.push(jwt.length + offset - 2 * decodedAt.length);
    return '~';
  });
  // What follows the span as it is: as much as setsOff looks at (an escape, a surrogate pair).
  const read = sdJwtEnd(jwt + decoded + paste.slice(resume, resume + 3), jwt, 0, jwt.length);
  const inPaste = (at: number) => end + (at - jwt.length) + 2 * countBelow(decodedAt, at);
  const scanned = span.length + read.scanned;
  if ('broken' in read) return { broken: inPaste(read.broken), wrapped: read.wrapped, resume, scanned };
  return read.tail === '' ? { broken: end, resume, scanned } : { end: inPaste(read.end), tail: read.tail, scanned };
}

/** How many of the ascending `positions` are below `at`. */
function countBelow(positions: readonly number[], at: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (positions[middle] < at) low = middle + 1;
    else high = middle;
  }
  return low;
}
