import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/core';
import { createCredential, getCredential, listCredentials, markCredential, openCredentialSecret, updateCredential } from '../../electron/core/credentials/store';
import type { OpenVault } from '../../electron/core/vault/open-vault';
import { credentialQuery, type CredentialFields } from '../../shared/credentials';
import { sampleCredential } from '../support/sample-credential';
import { createTestPlatform, STRONG_PASSPHRASE, type TestPlatform } from '../support/test-platform';

const NOW = new Date('2026-11-23T12:00:00Z');
let platform: TestPlatform;
let core: Core;
let vault: OpenVault;

beforeEach(async () => {
  platform = createTestPlatform();
  core = createCore({ platform, calibrateKdf: false });
  await core.vault.create(join(platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
  vault = core.vault.require();
});
afterEach(() => {
  core.dispose();
  platform.cleanup();
});

function fields(overrides: Partial<CredentialFields> = {}): CredentialFields {
  return sampleCredential({
    createdAt: '2026-11-01T00:00:00Z',
    locations: [
      { kind: 'ci_variable', label: 'GitHub Actions PAYMENTS_KEY', environment: 'production', confirmedAt: '2026-11-20T00:00:00Z' },
      { kind: 'partner', label: 'Acme Payments portal', environment: 'production', confirmedAt: null },
    ],
    ...overrides,
  });
}

const actions = () => vault.db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all() as string[];

describe('credential store', () => {
  it('stores the secret sealed and returns a summary with a fingerprint but never the secret', async () => {
    const summary = await createCredential(vault, fields(), 'sk_live_abc123', NOW);
    expect(summary).toMatchObject({ name: 'payments-partner-key', hasSecret: true, fingerprint: expect.stringMatching(/^fp:[0-9a-f]{4}(:[0-9a-f]{4}){3}$/), version: 1 });
    expect(summary.locations).toHaveLength(2);
    expect(JSON.stringify(summary)).not.toContain('sk_live_abc123');
    const stored = vault.db.prepare('SELECT secret FROM credentials').pluck().get() as Buffer;
    expect(stored.includes(Buffer.from('sk_live_abc123'))).toBe(false);
    expect(actions()).toContain('credential.created');
  });

  it('reveals the secret only on purpose, leaving an audit entry each time', async () => {
    const { id } = await createCredential(vault, fields(), 'sk_live_abc123', NOW);
    expect(openCredentialSecret(vault, id, 'reveal')).toBe('sk_live_abc123');
    expect(openCredentialSecret(vault, id, 'copy')).toBe('sk_live_abc123');
    expect(actions().slice(-2)).toEqual(['credential.revealed', 'credential.copied']);
  });

  it('refuses a sealed secret moved to another credential', async () => {
    const a = await createCredential(vault, fields(), 'secret-a', NOW);
    const b = await createCredential(vault, fields({ name: 'other' }), 'secret-b', NOW);
    vault.db.prepare('UPDATE credentials SET secret = (SELECT secret FROM credentials WHERE id = ?) WHERE id = ?').run(a.id, b.id);
    expect(() => openCredentialSecret(vault, b.id, 'reveal')).toThrow(expect.objectContaining({ code: 'SEAL_INVALID' }));
  });

  it('finds the same secret recorded in two environments by fingerprint', async () => {
    await createCredential(vault, fields(), 'shared-secret', NOW);
    const staging = await createCredential(vault, fields({ environment: 'staging' }), 'shared-secret', NOW);
    const other = await createCredential(vault, fields({ name: 'unrelated', environment: 'staging' }), 'different', NOW);
    expect(staging.findings.map((f) => f.code)).toContain('SHARED_ACROSS_ENVIRONMENTS');
    expect(other.findings.map((f) => f.code)).not.toContain('SHARED_ACROSS_ENVIRONMENTS');
    expect(staging.fingerprint).toBe(getCredential(vault, staging.id, NOW).credential.fingerprint);
  });

  it('keeps the same-secret filter in step when a secret is replaced or a credential moves environment', async () => {
    const shared = () => listCredentials(vault, credentialQuery.parse({ finding: 'SHARED_ACROSS_ENVIRONMENTS' }), NOW).credentials.map((c) => c.environment).sort();
    const production = await createCredential(vault, fields(), 'shared-secret', NOW);
    const staging = await createCredential(vault, fields({ environment: 'staging' }), 'shared-secret', NOW);
    expect(shared()).toEqual(['production', 'staging']);

    const replaced = await updateCredential(vault, staging.id, staging.version, fields({ environment: 'staging' }), 'a new secret', NOW);
    expect(shared()).toEqual([]);
    expect(getCredential(vault, production.id, NOW).credential.findings.map((f) => f.code)).not.toContain('SHARED_ACROSS_ENVIRONMENTS');

    const back = await updateCredential(vault, staging.id, replaced.version, fields({ environment: 'staging' }), 'shared-secret', NOW);
    expect(shared()).toEqual(['production', 'staging']);
    await updateCredential(vault, staging.id, back.version, fields({ name: 'moved', environment: 'production' }), undefined, NOW);
    expect(shared()).toEqual([]);
  });

  it('refuses a duplicate name in one environment, a date before creation, and an OAuth client without its id', async () => {
    await createCredential(vault, fields(), null, NOW);
    await expect(createCredential(vault, fields({ name: 'Payments-Partner-Key' }), null, NOW)).rejects.toMatchObject({ code: 'CREDENTIAL_DUPLICATE' });
    await expect(createCredential(vault, fields({ name: 'x', expiresAt: '2026-10-01T00:00:00Z' }), null, NOW)).rejects.toMatchObject({
      code: 'CREDENTIAL_INVALID',
      message: 'Expires cannot be before the credential was created.',
    });
    await expect(createCredential(vault, fields({ name: 'y', kind: 'oauth_client' }), null, NOW)).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID' });
    expect(vault.db.prepare('SELECT count(*) FROM credentials').pluck().get()).toBe(1);
  });

  it('refuses an edit based on a stale version, so two windows never overwrite each other', async () => {
    const created = await createCredential(vault, fields(), 'v1-secret', NOW);
    const edited = await updateCredential(vault, created.id, 1, fields({ owner: 'team-risk' }), undefined, NOW);
    expect(edited).toMatchObject({ owner: 'team-risk', version: 2, fingerprint: created.fingerprint });
    await expect(updateCredential(vault, created.id, 1, fields({ owner: 'team-x' }), undefined, NOW)).rejects.toMatchObject({ code: 'CREDENTIAL_CONFLICT' });
    const replaced = await updateCredential(vault, created.id, 2, fields(), 'v2-secret', NOW);
    expect(replaced.fingerprint).not.toBe(created.fingerprint);
    expect(openCredentialSecret(vault, created.id, 'reveal')).toBe('v2-secret');
  });

  it('marks a credential rotated or revoked with a note, in its history and the audit log', async () => {
    const { id } = await createCredential(vault, fields({ createdAt: '2026-01-01T00:00:00Z' }), 'k', NOW);
    expect(getCredential(vault, id, NOW).credential.findings.map((f) => f.code)).toContain('STALE');
    const rotated = markCredential(vault, id, 'rotated', 'rotated after the build-log leak', NOW);
    expect(rotated).toMatchObject({ lastRotatedAt: NOW.toISOString(), status: 'active' });
    expect(rotated.findings.map((f) => f.code)).not.toContain('STALE');
    markCredential(vault, id, 'revoked', 'partner offboarded', NOW);
    const { credential, history } = getCredential(vault, id, NOW);
    expect(credential.status).toBe('revoked');
    expect(history.map((h) => [h.action, h.note])).toEqual([
      ['revoked', 'partner offboarded'],
      ['rotated', 'rotated after the build-log leak'],
      ['created', null],
    ]);
    expect(actions().slice(-2)).toEqual(['credential.rotated', 'credential.revoked']);
  });

  it('refuses to rotate a revoked credential back to life, in the core and not only on screen', async () => {
    const { id } = await createCredential(vault, fields(), 'k', NOW);
    markCredential(vault, id, 'revoked', 'leaked', NOW);
    expect(() => markCredential(vault, id, 'rotated', '', NOW)).toThrow(expect.objectContaining({ code: 'CREDENTIAL_INVALID' }));
    expect(() => markCredential(vault, id, 'revoked', 'again', NOW)).toThrow(expect.objectContaining({ code: 'CREDENTIAL_INVALID' }));
    expect(getCredential(vault, id, NOW).credential.status).toBe('revoked');
  });

  it('says in the history and the audit log what an edit changed, and never the secret', async () => {
    const created = await createCredential(vault, fields(), 'first-secret', NOW);
    const moved = await updateCredential(
      vault,
      created.id,
      created.version,
      fields({ environment: 'staging', scopes: ['charges:read', 'refunds:write'], notes: 'moved for the migration', locations: [fields().locations[0]] }),
      undefined,
      NOW,
    );
    const [edit] = getCredential(vault, created.id, NOW).history;
    expect(edit.action).toBe('edited');
    expect(edit.changes).toEqual(['environment: production → staging', 'scopes: +refunds:write', 'notes: edited', 'locations: −partner Acme Payments portal (production)']);
    await updateCredential(vault, created.id, moved.version, fields({ environment: 'staging' }), 'second-secret', NOW);
    const [replaced] = getCredential(vault, created.id, NOW).history;
    expect(replaced.changes.at(-1)).toMatch(/^secret replaced: fp:/);
    const audit = vault.db.prepare('SELECT detail FROM audit_log ORDER BY seq').pluck().all().join('\n');
    expect(audit).toContain('environment: production → staging');
    expect(audit).not.toContain('first-secret');
    expect(audit).not.toContain('second-secret');
  });

  it('needs the secret again to make a credential a signing key, so what is not a key never gets that kind', async () => {
    const created = await createCredential(vault, fields(), 'not-a-key', NOW);
    await expect(updateCredential(vault, created.id, created.version, fields({ kind: 'signing_key' }), undefined, NOW)).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID' });
    await expect(updateCredential(vault, created.id, created.version, fields({ kind: 'signing_key' }), 'still-not-a-key', NOW)).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID' });
    expect(getCredential(vault, created.id, NOW).credential.kind).toBe('api_key');
  });

  it('refuses dates a text comparison would misorder and past events dated in the future', async () => {
    // The contract refuses the first before the store sees it: UTC makes it "+010000-…".
    expect(await core.router.invoke('credentials:create', { fields: fields({ expiresAt: '9999-12-31T23:00:00-05:00' }), secret: null })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('Use a date between 1970 and 9999') },
    });
    await expect(createCredential(vault, fields({ lastUsedAt: '2099-01-01T00:00:00Z' }), null, NOW)).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID', message: 'Last used is in the future: check the year.' });
    expect(listCredentials(vault, credentialQuery.parse({}), NOW).total).toBe(0);
  });

  it('judges nothing about an expired or revoked credential, and counts neither as a live copy of a shared secret', async () => {
    const expired = await createCredential(vault, fields({ status: 'expired', expiresAt: '2026-11-02T00:00:00Z', owner: null }), 'shared', NOW);
    expect(expired.findings).toEqual([]);
    const live = await createCredential(vault, fields({ environment: 'staging' }), 'shared', NOW);
    expect(live.findings.map((f) => f.code)).not.toContain('SHARED_ACROSS_ENVIRONMENTS');
    expect(listCredentials(vault, credentialQuery.parse({ finding: 'EXPIRED' }), NOW).total).toBe(0);
  });

  it('treats environments that differ only in case as one when matching a shared secret', async () => {
    await createCredential(vault, fields({ environment: 'production' }), 'shared', NOW);
    const other = await createCredential(vault, fields({ name: 'copy', environment: 'Production' }), 'shared', NOW);
    expect(other.findings.map((f) => f.code)).not.toContain('SHARED_ACROSS_ENVIRONMENTS');
    expect(listCredentials(vault, credentialQuery.parse({ finding: 'SHARED_ACROSS_ENVIRONMENTS' }), NOW).total).toBe(0);
  });

  it('shows a signing key by the thumbprint of its public half, from PEM or JWK, and refuses what is not a private key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const expected = await calculateJwkThumbprint(await exportJWK(publicKey));
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const fromPem = await createCredential(vault, fields({ kind: 'signing_key', name: 'jwt-signing' }), pem, NOW);
    expect(fromPem.publicThumbprint).toBe(expected);
    const jwk = JSON.stringify(await exportJWK(privateKey));
    const fromJwk = await createCredential(vault, fields({ kind: 'signing_key', name: 'jwt-signing-2' }), jwk, NOW);
    expect(fromJwk.publicThumbprint).toBe(expected);
    await expect(createCredential(vault, fields({ kind: 'signing_key', name: 'bad' }), '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----', NOW)).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID' });
    await expect(createCredential(vault, fields({ kind: 'signing_key', name: 'pub' }), JSON.stringify(await exportJWK(publicKey)), NOW)).rejects.toMatchObject({
      code: 'CREDENTIAL_INVALID',
      message: expect.stringContaining('public key'),
    });
  });
});
