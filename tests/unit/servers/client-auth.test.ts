import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { ASSERTION_LIFETIME_SECONDS, assertionAlg, basicAuthorization, clientAuthentication, formEncode, JWT_BEARER_ASSERTION_TYPE } from '../../../electron/core/servers/client-auth';

const AUDIENCE = 'https://id.example.com/realms/ops';

async function keyPair(alg: 'ES256' | 'RS256' | 'EdDSA', extra: Partial<JWK> = {}) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return { publicKey, privateJwk: { ...(await exportJWK(privateKey)), ...extra } };
}

/** What a server does with the Authorization header: base64-decode, split at the first ":", form-decode each side. */
function serverSideBasic(header: string): [string, string] {
  const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const formDecode = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));
  return [formDecode(decoded.slice(0, colon)), formDecode(decoded.slice(colon + 1))];
}

describe('client_secret_basic (RFC 6749 §2.3.1)', () => {
  it('form-encodes id and secret before base64, so ":", "%", "+", spaces and non-ASCII survive the round trip', async () => {
    const clientId = 'svc:reporting+eu %1';
    const clientSecret = 'p@ss:w0rd/ü +=&%41~*';
    const { headers, form } = await clientAuthentication({ method: 'client_secret_basic', clientId, clientSecret }, AUDIENCE);
    expect(form).toEqual({});
    expect(serverSideBasic(headers.authorization)).toEqual([clientId, clientSecret]);
    // Without the form-encoding, the ":" in the id would move the split point.
    expect(Buffer.from(headers.authorization.slice(6), 'base64').toString()).not.toContain('svc:reporting');
  });

  it('encodes exactly as application/x-www-form-urlencoded: space as "+", unreserved characters kept', () => {
    expect(formEncode('a b')).toBe('a+b');
    expect(formEncode('A-z_0.9*~')).toBe('A-z_0.9*%7E');
    expect(formEncode('a:b%c+d')).toBe('a%3Ab%25c%2Bd');
    expect(formEncode('é')).toBe('%C3%A9');
    expect(basicAuthorization('plain', 'secret')).toBe(`Basic ${Buffer.from('plain:secret').toString('base64')}`);
  });
});

describe('client_secret_post', () => {
  it('puts id and secret in the form body and sends no Authorization header', async () => {
    const result = await clientAuthentication({ method: 'client_secret_post', clientId: 'svc:a b', clientSecret: 's:e c%' }, AUDIENCE);
    expect(result).toEqual({ headers: {}, form: { client_id: 'svc:a b', client_secret: 's:e c%' } });
  });
});

describe('private_key_jwt (RFC 7523)', () => {
  it('signs an assertion a server verifies: iss = sub = client_id, aud, iat, short exp, jti, kid header', async () => {
    const { publicKey, privateJwk } = await keyPair('ES256', { kid: 'ops-2026' });
    const before = Math.floor(Date.now() / 1000);
    const { headers, form } = await clientAuthentication({ method: 'private_key_jwt', clientId: 'credops-jwt', privateJwk }, AUDIENCE);
    expect(headers).toEqual({});
    expect(form.client_id).toBe('credops-jwt');
    expect(form.client_assertion_type).toBe(JWT_BEARER_ASSERTION_TYPE);
    const { payload, protectedHeader } = await jwtVerify(form.client_assertion, publicKey, { issuer: 'credops-jwt', subject: 'credops-jwt', audience: AUDIENCE, algorithms: ['ES256'] });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: 'ops-2026' });
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.exp! - payload.iat!).toBe(ASSERTION_LIFETIME_SECONDS);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('uses a fresh jti on every call, so a server with replay detection accepts the next one', async () => {
    const { privateJwk } = await keyPair('ES256');
    const jtis = new Set<unknown>();
    for (let i = 0; i < 5; i++) {
      const { form } = await clientAuthentication({ method: 'private_key_jwt', clientId: 'c', privateJwk }, AUDIENCE);
      jtis.add(JSON.parse(Buffer.from(form.client_assertion.split('.')[1], 'base64url').toString()).jti);
    }
    expect(jtis.size).toBe(5);
  });

  it('takes the alg from the key, or infers it from the key type and curve', async () => {
    const rsa = await keyPair('RS256');
    const { form } = await clientAuthentication({ method: 'private_key_jwt', clientId: 'c', privateJwk: rsa.privateJwk }, AUDIENCE);
    expect(decodeProtectedHeader(form.client_assertion).alg).toBe('RS256');
    const pinned = await keyPair('RS256', { alg: 'PS384' });
    const signed = await clientAuthentication({ method: 'private_key_jwt', clientId: 'c', privateJwk: pinned.privateJwk }, AUDIENCE);
    expect(decodeProtectedHeader(signed.form.client_assertion).alg).toBe('PS384');
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = pinned.privateJwk;
    await jwtVerify(signed.form.client_assertion, await importJWK(publicJwk, 'PS384'), { algorithms: ['PS384'] });
    expect(assertionAlg({ kty: 'EC', crv: 'P-384' })).toBe('ES384');
    expect(assertionAlg({ kty: 'EC', crv: 'P-521' })).toBe('ES512');
    expect(assertionAlg({ kty: 'OKP', crv: 'Ed25519' })).toBe('EdDSA');
  });

  it('refuses a public key, a symmetric key and an unknown curve, without quoting the key', async () => {
    const { privateJwk } = await keyPair('ES256');
    const { d, ...publicJwk } = privateJwk;
    const attempts: JWK[] = [publicJwk, { kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ', d: 'x' }, { ...privateJwk, crv: 'secp256k1' }, { ...privateJwk, alg: 'HS256' }];
    for (const jwk of attempts) {
      const failure = clientAuthentication({ method: 'private_key_jwt', clientId: 'c', privateJwk: jwk }, AUDIENCE);
      await expect(failure).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID' });
      const message = await failure.catch((e: Error) => e.message);
      expect(message).not.toContain(d!);
      expect(message).not.toContain('c2VjcmV0');
    }
  });
});
