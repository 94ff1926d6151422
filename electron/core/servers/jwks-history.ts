/**
 * The server's published keys over time. A snapshot is kept only when the key set changes, so the
 * history reads as "kid X appeared on …, kid Y disappeared on …" — the events a responder looks for
 * after a signing key is suspected — and every change lands in the audit log.
 */
import type { JwksView } from '../../../shared/servers';
import { CoreError } from '../errors';
import type { OpenVault } from '../vault/open-vault';
import { statement } from '../vault/statements';
import type { JwksKey, JwksRejected } from './jwks';

interface SnapshotRow {
  seq: number;
  fetched_at: string;
  keys: string;
  rejected: string;
}

const label = (key: JwksKey) => key.kid ?? `thumbprint ${key.thumbprint.slice(0, 12)}…`;

function keySet(keys: JwksKey[]): Set<string> {
  return new Set(keys.map((key) => key.thumbprint));
}

/** Records a fetch; returns whether the key set changed since the last snapshot. */
export function recordJwks(vault: OpenVault, serverId: string, keys: JwksKey[], rejected: JwksRejected[], now: Date): boolean {
  return vault.write((tx) => {
    const at = now.toISOString();
    tx.db.prepare('UPDATE servers SET jwks_checked_at = ? WHERE id = ?').run(at, serverId);
    const last = tx.db.prepare('SELECT * FROM jwks_snapshots WHERE server_id = ? ORDER BY seq DESC LIMIT 1').get(serverId) as SnapshotRow | undefined;
    const before = last ? (JSON.parse(last.keys) as JwksKey[]) : [];
    const [was, is] = [keySet(before), keySet(keys)];
    const changed = !last || was.size !== is.size || [...is].some((thumbprint) => !was.has(thumbprint)) || last.rejected !== JSON.stringify(rejected);
    if (!changed) return false;
    tx.db
      .prepare('INSERT INTO jwks_snapshots (server_id, seq, fetched_at, keys, rejected) VALUES (?, ?, ?, ?, ?)')
      .run(serverId, (last?.seq ?? 0) + 1, at, JSON.stringify(keys), JSON.stringify(rejected));
    tx.audit({
      action: 'server.jwksChanged',
      target: serverId,
      detail: { appeared: keys.filter((key) => !was.has(key.thumbprint)).map(label), disappeared: before.filter((key) => !is.has(key.thumbprint)).map(label), rejected: rejected.length },
    });
    return true;
  });
}

/** The newest snapshot's keys: what the inspector verifies against, offline. */
export function latestJwks(vault: OpenVault, serverId: string): { keys: JwksKey[]; fetchedAt: string } | null {
  const row = statement(vault.db, 'SELECT * FROM jwks_snapshots WHERE server_id = ? ORDER BY seq DESC LIMIT 1').get(serverId) as SnapshotRow | undefined;
  return row ? { keys: JSON.parse(row.keys) as JwksKey[], fetchedAt: row.fetched_at } : null;
}

/** For the inspector: the last fetched key set of a saved server, offline. */
export function serverJwksText(vault: OpenVault, serverId: string): { jwks: string; name: string; fetchedAt: string } {
  const server = statement(vault.db, 'SELECT name FROM servers WHERE id = ?').get(serverId) as { name: string } | undefined;
  if (!server) throw new CoreError('SERVER_NOT_FOUND', 'That server is no longer in the vault.');
  const latest = latestJwks(vault, serverId);
  if (!latest) throw new CoreError('SERVER_NOT_FOUND', `No JWKS of ${server.name} has been fetched yet. Open Servers and refresh its JWKS first.`);
  return { jwks: JSON.stringify({ keys: latest.keys.map((key) => key.jwk) }), name: server.name, fetchedAt: latest.fetchedAt };
}

export function jwksView(vault: OpenVault, serverId: string): JwksView {
  const rows = vault.db.prepare('SELECT * FROM jwks_snapshots WHERE server_id = ? ORDER BY seq').all(serverId) as SnapshotRow[];
  const checked = statement(vault.db, 'SELECT jwks_checked_at FROM servers WHERE id = ?').get(serverId) as { jwks_checked_at: string | null } | undefined;
  const history: JwksView['history'] = [];
  let before: JwksKey[] = [];
  for (const row of rows) {
    const keys = JSON.parse(row.keys) as JwksKey[];
    const [was, is] = [keySet(before), keySet(keys)];
    history.push({
      at: row.fetched_at,
      appeared: keys.filter((key) => !was.has(key.thumbprint)).map(label),
      disappeared: before.filter((key) => !is.has(key.thumbprint)).map(label),
      keyCount: keys.length,
    });
    before = keys;
  }
  const latest = rows[rows.length - 1];
  return {
    fetchedAt: latest?.fetched_at ?? null,
    checkedAt: checked?.jwks_checked_at ?? null,
    keys: before.map(({ kid, kty, alg, use, thumbprint }) => ({ kid, kty, alg, use, thumbprint })),
    rejected: latest ? (JSON.parse(latest.rejected) as JwksRejected[]) : [],
    history: history.reverse(),
  };
}
