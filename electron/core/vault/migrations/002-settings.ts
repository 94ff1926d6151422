import type { Migration } from './index';

/** Vault-scoped settings (auto-lock minutes, backup retention, clipboard delay), one JSON value per key. */
export const migration002: Migration = {
  version: 2,
  name: 'settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
