import { searchText } from '../../credentials/search-text';
import type { Migration } from './index';

/**
 * The searchable text kept on the row too, and in the index that covers the environment and kind
 * filters and the name sort: a search within an environment then reads that slice of one index,
 * in order, instead of every trigram match in the inventory (10,000 for a common word at 100,000).
 * The trigram index is rebuilt from the same lower-cased text.
 */
export const migration006: Migration = {
  version: 6,
  name: 'credential-search-text',
  up(db) {
    db.exec(`ALTER TABLE credentials ADD COLUMN search_text TEXT NOT NULL DEFAULT ''; DELETE FROM credential_search;`);
    const update = db.prepare('UPDATE credentials SET search_text = ? WHERE rowid = ?');
    const index = db.prepare('INSERT INTO credential_search (rowid, text) VALUES (?, ?)');
    type Row = { rowid: number; name: string; owner: string | null; tenant: string | null; client_id: string | null; environment: string; tags: string; scopes: string };
    for (const row of db.prepare('SELECT rowid, name, owner, tenant, client_id, environment, tags, scopes FROM credentials').all() as Row[]) {
      const text = searchText({ ...row, clientId: row.client_id, tags: JSON.parse(row.tags) as string[], scopes: JSON.parse(row.scopes) as string[] });
      update.run(text, row.rowid);
      index.run(row.rowid, text);
    }
    db.exec(`
      DROP INDEX credentials_by_environment_kind_name;
      CREATE INDEX credentials_by_environment_kind_name ON credentials (environment COLLATE NOCASE, kind, name COLLATE NOCASE, id, search_text);
    `);
  },
};
