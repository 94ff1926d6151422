/**
 * Where Keycloak's Admin REST API lives for a realm, and the URL of each call the adapter makes.
 * Every value that comes from input (a user id, a session id, a client's id) is one path segment
 * or one query value and can never change which endpoint is called: it is percent-encoded, and
 * the two values encoding cannot neutralise ("." and "..", which URL parsers resolve as dot
 * segments even when written %2E) are refused.
 */
import { CoreError } from '../../errors';
import { quoteServerText } from '../http';

/**
 * `${origin}${context}/realms/${realm}` → `${origin}${context}/admin/realms/${realm}`. The context
 * path is "/auth" on Keycloak before 17 (and on later ones started with --http-relative-path=/auth),
 * empty by default since, or whatever a deployment chose.
 */
export function keycloakAdminBase(issuer: string, realm: string): string {
  const notKeycloak = (why: string) =>
    new CoreError('SERVER_UNSUPPORTED', `The issuer ${quoteServerText(issuer, 200)} is not a Keycloak realm URL for realm ${quoteServerText(realm, 100)} (${why}). A Keycloak issuer ends in /realms/<realm>, such as https://login.example.com/realms/${quoteServerText(realm, 100) || 'main'}.`);
  if (!realm || realm === '.' || realm === '..' || /[/\\?#]/.test(realm)) {
    throw new CoreError('SERVER_UNSUPPORTED', `${quoteServerText(realm, 100) ? `"${quoteServerText(realm, 100)}" is not` : 'An empty name is not'} a usable Keycloak realm name: name the realm exactly as it appears in the issuer URL, after /realms/.`);
  }
  if (!URL.canParse(issuer)) throw notKeycloak('it is not a URL');
  const url = new URL(issuer);
  if (url.search || url.hash || url.username || url.password) throw notKeycloak('it carries a query, fragment or user name');
  const match = /^((?:\/[^/]+)*)\/realms\/([^/]+)$/.exec(url.pathname);
  if (!match) throw notKeycloak('its path does not end in /realms/<realm>');
  let named: string;
  try {
    named = decodeURIComponent(match[2]);
  } catch {
    throw notKeycloak('its realm segment is not valid percent-encoding');
  }
  if (named !== realm) throw notKeycloak(`it names realm ${quoteServerText(named, 100)}`);
  return `${url.origin}${match[1]}/admin/realms/${encodeURIComponent(realm)}`;
}

/** One path segment from input, encoded; refused when it could not stay one segment. */
export function segment(value: string, what: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new CoreError('INVALID_INPUT', `${what} cannot be ${value === '' ? 'empty' : `"${value}"`}: enter the id exactly as Keycloak shows it.`);
  }
  return encodeURIComponent(value);
}

function query(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}

/** The admin API URLs of one realm, from its base (keycloakAdminBase). */
export function adminPaths(base: string) {
  return {
    /** GET → UserRepresentation[]; exact=true asks for the user name itself, not a substring search. */
    usersByUsername: (username: string) => `${base}/users?${query({ username, exact: 'true' })}`,
    /** GET → UserSessionRepresentation[] */
    userSessions: (userId: string) => `${base}/users/${segment(userId, 'A user id')}/sessions`,
    /** POST → 204: every session of the user ends. */
    userLogout: (userId: string) => `${base}/users/${segment(userId, 'A user id')}/logout`,
    /** DELETE → 204 */
    session: (sessionId: string) => `${base}/sessions/${segment(sessionId, 'A session id')}`,
    /** PUT RealmRepresentation (only the members sent are changed) → 204 */
    realm: () => base,
    /** POST → GlobalRequestResult: the realm's not-before sent to every client with an admin URL. */
    pushRevocation: () => `${base}/push-revocation`,
    /** GET → ClientRepresentation[] whose clientId is exactly this one. */
    clientsByClientId: (clientId: string) => `${base}/clients?${query({ clientId })}`,
    /** POST → CredentialRepresentation with the new secret. */
    clientSecret: (clientUuid: string) => `${base}/clients/${segment(clientUuid, 'A client\'s internal id')}/client-secret`,
    /** GET → KeysMetadataRepresentation */
    keys: () => `${base}/keys`,
  };
}

export type AdminPaths = ReturnType<typeof adminPaths>;
