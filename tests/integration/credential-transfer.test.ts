import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { displayFingerprint, fingerprintSecret } from '../../electron/core/credentials/fingerprint';
import type { ImportFile, ImportPreview } from '../../shared/credential-transfer';
import type { CredentialFields } from '../../shared/credentials';
import { auditActions, call, credential, inventoryOf, listAll, refusal, startCore, stopCores, vaultState, type TestCore } from '../support/transfer-cores';

afterEach(stopCores);

const EXPORT_PASSPHRASE = 'orchid turbine ledger canyon 7731';
const SIGNING_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const SHARED_SECRET = 'whsec_9c1f2e7a4b6d8e0f1a3c5e7b9d2f4a6c';

/** An inventory with something of everything: every kind, nulls, unicode, awkward text, and a secret in two environments. */
const SEED: { fields: CredentialFields; secret: string | null }[] = [
  {
    fields: credential({
      name: 'Zahlungs-Schlüssel 🔑, „prod“',
      kind: 'api_key',
      provider: 'stripe',
      tenant: 'acme-eu',
      scopes: ['charges:read', 'refunds:write'],
      createdAt: '2026-01-01T09:00:00+02:00',
      expiresAt: '2027-01-01T00:00:00Z',
      lastUsedAt: '2026-11-20T08:30:00Z',
      lastRotatedAt: '2026-06-01T00:00:00Z',
      rotationPolicyDays: 90,
      notes: 'Rotated after INC-1042, see "runbook", step 3\r\nsecond line, with a comma\nthird line; ünïcödé',
      tags: ['pci', 'a,b', 'quote"d'],
      locations: [
        { kind: 'ci_variable', label: 'GitHub Actions STRIPE_KEY', environment: 'production', confirmedAt: '2026-11-20T00:00:00Z' },
        { kind: 'partner', label: 'Acme, Inc. "portal"', environment: 'production', confirmedAt: null },
      ],
    }),
    secret: 'sk_live_51HXs9fQ2eZvKYlo2C0ffeeBeef',
  },
  {
    fields: credential({ name: 'console-admin', kind: 'oauth_client', provider: 'own_auth_server', owner: null, environment: 'staging', authServerId: 'keycloak-main', clientId: 'console-admin', scopes: ['openid', 'admin'] }),
    secret: 'oidc-client-secret-7f3b2a91c4d5',
  },
  { fields: credential({ name: 'jwt-signer', kind: 'signing_key', provider: 'own_auth_server', environment: 'production' }), secret: SIGNING_KEY },
  { fields: credential({ name: 'legacy-token', kind: 'service_token', status: 'revoked', scopes: [], owner: null }), secret: null },
  { fields: credential({ name: 'slack-webhook', kind: 'webhook_secret', provider: 'slack', environment: 'production' }), secret: SHARED_SECRET },
  { fields: credential({ name: 'slack-webhook', kind: 'webhook_secret', provider: 'slack', environment: 'test-eu', tags: ['copied'] }), secret: SHARED_SECRET },
  { fields: credential({ name: 'mobile-refresh', kind: 'refresh_token', provider: 'other', environment: 'development', expiresAt: '2026-12-01T00:00:00Z' }), secret: 'rt_0a1b2c3d4e5f' },
];
const SECRETS = SEED.map((s) => s.secret).filter((s): s is string => s !== null);

async function seeded(): Promise<TestCore> {
  const source = await startCore();
  for (const { fields, secret } of SEED) await call(source.core, 'credentials:create', { fields, secret });
  return source;
}

async function exportFrom({ core, platform, files }: TestCore, format: 'csv' | 'json' | 'encrypted', fileName: string, passphrase?: string) {
  const path = join(files, fileName);
  platform.chosenFiles.push(path);
  const result = await call<{ saved: { fileName: string; count: number } | null }>(core, 'credentials:export', { format, ...(passphrase ? { passphrase } : {}) });
  return { path, saved: result.saved };
}

async function importInto({ core, platform }: TestCore, path: string, passphrase?: string): Promise<{ file: ImportFile; preview: ImportPreview; imported: number }> {
  platform.chosenFiles.push(path);
  const { file } = await call<{ file: ImportFile }>(core, 'credentials:importOpen');
  const preview = await call<ImportPreview>(core, 'credentials:importPreview', { importId: file.importId, ...(passphrase ? { passphrase } : {}) });
  const { imported } = await call<{ imported: number }>(core, 'credentials:importCommit', { importId: file.importId });
  return { file, preview, imported };
}

