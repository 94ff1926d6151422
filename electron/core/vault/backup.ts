/**
 * Encrypted backups: `VACUUM INTO` from the open, keyed database writes a consistent, encrypted copy;
 * beside it goes a copy of the key file anchored at the copy's audit head, so a backup restores with
 * the passphrase that was current when it was taken. Only the newest `retention` backups are kept.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { BackupInfo } from '../../../shared/contract';
import { CoreError } from '../errors';
import { auditHead } from './audit';
import { readFileSalt } from './database';
import { fsyncFile } from './files';
import type { KdfParams } from './kdf';
import { keyFilePathFor, readKeyFile, signAnchor, writeKeyFile, type WrappedKey } from './keyfile';
import type { OpenVault } from './open-vault';

function backupDirFor(vaultPath: string): string {
  return join(dirname(vaultPath), 'backups');
}

function backupPrefix(vaultPath: string): string {
  return `${basename(vaultPath).replace(/\.vault$/, '')}-`;
}

/** Exactly this vault's backups: its name, a timestamp, an optional counter; never a neighbour's. */
function backupPattern(vaultPath: string): RegExp {
  const name = backupPrefix(vaultPath).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${name}(\\d{4}-\\d{2}-\\d{2}T\\d{2}-\\d{2}-\\d{2}-\\d{3}Z)(?:-(\\d+))?\\.vault$`);
}

function stampOf(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

function dateOfStamp(stamp: string): string {
  const [, date, h, m, s, ms] = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(stamp) ?? [];
  return `${date}T${h}:${m}:${s}.${ms}Z`;
}

export function listBackups(vaultPath: string): BackupInfo[] {
  const dir = backupDirFor(vaultPath);
  if (!existsSync(dir)) return [];
  const pattern = backupPattern(vaultPath);
  return readdirSync(dir)
    .map((name) => ({ name, match: pattern.exec(name) }))
    .filter(({ name, match }) => match && existsSync(join(dir, `${name}.key`)))
    .map(({ name, match }) => ({
      file: join(dir, name),
      createdAt: dateOfStamp(match![1]),
      sizeBytes: statSync(join(dir, name)).size,
      counter: Number(match![2] ?? 1),
    }))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.counter - a.counter)
    .map(({ counter: _counter, ...info }) => info);
}

export function createBackup(vault: OpenVault, retention: number, at: Date): { backup: BackupInfo; pruned: number } {
  const dir = backupDirFor(vault.paths.vault);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let file = join(dir, `${backupPrefix(vault.paths.vault)}${stampOf(at)}.vault`);
  for (let n = 2; existsSync(file); n++) file = file.replace(/(-\d+)?\.vault$/, `-${n}.vault`);
  const head = auditHead(vault.db);
  try {
    vault.db.prepare('VACUUM INTO ?').run(file);
    fsyncFile(file);
    const { checksum: _checksum, ...body } = vault.keyFile;
    writeKeyFile(keyFilePathFor(file), {
      ...body,
      fileSalt: readFileSalt(file).toString('base64'),
      keychain: null,
      auditAnchor: signAnchor(vault.anchorKey, vault.vaultId, head),
    });
  } catch (error) {
    rmSync(file, { force: true });
    rmSync(keyFilePathFor(file), { force: true });
    throw new CoreError('BACKUP_FAILED', `The backup could not be written to ${dir} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check free space and permissions; the vault was not changed.`, { cause: error });
  }
  // The backup just written is always kept, whatever the clock says about the others.
  const stale = listBackups(vault.paths.vault)
    .filter((old) => old.file !== file)
    .slice(Math.max(0, retention - 1));
  for (const old of stale) {
    rmSync(old.file, { force: true });
    rmSync(keyFilePathFor(old.file), { force: true });
  }
  vault.write((tx) =>
    tx.audit({ action: 'vault.backup', target: file, detail: { auditSeq: head.seq, retention, pruned: stale.map((old) => basename(old.file)) } }),
  );
  const backup = { file, createdAt: at.toISOString(), sizeBytes: statSync(file).size };
  return { backup, pruned: stale.length };
}

/**
 * After a passphrase change, the backups beside the vault hold the same database key: rewrap them
 * too, so the old passphrase opens none of them. Returns how many were rewrapped; a damaged backup
 * key file is left as it is.
 */
export function rewrapBackupKeyFiles(vaultPath: string, kdf: KdfParams, wrappedKey: WrappedKey): number {
  let rewrapped = 0;
  for (const backup of listBackups(vaultPath)) {
    const path = keyFilePathFor(backup.file);
    let body;
    try {
      const { checksum: _checksum, ...current } = readKeyFile(path);
      body = current;
    } catch {
      continue;
    }
    writeKeyFile(path, { ...body, kdf, wrappedKey });
    rewrapped += 1;
  }
  return rewrapped;
}
