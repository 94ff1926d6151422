/**
 * Bulk revocation through a fault-injecting proxy in front of the lab: 429 storms with
 * Retry-After, 503s, dropped connections before and after the server acted, a refused admin client,
 * and a vault locked mid-job. Whatever happens, a token is counted revoked only when the server
 * acknowledged it (or introspection shows it inactive), and none is acknowledged twice.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { startLab, type Lab } from '../../lab/lab';
import type { BulkItemView, BulkStatus } from '../../shared/servers';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';

let lab: Lab;
let proxy: FaultProxy;
let platform: TestPlatform;
let core: Core;
let serverId: string;

beforeAll(async () => {
  lab = await startLab({ port: 0 });
  proxy = await startFaultProxy(lab.origin, { preserveHost: true });
  lab.exposeAt(proxy.origin);
});
afterAll(async () => {
  await proxy.close();
  await lab.close();
});
beforeEach(async () => {
  platform = createTestPlatform();
  core = createCore({ platform, calibrateKdf: false, log: () => undefined });
  await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
  const added = await value<{ id: string }>('servers:add', {
    fields: { name: 'Lab', issuer: lab.issuer, provider: 'oauth', realm: null, clientId: lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null },
    clientSecret: lab.clients.admin.clientSecret,
  });
  serverId = added.id;
  await value('servers:test', { id: serverId });
  proxy.log.length = 0;
});
afterEach(() => {
  proxy.setFault(null);
  core.dispose();
  platform.cleanup();
});

async function value<T>(channel: string, input: unknown): Promise<T> {
  const result = await core.router.invoke(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}
const isRevocation = (path: string) => path.includes('/revoke');
const tokenOf = (body: string) => new URLSearchParams(body).get('token') ?? '';

async function startJob(tokens: string[]): Promise<string> {
  return (await value<BulkStatus>('servers:bulkStart', { serverId, label: 'faults', hint: 'access_token', tokens, credentialIds: [] })).id;
}

async function waitFor(jobId: string, done: (status: BulkStatus) => boolean, seen: (status: BulkStatus) => void = () => undefined): Promise<BulkStatus> {
  for (;;) {
    const status = await value<BulkStatus>('servers:bulkStatus', { jobId });
    seen(status);
    if (done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** No token acknowledged twice, and every token the job calls revoked was acknowledged by the server. */
function expectHonestCounts(tokens: string[], counted: number): void {
  const acknowledged = proxy.revocationsAcknowledged();
  expect(Math.max(0, ...acknowledged.values())).toBeLessThanOrEqual(1);
  expect(tokens.filter((token) => acknowledged.get(token) === 1).length).toBe(counted);
}

