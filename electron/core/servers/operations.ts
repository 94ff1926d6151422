/**
 * What the Servers screen asks of a server: test the connection, refresh the JWKS, introspect a
 * token and explain the answer, revoke a token and confirm it by introspection. Tokens pasted here
 * are sent only to the server the user chose, and are never stored or echoed back.
 */
import type { ConnectionReport, IntrospectionView, RevocationView, TokenHint } from '../../../shared/servers';
import { claimInstantMs } from '../../../shared/claim-meanings';
import { CoreError, isCoreError } from '../errors';
import type { OpenVault } from '../vault/open-vault';
import { clientAuthFor, connectServer, rediscover, type ServerClients } from './connect';
import { introspectToken, type Introspection } from './introspection';
import { fetchJwks } from './jwks';
import { claimsForScreen } from '../tokens/claims';
import { recordJwks } from './jwks-history';
import { revokeToken } from './revocation';
import { findServer } from './store';
import { jwtExpiry } from './token-expiry';

export interface ServerOps {
  vault(): OpenVault;
  clients: ServerClients;
  now(): Date;
}

const ENDPOINTS = ['token_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'jwks_uri', 'userinfo_endpoint', 'end_session_endpoint'] as const;

const failure = (error: unknown) => (isCoreError(error) ? error.message : 'It failed unexpectedly.');

export async function testConnection(ops: ServerOps, serverId: string): Promise<ConnectionReport> {
  const row = findServer(ops.vault(), serverId);
  const http = ops.clients.http(row);
  const { metadata, source } = await rediscover(ops.vault, http, row, ops.now());
  const checks: ConnectionReport['checks'] = [{ name: 'Discovery', ok: true, detail: `The ${source} document names issuer ${metadata.issuer}, as configured.` }];
  for (const [name, endpoint] of [['Introspection', 'introspection_endpoint'], ['Revocation', 'revocation_endpoint']] as const) {
    if (!metadata[endpoint]) checks.push({ name, ok: false, detail: `The server does not advertise ${endpoint}; ${name.toLowerCase()} is not available.` });
  }
  if (metadata.jwks_uri) {
    try {
      const { keys, rejected } = await fetchJwks(http, metadata.jwks_uri);
      recordJwks(ops.vault(), serverId, keys, rejected, ops.now());
      checks.push({ name: 'JWKS', ok: true, detail: `${keys.length} key${keys.length === 1 ? '' : 's'} published${rejected.length ? `, ${rejected.length} rejected` : ''}.` });
    } catch (error) {
      checks.push({ name: 'JWKS', ok: false, detail: failure(error) });
    }
  }
  // A probe token no server issued: an authenticated client gets {"active": false}.
  if (metadata.introspection_endpoint) {
    try {
      const connection = { http, metadata, auth: clientAuthFor(ops.vault(), row) };
      const answer = await introspectToken(connection, 'credops-connection-probe');
      checks.push({ name: 'Admin client', ok: !answer.active, detail: `${row.client_id} authenticated with ${row.auth_method} and may introspect.` });
    } catch (error) {
      checks.push({ name: 'Admin client', ok: false, detail: failure(error) });
    }
  }
  const list = (member: string) => (Array.isArray(metadata[member]) ? (metadata[member] as unknown[]).filter((v): v is string => typeof v === 'string') : []);
  return {
    issuer: metadata.issuer,
    source,
    endpoints: Object.fromEntries(ENDPOINTS.map((name) => [name, typeof metadata[name] === 'string' ? (metadata[name] as string) : null])),
    authMethods: list('token_endpoint_auth_methods_supported'),
    grantTypes: list('grant_types_supported'),
    checks,
  };
}

export async function refreshJwks(ops: ServerOps, serverId: string): Promise<void> {
  const row = findServer(ops.vault(), serverId);
  const http = ops.clients.http(row);
  const metadata = row.metadata ? (JSON.parse(row.metadata) as { jwks_uri?: string }) : (await rediscover(ops.vault, http, row, ops.now())).metadata;
  if (!metadata.jwks_uri) throw new CoreError('SERVER_UNSUPPORTED', `${row.name} does not publish a JWKS (no jwks_uri in its metadata).`);
  const { keys, rejected } = await fetchJwks(http, metadata.jwks_uri);
  recordJwks(ops.vault(), serverId, keys, rejected, ops.now());
}

/**
 * The server's answer as the screen shows it: members as a token's claims travel (the screen adds
 * meanings and times, as the Inspector's does), and a summary that stays true while it is open.
 */
export function explainIntrospection(answer: Introspection): IntrospectionView {
  const expiresAtMs = answer.active ? claimInstantMs('exp', JSON.stringify(answer.exp) ?? '') : null;
  const summary = answer.active
    ? 'The server accepted this token when asked.'
    : 'The server does not accept this token: it is revoked, expired, or was never issued by this server (RFC 7662 does not say which).';
  return { active: answer.active, members: claimsForScreen(answer).claims, summary, expiresAtMs };
}

export async function introspect(ops: ServerOps, serverId: string, token: string, hint: TokenHint | null, audit = true): Promise<IntrospectionView> {
  const { row, connection } = await connectServer(ops.vault, ops.clients, serverId, ops.now());
  const answer = await introspectToken(connection, token, hint ?? undefined);
  if (audit) ops.vault().write((tx) => tx.audit({ action: 'server.introspected', target: serverId, detail: { server: row.name, active: answer.active } }));
  return explainIntrospection(answer);
}

export async function revoke(ops: ServerOps, serverId: string, token: string, hint: TokenHint | null): Promise<RevocationView> {
  const { row, connection } = await connectServer(ops.vault, ops.clients, serverId, ops.now());
  const outcome = await revokeToken(connection, token, hint ?? undefined);
  if (outcome.kind === 'unsupported_token_type') {
    const expiresAt = jwtExpiry(token);
    ops.vault().write((tx) => tx.audit({ action: 'server.revocationUnsupported', target: serverId, detail: { server: row.name } }));
    return {
      outcome: 'unsupported_token_type',
      stillActive: null,
      summary: `${row.name} answered unsupported_token_type: it cannot revoke this token. A self-contained JWT access token is checked by resource servers on their own, so it stays usable until it expires.`,
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      advice: [
        'Revoke the refresh token that obtained it (paste it here with the refresh_token hint): no new access tokens can be minted.',
        row.provider === 'keycloak' ? "End the user's session or log the user out everywhere (Sessions): the grant and its refresh tokens end with it." : 'End the grant or session at the server, if it offers a way.',
        expiresAt === null ? 'This token names no expiry (exp): rotate the signing key if it must stop working.' : 'Wait out its expiry (above), or rotate the signing key if it must stop now.',
      ],
    };
  }
  if (outcome.kind === 'retry') throw new CoreError(outcome.retryAfterMs ? 'SERVER_RATE_LIMITED' : 'SERVER_UNAVAILABLE', `Not revoked yet: ${outcome.reason}. Try again.`, { retryAfterMs: outcome.retryAfterMs ?? undefined });
  if (outcome.kind === 'uncertain') throw new CoreError('SERVER_TIMEOUT', `The server did not answer (${outcome.reason}); the revocation may or may not have happened. Introspect the token to see.`);
  if (outcome.kind === 'failed') throw new CoreError(outcome.code, outcome.message);
  let stillActive: boolean | null = null;
  try {
    stillActive = (await introspectToken(connection, token, hint ?? undefined)).active;
  } catch {
    // The revocation was acknowledged; the confirmation could not be had and is shown as unknown.
  }
  ops.vault().write((tx) => tx.audit({ action: 'server.revoked', target: serverId, detail: { server: row.name, hint, confirmedInactive: stillActive === false } }));
  return {
    outcome: 'revoked',
    stillActive,
    summary:
      stillActive === false ? 'Revoked: the server acknowledged it, and introspection now reports the token inactive.'
      : stillActive ? 'The server acknowledged the revocation but still reports the token active. Do not count it as revoked.'
      : 'The server acknowledged the revocation; introspection could not confirm it.',
    expiresAt: null,
    advice: [],
  };
}
