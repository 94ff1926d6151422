/**
 * Keys the user gives that must not make a forgery "valid": a public key handed over as an HMAC
 * secret, RSA keys with exponent 1 or an even modulus, Ed25519 points of small order, keys too
 * small or too costly, and keys given in the forms people paste them (several PEM blocks, a JWK
 * whose certificate disagrees with it, sloppy base64).
 */
import { constants, createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { publicKeyFlaw, publicKeyRefusal } from '../../../electron/core/tokens/key-flaws';
import { publicKeyInSecret } from '../../../electron/core/tokens/keys';
import { inspectToken } from '../../../electron/core/tokens/inspect';
import type { KeySource } from '../../../shared/tokens';
import { b64, claims, codes, finding, handMade, hmacWith, inspect, NOW } from '../../support/hand-made-tokens';
import { makeServerCertificate } from '../../support/test-tls';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pemOf = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }).toString();
const rs256 = (key: KeyObject, hash = 'sha256') => (input: string) => sign(hash, Buffer.from(input), key);
const jwkOf = async (key: KeyObject, extra: Record<string, unknown> = {}) => JSON.stringify({ ...(await exportJWK(key)), ...extra });
const bigToB64 = (value: bigint) => {
  const hex = value.toString(16);
  return Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex').toString('base64url');
};

/** RSA with e = 1: the "signature" is the PKCS#1 v1.5 encoding of the hash itself (RFC 8017 §9.2). */
function forgedForExponentOne(input: string, modulusBytes: number): Buffer {
  const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), createHash('sha256').update(input).digest()]);
  return Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(modulusBytes - digestInfo.length - 3, 0xff), Buffer.from([0]), digestInfo]);
}

