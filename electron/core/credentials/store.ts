/**
 * The inventory's storage: every change goes through the vault's audited write, the secret is
 * sealed to its row, field and secret version, and what comes back out is a summary without it.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { CredentialFields, CredentialHistoryEntry, CredentialSummary, credentialQuery } from '../../../shared/credentials';
import { credentialProblems } from '../../../shared/credentials';
import { CoreError } from '../errors';
import type { OpenVault, WriteTx } from '../vault/open-vault';
import type { SealBinding } from '../vault/seal';
import { statement } from '../vault/statements';
import { displayFingerprint, fingerprintSecret } from './fingerprint';
import { describeChanges } from './changes';
import { assessHealth, CLIENT_SIDE, isBroadScope, RETIRED } from './health';
import { queryCredentialIds } from './query';
import { searchText } from './search-text';
import { signingKeyThumbprint } from './signing-key';

interface CredentialRow {
  id: string;
  name: string;
  kind: CredentialFields['kind'];
  provider: CredentialFields['provider'];
  owner: string | null;
  environment: string;
  tenant: string | null;
  scopes: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  last_rotated_at: string | null;
  rotation_policy_days: number | null;
  status: CredentialFields['status'];
  auth_server_id: string | null;
  client_id: string | null;
  notes: string;
  tags: string;
  secret: Buffer | null;
  secret_version: number;
  fingerprint: string | null;
  public_thumbprint: string | null;
  version: number;
  updated_at: string;
}

interface LocationRow {
  kind: CredentialFields['locations'][number]['kind'];
  label: string;
  environment: string;
  confirmed_at: string | null;
}

const secretBinding = (id: string, secretVersion: number): SealBinding => ({ table: 'credentials', recordId: id, field: 'secret', version: secretVersion });

const RETIRED_SQL = [...RETIRED].map((status) => `'${status}'`).join(', ');

const utc = (iso: string) => new Date(iso).toISOString();
const utcOrNull = (iso: string | null) => (iso === null ? null : utc(iso));

/** Checks what the schema cannot, and stores every date as UTC ISO so SQL can compare them as text. */
function validate(fields: CredentialFields, now: Date): CredentialFields {
  const [problem] = credentialProblems(fields, now);
  if (problem) throw new CoreError('CREDENTIAL_INVALID', problem.message.charAt(0).toUpperCase() + problem.message.slice(1) + '.');
  return {
    ...fields,
    createdAt: utc(fields.createdAt),
    expiresAt: utcOrNull(fields.expiresAt),
    lastUsedAt: utcOrNull(fields.lastUsedAt),
    lastRotatedAt: utcOrNull(fields.lastRotatedAt),
    locations: fields.locations.map((location) => ({ ...location, confirmedAt: utcOrNull(location.confirmedAt) })),
  };
}

function findRow(vault: OpenVault, id: string): CredentialRow {
  const row = statement(vault.db, 'SELECT * FROM credentials WHERE id = ?').get(id) as CredentialRow | undefined;
  if (!row) throw new CoreError('CREDENTIAL_NOT_FOUND', 'That credential no longer exists. Reload the inventory.');
  return row;
}

function toLocation(l: LocationRow): CredentialFields['locations'][number] {
  return { kind: l.kind, label: l.label, environment: l.environment, confirmedAt: l.confirmed_at };
}

/** Locations of the given credentials (all when null), grouped by credential, in their order. */
function locationsByCredential(vault: OpenVault, ids: string[] | null): Map<string, CredentialFields['locations']> {
  const rows = (
    ids === null
      ? statement(vault.db, 'SELECT credential_id, kind, label, environment, confirmed_at FROM credential_locations ORDER BY credential_id, position').all()
      : statement(
          vault.db,
          'SELECT credential_id, kind, label, environment, confirmed_at FROM credential_locations WHERE credential_id IN (SELECT value FROM json_each(?)) ORDER BY credential_id, position',
        ).all(JSON.stringify(ids))
  ) as (LocationRow & { credential_id: string })[];
  const grouped = new Map<string, CredentialFields['locations']>();
  for (const row of rows) {
    const list = grouped.get(row.credential_id);
    if (list) list.push(toLocation(row));
    else grouped.set(row.credential_id, [toLocation(row)]);
  }
  return grouped;
}

