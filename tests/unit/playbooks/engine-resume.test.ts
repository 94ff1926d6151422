/**
 * Resuming an automated step interrupted at each point of its journal — before `running` is
 * committed, after it but before the action, during the action, after the action but before
 * `done` is committed — in a fresh engine (another process), counting at the fault proxy what the
 * server was asked: no revocation acknowledged twice, nothing repeated that had taken effect.
 * And the dry run, which asks the server nothing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepPoint } from '../../../electron/core/playbooks/engine';
import { STEP_ACTION_DEFS } from '../../../electron/core/playbooks/actions';
import { PlaybookEngine } from '../../../electron/core/playbooks/engine';
import { ServerClients } from '../../../electron/core/servers/connect';
import type { PlannedCall } from '../../../shared/playbooks';
import { Crash, INTROSPECTION, openBench, REVOCATION, REVOKE_STEP, requests, stepIn, testTemplate, VERIFY_STEP, type Bench } from './engine-fixtures';

let bench: Bench;
beforeAll(async () => {
  bench = await openBench();
});
afterAll(() => bench.close());
beforeEach(() => bench.proxy.setFault(null));

const TOKENS = 6;

/** Each token acknowledged exactly once by the server, as the proxy saw it. */
function expectEachAcknowledgedOnce(tokens: string[]): void {
  const acknowledged = bench.proxy.revocationsAcknowledged();
  expect(tokens.map((token) => acknowledged.get(token) ?? 0)).toEqual(tokens.map(() => 1));
}

function crashingAt(point: StepPoint) {
  return bench.engine((at) => {
    if (at === point) throw new Crash(at);
  });
}

async function startRevocation(title: string) {
  const tokens = await bench.lab.issueOpaqueAccessTokens(TOKENS);
  const run = bench.engine().start(testTemplate([REVOKE_STEP, VERIFY_STEP]), { credentialId: null, serverId: bench.serverId, title });
  return { tokens, run };
}

