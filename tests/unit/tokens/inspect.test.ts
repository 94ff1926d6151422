/**
 * Every finding the inspector knows, each from a token built here (jose and node:crypto), with
 * the verdict it must give.
 */
import { constants, createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { CompactEncrypt, exportJWK, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { classifyOpaqueToken } from '../../../electron/core/secrets/opaque-formats';
import type { Inspection, KeySource, TokenPolicy } from '../../../shared/tokens';
import { b64, claims, codes, finding, handMade, hmacWith, inspect, inspectAt, now, NOW } from '../../support/hand-made-tokens';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const hmacSecret = randomBytes(32);
const rsaPem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();

const rs256 = (key = rsa.privateKey) => (input: string) => sign('sha256', Buffer.from(input), key);
const hs256 = (secret: Buffer | string) => hmacWith(secret);

async function signed(extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims(extra)).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header }).sign(rsa.privateKey);
}

async function jwks(...keys: { key: import('node:crypto').KeyObject; kid: string }[]): Promise<KeySource> {
  return { kind: 'jwks', jwks: JSON.stringify({ keys: await Promise.all(keys.map(async ({ key, kid }) => ({ ...(await exportJWK(key)), kid }))) }) };
}

describe('verdicts', () => {
  it('calls a token valid when the given JWKS verifies it and the policy holds', async () => {
    const result = await inspect(await signed(), await jwks({ key: rsa.publicKey, kid: 'k1' }), { issuer: 'https://auth.example.com', audiences: ['api'], algorithms: ['RS256'], requiredScopes: ['read'], claimEquals: [{ claim: 'tenant_id', value: 'acme' }] });
    expect(result.verdict).toBe('valid');
    expect(result.findings).toEqual([]);
    expect(result.signature).toMatchObject({ alg: 'RS256', verified: true, key: expect.stringContaining('kid k1') });
    // The value travels as JSON text; its meaning and instant are the screen's to work out.
    expect(result.claims.find((c) => c.name === 'exp')).toEqual({ name: 'exp', value: String(now + 600), digest: null });
  });

  it('verifies ES256 with a PEM key and HS256 with a base64 secret', async () => {
    const es = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256' }).sign(ec.privateKey);
    expect((await inspect(es, { kind: 'pem', pem: ec.publicKey.export({ format: 'pem', type: 'spki' }).toString() })).verdict).toBe('valid');
    const hs = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(hmacSecret);
    expect((await inspect(hs, { kind: 'hmac', secret: hmacSecret.toString('base64'), encoding: 'base64' })).verdict).toBe('valid');
  });

  it('is unverifiable without a key, and says how to verify', async () => {
    const result = await inspect(await signed());
    expect(result.verdict).toBe('unverifiable');
    expect(codes(result)).toEqual(['NOT_VERIFIED']);
  });

  it('reads a Bearer header with quotes, stray whitespace and line breaks', async () => {
    const token = await signed();
    const result = await inspect(`  Authorization: Bearer "${token.slice(0, 40)}\n  ${token.slice(40)}"  `, await jwks({ key: rsa.publicKey, kid: 'k1' }));
    expect(result.verdict).toBe('valid');
  });
});

