/**
 * A DPoP proof and the access token it comes with, paired as a resource server pairs them
 * (RFC 9449 §4.3, §6.1, §7.1): the proof's "ath" is the token's SHA-256, and the token's
 * "cnf"."jkt" is the thumbprint of the key the proof carries.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { dpopBinding } from '../../../electron/core/tokens/dpop-binding';
import { claims, handMade, hmacWith, now } from '../../support/hand-made-tokens';

const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const thief = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const thumbprint = async (key: KeyObject) => calculateJwkThumbprint(await exportJWK(key));
const athOf = (token: string) => createHash('sha256').update(token).digest('base64url');

/** An access token from the issuer, bound to `jkt` when given. */
const accessToken = (jkt?: string) => handMade({ alg: 'HS256', typ: 'at+jwt' }, claims(jkt ? { cnf: { jkt } } : {}), hmacWith('issuer secret'));

/** A proof by `key`, naming `token` in ath when given. */
async function proofFor(token: string | null, key = client) {
  const payload = { jti: 'j-1', htm: 'GET', htu: 'https://api.example.com/orders', iat: now, ...(token !== null ? { ath: athOf(token) } : {}) };
  return handMade({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) }, payload, (input) => sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' }));
}

describe('a DPoP proof paired with its access token', () => {
  it('is bound when the proof names the token and the token names the proof\'s key', async () => {
    const token = accessToken(await thumbprint(client.publicKey));
    expect(dpopBinding(await proofFor(token), token)).toEqual({
      verdict: 'bound',
      ath: 'matches',
      jkt: 'matches',
      proofThumbprint: await thumbprint(client.publicKey),
      tokenThumbprint: await thumbprint(client.publicKey),
      summary: expect.stringMatching(/^Bound: /),
    });
  });

  it('is not bound when a stolen token comes with a proof by another key', async () => {
    const token = accessToken(await thumbprint(client.publicKey));
    const binding = dpopBinding(await proofFor(token, thief), token);
    expect(binding).toMatchObject({ verdict: 'not_bound', ath: 'matches', jkt: 'differs' });
    expect(binding?.summary).toBe(
      `Not bound: the access token is bound to the key with thumbprint ${await thumbprint(client.publicKey)}, and the proof carries ${await thumbprint(thief.publicKey)}. A server refuses the pair (RFC 9449 §7.1): the token is used with a key that is not its client's, as a thief's would be.`,
    );
  });

  it('is not bound when the proof was made for another token', async () => {
    const jkt = await thumbprint(client.publicKey);
    const binding = dpopBinding(await proofFor(accessToken(jkt)), handMade({ alg: 'HS256', typ: 'at+jwt' }, claims({ cnf: { jkt }, sub: 'someone-else' }), hmacWith('issuer secret')));
    expect(binding).toMatchObject({ verdict: 'not_bound', ath: 'differs', jkt: 'matches', summary: expect.stringContaining('made for another access token') });
  });

  it('says a proof without "ath" is for the token endpoint only', async () => {
    const token = accessToken(await thumbprint(client.publicKey));
    expect(dpopBinding(await proofFor(null), token)).toMatchObject({ verdict: 'not_bound', ath: 'absent', jkt: 'matches', summary: expect.stringContaining('a resource server refuses it') });
  });

  it('says a token bound to no key is a bearer token, whatever the proof', async () => {
    const token = accessToken();
    expect(dpopBinding(await proofFor(token), token)).toMatchObject({ verdict: 'not_bound', ath: 'matches', jkt: 'absent', tokenThumbprint: null, summary: expect.stringContaining('a bearer token') });
  });

  it('leaves an opaque token\'s binding to its issuer, and still checks "ath" against it', async () => {
    const opaque = 'Sy2lO5KhzjKaNq1-yEfwb5AfJ4LcQ3YqC0fG1vXsZ8';
    expect(dpopBinding(await proofFor(opaque), opaque)).toMatchObject({ verdict: 'unknown', ath: 'matches', jkt: 'not-read', summary: expect.stringContaining('by introspection (RFC 9449 §6.2)') });
  });

  it('reads both as the headers that carry them were pasted', async () => {
    const token = accessToken(await thumbprint(client.publicKey));
    expect(dpopBinding(`DPoP: ${await proofFor(token)}`, `Authorization: DPoP ${token}`)?.verdict).toBe('bound');
  });

  it('answers null when the first is no proof, and never throws on garbage', async () => {
    const token = accessToken(await thumbprint(client.publicKey));
    expect(dpopBinding(token, token)).toBeNull();
    expect(dpopBinding('not a token', token)).toBeNull();
    const proof = await proofFor(token);
    for (const garbage of ['', '...', 'x'.repeat(5_000_000), `${'e'.repeat(100)}.${'!'.repeat(10)}.x`, '\u202eeyJ']) {
      expect(() => dpopBinding(proof, garbage)).not.toThrow();
      expect(dpopBinding(proof, garbage)).toMatchObject({ verdict: 'not_bound', ath: 'differs' });
    }
  });
});
