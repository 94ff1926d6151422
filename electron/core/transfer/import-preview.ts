/**
 * What a preview shows of checked rows against the vault as it is now: the counts for the whole
 * file, and a bounded list of rows with every invalid row first.
 */
import { PREVIEW_ROWS, type ImportPreview, type ImportRowPreview } from '../../../shared/credential-transfer';
import type { Db } from '../vault/database';
import type { CheckedRow, ImportableRow } from './check-import-rows';

/** The rows whose name is already taken in the vault in that environment (as its unique index sees it). */
export function rowsTakenInVault(db: Db, rows: readonly ImportableRow[]): ImportableRow[] {
  const exists = db.prepare('SELECT 1 FROM credentials WHERE lower(name) = lower(?) AND lower(environment) = lower(?) LIMIT 1').pluck();
  return rows.filter(({ credential: { fields } }) => exists.get(fields.name, fields.environment) !== undefined);
}

export function previewRows(db: Db, rows: readonly CheckedRow[]): { counts: Pick<ImportPreview, 'total' | 'valid' | 'invalid'>; rows: ImportRowPreview[]; importable: ImportableRow[] } {
  const candidates = rows.filter((row): row is ImportableRow => row.credential !== null);
  const taken = new Set(rowsTakenInVault(db, candidates));
  const importable = candidates.filter((row) => !taken.has(row));
  const invalid: ImportRowPreview[] = [];
  const valid: ImportRowPreview[] = [];
  for (const row of rows) {
    if (row.credential === null) invalid.push(row.preview);
    else if (taken.has(row as ImportableRow)) {
      const { name, environment } = row.credential.fields;
      invalid.push({ ...row.preview, errors: [`A credential named "${name}" already exists in ${environment}; edit that one in the vault, or rename this row`] });
    }
    else if (valid.length < PREVIEW_ROWS) valid.push(row.preview);
    if (invalid.length === PREVIEW_ROWS) break;
  }
  const shown = [...invalid, ...valid].slice(0, PREVIEW_ROWS);
  return { counts: { total: rows.length, valid: importable.length, invalid: rows.length - importable.length }, rows: shown, importable };
}
