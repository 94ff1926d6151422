/**
 * Checks each decoded row exactly as create would (the field schema with its limits, the rules
 * between fields, the secret's bounds, a signing key that is a key) and against the other rows of
 * the file (one name per environment). What is kept of a row that fails is its preview: its
 * fields and secret are dropped.
 */
import type { z } from 'zod';
import type { ImportRowPreview } from '../../../shared/credential-transfer';
import { CREDENTIAL_KINDS, credentialFields, credentialProblems, secretInput, type CredentialFields } from '../../../shared/credentials';
import { signingKeyThumbprint } from '../credentials/signing-key';
import { CoreError } from '../errors';
import { OPTIONAL_FIELD_DEFAULTS, type FieldLabeler, type ImportRecord } from './import-record';

export interface CheckedRow {
  /** Its errors are those of the row and the file; the vault's are added at each preview. */
  preview: ImportRowPreview;
  /** Set only when the row passed every check that does not depend on the vault. */
  credential: { fields: CredentialFields; secret: string | null } | null;
}

/** A row that passed every check of its own: what commit writes. */
export type ImportableRow = CheckedRow & { credential: NonNullable<CheckedRow['credential']> };

/** How a format names things in its messages. */
export interface RowWording {
  label: FieldLabeler;
  /** What the `line` of a row counts: lines of a CSV file, entries of a JSON list. */
  row: 'line' | 'entry';
}

const PLURAL = { line: 'lines', entry: 'entries' } as const;
const MAX_ERRORS_PER_ROW = 10;
const TYPE_WORDS: Record<string, string> = { string: 'text', number: 'a number', array: 'a list', object: 'an object', boolean: 'true or false' };

/** A value the preview may show (a name, an environment), cut to what the field allows. */
function shown(value: unknown, max: number): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isGiven(fields: Record<string, unknown>, path: readonly PropertyKey[]): boolean {
  let node: unknown = fields;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return true;
}

/** One zod issue in words, naming the field; never the value, which may be a secret pasted astray. */
function describeIssue(issue: z.core.$ZodIssue, fields: Record<string, unknown>, label: FieldLabeler): string {
  const name = issue.path.length ? label(issue.path) : null;
  if (issue.code !== 'unrecognized_keys' && name && !isGiven(fields, issue.path)) return `${name} is missing`;
  switch (issue.code) {
    case 'invalid_value':
      return `${name} must be one of ${issue.values.map(String).join(', ')}`;
    case 'unrecognized_keys': {
      const keys = issue.keys.slice(0, 5).map((key) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key));
      return `${name ? `${name} has ` : ''}unknown field${issue.keys.length > 1 ? 's' : ''} ${keys.join(', ')}`;
    }
    case 'invalid_type':
      if (issue.message.startsWith('Invalid input')) return `${name} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
      return `${name}: ${issue.message}`;
    default:
      return name ? `${name}: ${issue.message}` : issue.message;
  }
}

function checkSecret(secret: unknown, errors: string[]): string | null {
  if (secret === null || secret === undefined) return null;
  if (typeof secret !== 'string') {
    errors.push('secret must be text');
    return null;
  }
  const parsed = secretInput.safeParse(secret);
  if (!parsed.success) {
    errors.push(`secret: ${parsed.error.issues[0].message}`);
    return null;
  }
  return secret;
}

async function checkRecord(record: ImportRecord, wording: RowWording, now: Date): Promise<CheckedRow> {
  const errors = [...record.problems];
  const raw = record.fields;
  let fields: CredentialFields | null = null;
  if (raw) {
    const parsed = credentialFields.safeParse({ ...OPTIONAL_FIELD_DEFAULTS, ...raw });
    if (parsed.success) {
      fields = parsed.data;
      for (const problem of credentialProblems(fields, now)) {
        const name = wording.label(problem.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)));
        errors.push(`${name} ${problem.reason}`);
      }
    } else {
      errors.push(...parsed.error.issues.map((issue) => describeIssue(issue, raw, wording.label)));
    }
  }
  const secret = checkSecret(record.secret, errors);
  if (fields?.kind === 'signing_key' && secret !== null) {
    try {
      await signingKeyThumbprint(secret);
    } catch (error) {
      if (!(error instanceof CoreError)) throw error;
      errors.push(`secret: ${error.message}`);
    }
  }
  const kind = raw && (CREDENTIAL_KINDS as readonly unknown[]).includes(raw.kind) ? (raw.kind as string) : null;
  return {
    preview: {
      line: record.line,
      name: shown(raw?.name, 120),
      environment: shown(raw?.environment, 40),
      kind,
      hasSecret: record.secret !== null && record.secret !== undefined,
      errors,
    },
    credential: fields && errors.length === 0 ? { fields, secret } : null,
  };
}

/** The vault's rule for one name per environment: SQLite's lower(), which folds ASCII only. */
export function identityKey(name: string, environment: string): string {
  const fold = (text: string) => text.trim().replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  return `${fold(name)}\0${fold(environment)}`;
}

/** Every row of a name that is in the file more than once in one environment is refused: which one was meant is not for CredOps to guess. */
function refuseRepeatedNames(rows: CheckedRow[], records: readonly ImportRecord[], wording: RowWording): void {
  const byIdentity = new Map<string, number[]>();
  records.forEach((record, i) => {
    const { name, environment } = record.fields ?? {};
    if (typeof name !== 'string' || typeof environment !== 'string' || !name.trim() || !environment.trim()) return;
    const key = identityKey(name, environment);
    const group = byIdentity.get(key);
    if (group) group.push(i);
    else byIdentity.set(key, [i]);
  });
  for (const group of byIdentity.values()) {
    if (group.length < 2) continue;
    for (const i of group) {
      const others: number[] = [];
      for (const j of group) {
        if (others.length === 3) break;
        if (j !== i) others.push(rows[j].preview.line);
      }
      const more = group.length - 1 - others.length;
      const where = `${group.length > 2 ? PLURAL[wording.row] : wording.row} ${others.join(', ')}${more ? ` and ${more} more` : ''}`;
      rows[i].preview.errors.push(`The same name and environment are also at ${where}; a name is used once per environment`);
      rows[i].credential = null;
    }
  }
}

function boundErrors(row: CheckedRow): void {
  const errors = row.preview.errors;
  if (errors.length > MAX_ERRORS_PER_ROW) errors.splice(MAX_ERRORS_PER_ROW - 1, errors.length, `…and ${errors.length - MAX_ERRORS_PER_ROW + 1} more problems`);
}

export async function checkImportRows(records: readonly ImportRecord[], wording: RowWording, now = new Date()): Promise<CheckedRow[]> {
  const rows: CheckedRow[] = [];
  for (const record of records) rows.push(await checkRecord(record, wording, now));
  refuseRepeatedNames(rows, records, wording);
  rows.forEach(boundErrors);
  return rows;
}
