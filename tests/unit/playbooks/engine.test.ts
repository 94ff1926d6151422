/**
 * The run engine's state transitions, against a real vault and the lab behind the fault proxy:
 * manual, decision and automated steps, confirmation of destructive steps, failures that are
 * retried, skips, stale revisions from a second window, a step executing now, a credential
 * deleted under a run, and the vault locked in the middle of a step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../shared/playbooks';
import { INTROSPECTION, openBench, REVOCATION, REVOKE_STEP, requests, stepIn, testTemplate, VERIFY_STEP, type Bench } from './engine-fixtures';
import { STRONG_PASSPHRASE } from '../../support/test-platform';

let bench: Bench;
beforeAll(async () => {
  bench = await openBench();
});
afterAll(() => bench.close());

const MANUAL = { id: 'contain', phase: 'contain', kind: 'manual', title: 'Disable the key at {{credential.provider}}' };
const DECISION = {
  id: 'grace',
  phase: 'rotate',
  kind: 'decision',
  title: 'Choose a grace period',
  options: [
    { value: 'none', label: 'No grace period' },
    { value: 'day', label: 'One day' },
  ],
};
const AFTER_DECISION = { id: 'wait', phase: 'rotate', kind: 'manual', title: 'Wait: {{decision.grace}}' };
const MARK = { id: 'mark', phase: 'verify', kind: 'automated', action: 'markCredential', params: { as: 'revoked' }, destructive: true, title: 'Mark {{credential.name}} revoked' };

async function timeline(runId: string): Promise<TimelineEvent[]> {
  return bench.engine().get(runId, 0, 500).timeline;
}

describe('manual and decision steps', () => {
  it('completes a manual step once, refuses to reopen it, and bumps the revision with each change', async () => {
    const engine = bench.engine();
    const credential = await bench.credential({ name: 'manual-key' });
    let run = engine.start(testTemplate([MANUAL, DECISION, AFTER_DECISION]), { credentialId: credential.id, serverId: null, title: 'Key in a log' });
    expect(run.revision).toBe(1);
    expect(stepIn(run, 'contain').title).toBe('Disable the key at Stripe');
    run = engine.completeStep(run.id, 'contain', run.revision, 'Disabled at 09:12, ticket SEC-1');
    expect(run.revision).toBe(2);
    expect(stepIn(run, 'contain')).toMatchObject({ state: 'done', evidence: 'Disabled at 09:12, ticket SEC-1', doneBy: 'user' });
    expect(() => engine.completeStep(run.id, 'contain', run.revision, 'again')).toThrow(expect.objectContaining({ code: 'STEP_NOT_READY' }));
    expect(() => engine.completeStep(run.id, 'grace', run.revision, '')).toThrow(expect.objectContaining({ code: 'STEP_NOT_READY' }));
    // Evidence can still be added to a done step; it does not reopen it.
    run = engine.addEvidence(run.id, 'contain', run.revision, 'Confirmed with the provider');
    expect(stepIn(run, 'contain')).toMatchObject({ state: 'done', evidence: 'Disabled at 09:12, ticket SEC-1\n\nConfirmed with the provider' });
    expect(run.revision).toBe(3);
    expect((await timeline(run.id)).map((event) => event.type)).toEqual(['evidence.added', 'step.done', 'run.started']);
  });

  it('records a decision, fills it into later titles, and never changes it afterwards', async () => {
    const engine = bench.engine();
    let run = engine.start(testTemplate([DECISION, AFTER_DECISION]), { credentialId: null, serverId: null, title: 'Decision' });
    expect(stepIn(run, 'wait').title).toBe('Wait: (decision pending)');
    expect(() => engine.decide(run.id, 'grace', run.revision, 'week')).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    run = engine.decide(run.id, 'grace', run.revision, 'day');
    expect(stepIn(run, 'grace')).toMatchObject({ state: 'done', decision: 'day' });
    expect(stepIn(run, 'wait').title).toBe('Wait: One day');
    expect(() => engine.decide(run.id, 'grace', run.revision, 'none')).toThrow(expect.objectContaining({ code: 'STEP_NOT_READY' }));
    // The last step ends the run.
    run = engine.completeStep(run.id, 'wait', run.revision, '');
    expect(run.state).toBe('completed');
    expect(run.completedAt).not.toBeNull();
    expect(() => engine.addEvidence(run.id, 'wait', run.revision, 'late note')).not.toThrow();
    expect(() => engine.skipStep(run.id, 'wait', run.revision + 1, 'x')).toThrow(expect.objectContaining({ code: 'STEP_NOT_READY' }));
  });

  it('refuses a change from a window that saw an older revision', async () => {
    const windowA = bench.engine();
    const started = windowA.start(testTemplate([MANUAL, DECISION]), { credentialId: null, serverId: null, title: 'Two windows' });
    const seenByB = started.revision;
    windowA.completeStep(started.id, 'contain', started.revision, 'A did it');
    expect(() => windowA.decide(started.id, 'grace', seenByB, 'none')).toThrow(expect.objectContaining({ code: 'RUN_CONFLICT' }));
    await expect(windowA.runStep(started.id, 'grace', seenByB, false)).rejects.toMatchObject({ code: 'RUN_CONFLICT' });
    expect(() => windowA.abandon(started.id, seenByB, 'x')).toThrow(expect.objectContaining({ code: 'RUN_CONFLICT' }));
    expect(stepIn(windowA.get(started.id).run, 'grace').state).toBe('pending');
  });

  it('skips a step with a reason, abandons a run, and then refuses every change', async () => {
    const engine = bench.engine();
    let run = engine.start(testTemplate([MANUAL, DECISION]), { credentialId: null, serverId: null, title: 'Skip' });
    run = engine.skipStep(run.id, 'contain', run.revision, 'The provider has no way to disable a key');
    expect(stepIn(run, 'contain')).toMatchObject({ state: 'skipped', evidence: 'Skipped: The provider has no way to disable a key' });
    expect(() => engine.skipStep(run.id, 'contain', run.revision, 'again')).toThrow(expect.objectContaining({ code: 'STEP_NOT_READY' }));
    run = engine.abandon(run.id, run.revision, 'False alarm: the key in the log was a test key');
    expect(run.state).toBe('abandoned');
    expect(() => engine.decide(run.id, 'grace', run.revision, 'none')).toThrow(expect.objectContaining({ code: 'STEP_NOT_READY' }));
    expect(() => engine.addEvidence(run.id, 'grace', run.revision, 'x')).toThrow(expect.objectContaining({ code: 'STEP_NOT_READY' }));
    expect((await timeline(run.id))[0]).toMatchObject({ type: 'run.abandoned', detail: 'False alarm: the key in the log was a test key' });
  });
});

describe('automated steps', () => {
  it('pauses a destructive step for confirmation without acting, then runs, verifies and never runs it again', async () => {
    const engine = bench.engine();
    const tokens = await bench.lab.issueOpaqueAccessTokens(3);
    let run = engine.start(testTemplate([REVOKE_STEP, VERIFY_STEP]), { credentialId: null, serverId: bench.serverId, title: 'Confirm first' });
    const before = bench.proxy.log.length;
    run = await engine.runStep(run.id, 'revoke', run.revision, false, { tokens });
    expect(stepIn(run, 'revoke').state).toBe('awaiting_confirmation');
    expect(run.recorded.tokens).toBe(3);
    const waiting = run.revision;
    run = await engine.runStep(run.id, 'revoke', run.revision, false, { tokens });
    expect(run.revision).toBe(waiting);
    expect(bench.proxy.log.length).toBe(before);

    run = await engine.runStep(run.id, 'revoke', run.revision, true);
    expect(stepIn(run, 'revoke')).toMatchObject({ state: 'done', attempts: 1, doneBy: 'CredOps', result: { ok: true } });
    expect(run.recorded.tokens).toBe(3);
    expect((await timeline(run.id)).slice(0, 3).map((event) => event.type)).toEqual(['step.done', 'step.started', 'step.confirmed']);
    const after = bench.proxy.log.length;
    await expect(engine.runStep(run.id, 'revoke', run.revision, true, { tokens })).rejects.toMatchObject({ code: 'STEP_NOT_READY' });
    expect(bench.proxy.log.length).toBe(after);

    // The verification uses the tokens the run recorded: none need pasting again.
    run = await engine.runStep(run.id, 'verify', run.revision, false);
    expect(stepIn(run, 'verify')).toMatchObject({ state: 'done', result: { ok: true } });
    expect(run.state).toBe('completed');
    expect(run.recorded.tokens).toBe(3);
  });

  it('fails a verification the server does not confirm, with the reason, and passes when retried after the fix', async () => {
    const engine = bench.engine();
    const tokens = await bench.lab.issueOpaqueAccessTokens(2);
    let run = engine.start(testTemplate([{ ...VERIFY_STEP, params: { source: 'pasted' } }, MANUAL]), { credentialId: null, serverId: bench.serverId, title: 'Still active' });
    await expect(engine.runStep(run.id, 'verify', run.revision, false)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    run = await engine.runStep(run.id, 'verify', run.revision, false, { tokens });
    expect(stepIn(run, 'verify')).toMatchObject({ state: 'failed', attempts: 1, result: { ok: false } });
    expect(stepIn(run, 'verify').result!.summary).toMatch(/2 tokens still active/);

    // The server goes down in the middle of the step: failed with the reason, nothing marked done.
    bench.proxy.setFault((req) => (INTROSPECTION.test(req.path) ? { kind: 'drop' } : null));
    try {
      run = await engine.runStep(run.id, 'verify', run.revision, false);
    } finally {
      bench.proxy.setFault(null);
    }
    expect(stepIn(run, 'verify')).toMatchObject({ state: 'failed', attempts: 2 });
    expect(stepIn(run, 'verify').result!.summary).toMatch(/connection|reach|closed/i);

    for (const token of tokens) await bench.value('servers:revoke', { serverId: bench.serverId, token, hint: null });
    run = await engine.runStep(run.id, 'verify', run.revision, false);
    expect(stepIn(run, 'verify')).toMatchObject({ state: 'done', attempts: 3, result: { ok: true } });
    const types = (await timeline(run.id)).map((event) => event.type);
    expect(types.filter((type) => type === 'step.failed')).toHaveLength(2);
  });

  it('refuses to run a step that this process is executing now, and another process sees it as interrupted', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const engine = bench.engine(async (point) => {
      if (point === 'afterRunning') await held;
    });
    const tokens = await bench.lab.issueOpaqueAccessTokens(1);
    const run = engine.start(testTemplate([{ ...VERIFY_STEP, params: { source: 'pasted' } }]), { credentialId: null, serverId: bench.serverId, title: 'Busy' });
    const running = engine.runStep(run.id, 'verify', run.revision, false, { tokens });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = engine.get(run.id).run;
    expect(stepIn(now, 'verify').state).toBe('running');
    expect(now.interruptedSteps).toEqual([]);
    await expect(engine.runStep(run.id, 'verify', now.revision, false)).rejects.toMatchObject({ code: 'STEP_NOT_READY' });
    expect(() => engine.skipStep(run.id, 'verify', now.revision, 'x')).toThrow(expect.objectContaining({ code: 'STEP_NOT_READY' }));
    expect(bench.engine().get(run.id).run.interruptedSteps).toEqual(['verify']);
    release();
    expect(stepIn(await running, 'verify').state).toBe('failed');
  });

  it('keeps a run whose credential was deleted: its name, its steps, and a clear failure where the credential is needed', async () => {
    const engine = bench.engine();
    const credential = await bench.credential({ name: 'soon-deleted', locations: [{ kind: 'env_file', label: '.env on build-01', environment: 'production', confirmedAt: null }] });
    let run = engine.start(testTemplate([{ ...MANUAL, forEachLocation: true, title: 'Remove it from {{location.description}}' }, MARK]), { credentialId: credential.id, serverId: null, title: 'Deleted later' });
    expect(stepIn(run, 'contain#1').title).toBe('Remove it from .env on build-01');
    bench.core.vault.require().db.prepare('DELETE FROM credentials WHERE id = ?').run(credential.id);
    run = engine.get(run.id).run;
    expect(run).toMatchObject({ credentialDeleted: true, credentialName: 'soon-deleted' });
    run = await engine.runStep(run.id, 'mark', run.revision, true);
    expect(stepIn(run, 'mark')).toMatchObject({ state: 'failed' });
    expect(stepIn(run, 'mark').result!.summary).toMatch(/no longer exists/);
    expect(bench.engine().listRuns(undefined, 0, 50).runs.find((r) => r.id === run.id)).toMatchObject({ credentialDeleted: true, failed: 1 });
  });

  it('leaves a step running when the vault locks in the middle of it, and resumes it after unlock without repeating a revocation', async () => {
    const tokens = await bench.lab.issueOpaqueAccessTokens(5);
    const engine = bench.engine();
    let run = engine.start(testTemplate([REVOKE_STEP, MARK]), { credentialId: null, serverId: bench.serverId, title: 'Locked' });
    // The vault locks (idle, screen lock) while the third revocation is at the server, whose
    // answer never comes back: the step cannot know whether that token was revoked.
    let sent = 0;
    bench.proxy.setFault((req) => {
      if (!REVOCATION.test(req.path) || ++sent !== 3) return null;
      void bench.core.vault.lock('screen-lock');
      return { kind: 'drop-after' };
    });
    try {
      await expect(engine.runStep(run.id, 'revoke', run.revision, true, { tokens })).rejects.toMatchObject({ code: 'VAULT_LOCKED' });
    } finally {
      bench.proxy.setFault(null);
    }
    expect(bench.core.vault.isUnlocked).toBe(false);
    await bench.core.vault.unlock(STRONG_PASSPHRASE);
    run = engine.get(run.id).run;
    expect(stepIn(run, 'revoke').state).toBe('running');
    expect(run.interruptedSteps).toEqual(['revoke']);
    run = await engine.runStep(run.id, 'revoke', run.revision, false);
    expect(stepIn(run, 'revoke')).toMatchObject({ state: 'done', result: { ok: true } });
    const acknowledged = bench.proxy.revocationsAcknowledged();
    expect(tokens.map((token) => acknowledged.get(token))).toEqual(tokens.map(() => 1));
    expect((await timeline(run.id)).map((event) => event.type)).toContain('run.resumed');
  });

  it('fails loudly when the old secret still gets a token, and revokes the token it got', async () => {
    const engine = bench.engine();
    const post = bench.lab.clients.post;
    const credential = await bench.credential({ name: 'not-rotated-yet', kind: 'oauth_client', provider: 'own_auth_server', clientId: post.clientId }, post.clientSecret!);
    const template = testTemplate([{ id: 'refused', phase: 'verify', kind: 'automated', action: 'expectOldSecretRefused', title: 'Old secret refused' }]);
    let run = engine.start(template, { credentialId: credential.id, serverId: bench.serverId, title: 'Not rotated' });
    const from = bench.proxy.log.length;
    run = await engine.runStep(run.id, 'refused', run.revision, false);
    const step = stepIn(run, 'refused');
    expect(step.state).toBe('failed');
    expect(step.result!.summary).toMatch(/^THE OLD SECRET STILL WORKS/);
    expect(step.result!.details.join(' ')).toMatch(/was revoked at once/);
    expect(requests(bench.proxy, REVOCATION, from)).toBe(1);
    expect(JSON.stringify(run)).not.toContain(post.clientSecret!);
  });

  it('checks the JWKS for the new kid (entered once, remembered) and for the old kid gone', async () => {
    const engine = bench.engine();
    const template = testTemplate([
      { id: 'published', phase: 'rotate', kind: 'automated', action: 'expectKidPresent', params: { kid: 'new' }, title: 'New key published' },
      { id: 'retired', phase: 'verify', kind: 'automated', action: 'expectKidAbsent', params: { kid: 'old' }, title: 'Old key gone' },
      { id: 'again', phase: 'verify', kind: 'automated', action: 'expectKidPresent', params: { kid: 'new' }, title: 'New key still published' },
    ]);
    const before = await bench.value<{ keys: { kid: string }[] }>('servers:refreshJwks', { id: bench.serverId });
    const oldKid = before.keys[0].kid;
    let run = engine.start(template, { credentialId: null, serverId: bench.serverId, title: 'Signing key' });
    await expect(engine.runStep(run.id, 'published', run.revision, false)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    run = await engine.runStep(run.id, 'published', run.revision, false, { kid: 'kid-not-there' });
    expect(stepIn(run, 'published')).toMatchObject({ state: 'failed' });
    const { kid: newKid } = await bench.lab.rotateSigningKey();
    run = await engine.runStep(run.id, 'published', run.revision, false, { kid: newKid });
    expect(stepIn(run, 'published')).toMatchObject({ state: 'done', result: { ok: true } });
    expect(run.recorded.kids).toEqual({ new: newKid });
    run = await engine.runStep(run.id, 'retired', run.revision, false, { kid: oldKid });
    expect(stepIn(run, 'retired').result!.summary).toMatch(/still published/);
    await bench.lab.retireSigningKey(oldKid);
    run = await engine.runStep(run.id, 'retired', run.revision, false);
    expect(stepIn(run, 'retired')).toMatchObject({ state: 'done' });
    run = await engine.runStep(run.id, 'again', run.revision, false);
    expect(stepIn(run, 'again').result!.summary).toContain(newKid);
    expect(run.state).toBe('completed');
  });
});
