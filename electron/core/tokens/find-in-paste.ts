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
import { normaliseTyp } from './header-checks';
import { findOpaqueInPaste } from './opaque-in-paste';

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
const BEFORE = new Set([...' \t\r\n"\'`=:,;&?#([{<>|~']);
const AFTER = new Set([...' \t\r\n"\'`,;&#)]}<>|~']);
/**
 * After a whole token only: a log's colon (`invalid token ey…: expired`) and the backslash of JSON
 * escaped inside JSON (`\"id_token\":\"ey…\"`). After a token cut short they may be inside it.
 */
const AFTER_WHOLE = new Set([':', '\\']);
/**
 * Non-ASCII that goes on a run rather than setting it off: what may be taken for a token's own
 * character (a letter, digit or mark; a hyphen, minus or underscore; a middle or one-dot leader). Any
 * other (a space, a quote of any script, an em dash, an ellipsis, CJK punctuation, a symbol) sets it off.
 */
const LOOKS_LIKE_TOKEN_CHARACTER = /[\p{L}\p{N}\p{M}\p{Pc}\u00ad\u02d7\u2010-\u2013\u2212\ufe63\uff0d\u00b7\u2024\u2027\u2219\u22c5\u30fb\uff0e]/u;

/** Whether the character at `index` sets a token off on that side; beyond either end of the paste, it is. */
function setsOff(paste: string, index: number, side: ReadonlySet<string>): boolean {
  // A pair of surrogates is one character: the whole of it, read back from its end when before.
  const character = side === BEFORE ? characterBefore(paste, index + 1) : characterAt(paste, index);
  if (character === '') return true;
  return character > '\x7f' ? !LOOKS_LIKE_TOKEN_CHARACTER.test(character) : side.has(character);
}

/**
 * What names the run that follows: a JSON member (`"id_token": "`), a URL parameter, cookie or
 * variable (`access_token=`), or a header or YAML key that names a credential (`Authorization: Bearer `).
 */
const NAMED = /(?:"([\w.-]{1,64})"\s*:\s*"(?:(?:bearer|dpop)[ \t]+)?|([\w.-]{1,64})=|([\w-]{0,40}(?:authorization|dpop|token|jwt|assertion|session|cookie|credential|secret|key)[\w-]{0,40})[ \t]*:[ \t]*(?:(?:bearer|dpop|token|jwt)[ \t]+)?)$/i;
/**
 * A name and value side by side, where the name is a member of its own: a HAR export's header or
 * cookie (`{"name": "Authorization", "value": "Bearer `), a Kubernetes env entry (`- name: API_TOKEN` then `value: `).
 */
const PAIRED = /(?:"name"\s*:\s*"([\w.-]{1,64})"\s*,\s*"value"\s*:\s*"|\bname:[ \t]*["']?([\w.-]{1,64})["']?[ \t]*\r?\n[ \t]*value:[ \t]*["']?)(?:(?:bearer|dpop)[ \t]+)?$/i;
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
function isWhole(parts: number, last: number, header: Record<string, unknown>): boolean | null {
  if (typeof header.enc === 'string') return parts === 5 && TAG_CHARS.includes(last);
  if (parts !== 3) return false;
  const alg = typeof header.alg === 'string' ? header.alg : '';
  // RS1 too, and "none" in any case, as an attacker writes it.
  const lengths = /^(?:RS|PS)\d+$/.test(alg) ? RSA_SIGNATURE_CHARS : alg.toLowerCase() === 'none' ? SIGNATURE_CHARS.none : SIGNATURE_CHARS[alg];
  return lengths ? lengths.includes(last) : null;
}

/** A run from `at` on, or the empty string. */
function runAt(paste: string, at: number): string {
  RUN.lastIndex = at;
  return RUN.exec(paste)?.[0] ?? '';
}

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
    // What follows the run (after the full stop, if any) must set it off from the text.
    if (!setsOff(paste, at, AFTER) && !(whole && AFTER_WHOLE.has(paste[at]))) continue;
    const end = at - (joined.length - compact.length);
    if (whole) best = { token: joined.slice(0, compact.length), end, whole: true };
    else if (line === 0) best = { token: joined.slice(0, compact.length), end, whole: false };
  }
  return best;
}

