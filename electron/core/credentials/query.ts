/**
 * Listing the inventory: text search, filters, sort and a page, in one SQL query so it stays fast
 * at 100,000 credentials. The health-finding filter states the rules of health.ts in SQL (dates are
 * stored as UTC ISO strings, so they compare as text); a test checks both give the same answer.
 */
import type { z } from 'zod';
import type { credentialQuery, HealthCode } from '../../../shared/credentials';
import type { Db } from '../vault/database';
import { CLIENT_SIDE, DAY_MS, DEFAULT_ROTATION_DAYS, isBroadScope, NEVER_ROTATED_GRACE_DAYS, SHOULD_EXPIRE, UNUSED_DAYS } from './health';

type Query = z.output<typeof credentialQuery>;

const SORT_COLUMNS: Record<Query['sort'], string> = {
  name: 'name COLLATE NOCASE',
  kind: 'kind',
  provider: 'provider',
  owner: 'owner COLLATE NOCASE',
  environment: 'environment COLLATE NOCASE',
  status: 'status',
  createdAt: 'created_at',
  expiresAt: 'expires_at',
  lastUsedAt: 'last_used_at',
  lastRotatedAt: 'last_rotated_at',
  updatedAt: 'updated_at',
};

const quoted = (values: ReadonlySet<string>) => [...values].map((v) => `'${v}'`).join(', ');
const ageDays = (column: string) => `CAST(julianday(@now) - julianday(${column}) AS INTEGER)`;

const FINDING_SQL: Record<HealthCode, string> = {
  EXPIRED: 'expires_at <= @now',
  EXPIRING_7D: 'expires_at > @now AND expires_at <= @in7',
  EXPIRING_30D: 'expires_at > @in7 AND expires_at <= @in30',
  NO_EXPIRY: `expires_at IS NULL AND kind IN (${quoted(SHOULD_EXPIRE)})`,
  STALE: `${ageDays('coalesce(last_rotated_at, created_at)')} > coalesce(rotation_policy_days, ${DEFAULT_ROTATION_DAYS})`,
  NEVER_ROTATED: `last_rotated_at IS NULL AND ${ageDays('created_at')} > ${NEVER_ROTATED_GRACE_DAYS}`,
  NO_OWNER: 'owner IS NULL',
  OVER_BROAD_SCOPES: 'credops_broad_scopes(scopes) = 1',
  SHARED_ACROSS_ENVIRONMENTS: `fingerprint IN (SELECT fingerprint FROM credentials WHERE fingerprint IS NOT NULL GROUP BY fingerprint HAVING count(DISTINCT environment) > 1)`,
  CLIENT_SIDE_COPY: `EXISTS (SELECT 1 FROM credential_locations l WHERE l.credential_id = c.id AND l.kind IN (${quoted(CLIENT_SIDE)}))`,
  UNUSED_90D: `last_used_at IS NOT NULL AND ${ageDays('last_used_at')} > ${UNUSED_DAYS}`,
  LOCATIONS_UNCONFIRMED: 'EXISTS (SELECT 1 FROM credential_locations l WHERE l.credential_id = c.id AND l.confirmed_at IS NULL)',
};

const registered = new WeakSet<Db>();

/** The SQL functions the filters use, registered once per open database. */
function registerCredentialFunctions(db: Db): void {
  if (registered.has(db)) return;
  registered.add(db);
  db.function('credops_broad_scopes', { deterministic: true }, (scopes: unknown) =>
    typeof scopes === 'string' && (JSON.parse(scopes) as string[]).some(isBroadScope) ? 1 : 0,
  );
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The ids on one page of the query, in order, and how many match in all. */
export function queryCredentialIds(db: Db, query: Query, now: Date): { ids: string[]; total: number } {
  registerCredentialFunctions(db);
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  const text = query.text.trim();
  if (text.length >= 3 && !/[\\%_]/.test(text)) {
    // The trigram index answers LIKE for three characters or more, case-insensitively.
    params.text = `%${text}%`;
    where.push('c.rowid IN (SELECT rowid FROM credential_search WHERE text LIKE @text)');
  } else if (text) {
    params.text = `%${escapeLike(text)}%`;
    where.push(
      `(name LIKE @text ESCAPE '\\' OR owner LIKE @text ESCAPE '\\' OR tenant LIKE @text ESCAPE '\\' OR client_id LIKE @text ESCAPE '\\'
        OR environment LIKE @text ESCAPE '\\' OR tags LIKE @text ESCAPE '\\' OR scopes LIKE @text ESCAPE '\\')`,
    );
  }
  for (const [key, column] of [['kind', 'kind'], ['status', 'status']] as const) {
    if (query[key]) {
      params[key] = query[key]!;
      where.push(`${column} = @${key}`);
    }
  }
  if (query.environment) {
    params.environment = query.environment;
    where.push('environment = @environment COLLATE NOCASE');
  }
  if (query.owner) {
    params.owner = query.owner;
    where.push('owner = @owner COLLATE NOCASE');
  }
  if (query.finding) {
    const t = now.getTime();
    Object.assign(params, { now: now.toISOString(), in7: new Date(t + 7 * DAY_MS).toISOString(), in30: new Date(t + 30 * DAY_MS).toISOString() });
    where.push(`status <> 'revoked' AND (${FINDING_SQL[query.finding]})`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const order = `${SORT_COLUMNS[query.sort]} ${query.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, id`;
  // One pass: the window count is taken before LIMIT, so the search runs once for page and total.
  const rows = db
    .prepare(`SELECT id, count(*) OVER () AS total FROM credentials c ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: query.limit, offset: query.offset }) as { id: string; total: number }[];
  if (rows.length === 0 && query.offset > 0) {
    // Past the end: the page is empty but the total is still wanted.
    return { ids: [], total: db.prepare(`SELECT count(*) FROM credentials c ${clause}`).pluck().get(params) as number };
  }
  return { ids: rows.map((row) => row.id), total: rows[0]?.total ?? 0 };
}
