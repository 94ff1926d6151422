/**
 * DPoP proofs (RFC 9449) checked as the server they are sent to checks them (§4.3): with the key
 * they carry, never a shared secret, with the members a proof must have, made moments ago. The
 * carried key can refuse a proof, never make it valid: only the client's key given does.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { DPOP_WINDOW_S } from '../../../electron/core/tokens/dpop';
import { NOW, codes, finding, handMade, hmacWith, inspect, inspectAt, now } from '../../support/hand-made-tokens';

const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const claims = (extra: Record<string, unknown> = {}) => ({ jti: 'e1j3V_bKic8-LAEB', htm: 'POST', htu: 'https://api.example.com/orders', iat: now - 2, ...extra });
const es256 = (privateKey: KeyObject) => (input: string) => sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });

const pem = (key: KeyObject) => ({ kind: 'pem', pem: key.export({ format: 'pem', type: 'spki' }).toString() }) as const;
/** The client's public key, given as the user would to say whose proof it should be. */
const clientKey = pem(client.publicKey);

/** A proof whose header carries `jwk` and is signed by `signer` (by default the client's own key). */
async function proof(payload: Record<string, unknown> = claims(), header: Record<string, unknown> = {}, signer = es256(client.privateKey)): Promise<string> {
  return handMade({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(client.publicKey), ...header }, payload, signer);
}

