/**
 * A DPoP proof and the access token it comes with, paired as a resource server pairs them
 * (RFC 9449 §4.3, §6.1, §7.1): the proof's "ath" is the token's SHA-256, the token's "cnf"."jkt"
 * is the thumbprint of the key the proof carries, and neither is refused on its own.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { dpopBinding as pair } from '../../../electron/core/tokens/dpop-binding';
import type { KeySource } from '../../../shared/tokens';
import { NOW, claims, handMade, hmacWith, inspect, now } from '../../support/hand-made-tokens';

const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const thief = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const thumbprint = async (key: KeyObject) => calculateJwkThumbprint(await exportJWK(key));
const athOf = (token: string) => createHash('sha256').update(token).digest('base64url');
const noVault = () => {
  throw new Error('no vault here');
};
const dpopBinding = (proof: string, accessToken: string, keys?: { proof: KeySource | null; accessToken: KeySource | null }) => pair(proof, accessToken, { nowMs: NOW, credentialSecret: noVault, serverJwks: noVault }, keys);

/** An access token from the issuer, with `cnf` when given. */
const accessToken = (cnf?: unknown, header: Record<string, unknown> = { alg: 'HS256', typ: 'at+jwt' }) => handMade(header, claims(cnf !== undefined ? { cnf } : {}), hmacWith('issuer secret'));
const es256 = (key: KeyObject) => (input: string) => sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });

/** A proof by `key` (carrying its public half), naming `token` in ath when given. */
async function proofFor(token: string | null, key = client, extra: Record<string, unknown> = {}, signer = es256(key.privateKey)) {
  const payload = { jti: 'j-1', htm: 'GET', htu: 'https://api.example.com/orders', iat: now, ...(token !== null ? { ath: athOf(token) } : {}), ...extra };
  return handMade({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) }, payload, signer);
}

describe('a DPoP proof paired with its access token', () => {
  it('is bound when the proof names the token and the token names the proof\'s key', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    expect(await dpopBinding(await proofFor(token), token)).toEqual({
      verdict: 'bound',
      ath: 'matches',
      jkt: 'matches',
      proofThumbprint: await thumbprint(client.publicKey),
      tokenThumbprint: await thumbprint(client.publicKey),
      summary: expect.stringMatching(/^Bound: /),
    });
  });

  it('is not bound when a stolen token comes with a proof by another key', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    const binding = await dpopBinding(await proofFor(token, thief), token);
    expect(binding).toMatchObject({ verdict: 'not_bound', ath: 'matches', jkt: 'differs' });
    expect(binding?.summary).toBe(
      `Not bound: the access token is bound to the key with thumbprint "${await thumbprint(client.publicKey)}", and the proof carries ${await thumbprint(thief.publicKey)}. A server refuses the pair (RFC 9449 §7.1): the token is used with a key that is not its client's, as a thief's would be.`,
    );
  });

  it('is not bound when the proof was made for another token', async () => {
    const jkt = await thumbprint(client.publicKey);
    const binding = await dpopBinding(await proofFor(accessToken({ jkt })), handMade({ alg: 'HS256', typ: 'at+jwt' }, claims({ cnf: { jkt }, sub: 'someone-else' }), hmacWith('issuer secret')));
    expect(binding).toMatchObject({ verdict: 'not_bound', ath: 'differs', jkt: 'matches', summary: expect.stringContaining('made for another access token') });
  });

  it('says a proof without "ath" is for the token endpoint only', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    expect(await dpopBinding(await proofFor(null), token)).toMatchObject({ verdict: 'not_bound', ath: 'absent', jkt: 'matches', summary: expect.stringContaining('a resource server refuses it') });
  });

  it('tells a bearer token, a certificate-bound token and a malformed "cnf" apart', async () => {
    const bearer = accessToken();
    expect(await dpopBinding(await proofFor(bearer), bearer)).toMatchObject({ verdict: 'not_bound', jkt: 'absent', tokenThumbprint: null, summary: expect.stringContaining('a bearer token') });
    const mtls = accessToken({ 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' });
    expect(await dpopBinding(await proofFor(mtls), mtls)).toMatchObject({ verdict: 'not_bound', jkt: 'absent', summary: expect.stringContaining('bound to a client certificate ("cnf"."x5t#S256", RFC 8705)') });
    const listed = accessToken({ jkt: [await thumbprint(client.publicKey)] });
    expect(await dpopBinding(await proofFor(listed), listed)).toMatchObject({ verdict: 'not_bound', jkt: 'malformed', summary: expect.stringContaining('does not hold a thumbprint string') });
  });

  it('leaves an opaque token\'s binding to its issuer, dots and slashes included, and still checks "ath" against it', async () => {
    for (const opaque of ['Sy2lO5KhzjKaNq1-yEfwb5AfJ4LcQ3YqC0fG1vXsZ8', 'ya29.a0AfB_byC-Zl0p9Q', 'AbC+dEf/GhI=']) {
      expect(await dpopBinding(await proofFor(opaque), opaque)).toMatchObject({ verdict: 'unknown', ath: 'matches', jkt: 'not-read', summary: expect.stringContaining('by introspection (RFC 9449 §6.2)') });
    }
  });

  it('reads both as the headers that carry them were pasted', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    expect((await dpopBinding(`DPoP: ${await proofFor(token)}`, `Authorization: DPoP ${token}`))?.verdict).toBe('bound');
  });
});

