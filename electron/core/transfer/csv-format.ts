/**
 * The metadata CSV (RFC 4180: comma-separated, CRLF between rows, a cell with a comma, quote or
 * line break in double quotes, a quote inside written twice), UTF-8 with a BOM so spreadsheets read
 * it as UTF-8. The first row names the columns (CSV_COLUMNS, matched case-insensitively, in any
 * order); import also reads a `secret` column, which export never writes. Cells:
 * - empty means null for owner, tenant, dates, rotation_policy_days, auth_server_id and client_id;
 *   an empty status means active, empty notes, scopes, tags and locations mean none;
 * - dates are ISO 8601 with an offset (2026-11-23T09:00:00Z);
 * - scopes are separated by spaces, as in OAuth (RFC 6749 scopes contain none);
 * - tags and locations are a JSON array: `["deploy","tier-1"]`,
 *   `[{"kind":"ci_variable","label":"GitHub Actions","environment":"production","confirmedAt":null}]`.
 * Only name, kind, provider, environment and created_at must be present as columns.
 *
 * Formula injection (OWASP "CSV Injection"): the file is meant for spreadsheets, and names, notes and
 * labels can come from partner files, so a data cell starting with = + - @ TAB or CR is written with
 * a `'` before it, and so is one already starting with `'`, which keeps the rule reversible. Import
 * drops one leading `'` when the next character is one of = + - @ ' TAB CR, in every column
 * (secret too), so `'=1+1` reads as `=1+1`, `''x` as `'x`, and `'x` stays `'x`. Tags and locations
 * start with `[`, so the rule never changes them; it is applied to every cell all the same.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { CredentialFields } from '../../../shared/credentials';
import { CoreError } from '../errors';
import { labelPath, MAX_IMPORT_ROWS, REQUIRED_FIELDS, type FieldLabeler, type ImportRecord } from './import-record';

const COLUMN_FIELDS = {
  name: 'name',
  kind: 'kind',
  provider: 'provider',
  owner: 'owner',
  environment: 'environment',
  tenant: 'tenant',
  scopes: 'scopes',
  created_at: 'createdAt',
  expires_at: 'expiresAt',
  last_used_at: 'lastUsedAt',
  last_rotated_at: 'lastRotatedAt',
  rotation_policy_days: 'rotationPolicyDays',
  status: 'status',
  auth_server_id: 'authServerId',
  client_id: 'clientId',
  notes: 'notes',
  tags: 'tags',
  locations: 'locations',
} as const satisfies Record<string, keyof CredentialFields>;

type CsvColumn = keyof typeof COLUMN_FIELDS;

/** The columns CredOps writes, in this order. */
export const CSV_COLUMNS = Object.keys(COLUMN_FIELDS) as CsvColumn[];
/** The one column import reads that export never writes. */
export const CSV_SECRET_COLUMN = 'secret';

const NULL_WHEN_EMPTY = new Set<CsvColumn>(['owner', 'tenant', 'expires_at', 'last_used_at', 'last_rotated_at', 'auth_server_id', 'client_id']);
const COLUMN_OF_FIELD = new Map<string, CsvColumn>(CSV_COLUMNS.map((column) => [COLUMN_FIELDS[column], column]));

/** CSV messages name the column, as the user sees it in the file. */
export const csvFieldLabel: FieldLabeler = (path) => labelPath(COLUMN_OF_FIELD.get(String(path[0])) ?? String(path[0]), path.slice(1));

/** Starts a cell a spreadsheet would run as a formula, or one that is itself escaped. */
const NEEDS_ESCAPE = /^[=+\-@\t\r']/;
const ESCAPED = /^'[=+\-@\t\r']/;

const escapeCell = (cell: string) => (NEEDS_ESCAPE.test(cell) ? `'${cell}` : cell);
const unescapeCell = (cell: string) => (ESCAPED.test(cell) ? cell.slice(1) : cell);

function encodeCell(column: CsvColumn, fields: CredentialFields): string {
  const value = fields[COLUMN_FIELDS[column]];
  if (value === null) return '';
  if (column === 'scopes') {
    if (fields.scopes.some((scope) => /\s/.test(scope))) {
      throw new CoreError('EXPORT_FAILED', `A scope of "${fields.name}" (${fields.environment}) contains a space, which a CSV export cannot keep apart. Export as JSON, or edit the scope.`);
    }
    return fields.scopes.join(' ');
  }
  if (column === 'tags' || column === 'locations') return (value as unknown[]).length === 0 ? '' : JSON.stringify(value);
  return String(value);
}

export function writeInventoryCsv(items: readonly { fields: CredentialFields }[]): string {
  const rows = items.map(({ fields }) => CSV_COLUMNS.map((column) => escapeCell(encodeCell(column, fields))));
  return stringify([CSV_COLUMNS, ...rows], { bom: true, record_delimiter: 'windows', quote_record_delimiter: true });
}

const csvInvalid = (sentence: string) => new CoreError('IMPORT_FILE_INVALID', sentence);

function describeCsvError(error: CsvError): string {
  const line = typeof error.lines === 'number' ? error.lines : null;
  const at = line === null ? '' : ` at line ${line}`;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `a quoted cell that starts${line === null ? '' : ` at or before line ${line}`} is never closed`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `a closing quote${at} is followed by more text; inside a quoted cell, write a quote twice ("")`;
    case 'INVALID_OPENING_QUOTE':
      return `a quote in the middle of a cell${at}; put the whole cell in double quotes and write the quote twice ("")`;
    default:
      return `it is not well-formed${at}`;
  }
}

