/**
 * The journal an automated step's action runs inside. `running` (attempts + 1, step.started, and
 * what was given to the step, sealed) is committed before the action starts; `done` or `failed`
 * after it ends, and only a verified result is `done`. A step found `running` that this process is
 * not executing was interrupted (a crash, a lock mid-step): running it again first asks the
 * action's check() whether its effect is already there, and marks it done without repeating it if
 * so. A done step is never run again; a destructive one waits for confirmation first.
 */
import type { RunStep, RunView, StepAction } from '../../../../shared/playbooks';
import { CoreError, isCoreError } from '../../errors';
import type { EngineDeps } from '../engine';
import { ENDED, readInputs, readRun, requireOpen, runConflict, stepNotReady, stepOf, type Change, type RunInputs, type StoredRun } from '../run-store';
import { paramsOf, recordGiven, resolveKid, resolveTokens, usesKid, usesTokens, type GivenInput, type Params } from './inputs';
import type { ActionContext, StepActionDef, StepResult } from './types';

/** The whole run's tokens are sealed as one value and rewritten at each change: bounded. */
const MAX_RUN_TOKENS = 20_000;

export interface JournalHost {
  deps: EngineDeps;
  actions: Record<StepAction, StepActionDef>;
  /** Steps an action is executing in this process now, as `runId/stepId`. */
  executing: Set<string>;
  change(runId: string, revision: number | null, apply: (change: Change) => void): StoredRun;
  view(run: StoredRun, inputs?: RunInputs): RunView;
}

/** Who the timeline and the report name for what an action did. */
const AUTOMATION = 'CredOps';

function failureMessage(error: unknown): string {
  return isCoreError(error) ? error.message : 'CredOps failed unexpectedly while running this step. Nothing was marked done; run it again, and report this if it repeats.';
}

const isLocked = (error: unknown) => isCoreError(error) && error.code === 'VAULT_LOCKED';

