/**
 * The standard protocols against the lab: a real oidc-provider on 127.0.0.1 laid out like a
 * Keycloak realm. Discovery, the three client authentication methods, introspection,
 * revocation, and the JWKS.
 */
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab, type LabClient } from '../../lab/lab';
import type { ClientAuth } from '../../electron/core/servers/client-auth';
import type { ServerConnection } from '../../electron/core/servers/connection';
import { discover, type ServerMetadata } from '../../electron/core/servers/discovery';
import { createHttpClient, type HttpClient } from '../../electron/core/servers/http';
import { introspectToken } from '../../electron/core/servers/introspection';
import { fetchJwks } from '../../electron/core/servers/jwks';
import { revokeToken } from '../../electron/core/servers/revocation';
import { requestClientCredentials } from '../../electron/core/servers/token-endpoint';

let lab: Lab;
let http: HttpClient;
let metadata: ServerMetadata;

function authOf(client: LabClient): ClientAuth {
  if (client.method === 'private_key_jwt') return { method: 'private_key_jwt', clientId: client.clientId, privateJwk: client.privateJwk! };
  return { method: client.method, clientId: client.clientId, clientSecret: client.clientSecret! };
}

function as(role: keyof Lab['clients']): ServerConnection {
  return { http, metadata, auth: authOf(lab.clients[role]) };
}

beforeAll(async () => {
  lab = await startLab({ port: 0 });
  http = createHttpClient({ timeoutMs: 5000 });
  metadata = (await discover(http, lab.issuer)).metadata;
});
afterAll(async () => {
  await http?.close();
  await lab?.close();
});

describe('discovery', () => {
  it('reads the OpenID configuration of the realm, with the issuer exactly as configured', async () => {
    const found = await discover(http, lab.issuer);
    expect(found.source).toBe('openid-configuration');
    expect(found.metadata.issuer).toBe(lab.issuer);
    expect(found.metadata.token_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/token`);
    expect(found.metadata.introspection_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/token/introspect`);
    expect(found.metadata.revocation_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/revoke`);
    expect(found.metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post', 'private_key_jwt']));
    // Members CredOps has no field for are kept.
    expect(found.metadata.authorization_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/auth`);
  });

  it('refuses the same server under an issuer that differs at all, naming both', async () => {
    const spellings = [`${lab.issuer}/`, lab.issuer.replace('127.0.0.1', 'localhost')];
    for (const configured of spellings) {
      const error = await discover(http, configured).catch((e: Error) => e);
      expect(error).toMatchObject({ code: 'SERVER_ISSUER_MISMATCH' });
      expect((error as Error).message).toContain(`"${lab.issuer}"`);
      expect((error as Error).message).toContain(`"${configured}"`);
    }
  });

  it('says so when the realm does not exist', async () => {
    await expect(discover(http, `${lab.origin}/realms/nope`)).rejects.toMatchObject({ code: 'SERVER_ERROR', message: expect.stringContaining('Check the issuer URL') });
  });
});

describe('client credentials with each client authentication method', () => {
  it.each([
    ['admin', 'client_secret_basic'],
    ['post', 'client_secret_post'],
    ['jwt', 'private_key_jwt'],
  ] as const)('%s client (%s) gets a token the server then reports active for that client', async (role, method) => {
    expect(lab.clients[role].method).toBe(method);
    const token = await requestClientCredentials(as(role));
    expect(token.token_type).toMatch(/^bearer$/i);
    expect(token.expires_in).toBeGreaterThan(0);
    const seen = await introspectToken(as('admin'), token.access_token);
    expect(seen).toMatchObject({ active: true, client_id: lab.clients[role].clientId });
  });

  it('private_key_jwt works twice in a row: each assertion has a fresh jti, which replay detection requires', async () => {
    await requestClientCredentials(as('jwt'));
    await expect(requestClientCredentials(as('jwt'))).resolves.toMatchObject({ access_token: expect.any(String) });
  });

  it('a token for a resource indicator comes back for that resource', async () => {
    const token = await requestClientCredentials(as('admin'), { resource: lab.resources.opaque, scope: 'api:read' });
    expect(token.scope).toBe('api:read');
    expect(await introspectToken(as('admin'), token.access_token)).toMatchObject({ active: true, aud: lab.resources.opaque });
  });
});

