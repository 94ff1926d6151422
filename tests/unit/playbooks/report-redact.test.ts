import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyLongRun, redactSecrets, type SecretKind } from '../../../electron/core/playbooks/report/redact';

// A seeded generator, so a failing example is the same on every run.
let seed = 0x6a09_e667;
function nextRandom(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
}
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';
const BASE62 = BASE64URL.slice(0, 62);
const pick = (charset: string, length: number) => Array.from({ length }, () => charset[Math.floor(nextRandom() * charset.length)]).join('');
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const jwt = `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'k-2026-01' })}.${b64url({ sub: 'user-42', exp: 1_800_000_000 })}.${pick(BASE64URL, 342)}`;
const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
const ecPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
/** The longest line of a PEM body: a piece of the key that must not survive. */
const bodyLine = (pem: string) => pem.split('\n').sort((a, b) => b.length - a.length)[0];

/** [text with a secret, the secret (what must not survive), the kind named in its place]. */
const SECRETS: [string, string, SecretKind][] = [
  [`token was ${jwt} in the log`, jwt, 'JWT'],
  [`pasted key:\n${rsaPem}and more`, bodyLine(rsaPem), 'private key'],
  [`${ecPem}`, bodyLine(ecPem), 'private key'],
  ['AWS key AKIAIOSFODNN7EXAMPLE leaked', 'AKIAIOSFODNN7EXAMPLE', 'AWS access key ID'],
  ['secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY leaked', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'token'],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG', 'API key'],
  ['commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b signed', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b', 'hex secret'],
  ['curl -H "Authorization: Bearer x" https://api.example.com', 'Bearer x', 'authorization header'],
  ['sent Bearer x to the API', 'Bearer x', 'bearer token'],
  ['sent Bearer 7Fq.short-Tok3n to the API', '7Fq.short-Tok3n', 'bearer token'],
  ['login with password=hunter2 then', 'hunter2', 'password'],
  ['{"client_secret": "s3cr3t-value", "client_id": "app"}', 's3cr3t-value', 'secret'],
  ['set token=abc123; retry', 'abc123', 'token'],
  ['X-Api-Key: k_live_12345', 'k_live_12345', 'API key'],
  ['db: postgres://admin:Sup3rS3cret@db.internal:5432/app', 'Sup3rS3cret', 'URL credentials'],
  ['Cookie: session=Zm9vYmFy; theme=dark', 'Zm9vYmFy', 'cookie'],
  [`gh token ghp_${pick(BASE62, 36)} found`, 'ghp_', 'GitHub token'],
  [`stripe sk_live_${pick(BASE62, 24)} found`, 'sk_live_', 'Stripe key'],
  [`slack xoxb-1234567890-${pick(BASE62, 24)}`, 'xoxb-', 'Slack token'],
];

describe('redactSecrets', () => {
  it.each(SECRETS)('redacts %#: the %s kind', (text, secret, kind) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(`[redacted: ${kind}]`);
  });

  it('keeps the text around a secret', () => {
    expect(redactSecrets(`Rotated after ${jwt}. Owner told.`)).toBe('Rotated after [redacted: JWT]. Owner told.');
    expect(redactSecrets('then password=hunter2, and on')).toBe('then password=[redacted: password], and on');
    expect(redactSecrets('"password": "hunter2"')).toBe('"password": "[redacted: password]"');
    expect(redactSecrets('curl -H "Authorization: Bearer abc" -X POST')).toBe('curl -H "Authorization: [redacted: authorization header]" -X POST');
    expect(redactSecrets('{"Authorization": "Basic YWxpY2U6czNjcjN0", "x": 1}')).toBe('{"Authorization": "[redacted: authorization header]", "x": 1}');
  });

  it('redacts a PEM private key to the end of the text when its END line is missing', () => {
    const truncated = rsaPem.split('\n').slice(0, 8).join('\n');
    const out = redactSecrets(`before\n${truncated}`);
    expect(out).toBe('before\n[redacted: private key]');
  });

  it('redacts a PEM private key pasted with escaped line breaks (from JSON)', () => {
    const escaped = JSON.stringify({ private_key: ecPem }).slice(1, -1);
    const out = redactSecrets(escaped);
    for (const line of ecPem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) expect(out).not.toContain(line);
  });

  it('redacts random base64, base64url and hex tokens of 32 characters and more', () => {
    const tokens = [
      ...Array.from({ length: 300 }, (_, i) => pick(BASE64URL, 32 + (i % 33))),
      ...Array.from({ length: 300 }, (_, i) => `${pick(BASE64, 40 + (i % 4) * 4)}==`),
      ...Array.from({ length: 100 }, (_, i) => pick(HEX, 32 + (i % 4) * 8)),
      ...Array.from({ length: 50 }, () => randomBytes(32).toString('base64')),
    ];
    const missed = tokens.filter((token) => redactSecrets(`value ${token} here`).includes(token));
    expect(missed).toEqual([]);
  });

  it('leaves identifiers, paths, UUIDs, times and prose alone', () => {
    const benign = [
      '/realms/production/protocol/openid-connect/token',
      '/var/lib/credops/vaults/production-2026-01-15.db',
      'projects/acme-prod/secrets/payments-api-key/versions/7',
      'AbstractSingletonProxyFactoryBean and paymentsProductionDatabaseConnectionString',
      'rotate-signing-key-and-publish-jwks-before-switch#2',
      'remove-copy-in-ci-variable-production-2',
      'run 3f2a9c1e-4b5d-4e6f-8a9b-0c1d2e3f4a5b resumed',
      'at 2026-01-15T12:00:00.000Z by alice@example.com',
      'kid k-2026-01-15-rsa-primary-signing-key published',
      'ssh://git@github.com/acme/payments.git',
      'https://login.example.com/oauth2/default/v1/introspect',
      'Bearer tokens issued during the window were revoked',
      'The old token: inactive',
      'jti 7ZWsOxPt5FnqZk8AYdH4Cw: inactive',
      'x86_64-unknown-linux-gnu/release/credops-server',
      'Checked with the owning team | ticket INC-4211; a # and a > in prose.',
    ];
    for (const text of benign) expect(redactSecrets(text)).toBe(text);
  });

  it('leaves a random-looking public identifier alone when it is named as one, and only then', () => {
    const thumbprint = pick(BASE64URL, 43);
    const other = pick(BASE64URL, 43);
    for (const text of [
      `Kid ${thumbprint} is published in the JWKS of lab.`,
      `{"kid": "${thumbprint}", "alg": "RS256"}`,
      `lab publishes 2 keys: ${thumbprint}, ${other}.`,
      `client_id=${thumbprint}`,
      `jti ${thumbprint} inactive`,
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
    expect(redactSecrets(`signing secret ${thumbprint}`)).toBe('signing secret [redacted: token]');
    expect(redactSecrets(`client secret: ${thumbprint}`)).toBe('client secret: [redacted: secret]');
    expect(redactSecrets(`kid ${thumbprint}; leaked ${other}`)).toBe(`kid ${thumbprint}; leaked [redacted: token]`);
  });

  it('classifies a long run as words or as a secret', () => {
    expect(classifyLongRun('ConfigurationPropertiesBindingPostProcessor')).toBeNull();
    expect(classifyLongRun('00000000000000000000000000000000000000')).toBeNull();
    expect(classifyLongRun('deadbeefdeadbeefdeadbeefdeadbeef0123')).toBe('hex secret');
    expect(classifyLongRun('Xq7pL2mN9vB4kR8sT1wY6zA3cF5hJ0dG')).toBe('token');
  });

  it('counts each redaction once, even a JWT inside a redacted header', () => {
    const kinds: SecretKind[] = [];
    redactSecrets(`Authorization: Bearer ${jwt}\nand password=x1 and ${jwt}`, (kind) => kinds.push(kind));
    expect(kinds.sort()).toEqual(['JWT', 'authorization header', 'password']);
  });

  it('cannot be made to print a placeholder by text that contains its marker characters', () => {
    const out = redactSecrets('\uE0000\uE001 and password=hunter2');
    expect(out).toBe('\uFFFD0\uFFFD and password=[redacted: password]');
  });

  it('stays linear on adversarial input', () => {
    const attacks = ['password="'.repeat(20_000), 'a-'.repeat(100_000), 'eyJ.'.repeat(50_000), '-----BEGIN PRIVATE KEY-----'.repeat(5_000), 'x'.repeat(31).concat(' ').repeat(6_000)];
    const started = performance.now();
    for (const attack of attacks) redactSecrets(attack);
    // Quadratic work on these 200 KB inputs would take minutes; linear work takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('redaction of hostile text', () => {
  it('reads blanks before a long run once', () => {
    // A key id's name, a long run of blanks, then runs that look like secrets: the blanks around
    // ":" were split n² ways before each run.
    const unit = () => ` kid${' '.repeat(2_000)}${Array.from({ length: 60 }, () => `!${pick(BASE62, 33)}`).join('')}`;
    const blanks = Array.from({ length: 5 }, unit).join('');
    const started = performance.now();
    expect(redactSecrets(blanks)).toContain('[redacted:');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('redacts a JWT glued to a dash, or at the end of a dashed run', () => {
    expect(redactSecrets(`token-${jwt} used`)).toBe('token-[redacted: JWT] used');
    expect(redactSecrets(`see eyJ-eyJ-${jwt}.`)).toBe('see [redacted: JWT].');
  });

  it('redacts an SD-JWT whole, its disclosures however short, and keeps a ~ that is only text after a plain JWT', () => {
    const shortSalt = b64url(['abc', 'age', 42]);
    const keyBinding = `${b64url({ alg: 'ES256', typ: 'kb+jwt' })}.${b64url({ nonce: 'n-1' })}.${pick(BASE64URL, 86)}`;
    expect(redactSecrets(`wallet sent ${jwt}~${shortSalt}~${keyBinding} to us`)).toBe('wallet sent [redacted: JWT] to us');
    expect(redactSecrets(`issued ${jwt}~${shortSalt}~.`)).toBe('issued [redacted: JWT].');
    // A form body as Java's URLEncoder writes it, with a padded disclosure.
    expect(redactSecrets(`vp_token=${jwt}%7E${shortSalt}=%7E${shortSalt}%7E${keyBinding}&state=1`)).toBe('vp_token=[redacted: JWT]&state=1');
    expect(redactSecrets(`~~${jwt}~~ revoked, ${jwt}~Wyatt approved, ${jwt}~/home`)).toBe('~~[redacted: JWT]~~ revoked, [redacted: JWT]~Wyatt approved, [redacted: JWT]~/home');    // A presentation cut short: its last disclosure has no ~ after it, and goes all the same.
    expect(redactSecrets(`sent ${jwt}~${shortSalt} ok`)).toBe('sent [redacted: JWT] ok');
  });

  it('redacts a JWT whose claims nest thousands deep, followed by a ~', () => {
    const deep = `${b64url({ alg: 'HS256' })}.${Buffer.from(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`).toString('base64url')}.${pick(BASE64URL, 43)}`;
    expect(redactSecrets(`note ${deep}~ end`)).toBe('note [redacted: JWT]~ end');
  });

  it('reads a server-sized run of eyJ- once', () => {
    // A JWKS may name its key with any kid: 62,000 × eyJ- (248 KB) took 13 s when every eyJ rescanned the run.
    const kid = 'eyJ-'.repeat(62_000);
    const started = performance.now();
    expect(redactSecrets(`Published kids: ${kid}, ${jwt}`)).toBe(`Published kids: ${kid}, [redacted: JWT]`);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