describe('keys anyone can sign with', () => {
  it('calls a token forged with the public key, pasted as the HMAC secret, forged rather than valid', async () => {
    const pem = pemOf(rsa.publicKey);
    const token = handMade({ alg: 'HS256' }, claims(), hmacWith(pem));
    // As pasted, and as a one-line password field leaves it: without its line breaks.
    for (const secret of [pem, pem.replace(/\n/g, '')]) {
      const result = await inspect(token, { kind: 'hmac', secret, encoding: 'text' });
      expect(result.verdict).toBe('invalid');
      expect(finding(result, 'KEY_CONFUSION')).toMatchObject({ severity: 'critical', message: expect.stringMatching(/^Forged: this HS256 token is signed with the public key used as an HMAC secret/) });
    }
    const jwk = await jwkOf(rsa.publicKey);
    const byJwk = await inspect(handMade({ alg: 'HS256' }, claims(), hmacWith(jwk)), { kind: 'hmac', secret: jwk, encoding: 'text' });
    expect(finding(byJwk, 'KEY_CONFUSION')?.message).toMatch(/^Forged/);
  });

  it('reads a public key given as the HMAC secret as the key it is: an RS256 token verifies, and says how the key was given', async () => {
    const result = await inspect(handMade({ alg: 'RS256' }, claims(), rs256(rsa.privateKey)), { kind: 'hmac', secret: pemOf(rsa.publicKey).replace(/\n/g, ''), encoding: 'text' });
    expect(result.verdict).toBe('valid');
    expect(result.signature.key).toMatch(/^the HMAC secret you entered \(\d+ bytes\), which is a public key in PEM \(RSA, thumbprint /);
  });

  it('knows a public key given as a secret in PEM, certificate, JWK or DER, and not an ordinary secret', async () => {
    const certificate = await makeServerCertificate({ ca: null, dns: ['issuer.example.com'] });
    const what = (secret: Buffer) => publicKeyInSecret(secret)?.what ?? null;
    expect(what(Buffer.from(certificate.cert))).toBe('a public key in PEM');
    expect(what(Buffer.from(rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString()))).toBe('a public key in PEM');
    expect(what(rsa.publicKey.export({ format: 'der', type: 'spki' }))).toBe('a public key in DER');
    expect(what(Buffer.from(await jwkOf(rsa.publicKey)))).toBe('a public JWK');
    // A private JWK or PEM is not public, and random bytes that begin like DER are no key.
    expect(what(Buffer.from(JSON.stringify(await exportJWK(rsa.privateKey))))).toBeNull();
    expect(what(Buffer.from(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()))).toBeNull();
    expect(what(Buffer.concat([Buffer.from([0x30]), randomBytes(40)]))).toBeNull();
    expect(what(randomBytes(32))).toBeNull();
  });

  it('calls a signature that verifies only because the RSA exponent is 1 forged', async () => {
    const { n } = await exportJWK(rsa.publicKey);
    const input = `${b64({ alg: 'RS256' })}.${b64(claims({ sub: 'admin' }))}`;
    const token = `${input}.${forgedForExponentOne(input, 256).toString('base64url')}`;
    const result = await inspect(token, { kind: 'jwk', jwk: JSON.stringify({ kty: 'RSA', n, e: 'AQ' }) });
    expect(result.signature.verified).toBe(true);
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'KEY_FORGEABLE')).toMatchObject({ severity: 'critical', message: expect.stringContaining('public exponent 1') });
  });

  it('finds RSA keys with an even exponent or an even modulus forgeable, and a real key sound', async () => {
    const { n } = await exportJWK(rsa.publicKey);
    const modulus = BigInt(`0x${Buffer.from(n!, 'base64url').toString('hex')}`);
    const key = (jwk: Record<string, string>) => createPublicKey({ key: { kty: 'RSA', ...jwk }, format: 'jwk' });
    expect(publicKeyFlaw(key({ n: n!, e: 'Ag' }))?.message('given')).toContain('public exponent 2');
    const even = publicKeyFlaw(key({ n: bigToB64(modulus + 1n), e: 'AQAB' }));
    // One flaw, told of the key the user gave or of the key a DPoP proof carries.
    expect(even?.message('given')).toMatch(/^The RSA key given has an even modulus/);
    expect(even?.message('carried')).toMatch(/^The RSA key the proof carries has an even modulus/);
    expect(publicKeyFlaw(rsa.publicKey)).toBeNull();
    // RSA-PSS keys cannot be JWKs: their modulus is read from the SPKI instead.
    expect(publicKeyFlaw(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey)).toBeNull();
  });

  it('calls a token "verified" by the Ed25519 identity key forged, whatever it says', async () => {
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const token = handMade({ alg: 'EdDSA' }, claims({ sub: 'admin' }), () => Buffer.concat([identity, Buffer.alloc(32)]));
    const result = await inspect(token, { kind: 'jwk', jwk: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: identity.toString('base64url') }) });
    expect(result.signature.verified).toBe(true);
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'KEY_FORGEABLE')?.message).toContain('small order');
  });

  it('finds every Ed25519 point of small order, with either sign, and no real key', () => {
    const smallOrder = ['0000000000000000000000000000000000000000000000000000000000000000', '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a', 'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'];
    for (const hex of smallOrder) {
      for (const signBit of [0, 0x80]) {
        const x = Buffer.from(hex, 'hex');
        x[31] |= signBit;
        expect(publicKeyFlaw(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: x.toString('base64url') }, format: 'jwk' }))?.code).toBe('KEY_FORGEABLE');
      }
    }
    expect(publicKeyFlaw(generateKeyPairSync('ed25519').publicKey)).toBeNull();
    expect(publicKeyFlaw(generateKeyPairSync('ed448').publicKey)).toBeNull();
    const ed448Identity = Buffer.alloc(57);
    ed448Identity[0] = 1;
    expect(publicKeyFlaw(createPublicKey({ key: { kty: 'OKP', crv: 'Ed448', x: ed448Identity.toString('base64url') }, format: 'jwk' }))?.code).toBe('KEY_FORGEABLE');
  });

  it('blocks a signature by a 512-bit RSA key, and only warns of a 1024-bit one', async () => {
    const tiny = generateKeyPairSync('rsa', { modulusLength: 512 });
    const byTiny = await inspect(handMade({ alg: 'RS256' }, claims(), rs256(tiny.privateKey)), { kind: 'pem', pem: pemOf(tiny.publicKey) });
    expect(byTiny.verdict).toBe('invalid');
    expect(finding(byTiny, 'KEY_TOO_SMALL')).toMatchObject({ severity: 'critical', message: expect.stringContaining('512-bit') });
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const bySmall = await inspect(handMade({ alg: 'RS256' }, claims(), rs256(small.privateKey)), { kind: 'pem', pem: pemOf(small.publicKey) });
    expect(bySmall.verdict).toBe('valid');
    expect(finding(bySmall, 'KEY_TOO_SMALL')?.severity).toBe('high');
  });

  it('does not use an RSA key whose exponent would make every check slow, and says why', async () => {
    const { n } = await exportJWK(rsa.publicKey);
    const hugeExponent = bigToB64((1n << 2000n) | 1n);
    expect(publicKeyRefusal(createPublicKey({ key: { kty: 'RSA', n: n!, e: hugeExponent }, format: 'jwk' }))).toContain('public exponent of 2001 bits');
    const keys = Array.from({ length: 100 }, (_, i) => ({ kty: 'RSA', n, e: hugeExponent, kid: `k${i}` }));
    const result = await inspect(handMade({ alg: 'RS256' }, claims(), () => randomBytes(256)), { kind: 'jwks', jwks: JSON.stringify({ keys }) });
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'NOT_VERIFIED')?.message).toContain('public exponent of 2001 bits');
  });

  it('answers a JWK whose kty names a built-in property as a key it cannot use, without throwing', async () => {
    for (const kty of ['__proto__', 'constructor', 'toString']) {
      const result = await inspect(handMade({ alg: 'RS256' }, claims(), rs256(rsa.privateKey)), { kind: 'jwk', jwk: JSON.stringify({ kty, x5c: ['MIIB'] }) });
      expect(result.verdict).toBe('unverifiable');
      expect(finding(result, 'NOT_VERIFIED')?.message).toContain(`The JWK you pasted is not a key CredOps can use (kty ${kty})`);
    }
  });
});

