/**
 * An unlocked vault: the open database, the keys, and the one way to change it — a transaction that
 * writes its audit entries with the change and then moves the key file's anchor to the new head.
 */
import type { Db } from './database';
import { appendAudit, auditHead, type AuditInput } from './audit';
import { signAnchor, writeKeyFile, type AuditAnchor, type KeyFile, type KeyFileBody } from './keyfile';
import { zeroKeys, type VaultKeys } from './keys';
import { openSealed, sealSecret, type SealBinding } from './seal';

export interface WriteTx {
  db: Db;
  audit(input: AuditInput): void;
  /** Changes the key file once the transaction commits (passphrase change, keychain enrolment). */
  updateKeyFile(change: (body: KeyFileBody) => KeyFileBody): void;
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
    return candidate.length === this.keys.database.length && candidate.equals(this.keys.database);
  }

  databaseKeyCopy(): Buffer {
    return Buffer.from(this.keys.database);
  }

  write<T>(fn: (tx: WriteTx) => T): T {
    let anchor: AuditAnchor | undefined;
    let change: ((body: KeyFileBody) => KeyFileBody) | undefined;
    const tx: WriteTx = {
      db: this.db,
      audit: (input) => {
        anchor = appendAudit(this.db, this.keys.audit, this.vaultId, input, this.now());
      },
      updateKeyFile: (next) => {
        change = next;
      },
    };
    const result = this.db.transaction(() => fn(tx))();
    if (anchor || change) this.persistKeyFile(change, anchor);
    return result;
  }

  /** Rewrites the key file with the current audit head (used after open, so a lagging anchor catches up). */
  anchorHead(): void {
    this.persistKeyFile(undefined, auditHead(this.db));
  }

  private persistKeyFile(change: ((body: KeyFileBody) => KeyFileBody) | undefined, anchor: AuditAnchor | undefined): void {
    const { checksum: _checksum, ...current } = this.keyFileState;
    let body: KeyFileBody = change ? change(current) : current;
    if (anchor) body = { ...body, auditAnchor: signAnchor(this.keys.anchor, this.vaultId, anchor) };
    this.keyFileState = writeKeyFile(this.paths.keyFile, body);
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

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.db.close();
    } finally {
      zeroKeys(this.keys);
    }
  }
}
