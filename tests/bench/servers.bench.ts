/**
 * servers.bulk_revoke: tokens per second revoking 5,000 tokens against the lab's oidc-provider
 * with the journal on (until every token is acknowledged; the verification pass is printed apart),
 * against a bare fetch loop with the same concurrency and no journal, in the same run.
 * servers.resume: ms from unlock to the first request of a resumed 5,000-token job.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../electron/core/core';
import { startLab, type Lab } from '../../lab/lab';
import type { BulkStatus } from '../../shared/servers';
import { startFaultProxy } from '../support/fault-proxy';
import { createTestPlatform, STRONG_PASSPHRASE } from '../support/test-platform';
import { report, type Bench } from './report';

const TOKENS = 5_000;
const CONCURRENCY = 8;

async function bareLoop(lab: Lab, endpoint: string, tokens: string[]): Promise<number> {
  const { clientId, clientSecret } = lab.clients.admin;
  const authorization = `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret!)}`).toString('base64')}`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < tokens.length) {
        const token = tokens[next++];
        const answer = await fetch(endpoint, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        });
        await answer.arrayBuffer();
        if (answer.status !== 200) throw new Error(`baseline revocation answered ${answer.status}`);
      }
    }),
  );
  return performance.now() - started;
}

async function openCore(dir: string): Promise<Core> {
  return createCore({ platform: createTestPlatform(dir), calibrateKdf: false, log: () => undefined, bulkConcurrency: CONCURRENCY });
}

async function call<T>(core: Core, channel: string, input: unknown): Promise<T> {
  const answer = await core.router.invoke(channel, input);
  if (!answer.ok) throw new Error(`${channel}: ${answer.error.message}`);
  return answer.value as T;
}

async function until(core: Core, jobId: string, done: (status: BulkStatus) => boolean): Promise<BulkStatus> {
  for (;;) {
    const status = await call<BulkStatus>(core, 'servers:bulkStatus', { jobId });
    if (done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const serverBenches: Bench[] = [
  {
    figures: ['servers.bulk_revoke', 'servers.resume'],
    async run() {
      const lab = await startLab({ port: 0 });
      const dir = mkdtempSync(join(tmpdir(), 'credops-bench-servers-'));
      try {
        let core = await openCore(dir);
        await core.vault.create(join(dir, 'credops.vault'), STRONG_PASSPHRASE);
        const fields = { name: 'Lab', issuer: lab.issuer, provider: 'oauth', realm: null, clientId: lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null };
        const server = await call<{ id: string }>(core, 'servers:add', { fields, clientSecret: lab.clients.admin.clientSecret });
        const report0 = await call<{ endpoints: Record<string, string | null> }>(core, 'servers:test', { id: server.id });
        const endpoint = report0.endpoints.revocation_endpoint!;

        const baseline = await bareLoop(lab, endpoint, await lab.issueOpaqueAccessTokens(TOKENS));
        const tokens = await lab.issueOpaqueAccessTokens(TOKENS);
        const started = performance.now();
        const job = await call<BulkStatus>(core, 'servers:bulkStart', { serverId: server.id, label: 'bench', hint: 'access_token', tokens, credentialIds: [] });
        const revoked = await until(core, job.id, (s) => s.state !== 'running');
        const oursMs = performance.now() - started;
        const finished = await until(core, job.id, (s) => s.state === 'finished');
        const totalMs = performance.now() - started;
        if (finished.counts.inactive !== TOKENS) throw new Error(`bench job ended with ${JSON.stringify(finished.counts)}`);
        const rate = (ms: number) => TOKENS / (ms / 1000);
        report({
          bench: 'servers.bulk_revoke', value: rate(oursMs), unit: 'tokens/s', baseline: `bare fetch loop, ${CONCURRENCY} in flight, no journal`, baselineValue: rate(baseline), ratio: rate(baseline) / rate(oursMs),
          state: revoked.state, withVerificationTokensPerSecond: Math.round(rate(totalMs)),
        });

        // Resume: a 5,000-token job whose process stopped (the vault locked) before it sent anything,
        // then a fresh core: the figure runs from unlock to the first request the proxy sees.
        const proxy = await startFaultProxy(lab.origin, { preserveHost: true });
        lab.exposeAt(proxy.origin);
        const proxied = await call<{ id: string }>(core, 'servers:add', { fields: { ...fields, name: 'Lab via proxy', issuer: lab.issuer }, clientSecret: lab.clients.admin.clientSecret });
        await call(core, 'servers:test', { id: proxied.id });
        proxy.setFault(() => ({ kind: 'hang' }));
        const more = await lab.issueOpaqueAccessTokens(TOKENS);
        const stuck = await call<BulkStatus>(core, 'servers:bulkStart', { serverId: proxied.id, label: 'resume bench', hint: 'access_token', tokens: more, credentialIds: [] });
        await new Promise((resolve) => setTimeout(resolve, 200));
        core.dispose();
        proxy.setFault(null);
        proxy.log.length = 0;
        core = await openCore(dir);
        const unlocking = performance.now();
        await core.vault.unlock(STRONG_PASSPHRASE);
        const unlockedAt = Date.now();
        const unlockMs = performance.now() - unlocking;
        while (!proxy.log.some((entry) => entry.at >= unlockedAt && entry.method === 'POST')) await new Promise((resolve) => setTimeout(resolve, 1));
        const firstAt = proxy.log.find((entry) => entry.at >= unlockedAt && entry.method === 'POST')!.at;
        report({ bench: 'servers.resume', value: firstAt - unlockedAt, unit: 'ms', baseline: null, baselineValue: null, ratio: null, unlockMs: Math.round(unlockMs), tokens: TOKENS });
        await until(core, stuck.id, (s) => s.state === 'finished');
        core.dispose();
        await proxy.close();
        rmSync(dir, { recursive: true, force: true });
      } finally {
        await lab.close();
      }
    },
  },
];
