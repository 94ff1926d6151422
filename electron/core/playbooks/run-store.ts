/**
 * Playbook runs in the vault. A run row keeps the template it was expanded from and the names of
 * what it acted on, so it still opens after the template changes or its credential is deleted.
 * Its steps are sealed to the run and its revision, its inputs (tokens given to steps, the secret
 * captured at start, kids entered) to the run and their own version, and each timeline detail to
 * its run and sequence number: a blob copied into another row, or an older revision put back
 * beside a newer one, does not open.
 */
import type { PlaybookTemplate, RunStep, TimelineEvent } from '../../../shared/playbooks';
import { playbookTemplate, RUN_STATES } from '../../../shared/playbooks';
import { CoreError } from '../errors';
import type { OpenVault } from '../vault/open-vault';
import type { SealBinding } from '../vault/seal';
import { statement } from '../vault/statements';
import type { RunCredential } from './expand';

export type RunState = (typeof RUN_STATES)[number];

export interface StoredRun {
  id: string;
  templateId: string;
  templateVersion: number;
  templateName: string;
  /** The template as it was when the run started: decisions re-expand titles from it. */
  template: PlaybookTemplate;
  title: string;
  credentialId: string | null;
  credentialName: string | null;
  serverId: string | null;
  state: RunState;
  startedAt: string;
  completedAt: string | null;
  revision: number;
  inputsVersion: number;
  steps: RunStep[];
}

/** What a run keeps for later steps. Sealed; only counts and fingerprints ever leave main. */
export interface RunInputs {
  /** The credential as the run expanded it, for re-expansion after a decision. */
  credential: RunCredential | null;
  /** The client id the old secret belongs to (an OAuth client credential). */
  clientId: string | null;
  /** The credential's secret when the run started, so a later step can prove the server refuses it. */
  oldSecret: string | null;
  oldSecretFingerprint: string | null;
  /** Every token given to the run, in order, without repeats: the exposure window. */
  tokens: string[];
  /** How many tokens the run was given (kept when the tokens themselves are forgotten at its end). */
  tokenCount: number;
  /** The tokens given at each step (by run step id). */
  stepTokens: Record<string, string[]>;
  /** Kids entered at steps, by the name the template gives them (`new`, `old`). */
  kids: Record<string, string>;
}

export const emptyInputs = (): RunInputs => ({ credential: null, clientId: null, oldSecret: null, oldSecretFingerprint: null, tokens: [], tokenCount: 0, stepTokens: {}, kids: {} });

interface RunRow {
  id: string;
  template_id: string;
  template_version: number;
  template_name: string;
  template: string;
  title: string;
  credential_id: string | null;
  credential_name: string | null;
  server_id: string | null;
  state: RunState;
  started_at: string;
  completed_at: string | null;
  revision: number;
  steps: Buffer;
  inputs: Buffer;
  inputs_version: number;
}

const stepsBinding = (runId: string, revision: number): SealBinding => ({ table: 'playbook_runs', recordId: runId, field: 'steps', version: revision });
const inputsBinding = (runId: string, version: number): SealBinding => ({ table: 'playbook_runs', recordId: runId, field: 'inputs', version });
const detailBinding = (runId: string, seq: number): SealBinding => ({ table: 'playbook_timeline', recordId: `${runId}/${seq}`, field: 'detail', version: 1 });

