/**
 * Automated checks that must not pass for the wrong reason: a JWT the server cannot revoke is not
 * "ended", a kid never published is not "gone", and a run cannot point its checks at a server the
 * credential does not belong to.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderRunReport } from '../../../electron/core/playbooks/handlers';
import { openBench, REVOKE_STEP, stepIn, testTemplate, type Bench } from './engine-fixtures';

let bench: Bench;
beforeAll(async () => {
  bench = await openBench();
});
afterAll(() => bench.close());

describe('verifications that must not pass for the wrong reason', () => {
  it('does not count a token the server cannot revoke (a JWT access token) as ended', async () => {
    const { jwtAccessToken, accessToken } = await bench.lab.issueUserTokens();
    const run = bench.engine().start(testTemplate([REVOKE_STEP]), { credentialId: null, serverId: bench.serverId, title: 'jwt' });
    const after = await bench.engine().runStep(run.id, 'revoke', run.revision, true, { tokens: [accessToken, jwtAccessToken] });
    const step = stepIn(after, 'revoke');
    expect(step.state).toBe('failed');
    expect(step.result?.summary).toMatch(/cannot revoke stay valid until they expire/);
  });

  it('does not call a kid "gone" that the server never published', async () => {
    const template = testTemplate([{ id: 'gone', phase: 'verify', kind: 'automated', action: 'expectKidAbsent', params: { kid: 'old' }, title: 'Old kid gone' }]);
    const run = bench.engine().start(template, { credentialId: null, serverId: bench.serverId, title: 'kid typo' });
    const typo = await bench.engine().runStep(run.id, 'gone', run.revision, false, { kid: 'kid-tpyo' });
    expect(stepIn(typo, 'gone')).toMatchObject({ state: 'failed', result: { summary: expect.stringMatching(/never seen/) } });

    const { kid } = await bench.lab.rotateSigningKey();
    await bench.value('servers:refreshJwks', { id: bench.serverId });
    await bench.lab.retireSigningKey(kid);
    const retry = await bench.engine().runStep(run.id, 'gone', typo.revision, false, { kid });
    expect(stepIn(retry, 'gone')).toMatchObject({ state: 'done' });
  });

  it('refuses a run whose chosen server is not the credential’s own', async () => {
    const other = await bench.value<{ id: string }>('servers:add', {
      fields: { name: 'Other', issuer: bench.lab.issuer, provider: 'oauth', realm: null, clientId: bench.lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null },
      clientSecret: bench.lab.clients.admin.clientSecret,
    });
    const credential = await bench.credential({ name: 'pinned-to-lab', authServerId: bench.serverId });
    expect(() => bench.engine().start(testTemplate([REVOKE_STEP]), { credentialId: credential.id, serverId: other.id, title: 'wrong server' })).toThrow(/belongs to another server/);
  });

  it('redacts the run\'s own secret from the report where no pattern would see it', async () => {
    const secret = 'Zx9aQ2LmP0rT7vW3yB5nK8cD';
    const credential = await bench.credential({ name: 'short-secret-key' }, secret);
    const template = testTemplate([{ id: 'note', phase: 'assess', kind: 'manual', title: 'Write down what was exposed' }]);
    const run = bench.engine().start(template, { credentialId: credential.id, serverId: null, title: 'redaction' });
    await bench.engine().completeStep(run.id, 'note', run.revision, `the old value was ${secret}. Also client_secret ${secret}`);
    const { markdown, html } = renderRunReport(bench.core.vault.require(), run.id, new Date());
    expect(markdown).not.toContain(secret);
    expect(html).not.toContain(secret);
    expect(markdown.replace(/\\/g, '')).toContain('[redacted: a secret of this run]');
  });
});
