/**
 * A paste that is more than a token (a token endpoint's JSON answer, a callback URL, a cookie, a
 * curl command, two tokens on their own lines): the token inside is read, named as the paste
 * names it, and the answer says which one it was and what else the paste holds.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { dpopBinding } from '../../../electron/core/tokens/dpop-binding';
import { findTokensInPaste, MAX_FOUND, MAX_SEARCHED_CHARS } from '../../../electron/core/tokens/find-in-paste';
import { inspectToken } from '../../../electron/core/tokens/inspect';
import { claims, codes, finding, handMade, hmacWith, inspect, NOW, now } from '../../support/hand-made-tokens';

const SECRET = 'a secret of thirty-two bytes, ok!';
const key = { kind: 'hmac', secret: SECRET, encoding: 'text' } as const;
const accessToken = handMade({ alg: 'HS256', typ: 'at+jwt' }, claims({ client_id: 'app' }), hmacWith(SECRET));
const idToken = handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims({ aud: 'app', nonce: 'n-1', auth_time: now - 60 }), scope: undefined }, hmacWith(SECRET));
const noVault = () => {
  throw new Error('no vault here');
};
const ctx = { nowMs: NOW, credentialSecret: noVault, serverJwks: noVault };
const names = (paste: string) => findTokensInPaste(paste).map((f) => f.name);
const texts = (paste: string) => findTokensInPaste(paste).map((f) => paste.slice(f.start, f.end));

const tokenResponse = JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: 3600, refresh_token: 'rt-8f2c1e', id_token: idToken }, null, 2);

describe('finding tokens in a paste', () => {
  it('names each by what the paste calls it: JSON member, URL parameter, cookie, header, YAML key', () => {
    expect(names(tokenResponse)).toEqual(['access_token', 'id_token']);
    expect(texts(tokenResponse)).toEqual([accessToken, idToken]);
    expect(names(`https://app.example.com/cb#access_token=${accessToken}&token_type=bearer&id_token=${idToken}`)).toEqual(['access_token', 'id_token']);
    expect(names(`Set-Cookie: session=${accessToken}; Path=/; HttpOnly`)).toEqual(['session']);
    expect(names(`curl -H 'Authorization: Bearer ${accessToken}' https://api.example.com/orders`)).toEqual(['Authorization']);
    expect(names(`token: ${accessToken}\n`)).toEqual(['token']);
    expect(names(`${accessToken}\n${idToken}`)).toEqual([null, null]);
  });

  it('leaves the full stop of a sentence out, and keeps an empty signature in', () => {
    expect(texts(`The token was ${accessToken}.`)).toEqual([accessToken]);
    const stripped = `${accessToken.slice(0, accessToken.lastIndexOf('.'))}.`;
    expect(texts(`stripped: ${stripped} (no signature)`)).toEqual([stripped]);
  });

  it('takes no token that goes on in standard base64 or ends in padding: that is one broken token', () => {
    expect(findTokensInPaste(`${accessToken}+abc/def`)).toEqual([]);
    expect(findTokensInPaste(`${accessToken}==`)).toEqual([]);
    expect(findTokensInPaste(`abc+${accessToken}`)).toEqual([]);
  });

  it('takes no dotted word whose first part is no JOSE header', () => {
    expect(findTokensInPaste('see www.example.com and eyes.of.march, or ewok.x.y')).toEqual([]);
  });

  it('stops at a bound: so many tokens, so large a paste', () => {
    expect(findTokensInPaste(Array.from({ length: MAX_FOUND + 5 }, () => accessToken).join('\n'))).toHaveLength(MAX_FOUND);
    expect(findTokensInPaste(`${' '.repeat(MAX_SEARCHED_CHARS)}{"access_token":"${accessToken}"}`)).toEqual([]);
  });
});

describe('inspecting a paste that holds more than a token', () => {
  it('reads the first token of a token endpoint answer, verifies it, and says what else the paste holds', async () => {
    const result = await inspect(tokenResponse, key);
    expect(result).toMatchObject({ verdict: 'valid', kind: 'access_token', inPaste: { names: ['access_token', 'id_token'], picked: 0 } });
    expect(codes(result)).toEqual(['TOKEN_IN_PASTE']);
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toBe('Read "access_token" from the paste, which holds more than a token; the rest of it was not read. It holds one more: "id_token". Choose another above, or paste it alone.');
    expect(result.summary).toBe('Valid: the signature verifies with the key given, and every check passes.');
  });

  it('reads the token picked instead', async () => {
    const result = await inspectToken({ token: tokenResponse, key, policy: null, pick: 1 }, ctx);
    expect(result).toMatchObject({ verdict: 'valid', kind: 'id_token', inPaste: { names: ['access_token', 'id_token'], picked: 1 } });
    expect(result.claims.find((c) => c.name === 'nonce')?.value).toBe('"n-1"');
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toContain('Read "id_token" from the paste');
  });

  it('reads each of several tokens pasted on their own lines, rather than gluing them into one', async () => {
    const paste = `${accessToken}\n${idToken}\n`;
    expect(await inspectToken({ token: paste, key, policy: null, pick: 1 }, ctx)).toMatchObject({ verdict: 'valid', kind: 'id_token', inPaste: { names: [null, null], picked: 1 } });
    const first = await inspect(paste, key);
    expect(first.kind).toBe('access_token');
    expect(finding(first, 'TOKEN_IN_PASTE')?.message).toContain('Read token 1 from the paste, which holds more than a token; the rest of it was not read. It holds one more: token 2.');
  });

  it('reads a token in a sentence, which joining the lines glued to the words before it', async () => {
    const result = await inspect(`The token in the ticket was ${accessToken}.`, key);
    expect(result).toMatchObject({ verdict: 'valid', inPaste: { names: [null], picked: 0 } });
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toBe('Read the token from the paste, which holds more than a token; the rest of it was not read.');
  });

  it('judges the token read as it would judge it alone: an unsecured token in a cookie is still refused', async () => {
    const unsecured = handMade({ alg: 'none' }, claims());
    const result = await inspect(`Cookie: theme=dark; session=${unsecured}; lang=en`, key);
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('ALG_NONE');
    expect(result.inPaste).toEqual({ names: ['session'], picked: 0 });
  });

  it('leaves a token that is the whole paste as it was: wrapped across lines, after Bearer, in quotes', async () => {
    for (const paste of [`${accessToken.slice(0, 40)}\n${accessToken.slice(40)}`, `Authorization: Bearer ${accessToken}`, `"${accessToken}"`]) {
      const result = await inspect(paste, key);
      expect(result).toMatchObject({ verdict: 'valid', inPaste: null });
      expect(codes(result)).toEqual([]);
    }
  });

  it('still refuses a broken token whole, with what breaks it', async () => {
    const padded = await inspect(`${accessToken}==`, key);
    expect(padded).toMatchObject({ verdict: 'unparseable', inPaste: null, summary: expect.stringContaining('padding (=)') });
    const standard = await inspect(`${accessToken}+x/y`, key);
    expect(standard).toMatchObject({ verdict: 'unparseable', inPaste: null, summary: expect.stringContaining('"+"') });
  });

  it('still refuses a paste with characters no token has, wherever they are', async () => {
    const result = await inspect(`{"name": "Zoë", "access_token": "${accessToken}"}`, key);
    expect(result).toMatchObject({ verdict: 'unparseable', inPaste: null, summary: expect.stringContaining('U+00EB') });
  });

  it('never searches a payload: a token inside claims is the nested token, not a pick', async () => {
    const outer = handMade({ alg: 'HS256', typ: 'JWT' }, claims({ note: `inner ${accessToken} here` }), hmacWith(SECRET));
    const result = await inspect(`{"token":"${outer}"}`, key);
    expect(result.inPaste).toEqual({ names: ['token'], picked: 0 });
    expect(result.claims.find((c) => c.name === 'note')?.value).toBe(JSON.stringify(`inner ${accessToken} here`));
  });
});

describe('pairing a proof with an access token pasted in its JSON answer', () => {
  it('hashes the token read, not the paste, for "ath"', async () => {
    const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jkt = await calculateJwkThumbprint(await exportJWK(client.publicKey));
    const bound = handMade({ alg: 'HS256', typ: 'at+jwt' }, claims({ cnf: { jkt } }), hmacWith(SECRET));
    const ath = (await import('node:crypto')).createHash('sha256').update(bound).digest('base64url');
    const proof = handMade({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(client.publicKey) }, { jti: 'j-1', htm: 'GET', htu: 'https://api.example.com/orders', iat: now, ath }, (input) =>
      sign('sha256', Buffer.from(input), { key: client.privateKey, dsaEncoding: 'ieee-p1363' }),
    );
    const answer = JSON.stringify({ access_token: bound, token_type: 'DPoP', expires_in: 300 });
    expect(await dpopBinding(proof, answer, ctx)).toMatchObject({ verdict: 'bound', ath: 'matches', jkt: 'matches' });
  });
});
