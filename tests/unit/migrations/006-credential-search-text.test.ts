import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

describe('migration 006: credential search text', () => {
  it('gives existing credentials their lower-cased search text, in the row and the trigram index', () => {
    const db = new Database(':memory:');
    migrate(db, 5);
    db.prepare(
      `INSERT INTO credentials (id, name, kind, provider, owner, environment, scopes, created_at, status, client_id, notes, tags, version, updated_at)
       VALUES ('c1', 'Payments-Partner-KEY', 'api_key', 'stripe', 'Équipe Paiements', 'Production', '["charges:read"]', 'now', 'active', 'Client-7', '', '["PCI"]', 1, 'now')`,
    ).run();
    db.prepare(`INSERT INTO credential_search (rowid, text) SELECT rowid, 'stale text' FROM credentials`).run();

    expect(migrate(db, 6)).toEqual([6]);
    expect(schemaVersion(db)).toBe(6);
    const text = 'payments-partner-key\néquipe paiements\nclient-7\nproduction\npci\ncharges:read';
    expect(db.prepare("SELECT search_text FROM credentials WHERE id = 'c1'").pluck().get()).toBe(text);
    expect(db.prepare('SELECT text FROM credential_search').pluck().all()).toEqual([text]);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM credentials WHERE environment = 'production' COLLATE NOCASE AND search_text LIKE '%pci%' ORDER BY name COLLATE NOCASE").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('COVERING INDEX credentials_by_environment_kind_name');
  });
});