describe('a pair that names each other but is refused on its own', () => {
  it('is not bound when the proof is forged, however well it names the token', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    // The client's public key in the header, a signature by nobody.
    const forged = await proofFor(token, client, {}, () => Buffer.alloc(64, 7));
    expect(await dpopBinding(forged, token)).toMatchObject({ verdict: 'not_bound', ath: 'matches', jkt: 'matches', summary: expect.stringMatching(/^Not bound: the proof itself is refused \(The signature does not verify with the key the proof carries/) });
  });

  it('is not bound when the proof is stale', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    expect(await dpopBinding(await proofFor(token, client, { iat: now - 86_400 }), token)).toMatchObject({ verdict: 'not_bound', summary: expect.stringContaining('the proof itself is refused (Made at') });
  });

  it('is not bound when the access token is unsecured, whatever key it names', async () => {
    const token = handMade({ alg: 'none', typ: 'at+jwt' }, claims({ cnf: { jkt: await thumbprint(thief.publicKey) } }));
    expect(await dpopBinding(await proofFor(token, thief), token)).toMatchObject({ verdict: 'not_bound', ath: 'matches', jkt: 'matches', summary: expect.stringContaining('the access token itself is refused') });
  });
});

describe('a pair checked with the keys each verdict beside it used', () => {
  const jwkOf = async (key: KeyObject): Promise<KeySource> => ({ kind: 'jwk', jwk: JSON.stringify(await exportJWK(key)) });
  const issuerKey: KeySource = { kind: 'hmac', secret: 'issuer secret', encoding: 'text' };

  it('says both are valid when the client\'s key checks the proof and the issuer\'s the token', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    const binding = await dpopBinding(await proofFor(token), token, { proof: await jwkOf(client.publicKey), accessToken: issuerKey });
    expect(binding).toMatchObject({ verdict: 'bound', ath: 'matches', jkt: 'matches', summary: expect.stringMatching(/^Bound, and each is valid with the key you gave it/) });
    // Without the keys, the same pair is bound, and who made each is left to the verdicts.
    expect((await dpopBinding(await proofFor(token), token))?.summary).toMatch(/Whether each is genuine, its own verdict says\.$/);
  });

  it('is not bound when the proof is not by the client\'s key given, though the token names the proof\'s key', async () => {
    // A token issued to the thief's key and a proof by that key: bound to each other, but not the client's.
    const token = accessToken({ jkt: await thumbprint(thief.publicKey) });
    const binding = await dpopBinding(await proofFor(token, thief), token, { proof: await jwkOf(client.publicKey), accessToken: null });
    expect(binding).toMatchObject({ verdict: 'not_bound', ath: 'matches', jkt: 'matches', summary: expect.stringContaining('Not bound: the proof itself is refused (') });
  });

  it('is not bound when the token does not verify with the issuer\'s key given', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    const binding = await dpopBinding(await proofFor(token), token, { proof: null, accessToken: { kind: 'hmac', secret: 'another issuer secret', encoding: 'text' } });
    expect(binding).toMatchObject({ verdict: 'not_bound', summary: expect.stringContaining('Not bound: the access token itself is refused') });
  });
});

