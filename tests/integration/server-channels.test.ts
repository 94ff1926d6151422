/**
 * The servers:* channels end to end: a real vault, the real router, and the lab's oidc-provider on
 * an ephemeral loopback port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/lab';
import type { BulkStatus, ConnectionReport, IntrospectionView, JwksView, RevocationView, ServerSummary } from '../../shared/servers';
import { sampleCredential } from '../support/sample-credential';
import { useCoreWithVault } from '../support/core-with-vault';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ port: 0 });
});
afterAll(() => lab.close());
const t = useCoreWithVault();
const { invoke, value } = t;

const auditActions = async () => (await value<{ entries: { action: string; detail: unknown }[] }>('audit:list', { limit: 500 })).entries;

function labFields(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Lab',
    issuer: lab.issuer,
    provider: 'keycloak',
    realm: lab.realm,
    clientId: lab.clients.admin.clientId,
    authMethod: 'client_secret_basic',
    signingCredentialId: null,
    extraCaPem: null,
    ...overrides,
  };
}
const addLab = (overrides: Record<string, unknown> = {}, clientSecret: string | undefined = lab.clients.admin.clientSecret) =>
  value<ServerSummary>('servers:add', { fields: labFields(overrides), clientSecret });

async function settle(jobId: string): Promise<BulkStatus> {
  await t.core.bulk.settled(jobId);
  return value<BulkStatus>('servers:bulkStatus', { jobId });
}

describe('servers in the vault', () => {
  it('keeps the admin secret sealed: the summary has a fingerprint, never the secret, and names are unique', async () => {
    const server = await addLab();
    expect(server.secretFingerprint).toMatch(/^fp:/);
    expect(JSON.stringify(await value('servers:list', {}))).not.toContain(lab.clients.admin.clientSecret!);
    expect(await invoke('servers:add', { fields: labFields({ name: 'lab' }), clientSecret: 'x' })).toMatchObject({ ok: false, error: { code: 'SERVER_DUPLICATE' } });
    expect(await invoke('servers:add', { fields: labFields({ name: 'Other', issuer: 'http://example.com/' }), clientSecret: 'x' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const edited = await value<ServerSummary>('servers:update', { id: server.id, fields: labFields({ name: 'Lab (renamed)' }) });
    expect(edited.secretFingerprint).toBe(server.secretFingerprint);
    const entries = await auditActions();
    expect(entries.map((e) => e.action).slice(0, 2)).toEqual(['server.changed', 'server.added']);
    expect(JSON.stringify(entries)).not.toContain(lab.clients.admin.clientSecret!);
  });

  it('tests the connection: discovery, endpoints, JWKS and the admin client', async () => {
    const server = await addLab();
    const report = await value<ConnectionReport>('servers:test', { id: server.id });
    expect(report.issuer).toBe(lab.issuer);
    expect(report.source).toBe('openid-configuration');
    expect(report.endpoints.revocation_endpoint).toContain('/protocol/openid-connect/revoke');
    expect(report.checks.every((check) => check.ok)).toBe(true);
    const wrong = await addLab({ name: 'Wrong secret' }, 'not-the-secret');
    const refused = await value<ConnectionReport>('servers:test', { id: wrong.id });
    const admin = refused.checks.find((check) => check.name === 'Admin client')!;
    expect(admin.ok).toBe(false);
    expect(admin.detail).not.toContain('not-the-secret');
  });

  it('keeps a JWKS history that shows a rotated key appear, and the inspector verifies against it offline', async () => {
    const server = await addLab();
    const first = await value<JwksView>('servers:refreshJwks', { id: server.id });
    const { kid } = await lab.rotateSigningKey();
    const second = await value<JwksView>('servers:refreshJwks', { id: server.id });
    expect(second.keys.map((k) => k.kid)).toContain(kid);
    expect(second.history[0].appeared).toEqual([kid]);
    expect(second.history).toHaveLength(first.history.length + 1);
    // Nothing changed: no new snapshot.
    expect((await value<JwksView>('servers:refreshJwks', { id: server.id })).history).toHaveLength(second.history.length);
    expect((await auditActions()).some((e) => e.action === 'server.jwksChanged')).toBe(true);

    const { jwtAccessToken } = await lab.issueUserTokens();
    const inspected = await value<{ verdict: string; signature: { key: string | null } }>('tokens:inspect', { token: jwtAccessToken, key: { kind: 'server', serverId: server.id }, policy: null });
    expect(inspected.verdict).toBe('valid');
    expect(inspected.signature.key).toContain('Lab JWKS key');
  });

  it('introspects, revokes, and confirms the revocation by introspection', async () => {
    const server = await addLab();
    const { accessToken, refreshToken, jwtAccessToken } = await lab.issueUserTokens();
    const before = await value<IntrospectionView>('servers:introspect', { serverId: server.id, token: `Bearer ${accessToken}`, hint: 'access_token' });
    expect(before.active).toBe(true);
    // Members travel as a token's claims do (JSON text); meanings and times are the screen's.
    const exp = before.members.find((m) => m.name === 'exp');
    expect(exp?.value).toMatch(/^\d+$/);
    expect(before.expiresAtMs).toBe(Number(exp!.value) * 1000);
    expect(before.members.find((m) => m.name === 'client_id')?.value).toBe(JSON.stringify(lab.clients.app.clientId));
    expect(before.summary).toBe('The server accepted this token when asked.');
    const revoked = await value<RevocationView>('servers:revoke', { serverId: server.id, token: refreshToken, hint: 'refresh_token' });
    expect(revoked).toMatchObject({ outcome: 'revoked', stillActive: false });
    const jwt = await value<RevocationView>('servers:revoke', { serverId: server.id, token: jwtAccessToken, hint: 'access_token' });
    expect(jwt.outcome).toBe('unsupported_token_type');
    expect(jwt.expiresAt).not.toBeNull();
    expect(jwt.advice.join(' ')).toMatch(/refresh token/);
    const entries = await auditActions();
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['server.introspected', 'server.revoked', 'server.revocationUnsupported']));
    expect(JSON.stringify(entries)).not.toContain(refreshToken);
  });

  it('authenticates with private_key_jwt using a signing key kept in the inventory', async () => {
    const jwk = lab.clients.jwt.privateJwk!;
    const key = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ kind: 'signing_key', name: 'lab-jwt-client-key' }), secret: JSON.stringify(jwk) });
    const server = await value<ServerSummary>('servers:add', {
      fields: labFields({ name: 'Lab (jwt)', clientId: lab.clients.jwt.clientId, authMethod: 'private_key_jwt', signingCredentialId: key.id }),
    });
    const report = await value<ConnectionReport>('servers:test', { id: server.id });
    expect(report.checks.find((c) => c.name === 'Admin client')).toMatchObject({ ok: true });
    expect((await auditActions()).some((e) => e.action === 'credential.usedForClientAuth')).toBe(true);
  });

  it('revokes in bulk, verifies every token inactive, and records each outcome', async () => {
    const server = await addLab();
    const tokens = await lab.issueOpaqueAccessTokens(300);
    const started = await value<BulkStatus>('servers:bulkStart', { serverId: server.id, label: 'leak #42', hint: 'access_token', tokens, credentialIds: [] });
    expect(started.total).toBe(300);
    const done = await settle(started.id);
    expect(done.state).toBe('finished');
    expect(done.counts.inactive).toBe(300);
    const items = await value<{ items: { fingerprint: string; state: string }[] }>('servers:bulkItems', { jobId: started.id, states: null, offset: 0, limit: 5 });
    expect(items.items.map((i) => i.state)).toEqual(Array(5).fill('inactive'));
    expect(JSON.stringify(items)).not.toContain(tokens[0]);
    const entries = (await auditActions()).map((e) => e.action);
    expect(entries).toEqual(expect.arrayContaining(['bulkRevocation.started', 'bulkRevocation.finished']));
  });

  it('pauses, resumes and cancels a bulk job without losing a token', async () => {
    const server = await addLab();
    const tokens = await lab.issueOpaqueAccessTokens(400);
    const started = await value<BulkStatus>('servers:bulkStart', { serverId: server.id, label: 'pause me', hint: null, tokens, credentialIds: [] });
    const paused = await value<BulkStatus>('servers:bulkPause', { jobId: started.id });
    expect(paused.state).toBe('paused');
    expect(paused.counts.sending).toBe(0);
    const resumed = await value<BulkStatus>('servers:bulkResume', { jobId: started.id });
    expect(resumed.state).toBe('running');
    const cancelled = await value<BulkStatus>('servers:bulkCancel', { jobId: started.id });
    expect(cancelled.state).toBe('cancelled');
    const settledCounts = Object.values(cancelled.counts).reduce((a, b) => a + b, 0);
    expect(settledCounts).toBe(400);
    expect(await invoke('servers:bulkResume', { jobId: started.id })).toMatchObject({ ok: false, error: { code: 'BULK_FINISHED' } });
  });

  it('sends a token given twice once, keeps only fingerprints once the job ends, and keeps a server with a job under way', async () => {
    const server = await addLab();
    const [a, b] = await lab.issueOpaqueAccessTokens(2);
    const started = await value<BulkStatus>('servers:bulkStart', { serverId: server.id, label: 'dupes', hint: null, tokens: [a, a, ` ${b} `, b], credentialIds: [] });
    expect(started.total).toBe(2);
    const paused = await value<BulkStatus>('servers:bulkPause', { jobId: started.id });
    if (paused.state === 'paused') {
      expect(await invoke('servers:delete', { id: server.id })).toMatchObject({ ok: false, error: { code: 'SERVER_IN_USE' } });
      await value('servers:bulkResume', { jobId: started.id });
    }
    const done = await settle(started.id);
    expect(done.counts.inactive).toBe(2);
    const kept = t.core.vault.require().db.prepare('SELECT count(*) AS n FROM bulk_items WHERE job_id = ? AND length(token) > 0').get(started.id) as { n: number };
    expect(kept.n).toBe(0);
    expect(await invoke('servers:delete', { id: server.id })).toMatchObject({ ok: true });
  });

  it('refuses to regenerate a client secret into a credential that cannot hold it, before asking the server', async () => {
    const server = await addLab();
    const key = await value<{ id: string }>('credentials:create', { fields: sampleCredential({ kind: 'signing_key', name: 'not-a-client' }), secret: JSON.stringify(lab.clients.jwt.privateJwk) });
    const before = lab.clients.app.clientSecret;
    expect(await invoke('sessions:regenerateSecret', { serverId: server.id, clientId: lab.clients.app.clientId, credentialId: key.id })).toMatchObject({ ok: false, error: { code: 'CREDENTIAL_INVALID' } });
    expect(lab.clients.app.clientSecret).toBe(before);

    const holder = await value<{ id: string; fingerprint: string | null }>('credentials:create', { fields: sampleCredential({ kind: 'oauth_client', name: 'lab-app', clientId: lab.clients.app.clientId }), secret: before! });
    const regenerated = await value<{ fingerprint: string; savedTo: string }>('sessions:regenerateSecret', { serverId: server.id, clientId: lab.clients.app.clientId, credentialId: holder.id });
    expect(lab.clients.app.clientSecret).not.toBe(before);
    expect(regenerated.savedTo).toBe('lab-app');
    expect(regenerated.fingerprint).not.toBe(holder.fingerprint);
    const revealed = await value<{ secret: string }>('credentials:reveal', { id: holder.id });
    expect(revealed.secret).toBe(lab.clients.app.clientSecret);
    const entries = await auditActions();
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['server.clientSecretRegenerated', 'server.clientSecretSaved']));
    expect(JSON.stringify(entries)).not.toContain(lab.clients.app.clientSecret!);
  });
});
