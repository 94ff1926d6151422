/**
 * The vault's record of authorization servers. The admin client's secret is sealed to its row and
 * version and comes back out only to authenticate a call; what leaves here for the screens is a
 * summary with a keyed fingerprint of it.
 */
import { randomUUID } from 'node:crypto';
import type { ServerFields, ServerSummary } from '../../../shared/servers';
import { displayFingerprint, fingerprintSecret } from '../credentials/fingerprint';
import { CoreError } from '../errors';
import type { OpenVault, WriteTx } from '../vault/open-vault';
import type { SealBinding } from '../vault/seal';
import { statement } from '../vault/statements';

export interface ServerRow {
  id: string;
  name: string;
  issuer: string;
  provider: ServerFields['provider'];
  realm: string | null;
  client_id: string;
  auth_method: ServerFields['authMethod'];
  client_secret: Buffer | null;
  secret_version: number;
  secret_fingerprint: string | null;
  signing_credential_id: string | null;
  extra_ca_pem: string | null;
  metadata: string | null;
  tested_at: string | null;
  jwks_checked_at: string | null;
  created_at: string;
  updated_at: string;
}

const secretBinding = (id: string, version: number): SealBinding => ({ table: 'servers', recordId: id, field: 'client_secret', version });

function toSummary(row: ServerRow): ServerSummary {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    provider: row.provider,
    realm: row.realm,
    clientId: row.client_id,
    authMethod: row.auth_method,
    signingCredentialId: row.signing_credential_id,
    extraCaPem: row.extra_ca_pem,
    secretFingerprint: row.secret_fingerprint && displayFingerprint(row.secret_fingerprint),
    testedAt: row.tested_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function listServers(vault: OpenVault): ServerSummary[] {
  return (statement(vault.db, 'SELECT * FROM servers ORDER BY name COLLATE NOCASE').all() as ServerRow[]).map(toSummary);
}

export function findServer(vault: OpenVault, id: string): ServerRow {
  const row = statement(vault.db, 'SELECT * FROM servers WHERE id = ?').get(id) as ServerRow | undefined;
  if (!row) throw new CoreError('SERVER_NOT_FOUND', 'That server is no longer in the vault. Reload the list.');
  return row;
}

export function serverSummary(vault: OpenVault, id: string): ServerSummary {
  return toSummary(findServer(vault, id));
}

/** The admin client's secret, opened to authenticate a call. */
export function openClientSecret(row: ServerRow, vault: OpenVault): string {
  if (!row.client_secret) throw new CoreError('SERVER_REFUSED', `No client secret is recorded for ${row.name}. Edit the server and enter it.`);
  return vault.openSealed(row.client_secret, secretBinding(row.id, row.secret_version)).toString('utf8');
}

function checkSigningKey(tx: WriteTx, fields: ServerFields): void {
  if (fields.authMethod !== 'private_key_jwt') return;
  const key = tx.db.prepare('SELECT kind, secret FROM credentials WHERE id = ?').get(fields.signingCredentialId) as { kind: string; secret: Buffer | null } | undefined;
  if (!key) throw new CoreError('CREDENTIAL_NOT_FOUND', 'The signing key chosen for private_key_jwt is not in the vault.');
  if (key.kind !== 'signing_key' || !key.secret) throw new CoreError('CREDENTIAL_INVALID', 'private_key_jwt needs a signing key credential that holds the private key.');
}

function uniqueName<T>(name: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new CoreError('SERVER_DUPLICATE', `A server named "${name}" already exists. Choose another name.`);
    throw error;
  }
}

/** Secret methods need a secret; private_key_jwt keeps none (the key lives in the inventory). */
function secretFor(fields: ServerFields, given: string | undefined, existing: boolean): string | null | 'keep' {
  if (fields.authMethod === 'private_key_jwt') return null;
  if (given !== undefined) return given.trim();
  if (existing) return 'keep';
  throw new CoreError('CREDENTIAL_INVALID', `${fields.authMethod} needs the admin client's secret.`);
}

function auditDetail(fields: ServerFields) {
  return { name: fields.name, issuer: fields.issuer, provider: fields.provider, clientId: fields.clientId, authMethod: fields.authMethod };
}