describe('bulk revocation under faults', () => {
  it('honours a 429 storm with Retry-After: waits, counts nothing as revoked early, and finishes', async () => {
    const tokens = await lab.issueOpaqueAccessTokens(120);
    let refused = 0;
    proxy.setFault((req) => (isRevocation(req.path) && refused++ < 40 ? { kind: 'status', status: 429, headers: { 'retry-after': '1' }, body: '{"error":"slow_down"}' } : null));
    const jobId = await startJob(tokens);
    let sawWaiting = false;
    let mostRevokedWhileWaiting = 0;
    const done = await waitFor(jobId, (s) => s.state === 'finished', (s) => {
      if (s.waitingUntil === null) return;
      sawWaiting = true;
      mostRevokedWhileWaiting = Math.max(mostRevokedWhileWaiting, s.counts.acknowledged + s.counts.inactive);
    });
    expect(sawWaiting).toBe(true);
    expect(mostRevokedWhileWaiting).toBeLessThan(120);
    expect(done.counts.inactive).toBe(120);
    expectHonestCounts(tokens, 120);
    // The storm was honoured: after the first 429, no revocation went out for about a second.
    const storm = proxy.log.filter((entry) => isRevocation(entry.path));
    const firstRefusal = storm.find((entry) => entry.status === null)!.at;
    const nextForwarded = storm.find((entry) => entry.at > firstRefusal && entry.status === 200 && entry.at - firstRefusal > 50);
    expect(nextForwarded!.at - firstRefusal).toBeGreaterThanOrEqual(900);
  }, 60_000);

  it('survives 503s and dropped connections: an answer lost after the server acted is checked, not resent', async () => {
    const tokens = await lab.issueOpaqueAccessTokens(150);
    let n = 0;
    proxy.setFault((req) => {
      if (!isRevocation(req.path)) return null;
      n++;
      if (n % 7 === 0) return { kind: 'status', status: 503, body: 'unavailable' };
      if (n % 11 === 0) return { kind: 'drop' };
      if (n % 13 === 0) return { kind: 'drop-after' };
      return null;
    });
    const jobId = await startJob(tokens);
    const done = await waitFor(jobId, (s) => s.state === 'finished');
    expect(done.counts.inactive).toBe(150);
    expectHonestCounts(tokens, 150);
    // The drop-after tokens were acknowledged by the server once, then confirmed by introspection.
    const lostAnswers = proxy.log.filter((entry) => isRevocation(entry.path) && entry.status === 200).map((entry) => tokenOf(entry.body));
    expect(new Set(lostAnswers).size).toBe(lostAnswers.length);
  }, 60_000);

  it('pauses the job when the server refuses the admin client, without counting anything it did not acknowledge', async () => {
    const tokens = await lab.issueOpaqueAccessTokens(100);
    let forwarded = 0;
    proxy.setFault((req) => {
      if (!isRevocation(req.path)) return null;
      if (forwarded++ < 30) return null;
      return { kind: 'status', status: 401, body: '{"error":"invalid_client","error_description":"client authentication failed"}' };
    });
    const jobId = await startJob(tokens);
    const paused = await waitFor(jobId, (s) => s.state === 'paused');
    expect(paused.lastError).toMatch(/invalid_client|authentication/);
    expect(paused.lastError).not.toContain(lab.clients.admin.clientSecret!);
    expect(paused.counts.acknowledged + paused.counts.inactive).toBe(proxy.revocationsAcknowledged().size);
    expect(paused.counts.sending).toBe(0);

    proxy.setFault(null);
    await value('servers:bulkResume', { jobId });
    const done = await waitFor(jobId, (s) => s.state === 'finished');
    expect(done.counts.inactive).toBe(100);
    expectHonestCounts(tokens, 100);
  }, 60_000);

  it('halts when the vault locks mid-job and resumes at unlock from the journal', async () => {
    const tokens = await lab.issueOpaqueAccessTokens(300);
    proxy.setFault((req) => (isRevocation(req.path) ? { kind: 'delay', ms: 20 } : null));
    const jobId = await startJob(tokens);
    await waitFor(jobId, (s) => s.counts.acknowledged > 40);
    await core.vault.lock('user');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentWhileLocked = proxy.log.filter((entry) => entry.at > Date.now() - 200 && isRevocation(entry.path)).length;
    expect(sentWhileLocked).toBe(0);
    await core.vault.unlock(STRONG_PASSPHRASE);
    const done = await waitFor(jobId, (s) => s.state === 'finished');
    expect(done.counts.inactive).toBe(300);
    expectHonestCounts(tokens, 300);
    const items = await value<{ items: BulkItemView[] }>('servers:bulkItems', { jobId, states: ['sending', 'pending', 'failed'], offset: 0, limit: 10 });
    expect(items.items).toEqual([]);
  }, 60_000);

  it('starts one runner per job however many resumes race, so no token is acknowledged twice', async () => {
    const tokens = await lab.issueOpaqueAccessTokens(200);
    const jobId = await startJob(tokens);
    await value('servers:bulkPause', { jobId });
    const refusedOnce = new Set<string>();
    proxy.setFault((req) => {
      const token = tokenOf(req.body);
      if (!isRevocation(req.path) || refusedOnce.has(token) || refusedOnce.size >= 60) return null;
      refusedOnce.add(token);
      return { kind: 'status', status: 429, headers: { 'retry-after': '0' }, body: '{"error":"slow_down"}' };
    });
    await Promise.all([value('servers:bulkResume', { jobId }), value('servers:bulkResume', { jobId }), value('servers:bulkResume', { jobId })]);
    const done = await waitFor(jobId, (s) => s.state === 'finished');
    expect(done.counts.inactive).toBe(200);
    expectHonestCounts(tokens, 200);
  }, 60_000);

  it('keeps an interrupted send unknown when the check is refused, and never resends it unchecked', async () => {
    const tokens = await lab.issueOpaqueAccessTokens(10);
    const jobId = await startJob(tokens);
    await value('servers:bulkPause', { jobId });
    // As after a crash: some rows left `sending`, their fate unknown.
    core.vault.require().write((tx) => tx.db.prepare("UPDATE bulk_items SET state = 'sending' WHERE job_id = ? AND state = 'pending'").run(jobId));
    const before = proxy.log.length;
    proxy.setFault((req) => (req.path.includes('/introspect') ? { kind: 'status', status: 401, body: '{"error":"invalid_client"}' } : null));
    await value('servers:bulkResume', { jobId });
    const paused = await waitFor(jobId, (s) => s.state === 'paused');
    expect(paused.lastError).toMatch(/invalid_client/);
    expect(paused.counts.pending).toBe(0);
    expect(proxy.log.slice(before).filter((entry) => isRevocation(entry.path))).toEqual([]);
  }, 30_000);

  it('checks a token another job left unknown before sending it again', async () => {
    const [revokedEarlier, fresh] = await lab.issueOpaqueAccessTokens(2);
    await value('servers:revoke', { serverId, token: revokedEarlier, hint: null });
    const status = await core.bulk.start({ serverId, label: 'next round', hint: null, tokens: [revokedEarlier, fresh], uncertain: [revokedEarlier] });
    await core.bulk.settled(status.id);
    const done = await value<BulkStatus>('servers:bulkStatus', { jobId: status.id });
    expect(done.counts.inactive).toBe(2);
    const acknowledged = proxy.revocationsAcknowledged();
    expect([acknowledged.get(revokedEarlier), acknowledged.get(fresh)]).toEqual([1, 1]);
  }, 30_000);
});
