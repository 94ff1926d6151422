import type Provider from 'oidc-provider';
import type { JWK } from 'jose';
import { handleAdminRequest, type AdminContext } from './admin/routes.js';
import { ClientRegistry } from './clients.js';
import { SigningKeyRing } from './keys.js';
import { buildProvider } from './provider.js';
import { Realm } from './realm.js';
import { close, listen, route, type NodeHandler } from './server.js';
import { SessionActivity } from './sessions.js';
import { LabStore } from './store.js';
import { issueOpaqueAccessTokens, issueUserTokens } from './tokens.js';

// The lab authorization server: a real oidc-provider laid out like a Keycloak realm, with seeded
// clients, a user, sessions and tokens, plus the Keycloak admin endpoints CredOps' adapter uses.
// Tests start it on an ephemeral port; `npm run lab` (lab/main.ts) starts it for a person.

export interface LabOptions {
  /** 0 = an ephemeral port (default) */
  port?: number;
  /** default 'lab' */
  realm?: string;
  /** lifetime of JWT access tokens (resources.jwt); default 300 */
  jwtAccessTokenTtlSeconds?: number;
}

export interface LabClient {
  clientId: string;
  method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  clientSecret?: string;
  /** private, with kid and alg, for private_key_jwt */
  privateJwk?: JWK;
}

export interface LabTokens {
  /** the session's id as the admin API lists it (and the `sid` in the tokens) */
  sessionId: string;
  grantId: string;
  /** opaque, for resources.opaque */
  accessToken: string;
  /** RFC 9068 JWT for resources.jwt */
  jwtAccessToken: string;
  refreshToken: string;
}

export interface Lab {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** `${origin}/realms/${realm}`: Keycloak's layout */
  issuer: string;
  /**
   * Serves the realm under another origin (a proxy in front of the lab): the issuer and every
   * endpoint in discovery then name that origin, so all traffic goes through it.
   */
  exposeAt(publicOrigin: string): void;
  realm: string;
  clients: {
    /** client_secret_basic: the console's admin client */
    admin: LabClient;
    /** client_secret_post */
    post: LabClient;
    /** private_key_jwt */
    jwt: LabClient;
    /** the relying party (client_secret_basic) the user's tokens belong to */
    app: LabClient;
  };
  user: { id: string; username: string };
  /** resource indicators: JWT access tokens for one, opaque for the other */
  resources: { jwt: string; opaque: string };
  /** a NEW session + grant for the seeded user, with refresh token, opaque and JWT access tokens, for client `app` */
  issueUserTokens(): Promise<LabTokens>;
  /** many opaque access tokens, each introspectable and revocable on its own */
  issueOpaqueAccessTokens(count: number): Promise<string[]>;
  /** a new RS256 key becomes the signing key (first in JWKS); the old stay published */
  rotateSigningKey(): Promise<{ kid: string }>;
  /** removes a key from the JWKS (refused for the only key) */
  retireSigningKey(kid: string): Promise<void>;
  close(): Promise<void>;
}

/** Sessions the lab starts with, so the admin API has something to list before any test acts. */
const SEEDED_SESSIONS = 2;

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const port = options.port ?? 0;
  const realmName = options.realm ?? 'lab';
  const jwtTtl = options.jwtAccessTokenTtlSeconds ?? 300;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be 0–65535, got ${port}`);
  if (!/^[A-Za-z0-9._-]+$/.test(realmName)) throw new RangeError(`realm must be one URL path segment, got ${JSON.stringify(realmName)}`);
  if (!Number.isInteger(jwtTtl) || jwtTtl <= 0) throw new RangeError(`jwtAccessTokenTtlSeconds must be a positive integer, got ${jwtTtl}`);

  const realm = new Realm(realmName, jwtTtl);
  const store = new LabStore(realm.isStale);
  const activity = new SessionActivity();
  const [keys, clients] = await Promise.all([SigningKeyRing.create(), ClientRegistry.seed(store)]);

  // The Provider needs its issuer, which needs the port, so listen first and build the Provider
  // right after; until then (microseconds) the realm answers 503.
  let provider: Provider | undefined;
  let providerHandler: NodeHandler | undefined;
  const ctx: AdminContext = {
    get provider(): Provider {
      if (!provider) throw new Error('the lab provider is not built yet');
      return provider;
    },
    store,
    realm,
    clients,
    activity,
    keys,
  };

  const realmPath = `/realms/${realmName}`;
  const { server, port: boundPort } = await listen(
    route({
      realmPath,
      provider: () => providerHandler ?? ((_req, res) => void res.writeHead(503).end()),
      admin: (req, res, url) => handleAdminRequest(ctx, req, res, url),
    }),
    port,
  );
  const origin = `http://127.0.0.1:${boundPort}`;
  let issuer = `${origin}${realmPath}`;

  // oidc-provider reads its keystore only when constructed, so a key change builds a new
  // Provider over the same storage; sessions, grants, tokens and clients carry over.
  const rebuild = () => {
    const next = buildProvider({
      issuer,
      realm,
      store,
      jwks: keys.privateJwks(),
      adminClientId: clients.get('admin').clientId,
      onSessionActivity: (uid) => activity.touch(uid),
    });
    provider = next;
    providerHandler = next.callback();
  };

  try {
    rebuild();
    // Client metadata is validated when a client is first loaded; fail at start, not mid-test.
    for (const client of clients.all()) {
      if (!(await ctx.provider.Client.find(client.clientId))) throw new Error(`lab client ${client.clientId} did not load`);
    }
    for (let i = 0; i < SEEDED_SESSIONS; i++) await issueUserTokens(ctx);
  } catch (error) {
    await close(server);
    store.close();
    throw error;
  }

  let closed: Promise<void> | undefined;
  return {
    origin,
    get issuer() {
      return issuer;
    },
    exposeAt(publicOrigin) {
      issuer = `${new URL(publicOrigin).origin}${realmPath}`;
      rebuild();
    },
    realm: realmName,
    // A getter, so a secret regenerated through the admin API shows here too.
    get clients() {
      return {
        admin: clients.toLabClient('admin'),
        post: clients.toLabClient('post'),
        jwt: clients.toLabClient('jwt'),
        app: clients.toLabClient('app'),
      };
    },
    user: { id: realm.user.id, username: realm.user.username },
    resources: { jwt: realm.resources.jwt, opaque: realm.resources.opaque },
    issueUserTokens: () => issueUserTokens(ctx),
    issueOpaqueAccessTokens: (count) => issueOpaqueAccessTokens(ctx, count),
    async rotateSigningKey() {
      const key = await keys.rotate();
      rebuild();
      return { kid: key.kid };
    },
    async retireSigningKey(kid) {
      keys.retire(kid);
      rebuild();
    },
    close() {
      closed ??= close(server).finally(() => store.close());
      return closed;
    },
  };
}
