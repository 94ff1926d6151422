/**
 * inventory.search: p95 of a text search plus two filters over 100,000 credentials, through the
 * core's list (query, page of summaries with findings), against the same rows in a plain,
 * unencrypted better-sqlite3 table queried with the same LIKE, in the same run.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createCore } from '../../electron/core/core';
import { insertCredentials, listCredentials } from '../../electron/core/credentials/store';
import { VAULT_CACHE_KIB } from '../../electron/core/vault/database';
import { migrate } from '../../electron/core/vault/migrations';
import { credentialQuery, type CredentialFields } from '../../shared/credentials';
import { createTestPlatform, STRONG_PASSPHRASE } from '../support/test-platform';
import { report, type Bench } from './report';

const COUNT = 100_000;
const SERVICES = ['payments', 'billing', 'search', 'auth', 'deploy', 'analytics', 'mail', 'storage', 'ledger', 'risk'];
const PURPOSES = ['partner-key', 'webhook', 'ci-token', 'signing', 'readonly', 'admin', 'sync', 'export'];
const ENVIRONMENTS = ['production', 'staging', 'development', 'test'];
const KINDS = ['api_key', 'oauth_client', 'service_token', 'webhook_secret', 'refresh_token'] as const;
const SEARCHES = ['payments', 'webhook', 'team-7', 'ledger-sync', 'ci-token-9', 'risk', 'export-1', 'auth-admin'];

/** A synthetic inventory: names, owners, environments and kinds spread so searches and filters bite. */
export function benchInventory(count = COUNT): { fields: CredentialFields; secret: string }[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length];
    return {
      secret: `secret-${i}-${randomUUID()}`,
      fields: {
        name: `${SERVICES[i % SERVICES.length]}-${PURPOSES[(i >> 3) % PURPOSES.length]}-${i}`,
        kind,
        provider: 'other',
        owner: i % 17 === 0 ? null : `team-${i % 40}`,
        environment: ENVIRONMENTS[(i >> 2) % ENVIRONMENTS.length],
        tenant: null,
        scopes: i % 11 === 0 ? ['admin'] : ['read', 'write'],
        createdAt: new Date(Date.UTC(2025, 0, 1) + (i % 600) * 86_400_000).toISOString(),
        expiresAt: i % 3 === 0 ? null : new Date(Date.UTC(2027, 0, 1) + (i % 300) * 86_400_000).toISOString(),
        lastUsedAt: null,
        lastRotatedAt: null,
        rotationPolicyDays: null,
        status: 'active',
        authServerId: null,
        clientId: kind === 'oauth_client' ? `client-${i}` : null,
        notes: '',
        tags: [`tier-${i % 3}`],
        locations: [{ kind: 'ci_variable', label: `CI ${i}`, environment: 'production', confirmedAt: null }],
      },
    };
  });
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length * 0.95) - 1];
}

const LIKE = `(name LIKE @text ESCAPE '\\' OR owner LIKE @text ESCAPE '\\' OR tenant LIKE @text ESCAPE '\\' OR client_id LIKE @text ESCAPE '\\'
  OR environment LIKE @text ESCAPE '\\' OR tags LIKE @text ESCAPE '\\' OR scopes LIKE @text ESCAPE '\\')`;

async function benchSearch(): Promise<void> {
  const platform = createTestPlatform();
  const core = createCore({ platform, calibrateKdf: false });
  const plain = new Database(join(platform.userDataDir, 'plain.db'));
  try {
    await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
    const vault = core.vault.require();
    const data = benchInventory();
    await insertCredentials(vault, data, new Date(), 'bench');

    plain.pragma('journal_mode=WAL');
    plain.pragma(`cache_size=-${VAULT_CACHE_KIB}`);
    migrate(plain, 3);
    const insert = plain.prepare(
      `INSERT INTO credentials (id, name, kind, provider, owner, environment, tenant, scopes, created_at, expires_at, status, client_id, notes, tags, version, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, 'active', ?, '', ?, 1, ?)`,
    );
    plain.transaction(() => {
      for (const { fields: f } of data) insert.run(randomUUID(), f.name, f.kind, f.provider, f.owner, f.environment, JSON.stringify(f.scopes), f.createdAt, f.expiresAt, f.clientId, JSON.stringify(f.tags), f.createdAt);
    })();
    const plainPage = plain.prepare(`SELECT * FROM credentials WHERE ${LIKE} AND environment = @environment AND kind = @kind ORDER BY name COLLATE NOCASE LIMIT 100`);
    const plainCount = plain.prepare(`SELECT count(*) FROM credentials WHERE ${LIKE} AND environment = @environment AND kind = @kind`);

    const ours: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const [i, text] of SEARCHES.entries()) {
        const environment = ENVIRONMENTS[i % ENVIRONMENTS.length];
        const kind = KINDS[i % KINDS.length];
        let started = performance.now();
        plainPage.all({ text: `%${text}%`, environment, kind });
        plainCount.get({ text: `%${text}%`, environment, kind });
        baseline.push(performance.now() - started);
        started = performance.now();
        listCredentials(vault, credentialQuery.parse({ text, environment, kind, limit: 100 }), new Date());
        ours.push(performance.now() - started);
      }
    }
    // The same searches with no filter: across the whole inventory, through the trigram index.
    const plainText = plain.prepare(`SELECT * FROM credentials WHERE ${LIKE} ORDER BY name COLLATE NOCASE LIMIT 100`);
    const plainTextCount = plain.prepare(`SELECT count(*) FROM credentials WHERE ${LIKE}`);
    const oursText: number[] = [];
    const baselineText: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const text of SEARCHES) {
        let started = performance.now();
        plainText.all({ text: `%${text}%` });
        plainTextCount.get({ text: `%${text}%` });
        baselineText.push(performance.now() - started);
        started = performance.now();
        listCredentials(vault, credentialQuery.parse({ text, limit: 100 }), new Date());
        oursText.push(performance.now() - started);
      }
    }
    const value = p95(ours);
    const baselineValue = p95(baseline);
    report({
      bench: 'inventory.search.text',
      value: p95(oursText),
      unit: `ms p95, text alone over ${COUNT.toLocaleString('en')} credentials, first page of 100 with findings (${oursText.length} queries)`,
      baseline: 'same LIKE query and page on plain better-sqlite3, unencrypted',
      baselineValue: p95(baselineText),
      ratio: p95(oursText) / p95(baselineText),
    });
    report({
      bench: 'inventory.search',
      value,
      unit: `ms p95, text + environment + kind over ${COUNT.toLocaleString('en')} credentials, first page of 100 with findings (${ours.length} queries)`,
      baseline: 'same LIKE query and page on plain better-sqlite3, unencrypted',
      baselineValue,
      ratio: value / baselineValue,
    });
  } finally {
    plain.close();
    core.dispose();
    platform.cleanup();
  }
}

export const inventoryBenches: Bench[] = [{ figures: ['inventory.search', 'inventory.search.text'], run: benchSearch }];
