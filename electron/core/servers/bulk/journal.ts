/**
 * The bulk revocation journal: every token of a job is a row whose state moves pending → sending →
 * acknowledged → inactive (or unsupported, failed, still_active, cancelled). `sending` is committed
 * before a request leaves, and outcomes are committed in batches after they come back, so after a
 * crash the rows still marked `sending` are exactly the ones whose fate is unknown: resume asks the
 * server about those before sending again, and never re-sends one the journal saw acknowledged.
 */
import { randomUUID } from 'node:crypto';
import type { BulkItemState, BulkItemView, BulkJobState, BulkStatus, TokenHint } from '../../../../shared/servers';
import { BULK_ITEM_STATES } from '../../../../shared/servers';
import { displayFingerprint, fingerprintSecret } from '../../credentials/fingerprint';
import { CoreError } from '../../errors';
import type { OpenVault } from '../../vault/open-vault';
import type { SealBinding } from '../../vault/seal';
import { statement } from '../../vault/statements';

interface JobRow {
  id: string;
  server_id: string;
  label: string;
  hint: TokenHint | null;
  state: BulkJobState;
  total: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface JobItem {
  n: number;
  token: string;
  fingerprint: string;
}

export interface ItemOutcome {
  n: number;
  state: BulkItemState;
  detail: string | null;
}

const FINAL_STATES: ReadonlySet<BulkItemState> = new Set(['inactive', 'unsupported', 'failed', 'still_active', 'cancelled']);

const tokenBinding = (jobId: string, n: number): SealBinding => ({ table: 'bulk_items', recordId: `${jobId}/${n}`, field: 'token', version: 1 });

/**
 * Journals a new job and its tokens. With an `id` (a playbook step derives one from its run and
 * step), a job that already has that id is returned as it is: a caller that crashed between
 * creating the job and recording that it did never creates a second one, nor re-sends its tokens.
 */
/**
 * `uncertain` names tokens (of `tokens`) whose fate an earlier job could not learn: they start as
 * `sending`, so the runner asks the server about them before anything is sent again.
 */
export function createJob(vault: OpenVault, input: { id?: string; serverId: string; label: string; hint: TokenHint | null; tokens: string[]; uncertain?: string[] }, now: Date): { id: string; existed: boolean } {
  const id = input.id ?? randomUUID();
  const at = now.toISOString();
  // The same token twice (pasted twice, or pasted and picked from the inventory) is sent once.
  const byFingerprint = new Map<string, string>();
  for (const token of input.tokens) byFingerprint.set(fingerprintSecret(vault.fingerprintKey, token), token);
  const tokens = [...byFingerprint].map(([fingerprint, token]) => ({ fingerprint, token }));
  return vault.write((tx) => {
    if (input.id && tx.db.prepare('SELECT 1 FROM bulk_jobs WHERE id = ?').get(id)) return { id, existed: true };
    if (!tx.db.prepare('SELECT 1 FROM servers WHERE id = ?').get(input.serverId)) throw new CoreError('SERVER_NOT_FOUND', 'That server is no longer in the vault.');
    tx.db
      .prepare("INSERT INTO bulk_jobs (id, server_id, label, hint, state, total, created_at, updated_at) VALUES (?, ?, ?, ?, 'running', ?, ?, ?)")
      .run(id, input.serverId, input.label, input.hint, tokens.length, at, at);
    const insert = tx.db.prepare('INSERT INTO bulk_items (job_id, n, token, fingerprint, state) VALUES (?, ?, ?, ?, ?)');
    const uncertain = new Set(input.uncertain ?? []);
    tokens.forEach(({ token, fingerprint }, n) => insert.run(id, n, vault.sealSecret(token, tokenBinding(id, n)), fingerprint, uncertain.has(token) ? 'sending' : 'pending'));
    tx.audit({ action: 'bulkRevocation.started', target: id, detail: { serverId: input.serverId, label: input.label, tokens: tokens.length, duplicatesDropped: input.tokens.length - tokens.length, hint: input.hint } });
    return { id, existed: false };
  });
}

/** Each item's state by the full fingerprint of its token: how a playbook step matches its tokens to a job. */
export function itemStatesByFingerprint(vault: OpenVault, jobId: string): Map<string, { state: BulkItemState; detail: string | null }> {
  const rows = statement(vault.db, 'SELECT fingerprint, state, detail FROM bulk_items WHERE job_id = ?').all(jobId) as { fingerprint: string; state: BulkItemState; detail: string | null }[];
  return new Map(rows.map((row) => [row.fingerprint, { state: row.state, detail: row.detail }]));
}

export function findJob(vault: OpenVault, id: string): JobRow {
  const row = statement(vault.db, 'SELECT * FROM bulk_jobs WHERE id = ?').get(id) as JobRow | undefined;
  if (!row) throw new CoreError('BULK_NOT_FOUND', 'That bulk revocation is no longer in the vault.');
  return row;
}

export function jobsInState(vault: OpenVault, states: BulkJobState[]): string[] {
  const rows = vault.db.prepare(`SELECT id FROM bulk_jobs WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY created_at`).all(...states) as { id: string }[];
  return rows.map((row) => row.id);
}

/** Rows in `state` after `afterN`, in order: the runner walks the job with a cursor. */
export function itemNumbers(vault: OpenVault, jobId: string, state: BulkItemState, afterN: number, limit: number): number[] {
  const rows = statement(vault.db, 'SELECT n FROM bulk_items WHERE job_id = ? AND state = ? AND n > ? ORDER BY n LIMIT ?').all(jobId, state, afterN, limit) as { n: number }[];
  return rows.map((row) => row.n);
}

function openItems(vault: OpenVault, jobId: string, numbers: number[]): JobItem[] {
  const select = statement(vault.db, 'SELECT token, fingerprint FROM bulk_items WHERE job_id = ? AND n = ?');
  return numbers.map((n) => {
    const row = select.get(jobId, n) as { token: Buffer; fingerprint: string };
    return { n, token: vault.openSealed(row.token, tokenBinding(jobId, n)).toString('utf8'), fingerprint: row.fingerprint };
  });
}

/**
 * Marks the items `sending` and commits that before any of them is sent. Only rows still `pending`
 * are claimed, and only those come back: two runners can never both send one token.
 */
export function claimForSending(vault: OpenVault, jobId: string, numbers: number[], now: Date): JobItem[] {
  const claimed = vault.write((tx) => {
    const mark = statement(tx.db, "UPDATE bulk_items SET state = 'sending', attempts = attempts + 1 WHERE job_id = ? AND n = ? AND state = 'pending'");
    const won = numbers.filter((n) => mark.run(jobId, n).changes === 1);
    touch(tx.db, jobId, now);
    return won;
  });
  return openItems(vault, jobId, claimed);
}

/** Items to ask the server about (interrupted sends, acknowledged ones to verify), opened, not claimed. */
export function readItems(vault: OpenVault, jobId: string, numbers: number[]): JobItem[] {
  return openItems(vault, jobId, numbers);
}

export function recordOutcomes(vault: OpenVault, jobId: string, outcomes: ItemOutcome[], now: Date, lastError?: string | null): void {
  if (outcomes.length === 0 && lastError === undefined) return;
  vault.write((tx) => {
    const update = statement(tx.db, 'UPDATE bulk_items SET state = ?, detail = ? WHERE job_id = ? AND n = ?');
    const forget = statement(tx.db, "UPDATE bulk_items SET token = x'' WHERE job_id = ? AND n = ?");
    for (const outcome of outcomes) {
      update.run(outcome.state, outcome.detail, jobId, outcome.n);
      // Nothing more will be sent or asked about this token: keep its fingerprint only.
      if (FINAL_STATES.has(outcome.state)) forget.run(jobId, outcome.n);
    }
    if (lastError !== undefined) tx.db.prepare('UPDATE bulk_jobs SET last_error = ? WHERE id = ?').run(lastError, jobId);
    touch(tx.db, jobId, now);
  });
}

function touch(db: OpenVault['db'], jobId: string, now: Date): void {
  statement(db, 'UPDATE bulk_jobs SET updated_at = ? WHERE id = ?').run(now.toISOString(), jobId);
}

export function setJobState(vault: OpenVault, jobId: string, state: BulkJobState, now: Date, audit?: { action: string; detail?: Record<string, unknown> }): void {
  vault.write((tx) => {
    const finished = state === 'finished' || state === 'cancelled' ? now.toISOString() : null;
    tx.db.prepare('UPDATE bulk_jobs SET state = ?, updated_at = ?, finished_at = ? WHERE id = ?').run(state, now.toISOString(), finished, jobId);
    if (state === 'cancelled') tx.db.prepare("UPDATE bulk_items SET state = 'cancelled' WHERE job_id = ? AND state = 'pending'").run(jobId);
    // An ended job keeps only fingerprints: the tokens themselves leave the vault (and its backups).
    if (finished) tx.db.prepare("UPDATE bulk_items SET token = x'' WHERE job_id = ?").run(jobId);
    if (audit) tx.audit({ action: audit.action, target: jobId, detail: { ...audit.detail, counts: itemCounts(vault, jobId) } });
  });
}

export function itemCounts(vault: OpenVault, jobId: string): Record<BulkItemState, number> {
  const counts = Object.fromEntries(BULK_ITEM_STATES.map((state) => [state, 0])) as Record<BulkItemState, number>;
  const rows = statement(vault.db, 'SELECT state, count(*) AS n FROM bulk_items WHERE job_id = ? GROUP BY state').all(jobId) as { state: BulkItemState; n: number }[];
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}

export function jobStatus(vault: OpenVault, jobId: string, waitingUntil: number | null, active: boolean): BulkStatus {
  const job = findJob(vault, jobId);
  return {
    id: job.id,
    serverId: job.server_id,
    label: job.label,
    state: job.state,
    total: job.total,
    counts: itemCounts(vault, jobId),
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    finishedAt: job.finished_at,
    waitingUntil,
    active,
    lastError: job.last_error,
  };
}

export function listJobIds(vault: OpenVault, serverId: string): string[] {
  return (statement(vault.db, 'SELECT id FROM bulk_jobs WHERE server_id = ? ORDER BY created_at DESC LIMIT 50').all(serverId) as { id: string }[]).map((row) => row.id);
}

export function itemViews(vault: OpenVault, jobId: string, states: BulkItemState[] | null, offset: number, limit: number): BulkItemView[] {
  const where = states ? `AND state IN (${states.map(() => '?').join(', ')})` : '';
  const rows = vault.db
    .prepare(`SELECT n, fingerprint, state, attempts, detail FROM bulk_items WHERE job_id = ? ${where} ORDER BY n LIMIT ? OFFSET ?`)
    .all(jobId, ...(states ?? []), limit, offset) as { n: number; fingerprint: string; state: BulkItemState; attempts: number; detail: string | null }[];
  return rows.map((row) => ({ ...row, fingerprint: displayFingerprint(row.fingerprint) }));
}