describe('header and signature findings', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %s as unsecured', async (alg) => {
    const result = await inspect(handMade({ alg, typ: 'JWT' }, claims()), await jwks({ key: rsa.publicKey, kid: 'k1' }));
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('ALG_NONE');
  });

  it('flags an algorithm the policy does not allow', async () => {
    const result = await inspect(await signed(), await jwks({ key: rsa.publicKey, kid: 'k1' }), { algorithms: ['ES256'] });
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('ALG_NOT_ALLOWED');
  });

  it('catches key confusion: HS256 signed with the RSA public key as the HMAC secret', async () => {
    const forged = handMade({ alg: 'HS256', typ: 'JWT' }, claims(), hs256(rsaPem));
    const result = await inspect(forged, { kind: 'pem', pem: rsaPem });
    expect(result.verdict).toBe('invalid');
    expect(result.findings[0]).toMatchObject({ code: 'KEY_CONFUSION', severity: 'critical', message: expect.stringContaining('Forged') });
  });

  it('reports a bad signature and a stripped one', async () => {
    const token = await signed();
    const tampered = handMade({ alg: 'RS256', kid: 'k1' }, claims({ sub: 'admin' }), () => Buffer.from(token.split('.')[2], 'base64url'));
    expect(codes(await inspect(tampered, await jwks({ key: rsa.publicKey, kid: 'k1' })))).toContain('SIGNATURE_INVALID');
    // The right kid, the wrong key: a JWKS that does not hold the signer.
    expect(codes(await inspect(token, await jwks({ key: other.publicKey, kid: 'k1' })))).toContain('SIGNATURE_INVALID');
    const stripped = token.split('.').slice(0, 2).join('.') + '.';
    const result = await inspect(stripped, await jwks({ key: rsa.publicKey, kid: 'k1' }));
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('SIGNATURE_MISSING');
  });

  it('names an unknown kid, and a kid built to attack a key lookup', async () => {
    expect(codes(await inspect(await signed({}, { kid: 'rotated-out' }), await jwks({ key: rsa.publicKey, kid: 'k1' })))).toContain('KID_UNKNOWN');
    const secret: KeySource = { kind: 'hmac', secret: hmacSecret.toString('base64'), encoding: 'base64' };
    const suspicious = ['../../../../dev/null', '/dev/null', ' /etc/passwd', 'C:\\keys\\k1', 'C:/Windows/win.ini', "x' UNION SELECT 'secret", 'key|whoami', 'k1; rm -rf /'];
    // URLs, including those a URL parser completes (http:/x reads as http://x), and encodings of dots and slashes.
    suspicious.push('https://evil.example/key', 'http:/evil.example/jwks', 'file:/etc/passwd', 'jar:file:/x!/k', 'data:,secret', 'k1%2f..%2fsecret', '%c0%ae%c0%ae/x', '\uff0e\uff0e\uff0fx');
    for (const kid of suspicious) {
      const token = handMade({ alg: 'HS256', kid }, claims(), hs256(hmacSecret));
      // A warning about the servers, not about this token: it is as valid as its signature.
      const unchecked = await inspect(token);
      expect(unchecked.verdict, kid).toBe('unverifiable');
      expect(codes(unchecked), kid).toContain('KID_SUSPICIOUS');
      expect((await inspect(token, secret)).verdict, kid).toBe('valid');
    }
    // Key ids as issuers write them: base64 (AWS Cognito), base64url, thumbprints, names with a path.
    const ordinary = ['1Lk0Fo8oP8Lj1zKQ4dnnJ3eWnE4UUIpi3Y81sZ1RL0s=', 'ab+c/d/EF==', 'kWbkaa6qs8wsTnBwiiNYOhHbnAw', 'projects/acme/keys/signing-2026', 'k-2026-01'];
    ordinary.push('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'did:web:example.com#key-1', 'urn:example:keys:2026/1');
    for (const kid of ordinary) {
      expect(codes(await inspect(handMade({ alg: 'HS256', kid }, claims(), hs256(hmacSecret)))), kid).not.toContain('KID_SUSPICIOUS');
    }
  });

  it('reports keys the token names for itself, and never uses or fetches them', async () => {
    const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = await exportJWK(attacker.publicKey);
    const token = handMade({ alg: 'RS256', jwk, jku: 'https://evil.example/jwks', x5u: 'https://evil.example/cert', x5c: ['MIIB'] }, claims(), rs256(attacker.privateKey));
    const calls = [vi.spyOn(globalThis, 'fetch'), vi.spyOn(http, 'request'), vi.spyOn(http, 'get'), vi.spyOn(https, 'request'), vi.spyOn(https, 'get')];
    try {
      const result = await inspect(token);
      expect(result.verdict).toBe('unverifiable');
      expect(codes(result)).toEqual(expect.arrayContaining(['JWK_EMBEDDED', 'JKU_PRESENT', 'X5U_PRESENT', 'X5C_PRESENT']));
      expect(result.signature.verified).toBeNull();
      expect((await inspect(token, await jwks({ key: rsa.publicKey, kid: 'k1' }))).verdict).toBe('invalid');
      for (const call of calls) expect(call).not.toHaveBeenCalled();
    } finally {
      for (const call of calls) call.mockRestore();
    }
  });

  it('verifies with an X.509 certificate and with a public JWK', async () => {
    const certificate = readFileSync(new URL('../../fixtures/tokens/signer-cert.pem', import.meta.url), 'utf8');
    const signer = createPrivateKey(readFileSync(new URL('../../fixtures/tokens/signer-key.pem', import.meta.url), 'utf8'));
    const token = handMade({ alg: 'ES256', typ: 'JWT' }, claims(), (input) => sign('sha256', Buffer.from(input), { key: signer, dsaEncoding: 'ieee-p1363' }));
    const byCertificate = await inspect(token, { kind: 'pem', pem: certificate });
    expect(byCertificate.verdict).toBe('valid');
    expect(byCertificate.signature.key).toMatch(/EC, thumbprint/);
    const publicJwk = await exportJWK(createPublicKey(signer));
    expect((await inspect(token, { kind: 'jwk', jwk: JSON.stringify(publicJwk) })).verdict).toBe('valid');
    expect(codes(await inspect(token, { kind: 'jwk', jwk: JSON.stringify(await exportJWK(ec.publicKey)) }))).toContain('SIGNATURE_INVALID');
  });

  it('refuses critical extensions it does not understand', async () => {
    const result = await inspect(handMade({ alg: 'RS256', crit: ['exp-policy'], 'exp-policy': 1 }, claims(), rs256()), { kind: 'pem', pem: rsaPem });
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('CRIT_UNSUPPORTED');
  });

  it('finds a weak HMAC secret by trying a dictionary, and a short one given by the user', async () => {
    const weak = handMade({ alg: 'HS256', typ: 'JWT' }, claims(), hs256('your-256-bit-secret'));
    const result = await inspect(weak);
    expect(result.verdict).toBe('invalid');
    expect(result.findings[0]).toMatchObject({ code: 'WEAK_HMAC_SECRET', severity: 'critical' });
    expect(result.findings[0].message).not.toContain('your-256-bit-secret');
    // Given the weak secret itself, it verifies, and is still called out.
    const given = await inspect(weak, { kind: 'hmac', secret: 'your-256-bit-secret', encoding: 'text' });
    expect(given.verdict).toBe('invalid');
    expect(codes(given)).toContain('WEAK_HMAC_SECRET');
    // Given a wrong key, the dictionary still shows who could have forged it.
    expect(codes(await inspect(weak, { kind: 'hmac', secret: randomBytes(32).toString('base64'), encoding: 'base64' }))).toEqual(expect.arrayContaining(['WEAK_HMAC_SECRET', 'SIGNATURE_INVALID']));
    const short = handMade({ alg: 'HS256' }, claims(), hs256('k8#Lq2!vZ'));
    const checked = await inspect(short, { kind: 'hmac', secret: 'k8#Lq2!vZ', encoding: 'text' });
    expect(checked.verdict).toBe('valid');
    expect(codes(checked)).toContain('SHORT_HMAC_SECRET');
  });

  it('asks for the secret length the algorithm needs, and does not call random bytes guessable', async () => {
    const weak512 = handMade({ alg: 'HS512' }, claims(), (input) => createHmac('sha512', 'secret').update(input).digest());
    expect((await inspect(weak512)).findings[0].message).toMatch(/Rotate the issuer's secret to 64\+ random bytes \(HS512 needs 64\)/);
    const secret = randomBytes(48);
    const random512 = handMade({ alg: 'HS512' }, claims(), (input) => createHmac('sha512', secret).update(input).digest());
    const short = (await inspect(random512, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' })).findings.find((f) => f.code === 'SHORT_HMAC_SECRET');
    expect(short?.message).toBe('The secret is 48 bytes; HS512 needs at least 64 (RFC 7518 §3.2). Strict libraries refuse it, and if a person chose it rather than a generator, it can be guessed offline from one token. Replace it with 64 or more random bytes.');
  });
});

describe('time findings', () => {
  it.each([
    // The instant itself, and how far it lay from the clock: a finding is read later than it is made.
    ['EXPIRED', { exp: now - 3 * 3600 }, /^Expired at 2026-11-23 09:00:00 UTC, 3 h before this check\. /],
    ['NOT_YET_VALID', { nbf: now + 3600 }, /^Not valid before 2026-11-23 13:00:00 UTC, 60 min after this check \("nbf"\)\.$/],
    ['ISSUED_IN_FUTURE', { iat: now + 7200 }, /^Issued at 2026-11-23 14:00:00 UTC, 2 h after this check, in the future/],
  ])('%s', async (code, extra, message) => {
    const result = await inspect(await signed(extra), await jwks({ key: rsa.publicKey, kid: 'k1' }));
    expect(result.verdict).toBe('invalid');
    expect(result.findings.find((f) => f.code === code)?.message).toMatch(message);
  });

  it('notes a missing exp, and a lifetime over the policy', async () => {
    const noExp = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey);
    // A warning, not a refusal: such a token is valid until the key changes, which is the point.
    const forever = await inspect(noExp, { kind: 'pem', pem: rsaPem });
    expect(forever.verdict).toBe('valid');
    expect(forever.findings).toEqual([expect.objectContaining({ code: 'EXP_MISSING', severity: 'medium' })]);
    const longLived = await signed({ iat: now - 60, exp: now + 30 * 86_400 });
    const result = await inspect(longLived, { kind: 'pem', pem: rsaPem }, { maxLifetimeSeconds: 3600 });
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('LIFETIME_TOO_LONG');
  });

  it('allows the policy clock tolerance', async () => {
    const justExpired = await signed({ exp: now - 30 });
    expect((await inspect(justExpired, { kind: 'pem', pem: rsaPem }, { clockToleranceSeconds: 60 })).verdict).toBe('valid');
    expect((await inspect(justExpired, { kind: 'pem', pem: rsaPem }, { clockToleranceSeconds: 0 })).verdict).toBe('invalid');
  });
});

describe('the clock', () => {
  const key = () => jwks({ key: rsa.publicKey, kid: 'k1' });

  it('says when the time checks next change, to the millisecond: at exp, and when the tolerance runs out', async () => {
    const token = await signed({ iat: now - 60, exp: now + 600 });
    const before = await inspectAt(NOW, token, await key());
    expect(before.verdict).toBe('valid');
    expect(before.recheckAtMs).toBe((now + 600) * 1000);
    expect((await inspectAt(before.recheckAtMs! - 1, token, await key())).findings).toEqual([]);
    // Past exp, a token is accepted only by the clock tolerance (60 s by default), and says so.
    const within = await inspectAt(before.recheckAtMs! + 5000, token, await key());
    expect(within.verdict).toBe('valid');
    expect(within.findings).toEqual([
      { code: 'WITHIN_CLOCK_TOLERANCE', severity: 'info', where: 'payload.exp', message: 'Past its expiry (2026-11-23 12:10:00 UTC, 5 s before this check), accepted only within the 60 s clock tolerance: invalid from 2026-11-23 12:11:00 UTC.' },
    ]);
    expect(within.recheckAtMs).toBe((now + 660) * 1000);
    expect((await inspectAt(within.recheckAtMs! - 1, token, await key())).verdict).toBe('valid');
    const after = await inspectAt(within.recheckAtMs!, token, await key());
    expect(after.verdict).toBe('invalid');
    expect(after.findings.map((f) => f.code)).toEqual(['EXPIRED']);
    expect(after.recheckAtMs).toBeNull();
    // Expired exactly at exp with no tolerance: before the check, not after it.
    expect((await inspectAt((now + 600) * 1000, token, await key(), { clockToleranceSeconds: 0 })).findings[0].message).toMatch(/^Expired at 2026-11-23 12:10:00 UTC, under a second before this check/);
  });

  it('takes the nearest boundary ahead, with the policy\'s tolerance: iat and nbf become good in turn', async () => {
    const early = await signed({ nbf: now + 300, iat: now + 200, exp: now + 900 });
    const first = await inspectAt(NOW, early, await key(), { clockToleranceSeconds: 10 });
    expect(first.findings.map((f) => f.code).sort()).toEqual(['ISSUED_IN_FUTURE', 'NOT_YET_VALID']);
    expect(first.recheckAtMs).toBe((now + 190) * 1000);
    // Each step is where the last answer said to look again; each says what the clock changed.
    const walk: [string, string[], number][] = [];
    let at = first.recheckAtMs!;
    for (let step = 0; step < 5 && at !== null; step++) {
      const next = await inspectAt(at, early, await key(), { clockToleranceSeconds: 10 });
      walk.push([next.verdict, next.findings.map((f) => `${f.code} ${f.where}`), (at - NOW) / 1000]);
      at = next.recheckAtMs!;
    }
    expect(walk).toEqual([
      // Within the tolerance of iat, it is a note, not a refusal, until iat itself.
      ['invalid', ['NOT_YET_VALID payload.nbf', 'WITHIN_CLOCK_TOLERANCE payload.iat'], 190],
      ['invalid', ['NOT_YET_VALID payload.nbf'], 200],
      ['valid', ['WITHIN_CLOCK_TOLERANCE payload.nbf'], 290],
      ['valid', [], 300],
      ['valid', ['WITHIN_CLOCK_TOLERANCE payload.exp'], 900],
    ]);
  });

  it('says when nbf or iat is met only by the clock tolerance, and how far ahead the issuer\'s clock runs', async () => {
    const ahead = await inspect(await signed({ nbf: now + 20, iat: now + 20, exp: now + 600 }), await key());
    expect(ahead.verdict).toBe('valid');
    expect(ahead.summary).toBe('Valid: the signature verifies with the key given, and every check passes, but only within the clock tolerance (see the time findings).');
    expect(ahead.findings).toEqual([
      { code: 'WITHIN_CLOCK_TOLERANCE', severity: 'info', where: 'payload.nbf', message: 'Not valid before 2026-11-23 12:00:20 UTC, 20 s after this check ("nbf"), accepted now only within the 60 s clock tolerance: the issuer\'s clock runs ahead of this one.' },
      { code: 'WITHIN_CLOCK_TOLERANCE', severity: 'info', where: 'payload.iat', message: 'Issued at 2026-11-23 12:00:20 UTC, 20 s after this check, in the future, accepted only within the 60 s clock tolerance: the issuer\'s clock runs ahead of this one.' },
    ]);
    expect(ahead.recheckAtMs).toBe((now + 20) * 1000);
    // At nbf and iat themselves, nothing is left to say.
    expect((await inspectAt((now + 20) * 1000, await signed({ nbf: now + 20, iat: now + 20, exp: now + 600 }), await key())).findings).toEqual([]);
  });

  it('refuses to measure a lifetime from now: without iat or nbf, no waiting makes a token pass the maximum', async () => {
    const undated = handMade({ alg: 'RS256', kid: 'k1' }, { sub: 'x', exp: now + 7200 }, rs256());
    const long = await inspectAt(NOW, undated, await key(), { maxLifetimeSeconds: 3600 });
    expect(long.verdict).toBe('invalid');
    expect(long.findings.map((f) => [f.code, f.where])).toEqual([['CLAIM_MISSING', 'payload.iat']]);
    expect((await inspectAt((now + 7000) * 1000, undated, await key(), { maxLifetimeSeconds: 3600 })).verdict).toBe('invalid');
    // From nbf when there is no iat.
    const fromNbf = handMade({ alg: 'RS256', kid: 'k1' }, { sub: 'x', nbf: now - 10, exp: now + 7200 }, rs256());
    expect((await inspectAt(NOW, fromNbf, await key(), { maxLifetimeSeconds: 3600 })).findings.map((f) => f.code)).toEqual(['LIFETIME_TOO_LONG']);
  });

  it('has nothing to recheck without time claims, or with ones that are not numbers', async () => {
    expect((await inspect(handMade({ alg: 'RS256' }, { sub: 'x' }, rs256()), { kind: 'pem', pem: rsaPem })).recheckAtMs).toBeNull();
    const stringy = await inspect(handMade({ alg: 'RS256' }, { sub: 'x', exp: String(now + 600) }, rs256()), { kind: 'pem', pem: rsaPem }, { maxLifetimeSeconds: 3600 });
    // Malformed, not missing: no "no expiry" beside it.
    expect(stringy.findings.map((f) => f.code)).toEqual(['MALFORMED']);
    expect(stringy.recheckAtMs).toBeNull();
  });

  it('carries the recheck of a token inside a JWS or a JWE', async () => {
    const inner = await signed({ exp: now + 120 });
    const outer = handMade({ alg: 'HS256', cty: 'JWT' }, inner, hs256(hmacSecret));
    expect((await inspect(outer, { kind: 'hmac', secret: hmacSecret.toString('base64'), encoding: 'base64' })).recheckAtMs).toBe((now + 120) * 1000);
    const secret = randomBytes(32);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims({ exp: now + 300 })))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(secret);
    const opened = await inspect(jwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' });
    // Claims whose URLs hold two dots are claims, not a token inside (they were taken for one).
    expect(opened.verdict).toBe('valid');
    expect(opened.claims.map((c) => c.name)).toContain('iss');
    expect(opened.recheckAtMs).toBe((now + 300) * 1000);
    const wrapped = await new CompactEncrypt(new TextEncoder().encode(await signed({ exp: now + 240 }))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(secret);
    expect((await inspect(wrapped, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' })).recheckAtMs).toBe((now + 240) * 1000);
  });

  it('states instants no calendar holds without throwing, and does not wait for them', async () => {
    const result = await inspect(handMade({ alg: 'RS256' }, { sub: 'x', exp: -1e15, nbf: 1e300 }, rs256()), { kind: 'pem', pem: rsaPem });
    expect(result.verdict).toBe('invalid');
    expect(result.findings.find((f) => f.code === 'EXPIRED')?.message).toMatch(/^Expired at 1000000000000000 s before 1970, beyond any calendar, \d+ days before this check/);
    expect(result.findings.find((f) => f.code === 'NOT_YET_VALID')?.message).toContain('1e+300 s after 1970, beyond any calendar');
    expect(result.recheckAtMs).toBeNull();
    const farYear = await inspect(handMade({ alg: 'RS256' }, { sub: 'x', nbf: 8e12 }, rs256()), { kind: 'pem', pem: rsaPem });
    expect(farYear.findings.find((f) => f.code === 'NOT_YET_VALID')?.message).toMatch(/^Not valid before \+255479-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  });
});

describe('what the second review found', () => {
  it('does not call "every check passes" when high findings stand beside a valid signature', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const token = handMade({ alg: 'RS256', jku: 'https://evil.example/jwks' }, claims(), rs256(small.privateKey));
    const result = await inspect(token, { kind: 'pem', pem: small.publicKey.export({ format: 'pem', type: 'spki' }).toString() });
    expect(result.verdict).toBe('valid');
    expect(result.summary).toBe('Valid: the signature verifies with the key given and nothing blocks, but 2 high findings need attention.');
  });

  it('says a token three deep is beyond what it reads, and claims are shown only when there are some', async () => {
    const innermost = await signed();
    const middle = handMade({ alg: 'HS256', cty: 'JWT' }, innermost, hs256(hmacSecret));
    const secret = randomBytes(32);
    const outer = await new CompactEncrypt(new TextEncoder().encode(middle)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(secret);
    const result = await inspect(outer, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' });
    expect(result.verdict).toBe('unverifiable');
    expect(result.findings.map((f) => f.message).join(' ')).toContain('CredOps reads one level deep');
    expect(result.findings.map((f) => f.message).join(' ')).not.toContain('not valid JSON');
    const jweInside = handMade({ alg: 'HS256', cty: 'JWT' }, outer, hs256(hmacSecret));
    const wrapped = await inspect(jweInside, { kind: 'hmac', secret: hmacSecret.toString('base64'), encoding: 'base64' });
    expect(wrapped.findings.find((f) => f.code === 'NESTED_TOKEN' && f.where === 'payload')?.message).toMatch(/^The payload is itself a token \(jwe\)\. It is encrypted: inspect it on its own with its decryption key\.$/);
  });

  it('does not take a payload of dotted words for a token inside', async () => {
    for (const payload of ['www.example.com', '1.2.3', 'a.b.c.d.e']) {
      const result = await inspect(handMade({ alg: 'HS256' }, payload, hs256(hmacSecret)), { kind: 'hmac', secret: hmacSecret.toString('base64'), encoding: 'base64' });
      expect(codes(result)).not.toContain('NESTED_TOKEN');
      expect(result.verdict).toBe('unparseable');
    }
  });

  it('holds a directly encrypted token to the policy\'s signing algorithms, and knows its sensitive data is encrypted', async () => {
    const secret = randomBytes(32);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims({ email: 'ana@example.com' })))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(secret);
    const key = { kind: 'hmac' as const, secret: secret.toString('base64'), encoding: 'base64' as const };
    const open = await inspect(jwe, key);
    expect(open.verdict).toBe('valid');
    expect(open.findings.find((f) => f.code === 'SENSITIVE_DATA')).toMatchObject({ severity: 'low', message: expect.stringContaining('only holders of the decryption key') });
    const pinned = await inspect(jwe, key, { algorithms: ['RS256'] });
    expect(pinned.verdict).toBe('invalid');
    expect(codes(pinned)).toContain('ALG_NOT_ALLOWED');
  });
});

describe('typ and crit where the RFCs put them', () => {
  it('checks the policy\'s typ on the token inside an envelope, not on the envelope (RFC 8725 §3.11)', async () => {
    const inner = await signed({}, { typ: 'at+jwt' });
    const secret = randomBytes(32);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(secret);
    const byKey = { kind: 'hmac' as const, secret: secret.toString('base64'), encoding: 'base64' as const };
    expect(codes(await inspect(jwe, byKey, { typ: 'at+jwt' }))).not.toContain('TYP_MISMATCH');
    const untyped = await new CompactEncrypt(new TextEncoder().encode(await signed())).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(secret);
    expect((await inspect(untyped, byKey, { typ: 'at+jwt' })).findings.find((f) => f.code === 'TYP_MISMATCH')?.where).toBe('inner header.typ');
    const wrapped = handMade({ alg: 'HS256', cty: 'JWT' }, inner, hs256(hmacSecret));
    expect(codes(await inspect(wrapped, { kind: 'hmac', secret: hmacSecret.toString('base64'), encoding: 'base64' }, { typ: 'at+jwt' }))).not.toContain('TYP_MISMATCH');
    // Claims straight inside a JWE: its own header is the one that types it.
    const direct = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims()))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(secret);
    expect(codes(await inspect(direct, byKey, { typ: 'at+jwt' }))).toContain('TYP_MISMATCH');
  });

  it('calls a crit listing registered or absent names malformed, and does not pretend to verify an unencoded payload', async () => {
    for (const crit of [['alg'], ['x-absent']]) {
      const result = await inspect(handMade({ alg: 'RS256', crit }, claims(), rs256()), { kind: 'pem', pem: rsaPem });
      expect(result.findings.find((f) => f.where === 'header.crit')).toMatchObject({ code: 'MALFORMED', message: expect.stringContaining(`"${crit[0]}"`) });
    }
    const input = `${b64({ alg: 'HS256', b64: false, crit: ['b64'] })}.hello`;
    const unencoded = await inspect(`${input}.${hs256(hmacSecret)(input).toString('base64url')}`, { kind: 'hmac', secret: hmacSecret.toString('base64'), encoding: 'base64' });
    expect(unencoded).toMatchObject({ verdict: 'invalid', claims: [], signature: { verified: null } });
    expect(unencoded.summary).toContain('unencoded payload');
    const uncritical = await inspect(handMade({ alg: 'RS256', b64: false }, claims(), rs256()), { kind: 'pem', pem: rsaPem });
    expect(uncritical.verdict).toBe('invalid');
    expect(uncritical.findings.find((f) => f.where === 'header.b64')?.code).toBe('MALFORMED');
  });
});

describe('keys that cannot check the token', () => {
  it('says a key is pinned to another algorithm, or on another curve, rather than of the wrong type', async () => {
    const pinned = await inspect(handMade({ alg: 'RS256' }, claims(), rs256()), { kind: 'jwk', jwk: JSON.stringify({ ...(await exportJWK(rsa.publicKey)), alg: 'RS384' }) });
    expect(pinned.verdict).toBe('unverifiable');
    expect(pinned.findings[0].message).toBe('None of the keys given can check RS256 (the keys given are pinned to RS384 by their "alg").');
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const es256 = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256' }).sign(ec.privateKey);
    const curve = await inspect(es256, { kind: 'pem', pem: p384.publicKey.export({ format: 'pem', type: 'spki' }).toString() });
    expect(curve.findings[0].message).toBe('None of the keys given can check ES256 (it needs an EC public key on P-256).');
  });
});

describe('keys a JWKS publishes in other forms', () => {
  const certificate = readFileSync(new URL('../../fixtures/tokens/signer-cert.pem', import.meta.url), 'utf8');
  const signer = createPrivateKey(readFileSync(new URL('../../fixtures/tokens/signer-key.pem', import.meta.url), 'utf8'));
  const der = certificate.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

  it('verifies with a key published only as its certificate (x5c), as RFC 7517 §4.7 allows', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'cert-1' }).sign(signer);
    const result = await inspect(token, { kind: 'jwks', jwks: JSON.stringify({ keys: [{ kty: 'EC', kid: 'cert-1', x5c: [der] }] }) });
    expect(result.verdict).toBe('valid');
    expect(result.signature.key).toContain('kid cert-1');
  });

  it('does not call a kid unpublished when the set publishes it in a form CredOps cannot read', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'odd-1' }).sign(signer);
    const set = { keys: [{ kty: 'EC', kid: 'odd-1', crv: 'P-256', x: 'not-a-point' }, { ...(await exportJWK(rsa.publicKey)), kid: 'k1' }] };
    const result = await inspect(token, { kind: 'jwks', jwks: JSON.stringify(set) });
    expect(result.verdict).toBe('unverifiable');
    expect(codes(result)).toEqual(['NOT_VERIFIED']);
    expect(result.findings[0].message).toMatch(/^The key set publishes kid "odd-1", but CredOps cannot read that key/);
  });
});

