import { describe, expect, it } from 'vitest';
import { checkImportRows } from '../../../electron/core/transfer/check-import-rows';
import { jsonFieldLabel, writeInventoryJson } from '../../../electron/core/transfer/json-format';
import { decodeImportFile } from '../../../electron/core/transfer/read-import-file';
import type { CredentialFields } from '../../../shared/credentials';

const WORDING = { label: jsonFieldLabel, row: 'entry' as const };

const base: CredentialFields = {
  name: 'webhook-signing',
  kind: 'webhook_secret',
  provider: 'slack',
  owner: 'team-chatops',
  environment: 'production',
  tenant: null,
  scopes: [],
  createdAt: '2026-02-01T00:00:00.000Z',
  expiresAt: null,
  lastUsedAt: null,
  lastRotatedAt: null,
  rotationPolicyDays: 180,
  status: 'rotating',
  authServerId: null,
  clientId: null,
  notes: 'multi\nline, "quoted" — ünïcödé',
  tags: ['chat', 'a,b'],
  locations: [{ kind: 'env_file', label: '.env.production', environment: 'production', confirmedAt: null }],
};

function decode(text: string) {
  const source = decodeImportFile(Buffer.from(text, 'utf8'), 'inventory.json');
  if (source.format !== 'json') throw new Error(`detected ${source.format}`);
  return source.records;
}

describe('metadata JSON', () => {
  it('round-trips every field, one credential per line, without secrets', async () => {
    const originals = [base, { ...base, name: 'other', owner: null, tags: [], locations: [], notes: '' }];
    const text = writeInventoryJson(originals.map((fields) => ({ fields, secret: 'xoxb-must-not-appear' })), { withSecrets: false, exportedAt: '2026-11-23T00:00:00.000Z' });
    expect(text).not.toContain('xoxb-must-not-appear');
    expect(text.trim().split('\n')).toHaveLength(4);
    expect(JSON.parse(text)).toMatchObject({ format: 'credops-inventory', version: 1, exportedAt: '2026-11-23T00:00:00.000Z' });
    const rows = await checkImportRows(decode(text), WORDING);
    expect(rows.map((row) => row.credential)).toEqual(originals.map((fields) => ({ fields, secret: null })));
  });

  it('writes an empty inventory as valid JSON', () => {
    expect(JSON.parse(writeInventoryJson([], { withSecrets: false, exportedAt: '2026-11-23T00:00:00.000Z' })).credentials).toEqual([]);
  });

  it('carries secrets only when asked, for the encrypted export', async () => {
    const text = writeInventoryJson([{ fields: base, secret: 'whsec_abc' }], { withSecrets: true, exportedAt: '2026-11-23T00:00:00.000Z' });
    const [row] = await checkImportRows(decode(text), WORDING);
    expect(row.credential?.secret).toBe('whsec_abc');
  });

  it('accepts a bare array, with left-out optional fields defaulted', async () => {
    const [row] = await checkImportRows(decode(JSON.stringify([{ name: 'x', kind: 'api_key', provider: 'other', environment: 'test', createdAt: '2026-01-01T00:00:00Z', secret: 'k-1' }])), WORDING);
    expect(row.preview).toMatchObject({ line: 1, errors: [], hasSecret: true });
    expect(row.credential?.fields).toMatchObject({ owner: null, status: 'active', tags: [] });
  });

  it.each([
    ['an object of another kind', '{"users": []}', /not a CredOps inventory/],
    ['a newer inventory version', '{"format":"credops-inventory","version":2,"credentials":[]}', /newer CredOps \(inventory version 2\)/],
    ['credentials that are not a list', '{"format":"credops-inventory","version":1,"credentials":{}}', /not a CredOps inventory/],
    ['unexpected top-level keys', '{"format":"credops-inventory","version":1,"credentials":[],"secrets":[]}', /unexpected top-level keys \("secrets"\)/],
    ['deep nesting', '['.repeat(5000) + ']'.repeat(5000), /nested more than 32 levels deep/],
  ])('refuses %s as a whole file', (_what, text, message) => {
    expect(() => decode(text)).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID', message: expect.stringMatching(message) }));
  });

  it('refuses broken JSON without quoting it, saying where when the parser knows', () => {
    const unquoted = () => decode('[\n{"name": "a",\n "secret": sk_live_9f8e7d }\n]');
    expect(unquoted).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID', message: 'The file starts like JSON but is not valid JSON.' }));
    expect(() => decode('[\n{"name": "a"},\n{"name": "b"}')).toThrow(expect.objectContaining({ message: 'The file starts like JSON but is not valid JSON (near line 3).' }));
  });

  it('refuses an entry that is not an object, and names unknown and missing fields', async () => {
    const rows = await checkImportRows(decode(JSON.stringify([42, { name: 'x', kind: 'api_key', environment: 'test', createdAt: '2026-01-01T00:00:00Z', colour: 'red', rotationPolicyDays: '90' }])), WORDING);
    expect(rows[0].preview.errors).toEqual(['This entry is not an object of credential fields.']);
    expect(rows[1].preview.errors).toEqual(['provider is missing', 'rotationPolicyDays must be a number', 'unknown field "colour"']);
    expect(rows.every((row) => row.credential === null)).toBe(true);
  });
});
