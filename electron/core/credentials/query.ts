/**
 * Listing the inventory: text search, filters, sort and a page, in one SQL query so it stays fast
 * at 100,000 credentials. The health-finding filter states the rules of health.ts in SQL (dates are
 * stored as UTC ISO strings, so they compare as text), over the flags store.ts keeps beside each
 * row (migration 005); a test checks both give the same answer.
 */
import type { z } from 'zod';
import { HEALTH_CODES, type credentialQuery, type HealthCode, type HealthSummary } from '../../../shared/credentials';
import type { Db } from '../vault/database';
import { statement } from '../vault/statements';
import { DAY_MS, DEFAULT_ROTATION_DAYS, NEVER_ROTATED_GRACE_DAYS, RETIRED, SEVERITY, SHOULD_EXPIRE, UNUSED_DAYS } from './health';

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

// Ages compare as text against cut-offs computed once per query: stored dates are all UTC ISO
// strings from toISOString, so text order is time order, and no date function runs per row.
// "More than N whole days ago" (floor((now - t) / day) > N) is t <= now - (N + 1) days.
const ISO_MS = `'%Y-%m-%dT%H:%M:%fZ'`;

const FINDING_SQL: Record<HealthCode, string> = {
  EXPIRED: 'expires_at <= @now',
  EXPIRING_7D: 'expires_at > @now AND expires_at <= @in7',
  EXPIRING_30D: 'expires_at > @in7 AND expires_at <= @in30',
  NO_EXPIRY: `expires_at IS NULL AND kind IN (${quoted(SHOULD_EXPIRE)})`,
  STALE: `coalesce(last_rotated_at, created_at) <= (CASE WHEN rotation_policy_days IS NULL THEN @staleBefore
    ELSE strftime(${ISO_MS}, @now, '-' || (rotation_policy_days + 1) || ' days') END)`,
  NEVER_ROTATED: 'last_rotated_at IS NULL AND created_at <= @neverRotatedBefore',
  NO_OWNER: 'owner IS NULL',
  OVER_BROAD_SCOPES: 'broad_scopes = 1',
  SHARED_ACROSS_ENVIRONMENTS: 'shared_environments = 1',
  CLIENT_SIDE_COPY: 'client_side_copy = 1',
  UNUSED_90D: 'last_used_at <= @unusedBefore',
  LOCATIONS_UNCONFIRMED: 'unconfirmed_locations = 1',
};

function clockParams(now: Date): Record<string, string> {
  const at = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
  return {
    now: now.toISOString(),
    in7: at(7),
    in30: at(30),
    staleBefore: at(-(DEFAULT_ROTATION_DAYS + 1)),
    neverRotatedBefore: at(-(NEVER_ROTATED_GRACE_DAYS + 1)),
    unusedBefore: at(-(UNUSED_DAYS + 1)),
  };
}

/** Every finding's count over the credentials that are not revoked, in one pass over the table. */
export function healthCounts(db: Db, now: Date): HealthSummary {
  const sums = HEALTH_CODES.map((code) => `coalesce(sum(CASE WHEN ${FINDING_SQL[code]} THEN 1 ELSE 0 END), 0) AS ${code}`).join(', ');
  const row = statement(db, `SELECT count(*) AS total, ${sums} FROM credentials c WHERE status NOT IN (${quoted(RETIRED)})`).get(clockParams(now)) as Record<string, number>;
  return { total: row.total, findings: HEALTH_CODES.map((code) => ({ code, severity: SEVERITY[code], count: row[code] })) };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The ids on one page of the query, in order, and how many match in all. */
export function queryCredentialIds(db: Db, query: Query, now: Date): { ids: string[]; total: number } {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  const text = query.text.trim();
  let trigrams = false;
  if (text) {
    // search_text is lower-cased in JS (search-text.ts), so the pattern is too.
    const lower = text.toLowerCase();
    if (lower.length >= 3 && !/[\\%_]/.test(lower) && !query.environment) {
      // Across the whole inventory the trigram index answers LIKE for three characters or more.
      trigrams = true;
      params.text = `%${lower}%`;
      where.push('c.rowid IN (SELECT rowid FROM credential_search WHERE text LIKE @text)');
    } else {
      // Within an environment the covering index holds search_text beside the sort order: reading
      // that slice beats fetching every trigram match in the inventory.
      params.text = `%${escapeLike(lower)}%`;
      where.push(`search_text LIKE @text ESCAPE '\\'`);
    }
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
    Object.assign(params, clockParams(now));
    where.push(`status NOT IN (${quoted(RETIRED)}) AND (${FINDING_SQL[query.finding]})`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const order = `${SORT_COLUMNS[query.sort]} ${query.direction === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, id`;
  const page = { ...params, limit: query.limit, offset: query.offset };
  const count = () => statement(db, `SELECT count(*) FROM credentials c ${clause}`).pluck().get(params) as number;
  if (!trigrams) {
    // Without the trigram index the page can walk an index in order and stop at LIMIT, and the count is
    // a cheap index scan; a window count would make SQLite visit and sort every matching row.
    const ids = statement(db, `SELECT id FROM credentials c ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`).pluck().all(page) as string[];
    return { ids, total: count() };
  }
  // With it, the window count is taken before LIMIT, so the search runs once for page and total.
  const rows = statement(db, `SELECT id, count(*) OVER () AS total FROM credentials c ${clause} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all(page) as { id: string; total: number }[];
  // Past the end the page is empty, but the total is still wanted.
  if (rows.length === 0 && query.offset > 0) return { ids: [], total: count() };
  return { ids: rows.map((row) => row.id), total: rows[0]?.total ?? 0 };
}
