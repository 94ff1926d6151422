/**
 * Token revocation (RFC 7009), told as an outcome rather than thrown, because what the caller
 * must do next differs: a 200 is not proof (the server answers 200 for unknown tokens too, so
 * the caller verifies by introspection); 429 and 503 mean "not revoked yet, send again later";
 * a request that was sent but got no answer may have been processed and must be checked before
 * it is sent again, or a playbook would count one revocation twice.
 */
import type { ErrorCode } from '../../../shared/result';
import { isCoreError } from '../errors';
import { postAuthenticated, type ServerConnection } from './connection';
import { endpointOf } from './discovery';
import { failureFor, mayHaveReachedServer, serverError, type HttpAnswer } from './http';

export type RevokeOutcome =
  | { kind: 'revoked' }
  | { kind: 'unsupported_token_type'; message: string }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null; reached: false }
  | { kind: 'uncertain'; reason: string; reached: true }
  | { kind: 'failed'; code: ErrorCode; message: string };

const WHAT = 'the revocation endpoint';

export const REVOKE_UNSUPPORTED_MESSAGE =
  'The server cannot revoke this kind of token (unsupported_token_type). A self-contained JWT access token stays valid until it expires: revoke the refresh token or the grant behind it, and wait out its expiry.';

/** Gateway and server errors leave it open whether the origin processed the request. */
const UNCERTAIN_STATUSES = new Set([500, 502, 504]);

/** Transport failures that end the attempt before anything was sent, and that waiting may cure. */
const TRANSIENT_CODES = new Set<string>(['SERVER_UNREACHABLE', 'SERVER_TIMEOUT']);

function outcomeOf(answer: HttpAnswer, redact: (text: string) => string): RevokeOutcome {
  if (answer.status === 200) {
    // A captive portal or a proxy's sign-in page also answers 200: that is not the server's word.
    if (/^\s*text\/html/i.test(answer.header('content-type') ?? '')) {
      return { kind: 'uncertain', reason: 'The revocation endpoint answered with an HTML page, not the authorization server\'s answer. Check the token by introspection before sending again.', reached: true };
    }
    return { kind: 'revoked' };
  }
  if (serverError(answer).error === 'unsupported_token_type') return { kind: 'unsupported_token_type', message: REVOKE_UNSUPPORTED_MESSAGE };
  const failure = failureFor(answer, WHAT);
  failure.message = redact(failure.message);
  if (answer.status === 429 || answer.status === 503) {
    return { kind: 'retry', reason: `${failure.message} The token is not revoked yet.`, retryAfterMs: answer.retryAfterMs, reached: false };
  }
  if (UNCERTAIN_STATUSES.has(answer.status)) {
    return { kind: 'uncertain', reason: `${failure.message} The server may or may not have revoked the token: check it by introspection before sending again.`, reached: true };
  }
  return { kind: 'failed', code: failure.code, message: failure.message };
}

export async function revokeToken(conn: ServerConnection, token: string, hint?: 'access_token' | 'refresh_token', signal?: AbortSignal): Promise<RevokeOutcome> {
  let url: string;
  try {
    url = endpointOf(conn.metadata, 'revocation_endpoint', 'revoke tokens');
  } catch (error) {
    if (!isCoreError(error)) throw error;
    return { kind: 'failed', code: error.code, message: error.message };
  }
  const form: Record<string, string> = { token };
  if (hint) form.token_type_hint = hint;
  try {
    return await postAuthenticated(conn, url, form, [token], outcomeOf, signal);
  } catch (error) {
    const cancelled = error instanceof Error && error.name === 'AbortError';
    if (!isCoreError(error) && !cancelled) throw error;
    const failure = error as Error & { code?: ErrorCode };
    const transient = cancelled || TRANSIENT_CODES.has(failure.code ?? '');
    if (transient && mayHaveReachedServer(error)) {
      return { kind: 'uncertain', reason: `${failure.message} Check the token by introspection before sending the revocation again.`, reached: true };
    }
    if (transient) return { kind: 'retry', reason: `${failure.message} The revocation was not sent; the token is not revoked yet.`, retryAfterMs: null, reached: false };
    return { kind: 'failed', code: failure.code ?? 'INTERNAL', message: failure.message };
  }
}
