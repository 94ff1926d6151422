/**
 * The crash test of bulk revocation: 1,000 tokens revoked by a second CredOps process that is
 * killed with SIGKILL midway; a third process unlocks the vault, the job resumes from its journal,
 * and the fault proxy in front of the lab counts what the server acknowledged per token.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../electron/core/core';
import { startLab, type Lab } from '../../lab/lab';
import type { BulkStatus } from '../../shared/servers';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';
import { exited, lineMatching, spawnChild } from '../support/tsx-child';

const CHILD = resolve(import.meta.dirname, '../support/bulk-child.ts');
const TOKENS = 1_000;

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

describe('bulk revocation across a crash', () => {
  it('resumes after SIGKILL, revokes every token, and the server acknowledged each at most once', async () => {
    const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
    await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
    const added = await core.router.invoke('servers:add', {
      fields: { name: 'Lab', issuer: lab.issuer, provider: 'oauth', realm: null, clientId: lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null },
      clientSecret: lab.clients.admin.clientSecret,
    });
    if (!added.ok) throw new Error(added.error.message);
    const serverId = (added.value as { id: string }).id;
    expect(await core.router.invoke('servers:test', { id: serverId })).toMatchObject({ ok: true });
    core.dispose();

    const tokens = await lab.issueOpaqueAccessTokens(TOKENS);
    const jobFile = join(platform.userDataDir, 'job.json');
    writeFileSync(jobFile, JSON.stringify({ serverId, tokens }));

    const first = child(['start', jobFile]);
    const [, jobId] = await lineMatching(first.lines, /^job (\S+)$/);
    await lineMatching(first.lines, /^progress ([3-9]\d\d)$/);
    first.process.kill('SIGKILL');
    await exited(first);
    const acknowledgedBeforeCrash = [...proxy.revocationsAcknowledged().values()].length;
    expect(acknowledgedBeforeCrash).toBeGreaterThanOrEqual(300);
    expect(acknowledgedBeforeCrash).toBeLessThan(TOKENS);

    const second = child(['resume', jobId]);
    const [final] = await lineMatching(second.lines, /^\{.*\}$/);
    await exited(second);
    const status = JSON.parse(final) as BulkStatus;
    expect(status.state).toBe('finished');
    expect(status.counts.inactive).toBe(TOKENS);

    const acknowledged = proxy.revocationsAcknowledged();
    expect(tokens.every((token) => acknowledged.get(token) === 1)).toBe(true);
    expect(Math.max(...acknowledged.values())).toBe(1);
  }, 120_000);
});