/** Each record's first line, from where the previous record ended (csv-parse counts bytes). */
function startLines(data: Buffer, ends: number[]): number[] {
  const lines: number[] = [];
  let cursor = 0;
  let line = 1;
  let previousEnd = 0;
  for (const end of ends) {
    let start = previousEnd;
    while (start < data.length && (data[start] === 0x0a || data[start] === 0x0d)) start++;
    for (; cursor < start; cursor++) {
      if (data[cursor] === 0x0a || (data[cursor] === 0x0d && data[cursor + 1] !== 0x0a)) line++;
    }
    lines.push(line);
    previousEnd = end;
  }
  return lines;
}

function readHeader(cells: string[]): (CsvColumn | typeof CSV_SECRET_COLUMN)[] {
  const names = cells.map((cell) => cell.trim().toLowerCase());
  const known = (name: string): name is CsvColumn | typeof CSV_SECRET_COLUMN => name === CSV_SECRET_COLUMN || Object.prototype.hasOwnProperty.call(COLUMN_FIELDS, name);
  const required = REQUIRED_FIELDS.map((field) => COLUMN_OF_FIELD.get(field)!);
  // A first row with no known column is data, not a header: its cells may be secrets, so none is named.
  if (!names.some(known)) {
    throw csvInvalid(`The first line of the CSV file is not a header. Start the file with a row of column names separated by commas: ${required.join(',')}, then any of the others you need.`);
  }
  const show = (name: string) => (name === '' ? '(one with no name)' : JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name));
  const unknown = names.filter((name) => !known(name));
  if (unknown.length) {
    throw csvInvalid(`The CSV file has ${unknown.length > 1 ? 'unknown columns' : 'an unknown column'} ${unknown.slice(0, 5).map(show).join(', ')}. The columns CredOps reads are ${[...CSV_COLUMNS, CSV_SECRET_COLUMN].join(', ')}.`);
  }
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length) throw csvInvalid(`The CSV file has the column ${show(repeated[0])} more than once.`);
  const missing = required.filter((column) => !names.includes(column));
  if (missing.length) {
    throw csvInvalid(`The CSV file has no ${missing.join(', ')} column${missing.length > 1 ? 's' : ''}; every import needs ${required.join(', ')}.`);
  }
  return names as (CsvColumn | typeof CSV_SECRET_COLUMN)[];
}

function decodeJsonArray(column: 'tags' | 'locations', cell: string, problems: string[]): unknown[] | undefined {
  if (cell.trim() === '') return [];
  try {
    const value: unknown = JSON.parse(cell);
    if (Array.isArray(value)) return value;
  } catch {
    // Reported below, in the same words as a value that parses but is not a list.
  }
  problems.push(
    column === 'tags'
      ? 'tags must be a JSON array such as ["deploy","tier-1"], or empty'
      : 'locations must be a JSON array such as [{"kind":"ci_variable","label":"GitHub Actions","environment":"production","confirmedAt":null}], or empty',
  );
  return undefined;
}

function decodeCell(column: CsvColumn, cell: string, problems: string[]): unknown {
  if (NULL_WHEN_EMPTY.has(column)) return cell === '' ? null : cell;
  switch (column) {
    case 'status':
      return cell === '' ? undefined : cell;
    case 'scopes':
      return cell.trim() === '' ? [] : cell.trim().split(/\s+/);
    case 'rotation_policy_days':
      if (cell.trim() === '') return null;
      if (/^\d{1,9}$/.test(cell.trim())) return Number(cell.trim());
      problems.push('rotation_policy_days must be a whole number of days, or empty');
      return undefined;
    case 'tags':
    case 'locations':
      return decodeJsonArray(column, cell, problems);
    default:
      return cell;
  }
}

function decodeRow(header: (CsvColumn | typeof CSV_SECRET_COLUMN)[], cells: string[], line: number): ImportRecord {
  if (cells.length !== header.length) {
    return { line, fields: null, secret: null, problems: [`This line has ${cells.length} cells where the header has ${header.length}. A cell holding a comma or a line break must be in double quotes.`] };
  }
  const problems: string[] = [];
  const fields: Record<string, unknown> = {};
  let secret: string | null = null;
  header.forEach((column, i) => {
    const cell = unescapeCell(cells[i]);
    if (column === CSV_SECRET_COLUMN) {
      secret = cell === '' ? null : cell;
      return;
    }
    const value = decodeCell(column, cell, problems);
    if (value !== undefined) fields[COLUMN_FIELDS[column]] = value;
  });
  return { line, fields, secret, problems };
}

/** The rows of a CSV file; a file that is not a CredOps CSV at all is refused whole. */
export function readInventoryCsv(data: Buffer): ImportRecord[] {
  let parsed: { record: string[]; info: { bytes: number } }[];
  try {
    parsed = parse(data, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      // The header, the most rows allowed, and one more to tell that there are too many.
      to: MAX_IMPORT_ROWS + 2,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    if (error instanceof CsvError) throw csvInvalid(`The file is not valid CSV: ${describeCsvError(error)}.`);
    throw error;
  }
  if (parsed.length === 0) throw csvInvalid('The CSV file has no rows, not even a header.');
  if (parsed.length - 1 > MAX_IMPORT_ROWS) {
    throw csvInvalid(`The CSV file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows, the most CredOps imports at once. Split it into smaller files.`);
  }
  const header = readHeader(parsed[0].record);
  const lines = startLines(data, parsed.map((p) => p.info.bytes));
  const records: ImportRecord[] = [];
  for (let i = 1; i < parsed.length; i++) {
    const cells = parsed[i].record;
    // A row of empty cells (",,,," as spreadsheets leave them) is not a credential.
    if (cells.every((cell) => cell.trim() === '')) continue;
    records.push(decodeRow(header, cells, lines[i]));
  }
  return records;
}