describe('JWE that do not open', () => {
  const payload = new TextEncoder().encode(JSON.stringify(claims()));
  const encryptedFor = (key: import('node:crypto').KeyObject) => new CompactEncrypt(payload).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }).encrypt(key);
  const notDecrypted = (result: Inspection) => result.findings.find((f) => f.code === 'ENCRYPTED')?.message ?? '';

  it('does not decrypt a ciphertext far beyond any token, as it does not decode such a JWS payload', async () => {
    const secret = randomBytes(32);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ sub: 'x', pad: 'x'.repeat(300 * 1024) }))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(secret);
    const result = await inspect(jwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' });
    expect(result).toMatchObject({ verdict: 'unparseable', claims: [] });
    expect(result.summary).toBe('The ciphertext is 0.3 MB, far beyond any real token, so CredOps does not decrypt it.');
    expect(result.findings.find((f) => f.code === 'ENCRYPTED')?.message ?? '').not.toContain('decrypted with the key given');
  });

  it('decrypts PBES2 with the password given, which jose refuses unless asked', async () => {
    const jwe = await new CompactEncrypt(payload).setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM' }).encrypt(new TextEncoder().encode('correct horse battery staple'));
    const result = await inspect(jwe, { kind: 'hmac', secret: 'correct horse battery staple', encoding: 'text' });
    expect(notDecrypted(result)).toContain('decrypted with the key given');
    expect(result.claims.map((c) => c.name)).toContain('iss');
  });

  it('says why in its own words: a public key, a key set, an unknown crit, a wrong key', async () => {
    const jwe = await encryptedFor(rsa.publicKey);
    expect(notDecrypted(await inspect(jwe, { kind: 'pem', pem: rsaPem }))).toContain('needs the private key or the shared secret, and this is neither');
    expect(notDecrypted(await inspect(jwe, await jwks({ key: rsa.publicKey, kid: 'k1' })))).toContain('a key set holds public keys');
    const wrong = await inspect(jwe, { kind: 'pem', pem: other.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
    expect(notDecrypted(wrong)).toContain('the key does not fit, or the token was altered');
    expect(wrong.summary).toBe('An encrypted token CredOps did not open: the key does not fit, or the token was altered.');
    // jose will not make a JWE with an unknown crit: swap the header of a plain one.
    const parts = jwe.split('.');
    parts[0] = b64({ alg: 'RSA-OAEP-256', enc: 'A256GCM', crit: ['urn:example:x'], 'urn:example:x': 1 });
    const critical = await inspect(parts.join('.'), { kind: 'pem', pem: rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
    expect(codes(critical)).toContain('CRIT_UNSUPPORTED');
    expect(notDecrypted(critical)).toContain('a "crit" extension it does not know');
  });
});

describe('what the third review found', () => {
  const secret = randomBytes(32);
  const dir = (plain: string, header: Record<string, unknown> = {}) => new CompactEncrypt(new TextEncoder().encode(plain)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', ...header }).encrypt(secret);

  it('says a direct key of the wrong length is the key\'s fault, and refuses a secret that is not the encoding chosen', async () => {
    const jwe = await dir(JSON.stringify(claims()));
    const asText = await inspect(jwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'text' });
    expect(asText.summary).toBe('An encrypted token CredOps did not open: A256GCM used directly needs a 32-byte key, and the one given is 44 bytes (check its encoding).');
    const junk = await inspect(jwe, { kind: 'hmac', secret: `${secret.toString('base64')}!!`, encoding: 'base64' });
    expect(junk.summary).toBe('An encrypted token CredOps did not open: That secret is not base64.');
  });

  it('does not call a JWE clean beside high findings, nor a PBES2 password from the dictionary strong', async () => {
    const named = await dir(JSON.stringify(claims()), { jku: 'https://evil.example/keys' });
    const result = await inspect(named, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' });
    expect(result.summary).toBe('Valid: decrypted with the shared key given (so whoever made it holds that key) and nothing blocks, but one high finding needs attention.');
    const weak = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims()))).setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 1000 }).encrypt(new TextEncoder().encode('password'));
    const opened = await inspect(weak, { kind: 'hmac', secret: 'password', encoding: 'text' });
    expect(opened.verdict).toBe('invalid');
    expect(codes(opened)).toContain('WEAK_HMAC_SECRET');
  });

  it('uses an x5c certificate only for a key with no members of its own and of the same type', async () => {
    const certificate = readFileSync(new URL('../../fixtures/tokens/signer-cert.pem', import.meta.url), 'utf8').replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    const signer = createPrivateKey(readFileSync(new URL('../../fixtures/tokens/signer-key.pem', import.meta.url), 'utf8'));
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'c1' }).sign(signer);
    for (const jwk of [{ kty: 'RSA', kid: 'c1', x5c: [certificate] }, { kty: 'EC', kid: 'c1', crv: 'P-256', x: 'AAAA', y: 'AAAA', x5c: [certificate] }]) {
      expect((await inspect(token, { kind: 'jwks', jwks: JSON.stringify({ keys: [jwk, { ...(await exportJWK(rsa.publicKey)), kid: 'k1' }] }) })).verdict, jwk.kty).not.toBe('valid');
    }
  });

  it('takes a payload for a token inside only when its first part is a JSON header, and holds only JWS to RFC 7797', async () => {
    const dotted = await inspect(handMade({ alg: 'HS256' }, 'example.com.au', hs256(hmacSecret)), { kind: 'hmac', secret: hmacSecret.toString('base64'), encoding: 'base64' });
    expect(codes(dotted)).not.toContain('NESTED_TOKEN');
    const jwe = await dir(JSON.stringify(claims()), { b64: false });
    expect((await inspect(jwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' })).findings.find((f) => f.where === 'header.b64')).toBeUndefined();
  });

  it('keeps an unreadable key\'s kid apart from other keys, and says a named key is pinned rather than unfit', async () => {
    const signer = createPrivateKey(readFileSync(new URL('../../fixtures/tokens/signer-key.pem', import.meta.url), 'utf8'));
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'ES256', kid: 'odd' }).sign(signer);
    const set = { keys: [{ kty: 'EC', kid: 'odd', crv: 'P-256', x: 'bad' }, await exportJWK(ec.publicKey)] };
    expect(codes(await inspect(token, { kind: 'jwks', jwks: JSON.stringify(set) }))).toEqual(['NOT_VERIFIED']);
    const pinned = await inspect(await signed(), { kind: 'jwks', jwks: JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'PS256' }] }) });
    expect(pinned.findings).toEqual([expect.objectContaining({ code: 'ALG_NOT_ALLOWED', message: expect.stringContaining('is pinned to PS256 by its "alg", and the token says RS256') })]);
  });

  it('never counts integers past 2^53 as equal, however deep they sit', async () => {
    const input = `${b64({ alg: 'RS256' })}.${Buffer.from(`{"sub":"x","exp":9999999999,"org":{"id":9007199254740993},"ids":[9007199254740993]}`).toString('base64url')}`;
    const token = `${input}.${rs256()(input).toString('base64url')}`;
    const key = { kind: 'pem' as const, pem: rsaPem };
    expect(codes(await inspect(token, key, { claimEquals: [{ claim: 'org', value: '{"id": 9007199254740992}' }] }))).toEqual(['CLAIM_MISMATCH', 'IMPRECISE_NUMBER', 'IMPRECISE_NUMBER']);
    expect(codes(await inspect(token, key, { claimEquals: [{ claim: 'ids', value: '[9007199254740992]' }] }))).toEqual(['CLAIM_MISMATCH', 'IMPRECISE_NUMBER', 'IMPRECISE_NUMBER']);
  });

  it('says whether the claims were read at all, so Compare never shows unread claims as absent', async () => {
    const token = await signed();
    const secret = randomBytes(32);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(claims()))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(secret);
    const deep = await new CompactEncrypt(new TextEncoder().encode(handMade({ alg: 'HS256', cty: 'JWT' }, token, hs256(hmacSecret)))).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(secret);
    const read = async (paste: string, key: KeySource | null = null) => (await inspect(paste, key)).claimsRead;
    expect(await read(token)).toBe(true);
    expect(await read(handMade({ alg: 'RS256', cty: 'JWT' }, token, rs256()))).toBe(true);
    expect(await read(jwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' })).toBe(true);
    expect(await read(jwe)).toBe(false);
    expect(await read(deep, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' })).toBe(false);
    expect(await read(handMade({ alg: 'RS256', b64: false, crit: ['b64'] }, claims(), rs256()))).toBe(false);
    expect(await read('ghp_' + 'A'.repeat(36))).toBe(false);
    // An empty claim set is read, and empty.
    expect(await read(handMade({ alg: 'RS256' }, {}, rs256()))).toBe(true);
  });

  it('sends the first 500 claims and counts the rest, so no screen claims to show them all', async () => {
    const many = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`c${i}`, i]));
    const result = await inspect(await signed(many), { kind: 'pem', pem: rsaPem });
    expect(result.claims).toHaveLength(500);
    expect(result.moreClaims).toBe(600 + Object.keys(claims()).length - 500);
  });

  it('shows numbers past 2^53 as the issuer wrote them, and says that parsers read them otherwise', async () => {
    const payload = `{"sub":"x","exp":9999999999, "acct" : 12345678901234567891 ,"org":{"id":9007199254740993},"n":9007199254740991,"note":"12345678901234567891"}`;
    const input = `${b64({ alg: 'RS256' })}.${Buffer.from(payload).toString('base64url')}`;
    const result = await inspect(`${input}.${rs256()(input).toString('base64url')}`, { kind: 'pem', pem: rsaPem });
    expect(result.claims.map((c) => [c.name, c.value])).toEqual([
      ['sub', '"x"'],
      ['exp', '9999999999'],
      ['acct', '12345678901234567891'],
      ['org', '{"id":9007199254740993}'],
      // 2^53 − 1 is exact, and digits in a string are text: both shown as parsed.
      ['n', '9007199254740991'],
      ['note', '"12345678901234567891"'],
    ]);
    expect(result.findings).toEqual([
      { code: 'IMPRECISE_NUMBER', severity: 'low', where: 'payload.acct', message: 'Holds 12345678901234567891, an integer past 2^53: JavaScript and many JSON libraries read it as 12345678901234567168 (which JavaScript prints as 12345678901234567000), so services can disagree about its value. Issue large identifiers as strings.' },
      { code: 'IMPRECISE_NUMBER', severity: 'low', where: 'payload.org', message: 'Holds 9007199254740993, an integer past 2^53: JavaScript and many JSON libraries read it as 9007199254740992, so services can disagree about its value. Issue large identifiers as strings.' },
    ]);
    expect(result.verdict).toBe('valid');
  });

  it('says nothing of integers past 2^53 that a double holds exactly, and finds names written with escapes', async () => {
    const payload = `{"sub":"x","exp":9999999999,"snowflake":18014398509481984,"https:\\/\\/ex.com\\/acct":12345678901234567891}`;
    const input = `${b64({ alg: 'RS256' })}.${Buffer.from(payload).toString('base64url')}`;
    const result = await inspect(`${input}.${rs256()(input).toString('base64url')}`, { kind: 'pem', pem: rsaPem });
    expect(result.claims.find((c) => c.name === 'https://ex.com/acct')?.value).toBe('12345678901234567891');
    expect(result.findings.map((f) => [f.code, f.where])).toEqual([['IMPRECISE_NUMBER', 'payload.https://ex.com/acct']]);
  });

  it('holds a policy equality on an integer past 2^53 to the digits the issuer wrote', async () => {
    const payload = '{"sub":"x","exp":9999999999,"org_id":12345678901234567891}';
    const input = `${b64({ alg: 'RS256' })}.${Buffer.from(payload).toString('base64url')}`;
    const token = `${input}.${rs256()(input).toString('base64url')}`;
    const key = { kind: 'pem' as const, pem: rsaPem };
    const same = await inspect(token, key, { claimEquals: [{ claim: 'org_id', value: '12345678901234567891' }] });
    expect(same.verdict).toBe('valid');
    const rounded = await inspect(token, key, { claimEquals: [{ claim: 'org_id', value: '12345678901234567000' }] });
    expect(rounded.findings.find((f) => f.code === 'CLAIM_MISMATCH')?.message).toBe('"org_id" is 12345678901234567891, not 12345678901234567000: a token for another tenant or principal.');
  });
});

