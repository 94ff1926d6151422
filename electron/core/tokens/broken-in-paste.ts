/**
 * A run in a paste that begins as a JWT but is none: it goes on with a character no token has (a
 * redaction, padding, an encoding), has the wrong number of parts or a header that does not
 * decode, or holds look-alike letters that make it read as a JWT. Such a paste is refused with
 * where, rather than read around the broken token (see find-in-paste.ts).
 */
import { AFTER, characterAt, characterBefore, inRun, joseHeaderOf, LOOKS_LIKE_TOKEN_CHARACTER, runAt, setsOff } from './token-in-text';

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
export function brokenAt(paste: string, start: number): Omit<BrokenToken, 'position'> | null {
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
export function lookAlikeRun(paste: string): (Omit<BrokenToken, 'position'> & { at: number }) | null {
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
