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
import { displayFingerprint, fingerprintSecret } from './fingerprint';
import { assessHealth } from './health';
import { queryCredentialIds } from './query';
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

const utc = (iso: string) => new Date(iso).toISOString();
const utcOrNull = (iso: string | null) => (iso === null ? null : utc(iso));

/** Checks what the schema cannot, and stores every date as UTC ISO so SQL can compare them as text. */
function validate(fields: CredentialFields): CredentialFields {
  const [problem] = credentialProblems(fields);
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
  const row = vault.db.prepare('SELECT * FROM credentials WHERE id = ?').get(id) as CredentialRow | undefined;
  if (!row) throw new CoreError('CREDENTIAL_NOT_FOUND', 'That credential no longer exists. Reload the inventory.');
  return row;
}

function fieldsOf(vault: OpenVault, row: CredentialRow): CredentialFields {
  const locations = vault.db.prepare('SELECT kind, label, environment, confirmed_at FROM credential_locations WHERE credential_id = ? ORDER BY position').all(row.id) as LocationRow[];
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
    locations: locations.map((l) => ({ kind: l.kind, label: l.label, environment: l.environment, confirmedAt: l.confirmed_at })),
  };
}

function summarise(vault: OpenVault, row: CredentialRow, now: Date): CredentialSummary {
  const fields = fieldsOf(vault, row);
  const shared = row.fingerprint
    ? (vault.db.prepare('SELECT environment FROM credentials WHERE fingerprint = ? AND id <> ?').pluck().all(row.fingerprint, row.id) as string[])
    : [];
  return {
    id: row.id,
    ...fields,
    hasSecret: row.secret !== null,
    fingerprint: row.fingerprint ? displayFingerprint(row.fingerprint) : null,
    publicThumbprint: row.public_thumbprint,
    findings: assessHealth(fields, { now, sharedWithEnvironments: shared }),
    version: row.version,
    updatedAt: row.updated_at,
  };
}

interface SealedSecret {
  sealed: Buffer | null;
  version: number;
  fingerprint: string | null;
  thumbprint: string | null;
}

function writeRow(tx: WriteTx, id: string, fields: CredentialFields, secret: SealedSecret, version: number, at: string): void {
  try {
    tx.db
      .prepare(
        `INSERT INTO credentials (id, name, kind, provider, owner, environment, tenant, scopes, created_at, expires_at, last_used_at, last_rotated_at,
           rotation_policy_days, status, auth_server_id, client_id, notes, tags, secret, secret_version, fingerprint, public_thumbprint, version, updated_at)
         VALUES (@id, @name, @kind, @provider, @owner, @environment, @tenant, @scopes, @createdAt, @expiresAt, @lastUsedAt, @lastRotatedAt,
           @rotationPolicyDays, @status, @authServerId, @clientId, @notes, @tags, @secret, @secretVersion, @fingerprint, @thumbprint, @version, @at)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, provider = excluded.provider, owner = excluded.owner,
           environment = excluded.environment, tenant = excluded.tenant, scopes = excluded.scopes, created_at = excluded.created_at,
           expires_at = excluded.expires_at, last_used_at = excluded.last_used_at, last_rotated_at = excluded.last_rotated_at,
           rotation_policy_days = excluded.rotation_policy_days, status = excluded.status, auth_server_id = excluded.auth_server_id,
           client_id = excluded.client_id, notes = excluded.notes, tags = excluded.tags, secret = excluded.secret,
           secret_version = excluded.secret_version, fingerprint = excluded.fingerprint, public_thumbprint = excluded.public_thumbprint,
           version = excluded.version, updated_at = excluded.updated_at`,
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
      });
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
      throw new CoreError('CREDENTIAL_DUPLICATE', `A credential named "${fields.name}" already exists in ${fields.environment}. Choose another name or edit that one.`);
    }
    throw error;
  }
  // The same text migration 004 indexes, under the row's rowid: keep the two in step.
  const rowid = tx.db.prepare('SELECT rowid FROM credentials WHERE id = ?').pluck().get(id) as number;
  tx.db.prepare('DELETE FROM credential_search WHERE rowid = ?').run(rowid);
  tx.db
    .prepare('INSERT INTO credential_search (rowid, text) VALUES (?, ?)')
    .run(rowid, [fields.name, fields.owner, fields.tenant, fields.clientId, fields.environment, JSON.stringify(fields.tags), JSON.stringify(fields.scopes)].filter((v) => v !== null).join('\n'));
  tx.db.prepare('DELETE FROM credential_locations WHERE credential_id = ?').run(id);
  const insert = tx.db.prepare('INSERT INTO credential_locations (credential_id, position, kind, label, environment, confirmed_at) VALUES (?, ?, ?, ?, ?, ?)');
  fields.locations.forEach((l, position) => insert.run(id, position, l.kind, l.label, l.environment, l.confirmedAt));
}

