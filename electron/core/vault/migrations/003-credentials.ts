import type { Migration } from './index';

/**
 * The credential inventory: metadata in columns, the secret sealed in one BLOB with its keyed
 * fingerprint beside it, every place a copy lives, and each credential's own history.
 */
export const migration003: Migration = {
  version: 3,
  name: 'credentials',
  up(db) {
    db.exec(`
      CREATE TABLE credentials (
        id                   TEXT PRIMARY KEY,
        name                 TEXT NOT NULL,
        kind                 TEXT NOT NULL,
        provider             TEXT NOT NULL,
        owner                TEXT,
        environment          TEXT NOT NULL,
        tenant               TEXT,
        scopes               TEXT NOT NULL,
        created_at           TEXT NOT NULL,
        expires_at           TEXT,
        last_used_at         TEXT,
        last_rotated_at      TEXT,
        rotation_policy_days INTEGER,
        status               TEXT NOT NULL,
        auth_server_id       TEXT,
        client_id            TEXT,
        notes                TEXT NOT NULL,
        tags                 TEXT NOT NULL,
        secret               BLOB,
        secret_version       INTEGER NOT NULL DEFAULT 0,
        fingerprint          TEXT,
        public_thumbprint    TEXT,
        version              INTEGER NOT NULL,
        updated_at           TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX credentials_name_per_environment ON credentials (lower(name), lower(environment));
      CREATE INDEX credentials_fingerprint ON credentials (fingerprint) WHERE fingerprint IS NOT NULL;
      CREATE TABLE credential_locations (
        credential_id TEXT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
        position      INTEGER NOT NULL,
        kind          TEXT NOT NULL,
        label         TEXT NOT NULL,
        environment   TEXT NOT NULL,
        confirmed_at  TEXT,
        PRIMARY KEY (credential_id, position)
      ) STRICT;
      CREATE TABLE credential_history (
        id            INTEGER PRIMARY KEY,
        credential_id TEXT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
        at            TEXT NOT NULL,
        action        TEXT NOT NULL,
        note          TEXT,
        detail        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX credential_history_by_credential ON credential_history (credential_id, id);
    `);
  },
};
