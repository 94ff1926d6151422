/**
 * Where the adapter sends each call: the admin base derived from a Keycloak issuer (and refused
 * for anything else), and ids from input that stay one path segment or one query value.
 */
import { describe, expect, it } from 'vitest';
import { keycloakAdminBase } from '../../../electron/core/servers/keycloak/adapter';
import { adminPaths } from '../../../electron/core/servers/keycloak/paths';

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a refusal');
}

describe('keycloakAdminBase', () => {
  it('maps a Keycloak realm issuer to the admin API of that realm', () => {
    expect(keycloakAdminBase('https://login.example.com/realms/main', 'main')).toBe('https://login.example.com/admin/realms/main');
    expect(keycloakAdminBase('http://127.0.0.1:8080/realms/lab', 'lab')).toBe('http://127.0.0.1:8080/admin/realms/lab');
  });

  it('keeps the /auth context path of Keycloak before 17, and any other relative path', () => {
    expect(keycloakAdminBase('https://sso.example.com/auth/realms/main', 'main')).toBe('https://sso.example.com/auth/admin/realms/main');
    expect(keycloakAdminBase('https://example.com/identity/kc/realms/ops', 'ops')).toBe('https://example.com/identity/kc/admin/realms/ops');
  });

  it('encodes a realm name that needs it, and reads it encoded from the issuer', () => {
    expect(keycloakAdminBase('https://login.example.com/realms/my%20realm', 'my realm')).toBe('https://login.example.com/admin/realms/my%20realm');
    expect(keycloakAdminBase('https://login.example.com/realms/%C3%A9quipe', 'équipe')).toBe('https://login.example.com/admin/realms/%C3%A9quipe');
  });

  it.each([
    ['an issuer for another realm', 'https://login.example.com/realms/other', 'main'],
    ['an issuer that is not a Keycloak realm', 'https://accounts.example.com', 'main'],
    ['an issuer with a path after the realm', 'https://login.example.com/realms/main/protocol/openid-connect', 'main'],
    ['a trailing slash Keycloak never writes', 'https://login.example.com/realms/main/', 'main'],
    ['an issuer with a query', 'https://login.example.com/realms/main?x=1', 'main'],
    ['something that is not a URL', 'login.example.com/realms/main', 'main'],
  ])('refuses %s as SERVER_UNSUPPORTED, in a sentence', (_name, issuer, realm) => {
    const error = refusal(() => keycloakAdminBase(issuer, realm));
    expect(error.code).toBe('SERVER_UNSUPPORTED');
    expect(error.message).toMatch(/not a Keycloak realm URL for realm main/);
    expect(error.message).toMatch(/\/realms\/<realm>/);
  });

  it.each(['', '.', '..', 'a/b', 'a?b'])('refuses the realm name %j', (realm) => {
    expect(refusal(() => keycloakAdminBase(`https://login.example.com/realms/${encodeURIComponent(realm)}`, realm)).code).toBe('SERVER_UNSUPPORTED');
  });
});

describe('adminPaths', () => {
  const base = 'https://kc.example.com/admin/realms/lab';
  const paths = adminPaths(base);

  it('builds each documented endpoint', () => {
    expect(paths.usersByUsername('alice')).toBe(`${base}/users?username=alice&exact=true`);
    expect(paths.userSessions('u-1')).toBe(`${base}/users/u-1/sessions`);
    expect(paths.userLogout('u-1')).toBe(`${base}/users/u-1/logout`);
    expect(paths.session('s-1')).toBe(`${base}/sessions/s-1`);
    expect(paths.realm()).toBe(base);
    expect(paths.pushRevocation()).toBe(`${base}/push-revocation`);
    expect(paths.clientsByClientId('orders-web')).toBe(`${base}/clients?clientId=orders-web`);
    expect(paths.clientSecret('c-1')).toBe(`${base}/clients/c-1/client-secret`);
    expect(paths.keys()).toBe(`${base}/keys`);
  });

  it.each([
    ['../../../master/users', 'userSessions'],
    ['x?exact=false#frag', 'userSessions'],
    ['../logout', 'session'],
    ['a/b', 'userLogout'],
    ['%2e%2e', 'clientSecret'],
  ] as const)('keeps the id %j one segment of %s, even after URL parsing', (id, op) => {
    const url = new URL(paths[op](id));
    expect(url.origin).toBe('https://kc.example.com');
    expect(url.search).toBe('');
    expect(url.hash).toBe('');
    const segments = url.pathname.split('/');
    expect(segments.slice(0, 4)).toEqual(['', 'admin', 'realms', 'lab']);
    expect(segments.map((s) => decodeURIComponent(s))).toContain(id);
  });

  it.each(['..', '.', ''])('refuses the id %j, which no encoding keeps in one segment', (id) => {
    const error = refusal(() => paths.session(id));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/A session id cannot be/);
  });

  it('keeps a user name and a client id one query value', () => {
    const users = new URL(paths.usersByUsername('alice&exact=false&username=bob'));
    expect(users.searchParams.getAll('username')).toEqual(['alice&exact=false&username=bob']);
    expect(users.searchParams.getAll('exact')).toEqual(['true']);
    const clients = new URL(paths.clientsByClientId('app#x&search=true'));
    expect(clients.searchParams.getAll('clientId')).toEqual(['app#x&search=true']);
    expect(clients.searchParams.has('search')).toBe(false);
  });
});
