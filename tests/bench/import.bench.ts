/**
 * inventory.import: a 10,000-row CSV with a secret in every row, through the core as the import
 * screen drives it (open → preview → commit, into a fresh vault), against parsing the same file
 * alone with csv-parse, in the same run.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { createCore } from '../../electron/core/core';
import { CSV_COLUMNS } from '../../electron/core/transfer/csv-format';
import { createTestPlatform, makeTempDir, STRONG_PASSPHRASE } from '../support/test-platform';
import { median, report, time, type Bench } from './report';

const ROWS = 10_000;
const ROUNDS = 3;
const KINDS = ['api_key', 'oauth_client', 'service_token', 'webhook_secret', 'refresh_token'];
const ENVIRONMENTS = ['production', 'staging', 'development', 'test'];

function inventoryCsv(): string {
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const kind = KINDS[i % KINDS.length];
    const cells: Record<string, string> = {
      name: `service-${i % 97}-credential-${i}`,
      kind,
      provider: 'other',
      owner: i % 13 === 0 ? '' : `team-${i % 40}`,
      environment: ENVIRONMENTS[i % ENVIRONMENTS.length],
      tenant: '',
      scopes: i % 11 === 0 ? 'admin' : 'read write',
      created_at: new Date(Date.UTC(2025, 0, 1) + (i % 600) * 86_400_000).toISOString(),
      expires_at: i % 3 === 0 ? '' : new Date(Date.UTC(2027, 0, 1) + (i % 300) * 86_400_000).toISOString(),
      last_used_at: '',
      last_rotated_at: '',
      rotation_policy_days: i % 2 ? '90' : '',
      status: 'active',
      auth_server_id: '',
      client_id: kind === 'oauth_client' ? `client-${i}` : '',
      notes: i % 5 === 0 ? `Rotated after incident ${i}, see "runbook"\nsecond line` : '',
      tags: JSON.stringify([`tier-${i % 3}`]),
      locations: JSON.stringify([{ kind: 'ci_variable', label: `CI ${i}`, environment: 'production', confirmedAt: null }]),
      secret: `secret-${i}-${randomUUID()}`,
    };
    return [...CSV_COLUMNS, 'secret'].map((column) => cells[column]);
  });
  return stringify([[...CSV_COLUMNS, 'secret'], ...rows], { record_delimiter: 'windows' });
}

async function importOnce(path: string): Promise<number> {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
  try {
    await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
    const ask = async <T>(channel: string, input: unknown): Promise<T> => {
      const result = await core.router.invoke(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value as T;
    };
    platform.chosenFiles.push(path);
    return await time(async () => {
      const { file } = await ask<{ file: { importId: string } }>('credentials:importOpen', {});
      const preview = await ask<{ valid: number }>('credentials:importPreview', { importId: file.importId });
      if (preview.valid !== ROWS) throw new Error(`only ${preview.valid} of ${ROWS} rows are valid`);
      await ask('credentials:importCommit', { importId: file.importId });
    });
  } finally {
    core.dispose();
    platform.cleanup();
  }
}

async function benchImport(): Promise<void> {
  const dir = makeTempDir('credops-bench-');
  const path = join(dir, 'inventory.csv');
  const baseline: number[] = [];
  const ours: number[] = [];
  try {
    writeFileSync(path, inventoryCsv());
    for (let round = 0; round < ROUNDS; round++) {
      baseline.push(await time(() => parse(readFileSync(path))));
      ours.push(await importOnce(path));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const value = median(ours);
  const baselineValue = median(baseline);
  report({
    bench: 'inventory.import',
    value,
    unit: `ms, ${ROWS.toLocaleString('en')}-row CSV with secrets: open → preview → commit into a fresh vault (median of ${ROUNDS})`,
    baseline: 'reading and parsing the same file alone with csv-parse/sync',
    baselineValue,
    ratio: value / baselineValue,
  });
}

export const importBenches: Bench[] = [{ figures: ['inventory.import'], run: benchImport }];
