/**
 * An SD-JWT found by leak triage is one secret, with its disclosures (the personal data) and its
 * Key Binding JWT, never a JWT and a second JWT; a `~` that is only text after a JWT stays text.
 */
import { createHash, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { b64, handMade, now } from '../../support/hand-made-tokens';
import { detectAll, splitAt } from '../../support/leak-corpus';

const issuer = generateKeyPairSync('ed25519');
const holder = generateKeyPairSync('ed25519');
const eddsa = (key: typeof issuer.privateKey) => (input: string) => sign(null, Buffer.from(input), key);
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

const disclosures = [b64(['c2FsdC1vbmUtc2FsdC1vbmU', 'given_name', 'Ana']), b64(['c2FsdC10d28tc2FsdC10d28', 'email', 'ana@acme.test']), b64(['c2FsdC10aHJlZS1zYWx0LTM', 'DE'])];
const claims = (extra: Record<string, unknown> = {}) => ({ iss: 'https://issuer.acme.test', iat: now - 60, exp: now + 3600, _sd: disclosures.slice(0, 2).map(sha256), nationalities: [{ '...': sha256(disclosures[2]) }], _sd_alg: 'sha-256', ...extra });
const bound = claims({ cnf: { jwk: createPublicKey(holder.privateKey).export({ format: 'jwk' }) } });
const issuedJwt = (body: Record<string, unknown> = bound, typ = 'dc+sd-jwt') => handMade({ alg: 'EdDSA', typ }, body, eddsa(issuer.privateKey));
const withDisclosures = (jwt: string, parts = disclosures) => `${jwt}~${parts.map((d) => `${d}~`).join('')}`;
const keyBinding = (presented: string) => handMade({ alg: 'EdDSA', typ: 'kb+jwt' }, { iat: now, aud: 'https://verifier.acme.test', nonce: 'n-1', sd_hash: sha256(presented) }, eddsa(holder.privateKey));
const plainJwt = handMade({ alg: 'ES256', typ: 'JWT' }, { sub: 'user-1', exp: now + 600 }, () => Buffer.alloc(64, 7));

/** The one secret found in a line, with what was said of it. */
function onlySecretIn(line: string) {
  const found = [...detectAll(`${line}\n`).values()];
  expect(found.map((f) => f.detected.format)).toHaveLength(1);
  return found[0].detected;
}

describe('an SD-JWT in leaked text', () => {
  it('is one secret with its disclosures and Key Binding JWT, matched in the inventory by its JWT too', () => {
    const jwt = issuedJwt();
    const presented = withDisclosures(jwt);
    const presentation = presented + keyBinding(presented);
    const detected = onlySecretIn(`INFO verifier: vp_token=${presentation}&state=xyz`);
    // Matched by the JWT alone, and by the credential as issued, when every disclosure was presented.
    expect(detected).toMatchObject({ kind: 'jwt', provider: 'JWT', format: 'SD-JWT (EdDSA, 3 disclosures, key binding)', secret: presentation, variants: [jwt, presented], severity: 'medium', assignedTo: 'vp_token' });
    expect(detected.advice).toMatch(/3 disclosures hold claims the holder revealed, often personal data.*bound to its holder's key/);
    // The mask ends as the JWT does: an SD-JWT's last characters may be a disclosed value.
    expect(detected.masked).toBe(`eyJhbGciOi••••••••${jwt.slice(-4)}`);
  });

  it('is urgent when issued with its disclosures and bound to no holder key: whoever holds it can present it', () => {
    const issued = withDisclosures(issuedJwt(claims()));
    const detected = onlySecretIn(`{"credential": "${issued}"}`);
    expect(detected).toMatchObject({ format: 'SD-JWT (EdDSA, 3 disclosures)', secret: issued, severity: 'high' });
    expect(detected.advice).toMatch(/bound to no holder key: whoever holds it can present it/);
  });

  it('takes a Key Binding JWT after a JWT with no disclosures, and a JWT that issues an SD-JWT with its closing ~', () => {
    const jwt = issuedJwt();
    expect(onlySecretIn(`vp=${jwt}~${keyBinding(`${jwt}~`)} ok`)).toMatchObject({ format: 'SD-JWT (EdDSA, 0 disclosures, key binding)', secret: `${jwt}~${keyBinding(`${jwt}~`)}` });
    expect(onlySecretIn(`credential ${jwt}~.`)).toMatchObject({ format: 'SD-JWT (EdDSA, 0 disclosures)', secret: `${jwt}~` });
    // Only digests deep in the claims say so, and no typ.
    const nested = issuedJwt({ iss: 'https://issuer.acme.test', address: { _sd: [sha256(disclosures[0])] } }, 'JWT');
    expect(onlySecretIn(`${nested}~ sent`).secret).toBe(`${nested}~`);
  });

  it('stops at a part that is no disclosure, keeping the disclosures before it', () => {
    const jwt = issuedJwt();
    const notJson = b64('["salt", "given_name"'); // begins like a disclosure, but the array never closes
    for (const after of [`~${notJson}~`, '~Wyatt~', '~~']) {
      expect(onlySecretIn(`presentation=${withDisclosures(jwt, disclosures.slice(0, 2))}${after.slice(1)} end`)).toMatchObject({ format: 'SD-JWT (EdDSA, 2 disclosures)', secret: withDisclosures(jwt, disclosures.slice(0, 2)) });
    }
  });

  it('leaves a ~ that is only text after a plain JWT out of it', () => {
    for (const after of ['~~strike~~', '~5 min later', '~/bin/run', '~Wyatt', '~', '~ ~']) {
      expect(onlySecretIn(`token ${plainJwt}${after}`), after).toMatchObject({ format: 'JWT (ES256)', secret: plainJwt, variants: [] });
    }
  });

  it('reports a JWT after a ~ that is no SD-JWT tail as a token of its own', () => {
    const other = handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'user-2', exp: now + 600 }, () => Buffer.alloc(32, 9));
    const secrets = (line: string) => [...detectAll(`${line}\n`).values()].map((f) => [f.detected.format, f.detected.secret]);
    expect(secrets(`a ${plainJwt}~${other} b`)).toEqual([['JWT (ES256)', plainJwt], ['JWT (HS256)', other]]);
    expect(secrets(`2026-11-24~alice~${plainJwt}~${other}~200`)).toEqual([['JWT (ES256)', plainJwt], ['JWT (HS256)', other]]);
    // After a part that is no disclosure, the Key Binding JWT is no longer the presentation's, but it is still a token.
    const jwt = issuedJwt();
    const presented = withDisclosures(jwt, disclosures.slice(0, 1));
    const binding = keyBinding(`${presented}Wyatt~`);
    expect(secrets(`${presented}Wyatt~${binding}`)).toEqual([['SD-JWT (EdDSA, 1 disclosure)', presented], ['JWT (EdDSA)', binding]]);
  });

  it('reads a form body that encoded each ~ as %7E, and disclosures with base64 padding', () => {
    const jwt = issuedJwt();
    const presented = withDisclosures(jwt);
    const presentation = presented + keyBinding(presented);
    const padded = (d: string) => d + '='.repeat((4 - (d.length % 4)) % 4);
    const form = `vp_token=${jwt}%7E${disclosures.map((d) => `${padded(d)}%7E`).join('')}${keyBinding(presented)}&presentation_submission=x`;
    expect(onlySecretIn(form)).toMatchObject({ format: 'SD-JWT (EdDSA, 3 disclosures, key binding)', secret: form.slice(9, form.indexOf('&')).replaceAll('%7E', '~') });
    expect(onlySecretIn(`vp_token=${presentation.replaceAll('~', '%7e')}`).secret).toBe(presentation);
  });

  it('is bound only by a cnf that names a key: an empty one binds it to none', () => {
    for (const cnf of [{}, [], 'holder']) expect(onlySecretIn(withDisclosures(issuedJwt(claims({ cnf })))).severity, JSON.stringify(cnf)).toBe('high');
    expect(onlySecretIn(withDisclosures(issuedJwt(claims({ cnf: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' } })))).severity).toBe('medium');
  });

  it('takes a JWT whose x5c header runs past the longest value a name is given as one token, not a value and a token', () => {
    const chain = Array.from({ length: 2 }, () => Buffer.alloc(900, 3).toString('base64'));
    const jwt = handMade({ alg: 'EdDSA', typ: 'dc+sd-jwt', x5c: chain }, bound, eddsa(issuer.privateKey));
    const presented = withDisclosures(jwt);
    expect(onlySecretIn(`vp_token=${presented}`)).toMatchObject({ format: 'SD-JWT (EdDSA, 3 disclosures)', assignedTo: 'vp_token' });
  });

  it('waits for an SD-JWT or a JWT longer than the scanner\'s overlap across chunks, wherever they are cut', () => {
    const portrait = b64(['c2FsdC1mb3VyLXNhbHQtZm91cg', 'portrait', Buffer.alloc(24 * 1024, 5).toString('base64')]);
    const jwt = issuedJwt(claims({ _sd: [...disclosures.slice(0, 2), portrait].map(sha256) }));
    const presented = withDisclosures(jwt, [...disclosures, portrait]);
    const presentation = presented + keyBinding(presented);
    // A JWT whose payload alone is longer than the overlap, cut inside its header or payload.
    const long = handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'u', blob: 'b'.repeat(31 * 1024) }, () => Buffer.alloc(32, 1));
    const before = 'log line before\n'.repeat(2000);
    for (const [token, format, line] of [
      [presentation, 'SD-JWT (EdDSA, 4 disclosures, key binding)', `vp_token=${presentation}&state=x`],
      [long, 'JWT (HS256)', `token ${long} end`],
    ]) {
      const text = Buffer.from(`${before}${line}\nafter\n`);
      const at = text.indexOf(token.slice(0, 40));
      // Every place around each separator (~W|y, ~|eyJ, %7|E), and every 97th inside the token.
      const separators = [...token.matchAll(/~/g)].map((m) => m.index);
      const cuts = new Set([...separators.flatMap((i) => Array.from({ length: 9 }, (_, d) => i - 4 + d)), ...Array.from({ length: Math.ceil(token.length / 97) }, (_, i) => i * 97)]);
      for (const cut of cuts) {
        const chunks = [text.subarray(0, at + cut), text.subarray(at + cut)];
        expect([...detectAll(chunks).values()].map((f) => [f.detected.format, f.detected.secret === token]), `${format} cut at ${cut}`).toEqual([[format, true]]);
      }
      // As gzip hands it over: 16 KB at a time.
      const gzipChunks = Array.from({ length: Math.ceil(text.length / 16384) }, (_, i) => text.subarray(i * 16384, (i + 1) * 16384));
      expect([...detectAll(gzipChunks).values()].map((f) => f.detected.format)).toEqual([format]);
    }
  });

  it('waits for a long JWT glued to a run that began in an earlier window, or just after a token it reported', () => {
    const long = handMade({ alg: 'HS256', typ: 'JWT' }, { sub: 'u', blob: 'b'.repeat(33 * 1024) }, () => Buffer.alloc(32, 1));
    const refresh = `1//0${'gWk7Qz2Lm9Xp4Rt8Vb1Nc6Hd3Fs5Jy0Ae'}`;
    for (const before of [`log start\n${'x'.repeat(30000)}.`, `k ${refresh}.`]) {
      const text = Buffer.from(`${before}${long}\nend\n`);
      const whole = [...detectAll(text.toString()).values()].map((f) => [f.detected.secret, f.places]);
      expect(whole.map(([secret]) => secret === long)).toContain(true);
      const at = text.indexOf('eyJ');
      for (const cuts of [[at + 20000], [at - 5000, at + 30000], [at - 1000, at + 17000]]) {
        expect([...detectAll(splitAt(text, cuts)).values()].map((f) => [f.detected.secret, f.places]), `${before.slice(0, 12)} cut at ${cuts.map((c) => c - at).join(', ')}`).toEqual(whole);
      }
    }
  });

  it('stays quick on megabyte runs that look like the start of a JWT, read in small chunks', () => {
    const run = Buffer.from(`eyJhbGciOi.eyJhbGciOi.${'x'.repeat(2 * 1024 * 1024)}\n`);
    const started = performance.now();
    const found = detectAll(Array.from({ length: Math.ceil(run.length / 4096) }, (_, i) => run.subarray(i * 4096, (i + 1) * 4096)));
    // A hang guard, not a figure: waiting for a run is bounded by MAX_DEFERRED_CHARS over the chunk size.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(found.size).toBeLessThanOrEqual(1);
  });

  it('still reports base64 of other JSON under a name as a secret: skipping a long value for the JWT finder asks for a JOSE header', () => {
    const serviceAccount = Buffer.from(JSON.stringify({ type: 'service_account', project_id: 'acme-prod', private_key_id: 'a'.repeat(40), private_key: `-----BEGIN PRIVATE KEY-----\n${Buffer.alloc(1200, 7).toString('base64')}\n-----END PRIVATE KEY-----\n`, client_email: 'ci@acme-prod.iam.gserviceaccount.com' })).toString('base64');
    expect(onlySecretIn(`export GOOGLE_CREDENTIALS=${serviceAccount}`)).toMatchObject({ kind: 'generic', format: 'Secret assigned to GOOGLE_CREDENTIALS' });
  });

  it('reads claims nested thousands deep without overflowing the stack', () => {
    const deep = `{"sub":"u","a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const jwt = `${b64({ alg: 'HS256' })}.${b64(deep)}.${'s'.repeat(43)}`;
    expect(onlySecretIn(`token ${jwt}~ end`)).toMatchObject({ format: 'JWT (HS256)', secret: jwt });
  });

  it('reads megabytes of ~ parts after a JWT in one pass', () => {
    const jwt = issuedJwt();
    const started = performance.now();
    const found = detectAll(`${jwt}${'~Wy'.repeat(1024 * 1024)}~x\n${plainJwt}\n`);
    // A hang guard, not a figure: the tail is read in linear time (the leaks bench times scanning).
    expect(performance.now() - started).toBeLessThan(5000);
    expect([...found.values()].map((f) => [f.detected.format, f.detected.secret])).toEqual([
      ['SD-JWT (EdDSA, 0 disclosures)', `${jwt}~`],
      ['JWT (ES256)', plainJwt],
    ]);
  });
});
