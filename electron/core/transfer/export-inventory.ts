/**
 * Export: the metadata as CSV or JSON (never a secret), or everything with the secrets in an
 * encrypted file only a passphrase opens. Main asks where to save, writes the file atomically, and
 * records the export in the audit log.
 */
import { rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ExportFormat } from '../../../shared/credential-transfer';
import { assessPassphrase } from '../../../shared/passphrase';
import { readInventory } from '../credentials/store';
import { CoreError } from '../errors';
import type { Platform } from '../platform';
import { writeFileAtomic } from '../vault/files';
import type { VaultService } from '../vault/vault-service';
import { writeInventoryCsv } from './csv-format';
import { deriveNewExportKey, sealInventory, type ExportKey } from './encrypted-export';
import { writeInventoryJson } from './json-format';

export const EXPORT_FILES: Record<ExportFormat, { title: string; extension: string; filter: string }> = {
  csv: { title: 'Export inventory as CSV (no secrets)', extension: 'csv', filter: 'CSV' },
  json: { title: 'Export inventory as JSON (no secrets)', extension: 'json', filter: 'JSON' },
  encrypted: { title: 'Export inventory with secrets, encrypted', extension: 'credops-export', filter: 'Encrypted CredOps export' },
};

export interface ExportOptions {
  now: () => Date;
  /** Raise Argon2id toward half a second, as the vault does (the app); tests keep the floor. */
  calibrateKdf: boolean;
}

function checkPassphrase(format: ExportFormat, passphrase: string | undefined): void {
  if (format !== 'encrypted') {
    if (passphrase !== undefined) throw new CoreError('INVALID_INPUT', 'A CSV or JSON export holds no secrets and takes no passphrase; choose the encrypted export to protect a file with one.');
    return;
  }
  if (passphrase === undefined) throw new CoreError('PASSPHRASE_WEAK', 'An encrypted export needs a passphrase: choose one of at least 12 characters.');
  const verdict = assessPassphrase(passphrase);
  if (!verdict.acceptable) throw new CoreError('PASSPHRASE_WEAK', `Choose a stronger passphrase for the export: ${verdict.problem}`);
}

function writeExportFile(path: string, fileName: string, data: string): void {
  const failed = (why: string, cause?: unknown) => new CoreError('EXPORT_FAILED', `${fileName} could not be written (${why}). Nothing was exported; choose another folder or free some disk space, then try again.`, { cause });
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw failed('it is a folder');
    writeFileAtomic(path, data);
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw failed((error as NodeJS.ErrnoException).code ?? 'error', error);
  }
}

export async function exportInventory(
  vault: VaultService,
  platform: Platform,
  request: { format: ExportFormat; passphrase?: string },
  options: ExportOptions,
): Promise<{ saved: { fileName: string; count: number } | null }> {
  const { format, passphrase } = request;
  vault.require();
  checkPassphrase(format, passphrase);
  const file = EXPORT_FILES[format];
  const path = await platform.chooseFile({
    mode: 'save',
    title: file.title,
    defaultName: `credops-inventory-${options.now().toISOString().slice(0, 10)}.${file.extension}`,
    filters: [{ name: file.filter, extensions: [file.extension] }],
  });
  if (path === null) return { saved: null };
  const fileName = basename(path);
  // The slow part (Argon2id) first; from the inventory read to the audit entry nothing awaits.
  const exportKey: ExportKey | null = format === 'encrypted' ? await deriveNewExportKey(passphrase!, options.calibrateKdf) : null;
  try {
    const open = vault.require();
    const withSecrets = exportKey !== null;
    const items = readInventory(open, withSecrets);
    const exportedAt = options.now().toISOString();
    const data =
      format === 'csv'
        ? writeInventoryCsv(items)
        : exportKey
          ? sealInventory(writeInventoryJson(items, { withSecrets: true, exportedAt }), exportKey, exportedAt)
          : writeInventoryJson(items, { withSecrets: false, exportedAt });
    writeExportFile(path, fileName, data);
    try {
      open.write((tx) => tx.audit({ action: 'credential.exported', detail: { format, count: items.length, secrets: withSecrets, file: fileName } }));
    } catch (error) {
      // An export the audit log does not show must not exist.
      rmSync(path, { force: true });
      throw error;
    }
    return { saved: { fileName, count: items.length } };
  } finally {
    exportKey?.key.fill(0);
  }
}
