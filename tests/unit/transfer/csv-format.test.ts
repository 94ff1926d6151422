import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { checkImportRows } from '../../../electron/core/transfer/check-import-rows';
import { CSV_COLUMNS, csvFieldLabel, readInventoryCsv, writeInventoryCsv } from '../../../electron/core/transfer/csv-format';
import { decodeImportFile } from '../../../electron/core/transfer/read-import-file';
import type { CredentialFields } from '../../../shared/credentials';

const WORDING = { label: csvFieldLabel, row: 'line' as const };

function fields(overrides: Partial<CredentialFields> = {}): CredentialFields {
  return {
    name: 'payments-partner-key',
    kind: 'api_key',
    provider: 'stripe',
    owner: 'team-payments',
    environment: 'production',
    tenant: 'acme',
    scopes: ['charges:read', 'refunds:write'],
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: '2027-01-01T00:00:00.000Z',
    lastUsedAt: '2026-11-20T08:30:00.000Z',
    lastRotatedAt: '2026-06-01T00:00:00.000Z',
    rotationPolicyDays: 90,
    status: 'active',
    authServerId: null,
    clientId: null,
    notes: '',
    tags: ['pci'],
    locations: [{ kind: 'ci_variable', label: 'GitHub Actions PAYMENTS_KEY', environment: 'production', confirmedAt: '2026-11-20T00:00:00.000Z' }],
    ...overrides,
  };
}

/** Through the same path an import takes: bytes → format detection → rows → checks. */
async function reimport(text: string) {
  const source = decodeImportFile(Buffer.from(text, 'utf8'), 'inventory.csv');
  if (source.format !== 'csv') throw new Error(`detected ${source.format}`);
  return checkImportRows(source.records, WORDING);
}

const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';
const HEADER = 'name,kind,provider,environment,created_at';