describe('keys as people paste them', () => {
  const token = handMade({ alg: 'RS256' }, claims(), rs256(rsa.privateKey));

  it('tries every PEM block, as when the old and new key are pasted together, and says which verified', async () => {
    const result = await inspect(token, { kind: 'pem', pem: `${pemOf(other.publicKey)}\n${pemOf(rsa.publicKey)}` });
    expect(result.verdict).toBe('valid');
    expect(result.signature.key).toContain('the PEM key you pasted (block 2 of 2)');
  });

  it('reads the key below a comment line that mentions a certificate', async () => {
    const result = await inspect(token, { kind: 'pem', pem: `# was: -----BEGIN CERTIFICATE----- of the old issuer\n${pemOf(rsa.publicKey)}` });
    expect(result.verdict).toBe('valid');
  });

  it('says a passphrase-protected private key is one, rather than calling it unreadable', async () => {
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();
    const result = await inspect(token, { kind: 'pem', pem });
    expect(finding(result, 'NOT_VERIFIED')?.message).toContain('passphrase-protected private key');
  });

  it('notes that the certificate of the key that verified has expired, without blocking', async () => {
    const DAY = 86_400_000;
    const { key, cert } = await makeServerCertificate({ ca: null, dns: ['issuer.example.com'], notBefore: new Date(NOW - 60 * DAY), notAfter: new Date(NOW - DAY) });
    const es256 = handMade({ alg: 'ES256' }, claims(), (input) => sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }));
    const result = await inspect(es256, { kind: 'pem', pem: cert });
    expect(result.verdict).toBe('valid');
    expect(finding(result, 'KEY_EXPIRED')).toMatchObject({ severity: 'low', message: expect.stringContaining(`certificate expired on ${new Date(NOW - DAY).toISOString().slice(0, 10)}`) });
  });

  it('refuses a JWK whose certificate holds another key than its own members (RFC 7517 §4.7)', async () => {
    const certificate = await makeServerCertificate({ ca: null, dns: ['issuer.example.com'] });
    const der = Buffer.from(certificate.cert.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64').toString('base64');
    const result = await inspect(token, { kind: 'jwk', jwk: await jwkOf(rsa.publicKey, { x5c: [der] }) });
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'NOT_VERIFIED')?.message).toContain('its "x5c" certificate holds another key than its own members');
  });

  it('reads a symmetric JWK\'s "k" strictly, as jose does, and refuses an empty one', async () => {
    const secret = randomBytes(32);
    const hs = handMade({ alg: 'HS256' }, claims(), hmacWith(secret));
    expect((await inspect(hs, { kind: 'jwk', jwk: JSON.stringify({ kty: 'oct', k: secret.toString('base64url') }) })).verdict).toBe('valid');
    const sloppy = await inspect(hs, { kind: 'jwk', jwk: JSON.stringify({ kty: 'oct', k: `${secret.toString('base64url')}!!!` }) });
    expect(finding(sloppy, 'NOT_VERIFIED')?.message).toContain('has a "k" that is not base64url');
    const empty = await inspect(hs, { kind: 'jwk', jwk: JSON.stringify({ kty: 'oct', k: '' }) });
    expect(finding(empty, 'NOT_VERIFIED')?.message).toContain('symmetric key without "k"');
  });

  it('refuses base64 of a length no encoder makes, rather than dropping its last character', async () => {
    // Nine characters: 4n + 1 cannot be base64, yet Buffer would read the first eight and say nothing.
    const result = await inspect(handMade({ alg: 'HS256' }, claims(), hmacWith(randomBytes(32))), { kind: 'hmac', secret: 'QUJDREVGQ', encoding: 'base64' });
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'NOT_VERIFIED')?.message).toBe('The key could not be used: That secret is not base64.');
  });

  it('reads the first hundred keys of a large JWKS and says so of a kid beyond them', async () => {
    const jwk = JSON.parse(await jwkOf(other.publicKey)) as Record<string, unknown>;
    const keys = [...Array.from({ length: 100 }, (_, i) => ({ ...jwk, kid: `old-${i}` })), { ...(await exportJWK(rsa.publicKey)), kid: 'current' }];
    const result = await inspect(handMade({ alg: 'RS256', kid: 'current' }, claims(), rs256(rsa.privateKey)), { kind: 'jwks', jwks: JSON.stringify({ keys }) });
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'NOT_VERIFIED')?.message).toContain('it is key 101 of 101, and CredOps reads the first 100');
    expect(codes(result)).not.toContain('KID_UNKNOWN');
    // Without a kid, failing the hundred read is not "altered": the 101st may be the signer.
    const noKid = await inspect(handMade({ alg: 'RS256' }, claims(), rs256(rsa.privateKey)), { kind: 'jwks', jwks: JSON.stringify({ keys }) });
    expect(noKid.verdict).toBe('unverifiable');
    expect(codes(noKid)).toEqual(['NOT_VERIFIED']);
    expect(finding(noKid, 'NOT_VERIFIED')?.message).toContain('one key it could not read may have signed it');
  });

  it('does not count an EC PARAMETERS block, which is no key, as a key that might have signed', async () => {
    const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
    const result = await inspect(handMade({ alg: 'RS256' }, claims(), rs256(other.privateKey)), { kind: 'pem', pem: `${params}${pemOf(rsa.publicKey)}` });
    expect(codes(result)).toEqual(['SIGNATURE_INVALID']);
  });

  it('reads BEGIN lines without an END in linear time, finding the key after them', async () => {
    const junk = '-----BEGIN PUBLIC KEY-----\n'.repeat(2000);
    const result = await inspect(token, { kind: 'pem', pem: `${junk}${pemOf(rsa.publicKey)}` });
    expect(result.verdict).toBe('valid');
  });
});

