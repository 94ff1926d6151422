/**
 * The client credentials grant (RFC 6749 §4.4): the console's own token from the token endpoint,
 * used to show that a client's credentials work and, for provider adapters, to call admin APIs.
 */
import { z } from 'zod';
import { CoreError } from '../errors';
import { postAuthenticated, type ServerConnection } from './connection';
import { endpointOf } from './discovery';
import { failureFor, readJson } from './http';

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  [member: string]: unknown;
}

const WHAT = 'the token endpoint';

const tokenResponse = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().min(1),
  // Some servers send "3600" as a string; the value is what matters.
  expires_in: z.union([z.number().nonnegative(), z.string().regex(/^\d{1,9}$/).transform(Number)]).optional(),
  scope: z.string().optional(),
});

export async function requestClientCredentials(conn: ServerConnection, options: { scope?: string; resource?: string } = {}): Promise<TokenResponse> {
  const url = endpointOf(conn.metadata, 'token_endpoint', 'request a token');
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (options.scope) form.scope = options.scope;
  if (options.resource) form.resource = options.resource;
  return postAuthenticated(conn, url, form, [], (answer) => {
    if (answer.status !== 200) throw failureFor(answer, WHAT);
    const json = readJson(answer, WHAT);
    const parsed = tokenResponse.safeParse(json);
    if (!parsed.success) {
      // Name the member, never its value: a malformed answer may still carry a token.
      const member = parsed.error.issues[0]?.path.map(String).join('.') || 'the answer';
      throw new CoreError('SERVER_BAD_RESPONSE', `The token endpoint answered HTTP 200 without a usable token response: "${member}" is missing or malformed.`);
    }
    return parsed.data as TokenResponse;
  });
}
