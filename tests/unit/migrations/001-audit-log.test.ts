import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

describe('migration 001: audit log', () => {
  it('creates meta and an append-only-shaped audit_log on an empty database', () => {
    const db = new Database(':memory:');
    expect(migrate(db, 1)).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('audit_log');
    expect(columns).toEqual(['seq', 'at', 'actor', 'action', 'target', 'detail', 'mac']);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('vaultId', 'v');
    expect(() => db.prepare('INSERT INTO audit_log (seq, at, actor, action, detail, mac) VALUES (1, 1, 2, 3, 4, 5)').run()).toThrow(/cannot store INT value/);
  });
});