export function addServer(vault: OpenVault, fields: ServerFields, clientSecret: string | undefined, now: Date): ServerSummary {
  const id = randomUUID();
  const at = now.toISOString();
  const secret = secretFor(fields, clientSecret, false) as string | null;
  vault.write((tx) => {
    checkSigningKey(tx, fields);
    uniqueName(fields.name, () =>
      tx.db
        .prepare(
          `INSERT INTO servers (id, name, issuer, provider, realm, client_id, auth_method, client_secret, secret_version, secret_fingerprint,
             signing_credential_id, extra_ca_pem, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id, fields.name, fields.issuer, fields.provider, fields.provider === 'keycloak' ? fields.realm : null, fields.clientId, fields.authMethod,
          secret === null ? null : vault.sealSecret(secret, secretBinding(id, 1)), secret === null ? 0 : 1,
          secret === null ? null : fingerprintSecret(vault.fingerprintKey, secret),
          fields.authMethod === 'private_key_jwt' ? fields.signingCredentialId : null, fields.extraCaPem, at, at,
        ),
    );
    tx.audit({ action: 'server.added', target: id, detail: auditDetail(fields) });
  });
  return serverSummary(vault, id);
}

export function updateServer(vault: OpenVault, id: string, fields: ServerFields, clientSecret: string | undefined, now: Date): ServerSummary {
  vault.write((tx) => {
    const row = findServer(vault, id);
    checkSigningKey(tx, fields);
    const secret = secretFor(fields, clientSecret, row.client_secret !== null);
    const version = secret === 'keep' ? row.secret_version : secret === null ? 0 : row.secret_version + 1;
    const sealed = secret === 'keep' ? row.client_secret : secret === null ? null : vault.sealSecret(secret, secretBinding(id, version));
    const fingerprint = secret === 'keep' ? row.secret_fingerprint : secret === null ? null : fingerprintSecret(vault.fingerprintKey, secret);
    // A new issuer or CA means what discovery found before may not hold: test again.
    const sameServer = row.issuer === fields.issuer && row.extra_ca_pem === fields.extraCaPem;
    uniqueName(fields.name, () =>
      tx.db
        .prepare(
          `UPDATE servers SET name = ?, issuer = ?, provider = ?, realm = ?, client_id = ?, auth_method = ?, client_secret = ?, secret_version = ?,
             secret_fingerprint = ?, signing_credential_id = ?, extra_ca_pem = ?, metadata = ?, tested_at = ?, updated_at = ? WHERE id = ?`,
        )
        .run(
          fields.name, fields.issuer, fields.provider, fields.provider === 'keycloak' ? fields.realm : null, fields.clientId, fields.authMethod, sealed, version,
          fingerprint, fields.authMethod === 'private_key_jwt' ? fields.signingCredentialId : null, fields.extraCaPem,
          sameServer ? row.metadata : null, sameServer ? row.tested_at : null, now.toISOString(), id,
        ),
    );
    tx.audit({ action: 'server.changed', target: id, detail: { ...auditDetail(fields), secretChanged: secret !== 'keep' } });
  });
  return serverSummary(vault, id);
}

/** After a provider regenerated the client secret: the new one is sealed at once, so it is never lost. */
export function replaceClientSecret(tx: WriteTx, vault: OpenVault, row: ServerRow, secret: string, now: Date): string {
  const version = row.secret_version + 1;
  const fingerprint = fingerprintSecret(vault.fingerprintKey, secret);
  tx.db
    .prepare('UPDATE servers SET client_secret = ?, secret_version = ?, secret_fingerprint = ?, updated_at = ? WHERE id = ?')
    .run(vault.sealSecret(secret, secretBinding(row.id, version)), version, fingerprint, now.toISOString(), row.id);
  return displayFingerprint(fingerprint);
}

export function deleteServer(vault: OpenVault, id: string): void {
  vault.write((tx) => {
    const row = findServer(vault, id);
    // A job under way keeps its server: deleting it would drop the job's record of every token.
    const live = tx.db.prepare("SELECT count(*) AS n FROM bulk_jobs WHERE server_id = ? AND state IN ('running', 'verifying', 'paused')").get(id) as { n: number };
    if (live.n > 0) throw new CoreError('SERVER_IN_USE', `${row.name} has ${live.n} bulk revocation job${live.n === 1 ? '' : 's'} not finished. Finish or cancel ${live.n === 1 ? 'it' : 'them'} first.`);
    tx.db.prepare('DELETE FROM servers WHERE id = ?').run(id);
    tx.audit({ action: 'server.deleted', target: id, detail: { name: row.name, issuer: row.issuer } });
  });
}

export function recordMetadata(vault: OpenVault, id: string, metadata: unknown, now: Date): void {
  vault.write((tx) => tx.db.prepare('UPDATE servers SET metadata = ?, tested_at = ? WHERE id = ?').run(JSON.stringify(metadata), now.toISOString(), id));
}