describe('an automated step interrupted, then resumed by another process', () => {
  it('before `running` was committed: nothing happened, and the next run does it once', async () => {
    const { tokens, run } = await startRevocation('crash before running');
    const from = bench.proxy.log.length;
    await expect(crashingAt('beforeRunning').runStep(run.id, 'revoke', run.revision, true, { tokens })).rejects.toBeInstanceOf(Crash);
    const after = bench.engine().get(run.id).run;
    expect(stepIn(after, 'revoke')).toMatchObject({ state: 'pending', attempts: 0 });
    expect(after.revision).toBe(run.revision);
    expect(bench.proxy.log.length).toBe(from);
    const done = await bench.engine().runStep(run.id, 'revoke', after.revision, true, { tokens });
    expect(stepIn(done, 'revoke')).toMatchObject({ state: 'done', attempts: 1 });
    expectEachAcknowledgedOnce(tokens);
  });

  it('after `running` but before the action: shown interrupted, checked, then done once', async () => {
    const { tokens, run } = await startRevocation('crash after running');
    const from = bench.proxy.log.length;
    await expect(crashingAt('afterRunning').runStep(run.id, 'revoke', run.revision, true, { tokens })).rejects.toBeInstanceOf(Crash);
    expect(requests(bench.proxy, REVOCATION, from)).toBe(0);
    const next = bench.engine();
    const after = next.get(run.id).run;
    expect(stepIn(after, 'revoke')).toMatchObject({ state: 'running', attempts: 1 });
    expect(after.interruptedSteps).toEqual(['revoke']);
    // The tokens were sealed into the run with `running`: the responder does not paste them again.
    const done = await next.runStep(run.id, 'revoke', after.revision, false);
    expect(stepIn(done, 'revoke')).toMatchObject({ state: 'done', attempts: 2 });
    expectEachAcknowledgedOnce(tokens);
    expect(next.get(run.id, 0, 5).timeline.map((event) => event.type).slice(0, 3)).toEqual(['step.done', 'step.started', 'run.resumed']);
  });

  it('during the action: the bulk job resumes from its journal, and no acknowledged revocation is sent again', async () => {
    const { tokens, run } = await startRevocation('crash during the action');
    const from = bench.proxy.log.length;
    // The process dies after the server acknowledged some revocations: its runner stops where it is
    // (one answer is lost on the way back) and its step never hears back.
    let seen = 0;
    bench.proxy.setFault((req) => {
      if (!REVOCATION.test(req.path)) return null;
      seen += 1;
      if (seen === 3) {
        setTimeout(() => void bench.core.bulk.haltAll(), 0);
        return { kind: 'drop-after' };
      }
      return null;
    });
    const dying = new PlaybookEngine({
      vault: () => bench.core.vault.require(),
      now: () => new Date(),
      clients: new ServerClients(),
      bulk: bench.core.bulk,
      actions: {
        revokeTokens: {
          ...STEP_ACTION_DEFS.revokeTokens,
          execute: (ctx) => {
            void STEP_ACTION_DEFS.revokeTokens.execute(ctx).catch(() => undefined);
            return new Promise(() => undefined);
          },
        },
      },
    });
    void dying.runStep(run.id, 'revoke', run.revision, true, { tokens });
    await expect.poll(() => seen, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    bench.proxy.setFault(null);
    const acknowledgedBefore = [...bench.proxy.revocationsAcknowledged().entries()].filter(([token]) => tokens.includes(token)).length;
    expect(acknowledgedBefore).toBeGreaterThanOrEqual(3);
    expect(acknowledgedBefore).toBeLessThan(TOKENS);

    const next = bench.engine();
    const after = next.get(run.id).run;
    expect(after.interruptedSteps).toEqual(['revoke']);
    const done = await next.runStep(run.id, 'revoke', after.revision, false);
    expect(stepIn(done, 'revoke')).toMatchObject({ state: 'done', result: { ok: true } });
    expectEachAcknowledgedOnce(tokens);
    expect(requests(bench.proxy, REVOCATION, from)).toBe(TOKENS);
  });

  it('after the action but before `done`: confirmed from the journal, nothing asked of the server again', async () => {
    const { tokens, run } = await startRevocation('crash after the action');
    await expect(crashingAt('afterAction').runStep(run.id, 'revoke', run.revision, true, { tokens })).rejects.toBeInstanceOf(Crash);
    expectEachAcknowledgedOnce(tokens);
    const next = bench.engine();
    const after = next.get(run.id).run;
    expect(stepIn(after, 'revoke').state).toBe('running');
    const from = bench.proxy.log.length;
    const done = await next.runStep(run.id, 'revoke', after.revision, false);
    expect(stepIn(done, 'revoke')).toMatchObject({ state: 'done', attempts: 1, result: { ok: true, summary: 'Confirmed already done at the server; not repeated.' } });
    expect(bench.proxy.log.length).toBe(from);
    expectEachAcknowledgedOnce(tokens);
    // Done is final: asking again sends nothing.
    await expect(next.runStep(run.id, 'revoke', done.revision, true)).rejects.toMatchObject({ code: 'STEP_NOT_READY' });
    expect(bench.proxy.log.length).toBe(from);
  });

  it('retries only the tokens a failed revocation left active, in a new job', async () => {
    const { tokens, run } = await startRevocation('partial failure');
    // The server refuses to revoke two of the tokens (a 400 that is not about the client).
    const refused = new Set(tokens.slice(0, 2));
    bench.proxy.setFault((req) => (REVOCATION.test(req.path) && refused.has(new URLSearchParams(req.body).get('token') ?? '') ? { kind: 'status', status: 400, body: '{"error":"invalid_request"}' } : null));
    const engine = bench.engine();
    const failed = await engine.runStep(run.id, 'revoke', run.revision, true, { tokens });
    expect(stepIn(failed, 'revoke')).toMatchObject({ state: 'failed', result: { ok: false } });
    expect(stepIn(failed, 'revoke').result!.summary).toMatch(/2 tokens of 6 not confirmed/);
    bench.proxy.setFault(null);
    const from = bench.proxy.log.length;
    const done = await engine.runStep(run.id, 'revoke', failed.revision, true);
    expect(stepIn(done, 'revoke')).toMatchObject({ state: 'done', attempts: 2 });
    expect(requests(bench.proxy, REVOCATION, from)).toBe(2);
    expectEachAcknowledgedOnce(tokens);
  });

  it('marks a credential once, even when the step was interrupted after marking it', async () => {
    const credential = await bench.credential({ name: 'mark-once' });
    const template = testTemplate([{ id: 'mark', phase: 'verify', kind: 'automated', action: 'markCredential', params: { as: 'rotated' }, title: 'Mark it rotated' }]);
    const run = bench.engine().start(template, { credentialId: credential.id, serverId: null, title: 'Mark once' });
    await expect(crashingAt('afterAction').runStep(run.id, 'mark', run.revision, false)).rejects.toBeInstanceOf(Crash);
    const next = bench.engine();
    const done = await next.runStep(run.id, 'mark', next.get(run.id).run.revision, false);
    expect(stepIn(done, 'mark').result!.summary).toBe('Confirmed already done at the server; not repeated.');
    const { history } = await bench.value<{ history: { action: string }[] }>('credentials:get', { id: credential.id });
    expect(history.filter((entry) => entry.action === 'rotated')).toHaveLength(1);
  });
});

describe('dry run', () => {
  it('lists every call the remaining automated steps would make, and makes none', async () => {
    const tokens = await bench.lab.issueOpaqueAccessTokens(4);
    const engine = bench.engine();
    let run = engine.start(testTemplate([REVOKE_STEP, VERIFY_STEP, { id: 'kid', phase: 'verify', kind: 'automated', action: 'expectKidPresent', params: { kid: 'new' }, title: 'New key published' }]), {
      credentialId: null,
      serverId: bench.serverId,
      title: 'Dry run',
    });
    run = await engine.runStep(run.id, 'revoke', run.revision, false, { tokens });
    const from = bench.proxy.log.length;
    const answer = await bench.value<{ steps: { stepId: string; calls: PlannedCall[]; notes: string[] }[] }>('playbooks:dryRun', { runId: run.id });
    expect(bench.proxy.log.length).toBe(from);
    expect(answer.steps.map((step) => step.stepId)).toEqual(['revoke', 'verify', 'kid']);
    const [revoke, verify, kid] = answer.steps;
    expect(revoke.calls).toEqual([
      expect.objectContaining({ method: 'POST', url: `${bench.lab.issuer}/protocol/openid-connect/revoke`, count: 4 }),
      expect.objectContaining({ method: 'POST', url: `${bench.lab.issuer}/protocol/openid-connect/token/introspect`, count: 4 }),
    ]);
    expect(revoke.notes).toContain('Pauses for confirmation before it runs.');
    expect(verify.calls).toEqual([expect.objectContaining({ url: expect.stringContaining('/introspect'), count: 4 })]);
    expect(kid.calls).toEqual([expect.objectContaining({ method: 'GET', url: `${bench.lab.issuer}/protocol/openid-connect/certs`, count: 1 })]);
    expect(kid.notes).toContain('The kid is entered when the step runs.');
    expect(requests(bench.proxy, INTROSPECTION, from)).toBe(0);
  });
});