describe('keys JWK cannot express', () => {
  it('answers for RSA-PSS, DSA and brainpool public keys instead of throwing, naming them by their SPKI digest', async () => {
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const pem = (key: import('node:crypto').KeyObject) => key.export({ format: 'pem', type: 'spki' }).toString();
    const ps256 = handMade({ alg: 'PS256' }, claims(), (input) => sign('sha256', Buffer.from(input), { key: pss.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }));
    const byPss = await inspect(ps256, { kind: 'pem', pem: pem(pss.publicKey) });
    expect(byPss.verdict).toBe('valid');
    expect(byPss.signature.key).toMatch(/RSA-PSS, SPKI SHA-256 [\w-]{43}/);
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 });
    const brainpool = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
    for (const key of [dsa.publicKey, brainpool.publicKey]) {
      // No key given can check RS256: said, not thrown.
      expect(await inspect(await signed(), { kind: 'pem', pem: pem(key) })).toMatchObject({ verdict: 'unverifiable', signature: { verified: null } });
      expect(codes(await inspect(handMade({ alg: 'HS256' }, claims(), hs256('secret')), { kind: 'pem', pem: pem(key) }))).toContain('KEY_CONFUSION');
    }
  });
});

describe('policy findings', () => {
  it.each([
    ['ISSUER_MISMATCH', { issuer: 'https://other.example.com' }],
    ['AUDIENCE_MISMATCH', { audiences: ['billing'] }],
    ['TYP_MISMATCH', { typ: 'at+jwt' }],
    ['CLAIM_MISSING', { requiredClaims: ['client_id'] }],
    ['CLAIM_MISMATCH', { claimEquals: [{ claim: 'tenant_id', value: 'globex' }] }],
    ['SCOPE_MISSING', { requiredScopes: ['admin'] }],
  ] as const)('%s', async (code, policy) => {
    const result = await inspect(await signed(), { kind: 'pem', pem: rsaPem }, policy as Partial<TokenPolicy>);
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toEqual([code]);
  });

  it('accepts "application/at+jwt" for a policy typ of "at+jwt"', async () => {
    const token = await signed({}, { typ: 'application/at+jwt' });
    const result = await inspect(token, { kind: 'pem', pem: rsaPem }, { typ: 'at+jwt' });
    expect(result.verdict).toBe('valid');
    expect(result.kind).toBe('access_token');
  });
});

