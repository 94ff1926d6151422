/**
 * What Keycloak adds to the standards, through its Admin REST API: finding a user, listing and
 * ending their sessions, logging them out, pushing the realm's not-before, regenerating a
 * client's secret and listing the realm's keys. Calls carry the admin client's own bearer token
 * (admin-token.ts); a token the server refuses is replaced once, and the request sent again only
 * when that cannot do anything twice. Answers are checked against Keycloak's documented
 * representations; errors say what happened and what to do, with Keycloak's own words where it
 * gave any, and never carry a token or a secret.
 */
import { z } from 'zod';
import type { ProviderSession, RealmKey } from '../../../../shared/servers';
import { CoreError, isCoreError } from '../../errors';
import { redactSecrets, type ServerConnection } from '../connection';
import { failureFor, quoteServerText, readJson, type HttpAnswer, type HttpRequest } from '../http';
import { AdminTokenSource } from './admin-token';
import { adminPaths, keycloakAdminBase, type AdminPaths } from './paths';
import {
  clientRepresentation,
  clientSecretCredential,
  globalRequestResult,
  keysMetadataRepresentation,
  parseRepresentation,
  realmRepresentation,
  userRepresentation,
  userSessionRepresentation,
} from './representations';

export { keycloakAdminBase } from './paths';

/** How far ahead of the server's Date header a not-before may be (Date has whole seconds; clocks drift). */
const MAX_CLOCK_AHEAD_MS = 30_000;

/** Requests that do the same thing when sent twice. */
const IDEMPOTENT = new Set<HttpRequest['method']>(['GET', 'PUT', 'DELETE']);

/** The realm-management role each call needs, for the advice on a 403. */
type Role = 'view-users' | 'manage-users' | 'view-realm' | 'manage-realm' | 'view-clients' | 'manage-clients';

