import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { findWeakHmacSecret, hmacSecretStrength, MAX_DICTIONARY_SIGNING_INPUT, WEAK_HMAC_SECRETS, type HmacAlgorithm } from '../../../electron/core/tokens/weak-secrets';

const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token's signing input and its HMAC signature, made the way a careless issuer would. */
function signed(alg: HmacAlgorithm, secret: string | Buffer, claims: Record<string, unknown> = { sub: 'user-1', iat: 1_767_225_600 }) {
  const signingInput = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  return { signingInput, signature: createHmac(HASH[alg], secret).update(signingInput).digest() };
}

describe('findWeakHmacSecret', () => {
  it.each([
    ['HS256', 'your-256-bit-secret'],
    ['HS384', 'your-384-bit-secret'],
    ['HS512', 'your-512-bit-secret'],
    ['HS256', 'secret'],
    ['HS256', 'keyboard cat'],
    ['HS256', 'shhhhh'],
    ['HS512', 'changeme'],
    ['HS384', 'super-secret-jwt-token-with-at-least-32-characters-long'],
    ['HS256', ''],
  ] as const)('finds a %s token signed with "%s"', (alg, secret) => {
    const { signingInput, signature } = signed(alg, secret);
    expect(findWeakHmacSecret(alg, signingInput, signature)).toBe(secret);
  });

  it('finds nothing for a token signed with 32 random bytes', () => {
    for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
      const { signingInput, signature } = signed(alg, randomBytes(32));
      expect(findWeakHmacSecret(alg, signingInput, signature)).toBeNull();
    }
  });

  it('finds nothing when the signature belongs to another input or algorithm', () => {
    const { signature } = signed('HS256', 'secret');
    expect(findWeakHmacSecret('HS256', signed('HS256', 'secret', { sub: 'someone-else' }).signingInput, signature)).toBeNull();
    expect(findWeakHmacSecret('HS512', signed('HS512', 'secret').signingInput, signature)).toBeNull();
    expect(findWeakHmacSecret('HS256', 'a.b', Buffer.alloc(0))).toBeNull();
  });

  it('does not try the dictionary on a signing input larger than any real token', () => {
    const { signingInput, signature } = signed('HS256', 'secret', { pad: 'x'.repeat(MAX_DICTIONARY_SIGNING_INPUT) });
    expect(findWeakHmacSecret('HS256', signingInput, signature)).toBeNull();
  });

  it('holds at least 200 distinct secrets, the defaults a responder would try first among them', () => {
    expect(WEAK_HMAC_SECRETS.length).toBeGreaterThanOrEqual(200);
    expect(new Set(WEAK_HMAC_SECRETS).size).toBe(WEAK_HMAC_SECRETS.length);
    for (const secret of ['secret', 'your-256-bit-secret', 'your-384-bit-secret', 'your-512-bit-secret', 'changeme', 'password', 'jwt_secret', 'supersecret', 'mysecretkey', 'secretkey', 'test', 'key', 'default', 'shhhhh', 'keyboard cat', '']) {
      expect(WEAK_HMAC_SECRETS).toContain(secret);
    }
  });

  it('tries the whole dictionary on a realistic token in under 5 ms', () => {
    const { signingInput, signature } = signed('HS256', randomBytes(32), { sub: 'user-1', scope: 'read write', groups: Array.from({ length: 30 }, (_, i) => `group-${i}`) });
    findWeakHmacSecret('HS256', signingInput, signature);
    let best = Infinity;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      findWeakHmacSecret('HS256', signingInput, signature);
      best = Math.min(best, performance.now() - started);
    }
    expect(best).toBeLessThan(5);
  });
});

describe('hmacSecretStrength', () => {
  it.each([
    ['HS256', 31, 32],
    ['HS384', 47, 48],
    ['HS512', 63, 64],
  ] as const)('flags a %s secret of %i bytes and accepts %i (RFC 7518 §3.2)', (alg, short, enough) => {
    expect(hmacSecretStrength(randomBytes(short), alg)).toMatch(new RegExp(`${short} bytes; ${alg} needs at least ${enough}`));
    expect(hmacSecretStrength(randomBytes(enough), alg)).toBeNull();
    expect(hmacSecretStrength(randomBytes(enough * 2), alg)).toBeNull();
  });

  it('says what to do, and nothing of the secret itself', () => {
    const message = hmacSecretStrength(Buffer.from('k8#Lq2!vZ'), 'HS256');
    expect(message).toMatch(/Replace it with 32 or more random bytes/);
    expect(message).not.toContain('k8#');
  });
});