/** A run of what an SD-JWT's tail is made of (disclosures, `~`, a Key Binding JWT), on its line and on the next. */
const SD_RUN = /[A-Za-z0-9_.~-]*/y;
const SD_NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}([A-Za-z0-9_.~-]+)/y;
/** A line break and the `~` an SD-JWT's disclosures begin with, when a wrap fell just after its issuer-signed JWT. */
const TILDE_ON_NEXT_LINE = /[ \t]{0,64}\r?\n[ \t]{0,64}(?=~(?:Wy|e[w-z0-9_-]))/y;
/** A part of a tail longer than this is no disclosure or Key Binding JWT: such a tail is refused, not read in part. */
const MAX_SD_PART_CHARS = 64 * 1024;
/** Lines an SD-JWT's tail may be wrapped over (dozens of disclosures at 64 columns), joined again at most. */
const MAX_SD_TAIL_LINES = 4096;

/** Whether a run begins as a disclosure, a JSON array whose salt comes first: `["` or `[ "`, base64url `WyI` to `WyL` or `WyA`, not a word such as Wyatt. */
function beginsDisclosure(run: string): boolean {
  return /^Wy[A-L]/.test(run) && /^\[\s*"/.test(Buffer.from(run.slice(0, 8), 'base64url').toString('latin1'));
}
const holdsDisclosure = (run: string) => run.split('~').some(beginsDisclosure);

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
 * Where the JWT `jwt` that ends at `end` ends with its SD-JWT tail, and the tail, if it has one:
 * the disclosures and Key Binding JWT are part of it, not text around it or a token of their own.
 * A tail is one when it holds a disclosure or a Key Binding JWT, or follows a JWT that says it
 * issues an SD-JWT; a plain JWT followed by `~` in text (`~~strike~~`, `~5 min`, `~/bin`) keeps
 * its `~` as text. A tail wrapped across lines is joined while its last part is cut, or while the
 * next line goes on with a disclosure or a Key Binding JWT; a Key Binding JWT is joined on while it
 * stays whole (a 2048-bit RSA signature cut where a 1024-bit one ends). A tail that goes on with a
 * character no SD-JWT has, or past what is joined, is a broken token: `{ broken }`, where it breaks.
 */
function sdJwtEnd(paste: string, jwt: string, start: number, end: number): { end: number; tail: string } | { broken: number; wrapped?: true } {
  let at = end;
  const issuer = issuesSdJwt(jwt);
  if (paste[at] !== '~') {
    TILDE_ON_NEXT_LINE.lastIndex = at;
    if (!issuer || !TILDE_ON_NEXT_LINE.test(paste)) return { end, tail: '' };
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
    if (line > MAX_SD_TAIL_LINES || part.length + run.length > MAX_SD_PART_CHARS) return { broken: at, wrapped: true };
    lines.push(run);
    const tilde = run.lastIndexOf('~');
    part = tilde === -1 ? part + run : run.slice(tilde + 1);
    disclosures ||= holdsDisclosure(run);
    at = SD_NEXT_LINE.lastIndex;
  }
  const tail = lines.join('');
  const keyBinding = part !== '' && beginsKeyBinding(part);
  // Text after a JWT, or markup around it (`~token~`), unless the JWT says it issues an SD-JWT.
  if (!disclosures && !keyBinding && (paste[start - 1] === '~' || !issuer)) return { end, tail: '' };
  const cut = sdJwtCut(part);
  if (!setsOff(paste, at, AFTER) && !(cut !== null && AFTER_WHOLE.has(paste[at]))) return { broken: at };
  return { end: at - (cut ?? 0), tail: tail.slice(0, tail.length - (cut ?? 0)) };
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
  return named[1] ?? named[2] ?? named[3];
}

/** Whether an opaque value stands set off from the text as a JWT must: a value cut short by a look-alike letter is no token. */
function opaqueSetOff(paste: string, at: number, end: number): boolean {
  return setsOff(paste, at - 1, BEFORE) && setsOff(paste, paste[end] === '.' ? end + 1 : end, AFTER);
}

/** A JSON object's first member, as a JOSE header begins: `{"`, `{ "`, `{` and a line break. */
const OBJECT_START = /^\{\s*"/;
/** A JOSE header's first member (RFC 7515 §4.1, RFC 7516 §4.1, RFC 8225's ppt), as libraries write them, in any case; not "zip", which a JSON address may begin with too. */
const JOSE_FIRST = /^\{\s*"(?:alg|enc|typ|cty|crit|kid|jku|jwk|x5u|x5c|x5t|x5t#S256|ppt)"/i;
/** An "alg" with a name, wherever it stands among the members (`{"ver":"2","alg":"HS256"}`). */
const ALG_MEMBER = /"alg"\s*:\s*"/;
/** A JWK may begin as a header does; its "kty" is its own, not that of a key the header carries. */
const CARRIED_KEY = /"(?:jwk|epk)"\s*:\s*\{/;
/** Enough of a first part to see what it begins with. */
const HEAD_CHARS = 1024;
/** Shorter runs are words (`exempt`). */
const MIN_BROKEN_RUN = 16;
/** Characters outside ASCII, where a look-alike may stand. */
const NON_ASCII = /[^\p{ASCII}]/gu;
/** Runs with a look-alike looked at, at most; how far each is followed either way; and how much is looked at in all. */
const MAX_LOOK_ALIKE_TRIED = 50;
const MAX_LOOK_ALIKE_REACH = 8 * 1024;
const MAX_LOOK_ALIKE_EXAMINED = 64 * 1024;
/** The Latin letters Cyrillic and Greek ones pass for, in pairs: what a forged token would be read as. */
const PASSES_FOR = new Map(
  [...'АAВBЕEКKМMНHОOРPСCТTХXаaеeоoрpсcуyхxЈJјjІIіiЅSѕsԁdΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧXοoνv'.matchAll(/(.)(.)/gu)].map(([, from, to]) => [from, to]),
);

/** Where a run that begins as a JWT breaks, and how. */
export interface BrokenToken {
  /** The run's first character, counted from 1 in the paste's characters. */
  position: number;
  /** The character the run goes on with, or null when it is set off but its parts are wrong or its header does not decode. */
  character: string | null;
  /** `wrapped`: an SD-JWT's tail wrapped over more lines, or longer, than is joined again. */
  reason: 'character' | 'parts' | 'header' | 'wrapped';
}

/** Whether a run's first part, as far as it decodes, begins as a JOSE header: a JSON object whose first member is a header's, or with an "alg", and no key of its own. */
function beginsAsJoseHeader(run: string): boolean {
  const dot = run.indexOf('.');
  const head = Buffer.from(run.slice(0, Math.min(dot === -1 ? run.length : dot, HEAD_CHARS)), 'base64url').toString('latin1');
  const kty = head.indexOf('"kty"');
  const carried = head.search(CARRIED_KEY);
  const jwk = kty !== -1 && (carried === -1 || carried > kty);
  return OBJECT_START.test(head) && (JOSE_FIRST.test(head) || ALG_MEMBER.test(head)) && !jwk;
}

/**
 * A run at `start` that is no token but begins as a JWT (its first member one a JOSE header has):
 * going on with an ASCII character no token has (look-alikes are lookAlikeRun's); or set off, with
 * three parts or more, but a header that does not decode (a character lost or doubled), or with the
 * wrong number of parts. A base64 JSON cursor, a
 * JWKS, an itsdangerous value or a word that begins with "ex" is none of these.
 */
function brokenAt(paste: string, start: number): Omit<BrokenToken, 'position'> | null {
  const run = runAt(paste, start);
  const end = start + run.length;
  if (!setsOff(paste, end, AFTER)) {
    const point = paste.codePointAt(end)!;
    const character = String.fromCodePoint(point);
    // A look-alike is lookAlikeRun's to find, with whatever else the run holds.
    return point <= 0x7f && run.length >= MIN_BROKEN_RUN && beginsAsJoseHeader(run) ? { character, reason: 'character' } : null;
  }
  const parts = run.replace(/\.{1,3}$/, '').split('.');
  if (parts.length < 2 || run.length < MIN_BROKEN_RUN || !beginsAsJoseHeader(run)) return null;
  const header = joseHeaderOf(parts[0]);
  if (!header) return parts.length >= 3 ? { character: null, reason: 'header' } : null;
  return typeof header.alg === 'string' || typeof header.enc === 'string' ? { character: null, reason: 'parts' } : null;
}

/**
 * A run holding look-alikes of a token's characters (`еyJ…`, a Cyrillic `Ј`, a hyphen of another
 * script), when, read as what they pass for, it begins as a JWT: its first part a JOSE header's
 * beginning and a dot after it. An IDN domain or a word in another script beside a token is not.
 */
function lookAlikeRun(paste: string): (Omit<BrokenToken, 'position'> & { at: number }) | null {
  let examinedTo = 0;
  let examined = 0;
  let tried = 0;
  for (const match of paste.matchAll(NON_ASCII)) {
    if (match.index < examinedTo || !LOOKS_LIKE_TOKEN_CHARACTER.test(match[0])) continue;
    if (++tried > MAX_LOOK_ALIKE_TRIED || examined > MAX_LOOK_ALIKE_EXAMINED) break;
    // Not back past the run looked at before: one that goes on from it did not begin here.
    let from = match.index;
    for (let c = characterBefore(paste, from); c !== '' && from > examinedTo && match.index - from < MAX_LOOK_ALIKE_REACH && inRun(c); c = characterBefore(paste, from)) from -= c.length;
    let to = match.index;
    for (let c = characterAt(paste, to); c !== '' && to - match.index < MAX_LOOK_ALIKE_REACH && inRun(c); c = characterAt(paste, to)) to += c.length;
    const continued = from === examinedTo && examinedTo > 0 && inRun(characterBefore(paste, from));
    examined += to - from;
    examinedTo = to;
    const run = paste.slice(from, to);
    if (continued || run.length < MIN_BROKEN_RUN || !run.includes('.')) continue;
    const read = [...run].map(passesFor).join('');
    if (/^e[w-z0-9_-]/.test(read) && beginsAsJoseHeader(read)) return { at: from, character: [...run].find((c) => c > '\x7f')!, reason: 'character' };
  }
  return null;
}

/** The ASCII character a token's character, or a look-alike of one, is read as: a full-width letter as itself, any other as a letter. */
function passesFor(character: string): string {
  if (character <= '\x7f') return character;
  const compatible = character.normalize('NFKC');
  return PASSES_FOR.get(character) ?? (compatible.length === 1 && compatible <= '\x7f' ? compatible : 'A');
}

/** The whole character at `index`, or just before it; the empty string beyond the paste. */
function characterAt(paste: string, index: number): string {
  const point = paste.codePointAt(index);
  return point === undefined ? '' : String.fromCodePoint(point);
}
function characterBefore(paste: string, index: number): string {
  if (index <= 0) return '';
  return index >= 2 && /[\udc00-\udfff]/.test(paste[index - 1]) ? paste.slice(index - 2, index) : paste[index - 1];
}

/** A token's character, or one that may be taken for it. */
function inRun(character: string): boolean {
  const code = character.charCodeAt(0);
  if (code <= 0x7f) return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x2d || code === 0x2e;
  return LOOKS_LIKE_TOKEN_CHARACTER.test(character);
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
  const spans: { at: number; end: number; token: string; whole: boolean }[] = [];
  let broken: (Omit<BrokenToken, 'position'> & { at: number }) | null = null;
  let tried = 0;
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
      previousEnd = sd.broken;
    } else if (token && sd) {
      spans.push({ at: start, end: sd.end, token: token.token + sd.tail, whole: token.whole });
      previousEnd = sd.end;
    } else if (!broken) {
      const at = brokenAt(paste, start);
      if (at) broken = { ...at, at: start };
    }
  }
  broken ??= lookAlikeRun(paste);
  const jwts = spans.length;
  const beside = (at: number, end: number) => end <= searchedTo && opaqueSetOff(paste, at, end) && !spans.slice(0, jwts).some((jwt) => at < jwt.end && jwt.at < end);
  spans.push(...findOpaqueInPaste(paste, MAX_FOUND + 1, beside).map((opaque) => ({ ...opaque, whole: true })));
  spans.sort((a, b) => a.at - b.at);
  const found = spans.slice(0, MAX_FOUND).map((span, i) => ({ name: nameBefore(paste, span.at, i === 0 ? 0 : spans[i - 1].end), token: span.token, whole: span.whole }));
  const position = broken ? [...paste.slice(0, broken.at)].length + 1 : 0;
  return { found, more: spans.length > MAX_FOUND || searchedTo < paste.length, broken: broken && { position, character: broken.character, reason: broken.reason } };
}
