/**
 * The run engine: starts runs and moves their steps, each change one vault transaction with its
 * timeline events and audit entries, each bumping the run's revision (a caller acting on an older
 * revision is refused with RUN_CONFLICT: two windows never overwrite each other). A run ends by
 * itself when its last step is done or skipped, and then forgets the tokens and the old secret it
 * held (their counts and fingerprints stay). Automated steps run inside their journal
 * (actions/step-journal.ts).
 */
import { randomUUID } from 'node:crypto';
import type { PlaybookTemplate, RunSummary, RunView, StepAction, TimelineEvent } from '../../../shared/playbooks';
import { getCredential, openCredential } from '../credentials/store';
import { CoreError } from '../errors';
import type { BulkRevocations } from '../servers/bulk/service';
import type { ServerClients } from '../servers/connect';
import { findServer } from '../servers/store';
import type { OpenVault, WriteTx } from '../vault/open-vault';
import { STEP_ACTION_DEFS, type StepActionDef } from './actions';
import { forgetSecrets, type GivenInput } from './actions/inputs';
import { runAutomatedStep, type JournalHost } from './actions/step-journal';
import { expandTemplate, type RunCredential } from './expand';
import {
  appendEvents, credentialExists, emptyInputs, ENDED, insertRun, listRunPage, readInputs, readRun, requireOpen, runConflict, stepNotReady, stepOf, timelinePage, updateRun,
  type Change, type NewEvent, type RunInputs, type StoredRun,
} from './run-store';

/** The points of an automated step where a test acts out a crash. */
export type StepPoint = 'beforeRunning' | 'afterRunning' | 'afterAction';

export interface EngineDeps {
  /** The unlocked vault, or VAULT_LOCKED. Asked again after every await: a lock may come in between. */
  vault(): OpenVault;
  now(): Date;
  clients: ServerClients;
  bulk: BulkRevocations;
  /** Who acts, as the timeline and the audit log name them. */
  actor?: string;
  actions?: Partial<Record<StepAction, StepActionDef>>;
  /** Called at each point of an automated step; a throw there stops the step as a crash would. */
  at?: (point: StepPoint, stepId: string) => void | Promise<void>;
}

export interface StartInput {
  credentialId: string | null;
  serverId: string | null;
  title: string;
  /** Evidence the run starts with (a leak scan's source and masked findings), on its first step. */
  evidence?: string;
}

function describeLocation(location: { label: string; environment: string }, environment: string): string {
  return location.environment.toLowerCase() === environment.toLowerCase() ? location.label : `${location.label} (${location.environment})`;
}

/** What a run's full view and its line in the run list both say about it. */
function runHeader(vault: OpenVault, run: StoredRun) {
  return {
    id: run.id,
    templateId: run.templateId,
    templateVersion: run.templateVersion,
    templateName: run.templateName,
    title: run.title,
    credentialId: run.credentialId,
    credentialName: run.credentialName,
    credentialDeleted: run.credentialId !== null && !credentialExists(vault, run.credentialId),
    state: run.state,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
    revision: run.revision,
  };
}

export class PlaybookEngine {
  /** Steps an action is executing in this process now, as `runId/stepId`. */
  private readonly executing = new Set<string>();
  private readonly actions: Record<StepAction, StepActionDef>;
  private readonly actor: string;

  private readonly host: JournalHost;

  constructor(private readonly deps: EngineDeps) {
    this.actions = { ...STEP_ACTION_DEFS, ...deps.actions };
    this.actor = deps.actor ?? 'user';
    this.host = { deps, actions: this.actions, executing: this.executing, change: (runId, revision, apply) => this.change(runId, revision, apply), view: (run, inputs) => this.view(run, inputs) };
  }

  // ── Reading ────────────────────────────────────────────────────────────────────────────────────

