import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

describe('migration 009: servers', () => {
  it('keeps servers unique by name, and deleting a server takes its snapshots and bulk jobs with it', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys=ON');
    migrate(db, 8);
    expect(migrate(db, 9)).toEqual([9]);
    expect(schemaVersion(db)).toBe(9);
    const insert = db.prepare(
      "INSERT INTO servers (id, name, issuer, provider, client_id, auth_method, created_at, updated_at) VALUES (?, ?, 'https://idp.example', 'oauth', 'admin', 'client_secret_basic', 'now', 'now')",
    );
    insert.run('s1', 'Production IdP');
    expect(() => insert.run('s2', 'production idp')).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO jwks_snapshots (server_id, seq, fetched_at, keys, rejected) VALUES ('s1', 1, 'now', '[]', '[]')").run();
    db.prepare("INSERT INTO bulk_jobs (id, server_id, label, state, total, created_at, updated_at) VALUES ('j1', 's1', 'leak', 'running', 1, 'now', 'now')").run();
    db.prepare("INSERT INTO bulk_items (job_id, n, token, fingerprint, state) VALUES ('j1', 0, x'00', 'fp', 'pending')").run();
    expect(() => db.prepare("INSERT INTO bulk_items (job_id, n, token, fingerprint, state) VALUES ('j1', 1, x'00', 'fp', 'done')").run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM servers WHERE id = 's1'").run();
    const left = ['jwks_snapshots', 'bulk_jobs', 'bulk_items'].map((table) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
    expect(left).toEqual([0, 0, 0]);
  });
});
