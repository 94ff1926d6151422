import { writeFileSync, openSync, ftruncateSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportFile, ImportPreview } from '../../shared/credential-transfer';
import { STRONG_PASSPHRASE } from '../support/test-platform';
import { auditActions, call, credential, listAll, refusal, startCore, stopCores, vaultState, type TestCore } from '../support/transfer-cores';

afterEach(stopCores);

const HEADER = 'name,kind,provider,environment,created_at,owner,secret';
const row = (name: string, environment = 'production', kind = 'api_key', secret = '') => `${name},${kind},github,${environment},2026-01-01T00:00:00Z,team-a,${secret}`;
const csv = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';

function place({ files }: TestCore, fileName: string, content: string | Buffer): string {
  const path = join(files, fileName);
  writeFileSync(path, content);
  return path;
}

async function open({ core, platform }: TestCore, path: string): Promise<ImportFile> {
  platform.chosenFiles.push(path);
  return (await call<{ file: ImportFile }>(core, 'credentials:importOpen')).file;
}

async function preview({ core }: TestCore, file: ImportFile): Promise<ImportPreview> {
  return call<ImportPreview>(core, 'credentials:importPreview', { importId: file.importId });
}

describe('importing a file with a bad row', () => {
  it('shows the bad row first with its line and error, writes nothing until commit, then only the valid rows with one audit entry', async () => {
    const target = await startCore();
    const path = place(target, 'partners.csv', csv(row('stripe-live', 'production', 'api_key', 'sk_live_aaa111'), row('broken', 'production', 'password', 'pw_should_not_show'), row('github-ci', 'staging', 'service_token', 'ghp_bbb222')));
    const before = await vaultState(target.core);
    const file = await open(target, path);
    expect(file).toEqual({ importId: expect.any(String), fileName: 'partners.csv', format: 'csv', needsPassphrase: false });
    const shown = await preview(target, file);
    expect(shown).toMatchObject({ fileName: 'partners.csv', format: 'csv', total: 3, valid: 2, invalid: 1 });
    expect(shown.rows).toEqual([
      { line: 3, name: 'broken', environment: 'production', kind: null, hasSecret: true, errors: ['kind must be one of api_key, oauth_client, service_token, signing_key, webhook_secret, refresh_token'] },
      { line: 2, name: 'stripe-live', environment: 'production', kind: 'api_key', hasSecret: true, errors: [] },
      { line: 4, name: 'github-ci', environment: 'staging', kind: 'service_token', hasSecret: true, errors: [] },
    ]);
    expect(JSON.stringify(shown)).not.toMatch(/sk_live_aaa111|pw_should_not_show|ghp_bbb222/);
    expect(await vaultState(target.core)).toEqual(before);

    expect(await call(target.core, 'credentials:importCommit', { importId: file.importId })).toEqual({ imported: 2 });
    const listed = await listAll(target.core);
    expect(listed.map((c) => c.name).sort()).toEqual(['github-ci', 'stripe-live']);
    expect(await call(target.core, 'credentials:reveal', { id: listed.find((c) => c.name === 'stripe-live')!.id })).toMatchObject({ secret: 'sk_live_aaa111' });
    const entries = await auditActions(target.core, 3);
    expect(entries[1]).toMatchObject({ action: 'credential.imported', detail: { count: 2, source: 'partners.csv' } });
    expect(entries[1].detail).not.toHaveProperty('secret');
    expect((await vaultState(target.core)).auditHead).toBe(before.auditHead + 2);
  });

  it('lists every invalid row before the valid ones, and counts the whole file', async () => {
    const target = await startCore();
    const rows = Array.from({ length: 1500 }, (_, i) => (i % 2 ? row(`bad-${i}`, 'test', 'nope') : row(`ok-${i}`, 'test')));
    const shown = await preview(target, await open(target, place(target, 'many.csv', csv(...rows))));
    expect(shown).toMatchObject({ total: 1500, valid: 750, invalid: 750 });
    expect(shown.rows).toHaveLength(1000);
    expect(shown.rows.slice(0, 750).every((r) => r.errors.length === 1)).toBe(true);
    expect(shown.rows.slice(750).every((r) => r.errors.length === 0)).toBe(true);
    expect(shown.rows.slice(0, 3).map((r) => r.line)).toEqual([3, 5, 7]);
  });
});

