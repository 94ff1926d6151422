import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

describe('migration 007: finding indexes', () => {
  it('lets the rare-finding filters read only their matches', () => {
    const db = new Database(':memory:');
    migrate(db, 6);
    expect(migrate(db, 7)).toEqual([7]);
    expect(schemaVersion(db)).toBe(7);
    const plan = (where: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM credentials WHERE ${where} ORDER BY name COLLATE NOCASE, id LIMIT 100`).all() as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan("status NOT IN ('revoked', 'expired') AND client_side_copy = 1")).toContain('credentials_client_side_copy');
    expect(plan("status NOT IN ('revoked', 'expired') AND shared_environments = 1")).toContain('credentials_shared_environments');
    expect(plan("status NOT IN ('revoked', 'expired') AND owner IS NULL")).toContain('credentials_ownerless');
    expect(plan("expires_at <= '2026-11-23T00:00:00.000Z'")).toContain('credentials_by_expiry');
  });
});
