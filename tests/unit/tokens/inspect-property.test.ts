/**
 * Whatever is pasted, the inspector answers: a verdict the contract accepts, never a throw, never a
 * hang. Random text, and real tokens mutated the ways copy-paste and attackers mutate them.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { exportJWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectToken } from '../../../electron/core/tokens/inspect';
import { inspection, VERDICTS } from '../../../shared/tokens';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const holder = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let token = '';
/** An SD-JWT with three disclosures (one an array element's) and a Key Binding JWT. */
let sdJwt = '';

beforeAll(async () => {
  token = await new SignJWT({ sub: 'user-1', aud: 'api', exp: 2_000_000_000 }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(rsa.privateKey);
  const disclosures = [['c2FsdC1vbmUtMTIzNDU2Nzg5MA', 'given_name', 'Erika'], ['c2FsdC10d28tMTIzNDU2Nzg5MA', 'address', { locality: 'Berlin' }], ['c2FsdC10aHJlZS0xMjM0NTY3ODk', 'DE']].map((d) => Buffer.from(JSON.stringify(d)).toString('base64url'));
  const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
  const issued = await new SignJWT({ iss: 'https://issuer.example.com', _sd: [digest(disclosures[0]), digest(disclosures[1])], nationalities: [{ '...': digest(disclosures[2]) }], _sd_alg: 'sha-256', cnf: { jwk: await exportJWK(holder.publicKey) }, exp: 2_000_000_000 })
    .setProtectedHeader({ alg: 'RS256', typ: 'dc+sd-jwt' })
    .sign(rsa.privateKey);
  const presented = `${issued}~${disclosures.join('~')}~`;
  const keyBinding = await new SignJWT({ aud: 'https://verifier.example.com', nonce: 'n-1', sd_hash: digest(presented), iat: Date.UTC(2026, 10, 23) / 1000 }).setProtectedHeader({ alg: 'ES256', typ: 'kb+jwt' }).sign(holder.privateKey);
  sdJwt = presented + keyBinding;
});

const ctx = {
  nowMs: Date.UTC(2026, 10, 23),
  credentialSecret: () => {
    throw new Error('no vault here');
  },
  serverJwks: () => {
    throw new Error('no vault here');
  },
};

async function answers(text: string, withKey: boolean): Promise<void> {
  const started = performance.now();
  const result = await inspectToken({ token: text, key: withKey ? { kind: 'pem', pem } : null, policy: null }, ctx);
  // Hangs are what this guards against; a second is far beyond any real answer.
  expect(performance.now() - started).toBeLessThan(1000);
  expect(VERDICTS).toContain(result.verdict);
  expect(() => inspection.parse(result)).not.toThrow();
}

/** Edits a copy-paste or an attacker makes: change, drop or insert a character, cut, re-split. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: fc.constantFrom('.', '=', ' ', '\u200b', '"', '+', '/', 'A') }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);

function mutate(text: string, edits: fc.Arbitrary<unknown> extends never ? never : { kind: string; at: number; char?: string }[]): string {
  let out = text;
  for (const edit of edits) {
    const at = edit.at % (out.length + 1);
    if (edit.kind === 'replace') out = out.slice(0, at) + edit.char + out.slice(at + 1);
    else if (edit.kind === 'drop') out = out.slice(0, at) + out.slice(at + 1);
    else if (edit.kind === 'insert') out = out.slice(0, at) + edit.char + out.slice(at);
    else out = out.slice(0, at);
  }
  return out;
}

describe('the inspector on anything', () => {
  it('answers random text with a verdict', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 500, unit: 'binary' }), fc.boolean(), answers), { numRuns: 300 });
  });

  it('answers mutated real tokens with a verdict', async () => {
    await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.boolean(), (edits, withKey) => answers(mutate(token, edits), withKey)), { numRuns: 300 });
  });

  it('answers tokens whose parts are arbitrary JSON and bytes', async () => {
    const part = fc.oneof(
      fc.json({ maxDepth: 6 }).map((json) => Buffer.from(json).toString('base64url')),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    );
    await fc.assert(fc.asyncProperty(fc.array(part, { minLength: 1, maxLength: 6 }), fc.boolean(), (parts, withKey) => answers(parts.join('.'), withKey)), { numRuns: 300 });
  });

  it('answers mutated SD-JWTs, and SD-JWTs whose disclosures and Key Binding JWT are arbitrary JSON and bytes', async () => {
    const valid = await inspectToken({ token: sdJwt, key: { kind: 'pem', pem }, policy: null }, ctx);
    expect(valid).toMatchObject({ verdict: 'valid', kind: 'sd_jwt', sdJwt: { keyBinding: { status: 'verified' } } });
    await fc.assert(fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 5 }), fc.boolean(), (edits, withKey) => answers(mutate(sdJwt, edits), withKey)), { numRuns: 300 });
    const part = fc.oneof(
      fc.json({ maxDepth: 6 }).map((json) => Buffer.from(json).toString('base64url')),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
    );
    const issued = sdJwt.slice(0, sdJwt.indexOf('~'));
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 8 }), fc.array(part, { maxLength: 4 }), fc.boolean(), (disclosures, keyBinding, withKey) => answers(`${issued}~${disclosures.map((d) => `${d}~`).join('')}${keyBinding.join('.')}`, withKey)),
      { numRuns: 300 },
    );
  });

  it('answers a 5 MB paste', async () => {
    await answers('eyJ' + 'A'.repeat(5 * 1024 * 1024), false);
    // Whitespace around and inside: trimmed in one pass, where a regular expression took minutes.
    await answers(`"${' '.repeat(5 * 1024 * 1024)}${token}"`, true);
    await answers(`a${' \t'.repeat(512 * 1024)}b`, false);
    await answers(`${token.split('.')[0]}.${'A'.repeat(5 * 1024 * 1024)}.${token.split('.')[2]}`, true);
    // An SD-JWT of tildes, and one of a single 5 MB disclosure.
    await answers(`${token}${'~'.repeat(5 * 1024 * 1024)}`, true);
    await answers(`${token}~${'W'.repeat(5 * 1024 * 1024)}~`, true);
  });
});
