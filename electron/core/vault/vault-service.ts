/**
 * The vault's life: absent → created → unlocked ⇄ locked. Everything that opens, closes or re-keys
 * the vault goes through here; everything else asks it for the OpenVault (or gets VAULT_LOCKED).
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EventPayload, LockReason, VaultSettings, VaultStatus } from '../../../shared/contract';
import { assessPassphrase } from '../../../shared/passphrase';
import { CoreError } from '../errors';
import type { Platform } from '../platform';
import { readAppConfig, writeAppConfig } from './app-config';
import { AutoLock } from './autolock';
import { PassphraseBackoff } from './backoff';
import { createVaultFiles, resolveVaultPath } from './create-vault';
import { openEncryptedDatabase } from './database';
import { readMatchingKeyFile, unwrapWithPassphrase } from './key-file-unlock';
import { checkOpenedVault } from './open-checks';
import { chooseKdfParams, deriveWrappingKey } from './kdf';
import { keyFilePathFor, readKeyFile, wrappingAad, type KeyFile, type KeyFileBody } from './keyfile';
import { writeKeyFileGeneration } from './keyfile-generation';
import { createBackup, listBackups, rewrapBackupKeyFiles } from './backup';
import { deriveVaultKeys, wrapKey, zeroKeys } from './keys';
import type { AuditInput } from './audit';
import { OpenVault } from './open-vault';
import { readSettings, updateSettings } from './settings';

type StateEvent = EventPayload<'vault:stateChanged'>;

export interface VaultServiceOptions {
  platform: Platform;
  /** Emits vault:stateChanged to whoever shows the UI. */
  emit: (payload: StateEvent) => void;
  log?: (message: string) => void;
  /** Raise Argon2id toward half a second (the app); tests keep the floor for speed. */
  calibrateKdf?: boolean;
  nativeBinding?: string;
  now?: () => Date;
}

type UnlockMethod = 'passphrase' | 'keychain' | 'create';

export class VaultService {
  private current: OpenVault | null = null;
  private readonly backoff: PassphraseBackoff;
  private readonly autoLock: AutoLock;
  private readonly now: () => Date;
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped by every lock request, open or not: an unlock that started before one does not finish. */
  private lockEpoch = 0;
  private disposed = false;

  constructor(private readonly options: VaultServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.backoff = new PassphraseBackoff(() => this.now().getTime());
    this.autoLock = new AutoLock(
      options.platform,
      () => (this.current ? readSettings(this.current).autoLockMinutes : null),
      (reason) => this.lockQuietly(reason),
    );
  }

  get defaultPath(): string {
    return join(this.options.platform.userDataDir, 'credops.vault');
  }

  get vaultPath(): string | null {
    return readAppConfig(this.options.platform.userDataDir)?.vaultPath ?? null;
  }

  /** The unlocked vault, or VAULT_LOCKED. */
  require(): OpenVault {
    if (!this.current) throw new CoreError('VAULT_LOCKED', 'The vault is locked. Unlock it to continue.');
    return this.current;
  }

  get isUnlocked(): boolean {
    return this.current !== null;
  }

  status(): VaultStatus {
    const vaultPath = this.current?.paths.vault ?? this.vaultPath;
    const state = this.current ? 'unlocked' : vaultPath ? 'locked' : 'absent';
    return {
      state,
      vaultPath,
      vaultName: vaultPath ? basename(vaultPath).replace(/\.vault$/, '') : null,
      defaultPath: this.defaultPath,
      keychain: { ...this.options.platform.keychain.status(), enrolled: vaultPath ? this.keychainEnrolled(vaultPath) : false },
      retryAt: this.backoff.retryAt,
    };
  }

  private keychainEnrolled(vaultPath: string): boolean {
    if (this.current) return this.current.keyFile.keychain !== null;
    try {
      return readKeyFile(keyFilePathFor(vaultPath)).keychain !== null;
    } catch {
      return false;
    }
  }