describe('a DPoP proof checked with the key it carries', () => {
  it('is only unverifiable without the client\'s key, though its own key verifies it: anyone can sign with a key of their own', async () => {
    const result = await inspect(await proof());
    expect(result).toMatchObject({ verdict: 'unverifiable', kind: 'dpop_proof', signature: { alg: 'ES256', verified: true } });
    const jkt = await calculateJwkThumbprint((await exportJWK(client.publicKey)) as JWK);
    expect(result.signature.key).toBe(`the key the proof carries (EC, thumbprint ${jkt})`);
    expect(result.summary).toBe(`A DPoP proof signed by the key the proof carries (EC, thumbprint ${jkt}), which shows only that its sender holds that key. Give the client's public key to check the proof is theirs, or compare the thumbprint with the access token's "cnf"."jkt".`);
    // Its own key and its lack of "exp" are its design; the only finding says what the check shows.
    expect(result.findings).toHaveLength(1);
    expect(finding(result, 'JWK_EMBEDDED')).toMatchObject({ severity: 'info', message: expect.stringContaining('"cnf"."jkt"') });
  });

  it('is valid with the client\'s key given, when that is the key it carries', async () => {
    const result = await inspect(await proof(), clientKey);
    expect(result).toMatchObject({ verdict: 'valid', signature: { verified: true } });
    expect(result.summary).toBe('Valid DPoP proof: signed by the key you gave, which it carries, and every check passes.');
    expect(result.signature.key).toBe(`the key you gave, which the proof carries (EC, thumbprint ${await calculateJwkThumbprint((await exportJWK(client.publicKey)) as JWK)})`);
    expect(codes(result)).toEqual(['JWK_EMBEDDED']);
  });

  it('is not made valid by claims its sender wrote, whatever the policy they meet', async () => {
    const attacker = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forged = handMade(
      { alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(attacker.publicKey) },
      claims({ iss: 'https://auth.example.com', aud: 'api', sub: 'admin', scope: 'admin', exp: now + 600 }),
      es256(attacker.privateKey),
    );
    const result = await inspect(forged, null, { issuer: 'https://auth.example.com', audiences: ['api'], requiredScopes: ['admin'] });
    expect(result.verdict).toBe('unverifiable');
    expect((await inspect(forged, clientKey)).verdict).toBe('invalid');
  });

  it('names the key by the thumbprint of its members as sent, which is what the server bound "cnf"."jkt" to', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = await exportJWK(rsa.publicKey);
    // A stray leading zero on the modulus: the same key, another thumbprint.
    const sent = { ...jwk, n: Buffer.concat([Buffer.alloc(1), Buffer.from(jwk.n!, 'base64url')]).toString('base64url') };
    const token = handMade({ alg: 'RS256', typ: 'dpop+jwt', jwk: sent }, claims(), (input) => sign('sha256', Buffer.from(input), rsa.privateKey));
    const result = await inspect(token);
    expect(result.signature).toMatchObject({ verified: true, key: `the key the proof carries (RSA, thumbprint ${await calculateJwkThumbprint(sent as JWK)})` });
    expect(await calculateJwkThumbprint(sent as JWK)).not.toBe(await calculateJwkThumbprint(jwk));
  });

  it('is invalid when another key signed it than the one it carries', async () => {
    const result = await inspect(await proof(claims(), {}, es256(stranger.privateKey)));
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'SIGNATURE_INVALID')?.message).toContain('does not verify with the key the proof carries');
  });

  it('is invalid when its claims were changed after signing', async () => {
    const [header, , signature] = (await proof()).split('.');
    const altered = `${header}.${Buffer.from(JSON.stringify(claims({ htm: 'DELETE' }))).toString('base64url')}.${signature}`;
    expect(codes(await inspect(altered))).toContain('SIGNATURE_INVALID');
  });

  it('refuses a proof made with a shared secret, which proves nothing about its sender', async () => {
    const result = await inspect(handMade({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: 'c2VjcmV0' } }, claims(), hmacWith('secret')));
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'ALG_NOT_ALLOWED')?.message).toContain('must be signed with a private key (RFC 9449 §4.3)');
  });

  it('refuses an unsecured proof', async () => {
    const result = await inspect(handMade({ alg: 'none', typ: 'dpop+jwt', jwk: await exportJWK(client.publicKey) }, claims()));
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('ALG_NONE');
  });

  it('refuses a proof that carries its private key, though it verifies', async () => {
    const result = await inspect(await proof(claims(), { jwk: await exportJWK(client.privateKey) }));
    expect(result.verdict).toBe('invalid');
    expect(result.signature.verified).toBe(true);
    expect(finding(result, 'KEY_FORGEABLE')).toMatchObject({ severity: 'critical', where: 'header.jwk', message: expect.stringContaining('("d")') });
  });

  it('refuses a proof whose algorithm its key cannot make', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const result = await inspect(await proof(claims(), { jwk: await exportJWK(rsa.publicKey) }));
    expect(finding(result, 'KEY_CONFUSION')?.message).toBe('The proof says ES256, but the key it carries is an RSA key, which cannot make ES256 signatures. Reject it.');
    const ed = generateKeyPairSync('ed25519');
    const edCarried = await inspect(await proof(claims(), { jwk: await exportJWK(ed.publicKey) }));
    expect(finding(edCarried, 'KEY_CONFUSION')?.message).toContain('the key it carries is an Ed25519 key');
  });

  it('refuses a proof carrying the Ed25519 identity key, under which a zero signature verifies anything', async () => {
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const forged = handMade({ alg: 'EdDSA', typ: 'dpop+jwt', jwk: { kty: 'OKP', crv: 'Ed25519', x: identity.toString('base64url') } }, claims(), () => Buffer.concat([identity, Buffer.alloc(32)]));
    const result = await inspect(forged);
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'KEY_FORGEABLE')?.where).toBe('header.jwk');
  });

  it('refuses a proof whose key is only a certificate chain, which has no members to take the thumbprint of', async () => {
    const result = await inspect(await proof(claims(), { jwk: { kty: 'RSA', x5c: ['MIIB'] } }));
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'MALFORMED')).toMatchObject({ where: 'header.jwk', message: expect.stringContaining('it lacks "e" and "n"') });
  });

  it('says a registered algorithm CredOps cannot check is not checked, rather than nothing', async () => {
    const result = await inspect(handMade({ alg: 'ML-DSA-44', typ: 'dpop+jwt', jwk: { kty: 'AKP', alg: 'ML-DSA-44', pub: 'AAAA' } }, claims(), () => Buffer.alloc(64, 1)));
    expect(result).toMatchObject({ verdict: 'unverifiable', summary: 'A DPoP proof whose signature CredOps cannot check: see the findings.' });
    expect(finding(result, 'NOT_VERIFIED')?.message).toBe('CredOps cannot check "ML-DSA-44" signatures, so the proof is not checked.');
  });

  it('names the curve when the key it carries is on another than the algorithm\'s', async () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
    const result = await inspect(await proof(claims(), { jwk: await exportJWK(k1.publicKey) }));
    expect(finding(result, 'KEY_CONFUSION')?.message).toContain('the key it carries is an EC key on secp256k1, which cannot make ES256 signatures');
  });

  it('speaks of the client\'s key, not an issuer\'s, when a proof\'s key is too small', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const token = handMade({ alg: 'RS256', typ: 'dpop+jwt', jwk: await exportJWK(small.publicKey) }, claims(), (input) => sign('sha256', Buffer.from(input), small.privateKey));
    const message = finding(await inspect(token), 'KEY_TOO_SMALL')?.message;
    expect(message).toContain("Replace the client's DPoP key.");
    expect(message).not.toContain('issuer');
  });

  it('refuses a proof whose key is no key', async () => {
    const result = await inspect(await proof(claims(), { jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' } }));
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'MALFORMED')).toMatchObject({ where: 'header.jwk', message: expect.stringContaining('so CredOps does not check the proof with it') });
  });
});

