/**
 * An unlocked vault: the open database, the keys, and the one way to change it — a transaction that
 * writes its audit entries with the change and then moves the key file's anchor to the new head.
 */
import type { Db } from './database';
import { timingSafeEqual } from 'node:crypto';
import { CoreError } from '../errors';
import { appendAudit, type AuditInput } from './audit';
import { signAnchor, writeKeyFile, type AuditAnchor, type KeyFile, type KeyFileBody } from './keyfile';
import { zeroKeys, type VaultKeys } from './keys';
import { openSealed, sealSecret, type SealBinding } from './seal';

export interface WriteTx {
  db: Db;
  audit(input: AuditInput): void;
}

export interface VaultPaths {
  vault: string;
  keyFile: string;
}

export class OpenVault {
  private closed = false;

  constructor(
    readonly db: Db,
    private readonly keys: VaultKeys,
    private keyFileState: KeyFile,
    readonly paths: VaultPaths,
    private readonly now: () => Date,
  ) {}

  get vaultId(): string {
    return this.keyFileState.vaultId;
  }

  get keyFile(): KeyFile {
    return this.keyFileState;
  }

  get auditKey(): Buffer {
    return this.keys.audit;
  }

  get anchorKey(): Buffer {
    return this.keys.anchor;
  }

  /** Same bytes as the key the vault was opened with; used to check a re-entered passphrase. */
  holdsDatabaseKey(candidate: Buffer): boolean {
    return candidate.length === this.keys.database.length && timingSafeEqual(candidate, this.keys.database);
  }

  private writes = 0;

  /** Moves on every write: what a cache of something derived from the vault is keyed on. */
  get writeCount(): number {
    return this.writes;
  }

  databaseKeyCopy(): Buffer {
    return Buffer.from(this.keys.database);
  }

  /**
   * Commits `fn` and its audit entries, then moves the key file's anchor to the new head. The anchor
   * follows the commit, never precedes it: a crash between the two leaves an anchor one entry
   * behind, which open accepts, where the other order would look like a truncated log.
   */
  write<T>(fn: (tx: WriteTx) => T): T {
    this.writes++;
    let anchor: AuditAnchor | undefined;
    const tx: WriteTx = {
      db: this.db,
      audit: (input) => {
        anchor = appendAudit(this.db, this.keys.audit, this.vaultId, input, this.now());
      },
    };
    const result = this.db.transaction(() => fn(tx))();
    if (anchor) {
      const head = anchor;
      try {
        this.replaceKeyFile((body) => ({ ...body, auditAnchor: signAnchor(this.keys.anchor, this.vaultId, head) }));
      } catch (error) {
        throw new CoreError(
          'VAULT_KEYFILE_WRITE_FAILED',
          `The change was saved, but the key file could not be updated (${(error as NodeJS.ErrnoException).code ?? 'error'}). Free disk space; the key file catches up at the next change.`,
          { cause: error },
        );
      }
    }
    return result;
  }

  /**
   * Rewrites the key file now, before the audit entry that records why (passphrase change,
   * keychain enrolment): if the write fails nothing has changed, and the error can say so.
   */
  replaceKeyFile(change: (body: KeyFileBody) => KeyFileBody): void {
    const { checksum: _checksum, ...current } = this.keyFileState;
    this.keyFileState = writeKeyFile(this.paths.keyFile, change(current));
  }

  sealSecret(plaintext: Buffer | string, binding: SealBinding): Buffer {
    return sealSecret(this.keys.seal, plaintext, binding);
  }

  openSealed(sealed: Buffer, binding: SealBinding): Buffer {
    return openSealed(this.keys.seal, sealed, binding);
  }

  get fingerprintKey(): Buffer {
    return this.keys.fingerprint;
  }

  private readonly closing: (() => void)[] = [];

  /**
   * Work that must reach the database before it closes (a bulk job's buffered outcomes). Runs at
   * lock, quit or dispose, while the database is still open; a failure never keeps it open.
   */
  beforeClose(fn: () => void): () => void {
    this.closing.push(fn);
    return () => {
      const at = this.closing.indexOf(fn);
      if (at >= 0) this.closing.splice(at, 1);
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    for (const fn of this.closing.splice(0)) {
      try {
        fn();
      } catch {
        // Whatever was not written is re-checked from the journal at the next open.
      }
    }
    this.closed = true;
    try {
      this.db.close();
    } finally {
      zeroKeys(this.keys);
    }
  }
}