function fieldsFromRow(row: CredentialRow, locations: CredentialFields['locations']): CredentialFields {
  return {
    name: row.name,
    kind: row.kind,
    provider: row.provider,
    owner: row.owner,
    environment: row.environment,
    tenant: row.tenant,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    lastRotatedAt: row.last_rotated_at,
    rotationPolicyDays: row.rotation_policy_days,
    status: row.status,
    authServerId: row.auth_server_id,
    clientId: row.client_id,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
    locations,
  };
}

function fieldsOf(vault: OpenVault, row: CredentialRow): CredentialFields {
  return fieldsFromRow(row, locationsByCredential(vault, [row.id]).get(row.id) ?? []);
}

/**
 * Summaries of a page of credentials with three queries in all, whatever the page size: the rows,
 * their locations, and the environments sharing each fingerprint.
 */
function summariseMany(vault: OpenVault, ids: string[], now: Date): CredentialSummary[] {
  if (ids.length === 0) return [];
  const list = JSON.stringify(ids);
  const rows = statement(vault.db, 'SELECT c.* FROM json_each(?) j JOIN credentials c ON c.id = j.value ORDER BY j.key').all(list) as CredentialRow[];
  const locations = locationsByCredential(vault, ids);
  const sharing = statement(
    vault.db,
    `SELECT p.id, o.environment FROM credentials p JOIN credentials o ON o.fingerprint = p.fingerprint AND o.id <> p.id AND o.status NOT IN (${RETIRED_SQL})
     WHERE p.id IN (SELECT value FROM json_each(?)) AND p.fingerprint IS NOT NULL`,
  ).all(list) as { id: string; environment: string }[];
  const shared = new Map<string, string[]>();
  for (const { id, environment } of sharing) shared.set(id, [...(shared.get(id) ?? []), environment]);
  return rows.map((row) => {
    const fields = fieldsFromRow(row, locations.get(row.id) ?? []);
    return {
      id: row.id,
      ...fields,
      hasSecret: row.secret !== null,
      fingerprint: row.fingerprint ? displayFingerprint(row.fingerprint) : null,
      publicThumbprint: row.public_thumbprint,
      findings: assessHealth(fields, { now, sharedWithEnvironments: shared.get(row.id) ?? [] }),
      version: row.version,
      updatedAt: row.updated_at,
    };
  });
}

function summarise(vault: OpenVault, row: CredentialRow, now: Date): CredentialSummary {
  return summariseMany(vault, [row.id], now)[0];
}

interface SealedSecret {
  sealed: Buffer | null;
  version: number;
  fingerprint: string | null;
  thumbprint: string | null;
}

