import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkImportRows } from '../../../electron/core/transfer/check-import-rows';
import type { ImportRecord } from '../../../electron/core/transfer/import-record';
import { jsonFieldLabel } from '../../../electron/core/transfer/json-format';

const WORDING = { label: jsonFieldLabel, row: 'entry' as const };
const FIELDS = { name: 'deploy-key', kind: 'api_key', provider: 'github', environment: 'production', createdAt: '2026-01-01T00:00:00Z' };

function record(line: number, fields: Record<string, unknown> = {}, secret: unknown = null): ImportRecord {
  return { line, fields: { ...FIELDS, ...fields }, secret, problems: [] };
}

async function errorsOf(fields: Record<string, unknown>, secret: unknown = null): Promise<string[]> {
  const [row] = await checkImportRows([record(1, fields, secret)], WORDING);
  if (row.preview.errors.length) expect(row.credential).toBeNull();
  return row.preview.errors;
}

describe('checking import rows as create would', () => {
  it('accepts a valid row and keeps its fields and secret for commit', async () => {
    const [row] = await checkImportRows([record(4, {}, 'ghp_x1')], WORDING);
    expect(row).toMatchObject({ preview: { line: 4, name: 'deploy-key', environment: 'production', kind: 'api_key', hasSecret: true, errors: [] }, credential: { secret: 'ghp_x1' } });
  });

  it.each([
    ['an empty name', { name: '  ' }, 'name: Name cannot be empty'],
    ['an unknown kind', { kind: 'password' }, 'kind must be one of api_key, oauth_client, service_token, signing_key, webhook_secret, refresh_token'],
    ['a 5 MB note', { notes: 'x'.repeat(5_000_000) }, 'notes: Notes are at most 10,000 characters'],
    ['an expiry before creation', { expiresAt: '2025-12-31T00:00:00Z' }, 'expiresAt cannot be before the credential was created'],
    ['an OAuth client without its client id', { kind: 'oauth_client' }, 'clientId is needed for an OAuth client'],
    ['a date that is not a date', { createdAt: 'yesterday' }, 'createdAt: Use a date and time such as 2026-11-23T09:00:00Z'],
    ['a date past 9999 once in UTC', { expiresAt: '9999-12-31T23:00:00-05:00' }, 'expiresAt: Use a date between 1970 and 9999'],
    ['a last rotation in the future', { lastRotatedAt: '2062-01-01T00:00:00Z' }, 'lastRotatedAt is in the future: check the year'],
    ['a location confirmed in the future', { locations: [{ kind: 'ci_variable', label: 'CI', environment: 'production', confirmedAt: '2099-01-01T00:00:00Z' }] }, 'locations[1].confirmedAt is in the future: check the year'],
    ['a rotation policy of zero days', { rotationPolicyDays: 0 }, 'rotationPolicyDays: Too small: expected number to be >=1'],
  ])('refuses %s, naming the field', async (_what, fields, message) => {
    expect(await errorsOf(fields)).toEqual([message]);
  });

  it('refuses a secret over 64 KiB, or one that is not text', async () => {
    expect(await errorsOf({}, 'a'.repeat(70_000))).toEqual(['secret: A secret is at most 64 KiB']);
    expect(await errorsOf({}, 12345)).toEqual(['secret must be text']);
  });

  it('refuses a signing key whose secret is not a private key, and accepts one that is', async () => {
    const notAKey = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUXrQ\n-----END CERTIFICATE-----';
    expect(await errorsOf({ kind: 'signing_key' }, notAKey)).toEqual([expect.stringMatching(/^secret: A signing key must be a private key/)]);
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(await errorsOf({ kind: 'signing_key' }, pem)).toEqual([]);
  });

  it('never puts the secret or a refused value in a message', async () => {
    const secret = 'sk_live_DO_NOT_ECHO_51HXs';
    const [row] = await checkImportRows([record(1, { kind: secret, owner: secret.repeat(10), rotationPolicyDays: secret, tags: [secret.repeat(5)] }, secret)], WORDING);
    expect(row.preview.errors.length).toBeGreaterThan(2);
    expect(JSON.stringify(row.preview)).not.toContain(secret);
  });

  it('refuses every row of a name repeated in one environment, case-insensitively, and only there', async () => {
    const rows = await checkImportRows([record(1), record(2, { name: 'DEPLOY-KEY ' }), record(3, { environment: 'staging' }), record(4, { environment: 'Production' })], WORDING);
    expect(rows.map((row) => row.preview.errors)).toEqual([
      ['The same name and environment are also at entries 2, 4; a name is used once per environment'],
      ['The same name and environment are also at entries 1, 4; a name is used once per environment'],
      [],
      ['The same name and environment are also at entries 1, 2; a name is used once per environment'],
    ]);
    expect(rows.map((row) => row.credential !== null)).toEqual([false, false, true, false]);
  });

  it('bounds the errors of one row and what its preview shows of a long name', async () => {
    const locations = Array.from({ length: 30 }, () => ({ kind: 'safe' }));
    const [row] = await checkImportRows([record(1, { name: 'n'.repeat(500), locations })], WORDING);
    expect(row.preview.errors).toHaveLength(10);
    expect(row.preview.errors[9]).toMatch(/^…and \d+ more problems$/);
    expect(row.preview.name).toBe(`${'n'.repeat(120)}…`);
  });
});
