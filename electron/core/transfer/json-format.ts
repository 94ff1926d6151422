/**
 * The metadata JSON: `{ "format": "credops-inventory", "version": 1, "exportedAt": …,
 * "credentials": [ {…credential fields…}, … ] }`, one credential per line, with the same field
 * names as the app (createdAt, rotationPolicyDays, locations[].confirmedAt …). Import also takes a
 * bare array of credentials, and a `secret` in each (the encrypted export's plaintext is this same
 * document with secrets). Fields other than name, kind, provider, environment and createdAt may be
 * left out.
 */
import type { CredentialFields } from '../../../shared/credentials';
import { nestsDeeperThan } from '../json-depth';
import { CoreError } from '../errors';
import { labelPath, MAX_IMPORT_ROWS, type FieldLabeler, type ImportRecord } from './import-record';

export const INVENTORY_FORMAT = 'credops-inventory';
export const INVENTORY_VERSION = 1;
/** An inventory nests four deep (document, list, credential, locations); far more is not one. */
const MAX_JSON_DEPTH = 32;

export const jsonFieldLabel: FieldLabeler = (path) => labelPath(String(path[0]), path.slice(1));

const jsonInvalid = (sentence: string) => new CoreError('IMPORT_FILE_INVALID', sentence);

export function writeInventoryJson(items: readonly { fields: CredentialFields; secret: string | null }[], options: { withSecrets: boolean; exportedAt: string }): string {
  const head = JSON.stringify({ format: INVENTORY_FORMAT, version: INVENTORY_VERSION, exportedAt: options.exportedAt });
  const lines = items.map(({ fields, secret }) => JSON.stringify(options.withSecrets ? { ...fields, secret } : fields));
  return `${head.slice(0, -1)},"credentials":[${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

/** Refuses nesting deeper than an inventory has, before anything walks it. */
function checkDepth(text: string): void {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw jsonInvalid(`The JSON file is nested more than ${MAX_JSON_DEPTH} levels deep; a CredOps inventory is not.`);
}

/** JSON.parse, with a message that gives the line but never quotes the text (it may hold secrets). */
export function parseJsonText(text: string): unknown {
  checkDepth(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : null;
    throw jsonInvalid(`The file starts like JSON but is not valid JSON${line === null ? '' : ` (near line ${line})`}.`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function credentialList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const expected = `Expected {"format":"${INVENTORY_FORMAT}","version":${INVENTORY_VERSION},"credentials":[…]} or an array of credentials.`;
  if (!isObject(value) || value.format !== INVENTORY_FORMAT) throw jsonInvalid(`The JSON file is not a CredOps inventory. ${expected}`);
  if (typeof value.version === 'number' && value.version > INVENTORY_VERSION) {
    throw jsonInvalid(`The JSON file was written by a newer CredOps (inventory version ${value.version}). Update CredOps to import it.`);
  }
  if (value.version !== INVENTORY_VERSION || !Array.isArray(value.credentials)) throw jsonInvalid(`The JSON file is not a CredOps inventory. ${expected}`);
  const extra = Object.keys(value).filter((key) => !['format', 'version', 'exportedAt', 'credentials'].includes(key));
  if (extra.length) throw jsonInvalid(`The JSON inventory has unexpected top-level keys (${extra.slice(0, 5).map((key) => JSON.stringify(key.slice(0, 40))).join(', ')}).`);
  return value.credentials;
}

/** The rows of a parsed JSON inventory; a document that is not one is refused whole. */
export function readInventoryJson(value: unknown): ImportRecord[] {
  const list = credentialList(value);
  if (list.length > MAX_IMPORT_ROWS) {
    throw jsonInvalid(`The JSON file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} credentials, the most CredOps imports at once. Split it into smaller files.`);
  }
  return list.map((entry, i) => {
    if (!isObject(entry)) return { line: i + 1, fields: null, secret: null, problems: ['This entry is not an object of credential fields.'] };
    const { secret = null, ...fields } = entry;
    return { line: i + 1, fields, secret, problems: [] };
  });
}
