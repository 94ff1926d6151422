/**
 * Strict decoding of a compact token's parts: base64url with no padding and no other characters,
 * and JSON that is an object and nests no deeper than any real header or claim set does. Each
 * failure says which part and why, so "unparseable" can be explained.
 */
import { nestsDeeperThan, repeatedName } from '../json-depth';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Deeper than any real claim set; deep enough to refuse JSON built to exhaust a parser. */
export const MAX_JSON_DEPTH = 32;

export class DecodeError extends Error {}

export function decodeBase64url(part: string, what: string): Buffer {
  if (!BASE64URL.test(part)) {
    const bad = [...part].find((c) => !/[A-Za-z0-9_-]/.test(c)) ?? '';
    throw new DecodeError(`The ${what} is not base64url: it contains ${bad === '=' ? 'padding (=)' : `"${bad}"`}.`);
  }
  if (part.length % 4 === 1) throw new DecodeError(`The ${what} is not base64url: its length cannot be decoded.`);
  return Buffer.from(part, 'base64url');
}

export function decodeJsonObject(bytes: Buffer, what: string): Record<string, unknown> {
  const text = bytes.toString('utf8');
  if (Buffer.byteLength(text) !== bytes.length || text.includes('\uFFFD')) throw new DecodeError(`The ${what} is not UTF-8 text.`);
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new DecodeError(`The ${what} nests JSON deeper than ${MAX_JSON_DEPTH} levels; no real token does.`);
  const repeated = repeatedName(text);
  if (repeated !== null) {
    throw new DecodeError(`The ${what} names "${repeated.slice(0, 60)}" twice: parsers disagree on which one counts, so one server would read it one way and the next another. Reject it.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DecodeError(`The ${what} is not valid JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DecodeError(`The ${what} is JSON but not an object.`);
  return value as Record<string, unknown>;
}