export async function runAutomatedStep(host: JournalHost, runId: string, stepId: string, revision: number, confirm: boolean, given?: GivenInput): Promise<RunView> {
  const key = `${runId}/${stepId}`;
  if (host.executing.has(key)) throw stepNotReady('This step is running now. Wait for it to finish.');
  const before = readRun(host.deps.vault(), runId);
  if (before.revision !== revision) throw runConflict();
  requireOpen(before);
  const step = stepOf(before, stepId);
  if (step.kind !== 'automated' || !step.action) throw stepNotReady('This step is done by hand: complete it with your evidence, or skip it with a reason.');
  if (ENDED.has(step.state)) throw stepNotReady(`This step is already ${step.state}; a completed step is never run again.`);
  const action = host.actions[step.action];
  const params = paramsOf({ ...step, action: step.action });
  const interrupted = step.state === 'running';

  // Everything the action needs is resolved and checked before anything is committed.
  if (given?.tokens?.length && !usesTokens(step.action)) throw new CoreError('INVALID_INPUT', 'This step does not act on tokens: give them at the step that revokes or checks them.');
  if (given?.kid && !usesKid(step.action)) throw new CoreError('INVALID_INPUT', 'This step does not look for a kid.');
  const inputs = readInputs(host.deps.vault(), before);
  if (given?.tokens && inputs.tokens.length + given.tokens.length > MAX_RUN_TOKENS) {
    throw new CoreError('INVALID_INPUT', `A run holds at most ${MAX_RUN_TOKENS.toLocaleString('en')} tokens; split the incident into more runs or use a bulk revocation on the Servers screen.`);
  }
  const recorded = recordGiven(inputs, stepId, params, given);
  const ctx = contextFor(host, before, step, params, inputs, given);
  if (action.needsServer && !before.serverId) throw stepNotReady('This run has no server to act on. Do this step by hand and skip it with a note.');
  if (step.action === 'markCredential' && !before.credentialId) throw stepNotReady('This run was started without a credential: mark it in the inventory by hand and skip this step with a note.');
  if (step.action === 'expectOldSecretRefused' && !ctx.oldSecret) throw stepNotReady('No old secret was captured when this run started (the credential held none), so there is nothing to try.');
  if (usesTokens(step.action) && ctx.tokens.length === 0) throw new CoreError('INVALID_INPUT', params.source === 'pasted' ? 'Paste the tokens for this step.' : 'No tokens of the exposure window are recorded yet: paste them at this step.');
  if (usesKid(step.action) && !ctx.kid) throw new CoreError('INVALID_INPUT', `Enter the ${typeof params.kid === 'string' ? `${params.kid} ` : ''}kid to look for.`);

  // A step that cannot be undone waits for confirmation, having done nothing but keep what was given to it.
  if (!interrupted && step.destructive && !confirm) {
    if (step.state === 'awaiting_confirmation' && !recorded) return host.view(before, inputs);
    return host.view(
      host.change(runId, revision, (change) => {
        stepOf(change.run, stepId).state = 'awaiting_confirmation';
        if (recorded) recordGiven(change.inputs(), stepId, params, given);
      }),
    );
  }

  host.executing.add(key);
  try {
    await host.deps.at?.('beforeRunning', stepId);
    if (interrupted) {
      let already: boolean;
      try {
        already = await action.check(ctx);
      } catch (error) {
        if (isLocked(error)) throw error;
        return finish(host, runId, stepId, { ok: false, summary: failureMessage(error), details: ['The step was interrupted earlier, and checking whether it had taken effect failed. Nothing was marked done.'] }, isCoreError(error) ? undefined : error);
      }
      if (already) {
        const result = { ok: true, summary: 'Confirmed already done at the server; not repeated.', details: ['The step was interrupted (the app stopped, or the vault locked) after its action took effect.'] };
        return finish(host, runId, stepId, result, undefined, recorded ? { params, given } : undefined, 'It had taken effect before the interruption: confirmed at the server, not repeated.');
      }
    }
    host.change(runId, interrupted ? null : revision, (change) => {
      const current = stepOf(change.run, stepId);
      Object.assign(current, { state: 'running', attempts: current.attempts + 1, result: null, doneBy: null, doneAt: null });
      // Merged into the inputs as they are now: another step may have recorded its own meanwhile.
      if (recorded) recordGiven(change.inputs(), stepId, params, given);
      if (interrupted) change.event('run.resumed', stepId, 'Interrupted earlier, and its effect is not there yet: running it again. Nothing the server already acknowledged is sent twice.');
      else if (current.destructive) change.event('step.confirmed', stepId, 'Confirmed: this step cannot be undone.');
      change.event('step.started', stepId, `Attempt ${current.attempts}: ${current.action}.`);
      change.audit('playbook.stepStarted', { step: stepId, action: current.action, attempt: current.attempts, resumed: interrupted });
    });
    await host.deps.at?.('afterRunning', stepId);
    let result: StepResult;
    let unexpected: unknown;
    try {
      result = await action.execute(ctx);
    } catch (error) {
      // A lock mid-step leaves it `running`: the next run after unlock checks and resumes it.
      if (isLocked(error)) throw error;
      result = { ok: false, summary: failureMessage(error), details: [] };
      if (!isCoreError(error)) unexpected = error;
    }
    await host.deps.at?.('afterAction', stepId);
    return finish(host, runId, stepId, result, unexpected);
  } finally {
    host.executing.delete(key);
  }
}

/** Commits the step's outcome: done only when verified, failed (retryable) otherwise. */
function finish(host: JournalHost, runId: string, stepId: string, result: StepResult, unexpected?: unknown, record?: { params: Params; given?: GivenInput }, resumedNote?: string): RunView {
  const run = host.change(runId, null, (change) => {
    const step = stepOf(change.run, stepId);
    const at = host.deps.now().toISOString();
    Object.assign(step, result.ok ? { state: 'done', result, doneBy: AUTOMATION, doneAt: at } : { state: 'failed', result, doneBy: null, doneAt: null });
    if (record) recordGiven(change.inputs(), stepId, record.params, record.given);
    if (resumedNote) change.event('run.resumed', stepId, resumedNote);
    change.event(result.ok ? 'step.done' : 'step.failed', stepId, result.summary, AUTOMATION);
    change.audit(result.ok ? 'playbook.stepDone' : 'playbook.stepFailed', { step: stepId, action: step.action, summary: result.summary.slice(0, 500) });
  });
  if (unexpected) throw unexpected;
  return host.view(run);
}

function contextFor(host: JournalHost, run: StoredRun, step: RunStep, params: Params, inputs: RunInputs, given?: GivenInput): ActionContext {
  return {
    vault: () => host.deps.vault(),
    now: () => host.deps.now(),
    clients: host.deps.clients,
    bulk: host.deps.bulk,
    run: { id: run.id, title: run.title, serverId: run.serverId, credentialId: run.credentialId, credentialName: run.credentialName, startedAt: run.startedAt },
    step,
    params,
    tokens: resolveTokens(params, inputs, step.id),
    kid: resolveKid(params, inputs, given?.kid),
    oldSecret: inputs.oldSecret,
    clientId: inputs.clientId,
  };
}