describe('what a proof must carry (RFC 9449 §4.2)', () => {
  it('holds a bearer token that only says it is a proof to a proof\'s rules, so its typ softens nothing', async () => {
    const result = await inspect(await proof({ sub: 'admin', scope: 'admin' }));
    expect(result.verdict).toBe('invalid');
    expect(result.findings.filter((f) => f.code === 'CLAIM_MISSING').map((f) => f.where)).toEqual(['payload.jti', 'payload.htm', 'payload.htu', 'payload.iat']);
  });

  it('needs the key that signed it in "jwk"', async () => {
    const result = await inspect(handMade({ alg: 'ES256', typ: 'dpop+jwt' }, claims(), es256(client.privateKey)));
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'CLAIM_MISSING')?.where).toBe('header.jwk');
  });

  it.each([
    ['"htm" that is no HTTP method', { htm: 'POST /orders' }, 'payload.htm'],
    ['"htm" that is not a string', { htm: 7 }, 'payload.htm'],
    ['"htu" that is no http URI', { htu: 'javascript:alert(1)' }, 'payload.htu'],
    ['an empty "jti"', { jti: '' }, 'payload.jti'],
    ['"ath" that is no SHA-256', { ath: 'abc' }, 'payload.ath'],
  ])('refuses %s', async (_what, extra, where) => {
    const result = await inspect(await proof(claims(extra)));
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'MALFORMED')?.where).toBe(where);
  });

  it('warns, without refusing, of an "htu" with a query, which a proof leaves out', async () => {
    const result = await inspect(await proof(claims({ htu: 'https://api.example.com/orders?id=7' })), clientKey);
    expect(result.verdict).toBe('valid');
    expect(finding(result, 'MALFORMED')).toMatchObject({ severity: 'low', where: 'payload.htu' });
  });

  it('accepts an "ath" that is a SHA-256 in base64url', async () => {
    expect((await inspect(await proof(claims({ ath: 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo' })), clientKey)).verdict).toBe('valid');
  });
});

describe('how long a proof is good for', () => {
  it('calls a proof made an hour ago replayed, and says the window', async () => {
    const result = await inspect(await proof(claims({ iat: now - 3600 })));
    expect(result.verdict).toBe('invalid');
    expect(finding(result, 'EXPIRED')).toMatchObject({ where: 'payload.iat', message: expect.stringContaining(`CredOps allows 5 min after its "iat" (RFC 9449 §11.1) and the 60 s clock tolerance`) });
  });

  it('accepts a proof past its window only within the clock tolerance, and says when to look again', async () => {
    const token = await proof(claims({ iat: now - DPOP_WINDOW_S - 10 }));
    const result = await inspect(token, clientKey);
    expect(result.verdict).toBe('valid');
    expect(result.summary).toContain('only within the clock tolerance');
    expect(result.recheckAtMs).toBe((now + 50) * 1000);
    expect((await inspectAt(NOW + 50_000, token, clientKey)).verdict).toBe('invalid');
  });

  it('asks to be looked at again when a fresh proof\'s window ends', async () => {
    expect((await inspect(await proof())).recheckAtMs).toBe((now - 2 + DPOP_WINDOW_S) * 1000);
  });

  it('still refuses a proof made in the future', async () => {
    expect(codes(await inspect(await proof(claims({ iat: now + 3600 }))))).toContain('ISSUED_IN_FUTURE');
  });
});

describe('a proof with a key given', () => {
  it('is invalid as the client\'s when it carries, and was signed by, another key than the one given', async () => {
    const result = await inspect(await proof(), pem(stranger.publicKey));
    // Its signature verified with the key it carries; it is just not the key given.
    expect(result).toMatchObject({ verdict: 'invalid', signature: { verified: true } });
    expect(finding(result, 'SIGNATURE_INVALID')).toMatchObject({ severity: 'high', message: expect.stringMatching(/^Signed by the key the proof carries \(EC, thumbprint [\w-]{43}\), which is not the key you gave/) });
  });

  it('is unverifiable, not forged, when the key given is a shared secret, which no proof is signed with', async () => {
    const result = await inspect(await proof(), { kind: 'hmac', secret: 'left over from the last token', encoding: 'text' });
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'NOT_VERIFIED')?.message).toContain('give the client\'s public key');
    expect(codes(result)).not.toContain('SIGNATURE_INVALID');
  });

  it('is unverifiable when the key given cannot be used, as any token is', async () => {
    const result = await inspect(await proof(), { kind: 'jwk', jwk: '{"kty":"EC"}' });
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'NOT_VERIFIED')?.message).toContain('whether the proof is the client\'s is not known');
  });
});