  view(run: StoredRun, inputs: RunInputs = readInputs(this.deps.vault(), run)): RunView {
    return {
      ...runHeader(this.deps.vault(), run),
      serverId: run.serverId,
      steps: run.steps,
      interruptedSteps: this.interrupted(run),
      recorded: { tokens: Math.max(inputs.tokenCount, inputs.tokens.length), kids: { ...inputs.kids }, oldSecretFingerprint: inputs.oldSecretFingerprint },
    };
  }

  private interrupted(run: StoredRun): string[] {
    return run.steps.filter((step) => step.state === 'running' && !this.executing.has(`${run.id}/${step.id}`)).map((step) => step.id);
  }

  get(runId: string, offset = 0, limit = 100): { run: RunView; timeline: TimelineEvent[]; timelineTotal: number } {
    const vault = this.deps.vault();
    const page = timelinePage(vault, runId, offset, limit);
    return { run: this.view(readRun(vault, runId)), timeline: page.events, timelineTotal: page.total };
  }

  listRuns(state: StoredRun['state'] | undefined, offset: number, limit: number): { runs: RunSummary[]; total: number } {
    const vault = this.deps.vault();
    const { runs, total } = listRunPage(vault, state, offset, limit);
    return {
      total,
      runs: runs.map((run) => ({
        ...runHeader(vault, run),
        steps: run.steps.length,
        settled: run.steps.filter((step) => ENDED.has(step.state)).length,
        failed: run.steps.filter((step) => step.state === 'failed').length,
        interrupted: this.interrupted(run).length > 0,
      })),
    };
  }

  // ── Changing ───────────────────────────────────────────────────────────────────────────────────

  /**
   * One change to a run, in one transaction: read, refuse a stale revision, apply, complete the
   * run when every step has ended, bump the revision, write steps, inputs, events and audit.
   */
  private change(runId: string, revision: number | null, apply: (change: Change) => void): StoredRun {
    const vault = this.deps.vault();
    const at = this.deps.now().toISOString();
    return vault.write((tx: WriteTx) => {
      const run = readRun(vault, runId);
      if (revision !== null && run.revision !== revision) throw runConflict();
      const events: NewEvent[] = [];
      let inputs: RunInputs | null = null;
      const change: Change = {
        run,
        event: (type, stepId, detail, actor = this.actor) => events.push({ at, actor, type, stepId, detail }),
        audit: (action, detail) => tx.audit({ action, target: run.id, actor: this.actor, detail: { run: run.title, ...detail } }),
        inputs: () => (inputs ??= readInputs(vault, run)),
      };
      apply(change);
      if (run.state === 'open' && run.steps.every((step) => ENDED.has(step.state))) {
        run.state = 'completed';
        run.completedAt = at;
        forgetSecrets(change.inputs());
        change.event('run.completed', null, `Every step is done or skipped (${run.steps.filter((step) => step.state === 'done').length} done, ${run.steps.filter((step) => step.state === 'skipped').length} skipped).`);
        change.audit('playbook.runCompleted', { steps: run.steps.length });
      }
      run.revision += 1;
      updateRun(vault, run, at, inputs ?? undefined);
      appendEvents(vault, run.id, events);
      return run;
    });
  }

