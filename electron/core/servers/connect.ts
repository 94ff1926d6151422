/**
 * From a server's row to a live connection: an HTTP client with the server's extra CA (kept per
 * server until the vault locks, so connections are reused across a bulk job), the metadata found
 * by discovery, and the admin client's authentication opened from the vault.
 */
import { createPrivateKey } from 'node:crypto';
import type { JWK } from 'jose';
import { openCredential } from '../credentials/store';
import { CoreError } from '../errors';
import type { OpenVault } from '../vault/open-vault';
import type { ClientAuth } from './client-auth';
import type { ServerConnection } from './connection';
import { discover, type ServerMetadata } from './discovery';
import { createHttpClient, type HttpClient } from './http';
import { findServer, openClientSecret, recordMetadata, type ServerRow } from './store';

const CURVE_ALGORITHMS: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', Ed25519: 'EdDSA' };

/** A signing key credential holds a private key as PEM or as a private JWK. */
export function privateJwkFrom(secret: string): JWK {
  const text = secret.trim();
  let jwk: JWK;
  try {
    jwk = text.startsWith('{') ? (JSON.parse(text) as JWK) : (createPrivateKey(text).export({ format: 'jwk' }) as JWK);
  } catch {
    throw new CoreError('CREDENTIAL_INVALID', 'The signing key for private_key_jwt is not a private key (PEM or JWK).');
  }
  if (!jwk.d) throw new CoreError('CREDENTIAL_INVALID', 'The signing key for private_key_jwt holds only a public key; it needs the private key.');
  const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : jwk.crv ? CURVE_ALGORITHMS[jwk.crv] : undefined);
  if (!alg || jwk.kty === 'oct') throw new CoreError('CREDENTIAL_INVALID', 'private_key_jwt needs an RSA, EC or Ed25519 private key.');
  return { ...jwk, alg };
}

export class ServerClients {
  private readonly clients = new Map<string, { ca: string | null; http: HttpClient }>();

  /** One HTTP client per server and CA: a changed CA gets a fresh client, never a stale trust store. */
  http(row: ServerRow): HttpClient {
    const held = this.clients.get(row.id);
    if (held && held.ca === row.extra_ca_pem) return held.http;
    if (held) void held.http.close().catch(() => undefined);
    const http = createHttpClient({ extraCaPem: row.extra_ca_pem, userAgent: 'CredOps' });
    this.clients.set(row.id, { ca: row.extra_ca_pem, http });
    return http;
  }

  async closeAll(): Promise<void> {
    const held = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(held.map(({ http }) => http.close().catch(() => undefined)));
  }
}

export function clientAuthFor(vault: OpenVault, row: ServerRow): ClientAuth {
  if (row.auth_method === 'private_key_jwt') {
    if (!row.signing_credential_id) throw new CoreError('CREDENTIAL_INVALID', `${row.name} has no signing key for private_key_jwt. Edit the server and choose one.`);
    const { secret } = openCredential(vault, row.signing_credential_id, 'clientAuth');
    return { method: 'private_key_jwt', clientId: row.client_id, privateJwk: privateJwkFrom(secret) };
  }
  return { method: row.auth_method, clientId: row.client_id, clientSecret: openClientSecret(row, vault) };
}

/** Discovery again, recorded in the vault: what Test connection and a missing record both do. */
export async function rediscover(vault: () => OpenVault, http: HttpClient, row: ServerRow, now: Date): Promise<{ metadata: ServerMetadata; source: 'openid-configuration' | 'oauth-authorization-server' }> {
  const found = await discover(http, row.issuer);
  recordMetadata(vault(), row.id, { ...found.metadata, 'x-credops-source': found.source }, now);
  return found;
}

export async function connectServer(vault: () => OpenVault, clients: ServerClients, id: string, now: Date): Promise<{ row: ServerRow; connection: ServerConnection }> {
  const row = findServer(vault(), id);
  const http = clients.http(row);
  const metadata = row.metadata ? (JSON.parse(row.metadata) as ServerMetadata) : (await rediscover(vault, http, row, now)).metadata;
  return { row, connection: { http, metadata, auth: clientAuthFor(vault(), row) } };
}