describe('refusing files that are not an inventory', () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const sparse = (target: TestCore, fileName: string, size: number) => {
    const path = join(target.files, fileName);
    const fd = openSync(path, 'w');
    ftruncateSync(fd, size);
    closeSync(fd);
    return path;
  };
  const cases: [string, (target: TestCore) => string, RegExp][] = [
    ['an image', (t) => place(t, 'photo.csv', PNG), /photo\.csv is not UTF-8 text/],
    ['UTF-16 text', (t) => place(t, 'excel.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(row('a')), 'utf16le')])), /excel\.csv is UTF-16 text/],
    ['invalid UTF-8', (t) => place(t, 'latin1.csv', Buffer.from(csv(row('Schl\xfcssel')), 'latin1')), /latin1\.csv is not UTF-8 text/],
    ['an empty file', (t) => place(t, 'empty.csv', ''), /empty\.csv is empty/],
    ['a missing column', (t) => place(t, 'short.csv', 'name,kind,provider,environment\r\na,api_key,github,production\r\n'), /no created_at column/],
    ['an unknown column', (t) => place(t, 'extra.csv', `${HEADER},favourite_colour\r\n${row('a')},blue\r\n`), /unknown column "favourite_colour"/],
    ['a file over 50 MB', (t) => sparse(t, 'huge.csv', 50 * 1024 * 1024 + 1), /huge\.csv is 51 MB; the most CredOps imports is 50 MB/],
    ['more than 100,000 rows', (t) => place(t, 'dump.csv', csv(...Array.from({ length: 100_001 }, (_, i) => row(`k${i}`)))), /more than 100,000 rows/],
    ['JSON of another shape', (t) => place(t, 'other.json', JSON.stringify({ users: [{ name: 'a' }] })), /not a CredOps inventory/],
    ['deeply nested JSON', (t) => place(t, 'deep.json', '['.repeat(100_000) + ']'.repeat(100_000)), /nested more than 32 levels deep/],
    ['broken JSON', (t) => place(t, 'broken.json', '{"format": "credops-inventory", "credentials": [sk_live_x]}'), /not valid JSON\.$/],
  ];

  it.each(cases)('refuses %s with a clear error, changing nothing', async (_what, make, message) => {
    const target = await startCore();
    await call(target.core, 'credentials:create', { fields: credential(), secret: 'existing-secret' });
    const before = await vaultState(target.core);
    target.platform.chosenFiles.push(make(target));
    const error = await refusal(target.core, 'credentials:importOpen');
    expect(error).toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringMatching(message) });
    expect(error.message).not.toContain('sk_live');
    expect(await vaultState(target.core)).toEqual(before);
  });
});

describe('duplicates and limits', () => {
  it('refuses names repeated in the file and names already in the vault, case-insensitively', async () => {
    const target = await startCore();
    await call(target.core, 'credentials:create', { fields: credential({ name: 'deploy-key', environment: 'production' }), secret: null });
    const path = place(target, 'dupes.csv', csv(row('Deploy-Key'), row('twin', 'test'), row('TWIN', 'Test'), row('deploy-key', 'staging')));
    const shown = await preview(target, await open(target, path));
    expect(shown).toMatchObject({ total: 4, valid: 1, invalid: 3 });
    expect(shown.rows.map((r) => [r.line, r.errors])).toEqual([
      [2, ['A credential named "Deploy-Key" already exists in production; edit that one in the vault, or rename this row']],
      [3, ['The same name and environment are also at line 4; a name is used once per environment']],
      [4, ['The same name and environment are also at line 3; a name is used once per environment']],
      [5, []],
    ]);
  });

  it('checks every field as create does: a 5 MB note, an unknown kind, an expiry before creation, a PEM that is not a key', async () => {
    const target = await startCore();
    const certificate = '"-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUXrQ\n-----END CERTIFICATE-----"';
    const text = [
      'name,kind,provider,environment,created_at,expires_at,notes,secret',
      `long-note,api_key,other,test,2026-01-01T00:00:00Z,,${'n'.repeat(5_000_000)},`,
      'odd-kind,password,other,test,2026-01-01T00:00:00Z,,,',
      'backwards,api_key,other,test,2026-06-01T00:00:00Z,2026-01-01T00:00:00Z,,',
      `not-a-key,signing_key,own_auth_server,production,2026-01-01T00:00:00Z,,,${certificate}`,
      'fine,api_key,other,test,2026-01-01T00:00:00Z,,,',
    ].join('\n');
    const shown = await preview(target, await open(target, place(target, 'limits.csv', text)));
    expect(shown).toMatchObject({ total: 5, valid: 1, invalid: 4 });
    expect(Object.fromEntries(shown.rows.map((r) => [r.name, r.errors]))).toEqual({
      'long-note': ['notes: Notes are at most 10,000 characters'],
      'odd-kind': ['kind must be one of api_key, oauth_client, service_token, signing_key, webhook_secret, refresh_token'],
      backwards: ['expires_at cannot be before the credential was created'],
      'not-a-key': [expect.stringMatching(/^secret: A signing key must be a private key in PEM/)],
      fine: [],
    });
  });

  it('writes nothing when no row is valid', async () => {
    const target = await startCore();
    const file = await open(target, place(target, 'bad.csv', csv(row('a', 'test', 'nope'))));
    await preview(target, file);
    const before = await vaultState(target.core);
    expect(await refusal(target.core, 'credentials:importCommit', { importId: file.importId })).toMatchObject({ code: 'IMPORT_NOTHING_VALID', message: expect.stringContaining('bad.csv') });
    expect(await vaultState(target.core)).toEqual(before);
  });

  it('writes nothing when the vault gained a conflicting name after the preview, and says to preview again', async () => {
    const target = await startCore();
    const file = await open(target, place(target, 'late.csv', csv(row('alpha'), row('beta'))));
    expect(await preview(target, file)).toMatchObject({ valid: 2 });
    await call(target.core, 'credentials:create', { fields: credential({ name: 'BETA' }), secret: null });
    const before = await vaultState(target.core);
    expect(await refusal(target.core, 'credentials:importCommit', { importId: file.importId })).toEqual({
      code: 'CREDENTIAL_DUPLICATE',
      message: 'Nothing was imported: since the preview, a credential named "beta" was added to production. Preview the file again to see which rows now conflict.',
    });
    expect(await vaultState(target.core)).toEqual(before);
    expect(await preview(target, file)).toMatchObject({ valid: 1, invalid: 1 });
    expect(await call(target.core, 'credentials:importCommit', { importId: file.importId })).toEqual({ imported: 1 });
  });
});

