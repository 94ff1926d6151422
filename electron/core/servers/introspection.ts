/**
 * Token introspection (RFC 7662): whether the server still considers a token active. An unknown,
 * expired or revoked token is not an error, just {"active": false} (§2.2).
 */
import { CoreError } from '../errors';
import { postAuthenticated, type ServerConnection } from './connection';
import { endpointOf } from './discovery';
import { failureFor, readJson, serverError } from './http';

export type Introspection = { active: boolean; [member: string]: unknown };

const WHAT = 'the introspection endpoint';

/** Said when a server will not introspect a token type, typically a self-contained JWT. */
export const UNSUPPORTED_TOKEN_TYPE_MESSAGE =
  'The server cannot introspect this kind of token (unsupported_token_type). A self-contained JWT access token is checked offline in the Inspector; it ends at its expiry, or sooner if the server checks the grant or refresh token behind it.';

export async function introspectToken(conn: ServerConnection, token: string, hint?: 'access_token' | 'refresh_token', signal?: AbortSignal): Promise<Introspection> {
  const url = endpointOf(conn.metadata, 'introspection_endpoint', 'introspect tokens');
  const form: Record<string, string> = { token };
  if (hint) form.token_type_hint = hint;
  return postAuthenticated(conn, url, form, [token], (answer) => {
    if (answer.status !== 200) {
      if (serverError(answer).error === 'unsupported_token_type') throw new CoreError('SERVER_UNSUPPORTED', UNSUPPORTED_TOKEN_TYPE_MESSAGE);
      throw failureFor(answer, WHAT);
    }
    const json = readJson(answer, WHAT);
    if (typeof json !== 'object' || json === null || Array.isArray(json) || typeof (json as { active?: unknown }).active !== 'boolean') {
      throw new CoreError('SERVER_BAD_RESPONSE', 'The introspection endpoint answered without a boolean "active" member (RFC 7662 §2.2), so CredOps cannot tell whether the token is active.');
    }
    return json as Introspection;
  }, signal);
}
