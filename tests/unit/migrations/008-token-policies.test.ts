import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

describe('migration 008: token policies', () => {
  it('keeps policy profiles with names unique regardless of case', () => {
    const db = new Database(':memory:');
    migrate(db, 7);
    expect(migrate(db, 8)).toEqual([8]);
    expect(schemaVersion(db)).toBe(8);
    const insert = db.prepare("INSERT INTO token_policies (id, name, policy, updated_at) VALUES (?, ?, '{}', 'now')");
    insert.run('p1', 'Production API');
    expect(() => insert.run('p2', 'production api')).toThrow(/UNIQUE/);
  });
});
