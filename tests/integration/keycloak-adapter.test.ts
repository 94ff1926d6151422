/**
 * The Keycloak adapter against the real lab (oidc-provider laid out as a Keycloak realm, with the
 * admin endpoints the adapter uses) on 127.0.0.1: every operation is checked by its effect at the
 * standard endpoints (token, introspection, JWKS), not by the admin API's word alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/lab';
import { basicAuthorization } from '../../electron/core/servers/client-auth';
import type { ServerConnection } from '../../electron/core/servers/connection';
import { discover, type ServerMetadata } from '../../electron/core/servers/discovery';
import { createHttpClient, type HttpClient, type HttpRequest } from '../../electron/core/servers/http';
import { introspectToken } from '../../electron/core/servers/introspection';
import { fetchJwks } from '../../electron/core/servers/jwks';
import { KeycloakAdmin } from '../../electron/core/servers/keycloak/adapter';
import { revokeToken } from '../../electron/core/servers/revocation';
import { requestClientCredentials } from '../../electron/core/servers/token-endpoint';

let lab: Lab;
let http: HttpClient;
let metadata: ServerMetadata;
/** Every request the console's HTTP client sent, in order. */
let sent: HttpRequest[];

beforeEach(async () => {
  lab = await startLab({ port: 0 });
  const real = createHttpClient({ timeoutMs: 10_000 });
  sent = [];
  http = { request: (req) => (sent.push(req), real.request(req)), close: () => real.close() };
  ({ metadata } = await discover(http, lab.issuer));
  sent = [];
});
afterEach(async () => {
  await http.close();
  await lab.close();
});

function connectionAs(role: 'admin' | 'app'): ServerConnection {
  const client = lab.clients[role];
  return { http, metadata, auth: { method: 'client_secret_basic', clientId: client.clientId, clientSecret: client.clientSecret ?? '' } };
}

const adminApi = () => new KeycloakAdmin(connectionAs('admin'), lab.realm);

/** The app client refreshing its tokens: the status and OAuth error the token endpoint gives. */
async function refresh(refreshToken: string): Promise<{ status: number; error: string | null }> {
  const { clientId, clientSecret } = lab.clients.app;
  const answer = await http.request({
    method: 'POST',
    url: metadata.token_endpoint as string,
    headers: { authorization: basicAuthorization(clientId, clientSecret ?? '') },
    form: { grant_type: 'refresh_token', refresh_token: refreshToken },
  });
  const json = JSON.parse(answer.text) as { error?: string };
  return { status: answer.status, error: json.error ?? null };
}

const isActive = async (token: string) => (await introspectToken(connectionAs('admin'), token)).active;

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

