/**
 * What detect-secret makes of a candidate: masks that keep only the public prefix and, for long
 * secrets, the last four characters; and lines that look like secrets but are not.
 */
import { describe, expect, it } from 'vitest';
import { maskSecret } from '../../../electron/core/secrets/detect-secret';
import { BASE62, buildLeakCorpus, detectAll, pick, seededRandom, TOKEN_FORMATS, URL_SAFE } from '../../support/leak-corpus';

const MASK = '••••••••';
/** The prefix each format publishes: all a mask may show of its start. */
const PUBLIC_PREFIX: Record<string, string> = {
  'github-classic': 'ghp_', 'github-oauth': 'gho_', 'github-user': 'ghu_', 'github-installation': 'ghs_', 'github-refresh': 'ghr_', 'github-fine-grained': 'github_pat_',
  'gitlab-pat': 'glpat-', 'gitlab-deploy': 'gldt-', 'gitlab-runner': 'glrt-', 'stripe-secret-live': 'sk_live_', 'stripe-secret-test': 'sk_test_', 'stripe-restricted-live': 'rk_live_',
  'stripe-publishable-live': 'pk_live_', 'stripe-webhook': 'whsec_', 'slack-bot': 'xoxb-', 'slack-user': 'xoxp-', 'slack-app': 'xapp-', 'slack-webhook': 'hooks.slack.com/',
  'aws-key-id': 'AKIA', 'aws-session-key-id': 'ASIA', 'google-api-key': 'AIza', 'google-access-token': 'ya29.', 'google-client-secret': 'GOCSPX-', 'openai-project': 'sk-proj-',
  'openai-service-account': 'sk-svcacct-', 'openai-legacy': 'sk-', anthropic: 'sk-ant-api03-', npm: 'npm_',
  // Every PyPI token starts with the same macaroon header (base64 of its location, pypi.org): public, like a prefix.
  pypi: 'pypi-AgEIcHlwaS5vcmc', sendgrid: 'SG.', shopify: 'shpat_', huggingface: 'hf_',
};

const corpus = await buildLeakCorpus();
const found = detectAll(corpus.text);

/** The mask's parts: what it shows before the mask, and after. */
function parts(masked: string): { shown: string; tail: string } {
  const at = masked.indexOf(MASK);
  expect(at, `${masked} has no mask`).toBeGreaterThanOrEqual(0);
  return { shown: masked.slice(0, at), tail: masked.slice(at + MASK.length) };
}

describe('maskSecret', () => {
  it('shows the last four only from 24 characters on', () => {
    expect(maskSecret('a'.repeat(23), 'p_')).toBe(`p_${MASK}`);
    expect(maskSecret(`${'a'.repeat(20)}wxyz`, 'p_')).toBe(`p_${MASK}wxyz`);
    expect(maskSecret('short')).toBe(MASK);
  });
});

describe('masks of found secrets', () => {
  it('never contain the middle of any planted secret', () => {
    for (const planted of corpus.planted) {
      const masked = found.get(planted.secret)?.detected.masked;
      if (masked === undefined) continue; // a missed secret fails in corpus.test.ts
      const middle = planted.kind === 'private_key' ? planted.secret.split('\n').slice(1, -1).join('') : planted.secret.slice(Math.min(16, planted.secret.length / 3), -4);
      const { shown, tail } = parts(masked);
      // A JWT's shown start is its header's (`{"alg":"`), which an SD-JWT's Key Binding JWT begins with too.
      if (planted.kind === 'jwt') expect(shown, planted.id).toBe('eyJhbGciOi');
      const hidden = masked.slice(shown.length);
      for (let i = 0; i + 5 <= middle.length; i++) expect(hidden, `${planted.id}: ${masked}`).not.toContain(middle.slice(i, i + 5));
      // An SD-JWT's mask ends as its JWT does: its own last characters may be a disclosed value.
      const shownEnd = planted.kind === 'jwt' ? planted.secret.split('~')[0] : planted.secret;
      expect(tail, planted.id).toBe(planted.kind === 'private_key' || planted.secret.length < 24 ? '' : shownEnd.slice(-4));
    }
  });

  it('show at most the public prefix of each provider format', () => {
    for (const planted of corpus.planted.filter((p) => p.kind === 'provider' && PUBLIC_PREFIX[p.id])) {
      const { shown } = parts(found.get(planted.secret)!.detected.masked);
      expect(PUBLIC_PREFIX[planted.id].startsWith(shown), `${planted.id} shows "${shown}"`).toBe(true);
    }
  });

  // Real tokens of these formats have `_` and `-` in their random part; the mask must not take them for more prefix.
  it.each([
    ['gitlab-pat', 'glpat-', `Ab3_${pick(seededRandom(1), BASE62, 16)}`],
    ['openai-project', 'sk-proj-', `Ab1_cdEF-${pick(seededRandom(2), URL_SAFE, 60)}T3BlbkFJ${pick(seededRandom(3), BASE62, 60)}`],
    ['google-api-key', 'AIza', `SyB3x-${pick(seededRandom(4), BASE62, 29)}`],
    ['google-client-secret', 'GOCSPX-', `a1_b2-${pick(seededRandom(5), BASE62, 22)}`],
    ['sendgrid', 'SG.', `aB-${pick(seededRandom(6), BASE62, 19)}.${pick(seededRandom(7), BASE62, 43)}`],
  ])('masks a %s token with a separator early in its random part as prefix + mask + last four', (id, prefix, body) => {
    const token = `${prefix}${body}`;
    expect(TOKEN_FORMATS.some((f) => f.id === id)).toBe(true);
    const finding = detectAll(`leaked: ${token}\n`).get(token);
    expect(finding?.detected.masked).toBe(`${prefix}${MASK}${token.slice(-4)}`);
  });

  it.each([
    // GitHub's stateless installation token (ghs_<app id>_<JWT>, since April 2026): Actions' GITHUB_TOKEN among them.
    ['GitHub', 'GitHub App installation access token (stateless format)', `ghs_987654_eyJ${pick(seededRandom(3), URL_SAFE, 60)}.eyJ${pick(seededRandom(4), URL_SAFE, 300)}.${pick(seededRandom(5), URL_SAFE, 86)}`],
    ['Slack', 'Slack browser session token (xoxc, used with the "d" cookie)', `xoxc-715475177833-244630092002-2567475607859-${'3f9a2b7c4d1e8f0a'.repeat(4)}`],
    ['OpenAI', 'OpenAI API key (user key with no project)', `sk-None-${pick(seededRandom(6), BASE62, 40)}T3BlbkFJ${pick(seededRandom(7), BASE62, 40)}`],
    ['GitLab', 'GitLab personal, project or group access token', 'glpat-bzoxCmc6Nwp1OjEyMwp4eHh4eHh4eHh4DKRYfmt07CJQXelsz6BI.01.1g0i6zply'],
  ])('finds a %s token in the newer format: %s', (provider, format, token) => {
    expect(detectAll(`2026-11-24T06:40:01Z curl -H "Authorization: token ${token}" https://api.example.com\n`).get(token)?.detected).toMatchObject({ provider, format });
  });

  it('finds a GitLab runner token whose random part has an underscore early (seen in the bench log)', () => {
    // The mask's prefix guess takes "glrt-Mc7Cu5oP9x_" as public, and the 9 characters left look too uniform to be a secret.
    const token = 'glrt-Mc7Cu5oP9x_4kkQK0lEi';
    expect(detectAll(`ERROR request failed: credential=${token} retry=1\n`).get(token)?.detected).toMatchObject({ provider: 'GitLab', format: 'GitLab runner authentication token', masked: `glrt-${MASK}${token.slice(-4)}` });
  });

  it('masks a JWT and a private key without their secret parts', () => {
    for (const planted of corpus.planted.filter((p) => p.kind === 'jwt' || p.kind === 'private_key')) {
      const masked = found.get(planted.secret)?.detected.masked;
      if (masked === undefined) continue; // a missed secret fails in corpus.test.ts
      if (planted.kind === 'private_key') expect(masked).toMatch(/^-----BEGIN [A-Z ]+-----\s•+$/);
      else expect(masked).not.toContain(planted.secret.split('.')[1].slice(0, 8));
    }
  });
});

