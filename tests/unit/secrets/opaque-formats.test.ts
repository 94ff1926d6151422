import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyOpaqueToken, recognizeOpaqueToken } from '../../../electron/core/secrets/opaque-formats';
import { inspection } from '../../../shared/tokens';

// A seeded generator, so a failing example is the same on every run.
let seed = 0x2f6b_1d35;
function nextRandom(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
}
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const URL_SAFE = `${BASE62}_-`;
const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const pick = (charset: string, length: number) => Array.from({ length }, () => charset[Math.floor(nextRandom() * charset.length)]).join('');

const pem = (label: string, body: string, headers = '') => `-----BEGIN ${label}-----\n${headers}${body.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
const openSshBody = (cipher: string) => {
  const name = Buffer.from(cipher);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([Buffer.from('openssh-key-v1\0'), length, name, Buffer.from(pick(BASE62, 200))]).toString('base64');
};

/** [example, provider, format (a fragment of it), severity] for every format. */
const EXAMPLES: [string, string, RegExp, string][] = [
  [`ghp_${pick(BASE62, 36)}`, 'GitHub', /personal access token \(classic\)/, 'high'],
  [`github_pat_${pick(BASE62, 22)}_${pick(BASE62, 59)}`, 'GitHub', /fine-grained/, 'high'],
  [`gho_${pick(BASE62, 36)}`, 'GitHub', /OAuth app/, 'high'],
  [`ghu_${pick(BASE62, 36)}`, 'GitHub', /App user access token/, 'medium'],
  [`ghs_${pick(BASE62, 36)}`, 'GitHub', /installation access token/, 'medium'],
  // GitHub's stateless installation tokens since April 2026: ghs_<app id>_<JWT>, about 520 characters.
  [`ghs_987654_eyJ${pick(URL_SAFE, 60)}.eyJ${pick(URL_SAFE, 300)}.${pick(URL_SAFE, 86)}`, 'GitHub', /installation access token \(stateless format\)/, 'medium'],
  [`ghr_${pick(BASE62, 76)}`, 'GitHub', /refresh token/, 'high'],
  [`glpat-${pick(URL_SAFE, 20)}`, 'GitLab', /personal, project or group access token/, 'high'],
  [`glpat-${pick(URL_SAFE, 40)}.01${pick(HEX, 7)}`, 'GitLab', /personal, project or group access token/, 'high'],
  [`gldt-${pick(URL_SAFE, 20)}`, 'GitLab', /deploy token/, 'high'],
  [`glrt-${pick(URL_SAFE, 20)}`, 'GitLab', /runner authentication token/, 'high'],
  [`glrt-t1_${pick(URL_SAFE, 27)}.01${pick(HEX, 7)}`, 'GitLab', /runner authentication token/, 'high'],
  // The versioned routable form: `.<version>.<length><CRC>` (GitLab 17.x and later).
  ['glpat-bzoxCmc6Nwp1OjEyMwp4eHh4eHh4eHh4DKRYfmt07CJQXelsz6BI.01.1g0i6zply', 'GitLab', /personal, project or group access token/, 'high'],
  [`glrt-t2_${pick(URL_SAFE, 40)}.01.1g${pick(HEX, 7)}`, 'GitLab', /runner authentication token/, 'high'],
  [`GR1348941${pick(URL_SAFE, 20)}`, 'GitLab', /runner registration token/, 'high'],
  [`glptt-${pick(HEX, 40)}`, 'GitLab', /pipeline trigger token/, 'high'],
  [`glft-${pick(URL_SAFE, 20)}`, 'GitLab', /feed token/, 'medium'],
  [`glimt-${pick(URL_SAFE, 25)}`, 'GitLab', /incoming email token/, 'medium'],
  [`gloas-${pick(URL_SAFE, 64)}`, 'GitLab', /OAuth application secret/, 'high'],
  [`glagent-${pick(URL_SAFE, 50)}`, 'GitLab', /agent for Kubernetes/, 'high'],
  [`glcbt-64_${pick(URL_SAFE, 20)}`, 'GitLab', /CI\/CD job token/, 'medium'],
  [`glsoat-${pick(URL_SAFE, 20)}`, 'GitLab', /SCIM token/, 'high'],
  [`glffct-${pick(URL_SAFE, 20)}`, 'GitLab', /feature flags client token/, 'low'],
  [`sk_live_${pick(BASE62, 24)}`, 'Stripe', /secret key \(live mode\)/, 'high'],
  [`sk_live_${pick(BASE62, 99)}`, 'Stripe', /secret key \(live mode\)/, 'high'],
  [`sk_test_${pick(BASE62, 99)}`, 'Stripe', /secret key \(test mode\)/, 'low'],
  [`rk_live_${pick(BASE62, 99)}`, 'Stripe', /restricted key \(live mode\)/, 'high'],
  [`rk_test_${pick(BASE62, 24)}`, 'Stripe', /restricted key \(test mode\)/, 'low'],
  [`pk_live_${pick(BASE62, 99)}`, 'Stripe', /publishable key \(live mode\)/, 'info'],
  [`pk_test_${pick(BASE62, 24)}`, 'Stripe', /publishable key \(test mode\)/, 'info'],
  [`whsec_${pick(BASE62, 32)}`, 'Stripe', /Webhook signing secret/, 'high'],
  [`xoxb-${pick(DIGITS, 13)}-${pick(DIGITS, 13)}-${pick(BASE62, 24)}`, 'Slack', /bot token/, 'high'],
  [`xoxc-${pick(DIGITS, 12)}-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(HEX, 64)}`, 'Slack', /browser session token/, 'high'],
  [`sk-None-${pick(BASE62, 48)}T3BlbkFJ${pick(BASE62, 48)}`, 'OpenAI', /user key with no project/, 'high'],
  [`xoxp-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(DIGITS, 13)}-${pick(HEX, 32)}`, 'Slack', /user token/, 'high'],
  [`xoxe.xoxp-1-${pick(BASE62, 163)}`, 'Slack', /expiring access token/, 'medium'],
  [`xoxe-1-${pick(BASE62, 146)}`, 'Slack', /refresh token \(token rotation/, 'high'],
  [`xoxa-2-${pick(DIGITS, 9)}-${pick(DIGITS, 11)}-${pick(DIGITS, 13)}-${pick(HEX, 18)}`, 'Slack', /workspace app access token/, 'high'],
  [`xoxr-${pick(BASE62, 40)}`, 'Slack', /refresh token \(legacy/, 'high'],
  [`xapp-1-A${pick(UPPER_ALNUM, 10)}-${pick(DIGITS, 13)}-${pick(HEX, 64)}`, 'Slack', /app-level token/, 'high'],
  [`https://hooks.slack.com/services/T${pick(UPPER_ALNUM, 8)}/B${pick(UPPER_ALNUM, 10)}/${pick(BASE62, 24)}`, 'Slack', /incoming webhook URL/, 'medium'],
  [`https://hooks.slack.com/workflows/T${pick(UPPER_ALNUM, 8)}/A${pick(UPPER_ALNUM, 10)}/${pick(DIGITS, 18)}/${pick(BASE62, 24)}`, 'Slack', /workflow webhook URL/, 'medium'],
  [`AKIA${pick(BASE32, 16)}`, 'AWS', /access key ID \(long-term/, 'high'],
  [`ASIA${pick(BASE32, 16)}`, 'AWS', /temporary access key ID/, 'medium'],
  [`AIza${pick(URL_SAFE, 35)}`, 'Google', /API key/, 'high'],
  [`ya29.a0${pick(URL_SAFE, 180)}`, 'Google', /OAuth access token/, 'medium'],
  [`1//0g${pick(URL_SAFE, 98)}`, 'Google', /OAuth refresh token/, 'high'],
  [`GOCSPX-${pick(URL_SAFE, 28)}`, 'Google', /OAuth client secret/, 'high'],
  [`sk-proj-${pick(URL_SAFE, 74)}T3BlbkFJ${pick(URL_SAFE, 74)}`, 'OpenAI', /project API key/, 'high'],
  [`sk-svcacct-${pick(URL_SAFE, 74)}T3BlbkFJ${pick(URL_SAFE, 74)}`, 'OpenAI', /service account key/, 'high'],
  [`sk-admin-${pick(URL_SAFE, 58)}T3BlbkFJ${pick(URL_SAFE, 58)}`, 'OpenAI', /admin key/, 'high'],
  [`sk-${pick(BASE62, 20)}T3BlbkFJ${pick(BASE62, 20)}`, 'OpenAI', /legacy user key/, 'high'],
  [`sk-ant-api03-${pick(URL_SAFE, 93)}AA`, 'Anthropic', /API key/, 'high'],
  [`npm_${pick(BASE62, 36)}`, 'npm', /access token/, 'high'],
  [`pypi-AgEIcHlwaS5vcmc${pick(URL_SAFE, 160)}`, 'PyPI', /^PyPI API token/, 'high'],
  [`pypi-AgENdGVzdC5weXBpLm9yZw${pick(URL_SAFE, 160)}`, 'PyPI', /TestPyPI API token/, 'low'],
  [`SG.${pick(URL_SAFE, 22)}.${pick(URL_SAFE, 43)}`, 'SendGrid', /API key/, 'high'],
  [`shpat_${pick(HEX, 32)}`, 'Shopify', /Admin API access token/, 'high'],
  [`shpca_${pick(HEX, 32)}`, 'Shopify', /custom app access token/, 'high'],
  [`shppa_${pick(HEX, 32)}`, 'Shopify', /private app password/, 'high'],
  [`shpss_${pick(HEX, 32)}`, 'Shopify', /shared secret/, 'high'],
  [`hf_${pick(BASE62.slice(0, 52), 34)}`, 'Hugging Face', /user access token/, 'high'],
  [`api_org_${pick(BASE62.slice(0, 52), 34)}`, 'Hugging Face', /organization API token/, 'high'],
];