  /** Runs vault-changing operations one at a time, so two unlocks never race for the file. */
  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  create(pathInput: string, passphrase: string): Promise<VaultStatus> {
    const epoch = this.lockEpoch;
    return this.exclusive(async () => {
      if (this.current) throw new CoreError('VAULT_UNLOCKED', 'A vault is open. Lock it before creating another.');
      const configured = this.vaultPath;
      if (configured) {
        throw new CoreError('VAULT_EXISTS', `A vault is already set up at ${configured}. Unlock it; to start over, move it and its key file away first.`);
      }
      const path = resolveVaultPath(pathInput);
      if (existsSync(path) || existsSync(keyFilePathFor(path))) {
        throw new CoreError('VAULT_EXISTS', `A vault already exists at ${path}. Choose another location; CredOps never overwrites a vault.`);
      }
      const verdict = assessPassphrase(passphrase);
      if (!verdict.acceptable) throw new CoreError('PASSPHRASE_WEAK', `Choose a stronger passphrase: ${verdict.problem}`);

      const databaseKey = await createVaultFiles(path, passphrase, {
        calibrateKdf: this.options.calibrateKdf ?? true,
        nativeBinding: this.options.nativeBinding,
        now: this.now,
      });
      try {
        writeAppConfig(this.options.platform.userDataDir, { vaultPath: path });
        this.backoff.reset();
        await this.openWith(path, readKeyFile(keyFilePathFor(path)), databaseKey, 'create', epoch);
      } finally {
        databaseKey.fill(0);
      }
      return this.status();
    });
  }

  unlock(passphrase: string): Promise<VaultStatus> {
    const epoch = this.lockEpoch;
    return this.exclusive(async () => {
      if (this.current) return this.status();
      const path = this.requirePath();
      this.refuseWhileBackingOff();
      const keyFile = readMatchingKeyFile(path);
      const databaseKey = await unwrapWithPassphrase(keyFile, passphrase);
      if (!databaseKey) {
        this.backoff.recordFailure();
        const retryAfterMs = this.backoff.waitMs();
        throw new CoreError(
          'VAULT_WRONG_PASSPHRASE',
          retryAfterMs > 0 ? `Wrong passphrase. Try again in ${Math.ceil(retryAfterMs / 1000)} s.` : 'Wrong passphrase. Check the keyboard layout and Caps Lock, then try again.',
          { retryAfterMs: retryAfterMs || undefined },
        );
      }
      this.backoff.reset();
      await this.openWith(path, keyFile, databaseKey, 'passphrase', epoch);
      return this.status();
    });
  }

  unlockWithKeychain(): Promise<VaultStatus> {
    const epoch = this.lockEpoch;
    return this.exclusive(async () => {
      if (this.current) return this.status();
      const path = this.requirePath();
      const keyFile = readMatchingKeyFile(path);
      if (!keyFile.keychain) throw new CoreError('KEYCHAIN_NOT_ENROLLED', 'Keychain unlock is not set up for this vault. Unlock with the passphrase.');
      const keychain = this.options.platform.keychain.status();
      if (!keychain.available) throw new CoreError('KEYCHAIN_UNAVAILABLE', `The system keychain cannot be used: ${keychain.reason ?? 'unavailable'}. Unlock with the passphrase.`);
      let databaseKey: Buffer;
      try {
        databaseKey = this.options.platform.keychain.decrypt(Buffer.from(keyFile.keychain.wrappedKey, 'base64'));
      } catch (error) {
        throw new CoreError('KEYCHAIN_FAILED', 'The system keychain could not unwrap the vault key. Unlock with the passphrase.', { cause: error });
      }
      if (databaseKey.length !== 32) {
        databaseKey.fill(0);
        throw new CoreError('KEYCHAIN_FAILED', 'The system keychain returned something that is not this vault\'s key. Unlock with the passphrase; the vault is fine.');
      }
      await this.openWith(path, keyFile, databaseKey, 'keychain', epoch);
      return this.status();
    });
  }

  lock(reason: LockReason): VaultStatus {
    this.lockVault(reason);
    return this.status();
  }

  /** Always ends locked: a failure to record the lock is logged, never allowed to keep the vault open. */
  private lockVault(reason: LockReason): void {
    this.lockEpoch += 1;
    const vault = this.current;
    if (!vault) return;
    this.current = null;
    this.autoLock.stopPolling();
    try {
      vault.write((tx) => tx.audit({ action: 'vault.locked', detail: { reason } }));
    } catch (error) {
      this.options.log?.(`credops: the lock was not recorded in the audit log: ${(error as Error).message}`);
    } finally {
      vault.close();
    }
    this.options.emit({ state: 'locked', reason });
  }

