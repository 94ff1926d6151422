/**
 * What a JWS header's "alg", "crit" and "kid" may be: only registered algorithms, spelled exactly;
 * extensions CredOps understands; key ids that read on screen as they match.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { quoted } from '../../../electron/core/tokens/header-checks';
import type { KeySource } from '../../../shared/tokens';
import { claims, codes, finding, handMade, hmacWith, inspect } from '../../support/hand-made-tokens';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem: KeySource = { kind: 'pem', pem: rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString() };
const rs256 = (input: string) => sign('sha256', Buffer.from(input), rsa.privateKey);

describe('alg', () => {
  it.each([
    ['hs256', /not HS256: algorithm names are exact and case-sensitive/],
    ['HS256 ', /not HS256: algorithm names are exact/],
    ['RS256\u0000', /"RS256\\u0000", which is no registered JWS algorithm/],
    ['dir', /an encryption algorithm, in a signed token/],
    ['RSA-OAEP', /an encryption algorithm, in a signed token/],
    ['RS1', /prohibited for JWS/],
    ['XS256', /"XS256", which is no registered JWS algorithm/],
  ])('calls a JWS with alg %j invalid, key or no key', async (alg, message) => {
    for (const key of [null, pem]) {
      const result = await inspect(handMade({ alg }, claims(), rs256), key);
      expect(result.verdict).toBe('invalid');
      expect(finding(result, 'ALG_UNKNOWN')?.message).toMatch(message);
    }
  });

  it('holds a signed token to the JWS registry even when its header carries a stray "enc"', async () => {
    const result = await inspect(handMade({ alg: 'hs256', enc: 'A256GCM' }, claims(), rs256), pem);
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('ALG_UNKNOWN');
  });

  it('leaves a registered algorithm CredOps cannot check unverifiable, not invalid', async () => {
    const result = await inspect(handMade({ alg: 'ML-DSA-44' }, claims(), rs256), pem);
    expect(result.verdict).toBe('unverifiable');
    expect(codes(result)).toEqual(['NOT_VERIFIED']);
  });
});

describe('crit', () => {
  it('accepts "b64" in crit with b64 true, an ordinary JWS (RFC 7797 §3), as jose does', async () => {
    const result = await inspect(handMade({ alg: 'RS256', b64: true, crit: ['b64'] }, claims(), rs256), pem);
    expect(result.verdict).toBe('valid');
    expect(result.findings).toEqual([]);
  });

  it('still refuses an extension it does not know, naming only that one', async () => {
    const result = await inspect(handMade({ alg: 'RS256', b64: true, 'urn:x:hop': 1, crit: ['b64', 'urn:x:hop'] }, claims(), rs256), pem);
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'CRIT_UNSUPPORTED')?.message).toContain('requires extensions ("urn:x:hop") that');
  });
});

describe('kid and alg as a finding shows them', () => {
  it('flags a kid with a direction override or zero-width space, and shows it escaped', async () => {
    const kid = 'prod\u202E\u200Bkey';
    const result = await inspect(handMade({ alg: 'HS256', kid }, claims(), hmacWith('x'.repeat(40))), { kind: 'jwks', jwks: JSON.stringify({ keys: [{ kty: 'oct', k: Buffer.from('y'.repeat(40)).toString('base64url'), kid: 'prod' }] }) });
    expect(finding(result, 'KID_SUSPICIOUS')?.message).toContain('"prod\\u202e\\u200bkey"');
    expect(finding(result, 'KID_UNKNOWN')?.message).toContain('kid "prod\\u202e\\u200bkey"');
    expect(result.findings.every((f) => !/[\u202E\u200B]/.test(f.message))).toBe(true);
  });

  it('quotes header values cut short, escaped, and never as raw control or direction characters', () => {
    expect(quoted('k1')).toBe('"k1"');
    expect(quoted('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoted('x'.repeat(150))).toBe(`"${'x'.repeat(100)}…"`);
    expect(quoted('line\nbreak\u202E')).toBe('"line\\u000abreak\\u202e"');
  });

  it('does not repeat a 30,000-character alg in its findings', async () => {
    const result = await inspect(handMade({ alg: 'A'.repeat(30_000) }, claims(), rs256), pem);
    expect(result.verdict).toBe('invalid');
    expect(Math.max(...result.findings.map((f) => f.message.length))).toBeLessThan(400);
  });
});
