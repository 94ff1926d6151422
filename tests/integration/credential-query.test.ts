import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { insertCredentials, listCredentials } from '../../electron/core/credentials/store';
import { healthCounts } from '../../electron/core/credentials/query';
import { credentialQuery, HEALTH_CODES, type CredentialFields, type CredentialQuery } from '../../shared/credentials';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';

const NOW = new Date('2026-11-23T12:00:00Z');
const DAY = 86_400_000;
let platform: TestPlatform;
let core: Core;

/** A small deterministic generator, so a failure names a dataset that can be rebuilt. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function dataset(count: number): { fields: CredentialFields; secret: string | null }[] {
  const next = random(7);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  // Offsets cluster around each rule's edge (7, 30, 90 days…), where SQL and JS could disagree.
  const edge = () => pick([0, 1, 6, 7, 8, 29, 30, 31, 89, 90, 91, 120, 400]) * DAY + pick([-3600_000, 0, 3600_000]);
  const at = (offset: number) => new Date(NOW.getTime() + offset).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const created = at(-edge() - 30 * DAY);
    return {
      secret: pick(['shared-a', 'shared-b', null, `unique-${i}`, `unique-${i}`]),
      fields: {
        name: `credential-${i}`,
        // Signing keys need a real private key as their secret; the rules treat them like API keys.
        kind: pick(['api_key', 'service_token', 'refresh_token', 'webhook_secret'] as const),
        provider: pick(['stripe', 'github', 'other'] as const),
        owner: pick([null, 'team-payments', 'Team-Platform', 'alice']),
        environment: pick(['production', 'Production', 'staging', 'test']),
        tenant: pick([null, 'acme']),
        scopes: pick([[], ['read'], ['admin'], ['repo:status', 'write:*'], ['files.read']]),
        createdAt: created,
        expiresAt: pick([null, at(edge()), at(-edge())]),
        lastUsedAt: pick([null, at(-edge())]),
        lastRotatedAt: pick([null, at(-edge())]),
        rotationPolicyDays: pick([null, 30, 90]),
        status: pick(['active', 'active', 'rotating', 'revoked', 'expired'] as const),
        authServerId: null,
        clientId: null,
        notes: '',
        tags: pick([[], ['pci'], ['deploy', 'ci']]),
        locations: pick([
          [],
          [{ kind: 'ci_variable' as const, label: 'CI', environment: 'production', confirmedAt: at(-DAY) }],
          [{ kind: 'browser' as const, label: 'SPA', environment: 'production', confirmedAt: null }],
        ]),
      },
    };
  }).map((row) => {
    // Keep every generated row valid: no date before creation.
    const f = row.fields;
    for (const key of ['expiresAt', 'lastUsedAt', 'lastRotatedAt'] as const) if (f[key] && f[key]! < f.createdAt) f[key] = f.createdAt;
    return row;
  });
}

const list = (query: CredentialQuery) => listCredentials(core.vault.require(), credentialQuery.parse(query), NOW);

beforeAll(async () => {
  platform = createTestPlatform();
  core = createCore({ platform, calibrateKdf: false });
  await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
  await insertCredentials(core.vault.require(), dataset(400), NOW, 'test');
});
afterAll(() => {
  core.dispose();
  platform.cleanup();
});

describe('credential query', () => {
  it.each(HEALTH_CODES)('filters by %s exactly as the health rules judge each credential', (code) => {
    const all = list({ limit: 500 }).credentials;
    const expected = all.filter((c) => c.findings.some((f) => f.code === code)).map((c) => c.id).sort();
    const filtered = list({ finding: code, limit: 500 });
    expect(filtered.credentials.map((c) => c.id).sort()).toEqual(expected);
    expect(filtered.total).toBe(expected.length);
  });

  it('counts every finding for the header exactly as the rules judge each credential, revoked and expired ones aside', () => {
    const all = list({ limit: 500 }).credentials;
    const summary = healthCounts(core.vault.require().db, NOW);
    expect(summary.total).toBe(all.filter((c) => c.status !== 'revoked' && c.status !== 'expired').length);
    for (const { code, count, severity } of summary.findings) {
      expect(count, code).toBe(all.filter((c) => c.findings.some((f) => f.code === code)).length);
      expect(severity, code).toBe(all.flatMap((c) => c.findings).find((f) => f.code === code)?.severity);
    }
  });

  it('finds the same credentials searching within an environment (covering index) as across the inventory (trigrams)', () => {
    for (const text of ['credential-1', 'TEAM-PLATFORM', 'pci', 'write:*', 'acme', 'al']) {
      for (const environment of ['production', 'STAGING']) {
        const across = list({ text, limit: 500 }).credentials.filter((c) => c.environment.toLowerCase() === environment.toLowerCase());
        const within = list({ text, environment, limit: 500 });
        expect(within.credentials.map((c) => c.id), `${text} in ${environment}`).toEqual(across.map((c) => c.id));
        expect(within.total).toBe(across.length);
      }
    }
  });

  it('exercises every rule on this dataset, so the comparison above means something', () => {
    for (const code of HEALTH_CODES) expect(list({ finding: code }).total, code).toBeGreaterThan(0);
  });

  it('searches names, owners, tags and scopes case-insensitively, treating % and _ literally', () => {
    expect(list({ text: 'CREDENTIAL-12', limit: 500 }).credentials.map((c) => c.name).sort()).toEqual(
      ['credential-12', ...Array.from({ length: 10 }, (_, i) => `credential-12${i}`)].sort(),
    );
    expect(list({ text: 'team-platform' }).credentials.every((c) => c.owner === 'Team-Platform')).toBe(true);
    expect(list({ text: 'pci' }).credentials.every((c) => c.tags.includes('pci'))).toBe(true);
    expect(list({ text: 'write:*' }).credentials.every((c) => c.scopes.includes('write:*'))).toBe(true);
    expect(list({ text: '%' }).total).toBe(0);
    expect(list({ text: 'credential_1' }).total).toBe(0);
  });

  it('combines search with filters, sorts with empty values last, and pages', () => {
    const result = list({ text: 'credential', environment: 'Production', status: 'active', sort: 'expiresAt', direction: 'asc', limit: 500 });
    expect(result.credentials.every((c) => c.environment.toLowerCase() === 'production' && c.status === 'active')).toBe(true);
    const expires = result.credentials.map((c) => c.expiresAt);
    const dated = expires.filter((e): e is string => e !== null);
    expect(dated).toEqual([...dated].sort());
    expect(expires.slice(dated.length).every((e) => e === null)).toBe(true);
    const page1 = list({ sort: 'name', limit: 50 });
    const page2 = list({ sort: 'name', limit: 50, offset: 50 });
    expect(page1.total).toBe(400);
    expect(new Set([...page1.credentials, ...page2.credentials].map((c) => c.id)).size).toBe(100);
  });
});
