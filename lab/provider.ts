import { randomBytes } from 'node:crypto';
import Provider, { errors, type Configuration, type TokenInstance, type ClientInstance } from 'oidc-provider';
import type { JWK } from 'jose';
import type { Realm } from './realm.js';
import type { LabStore } from './store.js';

// Builds the oidc-provider instance: Keycloak's endpoint paths, the features CredOps talks to,
// and the policies that let the console's admin client act on every token.

/** Keycloak's paths under /realms/{realm}. oidc-provider routes are relative to the issuer path. */
export const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  introspection: '/protocol/openid-connect/token/introspect',
  revocation: '/protocol/openid-connect/revoke',
  jwks: '/protocol/openid-connect/certs',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
} as const;

/** Lifetimes, in seconds, modelled on Keycloak's defaults (5-minute tokens, 10-hour SSO sessions). */
export const TTL = {
  session: 10 * 60 * 60,
  grant: 10 * 60 * 60,
  refreshToken: 10 * 60 * 60,
  accessToken: 5 * 60,
  clientCredentials: 5 * 60,
  idToken: 5 * 60,
  authorizationCode: 60,
  interaction: 60 * 60,
} as const;

export interface ProviderSetup {
  issuer: string;
  realm: Realm;
  store: LabStore;
  jwks: { keys: JWK[] };
  adminClientId: string;
  /** Called with the session uid whenever a token is minted in that session (Keycloak's lastAccess). */
  onSessionActivity: (sessionUid: string) => void;
}

export function buildProvider(setup: ProviderSetup): Provider {
  const { realm, adminClientId } = setup;
  const isAdmin = (client: ClientInstance) => client.clientId === adminClientId;

  const configuration: Configuration = {
    adapter: setup.store.adapterFactory,
    jwks: setup.jwks,
    routes: KEYCLOAK_ROUTES,
    // Cookie signing keys only matter for browser flows; random per instance is enough.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const { user } = realm;
      if (sub !== user.id) return undefined;
      return {
        accountId: user.id,
        claims: async () => ({
          sub: user.id,
          preferred_username: user.username,
          email: user.email,
          email_verified: true,
          name: `${user.firstName} ${user.lastName}`,
        }),
      };
    },
    claims: {
      openid: ['sub'],
      profile: ['preferred_username', 'name'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    features: {
      // No login pages: the lab mints sessions through the models (lab/sessions.ts), and the
      // development interactions would print warnings and accept any password.
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // The admin client may introspect any token; everyone else only their own.
        allowedPolicy: async (_ctx: unknown, client: ClientInstance, token: TokenInstance) =>
          isAdmin(client) || token.clientId === client.clientId,
      },
      revocation: {
        enabled: true,
        // oidc-provider's default lets only the owning client revoke (400 invalid_request for
        // anyone else); the lab keeps that and grants the admin client the right explicitly.
        allowedPolicy: async (_ctx: unknown, client: ClientInstance, token: TokenInstance) => {
          if (isAdmin(client) || token.clientId === client.clientId) return true;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      resourceIndicators: {
        enabled: true,
        // No resource requested = an opaque token with no audience (userinfo only), as upstream.
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx: unknown, resource: string) => {
          const info = realm.resourceServerInfo(resource);
          if (!info) throw new errors.InvalidTarget(`unknown resource indicator ${resource}`);
          return info;
        },
      },
    },
    ttl: {
      AccessToken: (_ctx: unknown, token: TokenInstance) => token.resourceServer?.accessTokenTTL ?? TTL.accessToken,
      ClientCredentials: (_ctx: unknown, token: TokenInstance) => token.resourceServer?.accessTokenTTL ?? TTL.clientCredentials,
      RefreshToken: TTL.refreshToken,
      Grant: TTL.grant,
      Session: TTL.session,
      IdToken: TTL.idToken,
      AuthorizationCode: TTL.authorizationCode,
      Interaction: TTL.interaction,
    },
    // The console calls from Electron's main process, not a browser page: no CORS origins.
    clientBasedCORS: () => false,
    // Errors on the few HTML endpoints (authorization, logout) answer JSON like the rest.
    renderError: async (ctx: { type: string; body: unknown }, out: Record<string, unknown>) => {
      ctx.type = 'json';
      ctx.body = out;
    },
  };

  const provider = new Provider(setup.issuer, configuration);

  const touch = (token: TokenInstance) => {
    if (token.sessionUid) setup.onSessionActivity(token.sessionUid);
  };
  provider.on('access_token.saved', touch);
  provider.on('access_token.issued', touch);
  provider.on('refresh_token.saved', touch);
  // A 500 inside oidc-provider is a lab bug; say so rather than answer a bare server_error.
  provider.on('server_error', (_ctx: unknown, error: Error) => {
    console.error('lab: oidc-provider server_error:', error);
  });
  return provider;
}
