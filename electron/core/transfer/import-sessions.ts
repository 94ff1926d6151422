/**
 * Files opened for import, held in main between open, preview and commit, under a random id. They
 * may hold secrets, so they live only in memory and not for long: dropped on commit, on discard,
 * when the vault locks, and after a quarter of an hour untouched. A missing one is IMPORT_EXPIRED.
 */
import { randomUUID } from 'node:crypto';
import type { ImportFile } from '../../../shared/credential-transfer';
import { CoreError } from '../errors';
import type { CheckedRow, ImportableRow } from './check-import-rows';
import type { ImportSource } from './read-import-file';

export const IMPORT_SESSION_MS = 15 * 60 * 1000;
/** Opening more files than this drops the oldest. */
const MAX_SESSIONS = 3;

export type ImportStage =
  /** As read from the file: rows not yet checked, or an envelope not yet opened. */
  | { stage: 'opened'; source: ImportSource }
  /** Checked: every row, and those that could be imported at the last preview. */
  | { stage: 'previewed'; rows: CheckedRow[]; importable: ImportableRow[] };

export interface ImportSession {
  readonly id: string;
  readonly fileName: string;
  readonly format: ImportFile['format'];
  state: ImportStage;
}

export class ImportSessions {
  private readonly sessions = new Map<string, { session: ImportSession; timer: ReturnType<typeof setTimeout> }>();
  /** Bumped by clear(): a session taken out before a lock is not put back after it. */
  private generation = 0;

  constructor(private readonly ttlMs = IMPORT_SESSION_MS) {}

  open(fileName: string, source: ImportSource): ImportSession {
    const session: ImportSession = { id: randomUUID(), fileName, format: source.format, state: { stage: 'opened', source } };
    for (const id of [...this.sessions.keys()].slice(0, Math.max(0, this.sessions.size - MAX_SESSIONS + 1))) this.drop(id);
    this.hold(session);
    return session;
  }

  /** The session, its time renewed; IMPORT_EXPIRED when it is gone. */
  get(id: string): ImportSession {
    const held = this.sessions.get(id);
    if (!held) throw expired();
    this.drop(id);
    this.hold(held.session);
    return held.session;
  }

  /** After an await: IMPORT_EXPIRED unless this very session is still held (a lock drops it). */
  requireHeld(session: ImportSession): void {
    if (this.sessions.get(session.id)?.session !== session) throw expired();
  }

  /** Removes the session for the caller to finish; `putBack` restores it unless the vault locked meanwhile. */
  take(id: string): { session: ImportSession; putBack: () => void } {
    const session = this.get(id);
    this.drop(id);
    const generation = this.generation;
    const putBack = () => {
      if (generation === this.generation) this.hold(session);
    };
    return { session, putBack };
  }

  drop(id: string): void {
    const held = this.sessions.get(id);
    if (!held) return;
    clearTimeout(held.timer);
    this.sessions.delete(id);
  }

  clear(): void {
    this.generation += 1;
    for (const id of [...this.sessions.keys()]) this.drop(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private hold(session: ImportSession): void {
    const timer = setTimeout(() => this.drop(session.id), this.ttlMs);
    timer.unref?.();
    this.sessions.set(session.id, { session, timer });
  }
}

const expired = () => new CoreError('IMPORT_EXPIRED', 'This import is no longer open (it was finished, discarded, or the vault locked, or 15 minutes passed). Open the file again.');