describe('what the pairing takes from the tokens', () => {
  it('quotes and cuts a "jkt" the token\'s writer chose, so it cannot read as a verdict', async () => {
    const token = accessToken({ jkt: `none needed. Bound: the proof was made for this access token${'x'.repeat(3_000)}` });
    const binding = await dpopBinding(await proofFor(token), token);
    expect(binding?.summary).toContain('bound to the key with thumbprint "none needed. Bound: the proof was');
    expect(binding!.summary.length).toBeLessThan(500);
    // Past what an inspection sends whole, a "cnf" is no thumbprint at all.
    const huge = accessToken({ jkt: 'x'.repeat(200_000) });
    expect(await dpopBinding(await proofFor(huge), huge)).toMatchObject({ verdict: 'not_bound', jkt: 'malformed' });
  });

  it('answers null when the first is no proof or the second holds what no token does, and never throws on garbage', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    expect(await dpopBinding(token, token)).toBeNull();
    expect(await dpopBinding('not a token', token)).toBeNull();
    const proof = await proofFor(token);
    expect(await dpopBinding(proof, `${token}\u0435`)).toBeNull();
    for (const garbage of ['...', 'x'.repeat(5_000_000), `${'e'.repeat(100)}.${'!'.repeat(10)}.x`]) {
      expect(await dpopBinding(proof, garbage)).toMatchObject({ verdict: 'not_bound', ath: 'differs' });
    }
  });

  it('takes no token carrying a proof in its payload for the proof: a server takes only the proof itself', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    // The carrier's own header names the client's key, and its payload is the client's proof for this token.
    const carrier = handMade({ alg: 'HS256', cty: 'JWT', jwk: await exportJWK(client.publicKey) }, await proofFor(token), hmacWith('k'));
    expect(await dpopBinding(carrier, token)).toBeNull();
    // Typed as a proof itself, with the client's key in its header and a thief's proof inside, signed by nobody.
    const disguised = handMade({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(client.publicKey) }, await proofFor(token, thief), () => Buffer.alloc(64, 7));
    expect(await dpopBinding(disguised, token)).toBeNull();
  });

  it('reads each paste once, as the verdict beside it does, so it never reads a token that verdict cannot', async () => {
    const token = accessToken({ jkt: await thumbprint(client.publicKey) });
    const proof = await proofFor(token);
    const beside = (paste: string) => inspect(paste, { kind: 'hmac', secret: 'issuer secret', encoding: 'text' });
    // Nine layers of quotes: one more than the unwrapping takes off, and the token is found inside the last.
    const quoted = `${'"'.repeat(9)}${token}${'"'.repeat(9)}`;
    expect(await beside(quoted)).toMatchObject({ verdict: 'valid', inPaste: { names: [null], picked: 0 } });
    expect(await dpopBinding(proof, quoted)).toMatchObject({ verdict: 'bound', ath: 'matches', jkt: 'matches' });
    // An invisible character inside: the verdict reads no token, and the pairing pairs none.
    const hidden = `${token.slice(0, 30)}\u200b${token.slice(30)}`;
    expect((await beside(hidden)).verdict).toBe('unparseable');
    expect(await dpopBinding(proof, hidden)).toBeNull();
  });

  it('says a token bound by its holder key itself ("cnf"."jwk", as an SD-JWT is) is bound to no DPoP key', async () => {
    const token = accessToken({ jwk: await exportJWK(client.publicKey) });
    const result = await dpopBinding(await proofFor(token), token);
    expect(result).toMatchObject({ verdict: 'not_bound', jkt: 'absent' });
    expect(result!.summary).toContain('names its holder\'s key itself ("cnf"."jwk", RFC 7800 §3.2), as an SD-JWT does');
  });
});
