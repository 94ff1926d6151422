/**
 * The crash test of a playbook's revocation step: a second CredOps process runs the step of the
 * leaked-client-secret playbook over 1,000 tokens and is killed with SIGKILL midway; a third
 * process unlocks the vault, finds the step interrupted, runs it again, and it ends done. The fault
 * proxy in front of the lab counts what the server acknowledged per token: each exactly once.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { startLab, type Lab } from '../../lab/lab';
import type { RunStep, RunView } from '../../shared/playbooks';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { sampleCredential } from '../support/sample-credential';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';
import { exited, lineMatching, spawnChild } from '../support/tsx-child';

const CHILD = resolve(import.meta.dirname, '../support/playbook-child.ts');
const TOKENS = 1_000;
const STEP = 'revoke-window-tokens';

let lab: Lab;
let proxy: FaultProxy;
let platform: TestPlatform;

beforeAll(async () => {
  lab = await startLab({ port: 0 });
  proxy = await startFaultProxy(lab.origin, { preserveHost: true });
  lab.exposeAt(proxy.origin);
  platform = createTestPlatform();
});
afterAll(async () => {
  await proxy.close();
  await lab.close();
  platform.cleanup();
});

const child = (args: string[]) => spawnChild(CHILD, [platform.userDataDir, STRONG_PASSPHRASE, ...args]);

describe('a playbook revocation step across a crash', () => {
  it('resumes after SIGKILL in another process, ends done, and the server acknowledged each revocation once', async () => {
    const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
    await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
    const value = async <T>(channel: string, input: unknown): Promise<T> => {
      const answer = await core.router.invoke(channel, input);
      if (!answer.ok) throw new Error(`${channel}: ${answer.error.code} ${answer.error.message}`);
      return answer.value as T;
    };
    const server = await value<{ id: string }>('servers:add', {
      fields: { name: 'Lab', issuer: lab.issuer, provider: 'oauth', realm: null, clientId: lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null },
      clientSecret: lab.clients.admin.clientSecret,
    });
    await value('servers:test', { id: server.id });
    const credential = await value<{ id: string }>('credentials:create', {
      fields: sampleCredential({ name: 'orders-client', kind: 'oauth_client', provider: 'own_auth_server', clientId: lab.clients.post.clientId }),
      secret: lab.clients.post.clientSecret,
    });
    let run = await value<RunView>('playbooks:start', { templateId: 'leaked-client-secret', credentialId: credential.id, serverId: server.id, title: 'Crash mid-revocation' });
    // The exposure window's tokens are given at the step, which waits for confirmation.
    const tokens = await lab.issueOpaqueAccessTokens(TOKENS);
    run = await value<RunView>('playbooks:runStep', { runId: run.id, stepId: STEP, revision: run.revision, confirm: false, input: { tokens } });
    expect(run.recorded.tokens).toBe(TOKENS);
    core.dispose();

    const first = child(['run', run.id, STEP]);
    await lineMatching(first.lines, /^progress ([3-9]\d\d)$/);
    first.process.kill('SIGKILL');
    await exited(first);
    const acknowledgedBeforeCrash = [...proxy.revocationsAcknowledged().values()].length;
    expect(acknowledgedBeforeCrash).toBeGreaterThanOrEqual(300);
    expect(acknowledgedBeforeCrash).toBeLessThan(TOKENS);

    const second = child(['resume', run.id, STEP]);
    const [, interrupted] = await lineMatching(second.lines, /^interrupted (.*)$/);
    expect(JSON.parse(interrupted)).toEqual([STEP]);
    const [final] = await lineMatching(second.lines, /^\{.*\}$/);
    await exited(second);
    const step = JSON.parse(final) as RunStep;
    expect(step.state).toBe('done');
    expect(step.result?.ok).toBe(true);
    expect(step.result?.summary).toMatch(/^All 1,000 tokens ended: 1,000 confirmed inactive\.$|^Confirmed already done/);

    const acknowledged = proxy.revocationsAcknowledged();
    expect(tokens.every((token) => acknowledged.get(token) === 1)).toBe(true);
    expect(Math.max(...acknowledged.values())).toBe(1);
  }, 120_000);
});