describe('lines that look like secrets but are not', () => {
  it.each([
    ['a path assigned to a credentials variable', 'GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json'],
    ['a path assigned to a token variable', 'TOKEN_PATH=/var/run/secrets/kubernetes.io/serviceaccount/token'],
    ['a URL', 'token_url=https://oauth2.googleapis.com/token'],
    ['a documentation AWS secret key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ['a count', 'token_count=123456789012'],
    ['a policy', 'password_policy=strict-mode-enabled'],
    ['a UUID under an id name', 'session_id=0f8e2b4c-5a1d-4e3f-9b7a-6c2d1e0f9a8b'],
    ['a hash of a password', 'password_hash=5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'],
    ['a weak password', 'password=password'],
    ['a template', 'api_key: {{ .Values.apiKey }}'],
    ['a shell reference', 'API_KEY=$API_KEY_FROM_VAULT'],
  ])('reports nothing for %s', (_why, line) => {
    expect([...detectAll(`${line}\n`).values()].map((f) => f.detected.format)).toEqual([]);
  });

  it('reports a token in a URL\'s userinfo once, as its own format, not also as a value running into the host', () => {
    const token = `ghs_${pick(seededRandom(8), BASE62, 36)}`;
    const found = [...detectAll(`git clone https://x-access-token:${token}@github.com/acme/app.git\n`).values()];
    expect(found.map((f) => f.detected.format)).toEqual(['GitHub App installation access token']);
  });

  it('reports a token assigned inside a message once, as its own format, not also as "token=…" assigned to the text before', () => {
    const token = `ghp_${pick(seededRandom(9), BASE62, 36)}`;
    const found = [...detectAll(`Caused by: com.acme.auth.TokenRejected: token=${token} (expired)\n`).values()];
    expect(found.map((f) => [f.detected.format, f.detected.assignedTo])).toEqual([['GitHub personal access token (classic)', 'token']]);
  });

  it('reports an unencrypted OpenSSH private key as ssh-keygen writes it', () => {
    const planted = corpus.planted.find((p) => p.id === 'pem-openssh')!;
    // Every such key has a run of nine A's in its first line: the empty KDF options and the key count (0, then 1).
    expect(planted.secret.split('\n')[1]).toMatch(/A{9}B/);
    expect(found.get(planted.secret)?.detected).toMatchObject({ kind: 'private_key', provider: 'SSH', format: 'OpenSSH private key' });
  });
});

describe('hostile key blocks', () => {
  it('reads timestamped key lines once, however long a line runs', () => {
    // A line of 15,000 base64 characters that ends in something else: taking each line's base64
    // end with a regular expression rescanned the run from every start (0.4 s a line).
    const block = `-----BEGIN PRIVATE KEY-----\n2026-01-14T10:22:30.1234567Z ${'A'.repeat(15_000)}!\n-----END PRIVATE KEY-----\n`;
    const started = performance.now();
    expect(detectAll(block.repeat(10)).size).toBe(0);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
