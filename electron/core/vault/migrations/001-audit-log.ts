import type { Migration } from './index';

/** The vault's identity and the hash-chained audit log. */
export const migration001: Migration = {
  version: 1,
  name: 'audit-log',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
      CREATE TABLE audit_log (
        seq    INTEGER PRIMARY KEY,
        at     TEXT NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT NOT NULL,
        mac    BLOB NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_action ON audit_log(action);
    `);
  },
};
