import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

describe('migration 005: credential flags', () => {
  it('computes the health flags of the credentials a version-4 vault already has', () => {
    const db = new Database(':memory:');
    migrate(db, 4);
    const insert = db.prepare(
      `INSERT INTO credentials (id, name, kind, provider, environment, scopes, created_at, status, notes, tags, fingerprint, version, updated_at)
       VALUES (?, ?, 'api_key', 'other', ?, ?, 'now', 'active', '', '[]', ?, 1, 'now')`,
    );
    insert.run('broad', 'a', 'production', '["read","write:*"]', 'fp-1');
    insert.run('shared', 'b', 'staging', '["read"]', 'fp-1');
    insert.run('same-env', 'c', 'production', '["read"]', 'fp-2');
    insert.run('same-env-2', 'd', 'production', '["read"]', 'fp-2');
    insert.run('plain', 'e', 'test', '[]', null);
    const location = db.prepare('INSERT INTO credential_locations (credential_id, position, kind, label, environment, confirmed_at) VALUES (?, ?, ?, ?, ?, ?)');
    location.run('plain', 0, 'browser', 'SPA', 'test', '2026-01-01T00:00:00.000Z');
    location.run('same-env', 0, 'ci_variable', 'CI', 'production', null);

    expect(migrate(db, 5)).toEqual([5]);
    expect(schemaVersion(db)).toBe(5);
    const flags = Object.fromEntries(
      (db.prepare('SELECT id, broad_scopes, client_side_copy, unconfirmed_locations, shared_environments FROM credentials').all() as Record<string, unknown>[]).map((r) => [r.id, [r.broad_scopes, r.client_side_copy, r.unconfirmed_locations, r.shared_environments]]),
    );
    expect(flags).toEqual({
      broad: [1, 0, 0, 1],
      shared: [0, 0, 0, 1],
      'same-env': [0, 0, 1, 0],
      'same-env-2': [0, 0, 0, 0],
      plain: [0, 1, 0, 0],
    });
  });
});
