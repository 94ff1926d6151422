/**
 * A leak corpus for tests and the bench: realistic log text (CI build logs, Kubernetes events,
 * JSON lines, .env dumps, curl -v output, stack traces, key files) with planted secrets of every
 * format the leak scanner supports, among decoys it must not report (UUIDs, hashes, base64 blobs,
 * documentation example keys, placeholders, names that merely contain a secret word, public keys
 * and certificates, URLs and paths, weak words assigned to a password).
 *
 * Everything is derived from a seed (xorshift, as in the opaque-format tests), private keys too,
 * so a failure repeats: the same seed gives the same text, line for line. Only the ES256 and JWE
 * tokens carry node:crypto randomness (ECDSA nonces, a JWE's key and IV); their lengths are fixed.
 *
 * For each planted secret the corpus records the secret as the scanner reports it (a private key
 * as one canonical PEM however it was written), its kind and provider, and every place it was
 * written (1-based line and column, columns in characters of the UTF-8 text).
 */
import { checkPrimeSync, createECDH, createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { CompactEncrypt, SignJWT } from 'jose';
import { detectSecret, type DetectedSecret } from '../../electron/core/secrets/detect-secret';
import { SecretScanner, type Candidate } from '../../electron/core/secrets/scanner';
import type { LeakKind } from '../../shared/leaks';

export interface Place {
  line: number;
  column: number;
}

export interface PlantedSecret {
  /** A short name for test titles: `github-classic`, `pem-pkcs8`. */
  id: string;
  kind: LeakKind;
  provider: string;
  /** The secret as detect-secret reports it (for a private key, its canonical PEM). */
  secret: string;
  /** Every place it was written, in order. */
  places: Place[];
  /** The name it must be reported as assigned to, when the test cares. */
  assignedTo?: string;
  /** A fragment the reported format must contain. */
  format?: RegExp;
}

export interface Decoy {
  /** Why it is not a secret, for test titles. */
  why: string;
  /** The text that must not be reported, as written. */
  text: string;
  /** Lines it occupies. */
  lines: number[];
}

export interface LeakCorpus {
  text: string;
  planted: PlantedSecret[];
  decoys: Decoy[];
  /** Keys planted in the text, for tests that store them in the inventory in another form. */
  keys: { rsaPkcs8: KeyObject; rsaPkcs1: KeyObject; ec: KeyObject; ed25519: KeyObject };
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness.

export type Random = () => number;

/** xorshift32: fast, seeded, and good enough to pick characters. */
export function seededRandom(seed: number): Random {
  let state = seed | 0 || 0x2f6b_1d35;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

export const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const LETTERS = BASE62.slice(0, 52);
export const URL_SAFE = `${BASE62}_-`;
export const BASE64 = `${BASE62}+/`;
export const HEX = '0123456789abcdef';
export const DIGITS = '0123456789';
export const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const PASSWORD_CHARS = `${BASE62}!@#%^&*`;

export const pick = (random: Random, charset: string, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) out += charset[Math.floor(random() * charset.length)];
  return out;
};
const bytes = (random: Random, length: number): Buffer => Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
const uuid = (random: Random): string => {
  const h = pick(random, HEX, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(random() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

// ---------------------------------------------------------------------------------------------
// Deterministic private keys (node:crypto cannot seed its key generation).

function toBase64Url(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  base %= modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % modulus;
    base = (base * base) % modulus;
  }
  return result;
}
function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
function seededPrime(random: Random, bits: number): bigint {
  for (;;) {
    const raw = bytes(random, bits / 8);
    raw[0] |= 0xc0;
    raw[raw.length - 1] |= 1;
    const candidate = BigInt(`0x${raw.toString('hex')}`);
    if ((candidate - 1n) % 65537n !== 0n && checkPrimeSync(candidate)) return candidate;
  }
}
/** An RSA key from seeded primes: the same seed, the same key. */
export function seededRsaKey(random: Random, bits = 2048): KeyObject {
  const e = 65537n;
  const p = seededPrime(random, bits / 2);
  let q = seededPrime(random, bits / 2);
  while (q === p) q = seededPrime(random, bits / 2);
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const jwk = { kty: 'RSA', n: toBase64Url(p * q), e: toBase64Url(e), d: toBase64Url(d), p: toBase64Url(p), q: toBase64Url(q), dp: toBase64Url(d % (p - 1n)), dq: toBase64Url(d % (q - 1n)), qi: toBase64Url(modInverse(q, p)) };
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  // A wrong key would still export: prove it signs and verifies.
  if (modPow(modPow(42n, e, p * q), d, p * q) !== 42n) throw new Error('seeded RSA key is inconsistent');
  return key;
}
export function seededEcKey(random: Random): KeyObject {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(bytes(random, 32));
  const point = ecdh.getPublicKey();
  return createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: ecdh.getPrivateKey().toString('base64url'), x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
}
export function seededEd25519Key(random: Random): KeyObject {
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), bytes(random, 32)]), format: 'der', type: 'pkcs8' });
}

const sshString = (value: Buffer | string): Buffer => {
  const body = Buffer.from(value);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
};
/** An unencrypted OpenSSH private key file for an Ed25519 key, exactly as ssh-keygen writes it (base64 wrapped at 70). */
export function openSshPrivateKey(key: KeyObject, comment: string, check = 0x5eed_1234): string {
  const seed = key.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  const pub = Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url');
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const checkint = Buffer.alloc(4);
  checkint.writeUInt32BE(check);
  let secret = Buffer.concat([checkint, checkint, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  const padding = Buffer.from(Array.from({ length: (8 - (secret.length % 8)) % 8 }, (_, i) => i + 1));
  secret = Buffer.concat([secret, padding]);
  const one = Buffer.alloc(4);
  one.writeUInt32BE(1);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), one, sshString(publicBlob), sshString(secret)]).toString('base64');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/** A PEM block as a key file holds it: header, base64 wrapped at 64, footer, no trailing newline (what the scanner reports). */
