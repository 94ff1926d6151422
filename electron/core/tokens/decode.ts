/**
 * Strict decoding of a compact token's parts: base64url with no padding and no other characters,
 * and JSON that is an object and nests no deeper than any real header or claim set does. Each
 * failure says which part and why, so "unparseable" can be explained.
 */
import { jsonShapeProblem } from '../json-depth';
import { quoted } from './header-checks';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Deeper than any real claim set; deep enough to refuse JSON built to exhaust a parser. */
export const MAX_JSON_DEPTH = 32;

export class DecodeError extends Error {}

/** `checked`: the caller has already seen that the part holds only base64url characters. */
export function decodeBase64url(part: string, what: string, checked = false): Buffer {
  if (!checked && !BASE64URL.test(part)) {
    const bad = [...part].find((c) => !/[A-Za-z0-9_-]/.test(c)) ?? '';
    throw new DecodeError(`The ${what} is not base64url: it contains ${bad === '=' ? 'padding (=)' : `"${bad}"`}.`);
  }
  if (part.length % 4 === 1) throw new DecodeError(`The ${what} is not base64url: its length cannot be decoded.`);
  return Buffer.from(part, 'base64url');
}

/** JSON in UTF-16 or UTF-32, which some parsers read anyway. */
const wideReason = (what: string) => `The ${what} is UTF-16 or UTF-32, not the UTF-8 JOSE requires (RFC 7515 §5.1); Python's json reads it anyway, so verifiers disagree on whether this is a token. Reject it.`;

/**
 * Bytes as UTF-8 text, refusing anything that is not (a replacement character would hide it).
 * `text` is the bytes already decoded, when the caller has them.
 */
export function decodeUtf8(bytes: Buffer, what: string, text = bytes.toString('utf8')): string {
  if (Buffer.byteLength(text) !== bytes.length || text.includes('\uFFFD')) throw new DecodeError(isWideJson(bytes) ? wideReason(what) : `The ${what} is not UTF-8 text.`);
  return text;
}

/** Bytes that may come before the brace of a JSON object in some encoding: a byte-order mark, whitespace, zero bytes. */
const BEFORE_BRACE = new Set([0xef, 0xbb, 0xbf, 0xfe, 0xff, 0x00, 0x20, 0x09, 0x0a, 0x0d]);

/**
 * Whether a part of base64url characters may be a JOSE header, as some JWT library would read it.
 * A JSON object has a brace byte in every encoding and dialect a parser takes (UTF-8, UTF-16 or
 * UTF-32, with a byte-order mark, with comments, single quotes or bare names as Newtonsoft and
 * lenient Gson read them), so a part without one is none; one with a brace is a JWT, however
 * broken, never an opaque token that merely has dots.
 */
export function mayBeJoseHeader(part: string): boolean {
  return Buffer.from(part, 'base64url').includes(0x7b);
}

/** JSON in UTF-16 or UTF-32: before its brace only a byte-order mark, whitespace and zero bytes, and a zero byte beside it. */
function isWideJson(bytes: Buffer): boolean {
  const brace = bytes.indexOf(0x7b);
  if (brace === -1) return false;
  for (let i = 0; i < brace; i++) if (!BEFORE_BRACE.has(bytes[i])) return false;
  return bytes[brace - 1] === 0 || bytes[brace + 1] === 0;
}

export function decodeJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  return parseJsonObject(decodeUtf8(bytes, what), what);
}

/**
 * Why text is not JSON, naming the two encodings some parsers read anyway: one verifier then reads
 * a token where another reads none, which is reason enough to refuse it.
 */
function notJsonReason(text: string, what: string): string {
  if (text.startsWith('\uFEFF')) return `The ${what} begins with a byte-order mark (U+FEFF), which JSON forbids; decoders that strip it (jose's, through TextDecoder) read the ${what} anyway, so verifiers disagree on whether this is a token. Reject it.`;
  if (isWideJson(Buffer.from(text))) return wideReason(what);
  return `The ${what} is not valid JSON.`;
}

export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  const problem = jsonShapeProblem(text, MAX_JSON_DEPTH);
  if (problem && 'deeper' in problem) throw new DecodeError(`The ${what} nests JSON deeper than ${MAX_JSON_DEPTH} levels; no real token does.`);
  if (problem) {
    throw new DecodeError(`The ${what} names ${quoted(problem.repeated, 60)} twice (however its escapes spell it): parsers disagree on which one counts, so one server would read it one way and the next another. Reject it.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DecodeError(notJsonReason(text, what));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError(`The ${what} is JSON but not an object.`);
  return value as Record<string, unknown>;
}