function writeRow(tx: WriteTx, id: string, fields: CredentialFields, secret: SealedSecret, version: number, at: string): void {
  const search = searchText(fields);
  try {
    statement(tx.db, 
        `INSERT INTO credentials (id, name, kind, provider, owner, environment, tenant, scopes, created_at, expires_at, last_used_at, last_rotated_at,
           rotation_policy_days, status, auth_server_id, client_id, notes, tags, secret, secret_version, fingerprint, public_thumbprint, version, updated_at,
           broad_scopes, client_side_copy, unconfirmed_locations, search_text)
         VALUES (@id, @name, @kind, @provider, @owner, @environment, @tenant, @scopes, @createdAt, @expiresAt, @lastUsedAt, @lastRotatedAt,
           @rotationPolicyDays, @status, @authServerId, @clientId, @notes, @tags, @secret, @secretVersion, @fingerprint, @thumbprint, @version, @at,
           @broadScopes, @clientSideCopy, @unconfirmedLocations, @search)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, provider = excluded.provider, owner = excluded.owner,
           environment = excluded.environment, tenant = excluded.tenant, scopes = excluded.scopes, created_at = excluded.created_at,
           expires_at = excluded.expires_at, last_used_at = excluded.last_used_at, last_rotated_at = excluded.last_rotated_at,
           rotation_policy_days = excluded.rotation_policy_days, status = excluded.status, auth_server_id = excluded.auth_server_id,
           client_id = excluded.client_id, notes = excluded.notes, tags = excluded.tags, secret = excluded.secret,
           secret_version = excluded.secret_version, fingerprint = excluded.fingerprint, public_thumbprint = excluded.public_thumbprint,
           version = excluded.version, updated_at = excluded.updated_at, broad_scopes = excluded.broad_scopes,
           client_side_copy = excluded.client_side_copy, unconfirmed_locations = excluded.unconfirmed_locations, search_text = excluded.search_text`,
      )
      .run({
        ...fields,
        id,
        scopes: JSON.stringify(fields.scopes),
        tags: JSON.stringify(fields.tags),
        secret: secret.sealed,
        secretVersion: secret.version,
        fingerprint: secret.fingerprint,
        thumbprint: secret.thumbprint,
        version,
        at,
        // The flags migration 005 keeps beside the row for the finding filters and the header.
        broadScopes: Number(fields.scopes.some(isBroadScope)),
        clientSideCopy: Number(fields.locations.some((l) => CLIENT_SIDE.has(l.kind))),
        unconfirmedLocations: Number(fields.locations.some((l) => !l.confirmedAt)),
        search,
      });
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new CoreError('CREDENTIAL_DUPLICATE', `A credential named "${fields.name}" already exists in ${fields.environment}. Choose another name or edit that one.`);
    }
    throw error;
  }
  // The trigram index (migration 004) holds the row's search_text under its rowid: keep them in step.
  const rowid = statement(tx.db, 'SELECT rowid FROM credentials WHERE id = ?').pluck().get(id) as number;
  statement(tx.db, 'DELETE FROM credential_search WHERE rowid = ?').run(rowid);
  statement(tx.db, 'INSERT INTO credential_search (rowid, text) VALUES (?, ?)').run(rowid, search);
  statement(tx.db, 'DELETE FROM credential_locations WHERE credential_id = ?').run(id);
  const insert = statement(tx.db, 'INSERT INTO credential_locations (credential_id, position, kind, label, environment, confirmed_at) VALUES (?, ?, ?, ?, ?, ?)');
  fields.locations.forEach((l, position) => insert.run(id, position, l.kind, l.label, l.environment, l.confirmedAt));
}

/**
 * Recomputes the shared-across-environments flag of every credential holding one of these
 * fingerprints: a write to one credential can change it for the others with the same secret.
 */
function refreshSharedFlags(tx: WriteTx, fingerprints: (string | null)[]): void {
  const distinct = [...new Set(fingerprints.filter((f): f is string => f !== null))];
  if (distinct.length === 0) return;
  // Live copies only, and environments compared as the unique index and filters compare them.
  statement(
    tx.db,
    `UPDATE credentials SET shared_environments = (
       SELECT count(DISTINCT lower(o.environment)) FROM credentials o WHERE o.fingerprint = credentials.fingerprint AND o.status NOT IN (${RETIRED_SQL})) > 1
     WHERE fingerprint IN (SELECT value FROM json_each(?))`,
  ).run(JSON.stringify(distinct));
}

function recordHistory(tx: WriteTx, id: string, at: string, action: string, note: string | null, detail: Record<string, unknown> = {}): void {
  statement(tx.db, 'INSERT INTO credential_history (credential_id, at, action, note, detail) VALUES (?, ?, ?, ?, ?)').run(id, at, action, note, JSON.stringify(detail));
}

async function prepareSecret(vault: OpenVault, id: string, kind: CredentialFields['kind'], secret: string, version: number): Promise<SealedSecret> {
  const thumbprint = kind === 'signing_key' ? await signingKeyThumbprint(secret) : null;
  return {
    sealed: vault.sealSecret(secret, secretBinding(id, version)),
    version,
    fingerprint: fingerprintSecret(vault.fingerprintKey, secret),
    thumbprint,
  };
}

export async function createCredential(vault: OpenVault, input: CredentialFields, secret: string | null, now: Date): Promise<CredentialSummary> {
  const fields = validate(input, now);
  const id = randomUUID();
  const sealed = secret === null ? { sealed: null, version: 0, fingerprint: null, thumbprint: null } : await prepareSecret(vault, id, fields.kind, secret, 1);
  const at = now.toISOString();
  vault.write((tx) => {
    writeRow(tx, id, fields, sealed, 1, at);
    refreshSharedFlags(tx, [sealed.fingerprint]);
    recordHistory(tx, id, at, 'created', null);
    tx.audit({ action: 'credential.created', target: id, detail: { name: fields.name, kind: fields.kind, environment: fields.environment, fingerprint: sealed.fingerprint && displayFingerprint(sealed.fingerprint) } });
  });
  return summarise(vault, findRow(vault, id), now);
}