export function canonicalPem(pem: string): string {
  const text = pem.replace(/\\r\\n|\\n/g, '\n');
  const header = /-----BEGIN [A-Z0-9 ]+-----/.exec(text)![0];
  const footer = /-----END [A-Z0-9 ]+-----/.exec(text)![0];
  const body = text.slice(text.indexOf(header) + header.length, text.indexOf(footer)).replace(/\s/g, '');
  return `${header}\n${body.match(/.{1,64}/g)!.join('\n')}\n${footer}`;
}

export const pemOf = (key: KeyObject, type: 'pkcs1' | 'pkcs8' | 'sec1' | 'spki'): string =>
  (type === 'spki' ? createPublicKey(key).export({ format: 'pem', type }) : key.export({ format: 'pem', type })).toString();

// ---------------------------------------------------------------------------------------------
// Tokens of every supported format.

export type TokenMaker = (random: Random) => string;

/** One maker per supported token format, with the provider and a fragment of the format the scanner names. */
export const TOKEN_FORMATS: { id: string; provider: string; format: RegExp; make: TokenMaker }[] = [
  { id: 'github-classic', provider: 'GitHub', format: /personal access token \(classic\)/, make: (r) => `ghp_${pick(r, BASE62, 36)}` },
  { id: 'github-oauth', provider: 'GitHub', format: /OAuth app/, make: (r) => `gho_${pick(r, BASE62, 36)}` },
  { id: 'github-user', provider: 'GitHub', format: /App user access token/, make: (r) => `ghu_${pick(r, BASE62, 36)}` },
  { id: 'github-installation', provider: 'GitHub', format: /installation access token/, make: (r) => `ghs_${pick(r, BASE62, 36)}` },
  { id: 'github-refresh', provider: 'GitHub', format: /refresh token/, make: (r) => `ghr_${pick(r, BASE62, 76)}` },
  { id: 'github-fine-grained', provider: 'GitHub', format: /fine-grained/, make: (r) => `github_pat_11${pick(r, UPPER_ALNUM, 20)}_${pick(r, BASE62, 59)}` },
  { id: 'gitlab-pat', provider: 'GitLab', format: /personal, project or group access token/, make: (r) => `glpat-${pick(r, URL_SAFE, 20)}` },
  { id: 'gitlab-deploy', provider: 'GitLab', format: /deploy token/, make: (r) => `gldt-${pick(r, URL_SAFE, 20)}` },
  { id: 'gitlab-runner', provider: 'GitLab', format: /runner authentication token/, make: (r) => `glrt-${pick(r, URL_SAFE, 20)}` },
  { id: 'stripe-secret-live', provider: 'Stripe', format: /secret key \(live mode\)/, make: (r) => `sk_live_51${pick(r, BASE62, 97)}` },
  { id: 'stripe-secret-test', provider: 'Stripe', format: /secret key \(test mode\)/, make: (r) => `sk_test_51${pick(r, BASE62, 97)}` },
  { id: 'stripe-restricted-live', provider: 'Stripe', format: /restricted key \(live mode\)/, make: (r) => `rk_live_51${pick(r, BASE62, 97)}` },
  { id: 'stripe-publishable-live', provider: 'Stripe', format: /publishable key \(live mode\)/, make: (r) => `pk_live_51${pick(r, BASE62, 97)}` },
  { id: 'stripe-webhook', provider: 'Stripe', format: /Webhook signing secret/, make: (r) => `whsec_${pick(r, BASE62, 32)}` },
  { id: 'slack-bot', provider: 'Slack', format: /bot token/, make: (r) => `xoxb-${pick(r, DIGITS, 13)}-${pick(r, DIGITS, 13)}-${pick(r, BASE62, 24)}` },
  { id: 'slack-user', provider: 'Slack', format: /user token/, make: (r) => `xoxp-${pick(r, DIGITS, 12)}-${pick(r, DIGITS, 13)}-${pick(r, DIGITS, 13)}-${pick(r, HEX, 32)}` },
  { id: 'slack-app', provider: 'Slack', format: /app-level token/, make: (r) => `xapp-1-A${pick(r, UPPER_ALNUM, 10)}-${pick(r, DIGITS, 13)}-${pick(r, HEX, 64)}` },
  { id: 'slack-webhook', provider: 'Slack', format: /incoming webhook URL/, make: (r) => `hooks.slack.com/services/T${pick(r, UPPER_ALNUM, 8)}/B${pick(r, UPPER_ALNUM, 10)}/${pick(r, BASE62, 24)}` },
  { id: 'aws-key-id', provider: 'AWS', format: /access key ID \(long-term/, make: (r) => `AKIA${pick(r, BASE32, 16)}` },
  { id: 'aws-session-key-id', provider: 'AWS', format: /temporary access key ID/, make: (r) => `ASIA${pick(r, BASE32, 16)}` },
  { id: 'google-api-key', provider: 'Google', format: /API key/, make: (r) => `AIza${pick(r, URL_SAFE, 35)}` },
  { id: 'google-access-token', provider: 'Google', format: /OAuth access token/, make: (r) => `ya29.a0${pick(r, URL_SAFE, 180)}` },
  { id: 'google-client-secret', provider: 'Google', format: /OAuth client secret/, make: (r) => `GOCSPX-${pick(r, URL_SAFE, 28)}` },
  { id: 'openai-project', provider: 'OpenAI', format: /project API key/, make: (r) => `sk-proj-${pick(r, URL_SAFE, 74)}T3BlbkFJ${pick(r, URL_SAFE, 74)}` },
  { id: 'openai-service-account', provider: 'OpenAI', format: /service account key/, make: (r) => `sk-svcacct-${pick(r, URL_SAFE, 74)}T3BlbkFJ${pick(r, URL_SAFE, 74)}` },
  { id: 'openai-legacy', provider: 'OpenAI', format: /legacy user key/, make: (r) => `sk-${pick(r, BASE62, 20)}T3BlbkFJ${pick(r, BASE62, 20)}` },
  { id: 'anthropic', provider: 'Anthropic', format: /API key/, make: (r) => `sk-ant-api03-${pick(r, URL_SAFE, 93)}AA` },
  { id: 'npm', provider: 'npm', format: /access token/, make: (r) => `npm_${pick(r, BASE62, 36)}` },
  { id: 'pypi', provider: 'PyPI', format: /^PyPI API token/, make: (r) => `pypi-AgEIcHlwaS5vcmc${pick(r, URL_SAFE, 160)}` },
  { id: 'sendgrid', provider: 'SendGrid', format: /API key/, make: (r) => `SG.${pick(r, URL_SAFE, 22)}.${pick(r, URL_SAFE, 43)}` },
  { id: 'shopify', provider: 'Shopify', format: /Admin API access token/, make: (r) => `shpat_${pick(r, HEX, 32)}` },
  { id: 'huggingface', provider: 'Hugging Face', format: /user access token/, make: (r) => `hf_${pick(r, LETTERS, 34)}` },
];

// ---------------------------------------------------------------------------------------------
// JWTs.

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** Far in the future and long past, so an inspection today reads them the same way every year. */
export const FUTURE_EXP = Math.floor(Date.UTC(2099, 0, 1) / 1000);
export const PAST_EXP = Math.floor(Date.UTC(2024, 0, 1) / 1000);

/** An HS256 token signed with one of the inspector's well-known secrets. */
export function weakHs256Jwt(random: Random, exp = FUTURE_EXP): Promise<string> {
  return new SignJWT({ sub: `user-${pick(random, DIGITS, 6)}`, role: 'admin', exp }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('https://api.acme.test').sign(Buffer.from('secret'));
}
/** RS256 signed with node:crypto directly, as a hand-rolled issuer would. */
export function rs256Jwt(key: KeyObject, random: Random, exp: number): string {
  const input = `${b64json({ alg: 'RS256', typ: 'JWT', kid: pick(random, HEX, 8) })}.${b64json({ iss: 'https://login.acme.test/', sub: uuid(random), aud: 'orders-api', iat: exp - 3600, exp, scope: 'orders:read orders:write' })}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
export function eddsaJwt(key: KeyObject, random: Random): string {
  const input = `${b64json({ alg: 'EdDSA', typ: 'at+jwt' })}.${b64json({ iss: 'https://idp.acme.test', sub: uuid(random), client_id: pick(random, BASE62, 24), exp: FUTURE_EXP })}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}
export function es256Jwt(key: KeyObject, random: Random): Promise<string> {
  return new SignJWT({ sub: uuid(random), tenant: 'acme', exp: FUTURE_EXP }).setProtectedHeader({ alg: 'ES256', kid: 'k-2026-01' }).sign(key);
}
export function jwe(key: KeyObject, random: Random): Promise<string> {
  return new CompactEncrypt(Buffer.from(JSON.stringify({ sub: uuid(random), email: 'ana@acme.test', exp: FUTURE_EXP }))).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' }).encrypt(createPublicKey(key));
}

/**
 * An SD-JWT presentation (RFC 9901) as a verifier logs it: three disclosures of personal data and
 * the holder's Key Binding JWT. EdDSA throughout (deterministic), so the text repeats for a seed.
 */
export function sdJwtPresentation(issuer: KeyObject, holder: KeyObject, random: Random, presentedAt = PAST_EXP): string {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');
  const disclosures = [['given_name', 'Ana'], ['family_name', 'Souza'], ['email', 'ana.souza@acme.test']].map((claim) => b64json([pick(random, URL_SAFE, 22), ...claim]));
  const claims = { iss: 'https://wallet-issuer.acme.test', vct: 'https://credentials.acme.test/employee', iat: PAST_EXP, exp: FUTURE_EXP, _sd: disclosures.map(sha256), _sd_alg: 'sha-256', cnf: { jwk: createPublicKey(holder).export({ format: 'jwk' }) } };
  const input = `${b64json({ alg: 'EdDSA', typ: 'dc+sd-jwt' })}.${b64json(claims)}`;
  const presented = `${input}.${sign(null, Buffer.from(input), issuer).toString('base64url')}~${disclosures.map((d) => `${d}~`).join('')}`;
  const binding = `${b64json({ alg: 'EdDSA', typ: 'kb+jwt' })}.${b64json({ iat: presentedAt, aud: 'https://verifier.acme.test', nonce: pick(random, URL_SAFE, 16), sd_hash: sha256(presented) })}`;
  return `${presented}${binding}.${sign(null, Buffer.from(binding), holder).toString('base64url')}`;
}

// ---------------------------------------------------------------------------------------------
// Documentation examples, placeholders and other decoys.

export const DOC_AWS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const DOC_AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const DOC_STRIPE_KEY = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc';
export const JWT_IO_EXAMPLE = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

/** A self-signed-looking certificate block: public by design (its body is random, the scanner never parses it). */
const certificate = (random: Random) => `-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIU${pick(random, BASE64, 44)}\n${Array.from({ length: 14 }, () => pick(random, BASE64, 64)).join('\n')}\n${pick(random, BASE64, 20)}==\n-----END CERTIFICATE-----\n`;

// ---------------------------------------------------------------------------------------------
// The text builder: appends text and knows the line and column (in characters) of its end.

class TextBuilder {
  readonly parts: string[] = [];
  line = 1;
  column = 1;
  readonly planted = new Map<string, PlantedSecret>();
  readonly decoys: Decoy[] = [];

  write(text: string): this {
    this.parts.push(text);
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) {
      this.column += [...text].length;
    } else {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.line++;
      this.column = [...text.slice(lastNewline + 1)].length + 1;
    }
    return this;
  }

  /** Writes a secret (as `written`, which may differ from how it is reported) and records where. */
  plant(secret: Omit<PlantedSecret, 'places'>, written = secret.secret): this {
    const known = this.planted.get(secret.secret);
    if (known) known.places.push({ line: this.line, column: this.column });
    else this.planted.set(secret.secret, { ...secret, places: [{ line: this.line, column: this.column }] });
    return this.write(written);
  }

  decoy(why: string, text: string): this {
    const first = this.line;
    this.write(text);
    const lines = Array.from({ length: this.line - first + (this.column > 1 ? 1 : 0) }, (_, i) => first + i);
    this.decoys.push({ why, text, lines: lines.length > 0 ? lines : [first] });
    return this;
  }

  get text(): string {
    return this.parts.join('');
  }
}

const stamp = (random: Random, i: number) => `2026-01-14T10:${String(20 + (i % 40)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}.${pick(random, DIGITS, 7)}Z`;

/**
 * The corpus: every supported format planted at least once in a realistic line, every decoy
 * category present, a key written twice in two forms (raw PEM and JSON-escaped) that is one secret.
 */
export async function buildLeakCorpus(seed = 0x1eac_5eed): Promise<LeakCorpus> {
  const r = seededRandom(seed);
  const keys = { rsaPkcs8: seededRsaKey(r), rsaPkcs1: seededRsaKey(r), ec: seededEcKey(r), ed25519: seededEd25519Key(r) };
  const t = new TextBuilder();
  const token = (id: string) => {
    const format = TOKEN_FORMATS.find((f) => f.id === id)!;
    return { id, kind: 'provider' as const, provider: format.provider, format: format.format, secret: format.make(r) };
  };
  let n = 0;
  const ts = () => stamp(r, n++);

  // --- A CI build log (GitHub Actions).
  const npm = token('npm');
  const ghs = token('github-installation');
  const ghp = token('github-classic');
  const fineGrained = token('github-fine-grained');
  t.write(`${ts()} ##[group]Run actions/checkout@v4\n`);
  t.write(`${ts()} Syncing repository: acme/payments-api\n`);
  t.write(`${ts()} [command]/usr/bin/git -c http.extraheader="AUTHORIZATION: basic ***" fetch --prune --no-recurse-submodules origin\n`);
  t.write(`${ts()} HEAD is now at `).decoy('a git commit SHA', pick(r, HEX, 40)).write(' Merge pull request #4411 from acme/fix-retries\n');
  t.write(`${ts()} `).decoy('a commit= SHA', `commit=${pick(r, HEX, 40)}`).write(' ref=refs/heads/main\n');
  t.write(`${ts()} [command]/usr/bin/git clone https://x-access-token:`).plant(ghs).write('@github.com/acme/shared-config.git\n');
  t.write(`${ts()} ##[group]Run npm publish --access public\n`);
  t.write(`${ts()} npm notice Publishing to https://registry.npmjs.org/ with tag latest\n`);
  t.write(`${ts()} //registry.npmjs.org/:_authToken=`).plant(npm).write('\n');
  t.write(`${ts()} npm notice `).decoy('an npm integrity hash (base64)', `integrity: sha512-${pick(r, BASE64, 86)}==`).write('\n');
  t.write(`${ts()} npm notice shasum: `).decoy('a sha1 shasum', pick(r, HEX, 40)).write('\n');
  t.write(`${ts()} Run echo "GITHUB_TOKEN=`).decoy('a placeholder GitHub token', `ghp_${'x'.repeat(36)}`).write('" >> .env.example\n');
  t.write(`${ts()} GITHUB_TOKEN: `).decoy('GitHub Actions masking', '***').write('\n');
  t.write(`${ts()} export GH_TOKEN=`).plant(ghp).write('\n');
  t.write(`${ts()} git remote set-url origin https://oauth2:`).plant(fineGrained).write('@github.com/acme/payments-api.git\n');
  t.write(`${ts()} Docker image digest `).decoy('a sha256 image digest', `sha256:${pick(r, HEX, 64)}`).write('\n');
  t.write(`${ts()} `).decoy('a sha256= checksum', `sha256=${pick(r, HEX, 64)}`).write(' md5=').decoy('an md5 checksum', pick(r, HEX, 32)).write(' dist/app.tar.gz\n');
  t.write(`${ts()} ##[endgroup]\n`);

  // --- GitLab CI.
  const glpat = token('gitlab-pat');
  const gldt = token('gitlab-deploy');
  const glrt = token('gitlab-runner');
  t.write('Running with gitlab-runner 17.5.2 (c4b7d8e1)\n');
  t.write('  on docker-runner-7 token=').plant(glrt).write(', system ID: s_0e7c1f4ab2d3\n');
  t.write('$ curl --header "PRIVATE-TOKEN: ').plant(glpat).write('" "https://gitlab.acme.test/api/v4/projects/42/jobs"\n');
  t.write('$ docker login -u gitlab+deploy-token-17 -p ').plant(gldt).write(' registry.gitlab.acme.test\n');
  t.write('$ echo "job ').decoy('a CI job UUID', uuid(r)).write(' finished"\n');

  // --- Kubernetes events and a Deployment's env.
  const stripeLive = token('stripe-secret-live');
  const stripeTest = token('stripe-secret-test');
  const stripeRestricted = token('stripe-restricted-live');
  const stripePublishable = token('stripe-publishable-live');
  const stripeWebhook = token('stripe-webhook');
  t.write('LAST SEEN   TYPE      REASON      OBJECT                        MESSAGE\n');
  t.write('2m          Normal    Scheduled   pod/payments-7d9f8b6c5-x2kqp  Successfully assigned prod/payments-7d9f8b6c5-x2kqp to node-3\n');
  t.write('2m          Warning   Failed      pod/payments-7d9f8b6c5-x2kqp  Error: container "api" env STRIPE_SECRET_KEY=').plant({ ...stripeLive, assignedTo: 'STRIPE_SECRET_KEY' }).write(' rejected by admission webhook\n');
  t.write('1m          Normal    Pulled      pod/payments-7d9f8b6c5-x2kqp  Container image "registry.acme.test/payments@').decoy('an image digest', `sha256:${pick(r, HEX, 64)}`).write('" already present\n');
  t.write('1m          Normal    Created     pod/payments-7d9f8b6c5-x2kqp  ').decoy('a uid', `uid=${uuid(r)}`).write('\n');
  t.write('    env:\n      - name: STRIPE_RESTRICTED_KEY\n        value: ').plant(stripeRestricted).write('\n');
  t.write('      - name: STRIPE_PUBLISHABLE_KEY\n        value: ').plant(stripePublishable).write('\n');
  t.write('      - name: STRIPE_WEBHOOK_SECRET\n        value: "').plant(stripeWebhook).write('"\n');
  t.write('      - name: STRIPE_TEST_KEY\n        value: ').plant(stripeTest).write('\n');
  t.write('      - name: DOCS_EXAMPLE_KEY\n        value: ').decoy('Stripe\'s documentation test key', DOC_STRIPE_KEY).write('\n');
  t.write('      - name: SECRET_MANAGER\n        value: vault\n');
  t.write('      - ').decoy('a path assigned to a credentials variable', 'GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json').write('\n');
  t.write('      - ').decoy('a service-account token path', 'SECRET_PATH=/var/run/secrets/kubernetes.io/serviceaccount/token').write('\n');
  t.write('    checksum/config: ').decoy('a Helm checksum annotation', pick(r, HEX, 64)).write('\n');

  // --- JSON lines from an application, one with non-ASCII text before the secret.
  const slackBot = token('slack-bot');
  const slackUser = token('slack-user');
  const slackApp = token('slack-app');
  const slackHook = token('slack-webhook');
  const aiza = token('google-api-key');
  const ya29 = token('google-access-token');
  const gocspx = token('google-client-secret');
  const proj = token('openai-project');
  const svcacct = token('openai-service-account');
  const legacy = token('openai-legacy');
  const anthropic = token('anthropic');
  const sendgrid = token('sendgrid');
  const shopify = token('shopify');
  const hf = token('huggingface');
  const pypi = token('pypi');
  const gho = token('github-oauth');
  const ghu = token('github-user');
  const ghr = token('github-refresh');
  const clientSecret = pick(r, URL_SAFE, 40);
  const jl = (fields: string) => `{"ts":"${ts()}","level":"info",${fields}}`;
  /** A JSON line up to the secret: the rest of it is written after. */
  const jo = (fields: string) => `{"ts":"${ts()}","level":"info",${fields}`;
  t.write(`${jl(`"msg":"request","request_id":"${uuid(r)}","trace_id":"${pick(r, HEX, 32)}","path":"/v1/orders"`)}\n`);
  t.decoy('UUIDs assigned to request_id / trace_id', `request_id=${uuid(r)} trace_id=${uuid(r)} span_id=${pick(r, HEX, 16)}`).write('\n');
  t.write(`{"ts":"${ts()}","msg":"Überweisung für Zoë bestätigt — 日本語のログ 🚀 ✓","slack":"`).plant(slackBot).write('"}\n');
  t.write(jo('"msg":"notify","webhook":"https://')).plant(slackHook).write('","channel":"#payments-alerts"}\n');
  t.write(jo('"msg":"socket mode","app_token":"')).plant(slackApp).write('"}\n');
  t.write(jo('"msg":"user install","authed_user":{"id":"U024BE7LH","access_token":"')).plant(slackUser).write('"}}\n');
  t.write(jo('"msg":"maps","url":"https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=')).plant(aiza).write('"}\n');
  t.write(jo('"msg":"oauth","google":{"client_id":"1234567890-abc.apps.googleusercontent.com","client_secret":"')).plant(gocspx).write('"}}\n');
  t.write(jo('"msg":"gcs upload","headers":{"Authorization":"Bearer ')).plant(ya29).write('"}}\n');
  t.write(jo('"msg":"llm call","model":"gpt-4o","key":"')).plant(proj).write('","tokens_used":1834}\n');
  t.write(jo('"msg":"batch","service_account_key":"')).plant(svcacct).write('"}\n');
  t.write(jo('"msg":"legacy client","openai_key":"')).plant(legacy).write('"}\n');
  t.write(jo('"msg":"anthropic","x-api-key":"')).plant(anthropic).write('"}\n');
  t.write(jo('"msg":"mail","sendgrid":"')).plant(sendgrid).write('"}\n');
  t.write(jo('"msg":"shopify sync","X-Shopify-Access-Token":"')).plant(shopify).write('"}\n');
  t.write(jo('"msg":"model download","hf_token_source":"env","HF_TOKEN":"')).plant(hf).write('"}\n');
  t.write(jo('"msg":"twine upload","password":"')).plant(pypi).write('"}\n');
  t.write(jo('"msg":"github oauth","access_token":"')).plant(gho).write('","token_type":"bearer","scope":"repo"}\n');
  t.write(jo('"msg":"github app","access_token":"')).plant(ghu).write('","refresh_token":"').plant(ghr).write('","expires_in":28800}\n');
  t.write(jo('"msg":"oidc client","client_id":"orders-api","client_secret": "')).plant({ id: 'generic-client-secret', kind: 'generic', provider: 'Unknown', secret: clientSecret, assignedTo: 'client_secret' }).write('"}\n');
  t.write(`${jl(`"msg":"stats","token_count":123456789012,"tokens_per_second":1834.27`)}\n`);
  t.write(jo('"msg":"avatar","image":"data:image/png;base64,')).decoy('a base64 image blob', `iVBORw0KGgoAAAANSUhEUgAA${pick(r, BASE64, 200)}`).write('"}\n');
  t.write(jo('"msg":"etag","etag":')).decoy('an etag', `"W/\\"${pick(r, HEX, 40)}\\""`).write('}\n');
  t.write(`${jl(`"msg":"api key created","api_key_id":"${uuid(r)}","prefix":"sk_live_51"`)}\n`);

  // --- An .env dump.
  const akia = token('aws-key-id');
  const asia = token('aws-session-key-id');
  const awsSecret = pick(r, BASE64, 40);
  const dbPassword = pick(r, PASSWORD_CHARS, 24);
  const apiKey = pick(r, BASE62, 32);
  const yamlToken = pick(r, BASE62, 40);
  t.write('$ cat .env\n');
  t.write('NODE_ENV=production\n');
  t.write('AWS_ACCESS_KEY_ID=').plant(akia).write('\n');
  t.write('AWS_SECRET_ACCESS_KEY=').plant({ id: 'aws-secret-access-key', kind: 'provider', provider: 'AWS', format: /secret access key/, secret: awsSecret, assignedTo: 'AWS_SECRET_ACCESS_KEY' }).write('\n');
  t.write('AWS_SESSION_KEY_ID=').plant(asia).write('\n');
  t.write('DB_HOST=db.internal.acme.test\nDB_PASSWORD=').plant({ id: 'generic-db-password', kind: 'generic', provider: 'Unknown', secret: dbPassword, assignedTo: 'DB_PASSWORD' }).write('\n');
  t.decoy('a variable reference', 'API_KEY=${API_KEY}').write('\n');
  t.decoy('a template placeholder', 'CLIENT_SECRET={{ secret }}').write('\n');
  t.decoy('an angle-bracket placeholder', 'SLACK_TOKEN=<your-token>').write('\n');
  t.decoy('changeme', 'ADMIN_PASSWORD=changeme').write('\n');
  t.decoy('a masked password', 'SMTP_PASSWORD=********').write('\n');
  t.decoy('a long masked password', 'SMTP_PASSWORD_2=****************').write('\n');
  t.decoy('REDACTED', 'SENTRY_SECRET=REDACTED').write('\n');
  t.decoy('an uppercase placeholder Stripe key', `STRIPE_KEY=sk_live_${'X'.repeat(24)}`).write('\n');
  t.decoy('a weak word assigned to password', 'password=password').write('\n');
  t.decoy('hunter2', 'password=hunter2').write('\n');
  t.decoy('a policy name', 'password_policy=strict-mode-enabled').write('\n');
  t.decoy('where secrets are kept', 'secret_manager=vault').write('\n');
  t.decoy('a token count', 'token_count=123456789012').write('\n');
  t.decoy('a token rate', 'tokens_per_second=1834.27').write('\n');
  t.decoy('a token age', 'max_token_age=86400').write('\n');
  t.decoy('a token endpoint URL', 'token_url=https://oauth2.googleapis.com/token').write('\n');
  t.decoy('a password file path', 'password_file=/run/secrets/db_password').write('\n');
  t.decoy('a password hash', `password_hash=${pick(r, HEX, 64)}`).write('\n');
  t.decoy('a bcrypt hash', `password_hash=$2b$12$${pick(r, `${BASE62}./`, 53)}`).write('\n');
  t.decoy('a UUID assigned to a token id', `csrf_token_id=${uuid(r)}`).write('\n');
  t.decoy('AWS documentation key id', `EXAMPLE_KEY_ID=${DOC_AWS_KEY_ID}`).write('\n');
  t.decoy('AWS documentation secret key', `aws_secret_access_key = ${DOC_AWS_SECRET}`).write('\n');
  t.write('api_key=').plant({ id: 'generic-api-key', kind: 'generic', provider: 'Unknown', secret: apiKey, assignedTo: 'api_key' }).write('\n');

  // --- A YAML config.
  t.write('registry:\n  url: https://registry.acme.test\n  token: ').plant({ id: 'generic-yaml-token', kind: 'generic', provider: 'Unknown', secret: yamlToken, assignedTo: 'token' }).write('\n');
  t.write('  ').decoy('a UUID registry id', `registry_id: ${uuid(r)}`).write('\n');

  // --- curl -v output (CRLF headers, as curl prints them).
  const curlJwt = rs256Jwt(keys.rsaPkcs1, r, FUTURE_EXP);
  t.write('$ curl -v https://api.stripe.com/v1/charges -u sk_live_…\r\n');
  t.write('*   Trying 54.187.216.72:443...\r\n* Connected to api.stripe.com (54.187.216.72) port 443\r\n');
  t.write('> GET /v1/charges?limit=3 HTTP/2\r\n> Host: api.stripe.com\r\n> Authorization: Bearer ').plant(stripeLive).write('\r\n');
  t.write('> User-Agent: curl/8.5.0\r\n> Accept: */*\r\n>\r\n< HTTP/2 200\r\n< request-id: req_').decoy('a Stripe request id', pick(r, BASE62, 14)).write('\r\n');
  t.write('$ curl -sv -H "Authorization: Bearer ').plant({ id: 'jwt-rs256', kind: 'jwt', provider: 'JWT', format: /JWT \(RS256\)/, secret: curlJwt }).write('" https://orders.acme.test/v1/orders\n');
  t.write('> Authorization: Bearer ').decoy("jwt.io's example token", JWT_IO_EXAMPLE).write('\n');

  // --- A stack trace with tokens in messages.
  const weak = await weakHs256Jwt(r);
  const eddsa = eddsaJwt(keys.ed25519, r);
  const es256 = await es256Jwt(keys.ec, r);
  const encrypted = await jwe(keys.rsaPkcs8, r);
  t.write('Error: 401 Unauthorized for session ').plant({ id: 'jwt-hs256-weak', kind: 'jwt', provider: 'JWT', format: /JWT \(HS256\)/, secret: weak }).write('\n');
  t.write('    at Client.request (/app/node_modules/@acme/sdk/dist/client.js:120:15)\n');
  t.write('    at async OrdersService.list (/app/src/orders/service.ts:88:22)\n');
  t.write('Caused by: com.acme.auth.TokenRejected: token=').plant({ id: 'jwt-eddsa', kind: 'jwt', provider: 'JWT', format: /JWT \(EdDSA\)/, secret: eddsa }).write(' (kid unknown)\n');
  t.write('\tat com.acme.auth.Verifier.verify(Verifier.java:57)\n');
  t.write('\tat com.acme.auth.Filter.doFilter(Filter.java:31)\n');
  t.write('panic: id_token ').plant({ id: 'jwt-es256', kind: 'jwt', provider: 'JWT', format: /JWT \(ES256\)/, secret: es256 }).write(' rejected\n');
  t.write('goroutine 1 [running]:\nmain.main()\n\t/src/cmd/api/main.go:42 +0x1d\n');
  t.write('WARN encrypted session cookie=').plant({ id: 'jwe', kind: 'jwt', provider: 'JWT', format: /JWE \(RSA-OAEP-256, A256GCM\)/, secret: encrypted }).write('\n');
  // A proxy's access log: the callback, with its token, percent-encoded inside the login URL's return_to.
  const returned = rs256Jwt(keys.rsaPkcs8, r, FUTURE_EXP);
  t.write('10.0.0.7 - - [24/Nov/2026:09:14:03 +0000] "GET /sso/login?return_to=https%3A%2F%2Fapp.acme.test%2Fcb%3Faccess_token%3D')
    .plant({ id: 'jwt-percent-encoded', kind: 'jwt', provider: 'JWT', format: /JWT \(RS256\)/, secret: returned, assignedTo: 'access_token' })
    .write('%26state%3Daf0ifjsldkj HTTP/1.1" 302 0\n');
  // An OpenID4VP answer a verifier logged: the SD-JWT with its disclosures and Key Binding JWT is one secret, not two JWTs.
  const presentation = sdJwtPresentation(keys.ed25519, seededEd25519Key(r), r);
  t.write('INFO verifier: direct_post from wallet, vp_token=').plant({ id: 'sd-jwt', kind: 'jwt', provider: 'JWT', format: /^SD-JWT \(EdDSA, 3 disclosures, key binding\)$/, secret: presentation, assignedTo: 'vp_token' }).write('&state=af0ifjsldkj\n');

  // --- Private keys: raw blocks, and a service-account JSON with the same PKCS #8 key JSON-escaped.
  const pkcs8 = pemOf(keys.rsaPkcs8, 'pkcs8');
  const pkcs1 = pemOf(keys.rsaPkcs1, 'pkcs1');
  const sec1 = pemOf(keys.ec, 'sec1');
  const openssh = openSshPrivateKey(keys.ed25519, 'deploy@ci-runner');
  t.write('$ cat deploy/keys/signing.pem\n').plant({ id: 'pem-pkcs8', kind: 'private_key', provider: 'Private key', format: /PKCS #8/, secret: canonicalPem(pkcs8) }, pkcs8);
  t.write('$ cat ~/.ssh/id_rsa_legacy\n').plant({ id: 'pem-pkcs1', kind: 'private_key', provider: 'Private key', format: /PKCS #1/, secret: canonicalPem(pkcs1) }, pkcs1);
  t.write('$ kubectl get secret ec-key -o jsonpath="{.data.key}" | base64 -d\n').plant({ id: 'pem-ec', kind: 'private_key', provider: 'Private key', format: /EC private key/, secret: canonicalPem(sec1) }, sec1);
  t.write('$ cat ~/.ssh/id_ed25519\n').plant({ id: 'pem-openssh', kind: 'private_key', provider: 'SSH', format: /OpenSSH/, secret: canonicalPem(openssh) }, openssh);
  t.write(`{"type": "service_account", "project_id": "acme-prod", "private_key_id": "${pick(r, HEX, 40)}", "private_key": "`)
    .plant({ id: 'pem-pkcs8', kind: 'private_key', provider: 'Private key', secret: canonicalPem(pkcs8) }, JSON.stringify(pkcs8).slice(1, -1))
    .write('", "client_email": "deployer@acme-prod.iam.gserviceaccount.com", "client_id": "109876543210987654321"}\n');
  t.write('$ cat deploy/keys/signing.pub\n').decoy('a public key', pemOf(keys.rsaPkcs8, 'spki'));
  t.write('$ cat tls/server.crt\n').decoy('a certificate', certificate(r));
  t.write('# README: paste your key as\n').decoy('a documentation PEM placeholder', '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n');
  t.write('done.\n');

  return { text: t.text, planted: [...t.planted.values()], decoys: t.decoys, keys };
}

// ---------------------------------------------------------------------------------------------
// A big synthetic log, streamed to a file, for the bench.

export interface SyntheticLog {
  bytes: number;
  lines: number;
  /** Distinct planted secrets. */
  planted: number;
  /** Places they were written at. */
  occurrences: number;
}

/** Log lines without secrets: what most of a big log is. */
function noiseLines(r: Random, count: number): string[] {
  const makers: ((i: number) => string)[] = [
    (i) => `${stamp(r, i)} INFO  [http-nio-8080-exec-${i % 32}] c.a.orders.OrderController : GET /v1/orders/${uuid(r)} 200 ${Math.floor(r() * 900)}ms`,
    (i) => `{"ts":"${stamp(r, i)}","level":"debug","msg":"cache hit","key":"orders:${pick(r, DIGITS, 8)}","request_id":"${uuid(r)}","trace_id":"${pick(r, HEX, 32)}"}`,
    (i) => `${stamp(r, i)} npm http fetch GET 200 https://registry.npmjs.org/@acme%2f${pick(r, LETTERS, 8).toLowerCase()} ${Math.floor(r() * 300)}ms (cache revalidated)`,
    () => `    at ${pick(r, LETTERS, 6)}.${pick(r, LETTERS, 8)} (/app/node_modules/${pick(r, LETTERS, 7).toLowerCase()}/lib/index.js:${Math.floor(r() * 900)}:${Math.floor(r() * 80)})`,
    (i) => `${stamp(r, i)} Pulling fs layer sha256:${pick(r, HEX, 64)}`,
    () => `10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)} - - [14/Jan/2026:10:22:31 +0000] "GET /static/${pick(r, HEX, 20)}.js HTTP/1.1" 200 ${Math.floor(r() * 90000)} "-" "Mozilla/5.0 (X11; Linux x86_64)"`,
    (i) => `${stamp(r, i)} kubelet: Successfully pulled image "registry.acme.test/api@sha256:${pick(r, HEX, 64)}" commit=${pick(r, HEX, 40)}`,
    () => `tokens_per_second=${(r() * 3000).toFixed(2)} token_count=${pick(r, DIGITS, 9)} password_policy=strict-mode-enabled batch=${pick(r, BASE64, 40)}`,
    (i) => `${stamp(r, i)} WARN  Überweisung für Zoë fehlgeschlagen — 再試行 ${i % 7}/7 🚀`,
  ];
  return Array.from({ length: count }, (_, i) => makers[i % makers.length](i));
}

/**
 * Writes about `targetBytes` of log to `path`: noise with a planted secret every `every` lines
 * (tokens of every format, each secret written twice, and a PEM block now and then).
 */
export async function writeSyntheticLog(path: string, targetBytes: number, seed = 0x5eed_b16, every = 400): Promise<SyntheticLog> {
  const r = seededRandom(seed);
  const noise = noiseLines(r, 4096);
  const rsa = pemOf(seededRsaKey(r), 'pkcs1');
  const out = createWriteStream(path);
  const distinct = new Set<string>();
  let bytes = 0;
  let lines = 0;
  let occurrences = 0;
  let last = '';
  let buffer: string[] = [];
  let bufferBytes = 0;
  const flush = async () => {
    const chunk = buffer.join('');
    buffer = [];
    bufferBytes = 0;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const push = (line: string) => {
    const size = Buffer.byteLength(line) + 1;
    buffer.push(line, '\n');
    bufferBytes += size;
    bytes += size;
    lines += line.split('\n').length;
  };
  for (let i = 0; bytes < targetBytes; i++) {
    if (i % every === every - 1) {
      const format = TOKEN_FORMATS[Math.floor(r() * TOKEN_FORMATS.length)];
      const secret = i % (every * 50) === every - 1 ? rsa.trimEnd() : format.make(r);
      // Half the plants repeat the previous secret, as a log repeats a failing request.
      const written = i % (every * 2) === every * 2 - 1 && last ? last : secret;
      distinct.add(written);
      occurrences++;
      last = written;
      push(`${stamp(r, i)} ERROR request failed: credential=${written} retry=${i % 5}`);
    } else {
      push(noise[Math.floor(r() * noise.length)]);
    }
    if (bufferBytes >= 1 << 20) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return { bytes, lines, planted: distinct.size, occurrences };
}

// ---------------------------------------------------------------------------------------------
// Scanning without the vault: the real scanner and detector, as a leak scan uses them.

export function candidatesOf(chunks: Buffer[]): { candidates: Candidate[]; lines: number } {
  const scanner = new SecretScanner();
  const candidates: Candidate[] = [];
  const add = (found: Candidate[]) => {
    for (const candidate of found) candidates.push(candidate);
  };
  for (const chunk of chunks) add(scanner.push(chunk));
  add(scanner.end());
  return { candidates, lines: scanner.lines };
}

/** Splits bytes at the given offsets (sorted, deduplicated, inside the text). */
export function splitAt(bytes: Buffer, offsets: number[]): Buffer[] {
  const cuts = [...new Set(offsets.filter((o) => o > 0 && o < bytes.length))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    chunks.push(bytes.subarray(from, cut));
    from = cut;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

export interface Detection {
  detected: DetectedSecret;
  places: { line: number; column: number }[];
}

/** Distinct secrets found in the text, keyed by the secret, with every place (as the scan keeps them). */
export function detectAll(text: string | Buffer[]): Map<string, Detection> {
  const { candidates } = candidatesOf(typeof text === 'string' ? [Buffer.from(text, 'utf8')] : text);
  const found = new Map<string, Detection>();
  for (const candidate of candidates) {
    const detected = detectSecret(candidate);
    if (!detected) continue;
    const known = found.get(detected.secret);
    if (known) known.places.push({ line: candidate.line, column: candidate.column });
    else found.set(detected.secret, { detected, places: [{ line: candidate.line, column: candidate.column }] });
  }
  return found;
}
