/**
 * The documented representations (samples in tests/fixtures/keycloak, shaped like Keycloak's
 * Admin REST API answers) parse, with unknown members allowed; samples missing a member the
 * adapter relies on, or carrying one of the wrong type, are refused with SERVER_BAD_RESPONSE that
 * names the member and never quotes a value.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  clientRepresentation,
  clientSecretCredential,
  globalRequestResult,
  keysMetadataRepresentation,
  parseRepresentation,
  realmRepresentation,
  userRepresentation,
  userSessionRepresentation,
} from '../../../electron/core/servers/keycloak/representations';
import { fixture } from './recording-server';

const list = <S extends z.ZodType>(schema: S) => z.array(schema);

function refused(schema: z.ZodType, json: unknown): { code: string; message: string } {
  try {
    parseRepresentation(schema, json, 'Keycloak\'s test endpoint', 'a Sample');
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected the sample to be refused');
}

const clone = <T>(value: T): T => structuredClone(value);

describe('documented samples parse', () => {
  it('UserRepresentation[]', () => {
    const [user] = parseRepresentation(list(userRepresentation), fixture('users.json'), 'x', 'y');
    expect(user).toMatchObject({ id: '4c1f2a7e-93b5-4d0c-8e61-2f7a9b3c5d10', username: 'alice', enabled: true });
    // unknown members are kept, not refused
    expect(user).toHaveProperty('requiredActions');
  });

  it('UserSessionRepresentation[]', () => {
    const sessions = parseRepresentation(list(userSessionRepresentation), fixture('user-sessions.json'), 'x', 'y');
    expect(sessions).toHaveLength(2);
    expect(sessions[0].clients).toEqual({ '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d': 'orders-web', '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9': 'reports-app' });
    expect(sessions[1].clients).toEqual({});
  });

  it('ClientRepresentation[]', () => {
    const [client] = parseRepresentation(list(clientRepresentation), fixture('clients.json'), 'x', 'y');
    expect(client).toMatchObject({ id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', clientId: 'orders-web', publicClient: false, clientAuthenticatorType: 'client-secret' });
  });

  it('CredentialRepresentation of a client secret', () => {
    expect(parseRepresentation(clientSecretCredential, fixture('client-secret.json'), 'x', 'y').value).toBe('fixture-secret-Qm9ndXNWYWx1ZUZvclRlc3RzT25seQ');
  });

  it('KeysMetadataRepresentation', () => {
    const keys = parseRepresentation(keysMetadataRepresentation, fixture('keys.json'), 'x', 'y');
    expect(keys.keys.map((k) => [k.algorithm, k.status, k.use])).toEqual([
      ['RS256', 'ACTIVE', 'SIG'],
      ['RS256', 'PASSIVE', 'SIG'],
      ['HS512', 'ACTIVE', 'SIG'],
      ['RSA-OAEP', 'ACTIVE', 'ENC'],
    ]);
  });

  it('GlobalRequestResult, including the empty one Keycloak sends with no admin URLs', () => {
    expect(parseRepresentation(globalRequestResult, fixture('push-revocation.json'), 'x', 'y')).toEqual({
      successRequests: ['https://orders.example.com/keycloak-admin'],
      failedRequests: ['https://reports.example.com/keycloak-admin'],
    });
    expect(parseRepresentation(globalRequestResult, fixture('push-revocation-no-admin-urls.json'), 'x', 'y')).toEqual({});
  });

  it('RealmRepresentation', () => {
    expect(parseRepresentation(realmRepresentation, fixture('realm.json'), 'x', 'y')).toMatchObject({ realm: 'lab', notBefore: 1763905000 });
  });
});

describe('malformed samples are refused with SERVER_BAD_RESPONSE naming the member', () => {
  const cases: [string, z.ZodType, () => unknown, RegExp][] = [
    ['a user without an id', list(userRepresentation), () => { const u = clone(fixture('users.json')) as Record<string, unknown>[]; delete u[0].id; return u; }, /"0\.id" is missing/],
    ['a user list that is an object', list(userRepresentation), () => ({ users: fixture('users.json') }), /the answer should be a list/],
    ['a session whose start is an ISO string', list(userSessionRepresentation), () => { const s = clone(fixture('user-sessions.json')) as Record<string, unknown>[]; s[1].start = '2026-01-01T00:00:00Z'; return s; }, /"1\.start" should be a number/],
    ['a session whose clients is a list', list(userSessionRepresentation), () => { const s = clone(fixture('user-sessions.json')) as Record<string, unknown>[]; s[0].clients = ['orders-web']; return s; }, /"0\.clients" should be an object/],
    ['a session start beyond what a date holds', list(userSessionRepresentation), () => { const s = clone(fixture('user-sessions.json')) as Record<string, unknown>[]; s[0].start = 9e15; return s; }, /"0\.start" is out of range/],
    ['a client without its clientId', list(clientRepresentation), () => { const c = clone(fixture('clients.json')) as Record<string, unknown>[]; delete c[0].clientId; return c; }, /"0\.clientId" is missing/],
    ['a credential of another type', clientSecretCredential, () => ({ type: 'password', value: 'x' }), /"type" has an unexpected value/],
    ['a credential with an empty value', clientSecretCredential, () => ({ type: 'secret', value: '' }), /"value" is empty/],
    ['keys without the active map', keysMetadataRepresentation, () => { const k = clone(fixture('keys.json')) as Record<string, unknown>; delete k.active; return k; }, /"active" is missing/],
    ['a key without a kid', keysMetadataRepresentation, () => { const k = clone(fixture('keys.json')) as { keys: Record<string, unknown>[] }; delete k.keys[2].kid; return k; }, /"keys\.2\.kid" is missing/],
    ['a push result whose list is a string', globalRequestResult, () => ({ successRequests: 'https://orders.example.com' }), /"successRequests" should be a list/],
    ['a realm whose notBefore is a date string', realmRepresentation, () => ({ ...(fixture('realm.json') as object), notBefore: '2026-01-01' }), /"notBefore" should be a number/],
    ['a realm that is null', realmRepresentation, () => null, /the answer should be an object/],
  ];

  it.each(cases)('%s', (_name, schema, sample, named) => {
    const error = refused(schema, sample());
    expect(error.code).toBe('SERVER_BAD_RESPONSE');
    expect(error.message).toMatch(/^Keycloak's test endpoint did not answer with a Sample as Keycloak documents it: /);
    expect(error.message).toMatch(named);
  });

  it('never quotes the value of a malformed secret', () => {
    const error = refused(clientSecretCredential, { type: 'secret', value: ['super-secret-value-that-must-not-leak'] });
    expect(error.message).toMatch(/"value" should be a string/);
    expect(error.message).not.toContain('super-secret-value');
  });
});