/**
 * Replaces a credential's fields (and its secret when one is given), refusing if someone changed
 * it since `expectedVersion` was read, so two windows never overwrite each other silently.
 */
export async function updateCredential(vault: OpenVault, id: string, expectedVersion: number, input: CredentialFields, secret: string | undefined, now: Date): Promise<CredentialSummary> {
  const fields = validate(input, now);
  const before = findRow(vault, id);
  const nextSecretVersion = before.secret_version + 1;
  const replaced = secret === undefined ? null : await prepareSecret(vault, id, fields.kind, secret, nextSecretVersion);
  const at = now.toISOString();
  vault.write((tx) => {
    const current = findRow(vault, id);
    if (current.version !== expectedVersion) {
      throw new CoreError('CREDENTIAL_CONFLICT', 'Someone changed this credential after you opened it. Reload it and apply your change again.');
    }
    // A signing key's secret is checked to be a private key when it is given; a kind change to or
    // from signing key with the old secret would skip that check or keep a stale thumbprint.
    if (!replaced && current.kind !== fields.kind && (current.kind === 'signing_key' || (fields.kind === 'signing_key' && current.secret !== null))) {
      throw new CoreError('CREDENTIAL_INVALID', 'Changing the kind to or from signing key needs the secret again: paste it with the change.');
    }
    const kept = { sealed: current.secret, version: current.secret_version, fingerprint: current.fingerprint, thumbprint: current.public_thumbprint };
    const changes = describeChanges(fieldsOf(vault, current), fields);
    if (replaced) changes.push(`secret replaced: ${replaced.fingerprint ? displayFingerprint(replaced.fingerprint) : ''}`.trim());
    writeRow(tx, id, fields, replaced ?? kept, current.version + 1, at);
    refreshSharedFlags(tx, [current.fingerprint, replaced?.fingerprint ?? null]);
    recordHistory(tx, id, at, replaced ? 'secret-replaced' : 'edited', null, { changes });
    tx.audit({ action: replaced ? 'credential.secretReplaced' : 'credential.edited', target: id, detail: { name: fields.name, version: current.version + 1, changes } });
  });
  return summarise(vault, findRow(vault, id), now);
}

export function listCredentials(vault: OpenVault, query: z.output<typeof credentialQuery>, now: Date): { credentials: CredentialSummary[]; total: number } {
  const { ids, total } = queryCredentialIds(vault.db, query, now);
  return { credentials: summariseMany(vault, ids, now), total };
}

/**
 * Adds many credentials in one transaction with one audit entry: all of them or none. The import
 * screen and the bench use it; each row is validated as create would.
 */
export async function insertCredentials(vault: OpenVault, rows: { fields: CredentialFields; secret: string | null }[], now: Date, source: string): Promise<string[]> {
  const prepared: { id: string; fields: CredentialFields; secret: SealedSecret }[] = [];
  for (const row of rows) {
    const id = randomUUID();
    const fields = validate(row.fields, now);
    const secret = row.secret === null ? { sealed: null, version: 0, fingerprint: null, thumbprint: null } : await prepareSecret(vault, id, fields.kind, row.secret, 1);
    prepared.push({ id, fields, secret });
  }
  const at = now.toISOString();
  vault.write((tx) => {
    for (const { id, fields, secret } of prepared) {
      writeRow(tx, id, fields, secret, 1, at);
      recordHistory(tx, id, at, 'imported', null, { source });
    }
    refreshSharedFlags(tx, prepared.map((p) => p.secret.fingerprint));
    tx.audit({ action: 'credential.imported', detail: { count: prepared.length, source } });
  });
  return prepared.map((p) => p.id);
}

export function getCredential(vault: OpenVault, id: string, now: Date): { credential: CredentialSummary; history: CredentialHistoryEntry[] } {
  const credential = summarise(vault, findRow(vault, id), now);
  const rows = statement(vault.db, 'SELECT at, action, note, detail FROM credential_history WHERE credential_id = ? ORDER BY id DESC').all(id) as (Omit<CredentialHistoryEntry, 'changes'> & { detail: string })[];
  const history = rows.map(({ detail, ...entry }) => ({ ...entry, changes: ((JSON.parse(detail) as { changes?: string[] }).changes ?? []) }));
  return { credential, history };
}

