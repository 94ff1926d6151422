import type { Migration } from './index';

/**
 * Authorization servers and what the console learns from them: the admin client (its secret sealed
 * to the row), JWKS snapshots for the key history, and bulk revocation jobs journalled item by
 * item so a crash resumes without re-sending an acknowledged revocation.
 */
export const migration009: Migration = {
  version: 9,
  name: 'servers',
  up(db) {
    db.exec(`
      CREATE TABLE servers (
        id                    TEXT PRIMARY KEY,
        name                  TEXT NOT NULL,
        issuer                TEXT NOT NULL,
        provider              TEXT NOT NULL CHECK (provider IN ('oauth', 'keycloak')),
        realm                 TEXT,
        client_id             TEXT NOT NULL,
        auth_method           TEXT NOT NULL CHECK (auth_method IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt')),
        client_secret         BLOB,
        secret_version        INTEGER NOT NULL DEFAULT 0,
        secret_fingerprint    TEXT,
        signing_credential_id TEXT,
        extra_ca_pem          TEXT,
        metadata              TEXT,
        tested_at             TEXT,
        jwks_checked_at       TEXT,
        created_at            TEXT NOT NULL,
        updated_at            TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX servers_by_name ON servers (lower(name));

      CREATE TABLE jwks_snapshots (
        server_id  TEXT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        fetched_at TEXT NOT NULL,
        keys       TEXT NOT NULL,
        rejected   TEXT NOT NULL,
        PRIMARY KEY (server_id, seq)
      ) STRICT;

      CREATE TABLE bulk_jobs (
        id          TEXT PRIMARY KEY,
        server_id   TEXT NOT NULL REFERENCES servers (id) ON DELETE CASCADE,
        label       TEXT NOT NULL,
        hint        TEXT,
        state       TEXT NOT NULL CHECK (state IN ('running', 'paused', 'verifying', 'cancelled', 'finished')),
        total       INTEGER NOT NULL,
        last_error  TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        finished_at TEXT
      ) STRICT;

      CREATE TABLE bulk_items (
        job_id      TEXT NOT NULL REFERENCES bulk_jobs (id) ON DELETE CASCADE,
        n           INTEGER NOT NULL,
        token       BLOB NOT NULL,
        fingerprint TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'acknowledged', 'unsupported', 'failed', 'inactive', 'still_active', 'cancelled')),
        attempts    INTEGER NOT NULL DEFAULT 0,
        detail      TEXT,
        PRIMARY KEY (job_id, n)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX bulk_items_by_state ON bulk_items (job_id, state, n);
    `);
  },
};
