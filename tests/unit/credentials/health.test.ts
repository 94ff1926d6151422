import { describe, expect, it } from 'vitest';
import { assessHealth, isBroadScope } from '../../../electron/core/credentials/health';
import type { CredentialFields } from '../../../shared/credentials';
import { sampleCredential } from '../../support/sample-credential';

const NOW = new Date('2026-11-23T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();

/** A healthy credential: owned, recently rotated, narrow, confirmed, expiring in a year. */
function credential(overrides: Partial<CredentialFields> = {}): CredentialFields {
  return sampleCredential({
    createdAt: daysAgo(20),
    expiresAt: inDays(365),
    lastUsedAt: daysAgo(1),
    locations: [{ kind: 'ci_variable', label: 'GitHub Actions PAYMENTS_KEY', environment: 'production', confirmedAt: daysAgo(3) }],
    ...overrides,
  });
}

function codes(overrides: Partial<CredentialFields> = {}, shared: string[] = []): string[] {
  return assessHealth(credential(overrides), { now: NOW, sharedWithEnvironments: shared }).map((f) => f.code);
}

describe('health rules', () => {
  it('finds nothing wrong with a healthy credential', () => {
    expect(codes()).toEqual([]);
  });

  it('reports an expired credential, and one expiring within 7 or 30 days, but not at 31', () => {
    expect(codes({ expiresAt: daysAgo(1) })).toEqual(['EXPIRED']);
    expect(codes({ expiresAt: inDays(7) })).toEqual(['EXPIRING_7D']);
    expect(codes({ expiresAt: inDays(8) })).toEqual(['EXPIRING_30D']);
    expect(codes({ expiresAt: inDays(30) })).toEqual(['EXPIRING_30D']);
    expect(codes({ expiresAt: inDays(31) })).toEqual([]);
  });

  it('reports a credential older than its rotation policy, or than 90 days without one', () => {
    expect(codes({ createdAt: daysAgo(400), lastRotatedAt: daysAgo(91) })).toEqual(['STALE']);
    expect(codes({ createdAt: daysAgo(400), lastRotatedAt: daysAgo(90) })).toEqual([]);
    expect(codes({ createdAt: daysAgo(400), lastRotatedAt: daysAgo(31), rotationPolicyDays: 30 })).toEqual(['STALE']);
  });

  it('reports never rotated only once a credential is past its first month', () => {
    expect(codes({ createdAt: daysAgo(30) })).toEqual([]);
    expect(codes({ createdAt: daysAgo(31) })).toEqual(['NEVER_ROTATED']);
    expect(codes({ createdAt: daysAgo(100) })).toEqual(['STALE', 'NEVER_ROTATED']);
  });

  it('reports no owner', () => {
    expect(codes({ owner: null })).toEqual(['NO_OWNER']);
  });

  it('reports no expiry only on kinds that should expire', () => {
    expect(codes({ expiresAt: null, kind: 'service_token' })).toEqual(['NO_EXPIRY']);
    expect(codes({ expiresAt: null, kind: 'refresh_token' })).toEqual(['NO_EXPIRY']);
    expect(codes({ expiresAt: null, kind: 'signing_key' })).toEqual([]);
  });

  it.each(['*', 'admin', 'ROOT', 'all', 'full_access', 'repo:admin', 'admin:org', 'write:*', '*:read', 'write_all', 'files.write_all'])('calls %s over-broad', (scope) => {
    expect(isBroadScope(scope)).toBe(true);
    expect(codes({ scopes: ['charges:read', scope] })).toEqual(['OVER_BROAD_SCOPES']);
  });

  it.each(['charges:read', 'repo:status', 'read:org', 'administrator-notes:read', 'files.read', 'openid'])('does not call %s over-broad', (scope) => {
    expect(isBroadScope(scope)).toBe(false);
  });

  it('reports the same secret recorded in another environment, naming it, but not in its own', () => {
    expect(codes({}, ['production'])).toEqual([]);
    const finding = assessHealth(credential(), { now: NOW, sharedWithEnvironments: ['staging', 'staging', 'production'] });
    expect(finding).toEqual([expect.objectContaining({ code: 'SHARED_ACROSS_ENVIRONMENTS', severity: 'high', message: expect.stringContaining('staging') })]);
  });

  it('reports a copy in a browser or mobile app', () => {
    const locations = credential().locations;
    expect(codes({ locations: [...locations, { kind: 'browser', label: 'dashboard SPA bundle', environment: 'production', confirmedAt: daysAgo(1) }] })).toEqual(['CLIENT_SIDE_COPY']);
    expect(codes({ locations: [...locations, { kind: 'mobile', label: 'iOS app', environment: 'production', confirmedAt: daysAgo(1) }] })).toEqual(['CLIENT_SIDE_COPY']);
  });

  it('reports a credential unused for more than 90 days', () => {
    expect(codes({ createdAt: daysAgo(20), lastUsedAt: daysAgo(20) })).toEqual([]);
    expect(codes({ createdAt: daysAgo(200), lastRotatedAt: daysAgo(10), lastUsedAt: daysAgo(91) })).toEqual(['UNUSED_90D']);
  });

  it('reports locations nobody has confirmed', () => {
    const finding = assessHealth(credential({ locations: [{ kind: 'kubernetes_secret', label: 'payments/api', environment: 'production', confirmedAt: null }] }), { now: NOW, sharedWithEnvironments: [] });
    expect(finding).toEqual([expect.objectContaining({ code: 'LOCATIONS_UNCONFIRMED', message: expect.stringMatching(/^1 location has never been confirmed/) })]);
  });

  it('reports nothing on a revoked credential: it no longer needs hygiene', () => {
    expect(codes({ status: 'revoked', owner: null, expiresAt: daysAgo(5), scopes: ['*'] })).toEqual([]);
  });

  it('gives every finding a sentence that says what to do', () => {
    const all = assessHealth(
      credential({ owner: null, kind: 'service_token', expiresAt: null, scopes: ['*'], createdAt: daysAgo(400), lastUsedAt: daysAgo(200), locations: [{ kind: 'browser', label: 'x', environment: 'production', confirmedAt: null }] }),
      { now: NOW, sharedWithEnvironments: ['staging'] },
    );
    expect(all.map((f) => f.code).sort()).toEqual(['CLIENT_SIDE_COPY', 'LOCATIONS_UNCONFIRMED', 'NEVER_ROTATED', 'NO_EXPIRY', 'NO_OWNER', 'OVER_BROAD_SCOPES', 'SHARED_ACROSS_ENVIRONMENTS', 'STALE', 'UNUSED_90D']);
    // Two sentences at least: what is wrong, then what to do.
    for (const finding of all) expect(finding.message).toMatch(/\.\s+[A-Z].*\.$/);
  });
});
