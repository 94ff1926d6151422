/**
 * The lab authorization server (lab/): a real oidc-provider on an ephemeral loopback port,
 * spoken to over real HTTP, as CredOps' server code will speak to it. Every expectation here is
 * something the console relies on: Keycloak's layout and admin API, and oidc-provider's real
 * behaviour (including what it refuses).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT, createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type JSONWebKeySet } from 'jose';
import { startLab, type Lab, type LabClient } from '../../lab/lab';

let lab: Lab;
let discovery: Record<string, string>;

beforeAll(async () => {
  lab = await startLab({ port: 0 });
  discovery = (await (await fetch(`${lab.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
});
afterAll(() => lab?.close());

type Json = Record<string, unknown>;

/** A form POST to a token-family endpoint, authenticated the way the client is configured. */
async function clientPost(endpoint: string, client: LabClient, params: Record<string, string>): Promise<{ status: number; body: Json }> {
  const form = new URLSearchParams(params);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (client.method === 'client_secret_basic') {
    // RFC 6749 §2.3.1: both halves form-urlencoded before base64.
    const pair = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret!)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else if (client.method === 'client_secret_post') {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret!);
  } else {
    const jwk = client.privateJwk!;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: jwk.alg!, kid: jwk.kid })
      .setIssuer(client.clientId)
      .setSubject(client.clientId)
      .setAudience(discovery.token_endpoint)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(await importJWK(jwk, jwk.alg));
    form.set('client_id', client.clientId);
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', assertion);
  }
  const response = await fetch(endpoint, { method: 'POST', headers, body: form });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

const clientCredentials = (client: LabClient, extra: Record<string, string> = {}) =>
  clientPost(discovery.token_endpoint, client, { grant_type: 'client_credentials', ...extra });
const refresh = (refreshToken: string) => clientPost(discovery.token_endpoint, lab.clients.app, { grant_type: 'refresh_token', refresh_token: refreshToken });
const introspect = (token: string) => clientPost(discovery.introspection_endpoint, lab.clients.admin, { token });
const revoke = (token: string) => clientPost(discovery.revocation_endpoint, lab.clients.admin, { token });

async function adminToken(): Promise<string> {
  const { status, body } = await clientCredentials(lab.clients.admin);
  expect(status).toBe(200);
  return body.access_token as string;
}

/** A call to the Keycloak admin API of the lab realm. */
async function admin(path: string, init: { method?: string; body?: unknown; token?: string | null } = {}) {
  const token = init.token === undefined ? await adminToken() : init.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${lab.origin}/admin/realms/${lab.realm}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const sessionIds = async () => ((await admin(`/users/${lab.user.id}/sessions`)).body as { id: string }[]).map((s) => s.id);
const jwks = async () => (await (await fetch(discovery.jwks_uri)).json()) as JSONWebKeySet;

describe('discovery and client authentication', () => {
  it('publishes discovery under the Keycloak realm path with the exact issuer and Keycloak endpoint paths', () => {
    expect(lab.issuer).toBe(`${lab.origin}/realms/lab`);
    expect(discovery.issuer).toBe(lab.issuer);
    expect(discovery.token_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/token`);
    expect(discovery.introspection_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/token/introspect`);
    expect(discovery.revocation_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/revoke`);
    expect(discovery.jwks_uri).toBe(`${lab.issuer}/protocol/openid-connect/certs`);
    expect(discovery.authorization_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/auth`);
    expect(discovery.end_session_endpoint).toBe(`${lab.issuer}/protocol/openid-connect/logout`);
  });

  it.each(['admin', 'post', 'jwt'] as const)('grants client_credentials to the %s client with its own auth method', async (role) => {
    const client = lab.clients[role];
    const { status, body } = await clientCredentials(client);
    expect(status).toBe(200);
    expect(body.token_type).toBe('Bearer');
    const introspected = await introspect(body.access_token as string);
    expect(introspected.body).toMatchObject({ active: true, client_id: client.clientId });
  });

  it('refuses a wrong secret and an assertion signed by a key the client does not have', async () => {
    expect((await clientCredentials({ ...lab.clients.post, clientSecret: 'not-the-secret' })).body.error).toBe('invalid_client');
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const impostor = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: lab.clients.jwt.privateJwk!.kid };
    expect((await clientCredentials({ ...lab.clients.jwt, privateJwk: impostor })).body.error).toBe('invalid_client');
  });
});