  /** For timers and OS signals, where nobody could catch a throw. */
  private lockQuietly(reason: LockReason): void {
    try {
      this.lockVault(reason);
    } catch (error) {
      this.options.log?.(`credops: auto-lock failed: ${(error as Error).message}`);
    }
  }

  changePassphrase(current: string, next: string): Promise<{ changedAt: string }> {
    return this.exclusive(async () => {
      const vault = this.require();
      await this.confirmPassphrase(vault, current);
      if (next === current) throw new CoreError('PASSPHRASE_WEAK', 'The new passphrase must differ from the current one.');
      const verdict = assessPassphrase(next);
      if (!verdict.acceptable) throw new CoreError('PASSPHRASE_WEAK', `Choose a stronger passphrase: ${verdict.problem}`);
      const kdf = await chooseKdfParams(this.options.calibrateKdf ?? true);
      const wrappingKey = await deriveWrappingKey(next, kdf);
      const databaseKey = vault.databaseKeyCopy();
      let rewrapped: number;
      try {
        const wrappedKey = wrapKey(wrappingKey, databaseKey, wrappingAad(vault.vaultId, kdf));
        this.ensureStillOpen(vault);
        this.changeKeyMaterial(vault, (body) => ({ ...body, kdf, wrappedKey }), {
          action: 'vault.passphraseChanged',
          detail: { kdf: { memoryKiB: kdf.memoryKiB, passes: kdf.passes, lanes: kdf.lanes } },
        });
        rewrapped = rewrapBackupKeyFiles(vault.paths.vault, kdf, wrappedKey);
      } finally {
        wrappingKey.fill(0);
        databaseKey.fill(0);
      }
      if (rewrapped) vault.write((tx) => tx.audit({ action: 'backup.rewrapped', detail: { backups: rewrapped } }));
      return { changedAt: this.now().toISOString() };
    });
  }

  enableKeychain(passphrase: string): Promise<VaultStatus> {
    return this.exclusive(async () => {
      const vault = this.require();
      await this.confirmPassphrase(vault, passphrase);
      const keychain = this.options.platform.keychain.status();
      if (!keychain.available) throw new CoreError('KEYCHAIN_UNAVAILABLE', `The system keychain cannot be used: ${keychain.reason ?? 'unavailable'}.`);
      const databaseKey = vault.databaseKeyCopy();
      let wrapped: string;
      try {
        wrapped = this.options.platform.keychain.encrypt(databaseKey).toString('base64');
      } catch (error) {
        throw new CoreError('KEYCHAIN_FAILED', 'The system keychain refused to protect the vault key.', { cause: error });
      } finally {
        databaseKey.fill(0);
      }
      this.changeKeyMaterial(vault, (body) => ({ ...body, keychain: { wrappedKey: wrapped } }), { action: 'keychain.enabled' });
      return this.status();
    });
  }

  disableKeychain(): VaultStatus {
    const vault = this.require();
    if (vault.keyFile.keychain) this.changeKeyMaterial(vault, (body) => ({ ...body, keychain: null }), { action: 'keychain.disabled' });
    return this.status();
  }

  backup(): ReturnType<typeof createBackup> {
    const vault = this.require();
    return createBackup(vault, readSettings(vault).backupRetention, this.now());
  }

  listBackups() {
    return listBackups(this.require().paths.vault);
  }

  getSettings(): VaultSettings {
    return readSettings(this.require());
  }

  updateSettings(patch: Partial<VaultSettings>): VaultSettings {
    return updateSettings(this.require(), patch, this.now());
  }

  /** Checks idle time now (the poll does this every 15 s). */
  checkIdle(): void {
    this.autoLock.check();
  }

  dispose(reason: LockReason = 'quit'): void {
    this.disposed = true;
    this.lockVault(reason);
    this.autoLock.dispose();
  }