  /** Expands the template against the credential (one item per location) and journals the start. */
  start(template: PlaybookTemplate, input: StartInput): RunView {
    const vault = this.deps.vault();
    const now = this.deps.now();
    const inputs = emptyInputs();
    let credentialName: string | null = null;
    let credential: RunCredential | null = null;
    let serverId = input.serverId;
    if (input.credentialId) {
      const summary = getCredential(vault, input.credentialId, now).credential;
      if (template.appliesTo.length > 0 && !template.appliesTo.includes(summary.kind)) {
        throw new CoreError('INVALID_INPUT', `"${template.name}" is for ${template.appliesTo.join(', ')} credentials; "${summary.name}" is ${summary.kind}. Choose another playbook, or start this one without a credential.`);
      }
      credentialName = summary.name;
      credential = {
        id: summary.id,
        name: summary.name,
        kind: summary.kind,
        environment: summary.environment,
        owner: summary.owner,
        provider: summary.provider,
        locations: summary.locations.map((location) => ({ kind: location.kind, description: describeLocation(location, summary.environment) })),
      };
      inputs.credential = credential;
      inputs.clientId = summary.clientId;
      // Only a run that will prove the old secret refused keeps a copy of it, sealed to the run.
      if (summary.hasSecret && template.steps.some((step) => step.action === 'expectOldSecretRefused')) {
        inputs.oldSecret = openCredential(vault, summary.id, 'verify').secret;
        inputs.oldSecretFingerprint = summary.fingerprint;
      }
      if (!serverId && summary.authServerId && isServerId(vault, summary.authServerId)) serverId = summary.authServerId;
      // Checks against another server than the credential's pass for the wrong reason (unknown
      // client, unknown tokens): a credential that names its server keeps it.
      if (serverId && summary.authServerId && isServerId(vault, summary.authServerId) && serverId !== summary.authServerId) {
        throw new CoreError('INVALID_INPUT', `"${summary.name}" belongs to another server than the one chosen. Start the run on its own server, or change the credential's auth server first.`);
      }
    }
    const server = serverId ? findServer(vault, serverId) : null;
    const at = now.toISOString();
    const run: StoredRun = {
      id: randomUUID(),
      templateId: template.id,
      templateVersion: template.version,
      templateName: template.name,
      template,
      title: input.title,
      credentialId: input.credentialId,
      credentialName,
      serverId: server?.id ?? null,
      state: 'open',
      startedAt: at,
      completedAt: null,
      revision: 1,
      inputsVersion: 1,
      steps: expandTemplate(template, credential),
    };
    if (input.evidence) run.steps[0].evidence = input.evidence;
    vault.write((tx) => {
      insertRun(vault, run, inputs, at);
      const about = [
        `${template.name} (v${template.version})`,
        credential ? `for ${credential.name} (${credential.environment}, ${credential.locations.length} recorded location${credential.locations.length === 1 ? '' : 's'})` : 'without a credential',
        server ? `against ${server.name}` : null,
        inputs.oldSecretFingerprint ? `old secret captured for verification (${inputs.oldSecretFingerprint})` : null,
      ].filter(Boolean);
      appendEvents(vault, run.id, [
        { at, actor: this.actor, type: 'run.started', stepId: null, detail: `${about.join(', ')}.` },
        ...(input.evidence ? [{ at, actor: this.actor, type: 'evidence.added' as const, stepId: run.steps[0].id, detail: input.evidence }] : []),
      ]);
      tx.audit({
        action: 'playbook.runStarted',
        target: run.id,
        actor: this.actor,
        detail: { run: run.title, template: template.id, version: template.version, credentialId: run.credentialId, serverId: run.serverId, steps: run.steps.length, oldSecretCaptured: inputs.oldSecret !== null, evidence: Boolean(input.evidence) },
      });
    });
    return this.view(run, inputs);
  }

  completeStep(runId: string, stepId: string, revision: number, evidence: string): RunView {
    const run = this.change(runId, revision, (change) => {
      requireOpen(change.run);
      const step = stepOf(change.run, stepId);
      if (step.kind === 'automated') throw stepNotReady('An automated step is run, not ticked off: run it, or skip it with a reason.');
      if (step.kind === 'decision') throw stepNotReady('A decision step is completed by choosing one of its options.');
      if (ENDED.has(step.state)) throw stepNotReady(`This step is already ${step.state}; it is not reopened. Add evidence to it instead.`);
      Object.assign(step, { state: 'done', evidence: evidence || step.evidence, doneBy: this.actor, doneAt: this.deps.now().toISOString() });
      change.event('step.done', step.id, evidence ? `Evidence: ${evidence}` : 'Done, without an evidence note.');
      change.audit('playbook.stepCompleted', { step: step.id, evidence: evidence.length > 0 });
    });
    return this.view(run);
  }