describe('introspection and revocation', () => {
  it('lets the admin client introspect a fresh opaque token of another client as active', async () => {
    const { accessToken, sessionId } = await lab.issueUserTokens();
    const { status, body } = await introspect(accessToken);
    expect(status).toBe(200);
    expect(body).toMatchObject({ active: true, client_id: lab.clients.app.clientId, sub: lab.user.id, aud: lab.resources.opaque, iss: lab.issuer, sid: sessionId });
  });

  it('revokes by the admin client, after which introspection says inactive, and leaves other grants alone', async () => {
    const [revoked, kept] = await lab.issueOpaqueAccessTokens(2);
    expect((await introspect(revoked)).body.active).toBe(true);
    expect((await revoke(revoked)).status).toBe(200);
    expect((await introspect(revoked)).body).toEqual({ active: false });
    expect((await introspect(kept)).body.active).toBe(true);
  });

  it('keeps oidc-provider refusing to introspect or revoke a JWT access token (unsupported_token_type)', async () => {
    const { jwtAccessToken } = await lab.issueUserTokens();
    const introspected = await introspect(jwtAccessToken);
    expect(introspected.status).toBe(400);
    expect(introspected.body.error).toBe('unsupported_token_type');
    const revoked = await revoke(jwtAccessToken);
    expect(revoked.status).toBe(400);
    expect(revoked.body.error).toBe('unsupported_token_type');
    // It is an RFC 9068 access token for the jwt resource, verifiable against the published JWKS.
    const { payload, protectedHeader } = await jwtVerify(jwtAccessToken, createLocalJWKSet(await jwks()), { issuer: lab.issuer, audience: lab.resources.jwt, typ: 'at+jwt' });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: lab.user.id, client_id: lab.clients.app.clientId });
    expect(payload.exp! - payload.iat!).toBe(300);
  });
});