describe('introspection (RFC 7662)', () => {
  it('reports a user\'s opaque access token active, with its client and subject', async () => {
    const { accessToken } = await lab.issueUserTokens();
    const seen = await introspectToken(as('admin'), accessToken, 'access_token');
    expect(seen).toMatchObject({ active: true, client_id: lab.clients.app.clientId, sub: lab.user.id, token_type: 'Bearer' });
    expect(seen.exp).toEqual(expect.any(Number));
  });

  it('reports an unknown token as simply inactive', async () => {
    expect(await introspectToken(as('admin'), 'no-such-token-3b9c1f')).toEqual({ active: false });
  });

  it('refuses to introspect a self-contained JWT access token, in a plain sentence', async () => {
    const { jwtAccessToken } = await lab.issueUserTokens();
    const error = await introspectToken(as('admin'), jwtAccessToken).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'SERVER_UNSUPPORTED', message: expect.stringContaining('cannot introspect this kind of token') });
    expect((error as Error).message).not.toContain(jwtAccessToken.slice(0, 20));
  });
});

describe('revocation (RFC 7009)', () => {
  it('revokes an opaque access token, which introspection then reports inactive', async () => {
    const { accessToken } = await lab.issueUserTokens();
    expect((await introspectToken(as('admin'), accessToken)).active).toBe(true);
    expect(await revokeToken(as('admin'), accessToken, 'access_token')).toEqual({ kind: 'revoked' });
    expect(await introspectToken(as('admin'), accessToken)).toEqual({ active: false });
  });

  it('revokes a refresh token the same way', async () => {
    const { refreshToken } = await lab.issueUserTokens();
    expect((await introspectToken(as('admin'), refreshToken, 'refresh_token')).active).toBe(true);
    expect(await revokeToken(as('admin'), refreshToken, 'refresh_token')).toEqual({ kind: 'revoked' });
    expect((await introspectToken(as('admin'), refreshToken, 'refresh_token')).active).toBe(false);
  });

  it('answers "revoked" for an unknown token too, which is why revocation is verified by introspection', async () => {
    expect(await revokeToken(as('admin'), 'never-issued-9e8d7c')).toEqual({ kind: 'revoked' });
  });

  it('says a JWT access token cannot be revoked there, and how it ends instead', async () => {
    const { jwtAccessToken } = await lab.issueUserTokens();
    const outcome = await revokeToken(as('admin'), jwtAccessToken, 'access_token');
    expect(outcome).toMatchObject({ kind: 'unsupported_token_type', message: expect.stringContaining('refresh token or the grant') });
  });

  it('only the owning client or the admin client may revoke: another client is refused and the token stays active', async () => {
    const { accessToken } = await lab.issueUserTokens();
    const outcome = await revokeToken(as('post'), accessToken);
    expect(outcome).toMatchObject({ kind: 'failed', code: 'SERVER_ERROR', message: expect.stringContaining('invalid_request') });
    expect((await introspectToken(as('admin'), accessToken)).active).toBe(true);
  });
});

describe('JWKS', () => {
  it('publishes the key that signs the JWT access tokens, under its kid and thumbprint', async () => {
    const { keys, rejected } = await fetchJwks(http, metadata.jwks_uri!);
    expect(rejected).toEqual([]);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(Object.keys(key.jwk)).not.toContain('d');
    const { jwtAccessToken } = await lab.issueUserTokens();
    const { kid } = decodeProtectedHeader(jwtAccessToken);
    const signer = keys.find((k) => k.kid === kid);
    expect(signer).toBeDefined();
    const { payload } = await jwtVerify(jwtAccessToken, await importJWK(signer!.jwk, 'RS256'), { issuer: lab.issuer, audience: lab.resources.jwt });
    expect(payload.sub).toBe(lab.user.id);
  });

  it('shows a rotated-in key first and keeps the old one published', async () => {
    const before = await fetchJwks(http, metadata.jwks_uri!);
    const { kid } = await lab.rotateSigningKey();
    const after = await fetchJwks(http, metadata.jwks_uri!);
    expect(after.keys.find((k) => k.alg === 'RS256' || k.kty === 'RSA')?.kid).toBe(kid);
    for (const old of before.keys) expect(after.keys.map((k) => k.thumbprint)).toContain(old.thumbprint);
    expect(new Set(after.keys.map((k) => k.thumbprint)).size).toBe(after.keys.length);
  });
});
