/**
 * Whatever a server answers, and whatever goes wrong, no message the core shows contains the
 * client secret, the Authorization header, the client assertion or the token being handled.
 * The fake server here is hostile: it echoes everything it was sent into its error answer.
 */
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import type { ClientAuth } from '../../../electron/core/servers/client-auth';
import type { ServerConnection } from '../../../electron/core/servers/connection';
import type { ServerMetadata } from '../../../electron/core/servers/discovery';
import { type HttpRequest } from '../../../electron/core/servers/http';
import { introspectToken } from '../../../electron/core/servers/introspection';
import { revokeToken } from '../../../electron/core/servers/revocation';
import { requestClientCredentials } from '../../../electron/core/servers/token-endpoint';
import { fakeHttp, type FakeReply } from './fake-http';

const ISSUER = 'https://id.example.com/realms/ops';
const METADATA: ServerMetadata = {
  issuer: ISSUER,
  token_endpoint: `${ISSUER}/token`,
  introspection_endpoint: `${ISSUER}/introspect`,
  revocation_endpoint: `${ISSUER}/revoke`,
};
// Characters that JSON and form encoding change, so an echo in either spelling must be caught.
const SECRET = 'sEcr3t/with"quote+plus and space~xyzzy';
const TOKEN = 'opaque-token-4f1e9c0d2b7a/8e6f"5a3c';

async function auths(): Promise<ClientAuth[]> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return [
    { method: 'client_secret_basic', clientId: 'svc', clientSecret: SECRET },
    { method: 'client_secret_post', clientId: 'svc', clientSecret: SECRET },
    { method: 'private_key_jwt', clientId: 'svc', privateJwk: await exportJWK(privateKey) },
  ];
}

/** Everything a request carried that must stay secret. */
function sentSecrets(req: HttpRequest): string[] {
  return [req.headers?.authorization, req.form?.client_secret, req.form?.client_assertion, req.form?.token, SECRET, TOKEN].filter((s): s is string => !!s);
}

function echo(status: number, how: 'json' | 'json-escaped-slashes' | 'text'): (req: HttpRequest) => FakeReply {
  return (req) => {
    const everything = `sent ${JSON.stringify(req.form)} with ${req.headers?.authorization ?? 'no header'}`;
    if (how === 'text') return { status, body: everything, headers: { 'content-type': 'text/plain' } };
    const body = JSON.stringify({ error: 'invalid_client', error_description: everything });
    return { status, body: how === 'json' ? body : body.replace(/\//g, '\\/'), headers: { 'content-type': 'application/json' } };
  };
}

function expectNoSecret(message: string, secrets: string[]): void {
  for (const secret of secrets) {
    // Not even a recognisable piece of it.
    expect(message).not.toContain(secret);
    expect(message).not.toContain(secret.slice(0, 12));
  }
}

describe('no secret in any error message', () => {
  it('token, introspection and revocation errors, whatever the server echoes, for every auth method', async () => {
    let checked = 0;
    for (const auth of await auths()) {
      for (const status of [400, 401, 403, 429, 500, 503]) {
        for (const how of ['json', 'json-escaped-slashes', 'text'] as const) {
          const http = fakeHttp(echo(status, how));
          const conn: ServerConnection = { http, metadata: METADATA, auth };
          const messages: string[] = [];
          await requestClientCredentials(conn).catch((e: Error) => messages.push(e.message));
          await introspectToken(conn, TOKEN).catch((e: Error) => messages.push(e.message));
          const outcome = await revokeToken(conn, TOKEN);
          messages.push('reason' in outcome ? outcome.reason : 'message' in outcome ? outcome.message : '');
          expect(messages).toHaveLength(3);
          const secrets = http.requests.flatMap(sentSecrets);
          expect(secrets.length).toBeGreaterThanOrEqual(6);
          for (const message of messages) expectNoSecret(message, secrets);
          // The server's own error code still gets through when it sent one.
          if (how !== 'text') expect(messages[0]).toContain('invalid_client');
          checked++;
        }
      }
    }
    expect(checked).toBe(54);
  });

  it('an echo longer than the quoting bound cannot leave half a secret behind', async () => {
    const auth: ClientAuth = { method: 'client_secret_post', clientId: 'svc', clientSecret: SECRET };
    const http = fakeHttp(() => ({ status: 401, body: { error: 'invalid_client', error_description: `${'x'.repeat(190)}${SECRET}` } }));
    const message = await requestClientCredentials({ http, metadata: METADATA, auth }).catch((e: Error) => e.message);
    expect(message).toContain('invalid_client');
    expect(message).not.toContain(SECRET.slice(0, 8));
  });

  it('transport failures carry no secret either, including in the stack', async () => {
    const auth: ClientAuth = { method: 'client_secret_basic', clientId: 'svc', clientSecret: SECRET };
    const failing = fakeHttp(() => new Error(`socket hang up while sending token=${TOKEN} secret ${SECRET}`));
    const error = await introspectToken({ http: failing, metadata: METADATA, auth }, TOKEN).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expectNoSecret((error as Error).message, [TOKEN, SECRET]);
    expectNoSecret((error as Error).stack ?? '', [TOKEN, SECRET]);
  });
});
