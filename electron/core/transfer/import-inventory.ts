/**
 * Import, in three steps the screen drives: open (main asks for the file and reads it), preview
 * (every row checked, nothing written), commit (every valid row in one transaction, or none).
 */
import type { ImportFile, ImportPreview } from '../../../shared/credential-transfer';
import { insertCredentials } from '../credentials/store';
import { CoreError } from '../errors';
import type { Platform } from '../platform';
import type { VaultService } from '../vault/vault-service';
import { checkImportRows, type CheckedRow, type RowWording } from './check-import-rows';
import { csvFieldLabel } from './csv-format';
import { openInventory } from './encrypted-export';
import { previewRows, rowsTakenInVault } from './import-preview';
import type { ImportRecord } from './import-record';
import type { ImportSession, ImportSessions } from './import-sessions';
import { jsonFieldLabel, parseJsonText, readInventoryJson } from './json-format';
import { readImportFile, type ImportSource } from './read-import-file';

export const IMPORT_FILTERS = [
  { name: 'Inventory (CSV, JSON, encrypted CredOps export)', extensions: ['csv', 'json', 'credops-export'] },
  { name: 'All files', extensions: ['*'] },
];

export async function openImport(vault: VaultService, platform: Platform, imports: ImportSessions): Promise<{ file: ImportFile | null }> {
  vault.require();
  const path = await platform.chooseFile({ mode: 'open', title: 'Import credentials', filters: IMPORT_FILTERS });
  if (path === null) return { file: null };
  // The vault may have locked while the dialog was open; a file read now would outlive the lock.
  vault.require();
  const { fileName, source } = readImportFile(path);
  const session = imports.open(fileName, source);
  return { file: { importId: session.id, fileName, format: source.format, needsPassphrase: source.format === 'encrypted' } };
}

const CSV_WORDING: RowWording = { label: csvFieldLabel, row: 'line' };
const JSON_WORDING: RowWording = { label: jsonFieldLabel, row: 'entry' };

async function recordsOf(source: ImportSource, passphrase: string | undefined): Promise<ImportRecord[]> {
  if (source.format !== 'encrypted') return source.records;
  if (passphrase === undefined) {
    throw new CoreError('IMPORT_WRONG_PASSPHRASE', 'This file is an encrypted CredOps export: enter the passphrase it was exported with.');
  }
  return readInventoryJson(parseJsonText(await openInventory(source.envelope, passphrase)));
}

async function checkedRows(session: ImportSession, imports: ImportSessions, passphrase: string | undefined, now: Date): Promise<CheckedRow[]> {
  if (session.state.stage === 'previewed') return session.state.rows;
  const source = session.state.source;
  const rows = await checkImportRows(await recordsOf(source, passphrase), source.format === 'csv' ? CSV_WORDING : JSON_WORDING, now);
  imports.requireHeld(session);
  return rows;
}

/** Checks every row against the vault as it is now; writes nothing. */
export async function previewImport(vault: VaultService, imports: ImportSessions, importId: string, passphrase: string | undefined, now: Date): Promise<ImportPreview> {
  vault.require();
  const session = imports.get(importId);
  const rows = await checkedRows(session, imports, passphrase, now);
  const { counts, rows: shown, importable } = previewRows(vault.require().db, rows);
  // From here on the session keeps the checked rows only: the file's other content is gone.
  session.state = { stage: 'previewed', rows, importable };
  return { importId, fileName: session.fileName, format: session.format, ...counts, rows: shown };
}

/** Writes the rows the last preview found valid, in one transaction with one audit entry, and ends the import. */
export async function commitImport(vault: VaultService, imports: ImportSessions, importId: string, now: Date): Promise<{ imported: number }> {
  const open = vault.require();
  const session = imports.get(importId);
  if (session.state.stage !== 'previewed') throw new CoreError('INVALID_INPUT', 'Preview the file before importing it.');
  const { importable } = session.state;
  if (importable.length === 0) {
    throw new CoreError('IMPORT_NOTHING_VALID', `No row of ${session.fileName} can be imported; nothing was written. Fix the rows the preview lists, then open the file again.`);
  }
  const [taken, ...more] = rowsTakenInVault(open.db, importable);
  if (taken) {
    const { name, environment } = taken.credential.fields;
    throw new CoreError(
      'CREDENTIAL_DUPLICATE',
      `Nothing was imported: since the preview, a credential named "${name}" was added to ${environment}${more.length ? ` (and ${more.length} more of the file's names)` : ''}. Preview the file again to see which rows now conflict.`,
    );
  }
  const { putBack } = imports.take(importId);
  try {
    await insertCredentials(open, importable.map((row) => row.credential), now, session.fileName);
  } catch (error) {
    putBack();
    if (error instanceof CoreError && error.code === 'CREDENTIAL_DUPLICATE') {
      throw new CoreError('CREDENTIAL_DUPLICATE', 'Nothing was imported: a credential with the name and environment of a row in the file was added after the preview. Preview the file again to see which rows now conflict.', { cause: error });
    }
    throw error;
  }
  return { imported: importable.length };
}
