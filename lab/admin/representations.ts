import { APP_REDIRECT_URI, type RegisteredClient } from '../clients.js';
import type { SigningKeyRing } from '../keys.js';
import type { LabUser, Realm } from '../realm.js';
import type { SessionView } from '../sessions.js';

// Keycloak's Admin REST API JSON shapes (org.keycloak.representations.idm), each the subset the
// lab can fill truthfully. Field names and units follow Keycloak: timestamps in epoch
// milliseconds, except the realm's notBefore, which Keycloak keeps in epoch seconds.

export interface UserRepresentation {
  id: string;
  username: string;
  enabled: boolean;
  email?: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
  createdTimestamp: number;
}

export interface UserSessionRepresentation {
  id: string;
  username: string;
  userId: string;
  ipAddress: string;
  start: number;
  lastAccess: number;
  rememberMe: boolean;
  /** Keycloak keys this map by the client's internal id (UUID), valued by its clientId */
  clients: Record<string, string>;
  transientUser: boolean;
}

export interface RealmRepresentation {
  id: string;
  realm: string;
  enabled: boolean;
  notBefore: number;
}

export interface ClientRepresentation {
  id: string;
  clientId: string;
  name: string;
  enabled: boolean;
  publicClient: boolean;
  protocol: 'openid-connect';
  clientAuthenticatorType: 'client-secret' | 'client-jwt';
  serviceAccountsEnabled: boolean;
  standardFlowEnabled: boolean;
  directAccessGrantsEnabled: boolean;
  redirectUris: string[];
}

export interface CredentialRepresentation {
  type: 'secret';
  value: string;
}

export interface GlobalRequestResult {
  successRequests: string[];
  failedRequests: string[];
}

export interface KeyMetadataRepresentation {
  providerId: string;
  providerPriority: number;
  kid: string;
  status: 'ACTIVE' | 'PASSIVE';
  type: 'RSA';
  algorithm: string;
  publicKey: string;
  use: 'SIG';
}

export interface KeysMetadataRepresentation {
  active: Record<string, string>;
  keys: KeyMetadataRepresentation[];
}

export function toUser(user: LabUser): UserRepresentation {
  return {
    id: user.id,
    username: user.username,
    enabled: true,
    email: user.email,
    emailVerified: true,
    firstName: user.firstName,
    lastName: user.lastName,
    createdTimestamp: user.createdTimestamp,
  };
}

export function toUserSession(session: SessionView, user: LabUser, clientByClientId: (clientId: string) => RegisteredClient | undefined): UserSessionRepresentation {
  const clients: Record<string, string> = {};
  for (const clientId of session.clientIds) {
    const client = clientByClientId(clientId);
    if (client) clients[client.uuid] = client.clientId;
  }
  return {
    id: session.id,
    username: user.username,
    userId: user.id,
    // Sessions are minted in-process by the lab, so they all come from the loopback address.
    ipAddress: '127.0.0.1',
    start: session.start,
    lastAccess: session.lastAccess,
    rememberMe: session.rememberMe,
    clients,
    transientUser: false,
  };
}

export function toRealm(realm: Realm): RealmRepresentation {
  return { id: realm.id, realm: realm.name, enabled: true, notBefore: realm.notBefore };
}

export function toClient(client: RegisteredClient): ClientRepresentation {
  return {
    id: client.uuid,
    clientId: client.clientId,
    name: client.description,
    enabled: true,
    publicClient: false,
    protocol: 'openid-connect',
    // Keycloak's "Client Id and Secret" authenticator accepts both client_secret_basic and _post.
    clientAuthenticatorType: client.method === 'private_key_jwt' ? 'client-jwt' : 'client-secret',
    serviceAccountsEnabled: true,
    standardFlowEnabled: client.role === 'app',
    directAccessGrantsEnabled: false,
    redirectUris: client.role === 'app' ? [APP_REDIRECT_URI] : [],
  };
}

export function toSecret(value: string): CredentialRepresentation {
  return { type: 'secret', value };
}

/**
 * The realm keys as Keycloak lists them. The key that signs (first in the JWKS) is ACTIVE with
 * the highest priority; the others are still published for verification, which is what
 * Keycloak calls PASSIVE.
 */
export function toKeys(ring: SigningKeyRing): KeysMetadataRepresentation {
  const keys = ring.keys.map(
    (key, index): KeyMetadataRepresentation => ({
      providerId: key.providerId,
      providerPriority: 100 + (ring.keys.length - 1 - index),
      kid: key.kid,
      status: index === 0 ? 'ACTIVE' : 'PASSIVE',
      type: 'RSA',
      algorithm: 'RS256',
      publicKey: key.publicKeySpki,
      use: 'SIG',
    }),
  );
  return { active: { RS256: ring.signing.kid }, keys };
}
