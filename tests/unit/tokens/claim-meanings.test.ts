import { describe, expect, it } from 'vitest';
import { claimInstantMs, claimMeaning, headerMeaning, JWT_HEADER_MEANINGS, NUMERIC_DATE_CLAIMS } from '../../../shared/claim-meanings';

describe('claimMeaning', () => {
  it.each([
    ['iss', '§4.1.1'],
    ['sub', '§4.1.2'],
    ['aud', '§4.1.3'],
    ['exp', '§4.1.4'],
    ['nbf', '§4.1.5'],
    ['iat', '§4.1.6'],
    ['jti', '§4.1.7'],
  ])('explains the registered claim %s with its RFC 7519 section', (name, section) => {
    expect(claimMeaning(name)).toContain(`RFC 7519 ${section}`);
  });

  it('explains ID token, standard, access token, exchange, confirmation, logout and common vendor claims', () => {
    const names = [
      'auth_time', 'nonce', 'acr', 'amr', 'azp', 'at_hash', 'c_hash', 'sid', 'name', 'given_name', 'family_name', 'email', 'email_verified',
      'phone_number', 'phone_number_verified', 'address', 'updated_at', 'preferred_username', 'client_id', 'scope', 'groups', 'roles',
      'entitlements', 'act', 'may_act', 'cnf', 'events', 'tid', 'oid', 'upn', 'realm_access', 'resource_access', 'tenant_id', 'org_id',
    ];
    for (const name of names) expect(claimMeaning(name), name).toEqual(expect.any(String));
    expect(claimMeaning('exp')).toMatch(/^Expiration time/);
    expect(claimMeaning('cnf')).toContain('RFC 7800');
    expect(claimMeaning('act')).toContain('RFC 8693');
  });

  it('has no meaning for unknown names, including the names of object prototype members', () => {
    for (const name of ['favourite_colour', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '', 'EXP']) expect(claimMeaning(name)).toBeNull();
  });
});

describe('NUMERIC_DATE_CLAIMS', () => {
  it('holds the claims whose values are seconds since the epoch, and no others', () => {
    for (const name of ['exp', 'nbf', 'iat', 'auth_time', 'updated_at']) expect(NUMERIC_DATE_CLAIMS.has(name)).toBe(true);
    for (const name of ['jti', 'sub', 'sid', 'constructor']) expect(NUMERIC_DATE_CLAIMS.has(name)).toBe(false);
  });
});

describe('claimInstantMs', () => {
  it('reads the instant of a NumericDate claim from its value as JSON text, fractions included', () => {
    expect(claimInstantMs('exp', '1795435200')).toBe(1_795_435_200_000);
    expect(claimInstantMs('iat', '1795435200.5')).toBe(1_795_435_200_500);
    expect(claimInstantMs('nbf', '-1')).toBe(-1000);
    expect(claimInstantMs('auth_time', '1.7954352e9')).toBe(1_795_435_200_000);
  });

  it('has no instant for other claims, values that are not numbers, or instants no Date holds', () => {
    expect(claimInstantMs('jti', '1795435200')).toBeNull();
    expect(claimInstantMs('constructor', '1')).toBeNull();
    for (const value of ['"1795435200"', 'null', 'true', '[1795435200]', '{}', '', '0x10', ' 1', '01', '1.', 'Infinity', '8.64e12', '-9e15', '1795435200… (12 more characters)']) {
      expect(claimInstantMs('exp', value), value).toBeNull();
    }
    expect(claimInstantMs('exp', '8.639e12')).toBe(8.639e15);
  });
});

describe('JWT_HEADER_MEANINGS', () => {
  it('explains every registered JWS and JWE header parameter', () => {
    for (const name of ['alg', 'typ', 'cty', 'kid', 'jku', 'jwk', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'crit', 'enc', 'zip', 'epk', 'apu', 'apv']) {
      expect(JWT_HEADER_MEANINGS[name], name).toMatch(/\(RFC \d+ §[\d.]+/);
      expect(headerMeaning(name)).toBe(JWT_HEADER_MEANINGS[name]);
    }
    expect(JWT_HEADER_MEANINGS.jku).toMatch(/never fetched/);
  });

  it('gives nothing for prototype member names', () => {
    expect(JWT_HEADER_MEANINGS.constructor).toBeUndefined();
    expect(JWT_HEADER_MEANINGS.toString).toBeUndefined();
    expect(headerMeaning('__proto__')).toBeNull();
  });
});
