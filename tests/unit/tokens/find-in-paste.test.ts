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
    expect(findTokensInPaste(`${' '.repeat(MAX_SEARCHED_CHARS)}{"access_token":"${accessToken}"}`)).toEqual({ found: [], more: false, broken: null });
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
      'Read "access_token", one of 2 tokens in the paste; the text around them was not read. The others: "id_token". To read another, choose it above or paste it alone. Only what CredOps can tell is a token or key is named (a JWT, a provider\'s format, a value under a token\'s name such as refresh_token); a password or secret of no known format is not.',
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
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toMatch(/^Read the token from the paste; the text around it was not read\. Only what CredOps can tell is a token or key is named/);
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

describe('opaque tokens in a paste', () => {
  const googleAccess = 'ya29.a0AfB_byC9kQx2LmZ7pR4tW8vN1sJ6hD3fG5yU0oI2eT7rQ9wK4mX8nB1vC6zL3';
  const googleRefresh = '1//0gLx9vQd3mWq8CgYIARAAGBASNwF-L9IrZ0Tq7Wm2Kp5Rz8Yx3Vb6Nc1Jh4Gd';
  const googleAnswer = JSON.stringify({ access_token: googleAccess, expires_in: 3599, refresh_token: googleRefresh, scope: 'openid email', token_type: 'Bearer' }, null, 2);
  const pat = 'ghp_R7kQ2mX9pL4vN8sT1wZ6yB3cF5hJ0dG2aE7u';
  const otherPat = 'ghp_Wq3eR8tY1uI6oP4aS9dF2gH7jK5lZ0xC3vB8';
  const opaqueRefresh = 'Qm8xZk2pR7vL4nT9sW1yB6cH3jD5fG0aE2rT8uY1';

  it('finds them by provider format or under a token\'s name, in order with the JWTs, named as the paste names them', () => {
    expect(findTokensInPaste(googleAnswer).found).toEqual([
      { name: 'access_token', token: googleAccess, whole: true },
      { name: 'refresh_token', token: googleRefresh, whole: true },
    ]);
    expect(names(`export GITHUB_TOKEN=${pat}`)).toEqual(['GITHUB_TOKEN']);
    expect(names(`curl -H 'Authorization: Bearer ${pat}' https://api.github.com/user`)).toEqual(['Authorization']);
    expect(names(`token=${opaqueRefresh}&token_type_hint=refresh_token`)).toEqual(['token']);
    expect(texts(`The key in the ticket was ${pat}.`)).toEqual([pat]);
    const mixed = JSON.stringify({ access_token: accessToken, refresh_token: opaqueRefresh, id_token: idToken });
    expect(findTokensInPaste(mixed).found.map((f) => [f.name, f.token])).toEqual([['access_token', accessToken], ['refresh_token', opaqueRefresh], ['id_token', idToken]]);
  });

  it('names no password, client secret, Basic credentials, short or placeholder value, and no token inside another', () => {
    for (const paste of [
      `client_id=app&client_secret=${opaqueRefresh}`,
      `DB_PASSWORD=${opaqueRefresh}`,
      `curl -H 'Authorization: Basic ${Buffer.from(`svc:${opaqueRefresh}`).toString('base64')}' https://x`,
      '{"access_token":"8xLOxBtZp8","token_type":"Bearer"}',
      'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      `access_token=\${ACCESS_TOKEN} ${accessToken.slice(0, -4)}%2Babc`,
      // Cut short by a look-alike letter: the paste is refused whole, with where the letter is.
      `GITHUB_TOKEN=${pat.slice(0, 30)}\u0435${pat.slice(31)}`,
      `{"refresh_token": "${opaqueRefresh.slice(0, 20)}\u0435${opaqueRefresh.slice(21)}"}`,
    ]) {
      expect(findTokensInPaste(paste).found, paste).toEqual([]);
    }
    // GitHub's installation token carries a JWT after its prefix: one GitHub token, not a JWT.
    const installation = `ghs_1234567_${accessToken}`;
    expect(findTokensInPaste(`GITHUB_TOKEN=${installation}`).found).toEqual([{ name: 'GITHUB_TOKEN', token: installation, whole: true }]);
  });

  it('names no secret, password or key under a token-like name, no page cursor or CSRF value, and nothing Leak triage calls a secret the inspector cannot name', () => {
    for (const name of ['JWT_SECRET', 'TOKEN_SECRET', 'oauth_token_secret', 'TWITTER_ACCESS_TOKEN_SECRET', 'keystore_token_password', 'nextPageToken', 'NextToken', 'csrf_token', 'AWS_SECRET_ACCESS_KEY']) {
      expect(findTokensInPaste(`${name}=${opaqueRefresh}`).found, name).toEqual([]);
    }
    expect(findTokensInPaste('AWS_SECRET_ACCESS_KEY=wJ7kQ2mX9pL4vN8sT1wZ/yB3cF5hJ0dG2aE7uR4t').found).toEqual([]);
    // Under a bearer name: the token, a GitLab-style private token header and an API key header.
    for (const name of ['session_token', 'PRIVATE-TOKEN', 'X-Api-Key', 'apikey']) expect(names(`${name}: ${opaqueRefresh}\n`), name).toEqual([name]);
    // Too short to be read as an opaque token, or going on with what no token has.
    expect(findTokensInPaste('{"token": "map5s8fnUouRA"}').found).toEqual([]);
    expect(findTokensInPaste(`token=${opaqueRefresh}!`).found).toEqual([]);
  });

  it('names no HTTP Basic credentials, however the header is written or encoded', () => {
    const basic = Buffer.from(`svc:${opaqueRefresh}`).toString('base64');
    for (const paste of [`Authorization: Basic ${basic}`, `Authorization=Basic%20${basic}`, `Authorization=Basic+${basic}`, `{"Authorization": "basic ${basic}"}`]) {
      expect(findTokensInPaste(paste).found, paste).toEqual([]);
    }
  });

  it('finds a token after any scheme, DPoP\'s too, in any case, and each copy of a value where it stands', () => {
    expect(texts(`Authorization: DPoP ${opaqueRefresh}\nHost: api.example.com`)).toEqual([opaqueRefresh]);
    expect(texts(`authorization: BEARER ${opaqueRefresh}\n`)).toEqual([opaqueRefresh]);
    // The value in a URL path first, then under its name: found where the name is.
    expect(findTokensInPaste(`POST /v1/sessions/${opaqueRefresh}/revoke\n{"access_token": "${opaqueRefresh}"}`).found).toEqual([{ name: 'access_token', token: opaqueRefresh, whole: true }]);
  });

  it('reads an opaque token after a scheme, wrapped across lines, whole, and a token with lines of text below it as itself', async () => {
    const long = `ya29.a0AfB_byC9kQx2LmZ7pR4tW8vN1sJ6hD3fG5yU0oI2eT7rQ9wK4mX8nB1vC6zL3${'Tq7Wm2Kp5Rz8Yx3Vb6Nc1Jh4Gd'.repeat(2)}`;
    const wrapped = `Authorization: Bearer ${long.slice(0, 60)}\n${long.slice(60)}`;
    expect(await inspect(wrapped)).toMatchObject({ verdict: 'opaque', opaque: { format: 'Google OAuth access token' }, inPaste: null });
    // The pairing hashes the whole token for "ath", not its first line.
    const proofKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ath = (await import('node:crypto')).createHash('sha256').update(long).digest('base64url');
    const proof = handMade({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(proofKey.publicKey) }, { jti: 'j-2', htm: 'GET', htu: 'https://api.example.com/', iat: now, ath }, (input) =>
      sign('sha256', Buffer.from(input), { key: proofKey.privateKey, dsaEncoding: 'ieee-p1363' }),
    );
    expect(await dpopBinding(proof, wrapped, ctx)).toMatchObject({ ath: 'matches' });
    // Lines of commands, logs or words below a token are not its rest.
    for (const paste of [`export GITHUB_TOKEN=${pat}\ngit push origin main\n`, `cat <<EOF > .env\nAPI_TOKEN=${opaqueRefresh}\nEOF\n`, `refresh_token=${opaqueRefresh}\nINFO request finished in 12ms\n`, `API_TOKEN=${opaqueRefresh}\nDEBUG=\n`]) {
      expect(texts(paste), paste).toEqual([paste.includes(pat) ? pat : opaqueRefresh]);
    }
    expect(await dpopBinding(proof, `access_token=${long}\nINFO GET /orders 200\n`, ctx)).toMatchObject({ ath: 'matches' });
    // Two tokens on their own lines are two: the second is a token of its own, or the first's format stops where it does.
    expect(texts(`${googleAccess}\n${googleAccess.replace('ya29.a0', 'ya29.b1')}`)).toHaveLength(2);
    expect(texts(`${pat}\n${otherPat}`)).toEqual([pat, otherPat]);
  });

  it('refuses a paste whose JWT breaks beside another token, with where, rather than reading the other', async () => {
    const lookAlike = `${accessToken.slice(0, 30)}\u0435${accessToken.slice(31)}`;
    const stray = `${accessToken.slice(0, 30)}!${accessToken.slice(31)}`;
    const twoParts = accessToken.slice(0, accessToken.lastIndexOf('.'));
    for (const [broken, what] of [
      [lookAlike, 'goes on with U+0435, which no token has: a look-alike letter'],
      [stray, 'goes on with "!", which no token has'],
      [twoParts, 'has the wrong number of parts'],
    ] as const) {
      for (const paste of [JSON.stringify({ access_token: broken, refresh_token: opaqueRefresh }), `curl -H 'Authorization: Bearer ${broken}' -H 'X-Api-Key: ${opaqueRefresh}' https://api.example.com`]) {
        const result = await inspect(paste, key);
        expect(result, paste).toMatchObject({ verdict: 'unparseable', inPaste: null, summary: expect.stringContaining(what) });
        expect(result.summary).toMatch(/^The JWT at character \d+ of the paste /);
      }
    }
    const json = JSON.stringify({ access_token: lookAlike, refresh_token: opaqueRefresh });
    expect((await inspect(json, key)).summary).toContain(`character ${json.indexOf(lookAlike) + 1} `);
    // A base64 JSON page cursor with padding beside a token is no broken JWT.
    const cursor = Buffer.from('{"offset":100,"order":"desc"}').toString('base64');
    expect(await inspect(JSON.stringify({ nextPageToken: cursor, access_token: accessToken }), key)).toMatchObject({ verdict: 'valid', inPaste: { names: ['access_token'] } });
  });

  it('refuses no paste for what only looks like a broken JWT: escaped JSON, a log\'s colon, a JWKS, a cursor, an itsdangerous value, an ellipsis, punctuation outside ASCII', async () => {
    const b64u = (text: string) => Buffer.from(text).toString('base64url');
    const jwks = Buffer.from('{"keys":[{"kid":"k1","kty":"RSA","alg":"RS256","n":"sXch","e":"AQAB"}]}').toString('base64');
    const sortedJwk = Buffer.from('{"alg":"RS256","e":"AQAB","kid":"k1","kty":"RSA","n":"sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw"}').toString('base64');
    const second = handMade({ alg: 'HS256', typ: 'JWT' }, claims({ sub: 'user-2' }), hmacWith(SECRET));
    for (const paste of [
      JSON.stringify({ headers: { Authorization: `Bearer ${accessToken}` }, body: JSON.stringify({ id_token: second }) }),
      `WARN invalid token ${second}: Signature has expired\nAuthorization: Bearer ${accessToken}`,
      `data:\n  jwks.json: ${jwks}\n---\nAuthorization: Bearer ${accessToken}`,
      `JWK=${sortedJwk}\nAuthorization: Bearer ${accessToken}`,
      `GET /reset?t=${b64u('{"user_id":42}')}.Xk2pR7vL4nT9sW1yB6cH3jD5fG0\nAuthorization: Bearer ${accessToken}`,
      `The payload was ${b64u('{"sub":"admin"}')}.\nAuthorization: Bearer ${accessToken}`,
      `old: ${second}...\nAuthorization: Bearer ${accessToken}`,
      `id: ${second}\u00a0\nAuthorization: Bearer ${accessToken}`,
      `old: ${second}\u2026\nAuthorization: Bearer ${accessToken}`,
      `\u30c8\u30fc\u30af\u30f3 ${second}\u3002\nAuthorization: Bearer ${accessToken}`,
    ]) {
      const result = await inspect(paste, key);
      expect(result.verdict, paste).toBe('valid');
      expect(result.inPaste?.names.length, paste).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses a paste whose JWT is cut in its first characters, lost or doubled one in its header, or begins with a look-alike letter', async () => {
    const deleted = accessToken.slice(0, 20) + accessToken.slice(21);
    const doubled = accessToken.slice(0, 20) + accessToken.slice(20, 21) + accessToken.slice(20);
    for (const [broken, what] of [
      [`${accessToken.slice(0, 10)}\u0435${accessToken.slice(11)}`, 'goes on with U+0435'],
      [deleted, 'has a header that does not decode'],
      [doubled, 'has a header that does not decode'],
      [`\u0435${accessToken.slice(1)}`, 'U+0435'],
      [`e\u0443${accessToken.slice(2)}`, 'U+0443'],
    ] as const) {
      const result = await inspect(JSON.stringify({ access_token: broken, refresh_token: opaqueRefresh }), key);
      expect(result, broken.slice(0, 24)).toMatchObject({ verdict: 'unparseable', summary: expect.stringContaining(what) });
    }
    // Padding is named as such: AWS's load balancer pads the tokens it signs.
    const padded = await inspect(`x-amzn-oidc-accesstoken: ${accessToken}\nx-amzn-oidc-data: ${accessToken}==`, key);
    expect(padded.summary).toContain('goes on with padding (=), which base64url does not have');
  });

  it('refuses a paste whose JWT holds look-alike punctuation, a colon or backslash inside, or is a broken DPoP proof, rather than reading what is beside it', async () => {
    const i = accessToken.lastIndexOf('.') + 20;
    const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const proof = handMade({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(client.publicKey) }, { jti: 'j-3', htm: 'GET', htu: 'https://api.example.com/', iat: now }, (input) =>
      sign('sha256', Buffer.from(input), { key: client.privateKey, dsaEncoding: 'ieee-p1363' }),
    );
    const versioned = handMade({ ver: '2', alg: 'HS256' }, claims(), hmacWith(SECRET));
    const short = handMade({ alg: 'HS256' }, claims(), hmacWith(SECRET));
    for (const broken of [
      ...['\u2010', '\u2212', '\uff0d', '\uff3f', '\u00b7', '\u2024', ':', '\\'].map((c) => `${accessToken.slice(0, i)}${c}${accessToken.slice(i + 1)}`),
      accessToken.replace('.', '\u2024'),
      accessToken.replace('.', ':'),
      `${proof.slice(0, -10)}!${proof.slice(-9)}`,
      `${versioned.slice(0, 30)}!${versioned.slice(31)}`,
      `${short.slice(0, 6)}\u0441${short.slice(7)}`,
    ]) {
      const result = await inspect(`id_token=${broken}\nAuthorization: Bearer ${idToken}`, key);
      expect(result, broken.slice(0, 30)).toMatchObject({ verdict: 'unparseable', summary: expect.stringMatching(/^The JWT at character \d+ of the paste /) });
    }
  });

  it('refuses no paste for a non-ASCII word beside base64url text, or a JSON cursor whose first member only begins like a header\'s', async () => {
    for (const paste of [
      `https://anmeldung.stra\u00dfenverkehrsamt-online.bundesportal-dienste.de/callback#access_token=${accessToken}&token_type=bearer`,
      `curl https://b\u00fccherversand-online.kundenservice-portal.de/api -H "Authorization: Bearer ${accessToken}"`,
      `Fehler in Gr\u00f6\u00dfen\u00e4nderungsprotokoll.Zeitstempelverarbeitung.jar\nAuthorization: Bearer ${accessToken}`,
      ...['{"type":"page","offset":200}', '{"zip":"90210","city":"x"}', '{"encoding":"gzip","n":1}', '{"alphabet":"abc","n":1}'].map((json) => `cursor=${Buffer.from(json).toString('base64')}\nAuthorization: Bearer ${accessToken}`),
    ]) {
      expect((await inspect(paste, key)).verdict, paste.slice(0, 40)).toBe('valid');
    }
  });

  it('reads no truncated token as a stripped one, and glues no text after a wrapped opaque token to it', async () => {
    const signingInput = accessToken.slice(0, accessToken.lastIndexOf('.'));
    const truncated = await inspect(`Authorization: Bearer ${signingInput}...`, key);
    expect(codes(truncated)).not.toContain('SIGNATURE_STRIPPED');
    expect(truncated.verdict).toBe('unparseable');
    // Five parts without "enc" are no JWE, and are not called encrypted.
    expect((await inspect(`${signingInput}...`, key)).summary).toContain('the header has no "enc", so it is no JWE');
    const ya = 'ya29.a0AfB_byC9kQx2LmZ7pR4tW8vN1sJ6hD3fG5yU0oI2eT7rQ9wK4mX8nB1vC6zL3';
    for (const paste of [`Authorization: Bearer ${ya} expired`, `Authorization: Bearer ${ya}\n\n-- \nsent from my phone`]) {
      expect(texts(paste), paste).toEqual([ya]);
      expect((await inspectToken({ token: paste, key: null, policy: null }, ctx)).inPaste, paste).toMatchObject({ picked: 0 });
    }
  });

  it('joins no line of text onto a token whose algorithm fixes no signature length', () => {
    const unknownAlg = handMade({ alg: 'ESP256', typ: 'JWT' }, claims(), () => Buffer.alloc(64, 7));
    expect(texts(`id_token: ${unknownAlg}\nexpires: 3600`)).toEqual([unknownAlg]);
    expect(texts(`id_token: ${unknownAlg}\nHost: api.example.com`)).toEqual([unknownAlg]);
  });

  it('answers a paste of lines that each begin as a token, in any number, at once', () => {
    for (const paste of [`ey${'A'.repeat(1021)}\n`.repeat(256), `${'eyJhbGciOiJIUzI1NiJ9.'}${'A'.repeat(40)}\n`.repeat(6000), '\u4ee4\u724c\u662f\u4e00\u4e2a\u5f88\u957f\u7684.'.repeat(30000)]) {
      const started = performance.now();
      findTokensInPaste(paste);
      // A hang guard, not a speed claim (the bench measures): before, the first took seconds.
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('refuses a paste whose JWT holds several look-alikes, or one for a letter of its head, read as what they pass for', async () => {
    const sub = (t: string, i: number, c: string) => `${t.slice(0, i)}${c}${t.slice(i + 1)}`;
    for (const paste of [
      JSON.stringify({ id_token: sub(sub(idToken, 12, '\u0406'), 20, '\u041e'), access_token: accessToken }),
      JSON.stringify({ id_token: sub(idToken, 2, '\u0408'), access_token: accessToken }),
      `id_token=\u0435\u0443${idToken.slice(2)}&access_token=${accessToken}`,
      `alt: \u201e${sub(idToken, 30, '+')}\u201c neu: ${accessToken}`,
    ]) {
      expect(await inspect(paste, key), paste.slice(0, 30)).toMatchObject({ verdict: 'unparseable', summary: expect.stringMatching(/^The JWT at character \d+ of the paste /) });
    }
  });

  it('reads a token set off by any punctuation or symbol that no token character is taken for', async () => {
    for (const paste of [`The token ${accessToken}\u2014the one from prod\u2014fails`, `token: ${accessToken}\u2705`, `${accessToken}\u2192401`, `\u4ee4\u724c\u662f ${accessToken}\uff01`, `Das Token \u201e${accessToken}\u201c ist abgelaufen`, `\u300a${accessToken}\u300b`, `\u2022${accessToken}`]) {
      expect(await inspect(paste, key), paste.slice(0, 12)).toMatchObject({ verdict: 'valid', inPaste: { picked: 0, more: false } });
    }
  });

  it('joins a wrapped token whose algorithm fixes its length however it is written: ML-DSA, RS1, "nOnE"', () => {
    const wrap = (t: string) => t.match(/.{1,76}/g)!.join('\n');
    for (const [alg, bytes] of [['ML-DSA-44', 2420], ['RS1', 256], ['nOnE', 0]] as const) {
      const token = handMade({ alg, typ: 'JWT' }, claims(), () => Buffer.alloc(bytes, 5));
      expect(texts(`{\n  "access_token": "${wrap(token)}",\n  "token_type": "Bearer"\n}`), alg).toEqual([token]);
    }
  });

  it('reads no opaque token past where the search for JWTs stopped', async () => {
    const stray = `${accessToken.slice(0, 40)}!${accessToken.slice(41)}`;
    const paste = `${Array.from({ length: 201 }, (_, i) => `{"exp": ${i}}`).join('\n')}\n{"access_token":"${stray}","refresh_token":"${opaqueRefresh}"}`;
    expect(findTokensInPaste(paste)).toMatchObject({ found: [], more: true });
  });

  it('names no CSRF, captcha or push-device value, and no scheme that takes parameters', () => {
    for (const name of ['authenticity_token', '__RequestVerificationToken', 'anti_forgery_token', 'pagination_token', 'skipToken', 'deltaToken', 'resumeToken', 'captcha_token', 'recaptchaToken', 'turnstile_token', 'device_token', 'fcm_token', 'push_token']) {
      expect(findTokensInPaste(`${name}=${opaqueRefresh}`).found, name).toEqual([]);
    }
    expect(findTokensInPaste('Authorization: AWS4-HMAC-SHA256 Credential=AKIAZ7QWERTYU2OP3ASD/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7').found).toEqual([]);
    const basic = Buffer.from(`svc:${opaqueRefresh}`).toString('base64');
    expect(findTokensInPaste(`Authorization: ${basic}`).found).toEqual([]);
    expect(findTokensInPaste(`Authorization: Basic\n${' '.repeat(20)}${basic}`).found).toEqual([]);
  });

  it('stops at the same bound as for JWTs', () => {
    const pats = Array.from({ length: MAX_FOUND + 1 }, (_, i) => `ghp_R7kQ2mX9pL4vN8sT1wZ6yB3cF5hJ0dG2a${String(i).padStart(4, 'Q')}`);
    expect(findTokensInPaste(pats.slice(0, MAX_FOUND).join('\n'))).toMatchObject({ found: { length: MAX_FOUND }, more: false });
    expect(findTokensInPaste(pats.join('\n'))).toMatchObject({ found: { length: MAX_FOUND }, more: true });
  });

  it('reads a Google token endpoint answer as the access token it holds, with the advice for it, and the refresh token on a pick', async () => {
    const result = await inspect(googleAnswer);
    expect(result).toMatchObject({ verdict: 'opaque', kind: 'opaque', opaque: { provider: 'Google', format: 'Google OAuth access token' }, inPaste: { names: ['access_token', 'refresh_token'], picked: 0, more: false } });
    expect(codes(result)).toEqual(['OPAQUE_TOKEN', 'TOKEN_IN_PASTE']);
    expect(finding(result, 'TOKEN_IN_PASTE')?.message).toMatch(/^Read "access_token", one of 2 tokens in the paste; .* The others: "refresh_token"\./);
    const refresh = await inspectToken({ token: googleAnswer, key: null, policy: null, pick: 1 }, ctx);
    expect(refresh).toMatchObject({ verdict: 'opaque', opaque: { format: 'Google OAuth refresh token' }, inPaste: { picked: 1 } });
  });

  it('reads a token in an export line or a curl command as the provider\'s token, where it was "no dots, so not a JWT"', async () => {
    for (const paste of [`export GITHUB_TOKEN=${pat}`, `curl -H 'Authorization: Bearer ${pat}' https://api.github.com/user`]) {
      const result = await inspect(paste);
      expect(result, paste).toMatchObject({ verdict: 'opaque', opaque: { provider: 'GitHub', format: 'GitHub personal access token (classic)' }, inPaste: { picked: 0 } });
      expect(finding(result, 'TOKEN_IN_PASTE')?.message, paste).toMatch(/^Read "(GITHUB_TOKEN|Authorization)" from the paste; the text around it was not read\./);
    }
  });

  it('reads two provider tokens on their own lines as two, never glued into one longer "token"', async () => {
    const result = await inspect(`${pat}\n${otherPat}`);
    expect(result).toMatchObject({ verdict: 'opaque', opaque: { format: 'GitHub personal access token (classic)' }, inPaste: { names: [null, null], picked: 0 } });
    expect(result.summary).not.toContain(otherPat.slice(4));
    const second = await inspectToken({ token: `${pat}\n${otherPat}`, key: null, policy: null, pick: 1 }, ctx);
    expect(second.inPaste).toMatchObject({ picked: 1 });
  });

  it('reads an opaque token beside JWTs as opaque when picked, and the JWT beside it as before', async () => {
    const mixed = JSON.stringify({ access_token: accessToken, refresh_token: opaqueRefresh, id_token: idToken });
    expect(await inspect(mixed, key)).toMatchObject({ verdict: 'valid', kind: 'access_token', inPaste: { names: ['access_token', 'refresh_token', 'id_token'], picked: 0 } });
    const refresh = await inspectToken({ token: mixed, key, policy: null, pick: 1 }, ctx);
    expect(refresh).toMatchObject({ verdict: 'opaque', opaque: { format: 'unrecognised opaque token' }, inPaste: { picked: 1 } });
    expect(finding(refresh, 'TOKEN_IN_PASTE')?.message).toMatch(/^Read "refresh_token", one of 3 tokens in the paste; .* The others: "access_token", "id_token"\./);
    expect((await inspectToken({ token: mixed, key, policy: null, pick: 2 }, ctx)).kind).toBe('id_token');
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
    // The token picked from each paste, as each side's verdict read it: here the second of two.
    const two = JSON.stringify({ id_token: idToken, access_token: bound });
    expect(await dpopBinding(proof, two, ctx)).toMatchObject({ verdict: 'not_bound', ath: 'differs' });
    expect(await dpopBinding(proof, two, ctx, undefined, { proof: 0, accessToken: 1 })).toMatchObject({ verdict: 'bound', ath: 'matches', jkt: 'matches' });
    expect(await dpopBinding(`DPoP: ${proof}\nAuthorization: DPoP ${bound}`, two, ctx, undefined, { proof: 1, accessToken: 1 })).toBeNull();
    expect(await dpopBinding(`DPoP: ${proof}\nAuthorization: DPoP ${bound}`, two, ctx, undefined, { proof: 0, accessToken: 1 })).toMatchObject({ verdict: 'bound' });
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
