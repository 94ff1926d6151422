/**
 * A paste that is more than a token (a token endpoint's JSON answer, a callback URL, a cookie, a
 * curl command, two tokens on their own lines): the token inside is read, named as the paste
 * names it, and the answer says which one it was and what else the paste holds.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import fc from 'fast-check';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { dpopBinding } from '../../../electron/core/tokens/dpop-binding';
import { findTokensInPaste, MAX_FOUND, MAX_SEARCHED_CHARS } from '../../../electron/core/tokens/find-in-paste';
import { inspectToken } from '../../../electron/core/tokens/inspect';
import { b64, claims, codes, finding, handMade, hmacWith, inspect, NOW, now } from '../../support/hand-made-tokens';

const SECRET = 'a secret of thirty-two bytes, ok!';
const rsaSignature = Buffer.alloc(256, 1);
const key = { kind: 'hmac', secret: SECRET, encoding: 'text' } as const;
const accessToken = handMade({ alg: 'HS256', typ: 'at+jwt' }, claims({ client_id: 'app' }), hmacWith(SECRET));
const idToken = handMade({ alg: 'HS256', typ: 'JWT' }, { ...claims({ aud: 'app', nonce: 'n-1', auth_time: now - 60 }), scope: undefined }, hmacWith(SECRET));
const noVault = () => {
  throw new Error('no vault here');
};
const ctx = { nowMs: NOW, credentialSecret: noVault, serverJwks: noVault };
const names = (paste: string) => findTokensInPaste(paste).found.map((f) => f.name);
const texts = (paste: string) => findTokensInPaste(paste).found.map((f) => f.token);

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
    // …unless the next line holds the signature a wrap cut off.
    expect(texts(`token: ${stripped}\n${accessToken.slice(stripped.length)}`)).toEqual([accessToken]);
  });

  it('takes no token that goes on past it: standard base64, padding, URL encoding, a redaction, a stray character', () => {
    const stripped = accessToken.slice(0, accessToken.lastIndexOf('.') + 1);
    for (const paste of [`${accessToken}+abc/def`, `${accessToken}==`, `abc+${accessToken}`, `access_token=${accessToken}%3D%3D`, `assertion=${accessToken.slice(0, -4)}%2Babc`, `Authorization: Bearer ${stripped}[REDACTED]`, `token=${stripped}***`, `${accessToken}!`, `${accessToken.slice(0, -5)}!${accessToken.slice(-5)}`]) {
      expect(texts(paste), paste.slice(-30)).toEqual([]);
    }
  });

  it('takes no fragment of a token wrapped across lines, and joins the lines when the header says what is missing', () => {
    const rs = handMade({ alg: 'RS256', typ: 'at+jwt' }, claims(), () => rsaSignature);
    const signatureAt = rs.lastIndexOf('.') + 1;
    for (const cut of [signatureAt, signatureAt + 50, signatureAt + 341]) {
      expect(texts(`{"access_token": "${rs.slice(0, cut)}\n  ${rs.slice(cut)}", "token_type": "Bearer"}`), String(cut)).toEqual([rs]);
    }
    // A JWE cut after its third part is no JWS of three: it is joined to its last two.
    const jwe = `${b64({ alg: 'dir', enc: 'A256GCM' })}..${'i'.repeat(16)}.${'c'.repeat(40)}.${'t'.repeat(22)}`;
    const third = jwe.indexOf('.', jwe.indexOf('..') + 2);
    expect(texts(`id_token=${jwe.slice(0, third)}\n${jwe.slice(third)}&state=x`)).toEqual([jwe]);
    // Cut where a shorter RSA key's signature would end: joined on to the longest whole token.
    expect(texts(`{"access_token": "${rs.slice(0, signatureAt + 171)}\n${rs.slice(signatureAt + 171)}"}`)).toEqual([rs]);
    // Wrapped inside its header and payload, at 76 columns as e-mail does: joined from its first line.
    const wrapped = (rs.match(/.{1,76}/g) ?? []).join('\n');
    expect(texts(`{"access_token": "${wrapped}", "token_type": "Bearer"}`)).toEqual([rs]);
    // Cut, with no line that completes it: found as cut (not whole), never glued to what follows.
    expect(findTokensInPaste(`{"access_token": "${rs.slice(0, signatureAt + 50)}"}`).found).toEqual([{ name: 'access_token', token: rs.slice(0, signatureAt + 50), whole: false }]);
  });

  it('finds a token whose signature is not its algorithm\'s length, and never glues words below a token onto it', () => {
    const unsecuredSigned = `${handMade({ alg: 'none' }, claims())}c2ln`;
    expect(findTokensInPaste(`{"ts":1,"token":"${accessToken}"}\n{"ts":2,"token":"${unsecuredSigned}"}`).found).toEqual([
      { name: 'token', token: accessToken, whole: true },
      { name: 'token', token: unsecuredSigned, whole: false },
    ]);
    expect(texts(`${accessToken}\nfails with 401`)).toEqual([accessToken]);
    expect(texts(`${unsecuredSigned}\nfails with 401`)).toEqual([unsecuredSigned]);
  });

  it('takes no dotted word whose first part is no JOSE header', () => {
    expect(findTokensInPaste('see www.example.com and eyes.of.march, or ewok.x.y').found).toEqual([]);
  });

  it('stops at a bound, and says when the paste holds more', () => {
    expect(findTokensInPaste(Array.from({ length: MAX_FOUND }, () => accessToken).join('\n'))).toMatchObject({ found: { length: MAX_FOUND }, more: false });
    expect(findTokensInPaste(Array.from({ length: MAX_FOUND + 1 }, () => accessToken).join('\n'))).toMatchObject({ found: { length: MAX_FOUND }, more: true });
    expect(findTokensInPaste(`${' '.repeat(MAX_SEARCHED_CHARS)}{"access_token":"${accessToken}"}`)).toEqual({ found: [], more: false });
  });

  it('names a token only by what names a credential, and never by the token before it', () => {
    expect(names(`[2026-11-24T03:12:09Z] WARN: ${accessToken}`)).toEqual([null]);
    expect(names(`Rejected for user alice: ${accessToken}`)).toEqual([null]);
    expect(names(`x-amz-security-token: ${accessToken}`)).toEqual(['x-amz-security-token']);
    // The first goes on in padding, so it is no token; the second is named by no part of it.
    expect(names(`${accessToken}=${idToken}`)).toEqual([null]);
  });

  it('reads a token between typographic quotes, as chat and word processors leave it', () => {
    expect(texts(`\u201c${accessToken}\u201d`)).toEqual([accessToken]);
  });
});

describe('inspecting a paste that holds more than a token', () => {
  it('reads the first token of a token endpoint answer, verifies it, and says what else the paste holds', async () => {
    const result = await inspect(tokenResponse, key);
    expect(result).toMatchObject({ verdict: 'valid', kind: 'access_token', inPaste: { names: ['access_token', 'id_token'], picked: 0, more: false } });
    expect(codes(result)).toEqual(['TOKEN_IN_PASTE']);
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toBe(
      'Read "access_token", one of 2 tokens in the paste; the text around them was not read. The others: "id_token". To read another, choose it in Inspect or paste it alone. A credential in it that is no JWT (an opaque access or refresh token, an API key) is not named: paste it alone for that.',
    );
    expect(result.summary).toBe('Valid: the signature verifies with the key given, and every check passes.');
  });

  it('reads the token picked instead', async () => {
    const result = await inspectToken({ token: tokenResponse, key, policy: null, pick: 1 }, ctx);
    expect(result).toMatchObject({ verdict: 'valid', kind: 'id_token', inPaste: { names: ['access_token', 'id_token'], picked: 1, more: false } });
    expect(result.claims.find((c) => c.name === 'nonce')?.value).toBe('"n-1"');
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toMatch(/^Read "id_token", one of 2 tokens in the paste; .* The others: "access_token"\./);
  });

  it('reads each of several tokens pasted on their own lines, rather than gluing them into one', async () => {
    const paste = `${accessToken}\n${idToken}\n`;
    expect(await inspectToken({ token: paste, key, policy: null, pick: 1 }, ctx)).toMatchObject({ verdict: 'valid', kind: 'id_token', inPaste: { names: [null, null], picked: 1, more: false } });
    const first = await inspect(paste, key);
    expect(first.kind).toBe('access_token');
    expect(finding(first, 'TOKEN_IN_PASTE')?.message).toContain('Read token 1, one of 2 tokens in the paste; the text around them was not read. The others: token 2.');
  });

  it('reads a token in a sentence, which joining the lines glued to the words before it', async () => {
    const result = await inspect(`The token in the ticket was ${accessToken}.`, key);
    expect(result).toMatchObject({ verdict: 'valid', inPaste: { names: [null], picked: 0, more: false } });
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toMatch(/^Read the token from the paste; the text around it was not read\. A credential in it that is no JWT/);
  });

  it('judges the token read as it would judge it alone: an unsecured token in a cookie is still refused', async () => {
    const unsecured = handMade({ alg: 'none' }, claims());
    const result = await inspect(`Cookie: theme=dark; session=${unsecured}; lang=en`, key);
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toContain('ALG_NONE');
    expect(result.inPaste).toEqual({ names: ['session'], picked: 0, more: false });
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

  it('reads a token set off from characters no token has, and refuses one they are inside', async () => {
    expect(await inspect(`{"name": "Zoë", "access_token": "${accessToken}"}`, key)).toMatchObject({ verdict: 'valid', inPaste: { names: ['access_token'], picked: 0, more: false } });
    expect(await inspect(`\u201c${accessToken}\u201d`, key)).toMatchObject({ verdict: 'valid', inPaste: { names: [null], picked: 0, more: false } });
    // Invisible or look-alike characters inside the token: refused whole, with where they are.
    for (const inside of ['\u200b', '\u0435']) {
      const result = await inspect(`{"access_token": "${accessToken.slice(0, 30)}${inside}${accessToken.slice(30)}"}`, key);
      expect(result).toMatchObject({ verdict: 'unparseable', inPaste: null, summary: expect.stringContaining(`U+${inside.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`) });
    }
  });

  it('reads a wrapped token in a token endpoint answer whole, where a fragment would read as forged', async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs = handMade({ alg: 'RS256', typ: 'at+jwt' }, claims(), (input) => sign('sha256', Buffer.from(input), pair.privateKey));
    const cut = rs.lastIndexOf('.') + 51;
    const result = await inspect(`{"access_token": "${rs.slice(0, cut)}\n${rs.slice(cut)}"}`, { kind: 'pem', pem: pair.publicKey.export({ format: 'pem', type: 'spki' }).toString() });
    expect(result).toMatchObject({ verdict: 'valid', inPaste: { names: ['access_token'], picked: 0, more: false } });
  });

  it('reads a valid token with words on the line below it as that token, not glued to the words', async () => {
    const result = await inspect(`${accessToken}\nfails with 401`, key);
    expect(result).toMatchObject({ verdict: 'valid', inPaste: { names: [null], picked: 0, more: false } });
  });

  it('names every token of a log, an unsecured one with a signature too, rather than hiding it', async () => {
    const unsecuredSigned = `${handMade({ alg: 'none' }, claims())}c2ln`;
    const paste = `{"ts":1,"token":"${accessToken}"}\n{"ts":2,"token":"${unsecuredSigned}"}`;
    expect((await inspect(paste, key)).inPaste).toEqual({ names: ['token', 'token'], picked: 0, more: false });
    const second = await inspectToken({ token: paste, key, policy: null, pick: 1 }, ctx);
    expect(second.verdict).toBe('invalid');
    expect(codes(second)).toContain('ALG_NONE');
    expect(codes(await inspect(`session=${unsecuredSigned}`, key))).toContain('ALG_NONE');
  });

  it('reads two tokens, the second wrapped, as two, never as one encrypted token', async () => {
    const forged = handMade({ alg: 'HS256', typ: 'at+jwt' }, claims(), hmacWith('another secret of 32 bytes, ok!!'));
    const result = await inspect(`${forged}\n${(accessToken.match(/.{1,76}/g) ?? []).join('\n')}`, key);
    expect(result).toMatchObject({ verdict: 'invalid', kind: 'access_token', inPaste: { names: [null, null], picked: 0 } });
    expect(codes(result)).toContain('SIGNATURE_INVALID');
  });

  it('picks no token out of a paste with characters that hide or reorder text, and says where they are', async () => {
    const reversed = [...accessToken].reverse().join('');
    for (const paste of [`token: \u202e${reversed} ${idToken} \u202c`, `\u2067${accessToken}\u2069 ${idToken}`, `${'é'.repeat(25)} \u200b ${accessToken}`]) {
      const result = await inspect(paste, key);
      expect(result, paste.slice(0, 12)).toMatchObject({ verdict: 'unparseable', inPaste: null, summary: expect.stringContaining('Contains characters no token has') });
    }
  });

  it('takes an out-of-range or broken pick as the nearest token, never as an error', async () => {
    for (const pick of [5, -1, Number.NaN, 0.5]) {
      const result = await inspectToken({ token: tokenResponse, key, policy: null, pick }, ctx);
      expect(result.inPaste?.picked, String(pick)).toBe(pick === 5 ? 1 : 0);
    }
  });

  it('says when the paste holds more tokens than it reads', async () => {
    const result = await inspect(Array.from({ length: MAX_FOUND + 1 }, () => accessToken).join('\n'), key);
    expect(result.inPaste).toMatchObject({ more: true, picked: 0 });
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toContain('one of more than 20 tokens in the paste');
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toContain('Past the first 20, no token is read or named: paste the rest apart.');
  });

  it('numbers two tokens the paste gives one name', async () => {
    const result = await inspect(`{"access_token":"${accessToken}"}\n{"access_token":"${idToken}"}`, key);
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toMatch(/^Read "access_token" \(token 1\), one of 2 .* The others: "access_token" \(token 2\)\./);
  });

  it('never searches a payload: a token inside claims is the nested token, not a pick', async () => {
    const outer = handMade({ alg: 'HS256', typ: 'JWT' }, claims({ note: `inner ${accessToken} here` }), hmacWith(SECRET));
    const result = await inspect(`{"token":"${outer}"}`, key);
    expect(result.inPaste).toEqual({ names: ['token'], picked: 0, more: false });
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

describe('a token set off inside any text', () => {
  // Words, JSON and URL punctuation, quotes (typographic ones too), line breaks, visible non-ASCII.
  const text = fc.string({ maxLength: 120, unit: fc.constantFrom(...'abcxyz019 _-.:;,=&?#"\'`{}[]()<>|~\n\t\u201c\u201dé€'.split('')) });
  const before = fc.constantFrom(' ', '\n', '"', '=', ': ', '(', '[', '{"t":"', '\u201c');
  const after = fc.constantFrom(' ', '\n', '"', ',', ';', ')', ']', '"}', '\u201d', '. ', '&');

  it('is read, and read valid, whatever surrounds it', async () => {
    await fc.assert(
      fc.asyncProperty(text, before, after, text, async (head, open, close, tail) => {
        const result = await inspect(`${head}${open}${accessToken}${close}${tail}`, key);
        expect(result.verdict).toBe('valid');
        expect(result.kind).toBe('access_token');
      }),
      { numRuns: 300 },
    );
  });
});