describe('metadata CSV', () => {
  it('writes a header of the documented columns and a BOM, and no secret column', () => {
    const text = writeInventoryCsv([{ fields: fields() }]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.slice(1).split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(CSV_COLUMNS).not.toContain('secret');
  });

  it('round-trips every field: nulls, empty lists, unicode, and notes with commas, quotes and line breaks', async () => {
    const originals = [
      fields(),
      fields({
        name: 'Zahlungs-Schlüssel, „prod“ 🔑',
        owner: null,
        tenant: null,
        scopes: [],
        expiresAt: null,
        lastUsedAt: null,
        lastRotatedAt: null,
        rotationPolicyDays: null,
        status: 'revoked',
        notes: 'line one, with a comma\r\nline "two" with quotes\nline three\rafter a lone CR\n  indented, trailing space ',
        tags: [],
        locations: [],
      }),
      fields({
        name: 'oauth-admin',
        kind: 'oauth_client',
        provider: 'own_auth_server',
        environment: 'stage west',
        authServerId: 'keycloak-main',
        clientId: 'console-admin',
        tags: ['a,b', 'semi;colon', 'quote"d', '[bracketed]', 'ünïcödé'],
        locations: [
          { kind: 'kubernetes_secret', label: 'ns/payments, key "x"', environment: 'staging', confirmedAt: null },
          { kind: 'developer_machine', label: '1Password – Vault „Ops“', environment: 'development', confirmedAt: '2026-10-01T12:00:00.000Z' },
        ],
        notes: '=SUM(A1:A2) is just text here',
      }),
    ];
    const rows = await reimport(writeInventoryCsv(originals.map((f) => ({ fields: f }))));
    expect(rows.map((row) => row.preview.errors)).toEqual([[], [], []]);
    expect(rows.map((row) => row.credential?.fields)).toEqual(originals);
    expect(rows.map((row) => row.credential?.secret)).toEqual([null, null, null]);
  });

  it('writes a cell a spreadsheet would run as a formula with a quote before it', () => {
    const text = writeInventoryCsv([
      {
        fields: fields({
          name: '=HYPERLINK("http://x","y")',
          owner: '+team',
          tenant: '-acme',
          authServerId: '@SUM(1)',
          clientId: "'quoted",
          notes: '\tindented',
          scopes: ['=cmd', 'read'],
          tags: ['=a'],
        }),
      },
      { fields: fields({ name: 'plain', notes: '\rafter a CR' }) },
    ]);
    const [header, first, second] = parse(text, { bom: true }) as string[][];
    const cell = (row: string[], column: string) => row[header.indexOf(column)];
    expect(cell(first, 'name')).toBe('\'=HYPERLINK("http://x","y")');
    expect(cell(first, 'owner')).toBe("'+team");
    expect(cell(first, 'tenant')).toBe("'-acme");
    expect(cell(first, 'auth_server_id')).toBe("'@SUM(1)");
    expect(cell(first, 'client_id')).toBe("''quoted");
    expect(cell(first, 'notes')).toBe("'\tindented");
    expect(cell(first, 'scopes')).toBe("'=cmd read");
    // JSON arrays start with "[", so they need no quote.
    expect(cell(first, 'tags')).toBe('["=a"]');
    expect(cell(second, 'name')).toBe('plain');
    expect(cell(second, 'notes')).toBe("'\rafter a CR");
    expect(header).toEqual(CSV_COLUMNS);
  });

  it('round-trips values that start with = + - @ \' tab and CR exactly', async () => {
    const originals = [
      fields({ name: '=1+1', owner: '+owner', tenant: '-tenant', authServerId: '@server', clientId: "'client", notes: '\tnotes', tags: ['=t', '-t'], scopes: ['-scope'] }),
      fields({ name: "'=1+1", owner: "''two", tenant: "'+x", authServerId: "'@y", clientId: "'-z", notes: '\rnotes after a CR', environment: 'staging' }),
      fields({ name: "it's plain", owner: "'", notes: "'\t", environment: 'test' }),
    ];
    const rows = await reimport(writeInventoryCsv(originals.map((f) => ({ fields: f }))));
    expect(rows.map((row) => row.preview.errors)).toEqual([[], [], []]);
    expect(rows.map((row) => row.credential?.fields)).toEqual(originals);
  });

  it("reads a hand-written '=1+1 as =1+1, in every column, and leaves other quotes alone", async () => {
    const [row] = await reimport(csv(`${HEADER},owner,notes,secret`, "'=1+1,api_key,other,test,2026-01-01T00:00:00Z,'owner,''=x,'+secret"));
    expect(row.preview.errors).toEqual([]);
    expect(row.credential?.fields).toMatchObject({ name: '=1+1', owner: "'owner", notes: "'=x" });
    expect(row.credential?.secret).toBe('+secret');
  });

  it('refuses to export a scope with a space rather than split it silently', () => {
    expect(() => writeInventoryCsv([{ fields: fields({ scopes: ['read all'] }) }])).toThrow(expect.objectContaining({ code: 'EXPORT_FAILED', message: expect.stringContaining('payments-partner-key') }));
  });

  it('matches column names case-insensitively and in any order, reads a secret column, and defaults left-out columns', async () => {
    const [row] = await reimport(csv(' Environment ,NAME,Created_At,kind,Provider,SECRET', 'production,deploy,2026-01-01T00:00:00Z,service_token,github,ghp_secretvalue'));
    expect(row.preview.errors).toEqual([]);
    expect(row.credential).toEqual({
      fields: expect.objectContaining({ name: 'deploy', environment: 'production', owner: null, scopes: [], status: 'active', notes: '', tags: [], locations: [] }),
      secret: 'ghp_secretvalue',
    });
    expect(row.preview).toMatchObject({ line: 2, name: 'deploy', environment: 'production', kind: 'service_token', hasSecret: true });
  });

  it('reads an empty cell as null, an empty status as active, and scopes split on spaces', async () => {
    const [row] = await reimport(csv(`${HEADER},owner,status,scopes,rotation_policy_days`, 'k,api_key,other,test,2026-01-01T00:00:00Z,,,  read   write ,'));
    expect(row.credential?.fields).toMatchObject({ owner: null, status: 'active', scopes: ['read', 'write'], rotationPolicyDays: null });
  });

  it.each([
    ['a missing required column', 'name,kind,provider,environment', /no created_at column; every import needs name, kind, provider, environment, created_at/],
    ['an unknown column, named', `${HEADER},colour`, /unknown column "colour"\. The columns CredOps reads are name, kind/],
    ['a column given twice', `${HEADER},Name`, /the column "name" more than once/],
  ])('refuses a header with %s, as a whole file', (_what, header, message) => {
    expect(() => readInventoryCsv(Buffer.from(csv(header, 'a,api_key,other,test,2026-01-01T00:00:00Z')))).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID', message: expect.stringMatching(message) }));
  });

  it('does not name the cells of a first line that is data, not a header, since they may be secrets', () => {
    const attempt = () => readInventoryCsv(Buffer.from(csv('deploy,service_token,github,production,sk_live_4f9a8b7c6d5e', 'x,y,z,w,v')));
    expect(attempt).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('not a header') }));
    expect(attempt).not.toThrow(/sk_live/);
  });

  it('gives each row the line it starts on, across quoted line breaks, CRLF and blank lines', async () => {
    const text = `${HEADER},notes\r\na,api_key,other,test,2026-01-01T00:00:00Z,"ünï\r\ncödé 🔑\nthree"\n\r\n\nb,api_key,other,test,2026-01-01T00:00:00Z,\rc,api_key,other,test,2026-01-01T00:00:00Z,`;
    const rows = await reimport(text);
    expect(rows.map((row) => [row.preview.name, row.preview.line])).toEqual([
      ['a', 2],
      ['b', 7],
      ['c', 8],
    ]);
  });

  it('skips rows of empty cells, as spreadsheets leave them', async () => {
    const rows = await reimport(csv(HEADER, 'a,api_key,other,test,2026-01-01T00:00:00Z', ',,,,', ' , ,,,'));
    expect(rows).toHaveLength(1);
  });

  it('refuses a row with the wrong number of cells, without reading it', async () => {
    const [row] = await reimport(csv(HEADER, 'a,api_key,other,test,2026-01-01T00:00:00Z,extra'));
    expect(row.credential).toBeNull();
    expect(row.preview).toMatchObject({ name: null, errors: ['This line has 6 cells where the header has 5. A cell holding a comma or a line break must be in double quotes.'] });
  });

  it.each([
    ['an unclosed quote', 'a,api_key,other,test,"2026-01-01', /not valid CSV: a quoted cell that starts at or before line \d+ is never closed/],
    ['text after a closing quote', 'a,api_key,other,"te"st,2026', /not valid CSV: a closing quote at line 2 is followed by more text/],
    ['a quote inside an unquoted cell', 'a,api_key,other,te"st,2026', /not valid CSV: a quote in the middle of a cell at line 2/],
  ])('refuses a file with %s, saying where, not what', (_what, row, message) => {
    const attempt = () => readInventoryCsv(Buffer.from(csv(HEADER, row)));
    expect(attempt).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID', message: expect.stringMatching(message) }));
    expect(attempt).not.toThrow(/te"?st/);
  });

  it('names the column of a bad cell and never quotes the cell', async () => {
    const [row] = await reimport(csv(`${HEADER},rotation_policy_days,tags,locations,expires_at`, 'a,passwd,other,test,2026-01-01T00:00:00Z,ninety,deploy;prod,"[{""kind"":""vault""}]",2025-01-01T00:00:00Z'));
    expect(row.credential).toBeNull();
    expect(row.preview.errors).toEqual([
      'rotation_policy_days must be a whole number of days, or empty',
      'tags must be a JSON array such as ["deploy","tier-1"], or empty',
      'kind must be one of api_key, oauth_client, service_token, signing_key, webhook_secret, refresh_token',
      'locations[1].kind must be one of ci_variable, kubernetes_secret, env_file, cloud_secret_manager, partner, developer_machine, browser, mobile, other',
      'locations[1].label is missing',
      'locations[1].environment is missing',
      'locations[1].confirmedAt is missing',
    ]);
    expect(JSON.stringify(row.preview)).not.toMatch(/ninety|passwd|deploy;prod/);
  });
});