describe('the rules a verifier keeps for any key given, kept for a proof', () => {
  const jwks = async (...keys: Record<string, unknown>[]) => ({ kind: 'jwks', jwks: JSON.stringify({ keys }) }) as const;

  it('does not take a saved server\'s JWKS, the issuer\'s keys, for the client\'s', async () => {
    const result = await inspect(await proof(), { kind: 'server', serverId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' });
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'NOT_VERIFIED')?.message).toContain("holds the issuer's keys");
  });

  it('refuses the client\'s key marked for encryption, or pinned to another algorithm, as any verifier would', async () => {
    const own = await exportJWK(client.publicKey);
    for (const marked of [{ ...own, use: 'enc' }, { ...own, alg: 'RS256' }]) {
      const result = await inspect(await proof(), await jwks(marked));
      expect(result.verdict).toBe('invalid');
      expect(finding(result, 'ALG_NOT_ALLOWED')?.message).toMatch(/^The key you gave is the key the proof carries, but it is (marked for encryption|pinned to "RS256")/);
    }
  });

  it('does not call a proof another client\'s when the key set holds keys CredOps could not read', async () => {
    const others = await Promise.all(Array.from({ length: 100 }, async () => exportJWK(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)));
    const result = await inspect(await proof(), await jwks(...others, await exportJWK(client.publicKey)));
    expect(result.verdict).toBe('unverifiable');
    expect(finding(result, 'NOT_VERIFIED')?.message).toContain('one it could not read may be the client\'s (it is key 101 of 101');
  });

  it('names the key given by the thumbprint as sent, the one "cnf"."jkt" holds', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = await exportJWK(rsa.publicKey);
    const sent = { ...jwk, n: Buffer.concat([Buffer.alloc(1), Buffer.from(jwk.n!, 'base64url')]).toString('base64url') };
    const token = handMade({ alg: 'RS256', typ: 'dpop+jwt', jwk: sent }, claims(), (input) => sign('sha256', Buffer.from(input), rsa.privateKey));
    const result = await inspect(token, pem(rsa.publicKey));
    expect(result.verdict).toBe('valid');
    expect(result.signature.key).toBe(`the key you gave, which the proof carries (RSA, thumbprint ${await calculateJwkThumbprint(sent as JWK)})`);
  });
});

describe('words for a proof, which the client makes', () => {
  it('blames the client\'s clock, not an issuer\'s, for a proof made in the future', async () => {
    const message = finding(await inspect(await proof(claims({ iat: now + 3600 }))), 'ISSUED_IN_FUTURE')?.message;
    expect(message).toContain("the client's clock is wrong");
    expect(message).not.toContain('issuer');
    const within = finding(await inspect(await proof(claims({ iat: now + 20 }))), 'WITHIN_CLOCK_TOLERANCE')?.message;
    expect(within).toContain("the client's clock runs ahead of this one");
    const inMs = finding(await inspect(await proof(claims({ iat: now * 1000 }))), 'ISSUED_IN_FUTURE')?.message;
    expect(inMs).toContain("the client's code has a unit error");
    const backwards = await inspect(await proof(claims({ exp: now - 10 })));
    expect(backwards.findings.find((f) => f.where === 'payload.iat')?.message).toContain('no client makes that');
  });

  it('speaks of the key the proof carries, not a key given or published', async () => {
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const forged = handMade({ alg: 'EdDSA', typ: 'dpop+jwt', jwk: { kty: 'OKP', crv: 'Ed25519', x: identity.toString('base64url') } }, claims(), () => Buffer.concat([identity, Buffer.alloc(32)]));
    const message = finding(await inspect(forged), 'KEY_FORGEABLE')?.message;
    expect(message).toMatch(/^The Ed25519 key the proof carries is a point of small order/);
    expect(message).not.toMatch(/given|published/);
  });
});

describe('a proof pasted as sent', () => {
  it('reads the DPoP header line as RFC 9449 prints it', async () => {
    const token = await proof();
    for (const paste of [`DPoP: ${token}`, `dpop:\n  ${token}`]) expect((await inspect(paste, clientKey)).verdict).toBe('valid');
  });
});

describe('a proof inside another token', () => {
  it('is named as a proof, with the advice for one, not an issuer\'s key', async () => {
    const outer = handMade({ alg: 'HS256', typ: 'JWT' }, await proof(), hmacWith('outer secret'));
    const note = finding(await inspect(outer), 'NESTED_TOKEN');
    expect(note?.message).toContain("It is a DPoP proof, checked with the key it carries: inspect it on its own with the client's key");
    expect(note?.message).not.toContain("issuer's key");
  });
});