describe('sessions through the Keycloak admin API', () => {
  it('starts with seeded sessions for the user, listed with Keycloak session fields', async () => {
    const users = (await admin(`/users?username=${lab.user.username}&exact=true`)).body as Json[];
    expect(users).toEqual([expect.objectContaining({ id: lab.user.id, username: 'alice', enabled: true })]);
    const sessions = (await admin(`/users/${lab.user.id}/sessions`)).body as Json[];
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    const [appClient] = (await admin(`/clients?clientId=${lab.clients.app.clientId}`)).body as { id: string }[];
    expect(sessions[0]).toMatchObject({ username: 'alice', userId: lab.user.id, ipAddress: '127.0.0.1', clients: { [appClient.id]: lab.clients.app.clientId } });
    expect(sessions[0].start).toBeGreaterThan(Date.now() - 60_000);
    expect(sessions[0].lastAccess).toBeGreaterThanOrEqual(sessions[0].start as number);
  });

  it('refreshes, and after DELETE sessions/{id} the refresh token fails and the access token is inactive', async () => {
    const tokens = await lab.issueUserTokens();
    const first = await refresh(tokens.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.access_token).toEqual(expect.any(String));
    expect(await sessionIds()).toContain(tokens.sessionId);

    expect((await admin(`/sessions/${tokens.sessionId}`, { method: 'DELETE' })).status).toBe(204);
    const after = await refresh(tokens.refreshToken);
    expect(after.status).toBe(400);
    expect(after.body.error).toBe('invalid_grant');
    expect((await introspect(tokens.accessToken)).body.active).toBe(false);
    expect((await introspect(first.body.access_token as string)).body.active).toBe(false);
    expect(await sessionIds()).not.toContain(tokens.sessionId);
    expect((await admin(`/sessions/${tokens.sessionId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('logs the user out of every session', async () => {
    const one = await lab.issueUserTokens();
    const two = await lab.issueUserTokens();
    expect(await sessionIds()).toEqual(expect.arrayContaining([one.sessionId, two.sessionId]));
    expect((await admin(`/users/${lab.user.id}/logout`, { method: 'POST' })).status).toBe(204);
    expect(await sessionIds()).toEqual([]);
    for (const tokens of [one, two]) {
      expect((await refresh(tokens.refreshToken)).body.error).toBe('invalid_grant');
      expect((await introspect(tokens.accessToken)).body.active).toBe(false);
    }
  });

  it('invalidates tokens issued before a not-before push, and only those', async () => {
    const before = await lab.issueUserTokens();
    const adminBefore = await adminToken();
    // Keycloak compares whole seconds and rejects iat < notBefore: wait for the next second so
    // "now" is strictly after everything issued above.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
    const notBefore = Math.floor(Date.now() / 1000);
    try {
      expect((await admin('', { method: 'PUT', body: { notBefore }, token: adminBefore })).status).toBe(204);
      expect((await refresh(before.refreshToken)).body.error).toBe('invalid_grant');
      expect((await introspect(before.accessToken)).body.active).toBe(false);
      // The admin client's own older token is refused too, as by Keycloak for a same-realm client.
      expect((await admin('', { token: adminBefore })).status).toBe(401);
      expect((await admin('')).body).toMatchObject({ realm: lab.realm, notBefore });
      expect((await admin('/push-revocation', { method: 'POST' })).body).toEqual({ successRequests: [], failedRequests: [] });
      const after = await lab.issueUserTokens();
      expect((await introspect(after.accessToken)).body.active).toBe(true);
      expect((await refresh(after.refreshToken)).status).toBe(200);
    } finally {
      expect((await admin('', { method: 'PUT', body: { notBefore: 0 } })).status).toBe(204);
    }
  });
});

describe('clients and keys through the Keycloak admin API', () => {
  it('regenerates a client secret for real: the old one stops working, the new one works', async () => {
    const old = lab.clients.post.clientSecret!;
    const [rep] = (await admin(`/clients?clientId=${lab.clients.post.clientId}`)).body as Json[];
    expect(rep).toMatchObject({ clientId: lab.clients.post.clientId, enabled: true, publicClient: false, clientAuthenticatorType: 'client-secret', serviceAccountsEnabled: true });
    expect(rep.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await admin(`/clients/${rep.id}/client-secret`)).body).toEqual({ type: 'secret', value: old });

    const regenerated = await admin(`/clients/${rep.id}/client-secret`, { method: 'POST' });
    const fresh = (regenerated.body as { value: string }).value;
    expect(regenerated.body).toMatchObject({ type: 'secret' });
    expect(fresh).not.toBe(old);
    expect((await clientCredentials({ ...lab.clients.post, clientSecret: old })).body.error).toBe('invalid_client');
    expect((await clientCredentials({ ...lab.clients.post, clientSecret: fresh })).status).toBe(200);
    expect(lab.clients.post.clientSecret).toBe(fresh);
  });

  it('lists the realm keys from the real JWKS', async () => {
    const published = await jwks();
    const keys = (await admin('/keys')).body as { active: Record<string, string>; keys: Json[] };
    expect(keys.active.RS256).toBe(published.keys[0].kid);
    expect(keys.keys.map((k) => k.kid)).toEqual(published.keys.map((k) => k.kid));
    expect(keys.keys[0]).toMatchObject({ status: 'ACTIVE', type: 'RSA', algorithm: 'RS256', use: 'SIG', publicKey: expect.stringMatching(/^MII/) });
  });

  it('rotates: the new key is first in the JWKS and signs, the old stays published until retired', async () => {
    const earlier = await lab.issueUserTokens();
    const oldKid = (await jwks()).keys[0].kid!;
    const { kid } = await lab.rotateSigningKey();
    const published = (await jwks()).keys.map((k) => k.kid);
    expect(published[0]).toBe(kid);
    expect(published).toContain(oldKid);
    const later = await lab.issueUserTokens();
    expect(decodeProtectedHeader(later.jwtAccessToken).kid).toBe(kid);
    await jwtVerify(earlier.jwtAccessToken, createLocalJWKSet(await jwks()));
    const keys = (await admin('/keys')).body as { active: Record<string, string>; keys: { kid: string; status: string }[] };
    expect(keys.active.RS256).toBe(kid);
    expect(keys.keys.find((k) => k.kid === oldKid)?.status).toBe('PASSIVE');
    // Sessions survive the rotation (the Provider is rebuilt over the same storage).
    expect((await refresh(earlier.refreshToken)).status).toBe(200);

    await lab.retireSigningKey(oldKid);
    expect((await jwks()).keys.map((k) => k.kid)).not.toContain(oldKid);
    await expect(jwtVerify(earlier.jwtAccessToken, createLocalJWKSet(await jwks()))).rejects.toThrow();
  });
});

describe('admin API access control and errors', () => {
  it('answers 401 without a valid bearer token and 403 for a token of a non-admin client', async () => {
    expect(await admin('/keys', { token: null })).toEqual({ status: 401, body: { error: 'HTTP 401 Unauthorized' } });
    expect((await admin('/keys', { token: 'not-a-token' })).status).toBe(401);
    const post = await clientCredentials(lab.clients.post);
    expect(await admin('/keys', { token: post.body.access_token as string })).toEqual({ status: 403, body: { error: 'HTTP 403 Forbidden' } });
    const user = await lab.issueUserTokens();
    expect((await admin(`/users/${lab.user.id}/sessions`, { token: user.accessToken })).status).toBe(403);
    const token = await adminToken();
    expect((await revoke(token)).status).toBe(200);
    expect((await admin('/keys', { token })).status).toBe(401);
  });

  it('answers 404 for unknown users, sessions, clients and paths, and 405 for a wrong method', async () => {
    expect(await admin('/users/nobody/sessions')).toEqual({ status: 404, body: { error: 'User not found' } });
    expect((await admin(`/sessions/${randomUUID()}`, { method: 'DELETE' })).status).toBe(404);
    expect((await admin(`/clients/${randomUUID()}/client-secret`)).status).toBe(404);
    expect((await admin('/no-such-thing')).status).toBe(404);
    expect((await admin('/keys', { method: 'DELETE' })).status).toBe(405);
    expect(await admin('/users?username=bob&exact=true')).toEqual({ status: 200, body: [] });
  });
});

describe('bulk tokens', () => {
  it('mints thousands of opaque tokens that all introspect active', async () => {
    const started = performance.now();
    const fiveThousand = await lab.issueOpaqueAccessTokens(5000);
    const mintMs = performance.now() - started;
    console.info(`lab: minted ${fiveThousand.length} opaque access tokens in ${Math.round(mintMs)} ms`);
    expect(new Set(fiveThousand).size).toBe(5000);

    const tokens = await lab.issueOpaqueAccessTokens(2000);
    let next = 0;
    const inactive: string[] = [];
    // 16 requests in flight: enough to be quick, few enough to stay well inside the loopback's comfort.
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < tokens.length) {
          const token = tokens[next++];
          if ((await introspect(token)).body.active !== true) inactive.push(token);
        }
      }),
    );
    expect(inactive).toEqual([]);
  });
});
