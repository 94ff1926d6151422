import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

describe('migration 002: settings', () => {
  it('adds the settings table to a version-1 vault and keeps its audit rows', () => {
    const db = new Database(':memory:');
    migrate(db, 1);
    db.prepare("INSERT INTO audit_log (seq, at, actor, action, target, detail, mac) VALUES (1, '2026-01-01T00:00:00.000Z', 'user', 'vault.created', NULL, '{}', x'00')").run();
    expect(migrate(db, 2)).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT action FROM audit_log').pluck().all()).toEqual(['vault.created']);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('autoLockMinutes', '5', 'now')").run();
    expect(db.prepare('SELECT value FROM settings').pluck().get()).toBe('5');
  });

  it('runs no migration twice and refuses a schema newer than this build', () => {
    const db = new Database(':memory:');
    migrate(db);
    expect(migrate(db)).toEqual([]);
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'VAULT_CORRUPT', message: expect.stringMatching(/newer CredOps/) }));
  });
});
