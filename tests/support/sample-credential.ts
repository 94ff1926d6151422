/**
 * A credential's fields for tests: an active API key in production with nothing optional set,
 * and the overrides a test cares about.
 */
import type { CredentialFields } from '../../shared/credentials';

export function sampleCredential(overrides: Partial<CredentialFields> = {}): CredentialFields {
  return {
    name: 'payments-partner-key',
    kind: 'api_key',
    provider: 'stripe',
    owner: 'team-payments',
    environment: 'production',
    tenant: null,
    scopes: ['charges:read'],
    createdAt: '2026-01-01T00:00:00.000Z',
    expiresAt: null,
    lastUsedAt: null,
    lastRotatedAt: null,
    rotationPolicyDays: null,
    status: 'active',
    authServerId: null,
    clientId: null,
    notes: '',
    tags: [],
    locations: [],
    ...overrides,
  };
}