  decide(runId: string, stepId: string, revision: number, value: string): RunView {
    const run = this.change(runId, revision, (change) => {
      requireOpen(change.run);
      const step = stepOf(change.run, stepId);
      if (step.kind !== 'decision') throw stepNotReady('This step is not a decision.');
      if (ENDED.has(step.state)) throw stepNotReady(`This decision is already ${step.state === 'done' ? `made (${step.decision})` : 'skipped'}; later steps were shown with it, so it is not changed.`);
      const option = step.options?.find((candidate) => candidate.value === value);
      if (!option) throw new CoreError('INVALID_INPUT', `Choose one of: ${(step.options ?? []).map((candidate) => candidate.value).join(', ')}.`);
      Object.assign(step, { state: 'done', decision: value, doneBy: this.actor, doneAt: this.deps.now().toISOString() });
      // Later titles name the choice ({{decision.<id>}}): expand them again with it.
      const decisions = Object.fromEntries(change.run.steps.filter((s) => s.kind === 'decision' && s.decision).map((s) => [s.templateStepId, s.decision!]));
      const fresh = new Map(expandTemplate(change.run.template, change.inputs().credential, decisions).map((s) => [s.id, s]));
      for (const s of change.run.steps) {
        const expanded = fresh.get(s.id);
        if (expanded) Object.assign(s, { title: expanded.title, guidance: expanded.guidance });
      }
      change.event('decision.made', step.id, `Chose: ${option.label}`);
      change.audit('playbook.decisionMade', { step: step.id, value });
    });
    return this.view(run);
  }

  skipStep(runId: string, stepId: string, revision: number, reason: string): RunView {
    const run = this.change(runId, revision, (change) => {
      requireOpen(change.run);
      const step = stepOf(change.run, stepId);
      if (ENDED.has(step.state)) throw stepNotReady(`This step is already ${step.state}.`);
      if (step.state === 'running' && this.executing.has(`${runId}/${stepId}`)) throw stepNotReady('This step is running now. Wait for it to finish.');
      Object.assign(step, { state: 'skipped', evidence: step.evidence ? `${step.evidence}\n\nSkipped: ${reason}` : `Skipped: ${reason}`, doneBy: this.actor, doneAt: this.deps.now().toISOString() });
      change.event('step.skipped', step.id, `Reason: ${reason}`);
      change.audit('playbook.stepSkipped', { step: step.id });
    });
    return this.view(run);
  }

  addEvidence(runId: string, stepId: string, revision: number, note: string): RunView {
    const run = this.change(runId, revision, (change) => {
      if (change.run.state === 'abandoned') throw stepNotReady('This run was abandoned: nothing in it can change any more.');
      const step = stepOf(change.run, stepId);
      step.evidence = step.evidence ? `${step.evidence}\n\n${note}` : note;
      change.event('evidence.added', step.id, note);
      change.audit('playbook.evidenceAdded', { step: step.id, characters: note.length });
    });
    return this.view(run);
  }

  abandon(runId: string, revision: number, reason: string): RunView {
    const run = this.change(runId, revision, (change) => {
      requireOpen(change.run);
      if (change.run.steps.some((step) => this.executing.has(`${runId}/${step.id}`))) throw stepNotReady('A step of this run is running now. Wait for it to finish.');
      change.run.state = 'abandoned';
      change.run.completedAt = this.deps.now().toISOString();
      forgetSecrets(change.inputs());
      change.event('run.abandoned', null, reason);
      change.audit('playbook.runAbandoned', { reason });
    });
    return this.view(run);
  }

  // ── Automated steps ────────────────────────────────────────────────────────────────────────────

  /** Runs an automated step inside its journal (see actions/step-journal.ts). */
  runStep(runId: string, stepId: string, revision: number, confirm: boolean, given?: GivenInput): Promise<RunView> {
    return runAutomatedStep(this.host, runId, stepId, revision, confirm, given);
  }
}

function isServerId(vault: OpenVault, id: string): boolean {
  try {
    findServer(vault, id);
    return true;
  } catch {
    return false;
  }
}