describe('content and shape', () => {
  it('finds personal data readable in the payload', async () => {
    const result = await inspect(await signed({ email: 'alice@example.com', card: '4111 1111 1111 1111', password: 'hunter2' }), { kind: 'pem', pem: rsaPem });
    expect(result.verdict).toBe('valid');
    expect(result.findings.filter((f) => f.code === 'SENSITIVE_DATA').map((f) => f.where).sort()).toEqual(['payload.card', 'payload.email', 'payload.password']);
  });

  it('shows a JWE header without a key, and decrypts it with one, inspecting the token inside', async () => {
    const inner = await signed();
    const secret = randomBytes(32);
    const jwe = await new CompactEncrypt(new TextEncoder().encode(inner)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }).encrypt(secret);
    const locked = await inspect(jwe);
    expect(locked).toMatchObject({ verdict: 'unverifiable', kind: 'jwe' });
    expect(JSON.parse(locked.header!)).toEqual({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' });
    expect(codes(locked)).toEqual(['ENCRYPTED']);
    const opened = await inspect(jwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' });
    expect(codes(opened)).toEqual(expect.arrayContaining(['ENCRYPTED', 'NESTED_TOKEN']));
    // The signed token inside was not checked with its issuer's key: not valid, not invalid.
    expect(opened.verdict).toBe('unverifiable');
    expect(opened.claims.find((c) => c.name === 'sub')?.value).toBe('"user-1"');
  });

  it('notes a nested token in a JWS payload', async () => {
    const inner = await signed();
    const outer = handMade({ alg: 'RS256', cty: 'JWT' }, inner, rs256());
    const result = await inspect(outer, { kind: 'pem', pem: rsaPem });
    expect(codes(result)).toContain('NESTED_TOKEN');
    expect(result.claims.some((c) => c.name === 'iss')).toBe(true);
    expect(result.verdict).toBe('unverifiable');
    // A line break after the inner token (as echo and text files leave one) does not hide it.
    for (const wrapped of [`${inner}\n`, `\r\n${inner}\r\n`]) {
      const trailing = await inspect(handMade({ alg: 'RS256', cty: 'JWT' }, wrapped, rs256()), { kind: 'pem', pem: rsaPem });
      expect(trailing.findings[0]).toMatchObject({ code: 'NESTED_TOKEN', where: 'payload' });
      expect(trailing.claims.find((c) => c.name === 'iss')).toBeDefined();
    }
  });

  it('calls a token with no sign of its use a plain JWT', async () => {
    const plain = handMade({ alg: 'RS256', typ: 'JWT' }, { iss: 'https://auth.example.com', sub: 'user-1', exp: now + 600 }, rs256());
    expect((await inspect(plain, { kind: 'pem', pem: rsaPem })).kind).toBe('jwt');
  });

  it('recognises ID, logout and access tokens', async () => {
    expect((await inspect(await signed({ nonce: 'n', auth_time: now - 100, scope: undefined }))).kind).toBe('id_token');
    expect((await inspect(await signed({ events: { 'http://schemas.openid.net/event/backchannel-logout': {} } }, { typ: 'logout+jwt' }))).kind).toBe('logout_token');
    expect((await inspect(await signed({}, { typ: 'at+jwt' }))).kind).toBe('access_token');
  });

  it('recognises opaque tokens by format, and explains what is not a token', async () => {
    const github = await inspect(`ghp_${'A1b2C3d4E5'.repeat(3)}123456`);
    expect(github).toMatchObject({ verdict: 'opaque', opaque: { provider: expect.stringMatching(/GitHub/) } });
    for (const [garbage, reason] of [
      ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0=.c2ln', /padding/],
      ['e30.e30', /2 parts/],
      [`${b64('{"alg":')}.${b64({})}.sig`, /not valid JSON/],
      [`${b64('[1,2]')}.${b64({})}.sig`, /not an object/],
    ] as const) {
      const result = await inspect(garbage);
      expect(result.verdict).toBe('unparseable');
      expect(result.summary).toMatch(reason);
    }
  });

  it('reads a dotted token that begins with no JOSE header as opaque, and a broken JWT as unparseable', async () => {
    // A Google token too short for Google's format, Discord's three-part bot token, four parts of words.
    for (const token of [`ya29.${'a1B2'.repeat(5)}`, 'MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs', 'abcd.efgh.ijkl.mnop1234']) {
      const result = await inspect(token);
      expect(result).toMatchObject({ verdict: 'opaque', kind: 'opaque', opaque: { provider: 'unknown' } });
      expect(result.findings).toEqual([expect.objectContaining({ code: 'OPAQUE_TOKEN', message: expect.stringContaining('the first is no JOSE header') })]);
    }
    // What begins as a JOSE header is a JWT, however broken, even with whitespace before the brace or in base64's other alphabet.
    const header = (text: string, encoding: 'base64' | 'base64url' = 'base64url') => Buffer.from(text).toString(encoding);
    for (const [token, reason] of [
      [`${header('{"alg":"none"}')}.${header('{"sub":"ana"}')}`, /2 parts/],
      [header('{"alg":"HS256","typ":"JWT"}'), /no dots/],
      [`${header(' \n{"alg":"none"}')}.${header('{"sub":"ana"}')}`, /2 parts/],
      [`${header('{}')}.${header('{"sub":"ana"}')}.${header('{}')}.x`, /4 parts/],
      [`${header('{"alg":"HS256","kid":"??>"}', 'base64')}.${header('{"sub":"ana"}')}.c2ln`, /not base64url: it contains "[+/]"/],
    ] as const) {
      const result = await inspect(token);
      expect(result.verdict, token).toBe('unparseable');
      expect(result.summary).toMatch(reason);
    }
    // A token that opens with a JOSE header and parses is read as a JWT with its findings, not taken for opaque.
    const spaced = await inspect(`${header(' {"alg":"none"}')}.${header(JSON.stringify(claims()))}.`);
    expect(spaced.verdict).toBe('invalid');
    expect(codes(spaced)).toContain('ALG_NONE');
  });

  it('names token formats applications sign themselves, PASETO and itsdangerous, rather than calling them broken JWTs', async () => {
    const paseto = 'v4.public.eyJkYXRhIjoidGhpcyBpcyBhIHNpZ25lZCBtZXNzYWdlIiwiZXhwIjoiMjAyMi0wMS0wMVQwMDowMDowMCswMDowMCJ9v3Jt8mx_TdM2ceTGoqwrh4yDFn0XsHvvV_D0DtwQxVrJEBMl0F2caAdgnpKlt4p7xBnx1HcO-SPo8FPp214HDw.eyJraWQiOiJ6VmhNaVBCUDlmUmYyc25FY1Q3Z0ZUaW9lQTlDT2NOeTlEZmdMMVc2MGhhTiJ9';
    const local = `v4.local.${randomBytes(80).toString('base64url')}`;
    // Flask's session cookie: JSON data, a 4-byte timestamp, an HMAC-SHA1; compressed, it begins with a dot; SHA-256 if so configured.
    const stamp = Buffer.from([0x69, 0x1e, 0x2a, 0x40]).toString('base64url');
    const flask = `${b64({ user_id: 42, _fresh: true })}.${stamp}.${randomBytes(20).toString('base64url')}`;
    const compressed = `.eJyrVkrLz1eyUkpKLFKqBQAeXwRg.${stamp}.${randomBytes(20).toString('base64url')}`;
    const sha256 = `${b64({ csrf_token: 'a1b2' })}.${stamp}.${randomBytes(32).toString('base64url')}`;
    for (const [token, provider, format] of [
      [paseto, 'PASETO', 'signed token (public purpose)'],
      [local, 'PASETO', 'encrypted token (local purpose)'],
      [flask, 'itsdangerous', 'timestamp-signed value, as Flask keeps its session cookie'],
      [compressed, 'itsdangerous', 'timestamp-signed value, as Flask keeps its session cookie'],
      [sha256, 'itsdangerous', 'timestamp-signed value, as Flask keeps its session cookie'],
    ] as const) {
      const result = await inspect(token);
      expect(result, token.slice(0, 24)).toMatchObject({ verdict: 'opaque', kind: 'opaque', opaque: { provider, format } });
      expect(result.summary).toBe(`${provider}: ${format}. Not a JWT, and a format CredOps does not verify: the finding says who can.`);
    }
    // Named by the inspector only: the leak finder looks for providers' credentials, by their formats.
    expect([paseto, flask].map((token) => classifyOpaqueToken(token))).toEqual([null, null]);
    expect(finding(await inspect(flask), 'OPAQUE_TOKEN')?.message).toMatch(/readable by anyone who holds it\. Whoever knows the application's SECRET_KEY can forge any session/);
    // A JWT whose payload happens to be 6 characters is still a broken JWT, not a Flask session: its signature is no SHA-1 or SHA-256 HMAC's length.
    expect((await inspect(`${b64({ alg: 'HS256' })}.${stamp}.${randomBytes(48).toString('base64url')}`)).verdict).toBe('unparseable');
    // Nor is one whose header has an alg, whatever the lengths: a JWS with a payload that is no JSON.
    expect((await inspect(`${b64({ alg: 'none' })}.${stamp}.${randomBytes(20).toString('base64url')}`)).summary).toMatch(/^Not a JWT: /);
  });

  it('says a JWT cut at the front when copied is one, rather than an opaque token', async () => {
    const jwt = await signed();
    for (const lost of [1, 2, 3]) {
      const result = await inspect(jwt.slice(lost));
      expect(result).toMatchObject({ verdict: 'unparseable', kind: 'unknown', summary: `A JWT missing its first ${lost === 1 ? 'character' : `${lost} characters`}: copy it again whole.` });
      expect(finding(result, 'MALFORMED')?.message).toBe(`Put back "${jwt.slice(0, lost)}" before it, and its first part is a JOSE header: the token was cut at the front when it was copied. Copy it again whole.`);
    }
    // Four lost is a quarter of base64's alignment gone: no header is put back, and what is left is opaque.
    expect((await inspect(jwt.slice(4))).verdict).toBe('opaque');
  });

  it('never takes for opaque a token some JWT library reads, and names the encodings verifiers disagree on', async () => {
    const payload = b64(claims());
    const none = (headerBytes: Buffer) => `${headerBytes.toString('base64url')}.${payload}.`;
    const alg = '{"alg":"none","typ":"JWT"}';
    // A byte-order mark: jose's TextDecoder strips it and reads the header.
    const bom = await inspect(none(Buffer.from(`\uFEFF${alg}`)));
    expect(bom.verdict).toBe('unparseable');
    expect(bom.summary).toMatch(/header begins with a byte-order mark \(U\+FEFF\).*jose's.*Reject it\.$/);
    // UTF-16 and UTF-32, with or without their marks: Python's json reads them.
    for (const bytes of [Buffer.from(alg, 'utf16le'), Buffer.from(`\uFEFF${alg}`, 'utf16le'), Buffer.from(alg, 'utf16le').swap16(), Buffer.from([...alg].flatMap((c) => [c.charCodeAt(0), 0, 0, 0]))]) {
      const result = await inspect(none(bytes));
      expect(result.verdict, bytes.toString('hex', 0, 8)).toBe('unparseable');
      expect(result.summary).toMatch(/UTF-16 or UTF-32, not the UTF-8 JOSE requires/);
    }
    // Dialects lenient parsers read (Newtonsoft, lenient Gson): single quotes, bare names, comments, other whitespace.
    for (const text of ["{'alg':'none'}", '{alg:"none"}', '/**/{"alg":"none"}', '\f{"alg":"none"}', '\u00a0{"alg":"none"}', ")]}'\n{\"alg\":\"none\"}"]) {
      expect((await inspect(none(Buffer.from(text)))).verdict, text).toBe('unparseable');
    }
    // A zero byte inside UTF-8 JSON is no wide encoding: no parser reads that header.
    const nul = await inspect(none(Buffer.from('{"alg":"HS256","kid":"a\u0000b"}')));
    expect(nul.summary).toMatch(/header is not valid JSON\.$/);
    // A character a lenient decoder skips inside the token: a JWT with the reason it cannot be read.
    const jwt = await signed();
    const skipped = await inspect(`e=${jwt.slice(1)}`);
    expect(skipped.verdict).toBe('unparseable');
    expect(skipped.summary).toMatch(/padding \(=\)/);
    // A label left before it is no part of it: the JWT is read, and the answer says the paste held more.
    for (const [paste, name] of [
      [`=${jwt}`, null],
      [`x-access-token:${jwt}`, 'x-access-token'],
      [`id_token=${jwt}`, 'id_token'],
      [`Cookie: session=${jwt}`, 'session'],
    ] as const) {
      const result = await inspect(paste);
      expect(result.verdict, paste.slice(0, 20)).toBe('unverifiable');
      expect(result.inPaste).toEqual({ names: [name], picked: 0, more: false });
      expect(codes(result)).toContain('TOKEN_IN_PASTE');
    }
  });

  it('reads a token after an Authorization header with the JWT scheme, another scheme, or none', async () => {
    const jwt = await signed();
    // Any other scheme word before a JWT is dropped too, rather than glued to it when lines are joined.
    for (const paste of [`Authorization: JWT ${jwt}`, `JWT ${jwt}`, `Authorization: ${jwt}`, `authorization:\n  ${jwt}`, `Authorization: OAuth ${jwt}`, `ApiKey ${jwt}`, `access_token\t${jwt}`]) {
      expect((await inspect(paste, { kind: 'pem', pem: rsaPem })).verdict, paste.slice(0, 20)).toBe('valid');
    }
    // A JWT wrapped at a line break is joined, not cut: its first line begins as a JOSE header does.
    expect((await inspect(`${jwt.slice(0, 12)}\n${jwt.slice(12)}`, { kind: 'pem', pem: rsaPem })).verdict).toBe('valid');
  });

  it('reports invisible and look-alike characters instead of dropping them', async () => {
    const token = await signed();
    const result = await inspect(token.slice(0, 20) + '\u200b' + token.slice(20));
    expect(result.verdict).toBe('unparseable');
    expect(result.summary).toContain('U+200B');
  });

  it('refuses JSON nested deeper than any token', async () => {
    const deep = handMade({ alg: 'HS256' }, '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), hs256('x'));
    const result = await inspect(deep);
    expect(result.verdict).toBe('unparseable');
    expect(result.summary).toMatch(/deeper than 32/);
  });

  it('uses a private key given by mistake as its public half', async () => {
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect((await inspect(await signed(), { kind: 'pem', pem })).verdict).toBe('valid');
    expect(createPrivateKey(pem).type).toBe('private');
  });
});

describe('pastes that are not what they seem', () => {
  it('reads a token whose Bearer prefix ends a line, as e-mail wraps a header', async () => {
    const token = await signed();
    for (const paste of [`Authorization: Bearer\n${token}`, `Authorization: Bearer\r\n    ${token}`, `Authorization:\n  Bearer ${token}`]) {
      expect((await inspect(paste, { kind: 'pem', pem: rsaPem })).verdict).toBe('valid');
    }
  });

  it('recognises a private key whose comment or header lines hold dots', async () => {
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
    for (const paste of [`# deploy key for ci.example.com\n${pem}`, `# for ci.example.com (a.b)\n${pem}`]) {
      const result = await inspect(paste);
      expect(result).toMatchObject({ verdict: 'opaque', opaque: { format: 'RSA private key (PKCS #1 PEM)' } });
      // A key is not valid or invalid: whoever holds it can use it.
      expect(result.summary).toBe('Private key: RSA private key (PKCS #1 PEM). A key, not a token: whoever holds it can use it until it is rotated.');
      expect(result.findings).toEqual([expect.objectContaining({ code: 'OPAQUE_TOKEN', severity: 'high' })]);
    }
  });

  it('recognises GitHub\'s stateless installation tokens, which hold two dots', async () => {
    const ghs = `ghs_987654_${await signed()}`;
    expect(await inspect(ghs)).toMatchObject({ verdict: 'opaque', opaque: { provider: 'GitHub', format: 'GitHub App installation access token (stateless format)' } });
  });

  it('says a documentation example is one, rather than asking to revoke it, however it is pasted', async () => {
    for (const paste of ['AKIAIOSFODNN7EXAMPLE', 'Bearer "AKIAIOSFODNN7EXAMPLE"']) {
      const result = await inspect(paste);
      expect(result.verdict).toBe('opaque');
      expect(result.summary).toBe("AWS: AWS access key ID, but this one is the example printed in AWS's documentation, not anyone's credential.");
      expect(result.findings).toEqual([expect.objectContaining({ code: 'OPAQUE_TOKEN', severity: 'info' })]);
    }
    // jwt.io's sample is read as the JWT it is, with the weak secret it was signed with.
    expect(codes(await inspect('"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"'))).toContain('WEAK_HMAC_SECRET');
  });

  it('calls a webhook URL a URL, and a passphrase-protected key one', async () => {
    const webhook = await inspect('https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijABCDEFGHIJ1234');
    expect(webhook.summary).toBe('Slack: Slack incoming webhook URL. It is not a JWT, so only its issuer can say whether it is valid.');
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'correct horse' }).toString();
    expect((await inspect(pem)).summary).toBe('Private key: Encrypted private key (PKCS #8 PEM), passphrase-protected. A key, not a token: whoever holds it can try passphrases offline until it is rotated.');
  });

  it('places a strange character where it is in the paste, and names a whole emoji', async () => {
    const token = await signed();
    const result = await inspect(`Authorization: Bearer ${token.slice(0, 41)}\u200b${token.slice(41)}`);
    // "Authorization: Bearer " is 22 characters, then 41 of the token: the 64th character.
    expect(result.summary).toContain('U+200B at character 64');
    expect((await inspect(`${token.slice(0, 41)}\u{1F600}${token.slice(41)}`)).summary).toContain('U+1F600 at character 42');
    // After the token, a symbol sets it off rather than breaking it: the token is read, and said to be from the paste.
    expect((await inspect(`${token}\u{1F600}`)).inPaste).toEqual({ names: [null], picked: 0, more: false });
  });

  it.each([
    ['8 MB of dots', () => '.'.repeat(8 * 1024 * 1024), /more than 5 parts separated by dots/],
    ['8 MB of quotes', () => '"'.repeat(8 * 1024 * 1024), /no dots, so not a JWT/],
    ['8 MB of a Bearer prefix again and again', () => 'Authorization: Bearer '.repeat(380_000), /MB with spaces or line breaks inside: far larger than any token/],
    ['8 MB of short lines', () => 'x\n'.repeat(4 * 1024 * 1024), /MB with spaces or line breaks inside/],
  ])('answers %s as not a token, without joining or splitting it all', async (_name, paste, reason) => {
    const result = await inspect(paste());
    expect(result.verdict).toBe('unparseable');
    expect(result.summary).toMatch(reason);
  });
});

describe('what review found', () => {
  it('does not take one pasted key set for another that differs only in a lone surrogate', async () => {
    // As UTF-8 both kids read U+FFFD; the cache of pasted keys must still keep them apart. The
    // header escapes its kid, as raw U+FFFD in a header is refused as not UTF-8.
    const input = `${b64('{"alg":"RS256","kid":"\\ufffd"}')}.${b64(claims())}`;
    const token = `${input}.${rs256()(input).toString('base64url')}`;
    const escaped = await jwks({ key: rsa.publicKey, kid: '\uD800' });
    // JSON.stringify escapes a lone surrogate; a paste can hold it raw.
    const lone = { ...escaped, jwks: (escaped as { jwks: string }).jwks.replace('\\ud800', '\uD800') } as KeySource;
    const replacement = await jwks({ key: rsa.publicKey, kid: '\uFFFD' });
    expect(codes(await inspect(token, lone))).toContain('KID_UNKNOWN');
    expect((await inspect(token, replacement)).verdict).toBe('valid');
  });

  it('verifies with the key given each time, however the remembered keys come and go', async () => {
    const token = await signed();
    const right = await jwks({ key: rsa.publicKey, kid: 'k1' });
    const wrong = await jwks({ key: other.publicKey, kid: 'k1' });
    const secrets = Array.from({ length: 20 }, (_, i): KeySource => ({ kind: 'hmac', secret: `secret-${i}`, encoding: 'text' }));
    const verdicts: string[] = [];
    for (const key of [right, wrong, right, right, ...secrets, wrong, right, wrong]) verdicts.push((await inspect(token, key)).verdict);
    expect(verdicts).toEqual(['valid', 'invalid', 'valid', 'valid', ...secrets.map(() => 'unverifiable'), 'invalid', 'valid', 'invalid']);
  });

  it('treats an algorithm named like a built-in property as no algorithm, and does not throw', async () => {
    const result = await inspect(handMade({ alg: 'toString', kid: 'k1' }, claims(), rs256()), await jwks({ key: rsa.publicKey, kid: 'k1' }));
    expect(result.verdict).toBe('invalid');
    expect(result.findings.find((f) => f.code === 'ALG_UNKNOWN')?.message).toMatch(/"toString", which is no registered JWS algorithm/);
    expect(result.findings.find((f) => f.code === 'NOT_VERIFIED')?.message).toMatch(/cannot check "toString"/);
  });

  it('does not call a valid envelope valid when the token inside is unsecured, expired or for another tenant', async () => {
    const inner = handMade({ alg: 'none' }, claims({ exp: now - 3600, tenant_id: 'globex' }));
    const outer = handMade({ alg: 'RS256', cty: 'JWT' }, inner, rs256());
    const result = await inspect(outer, { kind: 'pem', pem: rsaPem }, { claimEquals: [{ claim: 'tenant_id', value: 'acme' }] });
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toEqual(expect.arrayContaining(['NESTED_TOKEN', 'ALG_NONE', 'EXPIRED', 'CLAIM_MISMATCH']));
  });

  it('calls a JWE anyone with the public key could make unverifiable, one with a shared key valid', async () => {
    const recipient = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const payload = new TextEncoder().encode(JSON.stringify(claims({ iss: 'https://evil.example' })));
    const rsaJwe = await new CompactEncrypt(payload).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }).encrypt(recipient.publicKey);
    const opened = await inspect(rsaJwe, { kind: 'pem', pem: recipient.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
    expect(opened.verdict).toBe('unverifiable');
    expect(opened.claims.find((c) => c.name === 'iss')?.value).toBe('"https://evil.example"');
    expect((await inspect(rsaJwe, { kind: 'pem', pem: recipient.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() }, { issuer: 'https://auth.example.com' })).verdict).toBe('invalid');
    const secret = randomBytes(32);
    const dirJwe = await new CompactEncrypt(payload).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(secret);
    expect((await inspect(dirJwe, { kind: 'hmac', secret: secret.toString('base64'), encoding: 'base64' })).verdict).toBe('valid');
  });

  it('never quotes a pasted key in a message', async () => {
    const jwe = await new CompactEncrypt(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(randomBytes(32));
    const result = await inspect(jwe, { kind: 'jwk', jwk: 'Sup3rS3cretValue' });
    expect(JSON.stringify(result)).not.toContain('Sup3r');
  });

  it('finds a weak or short secret given as an oct JWK', async () => {
    const weak = handMade({ alg: 'HS256' }, claims(), hs256('secret'));
    const result = await inspect(weak, { kind: 'jwk', jwk: JSON.stringify({ kty: 'oct', k: Buffer.from('secret').toString('base64url') }) });
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toEqual(expect.arrayContaining(['WEAK_HMAC_SECRET', 'SHORT_HMAC_SECRET']));
  });

  it('catches key confusion behind the kid of a public key in a set that also holds a secret', async () => {
    const forged = handMade({ alg: 'HS256', kid: 'rsa-1' }, claims(), hs256(rsaPem));
    const set = { kind: 'jwks' as const, jwks: JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1' }, { kty: 'oct', k: randomBytes(32).toString('base64url'), kid: 'hmac-1' }] }) };
    const result = await inspect(forged, set);
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('KEY_CONFUSION');
    // An RS256 token whose kid names an EC key claims an algorithm its key cannot have made.
    const mismatched = await signed({}, { kid: 'ec-1' });
    expect(codes(await inspect(mismatched, await jwks({ key: ec.publicKey, kid: 'ec-1' })))).toContain('KEY_CONFUSION');
  });

  it('does not verify with a key published for encryption', async () => {
    const set = { kind: 'jwks' as const, jwks: JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k1', use: 'enc' }] }) };
    expect((await inspect(await signed(), set)).verdict).toBe('invalid');
  });

  it('calls a secret marked for encryption unusable, not key confusion, and verifies with a private key marked "sign"', async () => {
    const token = handMade({ alg: 'HS256' }, claims(), hs256(hmacSecret));
    for (const marks of [{ use: 'enc' }, { key_ops: ['encrypt'] }]) {
      const result = await inspect(token, { kind: 'jwk', jwk: JSON.stringify({ kty: 'oct', k: hmacSecret.toString('base64url'), ...marks }) });
      expect(result.verdict).toBe('unverifiable');
      expect(codes(result)).toEqual(['NOT_VERIFIED']);
      expect(result.findings[0].message).toContain('marked for encryption');
    }
    const signing = { kind: 'jwks' as const, jwks: JSON.stringify({ keys: [{ ...rsa.privateKey.export({ format: 'jwk' }), kid: 'k1', key_ops: ['sign'] }] }) };
    expect((await inspect(await signed(), signing)).verdict).toBe('valid');
  });

  it('refuses a claim named twice, since parsers disagree on which counts', async () => {
    const input = `${b64({ alg: 'RS256' })}.${Buffer.from('{"iss":"https://evil","iss":"https://auth.example.com","exp":9999999999}').toString('base64url')}`;
    const token = `${input}.${rs256()(input).toString('base64url')}`;
    const result = await inspect(token, { kind: 'pem', pem: rsaPem }, { issuer: 'https://auth.example.com' });
    expect(result.verdict).toBe('unparseable');
    expect(result.summary).toContain('"iss" twice');
  });

  it('compares claims as a responder means them, and never by inherited names', async () => {
    // A number past 2^53, as a token from another system carries it (JSON.parse rounds it).
    const token = await signed({ tenant_id: '123', org: Number('12345678901234567891'), scope: ['read', 'admin'] });
    const key = { kind: 'pem' as const, pem: rsaPem };
    expect((await inspect(token, key, { claimEquals: [{ claim: 'tenant_id', value: '123' }] })).verdict).toBe('valid');
    expect(codes(await inspect(token, key, { claimEquals: [{ claim: 'org', value: '12345678901234567890' }] }))).toContain('CLAIM_MISMATCH');
    expect(codes(await inspect(token, key, { requiredClaims: ['constructor', 'toString'] }))).toEqual(['CLAIM_MISSING', 'CLAIM_MISSING', 'IMPRECISE_NUMBER']);
    expect((await inspect(token, key, { requiredScopes: ['admin'] })).verdict).toBe('valid');
  });

  it('compares objects regardless of member order, and reads scopes from scope and scp together', async () => {
    const token = await signed({ org: { region: 'eu', id: 7 }, scope: 'openid', scp: ['orders:read'] });
    const key = { kind: 'pem' as const, pem: rsaPem };
    expect((await inspect(token, key, { claimEquals: [{ claim: 'org', value: '{"id": 7, "region": "eu"}' }] })).verdict).toBe('valid');
    expect(codes(await inspect(token, key, { claimEquals: [{ claim: 'org', value: '{"id": 8, "region": "eu"}' }] }))).toEqual(['CLAIM_MISMATCH']);
    expect((await inspect(token, key, { requiredScopes: ['openid', 'orders:read'] })).verdict).toBe('valid');
    expect(codes(await inspect(token, key, { requiredScopes: ['orders:write'] }))).toEqual(['SCOPE_MISSING']);
  });

  it('calls out an RSA key under 2048 bits', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    // jose refuses to sign with it; an issuer with an old key does not.
    const token = handMade({ alg: 'RS256' }, claims(), rs256(small.privateKey));
    const result = await inspect(token, { kind: 'pem', pem: small.publicKey.export({ format: 'pem', type: 'spki' }).toString() });
    expect(result.signature.verified).toBe(true);
    expect(codes(result)).toEqual(['KEY_TOO_SMALL']);
  });

  it('keeps long values comparable after cutting them for the screen', async () => {
    const [a, b] = await Promise.all([signed({ blob: `${'x'.repeat(5000)}a` }), signed({ blob: `${'x'.repeat(5000)}b` })]);
    const [first, second] = await Promise.all([inspect(a), inspect(b)]);
    const blob = (i: Inspection) => i.claims.find((c) => c.name === 'blob')!;
    expect(blob(first).value).toBe(blob(second).value);
    expect(blob(first).digest).not.toBe(blob(second).digest);
    expect(first.claims.find((c) => c.name === 'sub')?.digest).toBeNull();
  });

  it('recognises a pasted private key as a key, and reports a no-break space', async () => {
    const pem = rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const key = await inspect(`my key:\n${pem}`);
    expect(key.verdict).toBe('opaque');
    expect(key.findings[0].severity).toBe('high');
    const token = await signed();
    expect((await inspect(`${token.slice(0, 30)}\u00a0${token.slice(30)}`)).summary).toContain('U+00A0');
  });
});
