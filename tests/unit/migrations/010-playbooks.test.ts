import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../electron/core/vault/migrations';

function insertRun(db: Database.Database, id: string, state = 'open'): void {
  db.prepare(
    `INSERT INTO playbook_runs (id, template_id, template_version, template_name, template, title, credential_id, credential_name, server_id,
       state, started_at, revision, steps, inputs, updated_at)
     VALUES (?, 'leaked-api-key', 1, 'Leaked API key', '{}', 'Key in a public repo', 'c1', 'payments-key', NULL, ?, 'now', 1, x'01', x'01', 'now')`,
  ).run(id, state);
}

describe('migration 010: playbooks', () => {
  it('adds templates, runs and timelines to a version-9 vault; a run outlives its credential, its timeline does not outlive it', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys=ON');
    migrate(db, 9);
    expect(migrate(db, 10)).toEqual([10]);
    expect(schemaVersion(db)).toBe(10);

    const template = db.prepare("INSERT INTO playbook_templates (id, version, name, yaml, imported_at) VALUES ('custom', ?, 'Custom', 'id: custom', 'now')");
    template.run(1);
    template.run(2);
    expect(() => template.run(2)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => template.run(0)).toThrow(/CHECK/);

    insertRun(db, 'r1');
    expect(() => insertRun(db, 'r2', 'paused')).toThrow(/CHECK/);
    // No foreign key to credentials or servers: deleting either leaves the run (and the names it kept).
    expect(db.prepare("SELECT credential_name FROM playbook_runs WHERE id = 'r1'").pluck().get()).toBe('payments-key');

    const event = db.prepare("INSERT INTO playbook_timeline (run_id, seq, at, actor, type, step_id, detail) VALUES (?, ?, 'now', 'user', 'run.started', NULL, x'01')");
    event.run('r1', 1);
    event.run('r1', 2);
    expect(() => event.run('r1', 2)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => event.run('nope', 1)).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM playbook_runs WHERE id = 'r1'").run();
    expect(db.prepare('SELECT count(*) FROM playbook_timeline').pluck().get()).toBe(0);
  });
});
