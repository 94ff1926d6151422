import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { fetchJwks, parseJwks } from '../../../electron/core/servers/jwks';
import { fakeHttp } from './fake-http';

async function publicJwk(alg: 'RS256' | 'ES256' | 'ES384' | 'EdDSA', extra: Partial<JWK> = {}): Promise<{ pub: JWK; priv: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return { pub: { ...(await exportJWK(publicKey)), ...extra }, priv: { ...(await exportJWK(privateKey)), ...extra } };
}

describe('parseJwks', () => {
  it('keeps good RSA, EC and OKP keys with their kid, alg, use and RFC 7638 thumbprint', async () => {
    const rsa = await publicJwk('RS256', { kid: 'rsa-1', alg: 'RS256', use: 'sig' });
    const ec = await publicJwk('ES256', { kid: 'ec-1' });
    const ed = await publicJwk('EdDSA', { kid: 'ed-1', alg: 'EdDSA' });
    const { keys, rejected } = parseJwks({ keys: [rsa.pub, ec.pub, ed.pub] });
    expect(rejected).toEqual([]);
    expect(keys.map((k) => [k.kid, k.kty, k.alg, k.use])).toEqual([['rsa-1', 'RSA', 'RS256', 'sig'], ['ec-1', 'EC', null, null], ['ed-1', 'OKP', 'EdDSA', null]]);
    for (const [i, jwk] of [rsa.pub, ec.pub, ed.pub].entries()) expect(keys[i].thumbprint).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
    expect(keys[0].jwk).toEqual(rsa.pub);
  });

  it('reports each junk key with its index and reason and keeps the good ones', async () => {
    const good = await publicJwk('ES256', { kid: 'good' });
    const other = await publicJwk('ES256', { kid: 'good' });
    const leaked = await publicJwk('RS256', { kid: 'leaked' });
    const p384 = await publicJwk('ES384', { kid: 'p384' });
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const junk: unknown[] = [
      good.pub,
      'not a key',
      { kty: 'oct', k: 'c2hhcmVkLXNlY3JldA', kid: 'hmac' },
      { kty: 'RSA', e: 'AQAB', kid: 'no-n' },
      leaked.priv,
      { ...good.pub, kid: 'bad-curve', crv: 'secp256k1' },
      { ...p384.pub, alg: 'ES256' },
      { kty: 'EC', crv: 'P-256', x: good.pub.x, y: p384.pub.x, kid: 'off-curve' },
      { kty: 'XYZ', kid: 'weird' },
      other.pub,
      { ...good.pub, kid: 'none-alg', alg: 'none' },
      { ...small, kid: 'small' },
      { ...good.pub, kid: 7 },
    ];
    const { keys, rejected } = parseJwks({ keys: junk });
    expect(keys.map((k) => k.kid)).toEqual(['good']);
    const reasons = Object.fromEntries(rejected.map((r) => [r.index, r.reason]));
    expect(rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(reasons[1]).toMatch(/not a JSON object/);
    expect(reasons[2]).toMatch(/symmetric/);
    expect(reasons[3]).toMatch(/missing "n"/);
    expect(reasons[4]).toMatch(/private key material \(d, p, q, dp, dq, qi\)/);
    expect(reasons[5]).toMatch(/curve "secp256k1"/);
    expect(reasons[6]).toMatch(/alg "ES256", which does not fit a EC P-384 key/);
    expect(reasons[7]).toMatch(/not a valid public key/);
    expect(reasons[8]).toMatch(/unknown key type "XYZ"/);
    expect(reasons[9]).toMatch(/repeats the kid of key 0/);
    expect(reasons[10]).toMatch(/alg "none"/);
    expect(reasons[11]).toMatch(/1024 bits/);
    expect(reasons[12]).toMatch(/"kid" that is not a string/);
    expect(rejected.find((r) => r.index === 4)?.kid).toBe('leaked');
    // The rejected private key's secret never appears in what is reported.
    expect(JSON.stringify(rejected)).not.toContain(leaked.priv.d);
  });

  it('refuses published keys anyone can sign for, and one too costly to verify with, saying which', async () => {
    const rsa = await publicJwk('RS256');
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const { keys, rejected } = parseJwks({
      keys: [
        { kty: 'RSA', n: rsa.pub.n, e: 'AQ', kid: 'e-one' },
        { kty: 'OKP', crv: 'Ed25519', x: identity.toString('base64url'), kid: 'identity' },
        { kty: 'RSA', n: rsa.pub.n, e: Buffer.from('01'.repeat(300), 'hex').toString('base64url'), kid: 'huge-e' },
        { ...rsa.pub, kid: 'good' },
      ],
    });
    expect(keys.map((k) => k.kid)).toEqual(['good']);
    expect(rejected.map((r) => r.reason)).toEqual([
      'Key 0 (kid e-one) is a key anyone can sign for (RSA public exponent 1): whatever it "verifies" proves nothing.',
      'Key 1 (kid identity) is a key anyone can sign for (an Ed25519 point of small order): whatever it "verifies" proves nothing.',
      'Key 2 (kid huge-e) is not used: an RSA public exponent of 2393 bits (real keys use 65537), which would make every check slow.',
    ]);
  });

  it('allows the same kid on keys of different types (RFC 7517 §4.5)', async () => {
    const ec = await publicJwk('ES256', { kid: 'k1' });
    const rsa = await publicJwk('RS256', { kid: 'k1' });
    expect(parseJwks({ keys: [ec.pub, rsa.pub] }).keys).toHaveLength(2);
  });

  it('throws only when there is no keys array', () => {
    for (const notASet of [null, [], { keys: 'x' }, { key: [] }]) expect(() => parseJwks(notASet)).toThrow(expect.objectContaining({ code: 'SERVER_BAD_RESPONSE' }));
    expect(parseJwks({ keys: [] })).toEqual({ keys: [], rejected: [] });
  });

  it('reads at most 100 keys and says so for the rest', async () => {
    const { pub } = await publicJwk('ES256');
    const { keys, rejected } = parseJwks({ keys: Array.from({ length: 102 }, (_, i) => ({ ...pub, kid: `k${i}` })) });
    expect(keys).toHaveLength(100);
    expect(rejected.map((r) => r.index)).toEqual([100, 101]);
  });
});

describe('fetchJwks', () => {
  it('fetches and parses, and calls a page that is not JSON what it is', async () => {
    const { pub } = await publicJwk('ES256', { kid: 'a' });
    const http = fakeHttp(() => ({ status: 200, body: { keys: [pub] } }));
    expect((await fetchJwks(http, 'https://id.example.com/certs')).keys[0].kid).toBe('a');
    expect(http.requests[0]).toMatchObject({ method: 'GET', maxBytes: 256 * 1024 });
    const html = fakeHttp(() => ({ status: 200, body: '<html>login</html>', headers: { 'content-type': 'text/html' } }));
    await expect(fetchJwks(html, 'https://id.example.com/certs')).rejects.toMatchObject({ code: 'SERVER_NOT_JSON' });
    await expect(fetchJwks(fakeHttp(() => ({ status: 404 })), 'https://id.example.com/certs')).rejects.toMatchObject({ code: 'SERVER_ERROR' });
  });

  it('never fetches keys over plain http from another machine', async () => {
    const http = fakeHttp(() => ({ status: 200, body: { keys: [] } }));
    await expect(fetchJwks(http, 'http://id.example.com/certs')).rejects.toMatchObject({ code: 'SERVER_BAD_RESPONSE' });
    expect(http.requests).toHaveLength(0);
  });
});