const withoutSecrets = (inventory: Record<string, unknown>[]) => inventory.map((c) => ({ ...c, hasSecret: false, publicThumbprint: null }));

describe('export and import round trips', () => {
  it.each([
    ['CSV', 'csv', 'inventory.csv'],
    ['JSON', 'json', 'inventory.json'],
  ] as const)('a %s export imports into a fresh vault as the same inventory, and holds no secret', async (_name, format, fileName) => {
    const source = await seeded();
    const { path, saved } = await exportFrom(source, format, fileName);
    expect(saved).toEqual({ fileName, count: SEED.length });
    const bytes = readFileSync(path);
    for (const secret of SECRETS) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    expect(bytes.includes(Buffer.from('BEGIN PRIVATE KEY'))).toBe(false);

    const target = await startCore();
    const { file, preview, imported } = await importInto(target, path);
    expect(file).toMatchObject({ fileName, format, needsPassphrase: false });
    expect(preview).toMatchObject({ total: SEED.length, valid: SEED.length, invalid: 0 });
    expect(imported).toBe(SEED.length);
    expect(await inventoryOf(target.core)).toEqual(withoutSecrets(await inventoryOf(source.core)));
  });

  it('a CSV export quotes cells a spreadsheet would run as formulas, and imports them back unchanged', async () => {
    const source = await startCore();
    const hostile = [
      credential({ name: '=HYPERLINK("http://x","y")', notes: '@SUM(A1)', owner: '+owner', tags: ['-tag'] }),
      credential({ name: "'=already quoted", notes: '\tindented', environment: 'staging' }),
    ];
    for (const fields of hostile) await call(source.core, 'credentials:create', { fields, secret: null });
    const { path } = await exportFrom(source, 'csv', 'inventory.csv');
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(text).toContain("'@SUM(A1)");
    expect(text).toContain("''=already quoted");
    expect(text).not.toMatch(/(^|,)"?[=+\-@\t]/m);

    const target = await startCore();
    expect((await importInto(target, path)).imported).toBe(hostile.length);
    expect(await inventoryOf(target.core)).toEqual(await inventoryOf(source.core));
  });

  it('an encrypted export imports with its passphrase as the same inventory with the same secrets', async () => {
    const source = await seeded();
    const { path, saved } = await exportFrom(source, 'encrypted', 'everything.credops-export', EXPORT_PASSPHRASE);
    expect(saved).toEqual({ fileName: 'everything.credops-export', count: SEED.length });
    const bytes = readFileSync(path);
    for (const secret of SECRETS) expect(bytes.includes(Buffer.from(secret))).toBe(false);

    const target = await startCore();
    const { file, imported } = await importInto(target, path, EXPORT_PASSPHRASE);
    expect(file).toMatchObject({ format: 'encrypted', needsPassphrase: true });
    expect(imported).toBe(SEED.length);
    expect(await inventoryOf(target.core)).toEqual(await inventoryOf(source.core));

    // The secrets themselves, revealed as a user would, and the fingerprints the list shows of them.
    const fingerprintKey = target.core.vault.require().fingerprintKey;
    const listed = await listAll(target.core);
    for (const summary of listed) {
      const original = SEED.find((s) => s.fields.name === summary.name && s.fields.environment === summary.environment)!;
      if (original.secret === null) {
        expect(summary.fingerprint).toBeNull();
        continue;
      }
      const { secret } = await call<{ secret: string }>(target.core, 'credentials:reveal', { id: summary.id });
      expect(secret).toBe(original.secret);
      expect(summary.fingerprint).toBe(displayFingerprint(fingerprintSecret(fingerprintKey, original.secret)));
    }
    const webhooks = listed.filter((c) => c.name === 'slack-webhook');
    expect(webhooks[0].fingerprint).toBe(webhooks[1].fingerprint);
    expect(webhooks[0].findings.map((f) => f.code)).toContain('SHARED_ACROSS_ENVIRONMENTS');
  });

  it('an encrypted export does not open with another passphrase, and stays open for the right one', async () => {
    const source = await seeded();
    const { path } = await exportFrom(source, 'encrypted', 'everything.credops-export', EXPORT_PASSPHRASE);
    const target = await startCore();
    target.platform.chosenFiles.push(path);
    const { file } = await call<{ file: ImportFile }>(target.core, 'credentials:importOpen');
    const before = await vaultState(target.core);
    expect(await refusal(target.core, 'credentials:importPreview', { importId: file.importId })).toMatchObject({ code: 'IMPORT_WRONG_PASSPHRASE', message: expect.stringContaining('enter the passphrase') });
    const wrong = await refusal(target.core, 'credentials:importPreview', { importId: file.importId, passphrase: 'orchid turbine ledger canyon 7732' });
    expect(wrong.code).toBe('IMPORT_WRONG_PASSPHRASE');
    expect(await vaultState(target.core)).toEqual(before);
    expect(await call(target.core, 'credentials:importPreview', { importId: file.importId, passphrase: EXPORT_PASSPHRASE })).toMatchObject({ valid: SEED.length });
  });

  it('a tampered encrypted export is refused as damaged, changing nothing', async () => {
    const source = await seeded();
    const { path } = await exportFrom(source, 'encrypted', 'everything.credops-export', EXPORT_PASSPHRASE);
    const envelope = JSON.parse(readFileSync(path, 'utf8'));
    const ciphertext = Buffer.from(envelope.ciphertext, 'base64');
    ciphertext[100] ^= 0x80;
    writeFileSync(path, JSON.stringify({ ...envelope, ciphertext: ciphertext.toString('base64') }));
    const target = await startCore();
    target.platform.chosenFiles.push(path);
    const { file } = await call<{ file: ImportFile }>(target.core, 'credentials:importOpen');
    const before = await vaultState(target.core);
    expect(await refusal(target.core, 'credentials:importPreview', { importId: file.importId, passphrase: EXPORT_PASSPHRASE })).toMatchObject({
      code: 'IMPORT_FILE_INVALID',
      message: expect.stringContaining('damaged or was altered'),
    });
    expect(await vaultState(target.core)).toEqual(before);
  });
});

describe('a doctored encrypted export', () => {
  type Envelope = { kdf: Record<string, unknown>; tag: string };
  const base64Bytes = (length: number) => Buffer.alloc(length, 1).toString('base64');

  /** An encrypted export of the seed, changed by `change`, offered to a fresh vault. */
  async function doctored(change: (envelope: Envelope) => Record<string, unknown>) {
    const source = await seeded();
    const { path } = await exportFrom(source, 'encrypted', 'everything.credops-export', EXPORT_PASSPHRASE);
    const envelope = JSON.parse(readFileSync(path, 'utf8')) as Envelope;
    writeFileSync(path, JSON.stringify({ ...envelope, ...change(envelope) }));
    const target = await startCore();
    target.platform.chosenFiles.push(path);
    return { target, before: await vaultState(target.core) };
  }

  it.each([
    ['a tag cut to 4 bytes', (e: Envelope) => ({ tag: Buffer.from(e.tag, 'base64').subarray(0, 4).toString('base64') })],
    ['an empty salt', (e: Envelope) => ({ kdf: { ...e.kdf, salt: '' } })],
    ['a short salt', (e: Envelope) => ({ kdf: { ...e.kdf, salt: base64Bytes(8) } })],
    ['an iv of the wrong length', () => ({ iv: base64Bytes(16) })],
    ['1 GiB of Argon2 memory', (e: Envelope) => ({ kdf: { ...e.kdf, memoryKiB: 1024 * 1024 } })],
    ['64 Argon2 passes over 256 MiB', (e: Envelope) => ({ kdf: { ...e.kdf, memoryKiB: 256 * 1024, passes: 64 } })],
  ])('with %s is refused as damaged when opened, importing nothing', async (_what, change) => {
    const { target, before } = await doctored(change);
    expect(await refusal(target.core, 'credentials:importOpen')).toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('damaged') });
    expect(await vaultState(target.core)).toEqual(before);
  });

  it('with its lanes changed does not open with the right passphrase, and says the file may be altered', async () => {
    const { target, before } = await doctored((e) => ({ kdf: { ...e.kdf, lanes: 5 } }));
    const { file } = await call<{ file: ImportFile }>(target.core, 'credentials:importOpen');
    expect(await refusal(target.core, 'credentials:importPreview', { importId: file.importId, passphrase: EXPORT_PASSPHRASE })).toMatchObject({
      code: 'IMPORT_WRONG_PASSPHRASE',
      message: expect.stringContaining('That is not the passphrase this file was exported with, or the file was altered.'),
    });
    expect(await refusal(target.core, 'credentials:importCommit', { importId: file.importId })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await vaultState(target.core)).toEqual(before);
  });
});

