import type { Migration } from './index';

/**
 * Incident playbooks: user templates (YAML as imported), runs and their timelines. A run keeps the
 * template it was expanded from and the names of what it acted on, so it still opens after the
 * template changes or its credential or server is deleted; its steps, inputs (tokens, the old
 * secret captured at start, kids) and every timeline detail are sealed to their row.
 */
export const migration010: Migration = {
  version: 10,
  name: 'playbooks',
  up(db) {
    db.exec(`
      CREATE TABLE playbook_templates (
        id          TEXT NOT NULL,
        version     INTEGER NOT NULL CHECK (version >= 1),
        name        TEXT NOT NULL,
        yaml        TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        PRIMARY KEY (id, version)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE playbook_runs (
        id               TEXT PRIMARY KEY,
        template_id      TEXT NOT NULL,
        template_version INTEGER NOT NULL,
        template_name    TEXT NOT NULL,
        template         TEXT NOT NULL,
        title            TEXT NOT NULL,
        credential_id    TEXT,
        credential_name  TEXT,
        server_id        TEXT,
        state            TEXT NOT NULL CHECK (state IN ('open', 'completed', 'abandoned')),
        started_at       TEXT NOT NULL,
        completed_at     TEXT,
        revision         INTEGER NOT NULL CHECK (revision >= 1),
        steps            BLOB NOT NULL,
        inputs           BLOB NOT NULL,
        inputs_version   INTEGER NOT NULL DEFAULT 1,
        updated_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX playbook_runs_by_start ON playbook_runs (started_at DESC);
      CREATE INDEX playbook_runs_by_credential ON playbook_runs (credential_id) WHERE credential_id IS NOT NULL;

      CREATE TABLE playbook_timeline (
        run_id  TEXT NOT NULL REFERENCES playbook_runs (id) ON DELETE CASCADE,
        seq     INTEGER NOT NULL,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        type    TEXT NOT NULL,
        step_id TEXT,
        detail  BLOB NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
