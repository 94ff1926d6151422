/**
 * One row of an import file as its format decoded it, before it is checked: what CSV and JSON
 * files have in common, so both are validated by the same code, exactly as create would.
 */
import type { CredentialFields } from '../../../shared/credentials';

/** More rows than this and the whole file is refused: an inventory, not a data dump. */
export const MAX_IMPORT_ROWS = 100_000;

export interface ImportRecord {
  /** Line in a CSV file (the header is line 1), or 1-based position in a JSON array. */
  line: number;
  /**
   * The credential's fields as the file gave them, keyed by field name; a field the file does not
   * give is absent. Null when the row could not be read at all (its problems say why).
   */
  fields: Record<string, unknown> | null;
  /** The secret as the file gave it; null when the row has none. */
  secret: unknown;
  /** What was wrong reading the row's cells, in words (never a cell's value). */
  problems: string[];
}

/**
 * Fields a file may leave out, and what they are then. The rest (name, kind, provider,
 * environment, createdAt) every row must give.
 */
export const OPTIONAL_FIELD_DEFAULTS: Partial<CredentialFields> = {
  owner: null,
  tenant: null,
  scopes: [],
  expiresAt: null,
  lastUsedAt: null,
  lastRotatedAt: null,
  rotationPolicyDays: null,
  status: 'active',
  authServerId: null,
  clientId: null,
  notes: '',
  tags: [],
  locations: [],
};

export const REQUIRED_FIELDS = ['name', 'kind', 'provider', 'environment', 'createdAt'] as const;

/** How a format names a field in its messages: a CSV column, a JSON key. */
export type FieldLabeler = (path: readonly PropertyKey[]) => string;

/** `locations[2].kind`: list positions 1-based, as a person counts them. */
export function labelPath(head: string, rest: readonly PropertyKey[]): string {
  return rest.reduce<string>((label, key) => (typeof key === 'number' ? `${label}[${key + 1}]` : `${label}.${String(key)}`), head);
}
