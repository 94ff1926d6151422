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
import { keyFilePathFor, signAnchor, writeKeyFile } from './keyfile';
import type { OpenVault } from './open-vault';

export function backupDirFor(vaultPath: string): string {
  return join(dirname(vaultPath), 'backups');
}

function backupPrefix(vaultPath: string): string {
  return `${basename(vaultPath).replace(/\.vault$/, '')}-`;
}

function stampOf(at: Date): string {
  return at.toISOString().replace(/[:.]/g, '-');
}

function dateOfStamp(stamp: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/.exec(stamp);
  return match ? `${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z` : '';
}

export function listBackups(vaultPath: string): BackupInfo[] {
  const dir = backupDirFor(vaultPath);
  if (!existsSync(dir)) return [];
  const prefix = backupPrefix(vaultPath);
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.vault') && existsSync(join(dir, `${name}.key`)))
    .map((name) => ({
      file: join(dir, name),
      createdAt: dateOfStamp(name.slice(prefix.length)),
      sizeBytes: statSync(join(dir, name)).size,
    }))
    .sort((a, b) => b.file.localeCompare(a.file));
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
  const stale = listBackups(vault.paths.vault).slice(retention);
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
