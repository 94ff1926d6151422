import { randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, calculateJwkThumbprint, type JWK } from 'jose';
import type { LabClient } from './lab.js';
import type { LabStore } from './store.js';

// The realm's clients. They are kept in the lab's storage as oidc-provider "dynamic" clients
// (Client.find reads the adapter when a client is not in the static `clients` setting, and caches
// by a hash of the metadata), so regenerating a secret is one write and takes effect on the next
// request: the old secret stops authenticating at once.

export type LabClientMethod = LabClient['method'];

export type LabClientRole = 'admin' | 'post' | 'jwt' | 'app';

/** A client as the lab tracks it: what lab.ts exports, plus Keycloak's view of it. */
export interface RegisteredClient extends LabClient {
  role: LabClientRole;
  /** Keycloak's internal client id (a UUID); the admin API addresses clients by it */
  uuid: string;
  description: string;
}

/** Where the `app` client would send a browser; the lab issues its tokens directly instead. */
export const APP_REDIRECT_URI = 'https://app.lab.invalid/callback';

const DEFINITIONS: Record<LabClientRole, { clientId: string; method: LabClientMethod; description: string }> = {
  admin: { clientId: 'credops-admin', method: 'client_secret_basic', description: "CredOps' admin client: introspects and revokes any token, calls the admin API" },
  post: { clientId: 'credops-post', method: 'client_secret_post', description: 'client_credentials with the secret in the form body' },
  jwt: { clientId: 'credops-jwt', method: 'private_key_jwt', description: 'client_credentials with an RFC 7523 client assertion' },
  app: { clientId: 'lab-app', method: 'client_secret_basic', description: "the relying party the user's sessions and tokens belong to" },
};

/** Keycloak-style secrets: 32 characters of URL-safe randomness. */
export function newClientSecret(): string {
  return randomBytes(24).toString('base64url');
}

export class ClientRegistry {
  readonly #store: LabStore;
  readonly #byRole = new Map<LabClientRole, RegisteredClient>();

  private constructor(store: LabStore) {
    this.#store = store;
  }

  /** Creates the four lab clients with fresh secrets and a fresh ES256 key for the jwt client. */
  static async seed(store: LabStore): Promise<ClientRegistry> {
    const registry = new ClientRegistry(store);
    for (const role of Object.keys(DEFINITIONS) as LabClientRole[]) {
      const { clientId, method, description } = DEFINITIONS[role];
      const client: RegisteredClient = { role, clientId, method, description, uuid: randomUUID() };
      if (method === 'private_key_jwt') client.privateJwk = await newClientKey();
      else client.clientSecret = newClientSecret();
      registry.#byRole.set(role, client);
      registry.#save(client);
    }
    return registry;
  }

  get(role: LabClientRole): RegisteredClient {
    const client = this.#byRole.get(role);
    if (!client) throw new Error(`no lab client for role ${role}`);
    return client;
  }

  all(): RegisteredClient[] {
    return [...this.#byRole.values()];
  }

  byClientId(clientId: string): RegisteredClient | undefined {
    return this.all().find((client) => client.clientId === clientId);
  }

  byUuid(uuid: string): RegisteredClient | undefined {
    return this.all().find((client) => client.uuid === uuid);
  }

  /** Replaces a secret-based client's secret in storage; returns the new secret. */
  regenerateSecret(client: RegisteredClient): string {
    if (client.clientSecret === undefined) throw new Error(`${client.clientId} authenticates with a key, not a secret`);
    client.clientSecret = newClientSecret();
    this.#save(client);
    return client.clientSecret;
  }

  /** The public view the exported Lab API hands out (a copy, so callers cannot edit the registry). */
  toLabClient(role: LabClientRole): LabClient {
    const { clientId, method, clientSecret, privateJwk } = this.get(role);
    return {
      clientId,
      method,
      ...(clientSecret !== undefined ? { clientSecret } : {}),
      ...(privateJwk !== undefined ? { privateJwk: { ...privateJwk } } : {}),
    };
  }

  #save(client: RegisteredClient): void {
    this.#store.set('Client', client.clientId, metadataFor(client));
  }
}

async function newClientKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
}

function publicPart(jwk: JWK): JWK {
  const { kty, crv, x, y, n, e, kid, alg, use } = jwk;
  return Object.fromEntries(Object.entries({ kty, crv, x, y, n, e, kid, alg, use }).filter(([, value]) => value !== undefined));
}

/** oidc-provider client metadata (RFC 7591 names). Every confidential client may use client_credentials. */
function metadataFor(client: RegisteredClient): Record<string, unknown> {
  const base: Record<string, unknown> = {
    client_id: client.clientId,
    client_name: client.description,
    token_endpoint_auth_method: client.method,
  };
  if (client.clientSecret !== undefined) base.client_secret = client.clientSecret;
  // The jwt client's public key sits in its metadata, so the provider verifies assertions offline.
  if (client.privateJwk !== undefined) base.jwks = { keys: [publicPart(client.privateJwk)] };
  if (client.role === 'app') {
    return {
      ...base,
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      redirect_uris: [APP_REDIRECT_URI],
    };
  }
  return { ...base, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] };
}
