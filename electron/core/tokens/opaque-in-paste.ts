/**
 * Credentials in a paste that are not JWTs: a Google token response's `ya29.` access token and
 * `1//0` refresh token, `export GITHUB_TOKEN=ghp_…`, `token=…&token_type_hint=…`. They are found as
 * the leak scanner finds them, by provider format or by a token's name, so both screens agree on
 * what a value is. Passwords, client secrets and HTTP Basic credentials are credentials but not
 * tokens, and are left out: read as a token, the inspector's advice for them would be wrong.
 */
import { detectSecret } from '../leaks/detect-secret';
import { SecretScanner } from '../leaks/scanner';

export interface OpaqueInPaste {
  token: string;
  /** Where it begins and ends in the paste. */
  at: number;
  end: number;
}

/** Names under which a value of no known format is still a token (an OAuth token, an API key, a session). */
const TOKEN_NAME = /token|authorization|assertion|jwt|api[_-]?key|apikey/i;
/** `Authorization: Basic …` is a user name and password. */
const BASIC_BEFORE = /basic\s+$/i;

/** Candidates tried at most, placeholders and decoys among them: a paste of them is answered as fast as one. */
const MAX_TRIED = 200;
/** Text handed to the scanner at once, so a paste full of candidates is not scanned past the first few. */
const CHUNK_BYTES = 16 * 1024;

/**
 * The first `wanted` opaque tokens in a paste, in order. JWTs are the JWT finder's, and private keys
 * the whole paste's.
 */
export function findOpaqueInPaste(paste: string, wanted: number): OpaqueInPaste[] {
  const scanner = new SecretScanner();
  const bytes = Buffer.from(paste, 'utf8');
  const found: OpaqueInPaste[] = [];
  let tried = 0;
  for (let offset = 0, ended = false; !ended && found.length < wanted && tried < MAX_TRIED; offset += CHUNK_BYTES) {
    ended = offset + CHUNK_BYTES >= bytes.length;
    const candidates = ended ? [...scanner.push(bytes.subarray(offset)), ...scanner.end()] : scanner.push(bytes.subarray(offset, offset + CHUNK_BYTES));
    for (const candidate of candidates) {
      if (found.length === wanted || ++tried > MAX_TRIED) break;
      const detected = detectSecret(candidate);
      if (!detected) continue;
      const named = detected.kind === 'generic' && TOKEN_NAME.test(candidate.assignedTo ?? '');
      if (detected.kind !== 'provider' && !named) continue;
      const at = paste.indexOf(detected.secret, found.at(-1)?.at ?? 0);
      if (at === -1 || (named && BASIC_BEFORE.test(paste.slice(Math.max(0, at - 16), at)))) continue;
      // A value assigned to a name is found again by its own format: once is enough.
      if (found.at(-1)?.at === at) continue;
      found.push({ token: detected.secret, at, end: at + detected.secret.length });
    }
  }
  return found;
}
