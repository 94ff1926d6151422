import type { AdapterPayload, ResourceServerInfo } from 'oidc-provider';

// The realm-level facts the lab adds to oidc-provider: who the user is, which resource
// indicators exist and what kind of access token each gets, and Keycloak's realm "not before"
// (oidc-provider has no such notion; see isStale).

export interface LabUser {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  createdTimestamp: number;
}

/** Resource indicators (RFC 8707). URNs, so they stay the same whatever port the lab is on. */
export const RESOURCES = {
  jwt: 'urn:credops:lab:jwt-api',
  opaque: 'urn:credops:lab:opaque-api',
} as const;

/** The scopes each resource server accepts; the user's grants carry both. */
export const RESOURCE_SCOPE = 'api:read api:write';

/**
 * Opaque access tokens live an hour: long enough that a token pasted into CredOps during a
 * rehearsal is still introspectable, and revocation (not expiry) is what ends it.
 */
export const OPAQUE_ACCESS_TOKEN_TTL = 3600;

// Token kinds the realm's not-before applies to, as Keycloak applies it to the tokens it issued
// (sessions and grants stay; their older tokens stop working).
const NOT_BEFORE_KINDS = new Set(['AccessToken', 'RefreshToken', 'ClientCredentials', 'AuthorizationCode']);

export class Realm {
  readonly name: string;
  /** Keycloak's realm id; for a realm created by name Keycloak uses the name. */
  readonly id: string;
  readonly user: LabUser;
  readonly resources = RESOURCES;
  readonly #jwtAccessTokenTtl: number;
  /** epoch seconds; 0 = not set (Keycloak's default) */
  notBefore = 0;

  constructor(name: string, jwtAccessTokenTtlSeconds: number) {
    this.name = name;
    this.id = name;
    this.#jwtAccessTokenTtl = jwtAccessTokenTtlSeconds;
    this.user = {
      // Stable across runs so a person can keep the id in CredOps between restarts.
      id: '7d3c5a9e-2b41-4f6a-9c1d-a11ce0000001',
      username: 'alice',
      email: 'alice@example.com',
      firstName: 'Alice',
      lastName: 'Lab',
      createdTimestamp: Date.now(),
    };
  }

  /** What oidc-provider's resourceIndicators.getResourceServerInfo answers; undefined = unknown. */
  resourceServerInfo(resource: string): ResourceServerInfo | undefined {
    switch (resource) {
      case RESOURCES.jwt:
        return {
          scope: RESOURCE_SCOPE,
          audience: RESOURCES.jwt,
          accessTokenFormat: 'jwt',
          accessTokenTTL: this.#jwtAccessTokenTtl,
          // RS256 from the provider's keystore: the first RS256 key signs (RFC 9068 at+jwt).
          jwt: { sign: { alg: 'RS256' } },
        };
      case RESOURCES.opaque:
        return {
          scope: RESOURCE_SCOPE,
          audience: RESOURCES.opaque,
          accessTokenFormat: 'opaque',
          accessTokenTTL: OPAQUE_ACCESS_TOKEN_TTL,
        };
      default:
        return undefined;
    }
  }

  /**
   * Keycloak rejects a token whose `iat` is before the realm's not-before (strictly before: a
   * token issued in the same second survives, as in Keycloak). The check runs when storage is
   * read, so the token endpoint answers invalid_grant and introspection `active: false` exactly
   * as for a deleted token, and lowering notBefore again brings unexpired tokens back, as it
   * does in Keycloak.
   */
  isStale = (model: string, payload: AdapterPayload): boolean =>
    this.notBefore > 0 && NOT_BEFORE_KINDS.has(model) && typeof payload.iat === 'number' && payload.iat < this.notBefore;
}