describe('the life of an import', () => {
  it('asks for a file with the inventory formats, and answers null when cancelled', async () => {
    const target = await startCore();
    expect(await call(target.core, 'credentials:importOpen')).toEqual({ file: null });
    expect(target.platform.fileRequests).toEqual([
      { mode: 'open', title: 'Import credentials', filters: [{ name: expect.any(String), extensions: ['csv', 'json', 'credops-export'] }, { name: 'All files', extensions: ['*'] }] },
    ]);
  });

  it('is dropped when the vault locks: VAULT_LOCKED while locked, IMPORT_EXPIRED after unlocking', async () => {
    const target = await startCore();
    const file = await open(target, place(target, 'a.csv', csv(row('a'))));
    target.core.vault.lock('idle');
    expect(await refusal(target.core, 'credentials:importPreview', { importId: file.importId })).toMatchObject({ code: 'VAULT_LOCKED' });
    await target.core.vault.unlock(STRONG_PASSPHRASE);
    expect(await refusal(target.core, 'credentials:importPreview', { importId: file.importId })).toMatchObject({ code: 'IMPORT_EXPIRED' });
    expect(await listAll(target.core)).toEqual([]);
  });

  it('is dropped on lock after a preview too, so commit cannot write it', async () => {
    const target = await startCore();
    const file = await open(target, place(target, 'a.csv', csv(row('a'))));
    await preview(target, file);
    target.core.vault.lock('user');
    await target.core.vault.unlock(STRONG_PASSPHRASE);
    expect(await refusal(target.core, 'credentials:importCommit', { importId: file.importId })).toMatchObject({ code: 'IMPORT_EXPIRED' });
    expect(await listAll(target.core)).toEqual([]);
  });

  it('is gone after discard', async () => {
    const target = await startCore();
    const file = await open(target, place(target, 'a.csv', csv(row('a'))));
    expect(await call(target.core, 'credentials:importDiscard', { importId: file.importId })).toEqual({});
    expect(await refusal(target.core, 'credentials:importPreview', { importId: file.importId })).toMatchObject({ code: 'IMPORT_EXPIRED' });
    expect(await refusal(target.core, 'credentials:importCommit', { importId: file.importId })).toMatchObject({ code: 'IMPORT_EXPIRED' });
    expect(await call(target.core, 'credentials:importDiscard', { importId: file.importId })).toEqual({});
  });

  it('commits once: a second commit is IMPORT_EXPIRED and writes nothing more', async () => {
    const target = await startCore();
    const file = await open(target, place(target, 'a.csv', csv(row('a'), row('b'))));
    await preview(target, file);
    const [first, second] = await Promise.all([
      target.core.router.invoke('credentials:importCommit', { importId: file.importId }),
      target.core.router.invoke('credentials:importCommit', { importId: file.importId }),
    ]);
    expect(first).toEqual({ ok: true, value: { imported: 2 } });
    expect(second).toMatchObject({ ok: false, error: { code: 'IMPORT_EXPIRED' } });
    expect(await refusal(target.core, 'credentials:importCommit', { importId: file.importId })).toMatchObject({ code: 'IMPORT_EXPIRED' });
    expect(await listAll(target.core)).toHaveLength(2);
  });

  it('will not commit a file that was not previewed', async () => {
    const target = await startCore();
    const file = await open(target, place(target, 'a.csv', csv(row('a'))));
    expect(await refusal(target.core, 'credentials:importCommit', { importId: file.importId })).toMatchObject({ code: 'INVALID_INPUT', message: 'Preview the file before importing it.' });
    expect(await listAll(target.core)).toEqual([]);
  });

  it('refuses to open while the vault is locked, without asking for a file', async () => {
    const target = await startCore();
    target.core.vault.lock('user');
    expect(await refusal(target.core, 'credentials:importOpen')).toMatchObject({ code: 'VAULT_LOCKED' });
    expect(target.platform.fileRequests).toEqual([]);
  });
});