describe('keys that cannot make the algorithm', () => {
  const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048, hashAlgorithm: 'sha512', mgf1HashAlgorithm: 'sha512' });
  const pssPem = pemOf(pss.publicKey);

  it('says an RSA-PSS key cannot check RS256, and one bound to SHA-512 cannot check PS256, rather than calling them altered', async () => {
    const rs = await inspect(handMade({ alg: 'RS256' }, claims(), () => randomBytes(256)), { kind: 'pem', pem: pssPem });
    expect(rs.verdict).toBe('unverifiable');
    expect(codes(rs)).toEqual(['NOT_VERIFIED']);
    const ps = await inspect(handMade({ alg: 'PS256' }, claims(), () => randomBytes(256)), { kind: 'pem', pem: pssPem });
    expect(codes(ps)).toEqual(['NOT_VERIFIED']);
    const ps512 = handMade({ alg: 'PS512' }, claims(), (input) => sign('sha512', Buffer.from(input), { key: pss.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 }));
    expect((await inspect(ps512, { kind: 'pem', pem: pssPem })).verdict).toBe('valid');
  });

  it('verifies RFC 9864\'s Ed448 with an Ed448 key and names the curve it needs otherwise', async () => {
    const ed448 = generateKeyPairSync('ed448');
    const token = handMade({ alg: 'Ed448' }, claims(), (input) => sign(null, Buffer.from(input), ed448.privateKey));
    expect((await inspect(token, { kind: 'pem', pem: pemOf(ed448.publicKey) })).verdict).toBe('valid');
    const wrongCurve = await inspect(token, { kind: 'pem', pem: pemOf(generateKeyPairSync('ed25519').publicKey) });
    expect(finding(wrongCurve, 'NOT_VERIFIED')?.message).toBe('None of the keys given can check Ed448 (it needs an OKP public key on Ed448).');
  });
});