  /**
   * Rewrites the key file under the next generation, then records the generation and the reason in
   * one transaction. Key file first: if it cannot be written, nothing has changed. Any older key
   * file (the old passphrase, a withdrawn keychain wrapping) is then refused at open.
   */
  private changeKeyMaterial(vault: OpenVault, change: (body: KeyFileBody) => KeyFileBody, audit: AuditInput): void {
    const generation = vault.keyFile.generation + 1;
    try {
      vault.replaceKeyFile((body) => ({ ...change(body), generation }));
    } catch (error) {
      throw new CoreError('VAULT_KEYFILE_WRITE_FAILED', `Nothing was changed: the key file could not be written (${(error as NodeJS.ErrnoException).code ?? 'error'}). Free disk space and try again.`, { cause: error });
    }
    vault.write((tx) => {
      writeKeyFileGeneration(tx.db, generation);
      tx.audit({ ...audit, detail: { ...audit.detail, keyFileGeneration: generation } });
    });
  }

  private requirePath(): string {
    const path = this.vaultPath;
    if (!path) throw new CoreError('VAULT_ABSENT', 'No vault has been created yet.');
    return path;
  }

  private refuseWhileBackingOff(): void {
    const waitMs = this.backoff.waitMs();
    if (waitMs > 0) throw new CoreError('VAULT_BACKOFF', `Too many wrong passphrases. Try again in ${Math.ceil(waitMs / 1000)} s.`, { retryAfterMs: waitMs });
  }

  /** After an await: the vault this operation started on must still be the open one. */
  private ensureStillOpen(vault: OpenVault): void {
    if (this.current !== vault) throw new CoreError('VAULT_LOCKED', 'The vault was locked meanwhile. Nothing was changed; unlock it and try again.');
  }

  private async confirmPassphrase(vault: OpenVault, passphrase: string): Promise<void> {
    this.refuseWhileBackingOff();
    const key = await unwrapWithPassphrase(vault.keyFile, passphrase);
    // A lock during the KDF wipes the vault's keys: checking first keeps a right passphrase from
    // being called wrong (and counted against the user).
    try {
      this.ensureStillOpen(vault);
    } catch (error) {
      key?.fill(0);
      throw error;
    }
    const matches = key !== null && vault.holdsDatabaseKey(key);
    key?.fill(0);
    if (!matches) {
      this.backoff.recordFailure();
      throw new CoreError('VAULT_WRONG_PASSPHRASE', 'The current passphrase is wrong.');
    }
    this.backoff.reset();
  }

  /** Opens the database with its key and checks everything before the first write. */
  private async openWith(path: string, keyFile: KeyFile, databaseKey: Buffer, method: UnlockMethod, epoch: number): Promise<void> {
    const keys = deriveVaultKeys(databaseKey, keyFile.vaultId);
    databaseKey.fill(0);
    let db;
    let vault: OpenVault | undefined;
    try {
      // Everything from here to `this.current = vault` is synchronous, so a lock that came while
      // the key was being derived is seen now or not at all.
      if (this.disposed || epoch !== this.lockEpoch) throw lockedWhileOpening();
      db = openEncryptedDatabase(path, keys.database, { cipher: keyFile.cipher, nativeBinding: this.options.nativeBinding });
      const completesChange = checkOpenedVault(db, keys, keyFile, path);
      vault = new OpenVault(db, keys, keyFile, { vault: path, keyFile: keyFilePathFor(path) }, this.now);
      const opened = vault;
      opened.write((tx) => {
        if (completesChange) {
          writeKeyFileGeneration(tx.db, keyFile.generation);
          tx.audit({ action: 'vault.keyFileChangeCompleted', detail: { keyFileGeneration: keyFile.generation } });
        }
        tx.audit({ action: 'vault.unlocked', detail: { method } });
      });
    } catch (error) {
      if (vault) vault.close();
      else {
        db?.close();
        zeroKeys(keys);
      }
      throw error;
    }
    this.current = vault;
    this.autoLock.start();
    this.options.emit({ state: 'unlocked', reason: method === 'create' ? 'create' : 'unlock' });
  }
}

function lockedWhileOpening(): CoreError {
  return new CoreError('VAULT_LOCKED', 'The vault was locked while it was opening (screen lock, sleep or quit). Unlock it again.');
}