/** Marks a credential rotated (now) or revoked, with the responder's note, in its history and the audit log. */
export function markCredential(vault: OpenVault, id: string, as: 'rotated' | 'revoked', note: string, now: Date): CredentialSummary {
  const at = now.toISOString();
  vault.write((tx) => {
    const row = findRow(vault, id);
    if (row.status === 'revoked') {
      throw new CoreError('CREDENTIAL_INVALID', `"${row.name}" is already revoked. A replacement is a new credential: add it, with its own secret.`);
    }
    const fields = fieldsOf(vault, row);
    const next: CredentialFields = as === 'rotated' ? { ...fields, lastRotatedAt: at, status: 'active' } : { ...fields, status: 'revoked' };
    writeRow(tx, id, next, { sealed: row.secret, version: row.secret_version, fingerprint: row.fingerprint, thumbprint: row.public_thumbprint }, row.version + 1, at);
    refreshSharedFlags(tx, [row.fingerprint]);
    recordHistory(tx, id, at, as, note || null);
    tx.audit({ action: `credential.${as}`, target: id, detail: { name: row.name, note } });
  });
  return summarise(vault, findRow(vault, id), now);
}

/** A new secret that a server issued (a regenerated client secret): sealed and marked rotated together. */
export async function rotateCredentialSecret(vault: OpenVault, id: string, secret: string, note: string, now: Date): Promise<CredentialSummary> {
  const before = findRow(vault, id);
  const replaced = await prepareSecret(vault, id, before.kind, secret, before.secret_version + 1);
  const at = now.toISOString();
  vault.write((tx) => {
    const row = findRow(vault, id);
    const changes = [`secret replaced: ${displayFingerprint(replaced.fingerprint!)}`];
    writeRow(tx, id, { ...fieldsOf(vault, row), lastRotatedAt: at, status: 'active' }, replaced, row.version + 1, at);
    refreshSharedFlags(tx, [row.fingerprint, replaced.fingerprint]);
    recordHistory(tx, id, at, 'rotated', note, { changes });
    tx.audit({ action: 'credential.rotated', target: id, detail: { name: row.name, note, changes } });
  });
  return summarise(vault, findRow(vault, id), now);
}

/** Each use of a secret is audited for what it was opened for; pairing a DPoP proof in Compare is told apart from the verdict beside it. */
const OPENED_FOR = { reveal: 'credential.revealed', copy: 'credential.copied', verify: 'credential.usedToVerify', verifyPairing: 'credential.usedToPairDpop', clientAuth: 'credential.usedForClientAuth', revoke: 'credential.sentForRevocation' } as const;

/** The secret itself, on purpose: every call leaves an audit entry saying why it was opened. */
export function openCredentialSecret(vault: OpenVault, id: string, purpose: keyof typeof OPENED_FOR): string {
  return openCredential(vault, id, purpose).secret;
}

/** The secret with the kind and name it is used as (a signing key's public half, or an HMAC key). */
export function openCredential(vault: OpenVault, id: string, purpose: keyof typeof OPENED_FOR): { secret: string; kind: CredentialFields['kind']; name: string } {
  const row = findRow(vault, id);
  if (!row.secret) throw new CoreError('CREDENTIAL_NOT_FOUND', 'No secret is recorded for this credential.');
  const secret = vault.openSealed(row.secret, secretBinding(id, row.secret_version)).toString('utf8');
  vault.write((tx) => tx.audit({ action: OPENED_FOR[purpose], target: id, detail: { name: row.name, fingerprint: row.fingerprint && displayFingerprint(row.fingerprint) } }));
  return { secret, kind: row.kind, name: row.name };
}

/**
 * Every credential's fields, in name order, and its secret opened only when asked for (the
 * encrypted export). The caller audits the export as one action.
 */
export function readInventory(vault: OpenVault, withSecrets: boolean): { fields: CredentialFields; secret: string | null }[] {
  const rows = statement(vault.db, 'SELECT * FROM credentials ORDER BY name COLLATE NOCASE, environment COLLATE NOCASE').all() as CredentialRow[];
  const locations = locationsByCredential(vault, null);
  return rows.map((row) => ({
    fields: fieldsFromRow(row, locations.get(row.id) ?? []),
    secret: withSecrets && row.secret ? vault.openSealed(row.secret, secretBinding(row.id, row.secret_version)).toString('utf8') : null,
  }));
}
