/**
 * An encrypted token's own parts and keys: a stripped tag is seen without a key, a well-known
 * shared key is named whatever the key management, and what is too large or too costly is
 * refused before any work.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { b64, claims, finding, inspect } from '../../support/hand-made-tokens';

const payload = new TextEncoder().encode(JSON.stringify(claims()));
const encrypt = (header: { alg: string; enc: string; p2c?: number }, key: Uint8Array | import('node:crypto').KeyObject, plaintext = payload) => {
  const jwe = new CompactEncrypt(plaintext).setProtectedHeader(header);
  if (header.p2c) jwe.setKeyManagementParameters({ p2c: header.p2c });
  return jwe.encrypt(key);
};
const withPart = (jwe: string, index: number, part: string) => jwe.split('.').map((p, i) => (i === index ? part : p)).join('.');
const hex = (secret: Buffer) => ({ kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' }) as const;

describe('parts seen without a key', () => {
  it.each([
    ['stripped', ''],
    ['cut to 3 bytes', 'AAAA'],
  ])('calls a JWE whose tag is %s invalid, with or without the key', async (_how, tag) => {
    const secret = randomBytes(32);
    const broken = withPart(await encrypt({ alg: 'dir', enc: 'A256GCM' }, secret), 4, tag);
    for (const key of [null, hex(secret)]) {
      const result = await inspect(broken, key);
      expect(result.verdict).toBe('invalid');
      expect(finding(result, 'MALFORMED')).toMatchObject({ severity: 'critical', where: 'tag', message: expect.stringContaining('A256GCM makes one of 16') });
    }
  });

  it('calls an IV of the wrong size, and an encrypted key where "dir" has none, invalid', async () => {
    const secret = randomBytes(32);
    const jwe = await encrypt({ alg: 'dir', enc: 'A256GCM' }, secret);
    expect(finding(await inspect(withPart(jwe, 2, b64('sixteen bytes iv')), null), 'MALFORMED')?.message).toContain('The IV is 16 bytes; A256GCM uses 12');
    expect(finding(await inspect(withPart(jwe, 1, 'AAAA'), hex(secret)), 'MALFORMED')?.message).toContain('With "dir" the encrypted key must be empty');
  });

  it('says a JWE with alg "none" is a probe, not an unsecured token', async () => {
    const jwe = `${b64({ alg: 'none', enc: 'A256GCM' })}..${b64('twelve bytes')}.${b64('x')}.${b64('sixteen byte tag')}`;
    const result = await inspect(jwe, null);
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'ALG_NONE')?.message).toMatch(/"none" is no key management algorithm/);
  });

  it('does not read a header far beyond any real one', async () => {
    const jwe = `${b64({ alg: 'dir', enc: 'A256GCM', pad: 'x'.repeat(100_000) })}..${b64('twelve bytes')}.${b64('x')}.${b64('sixteen byte tag')}`;
    const result = await inspect(jwe, null);
    expect(result.verdict).toBe('unparseable');
    expect(result.summary).toContain('KB; a real one is a few hundred bytes');
  });
});

describe('keys', () => {
  it.each([
    ['dir', 'A256GCM'],
    ['A256KW', 'A256GCM'],
    ['A256GCMKW', 'A128CBC-HS256'],
  ])('calls a %s JWE made with a well-known shared key invalid', async (alg, enc) => {
    const wellKnown = Buffer.from('reallyreallyreallyreallyverysafe');
    const result = await inspect(await encrypt({ alg, enc }, wellKnown), { kind: 'hmac', secret: wellKnown.toString(), encoding: 'text' });
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'WEAK_HMAC_SECRET')?.message).toMatch(/^Encrypted under a well-known key: anyone can decrypt it, and make one/);
  });

  it('holds PBES2 to a count that costs what OWASP\'s 600,000 rounds of SHA-256 do, and says which', async () => {
    const password = Buffer.from('a long passphrase nobody will guess');
    const jwe = await encrypt({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 400_001 }, password);
    const result = await inspect(jwe, { kind: 'hmac', secret: password.toString(), encoding: 'text' });
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'ENCRYPTED')?.message).toContain('its PBES2 count is 400,001, over the 400,000 CredOps computes for PBES2-HS512+A256KW');
  });

  it('says a passphrase-protected private key is one', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwe = await encrypt({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }, pair.publicKey);
    const pem = pair.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();
    const result = await inspect(jwe, { kind: 'pem', pem });
    expect(finding(result, 'ENCRYPTED')?.message).toContain('the private key given is protected by a passphrase');
  });

  it('does not name an object for an "enc" that is a built-in property', async () => {
    const jwe = `${b64({ alg: 'dir', enc: '__proto__' })}..${b64('twelve bytes')}.${b64('x')}.${b64('sixteen byte tag')}`;
    const result = await inspect(jwe, hex(randomBytes(32)));
    expect(result.verdict).toBe('unverifiable');
    expect(result.findings.map((f) => f.message).join(' ')).not.toContain('[object Object]');
  });
});
