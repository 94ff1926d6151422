/**
 * Prepared statements kept per open database: preparing parses and plans the SQL, which costs more
 * than running it, and bulk writes (import, 10,000 rows) would otherwise do it several times a row.
 */
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from './database';

const caches = new WeakMap<Db, Map<string, Statement>>();

export function statement(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}
