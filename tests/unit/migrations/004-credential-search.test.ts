import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

describe('migration 004: credential search', () => {
  it('indexes the credentials a version-3 vault already has', () => {
    const db = new Database(':memory:');
    migrate(db, 3);
    db.prepare(
      `INSERT INTO credentials (id, name, kind, provider, owner, environment, scopes, created_at, status, notes, tags, version, updated_at)
       VALUES ('c1', 'payments-partner-key', 'api_key', 'stripe', 'team-payments', 'production', '["charges:read"]', 'now', 'active', '', '["pci"]', 1, 'now')`,
    ).run();
    expect(migrate(db, 4)).toEqual([4]);
    expect(schemaVersion(db)).toBe(4);
    const find = (text: string) =>
      db.prepare('SELECT id FROM credentials WHERE rowid IN (SELECT rowid FROM credential_search WHERE text LIKE ?)').pluck().all(`%${text}%`);
    expect(find('PARTNER')).toEqual(['c1']);
    expect(find('team-pay')).toEqual(['c1']);
    expect(find('charges:read')).toEqual(['c1']);
    expect(find('staging')).toEqual([]);
    db.prepare("DELETE FROM credentials WHERE id = 'c1'").run();
    expect(db.prepare('SELECT count(*) FROM credential_search').pluck().get()).toBe(0);
  });
});
