import type { Migration } from './index';

/**
 * A trigram index over each credential's searchable text, so "search as you type" over 100,000
 * credentials reads the matches rather than every row; and indexes for the common filters and
 * the default sort.
 */
export const migration004: Migration = {
  version: 4,
  name: 'credential-search',
  up(db) {
    db.exec(`
      -- Keyed by the credential's rowid, so keeping it in step is a lookup, not a scan.
      CREATE VIRTUAL TABLE credential_search USING fts5(text, tokenize = 'trigram', detail = 'none');
      INSERT INTO credential_search (rowid, text)
        SELECT rowid, concat_ws(char(10), name, owner, tenant, client_id, environment, tags, scopes) FROM credentials;
      CREATE TRIGGER credentials_leave_search AFTER DELETE ON credentials BEGIN
        DELETE FROM credential_search WHERE rowid = old.rowid;
      END;
      CREATE INDEX credentials_by_name ON credentials (name COLLATE NOCASE);
      -- Covers the common filter pair and the default sort, so a page needs no table lookups.
      CREATE INDEX credentials_by_environment_kind_name ON credentials (environment COLLATE NOCASE, kind, name COLLATE NOCASE, id);
      CREATE INDEX credentials_by_status ON credentials (status);
    `);
  },
};