interface AdminCall {
  method: HttpRequest['method'];
  url: string;
  json?: unknown;
  /** Names the call in messages: "Keycloak's user search in realm lab". */
  what: string;
  /** What the call does, for a refusal: "list users' sessions". */
  action: string;
  role: Role;
  /** The sentence for a 404 that means the named user, session or client does not exist. */
  notFound?: string;
  /** Statuses that mean success. */
  ok: number[];
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Keycloak's own words in an error answer: `error`, `errorMessage` or `error_description`, bounded. */
export function keycloakSaid(answer: HttpAnswer): string | null {
  let json: unknown;
  try {
    json = answer.text.length <= 64 * 1024 ? JSON.parse(answer.text) : null;
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const record = json as Record<string, unknown>;
  const words = [record.errorMessage, record.error_description, record.error].find((value): value is string => typeof value === 'string' && value.trim() !== '');
  return words ? quoteServerText(words, 200) : null;
}

/** A 401 that proves the request was not processed: a Bearer challenge (RFC 6750 §3) refusing the token. */
function tokenRefusedBeforeProcessing(answer: HttpAnswer): boolean {
  return /^\s*Bearer\b/i.test(answer.header('www-authenticate') ?? '');
}

const iso = (epochMs: number) => (epochMs > 0 ? new Date(epochMs).toISOString() : null);

export class KeycloakAdmin {
  readonly #connection: ServerConnection;
  readonly #realm: string;
  readonly #paths: AdminPaths;
  readonly #tokens: AdminTokenSource;

  /** Refuses (SERVER_UNSUPPORTED) an issuer that is not a Keycloak realm URL for `realm`. */
  constructor(connection: ServerConnection, realm: string, options: { now?: () => number } = {}) {
    this.#connection = connection;
    this.#realm = realm;
    this.#paths = adminPaths(keycloakAdminBase(connection.metadata.issuer, realm));
    this.#tokens = new AdminTokenSource(connection, options);
  }

  get #inRealm(): string {
    return `in realm ${quoteServerText(this.#realm, 100)}`;
  }

  /** Users whose user name is exactly `username` (Keycloak compares user names case-insensitively). */
  async findUsers(username: string): Promise<{ id: string; username: string }[]> {
    if (username.trim() === '') throw new CoreError('INVALID_INPUT', 'Enter a user name to search for.');
    const call = this.#call('GET', this.#paths.usersByUsername(username), `Keycloak's user search ${this.#inRealm}`, 'search users', 'view-users');
    const users = parseRepresentation(z.array(userRepresentation), await this.#json(call), capitalize(call.what), 'a list of UserRepresentation');
    // exact=true is honoured since Keycloak 12; an older server searches substrings, so check here too.
    const wanted = username.toLowerCase();
    return users.filter((user) => user.username.toLowerCase() === wanted).map((user) => ({ id: user.id, username: user.username }));
  }

  async userSessions(userId: string): Promise<ProviderSession[]> {
    const call = this.#call('GET', this.#paths.userSessions(userId), `Keycloak's session list ${this.#inRealm}`, 'list users\' sessions', 'view-users', {
      notFound: `No user with that id ${this.#inRealm}. Search for the user by name to get the id.`,
    });
    const sessions = parseRepresentation(z.array(userSessionRepresentation), await this.#json(call), capitalize(call.what), 'a list of UserSessionRepresentation');
    return sessions.map((session) => ({
      id: session.id,
      ipAddress: session.ipAddress ?? null,
      start: iso(session.start),
      lastAccess: iso(session.lastAccess),
      clients: Object.values(session.clients),
    }));
  }

  async endSession(sessionId: string): Promise<void> {
    await this.#send(
      this.#call('DELETE', this.#paths.session(sessionId), `Keycloak's session removal ${this.#inRealm}`, 'end sessions', 'manage-users', {
        notFound: `No session with that id ${this.#inRealm}; it may have ended already.`,
        ok: [200, 204],
      }),
    );
  }

  /** Ends every session of the user, and with them the tokens issued in those sessions. */
  async logoutUser(userId: string): Promise<void> {
    await this.#send(
      this.#call('POST', this.#paths.userLogout(userId), `Keycloak's user logout ${this.#inRealm}`, 'log users out', 'manage-users', {
        notFound: `No user with that id ${this.#inRealm}. Search for the user by name to get the id.`,
        ok: [200, 204],
      }),
    );
  }

  /**
   * Sets the realm's not-before to `now` (whole seconds, as Keycloak keeps it: a token issued in
   * the same second stays valid, so the admin client's next token does too) and asks Keycloak to
   * push it to every client that has an admin URL. The realm is read first: a later not-before
   * already set is kept (lowering it would bring back tokens it ended), and a `now` ahead of the
   * server's clock is refused (it would refuse every new token until then). After the change the
   * realm is read again to confirm it.
   */
  async pushNotBefore(now: Date): Promise<{ notBefore: string; pushedTo: string[]; failed: string[] }> {
    const wanted = Math.floor(now.getTime() / 1000);
    if (!Number.isFinite(wanted) || wanted <= 0) throw new CoreError('INVALID_INPUT', 'The not-before time is not a valid date.');
    const before = await this.#readRealm();
    if (before.serverNow !== null && wanted * 1000 > before.serverNow + MAX_CLOCK_AHEAD_MS) {
      const ahead = Math.round((wanted * 1000 - before.serverNow) / 1000);
      throw new CoreError('INVALID_INPUT', `The not-before would be ${ahead} s ahead of Keycloak's clock, which would make it refuse every new token until then. Check this computer's clock; nothing was changed.`);
    }
    let notBefore = before.notBefore ?? 0;
    const at = () => new Date(notBefore * 1000).toISOString();
    const afterSet = (step: string) => (error: unknown) => {
      if (!isCoreError(error)) return error;
      return new CoreError(error.code, `The realm's not-before is set to ${at()}, so Keycloak refuses tokens issued before then; but ${step} failed: ${error.message}`, { retryAfterMs: error.retryAfterMs, cause: error });
    };
    if (notBefore < wanted) {
      await this.#send(this.#call('PUT', this.#paths.realm(), `Keycloak's realm settings ${this.#inRealm}`, 'change the realm\'s not-before', 'manage-realm', { json: { notBefore: wanted }, ok: [200, 204] }));
      notBefore = wanted;
      // The admin client's own token predates the not-before and is now refused: fetch a new one.
      this.#tokens.forget();
      const after = await this.#readRealm().catch((error: unknown) => Promise.reject(afterSet('reading the realm back')(error)));
      if (after.notBefore === undefined || after.notBefore < wanted) {
        throw new CoreError('SERVER_BAD_RESPONSE', `Keycloak accepted the new not-before (${at()}), but the realm ${after.notBefore === undefined ? 'does not report one' : `still reports ${new Date(after.notBefore * 1000).toISOString()}`}. Check the realm's Sessions → Revocation tab in the Keycloak console before relying on it.`);
      }
    }
    const push = this.#call('POST', this.#paths.pushRevocation(), `Keycloak's not-before push ${this.#inRealm}`, 'push the realm\'s not-before', 'manage-realm');
    const result = await this.#json(push)
      .then((json) => parseRepresentation(globalRequestResult, json, capitalize(push.what), 'a GlobalRequestResult'))
      .catch((error: unknown) => Promise.reject(afterSet('pushing it to the clients\' admin URLs')(error)));
    return { notBefore: at(), pushedTo: result.successRequests ?? [], failed: result.failedRequests ?? [] };
  }

  /** The realm's not-before (epoch seconds) and the server's clock from its Date header, if it sent one. */
  async #readRealm(): Promise<{ notBefore: number | undefined; serverNow: number | null }> {
    const call = this.#call('GET', this.#paths.realm(), `Keycloak's realm settings ${this.#inRealm}`, 'view the realm\'s settings', 'view-realm');
    const answer = await this.#send(call);
    const realm = parseRepresentation(realmRepresentation, readJson(answer, call.what), capitalize(call.what), 'a RealmRepresentation');
    const date = Date.parse(answer.header('date') ?? '');
    return { notBefore: realm.notBefore, serverNow: Number.isNaN(date) ? null : date };
  }

  /** A new secret for the client whose OAuth client_id is `clientId`; the old one stops working. */
  async regenerateClientSecret(clientId: string): Promise<{ clientUuid: string; secret: string }> {
    const named = `"${quoteServerText(clientId, 100)}"`;
    const notFound = `No client with client id ${named} ${this.#inRealm}. Check the client id (it is case-sensitive).`;
    const find = this.#call('GET', this.#paths.clientsByClientId(clientId), `Keycloak's client search ${this.#inRealm}`, 'view clients', 'view-clients');
    const clients = parseRepresentation(z.array(clientRepresentation), await this.#json(find), capitalize(find.what), 'a list of ClientRepresentation').filter((client) => client.clientId === clientId);
    if (clients.length === 0) throw new CoreError('SERVER_NOT_FOUND', notFound);
    if (clients.length > 1) throw new CoreError('SERVER_BAD_RESPONSE', `${capitalize(find.what)} found ${clients.length} clients with client id ${named}, where Keycloak allows one; CredOps will not guess which to change.`);
    const [client] = clients;
    if (client.publicClient) throw new CoreError('SERVER_UNSUPPORTED', `Client ${named} is a public client: it has no secret to regenerate.`);
    if (client.clientAuthenticatorType === 'client-jwt' || client.clientAuthenticatorType === 'client-x509') {
      throw new CoreError('SERVER_UNSUPPORTED', `Client ${named} authenticates with ${client.clientAuthenticatorType === 'client-jwt' ? 'a signed JWT (private_key_jwt)' : 'a certificate'}, not a secret: rotate its key instead.`);
    }
    const regenerate = this.#call('POST', this.#paths.clientSecret(client.id), `Keycloak's client secret regeneration ${this.#inRealm}`, 'regenerate client secrets', 'manage-clients', { notFound });
    const credential = parseRepresentation(clientSecretCredential, await this.#json(regenerate), capitalize(regenerate.what), 'a CredentialRepresentation');
    return { clientUuid: client.id, secret: credential.value };
  }

  /** The realm's keys; `active` marks the key that signs (or encrypts) for its algorithm now. */
  async realmKeys(): Promise<RealmKey[]> {
    const call = this.#call('GET', this.#paths.keys(), `Keycloak's key list ${this.#inRealm}`, 'view the realm\'s keys', 'view-realm');
    const metadata = parseRepresentation(keysMetadataRepresentation, await this.#json(call), capitalize(call.what), 'a KeysMetadataRepresentation');
    return metadata.keys.map((key) => ({
      kid: key.kid,
      algorithm: key.algorithm ?? null,
      type: key.type ?? null,
      status: key.status ?? null,
      use: key.use ?? null,
      active: key.algorithm !== undefined && Object.hasOwn(metadata.active, key.algorithm) && metadata.active[key.algorithm] === key.kid,
    }));
  }

  #call(method: AdminCall['method'], url: string, what: string, action: string, role: Role, extra: Partial<Pick<AdminCall, 'json' | 'notFound' | 'ok'>> = {}): AdminCall {
    return { method, url, what, action, role, ok: [200], ...extra };
  }

  async #json(call: AdminCall): Promise<unknown> {
    return readJson(await this.#send(call), call.what);
  }

  /** Sends a call with the admin token; on a 401 gets a new token and sends it once more if that is safe. */
  async #send(call: AdminCall): Promise<HttpAnswer> {
    const used: string[] = [];
    try {
      let token = await this.#tokens.token();
      used.push(token);
      let answer = await this.#request(call, token);
      if (answer.status === 401) {
        this.#tokens.refused(token);
        if (IDEMPOTENT.has(call.method) || tokenRefusedBeforeProcessing(answer)) {
          token = await this.#tokens.token();
          used.push(token);
          answer = await this.#request(call, token);
          if (answer.status === 401) this.#tokens.refused(token);
        }
      }
      if (!call.ok.includes(answer.status)) throw this.#failure(answer, call);
      return answer;
    } catch (error) {
      throw redactSecrets(error, used);
    }
  }

  #request(call: AdminCall, token: string): Promise<HttpAnswer> {
    return this.#connection.http.request({
      method: call.method,
      url: call.url,
      headers: { authorization: `Bearer ${token}` },
      ...(call.json === undefined ? {} : { json: call.json }),
    });
  }

  #failure(answer: HttpAnswer, call: AdminCall): CoreError {
    const said = keycloakSaid(answer);
    const status = `HTTP ${answer.status}${said ? `: ${said}` : ''}`;
    const What = capitalize(call.what);
    if (answer.status === 404) {
      if (said && /realm not found/i.test(said)) return new CoreError('SERVER_NOT_FOUND', `Keycloak has no realm ${quoteServerText(this.#realm, 100)} (${status}). Check the realm name in the server settings; it is case-sensitive.`);
      if (call.notFound) return new CoreError('SERVER_NOT_FOUND', call.notFound);
      return new CoreError('SERVER_ERROR', `${What} was not found (${status}). Check that the issuer is a Keycloak realm and that its admin API is reachable at the same address.`);
    }
    if (answer.status === 401) {
      return new CoreError('SERVER_REFUSED', `Keycloak refused the admin client's token for ${call.what} (${status}), even a freshly issued one. Check that the admin client is enabled, has "Service accounts" turned on, and that its tokens are meant for this realm.`);
    }
    if (answer.status === 403) {
      return new CoreError('SERVER_REFUSED', `The admin client may not ${call.action} ${this.#inRealm} (${status}). In Keycloak, give its service account the realm-management role "${call.role}".`);
    }
    const generic = failureFor(answer, call.what);
    const message = said && !generic.message.includes(said) ? `${generic.message} Keycloak said: "${said}".` : generic.message;
    return new CoreError(generic.code, message, { retryAfterMs: generic.retryAfterMs });
  }
}