describe('recognizeOpaqueToken', () => {
  it.each(EXAMPLES)('recognises %s', (example, provider, format, severity) => {
    const match = classifyOpaqueToken(example);
    expect(match).not.toBeNull();
    expect(match!.token.provider).toBe(provider);
    expect(match!.token.format).toMatch(format);
    expect(match!.severity).toBe(severity);
    expect(match!.token.advice.length).toBeGreaterThan(40);
    expect(match!.token.advice).not.toContain(example);
  });

  it('answers exactly the opaque object an inspection carries', () => {
    for (const [example] of EXAMPLES) expect(inspection.shape.opaque.parse(recognizeOpaqueToken(example))).toEqual(recognizeOpaqueToken(example));
  });

  it('reads a token through quotes, whitespace and an Authorization: Bearer prefix', () => {
    const token = `ghp_${pick(BASE62, 36)}`;
    for (const pasted of [`  ${token}\n`, `"${token}"`, `'${token}'`, `Bearer ${token}`, `Authorization: Bearer  ${token} `, `token ${token}`]) {
      expect(recognizeOpaqueToken(pasted)?.format).toBe('GitHub personal access token (classic)');
    }
  });

  it('tells live Stripe keys from test and publishable ones in its advice', () => {
    expect(recognizeOpaqueToken(`sk_live_${pick(BASE62, 24)}`)?.advice).toMatch(/Roll it in the Stripe dashboard.*payouts/);
    expect(recognizeOpaqueToken(`sk_test_${pick(BASE62, 24)}`)?.advice).toMatch(/cannot move money/);
    expect(recognizeOpaqueToken(`pk_live_${pick(BASE62, 24)}`)?.advice).toMatch(/nothing to revoke/);
  });

  it.each([
    ['AKIAIOSFODNN7EXAMPLE', 'AWS access key ID'],
    ['"AKIAIOSFODNN7EXAMPLE"', 'AWS access key ID'],
    ['Bearer sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'Stripe secret key (test mode)'],
    ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS secret access key'],
  ])('calls %s a documentation example, however it is pasted', (paste, format) => {
    expect(classifyOpaqueToken(paste)).toMatchObject({ severity: 'info', example: true, keyFile: null, token: { format, advice: expect.stringMatching(/^A documentation example: nothing to revoke/) } });
  });

  it('says an AWS key ID is only the public half', () => {
    expect(recognizeOpaqueToken(`AKIA${pick(BASE32, 16)}`)?.advice).toMatch(/secret access key .* other half/);
  });

  it.each([
    ['a UUID', '3f2b8c1e-9a4d-4f6b-8e21-7c5d9a0b1e2f'],
    ['a SHA-256 hex digest', pick(HEX, 64)],
    ['a SHA-1 hex digest', pick(HEX, 40)],
    ['random base64', Buffer.from(pick(BASE62, 48)).toString('base64')],
    ['random base64url', pick(URL_SAFE, 43)],
    ['a JWT', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c'],
    ['sk_live_ too short', `sk_live_${pick(BASE62, 10)}`],
    ['sk_live_ with a character Stripe never uses', `sk_live_${pick(BASE62, 23)}-`],
    ['AKIA with 15 characters', `AKIA${pick(BASE32, 15)}`],
    ['AKIA with 17 characters', `AKIA${pick(BASE32, 17)}`],
    ['AKIA with lower case', `AKIA${pick(BASE32, 15)}a`],
    ['ghp_ one character short', `ghp_${pick(BASE62, 35)}`],
    ['glpat- too short', `glpat-${pick(BASE62, 12)}`],
    ['a Slack placeholder', 'xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx'],
    ['an OpenAI-style key without the OpenAI marker', `sk-${pick(BASE62, 48)}`],
    ['a public key', pem('PUBLIC KEY', Buffer.from(pick(BASE62, 200)).toString('base64'))],
    ['a certificate', pem('CERTIFICATE', Buffer.from(pick(BASE62, 600)).toString('base64'))],
    ['an English sentence', 'The quick brown fox jumps over the lazy dog'],
    ['nothing', ''],
    ['a token inside a longer sentence', `my token is ghp_${pick(BASE62, 36)} ok`],
  ])('does not recognise %s', (_name, decoy) => {
    expect(recognizeOpaqueToken(decoy)).toBeNull();
  });
});

describe('private keys', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  it.each([
    ['PKCS #1 RSA', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string, /RSA private key/, 'high'],
    ['SEC 1 EC', ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string, /EC private key/, 'high'],
    ['PKCS #8', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, /^Private key \(PKCS #8 PEM\)$/, 'high'],
    ['encrypted PKCS #8', rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass' }) as string, /Encrypted private key.*passphrase-protected/, 'medium'],
    ['legacy encrypted PKCS #1', rsa.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass' }) as string, /RSA private key.*passphrase-protected/, 'medium'],
    ['OpenSSH', pem('OPENSSH PRIVATE KEY', openSshBody('none')), /^OpenSSH private key$/, 'high'],
    ['encrypted OpenSSH', pem('OPENSSH PRIVATE KEY', openSshBody('aes256-ctr')), /OpenSSH private key, passphrase-protected/, 'medium'],
    ['OpenPGP', pem('PGP PRIVATE KEY BLOCK', Buffer.from(pick(BASE62, 300)).toString('base64'), '\n'), /OpenPGP private key block/, 'high'],
    ['PuTTY', `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: deploy\nPublic-Lines: 2\n${pick(BASE62, 64)}\n`, /^PuTTY private key \(PPK\)$/, 'high'],
    ['encrypted PuTTY', `PuTTY-User-Key-File-2: ssh-rsa\r\nEncryption: aes256-cbc\r\nComment: x\r\n`, /PuTTY private key.*passphrase-protected/, 'medium'],
  ])('recognises a %s key', (_name, text, format, severity) => {
    const match = classifyOpaqueToken(text);
    expect(match?.token.format).toMatch(format);
    expect(match?.severity).toBe(severity);
    expect(match?.token.advice).toMatch(/compromised/);
  });

  it('finds a key below other text, such as openssl pkcs12 bag attributes', () => {
    const text = `Bag Attributes\n    localKeyID: 01 02 03\nKey Attributes: <No Attributes>\n${ec.privateKey.export({ type: 'pkcs8', format: 'pem' })}`;
    expect(recognizeOpaqueToken(text)?.provider).toBe('Private key');
  });

  it('recognises a Google service account key file and names the key to delete', () => {
    const keyFile = JSON.stringify({
      type: 'service_account',
      project_id: 'acme-prod',
      private_key_id: 'a'.repeat(8) + pick(HEX, 32),
      private_key: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: 'deployer@acme-prod.iam.gserviceaccount.com',
    }, null, 2);
    const match = recognizeOpaqueToken(keyFile);
    expect(match).toMatchObject({ provider: 'Google', format: 'Google Cloud service account key (JSON)' });
    expect(match?.advice).toContain('key aaaaaaaa… of deployer@acme-prod.iam.gserviceaccount.com');
  });
});

describe('bounded work', () => {
  const FIVE_MB = 5 * 1024 * 1024;
  it.each([
    ['a prefix and 5 MB of token characters', `ghp_${'a'.repeat(FIVE_MB)}`],
    ['5 MB of whitespace around a token, too long to be one', `${' '.repeat(FIVE_MB / 2)}ghp_${pick(BASE62, 36)}${' '.repeat(FIVE_MB / 2)}`],
    ['5 MB of repeated PEM openings', '-----BEGIN RSA '.repeat(FIVE_MB / 15)],
    ['5 MB of Slack-looking digits', `xoxb-${'1'.repeat(FIVE_MB)}`],
    ['5 MB of almost-service-account JSON', '"type": "service_accoun'.repeat(FIVE_MB / 23)],
    ['5 MB of PuTTY-looking lines', 'PuTTY-User-Key-File-3: '.repeat(FIVE_MB / 23)],
  ])('answers at once for %s', (_name, text) => {
    classifyOpaqueToken(text);
    const started = performance.now();
    expect(classifyOpaqueToken(text)).toBeNull();
    // A guard against a scan that grows with the square of the paste (minutes), not a timing: the bench times it.
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
