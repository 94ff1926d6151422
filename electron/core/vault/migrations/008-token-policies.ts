import type { Migration } from './index';

/** The inspector's saved policy profiles: what a token from a given issuer must be. */
export const migration008: Migration = {
  version: 8,
  name: 'token-policies',
  up(db) {
    db.exec(`
      CREATE TABLE token_policies (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        policy     TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX token_policies_by_name ON token_policies (lower(name));
    `);
  },
};
