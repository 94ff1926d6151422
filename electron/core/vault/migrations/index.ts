/**
 * Numbered migrations, run in order at open, each in its own transaction with the schema version
 * (PRAGMA user_version) bumped inside it, so a crash leaves the schema at one version or the next.
 */
import type { Db } from '../database';
import { CoreError } from '../../errors';
import { migration001 } from './001-audit-log';
import { migration002 } from './002-settings';
import { migration003 } from './003-credentials';
import { migration004 } from './004-credential-search';
import { migration005 } from './005-credential-flags';
import { migration006 } from './006-credential-search-text';
import { migration007 } from './007-finding-indexes';
import { migration008 } from './008-token-policies';
import { migration009 } from './009-servers';
import { migration010 } from './010-playbooks';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010];
export const LATEST_SCHEMA = migrations[migrations.length - 1].version;

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies the pending migrations up to `target`; returns the versions applied. */
export function migrate(db: Db, target = LATEST_SCHEMA): number[] {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA) {
    throw new CoreError('VAULT_CORRUPT', `This vault was written by a newer CredOps (schema ${current}). Update CredOps to open it.`);
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
