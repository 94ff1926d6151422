import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

function insertCredential(db: Database.Database, id: string, name: string, environment: string): void {
  db.prepare(
    `INSERT INTO credentials (id, name, kind, provider, environment, scopes, created_at, status, notes, tags, version, updated_at)
     VALUES (?, ?, 'api_key', 'stripe', ?, '[]', '2026-01-01T00:00:00Z', 'active', '', '[]', 1, '2026-01-01T00:00:00Z')`,
  ).run(id, name, environment);
}

describe('migration 003: credentials', () => {
  it('adds the inventory to a version-2 vault, keeping its settings', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 2);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('autoLockMinutes', '5', 'now')").run();
    expect(migrate(db, 3)).toEqual([3]);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT value FROM settings').pluck().get()).toBe('5');
    insertCredential(db, 'c1', 'payments-key', 'production');
    db.prepare("INSERT INTO credential_locations (credential_id, position, kind, label, environment) VALUES ('c1', 0, 'ci_variable', 'CI', 'production')").run();
    db.prepare("INSERT INTO credential_history (credential_id, at, action, detail) VALUES ('c1', 'now', 'created', '{}')").run();
    db.prepare("DELETE FROM credentials WHERE id = 'c1'").run();
    expect(db.prepare('SELECT count(*) FROM credential_locations').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM credential_history').pluck().get()).toBe(0);
  });

  it('refuses two credentials of the same name in one environment, whatever the case', () => {
    const db = new Database(':memory:');
    migrate(db);
    insertCredential(db, 'c1', 'payments-key', 'production');
    insertCredential(db, 'c2', 'payments-key', 'staging');
    expect(() => insertCredential(db, 'c3', 'Payments-Key', 'Production')).toThrow(/UNIQUE constraint failed/);
  });
});