describe('a well-known HMAC secret behind a key that cannot check it', () => {
  const token = handMade({ alg: 'HS256' }, claims(), hmacWith('secret'));

  it('still finds the dictionary secret when the key given cannot be used or is a public key', async () => {
    for (const key of [{ kind: 'hmac', secret: '!!', encoding: 'base64' }, { kind: 'pem', pem: pemOf(rsa.publicKey) }] satisfies KeySource[]) {
      const result = await inspect(token, key);
      expect(result.verdict).toBe('invalid');
      expect(finding(result, 'WEAK_HMAC_SECRET')?.message).toContain('"se…", 6 characters');
    }
  });

  it('counts a one-character secret in the singular', async () => {
    const result = await inspect(handMade({ alg: 'HS256' }, claims(), hmacWith('a')), null);
    expect(finding(result, 'WEAK_HMAC_SECRET')?.message).toContain('(1 character)');
  });
});

describe('the confusion forgery, however the public key was written', () => {
  const pem = pemOf(rsa.publicKey);
  const variants: [string, string | Buffer][] = [
    ['PKCS#1 PEM', rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString()],
    ['PEM with Windows line ends', pem.replace(/\n/g, '\r\n')],
    ['DER', rsa.publicKey.export({ format: 'der', type: 'spki' })],
  ];
  it.each(variants)('calls an HS256 token made with the %s forged', async (_name, secret) => {
    const result = await inspect(handMade({ alg: 'HS256' }, claims(), hmacWith(secret)), { kind: 'pem', pem });
    expect(finding(result, 'KEY_CONFUSION')?.message).toMatch(/^Forged: this HS256 token is signed with the public key used as an HMAC secret/);
  });

  it('calls one made with the RFC 7638 form of the JWK forged too', async () => {
    const { e, kty, n } = await exportJWK(rsa.publicKey);
    const result = await inspect(handMade({ alg: 'HS256' }, claims(), hmacWith(JSON.stringify({ e, kty, n }))), { kind: 'pem', pem });
    expect(finding(result, 'KEY_CONFUSION')?.message).toMatch(/^Forged/);
  });
});

it('reads a vault credential holding a public key, chosen as an HMAC secret, as that key', async () => {
  const pem = pemOf(rsa.publicKey);
  const result = await inspectToken(
    { token: handMade({ alg: 'HS256' }, claims(), hmacWith(pem)), key: { kind: 'credential', credentialId: '7d1f4a56-2a3b-4c5d-8e9f-0a1b2c3d4e5f' }, policy: null },
    { nowMs: NOW, credentialSecret: () => ({ secret: pem, kind: 'api_key', name: 'Partner key' }), serverJwks: () => { throw new Error('no vault here'); } },
  );
  expect(result.verdict).toBe('invalid');
  expect(finding(result, 'KEY_CONFUSION')?.message).toMatch(/^Forged/);
});

it('names a saved server whose name holds "$&" as written', async () => {
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k1' }] });
  const result = await inspectToken(
    { token: handMade({ alg: 'RS256', kid: 'k1' }, claims(), rs256(rsa.privateKey)), key: { kind: 'server', serverId: '7d1f4a56-2a3b-4c5d-8e9f-0a1b2c3d4e5f' }, policy: null },
    { nowMs: NOW, credentialSecret: () => { throw new Error('no vault here'); }, serverJwks: () => ({ jwks, name: 'Prod $& $` $\'', fetchedAt: '2026-11-01T00:00:00Z' }) },
  );
  expect(result.signature.key).toMatch(/^Prod \$& \$` \$' JWKS key \(fetched 2026-11-01T00:00:00Z\) kid k1/);
});