function rowOf(vault: OpenVault, runId: string): RunRow {
  const row = statement(vault.db, 'SELECT * FROM playbook_runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new CoreError('RUN_NOT_FOUND', 'That playbook run is no longer in the vault. Reload the list of runs.');
  return row;
}

function fromRow(vault: OpenVault, row: RunRow): StoredRun {
  return {
    id: row.id,
    templateId: row.template_id,
    templateVersion: row.template_version,
    templateName: row.template_name,
    template: playbookTemplate.parse(JSON.parse(row.template)),
    title: row.title,
    credentialId: row.credential_id,
    credentialName: row.credential_name,
    serverId: row.server_id,
    state: row.state,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    revision: row.revision,
    inputsVersion: row.inputs_version,
    steps: JSON.parse(vault.openSealed(row.steps, stepsBinding(row.id, row.revision)).toString('utf8')) as RunStep[],
  };
}

export function readRun(vault: OpenVault, runId: string): StoredRun {
  return fromRow(vault, rowOf(vault, runId));
}

export function readInputs(vault: OpenVault, run: Pick<StoredRun, 'id'>): RunInputs {
  const row = statement(vault.db, 'SELECT inputs, inputs_version FROM playbook_runs WHERE id = ?').get(run.id) as Pick<RunRow, 'inputs' | 'inputs_version'> | undefined;
  if (!row) throw new CoreError('RUN_NOT_FOUND', 'That playbook run is no longer in the vault. Reload the list of runs.');
  return { ...emptyInputs(), ...(JSON.parse(vault.openSealed(row.inputs, inputsBinding(run.id, row.inputs_version)).toString('utf8')) as Partial<RunInputs>) };
}

export function insertRun(vault: OpenVault, run: StoredRun, inputs: RunInputs, at: string): void {
  statement(
    vault.db,
    `INSERT INTO playbook_runs (id, template_id, template_version, template_name, template, title, credential_id, credential_name, server_id,
       state, started_at, completed_at, revision, steps, inputs, inputs_version, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    run.id, run.templateId, run.templateVersion, run.templateName, JSON.stringify(run.template), run.title, run.credentialId, run.credentialName, run.serverId,
    run.state, run.startedAt, run.completedAt, run.revision,
    vault.sealSecret(JSON.stringify(run.steps), stepsBinding(run.id, run.revision)),
    vault.sealSecret(JSON.stringify(inputs), inputsBinding(run.id, run.inputsVersion)),
    run.inputsVersion, at,
  );
}

/** Writes the run's state and steps under its (already bumped) revision; inputs too when given. */
export function updateRun(vault: OpenVault, run: StoredRun, at: string, inputs?: RunInputs): void {
  statement(vault.db, 'UPDATE playbook_runs SET state = ?, completed_at = ?, revision = ?, steps = ?, updated_at = ? WHERE id = ?').run(
    run.state, run.completedAt, run.revision, vault.sealSecret(JSON.stringify(run.steps), stepsBinding(run.id, run.revision)), at, run.id,
  );
  if (inputs) {
    run.inputsVersion += 1;
    statement(vault.db, 'UPDATE playbook_runs SET inputs = ?, inputs_version = ? WHERE id = ?').run(
      vault.sealSecret(JSON.stringify(inputs), inputsBinding(run.id, run.inputsVersion)), run.inputsVersion, run.id,
    );
  }
}

export type NewEvent = Omit<TimelineEvent, 'seq'>;

export function appendEvents(vault: OpenVault, runId: string, events: NewEvent[]): void {
  if (events.length === 0) return;
  let seq = (statement(vault.db, 'SELECT coalesce(max(seq), 0) AS n FROM playbook_timeline WHERE run_id = ?').get(runId) as { n: number }).n;
  const insert = statement(vault.db, 'INSERT INTO playbook_timeline (run_id, seq, at, actor, type, step_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const event of events) {
    seq += 1;
    insert.run(runId, seq, event.at, event.actor, event.type, event.stepId, vault.sealSecret(event.detail, detailBinding(runId, seq)));
  }
}

interface EventRow {
  seq: number;
  at: string;
  actor: string;
  type: TimelineEvent['type'];
  step_id: string | null;
  detail: Buffer;
}

function toEvent(vault: OpenVault, runId: string, row: EventRow): TimelineEvent {
  return { seq: row.seq, at: row.at, actor: row.actor, type: row.type, stepId: row.step_id, detail: vault.openSealed(row.detail, detailBinding(runId, row.seq)).toString('utf8') };
}

/** A page of the timeline, newest first, and how many events there are in all. */
export function timelinePage(vault: OpenVault, runId: string, offset: number, limit: number): { events: TimelineEvent[]; total: number } {
  const rows = statement(vault.db, 'SELECT seq, at, actor, type, step_id, detail FROM playbook_timeline WHERE run_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?').all(runId, limit, offset) as EventRow[];
  const total = (statement(vault.db, 'SELECT count(*) AS n FROM playbook_timeline WHERE run_id = ?').get(runId) as { n: number }).n;
  return { events: rows.map((row) => toEvent(vault, runId, row)), total };
}

/** The whole timeline in order, for the report. */
export function fullTimeline(vault: OpenVault, runId: string): TimelineEvent[] {
  const rows = statement(vault.db, 'SELECT seq, at, actor, type, step_id, detail FROM playbook_timeline WHERE run_id = ? ORDER BY seq').all(runId) as EventRow[];
  return rows.map((row) => toEvent(vault, runId, row));
}

export function listRunPage(vault: OpenVault, state: RunState | undefined, offset: number, limit: number): { runs: StoredRun[]; total: number } {
  const where = state ? 'WHERE state = ?' : '';
  const args = state ? [state] : [];
  const rows = vault.db.prepare(`SELECT * FROM playbook_runs ${where} ORDER BY started_at DESC, id LIMIT ? OFFSET ?`).all(...args, limit, offset) as RunRow[];
  const total = (vault.db.prepare(`SELECT count(*) AS n FROM playbook_runs ${where}`).get(...args) as { n: number }).n;
  return { runs: rows.map((row) => fromRow(vault, row)), total };
}

export function credentialExists(vault: OpenVault, credentialId: string | null): boolean {
  return credentialId !== null && statement(vault.db, 'SELECT 1 FROM credentials WHERE id = ?').get(credentialId) !== undefined;
}

/** Where a change is made: the run as read inside the transaction, and what the change records. */
export interface Change {
  run: StoredRun;
  event(type: TimelineEvent['type'], stepId: string | null, detail: string, actor?: string): void;
  audit(action: string, detail: Record<string, unknown>): void;
  /** The run's inputs, opened; they are written back with the change. */
  inputs(): RunInputs;
}

/** A step in one of these states is finished with: never run, ticked or decided again. */
export const ENDED: ReadonlySet<RunStep['state']> = new Set(['done', 'skipped']);

export const runConflict = () => new CoreError('RUN_CONFLICT', 'Someone else changed this run since you opened it (another window?). Reload it and try again.');
export const stepNotReady = (message: string) => new CoreError('STEP_NOT_READY', message);

export function stepOf(run: StoredRun, stepId: string): RunStep {
  const step = run.steps.find((candidate) => candidate.id === stepId);
  if (!step) throw new CoreError('INVALID_INPUT', 'This run has no such step. Reload the run.');
  return step;
}

export function requireOpen(run: StoredRun): void {
  if (run.state !== 'open') throw stepNotReady(`This run is ${run.state}: nothing in it can change any more.`);
}