function recordHistory(tx: WriteTx, id: string, at: string, action: string, note: string | null, detail: Record<string, unknown> = {}): void {
  tx.db.prepare('INSERT INTO credential_history (credential_id, at, action, note, detail) VALUES (?, ?, ?, ?, ?)').run(id, at, action, note, JSON.stringify(detail));
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
  const fields = validate(input);
  const id = randomUUID();
  const sealed = secret === null ? { sealed: null, version: 0, fingerprint: null, thumbprint: null } : await prepareSecret(vault, id, fields.kind, secret, 1);
  const at = now.toISOString();
  vault.write((tx) => {
    writeRow(tx, id, fields, sealed, 1, at);
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
  const fields = validate(input);
  const before = findRow(vault, id);
  const nextSecretVersion = before.secret_version + 1;
  const replaced = secret === undefined ? null : await prepareSecret(vault, id, fields.kind, secret, nextSecretVersion);
  const at = now.toISOString();
  vault.write((tx) => {
    const current = findRow(vault, id);
    if (current.version !== expectedVersion) {
      throw new CoreError('CREDENTIAL_CONFLICT', 'Someone changed this credential after you opened it. Reload it and apply your change again.');
    }
    if (!replaced && current.kind !== fields.kind && current.kind === 'signing_key') {
      throw new CoreError('CREDENTIAL_INVALID', 'Changing the kind of a signing key needs its secret again.');
    }
    const kept = { sealed: current.secret, version: current.secret_version, fingerprint: current.fingerprint, thumbprint: current.public_thumbprint };
    writeRow(tx, id, fields, replaced ?? kept, current.version + 1, at);
    recordHistory(tx, id, at, replaced ? 'secret-replaced' : 'edited', null);
    tx.audit({ action: replaced ? 'credential.secretReplaced' : 'credential.edited', target: id, detail: { name: fields.name, version: current.version + 1 } });
  });
  return summarise(vault, findRow(vault, id), now);
}

export function listCredentials(vault: OpenVault, query: z.output<typeof credentialQuery>, now: Date): { credentials: CredentialSummary[]; total: number } {
  const { ids, total } = queryCredentialIds(vault.db, query, now);
  return { credentials: ids.map((id) => summarise(vault, findRow(vault, id), now)), total };
}

/**
 * Adds many credentials in one transaction with one audit entry: all of them or none. The import
 * screen and the bench use it; each row is validated as create would.
 */
export async function insertCredentials(vault: OpenVault, rows: { fields: CredentialFields; secret: string | null }[], now: Date, source: string): Promise<string[]> {
  const prepared: { id: string; fields: CredentialFields; secret: SealedSecret }[] = [];
  for (const row of rows) {
    const id = randomUUID();
    const fields = validate(row.fields);
    const secret = row.secret === null ? { sealed: null, version: 0, fingerprint: null, thumbprint: null } : await prepareSecret(vault, id, fields.kind, row.secret, 1);
    prepared.push({ id, fields, secret });
  }
  const at = now.toISOString();
  vault.write((tx) => {
    for (const { id, fields, secret } of prepared) {
      writeRow(tx, id, fields, secret, 1, at);
      recordHistory(tx, id, at, 'imported', null, { source });
    }
    tx.audit({ action: 'credential.imported', detail: { count: prepared.length, source } });
  });
  return prepared.map((p) => p.id);
}

export function getCredential(vault: OpenVault, id: string, now: Date): { credential: CredentialSummary; history: CredentialHistoryEntry[] } {
  const credential = summarise(vault, findRow(vault, id), now);
  const history = vault.db.prepare('SELECT at, action, note FROM credential_history WHERE credential_id = ? ORDER BY id DESC').all(id) as CredentialHistoryEntry[];
  return { credential, history };
}

/** Marks a credential rotated (now) or revoked, with the responder's note, in its history and the audit log. */
export function markCredential(vault: OpenVault, id: string, as: 'rotated' | 'revoked', note: string, now: Date): CredentialSummary {
  const at = now.toISOString();
  vault.write((tx) => {
    const row = findRow(vault, id);
    const fields = fieldsOf(vault, row);
    const next: CredentialFields = as === 'rotated' ? { ...fields, lastRotatedAt: at, status: 'active' } : { ...fields, status: 'revoked' };
    writeRow(tx, id, next, { sealed: row.secret, version: row.secret_version, fingerprint: row.fingerprint, thumbprint: row.public_thumbprint }, row.version + 1, at);
    recordHistory(tx, id, at, as, note || null);
    tx.audit({ action: `credential.${as}`, target: id, detail: { name: row.name, note } });
  });
  return summarise(vault, findRow(vault, id), now);
}

/** The secret itself, on purpose: every call leaves an audit entry saying why it was opened. */
export function openCredentialSecret(vault: OpenVault, id: string, purpose: 'reveal' | 'copy'): string {
  const row = findRow(vault, id);
  if (!row.secret) throw new CoreError('CREDENTIAL_NOT_FOUND', 'No secret is recorded for this credential.');
  const secret = vault.openSealed(row.secret, secretBinding(id, row.secret_version)).toString('utf8');
  vault.write((tx) => tx.audit({ action: purpose === 'reveal' ? 'credential.revealed' : 'credential.copied', target: id, detail: { name: row.name, fingerprint: row.fingerprint && displayFingerprint(row.fingerprint) } }));
  return secret;
}
