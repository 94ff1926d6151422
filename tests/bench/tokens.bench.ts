/**
 * tokens.verify.<alg>: inspections per second of a realistic access token, with a key and a policy
 * that exercises every check, against the bare node:crypto primitive on the same signing input in
 * the same run (ratio = baseline rate / ours). Beside it, the floor: the ratio that decoding and
 * parsing the token before the primitive already costs, so the goal can be read against what any
 * inspector could reach; and jose's jwtVerify with the same policy, for reference.
 * tokens.huge: ms to answer a 4 MB paste (a signed token, garbage, a token after whitespace),
 * against base64url-decoding and JSON-parsing the same 4 MB payload.
 */
import { createHmac, createSecretKey, generateKeyPairSync, randomBytes, randomUUID, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';
import { MAX_SEARCHED_CHARS } from '../../electron/core/tokens/find-in-paste';
import { inspectToken, type InspectContext } from '../../electron/core/tokens/inspect';
import type { InspectRequest, KeySource, TokenPolicy } from '../../shared/tokens';
import { median, report, time, type Bench } from './report';

/** Many short rounds: each ratio is taken within one round, so a slow spell of the machine spoils few. */
const ROUNDS = 11;
const ROUND_MS = 500;
const HUGE_RUNS = 7;
const NOW_MS = Date.UTC(2026, 0, 15, 12);
const NOW = NOW_MS / 1000;
const ISSUER = 'https://login.example.com/';
const ctx: InspectContext = { nowMs: NOW_MS, credentialSecret: () => { throw new Error('no vault in this bench'); }, serverJwks: () => { throw new Error('no vault in this bench'); } };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** RFC 9068 access-token claims, as an issuer such as Auth0 or Okta would send (10 claims). */
const claims = () => ({
  iss: ISSUER, sub: 'auth0|5f7c8ec7c33c6c004bbafe82', aud: ['https://api.example.com', `${ISSUER}userinfo`], iat: NOW - 600, nbf: NOW - 600, exp: NOW + 3000,
  jti: randomUUID(), client_id: 'kbyuFDidLLm280LIwVFiazOqjO3ty8KH', scope: 'openid profile orders:read orders:write', tenant_id: 'acme',
});

const policy = (alg: string): TokenPolicy => ({
  issuer: ISSUER, audiences: ['https://api.example.com'], algorithms: [alg], requiredClaims: ['sub', 'jti', 'client_id'], typ: 'at+jwt',
  maxLifetimeSeconds: 3600, clockToleranceSeconds: 60, requiredScopes: ['orders:read'], claimEquals: [{ claim: 'tenant_id', value: '"acme"' }],
});

interface Case {
  request: InspectRequest;
  /** The bare primitive on the signing input already in bytes: all a verifier cannot avoid. */
  baseline: () => boolean;
  /**
   * The least any inspector must do: split the token, base64url-decode its three parts, parse the
   * header and claims, then the primitive. No checks, no explanation; the ratio it reaches is the
   * best one an inspector that reads the token could.
   */
  floor: () => boolean;
  /**
   * For reference: jose's jwtVerify with the same policy, as a service would verify (the key
   * already imported; the scope and tenant checked by hand, as jose has no option for them).
   */
  jose: () => Promise<boolean>;
}

function signedCase(alg: 'RS256' | 'ES256' | 'HS256'): Case {
  const signingInput = `${b64({ alg, typ: 'at+jwt', kid: 'k-2026-01' })}.${b64(claims())}`;
  const input = Buffer.from(signingInput);
  let signature: Buffer;
  let key: KeySource;
  let primitive: (input: Buffer, signature: Buffer) => boolean;
  let verifyKey: KeyObject;
  if (alg === 'HS256') {
    const secret = randomBytes(32);
    verifyKey = createSecretKey(secret);
    signature = createHmac('sha256', secret).update(input).digest();
    key = { kind: 'hmac', secret: secret.toString('base64url'), encoding: 'base64url' };
    primitive = (bytes, mac) => timingSafeEqual(createHmac('sha256', secret).update(bytes).digest(), mac);
  } else {
    const pair = alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const publicKey: KeyObject = pair.publicKey;
    verifyKey = publicKey;
    signature = alg === 'RS256' ? sign('sha256', input, pair.privateKey) : sign('sha256', input, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
    key = { kind: 'pem', pem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
    primitive = alg === 'RS256' ? (bytes, sig) => verify('sha256', bytes, publicKey, sig) : (bytes, sig) => verify('sha256', bytes, { key: publicKey, dsaEncoding: 'ieee-p1363' }, sig);
  }
  const token = `${signingInput}.${signature.toString('base64url')}`;
  const floor = () => {
    const [header, payload, sig] = token.split('.');
    JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return primitive(Buffer.from(`${header}.${payload}`), Buffer.from(sig, 'base64url'));
  };
  const rules = policy(alg);
  const options = { issuer: rules.issuer!, audience: rules.audiences, algorithms: rules.algorithms, typ: rules.typ!, requiredClaims: rules.requiredClaims, maxTokenAge: rules.maxLifetimeSeconds!, clockTolerance: rules.clockToleranceSeconds, currentDate: new Date(NOW_MS) };
  const jose = async () => {
    const { payload } = await jwtVerify(token, verifyKey, options);
    return typeof payload.scope === 'string' && payload.scope.split(' ').includes('orders:read') && payload.tenant_id === 'acme';
  };
  return { request: { token, key, policy: rules }, baseline: () => primitive(input, signature), floor, jose };
}

/** Operations per second over one round of ROUND_MS; the clock is read every 16 calls so it costs little. */
async function rate(op: () => unknown): Promise<number> {
  let count = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (let i = 0; i < 16; i++) await op();
    count += 16;
    elapsed = performance.now() - started;
  }
  return (count * 1000) / elapsed;
}

function syncRate(op: () => boolean): number {
  let count = 0;
  let ok = true;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ROUND_MS) {
    for (let i = 0; i < 16; i++) ok = op() && ok;
    count += 16;
    elapsed = performance.now() - started;
  }
  if (!ok) throw new Error('the baseline did not verify');
  return (count * 1000) / elapsed;
}

async function benchVerify(alg: 'RS256' | 'ES256' | 'HS256'): Promise<void> {
  const { request, baseline, floor, jose } = signedCase(alg);
  if (!(await jose())) throw new Error(`${alg} bench token fails jose's checks`);
  const first = await inspectToken(request, ctx);
  // A bench of the failure path would flatter us: the token must come out valid with no findings.
  if (first.verdict !== 'valid' || first.findings.length > 0) throw new Error(`${alg} bench token is ${first.verdict}: ${first.summary}`);
  const ours = async () => (await inspectToken(request, ctx)).verdict;
  // Warm-up lets both sides reach optimised code before anything is counted.
  for (let i = 0; i < 2000; i++) await ours();
  for (let i = 0; i < 2000; i++) await jose();
  for (let i = 0; i < 2000; i++) {
    baseline();
    floor();
  }
  const oursRates: number[] = [];
  const baseRates: number[] = [];
  const floorRates: number[] = [];
  const joseRates: number[] = [];
  // Alternating rounds, so drift in the machine's speed falls on every side alike.
  for (let round = 0; round < ROUNDS; round++) {
    oursRates.push(await rate(ours));
    baseRates.push(syncRate(baseline));
    floorRates.push(syncRate(floor));
    joseRates.push(await rate(jose));
  }
  // Each ratio is the median of the rounds' own ratios: both sides of a ratio ran back to back.
  const ratioTo = (rates: number[]) => median(rates.map((r, round) => baseRates[round] / r));
  report({
    bench: `tokens.verify.${alg}`,
    value: median(oursRates),
    unit: `inspections/s (parse, verify with ${alg === 'HS256' ? '32-byte secret' : 'PEM key'}, header, time, policy and content checks), median of ${ROUNDS} x ${ROUND_MS} ms; ratio: median of the rounds' ratios; goal ratio <= 1.3`,
    baseline: alg === 'HS256' ? 'bare createHmac + timingSafeEqual of the same signing input' : `bare crypto.verify of the same signing input (${alg === 'ES256' ? 'ieee-p1363' : 'PKCS#1 v1.5'})`,
    baselineValue: median(baseRates),
    ratio: ratioTo(oursRates),
    floor: 'split, base64url-decode the 3 parts, JSON.parse header and claims, then the same primitive: the least an inspector must do',
    floorValue: Math.round(median(floorRates)),
    floorRatio: Math.round(ratioTo(floorRates) * 100) / 100,
    jose: "jose's jwtVerify with the same policy and an imported key, for reference",
    joseValue: Math.round(median(joseRates)),
    joseRatio: Math.round(ratioTo(joseRates) * 100) / 100,
  });
}

const FOUR_MB = 4 * 1024 * 1024;

async function benchHuge(): Promise<void> {
  // A signed token whose payload carries a 3 MB claim: 4 MB once base64url-encoded.
  const payload = b64({ ...claims(), blob: 'x'.repeat((FOUR_MB * 3) / 4 - 400) });
  const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${payload}.${randomBytes(32).toString('base64url')}`;
  // Garbage: 4 MB of printable ASCII with dots and line breaks, as a log file pasted by mistake.
  const garbage = Array.from(randomBytes(FOUR_MB), (byte) => (byte % 40 === 0 ? '\n' : String.fromCharCode(0x20 + (byte % 95)))).join('');
  // A small token quoted after 4 MB of whitespace, as a terminal wraps a paste: trimmed, not rescanned.
  const small = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims())}.${randomBytes(32).toString('base64url')}`;
  const padded = `"${' \n'.repeat(FOUR_MB / 2 - small.length)}${small}"`;
  // Pastes built to make a parser split, join or unwrap without end: 5 MB each, as the issue names.
  const FIVE_MB = 5 * 1024 * 1024;
  const hostile = { dots: '.'.repeat(FIVE_MB), quotes: '"'.repeat(FIVE_MB), lines: 'x\n'.repeat(FIVE_MB / 2), tildes: `${small}${'~'.repeat(FIVE_MB)}` };
  // The largest paste searched for tokens inside it, made of runs that each begin like one.
  const nearTokens = 'ex.. '.repeat(MAX_SEARCHED_CHARS / 5);
  const ask = (text: string) => inspectToken({ token: text, key: { kind: 'hmac', secret: randomBytes(32).toString('base64'), encoding: 'base64' }, policy: policy('HS256') }, ctx);
  const decode = () => JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const cases = { token, garbage, whitespace: padded, nearTokens, ...hostile };
  const ms = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]])) as Record<keyof typeof cases, number[]>;
  const baseMs: number[] = [];
  for (const text of Object.values(cases)) await ask(text);
  decode();
  for (let run = 0; run < HUGE_RUNS; run++) {
    for (const [name, text] of Object.entries(cases) as [keyof typeof cases, string][]) ms[name].push(await time(() => ask(text)));
    baseMs.push(await time(decode));
  }
  const [ofToken, ofGarbage, ofWhitespace, ofNearTokens, baselineValue] = [median(ms.token), median(ms.garbage), median(ms.whitespace), median(ms.nearTokens), median(baseMs)];
  const ofHostile = Object.fromEntries(Object.keys(hostile).map((name) => [name, median(ms[name as keyof typeof hostile])])) as Record<keyof typeof hostile, number>;
  const value = Math.max(ofToken, ofGarbage, ofWhitespace, ofNearTokens, ...Object.values(ofHostile));
  report({
    bench: 'tokens.huge',
    value,
    unit: `ms to answer, worst of a 4 MB signed token (${ofToken.toFixed(1)} ms), 4 MB garbage (${ofGarbage.toFixed(1)} ms), a token after 4 MB of whitespace (${ofWhitespace.toFixed(1)} ms), 256 KB of runs that begin like tokens (${ofNearTokens.toFixed(1)} ms), and 5 MB of dots (${ofHostile.dots.toFixed(1)} ms), of quotes (${ofHostile.quotes.toFixed(1)} ms), of short lines (${ofHostile.lines.toFixed(1)} ms) and of SD-JWT tildes after a token (${ofHostile.tildes.toFixed(1)} ms), median of ${HUGE_RUNS}; goal < 100 ms`,
    baseline: 'base64url decode + JSON.parse of the same 4 MB payload alone',
    baselineValue,
    ratio: value / baselineValue,
    tokenMs: Math.round(ofToken * 100) / 100,
    garbageMs: Math.round(ofGarbage * 100) / 100,
    whitespaceMs: Math.round(ofWhitespace * 100) / 100,
    nearTokensMs: Math.round(ofNearTokens * 100) / 100,
    ...Object.fromEntries(Object.entries(ofHostile).map(([name, value]) => [`${name}Ms`, Math.round(value * 100) / 100])),
  });
}

export const tokenBenches: Bench[] = [
  { figures: ['tokens.verify.RS256'], run: () => benchVerify('RS256') },
  { figures: ['tokens.verify.ES256'], run: () => benchVerify('ES256') },
  { figures: ['tokens.verify.HS256'], run: () => benchVerify('HS256') },
  { figures: ['tokens.huge'], run: benchHuge },
];
