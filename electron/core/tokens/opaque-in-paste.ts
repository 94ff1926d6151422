/**
 * Credentials in a paste that are not JWTs: a Google token response's `ya29.` access token and
 * `1//0` refresh token, `export GITHUB_TOKEN=ghp_…`, `token=…&token_type_hint=…`. They are found as
 * the leak scanner finds them, by provider format or under a token's name, so both screens agree on
 * what a value is. A provider format is taken only when the inspector names it too. A value of no
 * known format is taken only under a name whose last word says token (`refresh_token`, `X-Api-Key`,
 * `Authorization`): passwords, secrets, signing keys, HTTP Basic credentials and pagination or CSRF
 * tokens are left out, as the inspector's advice for a token would be wrong for them.
 */
import { detectSecret } from '../secrets/detect-secret';
import { SecretScanner, type Candidate } from '../secrets/scanner';
import { classifyOpaqueToken } from '../secrets/opaque-formats';

export interface OpaqueInPaste {
  token: string;
  /** Where it begins and ends in the paste. */
  at: number;
  end: number;
}

/** A token endpoint's answer, a request dump or a log excerpt: the scanner is not run over more on every keystroke. */
export const MAX_OPAQUE_SEARCHED_BYTES = 64 * 1024;
/** Candidates tried at most, placeholders and decoys among them: a paste of them is answered as fast as one. */
const MAX_TRIED = 200;
/** Text handed to the scanner at once, so a paste full of candidates is not scanned past the first few. */
const CHUNK_BYTES = 16 * 1024;

const NAME_WORDS = /[_.\-\s]+|(?<=[a-z0-9])(?=[A-Z])/;
/** The last word of a name that holds a bearer credential. */
const TOKEN_WORDS = new Set(['token', 'tokens', 'accesstoken', 'refreshtoken', 'idtoken', 'authtoken', 'authorization', 'jwt', 'assertion', 'apikey']);
/**
 * Words of a name whose token is no credential: a page cursor, a CSRF or captcha nonce, a push
 * device's id; or is a secret or password (`oauth_token_secret`).
 */
const NOT_A_BEARER_WORDS = new Set(
  ('secret secrets password passwd pass pwd passphrase page pagination next cursor continuation skip delta resume change sync csrf xsrf authenticity ' +
    'verification forgery captcha recaptcha hcaptcha turnstile device fcm apns push registration').split(' '),
);
/** A bearer token's characters (RFC 6750 §2.1's b64token), at least as long as the inspector reads as an opaque token. */
const B64TOKEN = /^[A-Za-z0-9._~+/-]{16,}=*$/;
/** HTTP Basic credentials, written or form- or URL-encoded: a user name and password, the scheme before the value or in it. */
const BASIC_BEFORE = /basic(?:\s|\+|%20)+$/i;
const BASIC_IN = /^basic(?:\+|%20)/i;
/** A scheme with parameters after it (`AWS4-HMAC-SHA256 Credential=…`): the "value" is the scheme's name. */
const PARAMETERS_AFTER = /^[ \t]+[A-Za-z][\w-]*=/;

/** Whether a name says its value is a bearer credential: `refresh_token`, `GITHUB_TOKEN`, `X-Api-Key`, but not `JWT_SECRET` or `nextPageToken`. */
function namesBearer(name: string): boolean {
  const words = name.split(NAME_WORDS).filter(Boolean).map((w) => w.toLowerCase());
  const last = words.at(-1) ?? '';
  const apiKey = last === 'key' && words.at(-2) === 'api';
  return (TOKEN_WORDS.has(last) || apiKey) && !words.some((w) => NOT_A_BEARER_WORDS.has(w));
}

/** The token a candidate stands for, when the inspector would read it as one; `before` and `after` are the paste around it. */
function tokenOf(candidate: Candidate, before: string, after: string): string | null {
  const detected = detectSecret(candidate);
  if (!detected) return null;
  if (detected.kind === 'provider') return classifyOpaqueToken(detected.secret) ? detected.secret : null;
  if (detected.kind !== 'generic' || !namesBearer(candidate.assignedTo ?? '') || detected.format.startsWith('HTTP Basic')) return null;
  const { secret } = detected;
  return B64TOKEN.test(secret) && !BASIC_BEFORE.test(before) && !BASIC_IN.test(secret) && !PARAMETERS_AFTER.test(after) ? secret : null;
}

/**
 * The paste's index of a byte offset: the offset itself while the paste is ASCII; else counted on
 * from the last offset asked (candidates come in order, each at an ASCII byte), so a paste full of
 * candidates is decoded once, not once per candidate.
 */
function byteToIndex(bytes: Buffer, length: number): (offset: number) => number {
  if (bytes.length === length) return (offset) => offset;
  let lastOffset = 0;
  let lastIndex = 0;
  return (offset) => {
    if (offset < lastOffset) [lastOffset, lastIndex] = [0, 0];
    lastIndex += bytes.toString('utf8', lastOffset, offset).length;
    lastOffset = offset;
    return lastIndex;
  };
}

/**
 * The first `wanted` opaque tokens in a paste, in order, that `setOff` accepts (the finder's rule
 * for where a token may stand). JWTs are the JWT finder's, and private keys the whole paste's.
 */
export function findOpaqueInPaste(paste: string, wanted: number, setOff: (at: number, end: number) => boolean): OpaqueInPaste[] {
  const scanner = new SecretScanner();
  const bytes = Buffer.from(paste, 'utf8');
  const indexOf = byteToIndex(bytes, paste.length);
  const searched = Math.min(bytes.length, MAX_OPAQUE_SEARCHED_BYTES);
  const found: OpaqueInPaste[] = [];
  let tried = 0;
  for (let offset = 0, ended = false; !ended && found.length < wanted && tried < MAX_TRIED; offset += CHUNK_BYTES) {
    ended = offset + CHUNK_BYTES >= searched;
    const chunk = bytes.subarray(offset, Math.min(searched, offset + CHUNK_BYTES));
    const candidates = ended ? [...scanner.push(chunk), ...scanner.end()] : scanner.push(chunk);
    for (const candidate of candidates) {
      if (found.length === wanted || ++tried > MAX_TRIED) break;
      const at = indexOf(candidate.offset);
      const written = at + candidate.text.length;
      const token = tokenOf(candidate, paste.slice(Math.max(0, at - 64), at), paste.slice(written, written + 64));
      // A sentence's full stop, trimmed from the value, leaves it where it began.
      if (token === null || !candidate.text.startsWith(token)) continue;
      const end = at + token.length;
      // A value assigned to a name is found again by its own format: once is enough.
      if (found.at(-1)?.at !== at && setOff(at, end)) found.push({ token, at, end });
    }
  }
  return found;
}