describe('export', () => {
  it('asks where to save with a dated default name, writes atomically and audits one entry', async () => {
    const source = await seeded();
    writeFileSync(join(source.files, 'inventory.csv'), 'old content');
    const before = await vaultState(source.core);
    const { path } = await exportFrom(source, 'csv', 'inventory.csv');
    expect(await vaultState(source.core)).toEqual({ ...before, auditHead: before.auditHead + 1 });
    expect(source.platform.fileRequests).toEqual([
      { mode: 'save', title: expect.stringContaining('CSV'), defaultName: expect.stringMatching(/^credops-inventory-\d{4}-\d{2}-\d{2}\.csv$/), filters: [{ name: 'CSV', extensions: ['csv'] }] },
    ]);
    expect(readFileSync(path, 'utf8')).toContain('name,kind,provider');
    expect(readdirSync(source.files)).toEqual(['inventory.csv']);
    const [entry] = await auditActions(source.core, 1);
    expect(entry).toMatchObject({ action: 'credential.exported', detail: { format: 'csv', count: SEED.length, secrets: false, file: 'inventory.csv' } });
  });

  it('records that an encrypted export carries secrets', async () => {
    const source = await seeded();
    await exportFrom(source, 'encrypted', 'all.credops-export', EXPORT_PASSPHRASE);
    expect(source.platform.fileRequests[0]).toMatchObject({ defaultName: expect.stringMatching(/\.credops-export$/), filters: [{ extensions: ['credops-export'] }] });
    const [entry] = await auditActions(source.core, 1);
    expect(entry).toMatchObject({ action: 'credential.exported', detail: { format: 'encrypted', count: SEED.length, secrets: true, file: 'all.credops-export' } });
  });

  it.each([
    ['a weak passphrase', { format: 'encrypted', passphrase: 'password123' }, 'PASSPHRASE_WEAK'],
    ['a short passphrase', { format: 'encrypted', passphrase: 'Tr0ub4dor&3' }, 'PASSPHRASE_WEAK'],
    ['no passphrase for the encrypted export', { format: 'encrypted' }, 'PASSPHRASE_WEAK'],
    ['a passphrase for a CSV export, which would not protect it', { format: 'csv', passphrase: EXPORT_PASSPHRASE }, 'INVALID_INPUT'],
  ])('refuses %s before asking where to save', async (_what, request, code) => {
    const source = await seeded();
    const before = await vaultState(source.core);
    const error = await refusal(source.core, 'credentials:export', request);
    expect(error.code).toBe(code);
    expect(error.message).not.toContain('password123');
    expect(source.platform.fileRequests).toEqual([]);
    expect(await vaultState(source.core)).toEqual(before);
  });

  it('writes nothing and audits nothing when the save dialog is cancelled', async () => {
    const source = await seeded();
    const before = await vaultState(source.core);
    expect(await call(source.core, 'credentials:export', { format: 'json' })).toEqual({ saved: null });
    expect(source.platform.fileRequests).toHaveLength(1);
    expect(readdirSync(source.files)).toEqual([]);
    expect(await vaultState(source.core)).toEqual(before);
  });

  it('says so when the file cannot be written, leaving no file and no audit entry', async () => {
    const source = await seeded();
    mkdirSync(join(source.files, 'taken.json'));
    const before = await vaultState(source.core);
    source.platform.chosenFiles.push(join(source.files, 'taken.json'));
    expect(await refusal(source.core, 'credentials:export', { format: 'json' })).toMatchObject({ code: 'EXPORT_FAILED', message: expect.stringContaining('taken.json could not be written') });
    expect(readdirSync(source.files)).toEqual(['taken.json']);
    expect(await vaultState(source.core)).toEqual(before);
  });

  it('refuses while the vault is locked, without asking for a file', async () => {
    const source = await seeded();
    source.core.vault.lock('user');
    expect(await refusal(source.core, 'credentials:export', { format: 'csv' })).toMatchObject({ code: 'VAULT_LOCKED' });
    expect(source.platform.fileRequests).toEqual([]);
  });
});
