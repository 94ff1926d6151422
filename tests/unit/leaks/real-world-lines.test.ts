/**
 * Lines as they come in real CI, Kubernetes, curl and application logs, with what a responder
 * expects of each: the secret found (and in which form it is fingerprinted), or nothing. Many
 * come from the review of the first version, where each was a miss or a false alarm.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectAll } from '../../support/leak-corpus';

const secretHex = '3f9a2b7c4d1e8f0a6b5c9d2e';
const found = (text: string) => [...detectAll(text).values()].map((f) => ({ format: f.detected.format, secret: f.detected.secret, variants: f.detected.variants, assignedTo: f.detected.assignedTo }));

describe('secrets in real log lines', () => {
  it.each([
    ['a form body: the value ends at &', 'grant_type=client_credentials&client_secret=q7Vn2LpXz9Rk4Tw1mB8c&client_id=payments', 'q7Vn2LpXz9Rk4Tw1mB8c'],
    ['a query string', 'GET /v1/search?api_key=Zk9mQ2pL7vRtZ8wY&format=json&page=2', 'Zk9mQ2pL7vRtZ8wY'],
    ['a sentence that ends after the value', 'set DB_PASSWORD=Zk9mQ2pL7vRtZ8wY.', 'Zk9mQ2pL7vRtZ8wY'],
    ['a padded base64 Kubernetes secret', '  password: cTdWbjJMcFh6OVJrNFR3MQ==', 'cTdWbjJMcFh6OVJrNFR3MQ=='],
    ['a name whose other words are not its last', 'SOURCE_DB_PASSWORD=Zk9mQ2pL7vRtZ8wY', 'Zk9mQ2pL7vRtZ8wY'],
    ['an Android keystore password', 'storePassword=Zk9mQ2pL7vRtZ8wY', 'Zk9mQ2pL7vRtZ8wY'],
    ['a short name for a password', 'export DB_PASS=Zk9mQ2pL7vRtZ8wY', 'Zk9mQ2pL7vRtZ8wY'],
    ['a passphrase', 'GPG_PASSPHRASE="Zk9mQ2pL7vRtZ8wY"', 'Zk9mQ2pL7vRtZ8wY'],
    ['an encryption key', 'ENCRYPTION_KEY=Zk9mQ2pL7vRtZ8wY', 'Zk9mQ2pL7vRtZ8wY'],
    ['a short hex API key', `api_key=${secretHex.slice(0, 16)}`, secretHex.slice(0, 16)],
    ['a UUID Heroku API key', 'HEROKU_API_KEY=0f8e2b4c-5a1d-4e3f-9b7a-6c2d1e0f9a8b', '0f8e2b4c-5a1d-4e3f-9b7a-6c2d1e0f9a8b'],
    ['an AWS secret key that starts with a slash', 'AWS_SECRET_ACCESS_KEY=/k9mQ2pL7vRtZ8wYq7Vn2LpXz9Rk4Tw1mB8cAbCd', '/k9mQ2pL7vRtZ8wYq7Vn2LpXz9Rk4Tw1mB8cAbCd'],
  ])('finds %s', (_why, line, secret) => {
    expect(found(`${line}\n`).map((f) => f.secret)).toEqual([secret]);
  });

  it('fingerprints the other forms a value is kept in: JSON-unescaped, URL-decoded, base64-decoded', () => {
    expect(found('{"client_secret":"Zk9mQ2pL7vRt\\/Z8wYq7Vn"}\n')[0].variants).toEqual(['Zk9mQ2pL7vRt/Z8wYq7Vn']);
    expect(found('client_secret=Zk9mQ2pL%2B7vRtZ8wY\n')[0].variants).toEqual(['Zk9mQ2pL+7vRtZ8wY']);
    expect(found('  password: cTdWbjJMcFh6OVJrNFR3MQ==\n')[0].variants).toEqual(['q7Vn2LpXz9Rk4Tw1']);
  });

  it('reads HTTP Basic credentials in an Authorization header, and matches the password too', () => {
    const header = Buffer.from('deploy:Zk9mQ2pL7vRtZ8wY').toString('base64');
    expect(found(`> Authorization: Basic ${header}\n`)).toEqual([{ format: 'HTTP Basic credentials (user deploy)', secret: header, variants: ['Zk9mQ2pL7vRtZ8wY'], assignedTo: 'Authorization' }]);
  });

  it('finds an opaque bearer token in an Authorization header, after any scheme in any case, DPoP\'s too', () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'DPoP', 'dpop']) {
      expect(found(`> Authorization: ${scheme} 8f3kQ2mVx9LpZk9mQ2pL7vRt\n`).map((f) => f.secret), scheme).toEqual(['8f3kQ2mVx9LpZk9mQ2pL7vRt']);
    }
  });

  it('keeps a Slack webhook with its scheme as a second form, which is how the inventory holds it', () => {
    const url = 'hooks.slack.com/services/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';
    expect(found(`curl -X POST https://${url} -d '{}'\n`)).toMatchObject([{ secret: url, variants: [`https://${url}`] }]);
  });

  it('reads a private key from a CI log that puts a timestamp before every line', () => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const logged = pem.trimEnd().split('\n').map((line, i) => `2026-01-14T10:22:${String(30 + i).padStart(2, '0')}.1234567Z ${line}`).join('\n');
    expect(found(`${logged}\n`)).toMatchObject([{ format: 'Private key (PKCS #8 PEM)', secret: pem.trimEnd() }]);
  });

  it('does not take the user part of a URL for the name a token was assigned to', () => {
    const token = `shppa_${secretHex}${secretHex.slice(0, 8)}`;
    expect(found(`https://${secretHex}4b8c:${token}@store.myshopify.com/admin\n`)).toMatchObject([{ secret: token, assignedTo: null }]);
  });
});

describe('lines that name a secret without holding one', () => {
  it.each([
    ['a Java environment lookup', 'String apiKey = System.getenv("API_KEY");'],
    ['a settings reference', 'api_key = settings.STRIPE_API_KEY'],
    ['a config reference', 'token = Config.AUTH_TOKEN'],
    ['an Azure Key Vault reference', 'API_KEY=@Microsoft.KeyVault(SecretUri=https://vault.azure.net/secrets/x)'],
    ['a Kubernetes secret name', 'INFO Using secret: payments/prod-stripe-keys'],
    ['a Secret Manager resource path', 'secret=projects/my-proj/secrets/db-pass/versions/latest'],
    ['a GitHub Actions expression', 'password: "${{ secrets.DB_PASSWORD }}"'],
    ['a name that only starts like a secret word', 'passenger=Zk9mQ2pL7vRtZ8wY'],
    ['a name that only contains a secret word', 'compass_heading=Zk9mQ2pL7vRtZ8wY'],
  ])('reports nothing for %s', (_why, line) => {
    expect(found(`${line}\n`)).toEqual([]);
  });
});

describe('keys the public thumbprint cannot read', () => {
  it('keeps an OpenSSH key as ssh-keygen wraps it (70 columns) as a second form to match', () => {
    const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 73 + 11) % 256))]).toString('base64');
    const key = `-----BEGIN OPENSSH PRIVATE KEY-----\n${body.match(/.{1,70}/g)!.join('\n')}\n-----END OPENSSH PRIVATE KEY-----`;
    const [finding] = found(`$ cat ~/.ssh/id_ed25519\n${key}\n`);
    expect(finding.variants).toEqual([key]);
    expect(finding.secret).not.toBe(key);
  });
});