/** Waits into the next whole second, so tokens issued before it predate a not-before set after it. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));

describe('Keycloak adapter against the lab', () => {
  it('finds alice by exact user name, and nobody for a partial one', async () => {
    const admin = adminApi();
    expect(await admin.findUsers('alice')).toEqual([{ id: lab.user.id, username: 'alice' }]);
    expect(await admin.findUsers('ALICE')).toEqual([{ id: lab.user.id, username: 'alice' }]);
    expect(await admin.findUsers('ali')).toEqual([]);
  });

  it('lists a new session with the app client id', async () => {
    const before = Date.now();
    const tokens = await lab.issueUserTokens();
    const sessions = await adminApi().userSessions(lab.user.id);
    const session = sessions.find((s) => s.id === tokens.sessionId);
    expect(session).toBeDefined();
    expect(session?.clients).toEqual([lab.clients.app.clientId]);
    expect(Date.parse(session?.start ?? '')).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(Date.parse(session?.lastAccess ?? '')).toBeGreaterThanOrEqual(Date.parse(session?.start ?? ''));
    expect(session?.ipAddress).toBe('127.0.0.1');
  });

  it('an unknown user id is SERVER_NOT_FOUND, and a ../ id never reaches another endpoint', async () => {
    const admin = adminApi();
    expect(await failure(admin.userSessions('no-such-user'))).toMatchObject({ code: 'SERVER_NOT_FOUND', message: 'No user with that id in realm lab. Search for the user by name to get the id.' });
    // "../../users/<id>" would list alice's sessions if it escaped its segment; as one segment it is no user.
    expect((await failure(admin.userSessions(`../../users/${lab.user.id}`))).code).toBe('SERVER_NOT_FOUND');
    expect((await failure(admin.endSession(`../users/${lab.user.id}/logout?`))).code).toBe('SERVER_NOT_FOUND');
    expect((await adminApi().userSessions(lab.user.id)).length).toBeGreaterThan(0);
  });

  it('endSession ends that session: its refresh token fails, another session\'s still works', async () => {
    const ended = await lab.issueUserTokens();
    const kept = await lab.issueUserTokens();
    const admin = adminApi();
    await admin.endSession(ended.sessionId);
    expect(await refresh(ended.refreshToken)).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await refresh(kept.refreshToken)).status).toBe(200);
    const ids = (await admin.userSessions(lab.user.id)).map((s) => s.id);
    expect(ids).not.toContain(ended.sessionId);
    expect(ids).toContain(kept.sessionId);
    const again = await failure(admin.endSession(ended.sessionId));
    expect(again).toMatchObject({ code: 'SERVER_NOT_FOUND', message: 'No session with that id in realm lab; it may have ended already.' });
  });

  it('logoutUser leaves no session, and the user\'s tokens stop working', async () => {
    const tokens = await lab.issueUserTokens();
    const admin = adminApi();
    expect((await admin.userSessions(lab.user.id)).length).toBeGreaterThanOrEqual(1);
    expect(await isActive(tokens.accessToken)).toBe(true);
    await admin.logoutUser(lab.user.id);
    expect(await admin.userSessions(lab.user.id)).toEqual([]);
    expect(await refresh(tokens.refreshToken)).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await isActive(tokens.accessToken)).toBe(false);
  });

  it('pushNotBefore makes earlier tokens introspect inactive, and leaves later ones alone', async () => {
    const earlier = await lab.issueUserTokens();
    expect(await isActive(earlier.accessToken)).toBe(true);
    await nextSecond();
    const now = new Date();
    const result = await adminApi().pushNotBefore(now);
    expect(result).toEqual({ notBefore: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString(), pushedTo: [], failed: [] });
    expect(await isActive(earlier.accessToken)).toBe(false);
    expect(await refresh(earlier.refreshToken)).toEqual({ status: 400, error: 'invalid_grant' });
    const later = await lab.issueUserTokens();
    expect(await isActive(later.accessToken)).toBe(true);

    // An earlier time does not lower it: that would bring the ended tokens back.
    const again = await adminApi().pushNotBefore(new Date(now.getTime() - 60_000));
    expect(again.notBefore).toBe(result.notBefore);
    expect(await isActive(earlier.accessToken)).toBe(false);
  });

  it('regenerateClientSecret: the old secret is refused, the new one works', async () => {
    const app = lab.clients.app;
    const old = connectionAs('app');
    expect((await requestClientCredentials(old)).access_token).toBeTruthy();
    const { clientUuid, secret } = await adminApi().regenerateClientSecret(app.clientId);
    expect(clientUuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(secret).not.toBe(app.clientSecret);
    expect(lab.clients.app.clientSecret).toBe(secret);
    expect((await failure(requestClientCredentials(old))).code).toBe('SERVER_REFUSED');
    const renewed: ServerConnection = { ...old, auth: { method: 'client_secret_basic', clientId: app.clientId, clientSecret: secret } };
    expect((await requestClientCredentials(renewed)).token_type.toLowerCase()).toBe('bearer');
  });

  it('regenerateClientSecret for an unknown client id is SERVER_NOT_FOUND', async () => {
    expect(await failure(adminApi().regenerateClientSecret('LAB-APP'))).toMatchObject({ code: 'SERVER_NOT_FOUND' });
  });

  it('realmKeys lists the JWKS kids and marks the signing one active, also after a rotation', async () => {
    const admin = adminApi();
    const published = async () => (await fetchJwks(http, metadata.jwks_uri as string)).keys.map((k) => k.kid);
    const [first] = await published();
    expect(await admin.realmKeys()).toEqual([{ kid: first, algorithm: 'RS256', type: 'RSA', status: 'ACTIVE', use: 'SIG', active: true }]);

    const { kid: rotated } = await lab.rotateSigningKey();
    expect(await published()).toEqual([rotated, first]);
    const keys = await admin.realmKeys();
    expect(keys.map((k) => [k.kid, k.active])).toEqual([
      [rotated, true],
      [first, false],
    ]);
  });

  it('gets the admin token once, and a fresh one after the lab refuses it', async () => {
    const admin = adminApi();
    const tokenRequests = () => sent.filter((r) => r.url === metadata.token_endpoint).length;
    const adminRequests = () => sent.filter((r) => r.url.includes('/admin/realms/'));
    await admin.findUsers('alice');
    await admin.realmKeys();
    await admin.userSessions(lab.user.id);
    expect(tokenRequests()).toBe(1);

    // Revoke the cached admin token at the revocation endpoint: the next admin call gets a 401.
    const cached = adminRequests()[0].headers?.authorization?.replace(/^Bearer /, '') ?? '';
    expect(await revokeToken(connectionAs('admin'), cached, 'access_token')).toEqual({ kind: 'revoked' });
    expect(await isActive(cached)).toBe(false);

    const before = adminRequests().length;
    expect(await admin.findUsers('alice')).toHaveLength(1);
    expect(tokenRequests()).toBe(2);
    const retried = adminRequests().slice(before);
    expect(retried).toHaveLength(2);
    expect(retried[0].headers?.authorization).toBe(`Bearer ${cached}`);
    expect(retried[1].headers?.authorization).not.toBe(`Bearer ${cached}`);
  });

  it('a realm the lab does not have is SERVER_NOT_FOUND naming it', async () => {
    const other: ServerConnection = { ...connectionAs('admin'), metadata: { ...metadata, issuer: `${lab.origin}/realms/elsewhere` } };
    const error = await failure(new KeycloakAdmin(other, 'elsewhere').realmKeys());
    expect(error.code).toBe('SERVER_NOT_FOUND');
    expect(error.message).toMatch(/^Keycloak has no realm elsewhere/);
  });
});
