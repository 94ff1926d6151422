/**
 * The requests the Keycloak adapter sends (method, path as it arrives, bearer token, body) and
 * what it makes of Keycloak's documented answers, against a recording server on 127.0.0.1 that
 * answers with the samples in tests/fixtures/keycloak.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeycloakAdmin } from '../../../electron/core/servers/keycloak/adapter';
import { ADMIN, ADMIN_SECRET, fixture, startRecorder, type Recorder } from './recording-server';

let kc: Recorder;
let admin: KeycloakAdmin;

beforeEach(async () => {
  kc = await startRecorder();
  admin = new KeycloakAdmin(kc.connection(), 'lab');
});
afterEach(() => kc.close());

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; retryAfterMs?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; retryAfterMs?: number };
  }
  throw new Error('expected the call to fail');
}

const only = () => {
  expect(kc.requests).toHaveLength(1);
  return kc.requests[0];
};

describe('requests built for each operation', () => {
  it('findUsers: GET users?username=…&exact=true with the admin bearer token', async () => {
    kc.on('GET', `${ADMIN}/users?username=alice&exact=true`, { status: 200, json: fixture('users.json') });
    expect(await admin.findUsers('alice')).toEqual([{ id: '4c1f2a7e-93b5-4d0c-8e61-2f7a9b3c5d10', username: 'alice' }]);
    const request = only();
    expect(request.method).toBe('GET');
    expect(request.headers.authorization).toBe('Bearer admin-token-1');
    expect(request.body).toBe('');
  });

  it('findUsers keeps only exact user names, as an older Keycloak ignoring exact=true would not', async () => {
    const users = [...(fixture('users.json') as object[]), { id: 'u-2', username: 'alice2' }, { id: 'u-3', username: 'ALICE' }];
    kc.on('GET', `${ADMIN}/users?username=Alice&exact=true`, { status: 200, json: users });
    expect((await admin.findUsers('Alice')).map((u) => u.id)).toEqual(['4c1f2a7e-93b5-4d0c-8e61-2f7a9b3c5d10', 'u-3']);
  });

  it('findUsers encodes the user name as one query value', async () => {
    kc.on('GET', `${ADMIN}/users?username=al%20ice%26exact%3Dfalse&exact=true`, { status: 200, json: [] });
    expect(await admin.findUsers('al ice&exact=false')).toEqual([]);
    expect(only().target).toBe(`${ADMIN}/users?username=al%20ice%26exact%3Dfalse&exact=true`);
  });

  it('userSessions: GET users/{id}/sessions; epoch ms become ISO, the clients map gives client ids', async () => {
    kc.on('GET', `${ADMIN}/users/u-1/sessions`, { status: 200, json: fixture('user-sessions.json') });
    expect(await admin.userSessions('u-1')).toEqual([
      { id: '0b7e6f52-1d3a-4c8e-9f20-6a5b4c3d2e1f', ipAddress: '192.0.2.10', start: '2025-11-23T12:20:00.000Z', lastAccess: '2025-11-23T12:35:00.000Z', clients: ['orders-web', 'reports-app'] },
      { id: '7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f', ipAddress: '198.51.100.7', start: '2025-11-23T13:20:00.000Z', lastAccess: '2025-11-23T13:20:00.000Z', clients: [] },
    ]);
    expect(only().method).toBe('GET');
  });

  it('a user id with ../ and ? stays one path segment on the wire', async () => {
    kc.on('GET', `${ADMIN}/users/..%2F..%2Fmaster%2Fusers%3Fq%3D1/sessions`, { status: 200, json: [] });
    await admin.userSessions('../../master/users?q=1');
    expect(only().target).toBe(`${ADMIN}/users/..%2F..%2Fmaster%2Fusers%3Fq%3D1/sessions`);
  });

  it('endSession: DELETE sessions/{id}, with the id encoded', async () => {
    kc.on('DELETE', `${ADMIN}/sessions/..%2Fusers%2Fu-1%3Fx`, { status: 204 });
    await admin.endSession('../users/u-1?x');
    const request = only();
    expect(request.method).toBe('DELETE');
    expect(request.target).toBe(`${ADMIN}/sessions/..%2Fusers%2Fu-1%3Fx`);
    expect(request.headers.authorization).toBe('Bearer admin-token-1');
  });

  it('endSession refuses ".." before sending anything', async () => {
    expect((await failure(admin.endSession('..'))).code).toBe('INVALID_INPUT');
    expect(kc.requests).toHaveLength(0);
  });

  it('logoutUser: POST users/{id}/logout', async () => {
    kc.on('POST', `${ADMIN}/users/u-1/logout`, { status: 204 });
    await admin.logoutUser('u-1');
    expect(only()).toMatchObject({ method: 'POST', target: `${ADMIN}/users/u-1/logout` });
  });

  /** A realm read answered as of `at` (the Date header the adapter compares clocks with). */
  const realmAt = (at: Date, notBefore: number) => ({ status: 200, json: { ...(fixture('realm.json') as object), notBefore }, headers: { date: at.toUTCString() } });

  it('pushNotBefore: reads the realm, PUT realm {notBefore} in epoch seconds, reads it back, then POST push-revocation', async () => {
    const now = new Date('2026-03-01T10:00:00.750Z');
    const seconds = Math.floor(now.getTime() / 1000);
    kc.on('GET', ADMIN, realmAt(now, 1_763_905_000), realmAt(now, seconds));
    kc.on('PUT', ADMIN, { status: 204 });
    kc.on('POST', `${ADMIN}/push-revocation`, { status: 200, json: fixture('push-revocation.json') });
    expect(await admin.pushNotBefore(now)).toEqual({
      notBefore: '2026-03-01T10:00:00.000Z',
      pushedTo: ['https://orders.example.com/keycloak-admin'],
      failed: ['https://reports.example.com/keycloak-admin'],
    });
    expect(kc.requests.map((r) => `${r.method} ${r.target}`)).toEqual([`GET ${ADMIN}`, `PUT ${ADMIN}`, `GET ${ADMIN}`, `POST ${ADMIN}/push-revocation`]);
    expect(JSON.parse(kc.requests[1].body)).toEqual({ notBefore: seconds });
    expect(kc.requests[1].headers['content-type']).toBe('application/json');
    // the token from before the not-before is not used after it
    expect(kc.requests.map((r) => r.headers.authorization)).toEqual(['Bearer admin-token-1', 'Bearer admin-token-1', 'Bearer admin-token-2', 'Bearer admin-token-2']);
  });

  it('pushNotBefore keeps a later not-before already set, and still pushes it', async () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const later = Math.floor(now.getTime() / 1000) + 120;
    kc.on('GET', ADMIN, realmAt(now, later));
    kc.on('POST', `${ADMIN}/push-revocation`, { status: 200, json: fixture('push-revocation-no-admin-urls.json') });
    expect(await admin.pushNotBefore(now)).toEqual({ notBefore: '2026-03-01T10:02:00.000Z', pushedTo: [], failed: [] });
    expect(kc.requests.map((r) => r.method)).toEqual(['GET', 'POST']);
  });

  it('pushNotBefore refuses a time ahead of the server\'s clock, changing nothing', async () => {
    const serverNow = new Date('2026-03-01T10:00:00Z');
    kc.on('GET', ADMIN, realmAt(serverNow, 0));
    const error = await failure(admin.pushNotBefore(new Date(serverNow.getTime() + 5 * 60_000)));
    expect(error).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/^The not-before would be 300 s ahead of Keycloak's clock/) });
    expect(kc.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('pushNotBefore says the not-before is set when only the push fails', async () => {
    const now = new Date(1_900_000_000_000);
    kc.on('GET', ADMIN, realmAt(now, 0), realmAt(now, 1_900_000_000));
    kc.on('PUT', ADMIN, { status: 204 });
    kc.on('POST', `${ADMIN}/push-revocation`, { status: 503, json: { error: 'unknown_error' }, headers: { 'retry-after': '7' } });
    const error = await failure(admin.pushNotBefore(now));
    expect(error.code).toBe('SERVER_UNAVAILABLE');
    expect(error.retryAfterMs).toBe(7000);
    expect(error.message).toMatch(/^The realm's not-before is set to 2030-03-17T17:46:40.000Z, so Keycloak refuses tokens issued before then; but pushing it to the clients' admin URLs failed: /);
  });

  it('pushNotBefore refuses a realm that reads back an older not-before, and does not push', async () => {
    const now = new Date(1_900_000_000_000);
    kc.on('GET', ADMIN, realmAt(now, 0));
    kc.on('PUT', ADMIN, { status: 204 });
    const error = await failure(admin.pushNotBefore(now));
    expect(error.code).toBe('SERVER_BAD_RESPONSE');
    expect(error.message).toMatch(/still reports 1970-01-01T00:00:00.000Z/);
    expect(kc.requests.map((r) => r.method)).toEqual(['GET', 'PUT', 'GET']);
  });

  it('regenerateClientSecret: GET clients?clientId= for the internal id, then POST clients/{id}/client-secret', async () => {
    kc.on('GET', `${ADMIN}/clients?clientId=orders-web`, { status: 200, json: fixture('clients.json') });
    kc.on('POST', `${ADMIN}/clients/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/client-secret`, { status: 200, json: fixture('client-secret.json') });
    expect(await admin.regenerateClientSecret('orders-web')).toEqual({ clientUuid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', secret: 'fixture-secret-Qm9ndXNWYWx1ZUZvclRlc3RzT25seQ' });
    expect(kc.requests.map((r) => `${r.method} ${r.target}`)).toEqual([`GET ${ADMIN}/clients?clientId=orders-web`, `POST ${ADMIN}/clients/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/client-secret`]);
  });

  it('regenerateClientSecret encodes the client id and the internal id it is given', async () => {
    kc.on('GET', `${ADMIN}/clients?clientId=a%2F..%3Fb`, { status: 200, json: [{ id: '../x?y', clientId: 'a/..?b' }] });
    kc.on('POST', `${ADMIN}/clients/..%2Fx%3Fy/client-secret`, { status: 200, json: { type: 'secret', value: 'v' } });
    await admin.regenerateClientSecret('a/..?b');
    expect(kc.requests[1].target).toBe(`${ADMIN}/clients/..%2Fx%3Fy/client-secret`);
  });

  it('regenerateClientSecret matches the client id exactly and refuses clients without a secret', async () => {
    kc.on('GET', `${ADMIN}/clients?clientId=orders`, { status: 200, json: fixture('clients.json') });
    const missing = await failure(admin.regenerateClientSecret('orders'));
    expect(missing).toMatchObject({ code: 'SERVER_NOT_FOUND', message: 'No client with client id "orders" in realm lab. Check the client id (it is case-sensitive).' });

    kc.on('GET', `${ADMIN}/clients?clientId=spa`, { status: 200, json: [{ id: 'c-spa', clientId: 'spa', publicClient: true }] });
    expect(await failure(admin.regenerateClientSecret('spa'))).toMatchObject({ code: 'SERVER_UNSUPPORTED', message: expect.stringMatching(/public client/) });

    kc.on('GET', `${ADMIN}/clients?clientId=svc`, { status: 200, json: [{ id: 'c-svc', clientId: 'svc', clientAuthenticatorType: 'client-jwt' }] });
    expect(await failure(admin.regenerateClientSecret('svc'))).toMatchObject({ code: 'SERVER_UNSUPPORTED', message: expect.stringMatching(/rotate its key instead/) });
    expect(kc.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it('realmKeys: GET keys; active is the kid named in `active` for its algorithm', async () => {
    kc.on('GET', `${ADMIN}/keys`, { status: 200, json: fixture('keys.json') });
    expect(await admin.realmKeys()).toEqual([
      { kid: 'Yt3pT1m0w9Qx2rV8sK5nL7aB4cD6eF1gH3iJ0kM2oP4', algorithm: 'RS256', type: 'RSA', status: 'ACTIVE', use: 'SIG', active: true },
      { kid: 'Pr3v10usK3yR0t4t3dAw4yF0rV3r1f1c4t10nOnly0', algorithm: 'RS256', type: 'RSA', status: 'PASSIVE', use: 'SIG', active: false },
      { kid: '5b2f8c1e-7d4a-4e9b-a3c6-0f1e2d3c4b5a', algorithm: 'HS512', type: 'OCT', status: 'ACTIVE', use: 'SIG', active: true },
      { kid: 'Zq9wE8rT7yU6iO5pA4sD3fG2hJ1kL0zX9cV8bN7mQ6w', algorithm: 'RSA-OAEP', type: 'RSA', status: 'ACTIVE', use: 'ENC', active: true },
    ]);
    expect(only().method).toBe('GET');
  });
});

describe('answers that are not what Keycloak documents', () => {
  it('a session list of the wrong shape is SERVER_BAD_RESPONSE naming the member', async () => {
    kc.on('GET', `${ADMIN}/users/u-1/sessions`, { status: 200, json: [{ id: 's-1', start: 'yesterday', lastAccess: 1, clients: {} }] });
    const error = await failure(admin.userSessions('u-1'));
    expect(error.code).toBe('SERVER_BAD_RESPONSE');
    expect(error.message).toBe('Keycloak\'s session list in realm lab did not answer with a list of UserSessionRepresentation as Keycloak documents it: "0.start" should be a number.');
  });

  it('a credential without its value is refused, and the answer is never quoted', async () => {
    kc.on('GET', `${ADMIN}/clients?clientId=orders-web`, { status: 200, json: fixture('clients.json') });
    kc.on('POST', `${ADMIN}/clients/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/client-secret`, { status: 200, json: { type: 'secret', secretData: 'leaky-secret-data-0123' } });
    const error = await failure(admin.regenerateClientSecret('orders-web'));
    expect(error.code).toBe('SERVER_BAD_RESPONSE');
    expect(error.message).toMatch(/"value" is missing/);
    expect(error.message).not.toContain('leaky-secret-data');
  });

  it('an HTML page instead of JSON is SERVER_NOT_JSON', async () => {
    kc.on('GET', `${ADMIN}/keys`, { status: 200, text: '<html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' } });
    expect((await failure(admin.realmKeys())).code).toBe('SERVER_NOT_JSON');
  });
});

describe('errors', () => {
  it('404 for a session is SERVER_NOT_FOUND with a sentence', async () => {
    kc.on('DELETE', `${ADMIN}/sessions/gone`, { status: 404, json: fixture('error-not-found.json') });
    expect(await failure(admin.endSession('gone'))).toEqual(expect.objectContaining({ code: 'SERVER_NOT_FOUND', message: 'No session with that id in realm lab; it may have ended already.' }));
  });

  it('404 for a user is SERVER_NOT_FOUND with a sentence', async () => {
    kc.on('POST', `${ADMIN}/users/nobody/logout`, { status: 404, json: { error: 'User not found' } });
    expect(await failure(admin.logoutUser('nobody'))).toMatchObject({ code: 'SERVER_NOT_FOUND', message: 'No user with that id in realm lab. Search for the user by name to get the id.' });
  });

  it('404 "Realm not found." names the realm to fix', async () => {
    kc.on('GET', `${ADMIN}/keys`, { status: 404, json: { error: 'Realm not found.' } });
    const error = await failure(admin.realmKeys());
    expect(error.code).toBe('SERVER_NOT_FOUND');
    expect(error.message).toMatch(/^Keycloak has no realm lab \(HTTP 404: Realm not found\.\)/);
  });

  it('403 says which realm-management role the admin client lacks', async () => {
    kc.on('POST', `${ADMIN}/users/u-1/logout`, { status: 403, json: { error: 'HTTP 403 Forbidden' } });
    const error = await failure(admin.logoutUser('u-1'));
    expect(error.code).toBe('SERVER_REFUSED');
    expect(error.message).toBe('The admin client may not log users out in realm lab (HTTP 403: HTTP 403 Forbidden). In Keycloak, give its service account the realm-management role "manage-users".');
  });

  it('shows Keycloak\'s errorMessage', async () => {
    kc.on('GET', `${ADMIN}/clients?clientId=orders-web`, { status: 200, json: fixture('clients.json') });
    kc.on('POST', `${ADMIN}/clients/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/client-secret`, { status: 400, json: fixture('error-message.json') });
    expect(await failure(admin.regenerateClientSecret('orders-web'))).toMatchObject({
      code: 'SERVER_ERROR',
      message: 'Keycloak\'s client secret regeneration in realm lab failed (HTTP 400). Keycloak said: "Client secret not supported for public clients".',
    });
  });

  it('shows Keycloak\'s errorMessage, bounded and without control characters', async () => {
    kc.on('GET', `${ADMIN}/clients?clientId=orders-web`, { status: 200, json: fixture('clients.json') });
    kc.on('POST', `${ADMIN}/clients/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/client-secret`, { status: 400, json: { errorMessage: `Client secret not supported\u0007 ${'x'.repeat(500)}` } });
    const error = await failure(admin.regenerateClientSecret('orders-web'));
    expect(error.code).toBe('SERVER_ERROR');
    expect(error.message).toMatch(/Keycloak said: "Client secret not supported x+…"\.$/);
    expect(error.message).not.toContain('\u0007');
    expect(error.message.length).toBeLessThan(400);
  });

  it('429 keeps Retry-After', async () => {
    kc.on('GET', `${ADMIN}/keys`, { status: 429, json: { error: 'too many requests' }, headers: { 'retry-after': '3' } });
    expect(await failure(admin.realmKeys())).toMatchObject({ code: 'SERVER_RATE_LIMITED', retryAfterMs: 3000 });
  });

  it('never shows the bearer token, even when Keycloak echoes it', async () => {
    kc.on('GET', `${ADMIN}/keys`, { status: 500, json: { errorMessage: 'bad header Bearer admin-token-1' } });
    const error = await failure(admin.realmKeys());
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain('admin-token-1');
  });

  it('a refused admin client at the token endpoint fails without sending the admin call', async () => {
    const wrong = { ...kc.connection(), auth: { method: 'client_secret_basic' as const, clientId: 'credops-admin', clientSecret: 'not-the-secret' } };
    const error = await failure(new KeycloakAdmin(wrong, 'lab').realmKeys());
    expect(error.code).toBe('SERVER_REFUSED');
    expect(error.message).not.toContain('not-the-secret');
    expect(error.message).not.toContain(ADMIN_SECRET);
    expect(kc.requests).toHaveLength(0);
  });
});

describe('the admin token', () => {
  it('is fetched once and reused across calls', async () => {
    kc.on('GET', `${ADMIN}/keys`, { status: 200, json: fixture('keys.json') });
    kc.on('GET', `${ADMIN}/users?username=alice&exact=true`, { status: 200, json: fixture('users.json') });
    await Promise.all([admin.realmKeys(), admin.findUsers('alice')]);
    await admin.realmKeys();
    expect(kc.tokenRequests).toBe(1);
    expect(new Set(kc.requests.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer admin-token-1']));
  });

  it('is replaced shortly before it expires', async () => {
    let now = 1_000_000;
    const timed = new KeycloakAdmin(kc.connection(), 'lab', { now: () => now });
    kc.tokenLifetime = 60;
    kc.on('GET', `${ADMIN}/keys`, { status: 200, json: fixture('keys.json') });
    await timed.realmKeys();
    now += 50_000; // 10 s before expiry: still used (the margin is a tenth of 60 s)
    await timed.realmKeys();
    expect(kc.tokenRequests).toBe(1);
    now += 5_000; // within the last 6 s: replaced
    await timed.realmKeys();
    expect(kc.tokenRequests).toBe(2);
    expect(kc.requests.map((r) => r.headers.authorization)).toEqual(['Bearer admin-token-1', 'Bearer admin-token-1', 'Bearer admin-token-2']);
  });

  it('after a 401 on a GET, is fetched again and the request sent once more', async () => {
    kc.on('GET', `${ADMIN}/keys`, { status: 401, json: { error: 'HTTP 401 Unauthorized' } }, { status: 200, json: fixture('keys.json') });
    expect(await admin.realmKeys()).toHaveLength(4);
    expect(kc.requests.map((r) => r.headers.authorization)).toEqual(['Bearer admin-token-1', 'Bearer admin-token-2']);
    expect(kc.tokenRequests).toBe(2);
  });

  it('a second 401 is SERVER_REFUSED, after exactly one retry', async () => {
    kc.on('DELETE', `${ADMIN}/sessions/s-1`, { status: 401, json: { error: 'HTTP 401 Unauthorized' } });
    const error = await failure(admin.endSession('s-1'));
    expect(error.code).toBe('SERVER_REFUSED');
    expect(error.message).toMatch(/refused the admin client's token for Keycloak's session removal in realm lab \(HTTP 401/);
    expect(kc.requests).toHaveLength(2);
    // the refused token is not kept: the next call fetches another
    kc.on('DELETE', `${ADMIN}/sessions/s-1`, { status: 204 });
    await admin.endSession('s-1');
    expect(kc.requests.at(-1)?.headers.authorization).toBe('Bearer admin-token-3');
  });

  it('a POST refused with a Bearer challenge (not processed) is retried once with a fresh token', async () => {
    kc.on('POST', `${ADMIN}/users/u-1/logout`, { status: 401, json: { error: 'HTTP 401 Unauthorized' }, headers: { 'www-authenticate': 'Bearer realm="lab"' } }, { status: 204 });
    await admin.logoutUser('u-1');
    expect(kc.requests.map((r) => r.headers.authorization)).toEqual(['Bearer admin-token-1', 'Bearer admin-token-2']);
  });

  it('a POST refused without that proof is not sent again', async () => {
    kc.on('POST', `${ADMIN}/users/u-1/logout`, { status: 401, json: { error: 'HTTP 401 Unauthorized' } }, { status: 204 });
    expect((await failure(admin.logoutUser('u-1'))).code).toBe('SERVER_REFUSED');
    expect(kc.requests).toHaveLength(1);
    // but its token is dropped, so the next call does not reuse it
    await admin.logoutUser('u-1');
    expect(kc.requests.at(-1)?.headers.authorization).toBe('Bearer admin-token-2');
  });
});
