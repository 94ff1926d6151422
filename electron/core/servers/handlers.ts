/**
 * The servers:* and sessions:* channels. Tokens pasted for a server call go to that server only;
 * provider actions that end something are audited after the server confirms them.
 */
import type { Handlers } from '../router';
import { CoreError, isCoreError } from '../errors';
import { getCredential, openCredentialSecret, rotateCredentialSecret } from '../credentials/store';
import type { OpenVault } from '../vault/open-vault';
import type { VaultService } from '../vault/vault-service';
import { itemViews, jobStatus, listJobIds } from './bulk/journal';
import type { BulkRevocations } from './bulk/service';
import { connectServer, type ServerClients } from './connect';
import { jwksView } from './jwks-history';
import { KeycloakAdmin } from './keycloak/adapter';
import { introspect, refreshJwks, revoke, testConnection, type ServerOps } from './operations';
import { addServer, deleteServer, findServer, listServers, replaceClientSecret, updateServer } from './store';

type ServerHandlers = Pick<Handlers, Extract<keyof Handlers, `servers:${string}` | `sessions:${string}`>>;

export interface ServerServices {
  vault: VaultService;
  clients: ServerClients;
  bulk: BulkRevocations;
  now(): Date;
}

export function serverHandlers({ vault, clients, bulk, now }: ServerServices): ServerHandlers {
  const open = (): OpenVault => vault.require();
  const ops: ServerOps = { vault: open, clients, now };
  const audit = (action: string, serverId: string, detail: Record<string, unknown>) => open().write((tx) => tx.audit({ action, target: serverId, detail }));

  /**
   * A provider action that changes something: audited whether it succeeds or fails, since a failure
   * after the server acted (a push that timed out) may still have changed the realm.
   */
  const providerAction = async <T,>(serverId: string, action: string, detail: Record<string, unknown>, act: (admin: KeycloakAdmin) => Promise<T>): Promise<T> => {
    const { row, admin } = await keycloak(serverId);
    try {
      const result = await act(admin);
      audit(action, serverId, { server: row.name, realm: row.realm, ...detail, ...(result && typeof result === 'object' && !('secret' in result) ? result : {}) });
      return result;
    } catch (error) {
      audit(`${action.split('.')[0]}.actionFailed`, serverId, { action, server: row.name, realm: row.realm, ...detail, code: isCoreError(error) ? error.code : 'INTERNAL' });
      throw error;
    }
  };

  const keycloak = async (serverId: string) => {
    const { row, connection } = await connectServer(open, clients, serverId, now());
    if (row.provider !== 'keycloak' || !row.realm) throw new CoreError('SERVER_UNSUPPORTED', `${row.name} is a standard OAuth server: sessions need the Keycloak kind with its realm.`);
    return { row, admin: new KeycloakAdmin(connection, row.realm) };
  };

  return {
    'servers:list': () => ({ servers: listServers(open()) }),
    'servers:add': ({ fields, clientSecret }) => addServer(open(), fields, clientSecret, now()),
    'servers:update': ({ id, fields, clientSecret }) => updateServer(open(), id, fields, clientSecret, now()),
    'servers:delete': ({ id }) => {
      deleteServer(open(), id);
      return {};
    },
    'servers:test': ({ id }) => testConnection(ops, id),
    'servers:jwks': ({ id }) => (findServer(open(), id), jwksView(open(), id)),
    'servers:refreshJwks': async ({ id }) => {
      await refreshJwks(ops, id);
      return jwksView(open(), id);
    },
    'servers:introspect': ({ serverId, token, hint }) => introspect(ops, serverId, token, hint),
    'servers:revoke': ({ serverId, token, hint }) => revoke(ops, serverId, token, hint),
    'servers:bulkStart': ({ serverId, label, hint, tokens, credentialIds }) => {
      // Inventory tokens are opened here, in main, and each opening is audited.
      const fromVault = credentialIds.map((id) => openCredentialSecret(open(), id, 'revoke'));
      return bulk.start({ serverId, label, hint, tokens: [...fromVault, ...tokens] });
    },
    'servers:bulkList': ({ serverId }) => ({ jobs: listJobIds(open(), serverId).map((id) => bulk.status(id)) }),
    'servers:bulkStatus': ({ jobId }) => bulk.status(jobId),
    'servers:bulkItems': ({ jobId, states, offset, limit }) => {
      jobStatus(open(), jobId, null, false);
      return { items: itemViews(open(), jobId, states, offset, limit) };
    },
    'servers:bulkPause': ({ jobId }) => bulk.pause(jobId),
    'servers:bulkResume': ({ jobId }) => bulk.resume(jobId),
    'servers:bulkCancel': ({ jobId }) => bulk.cancel(jobId),
    'sessions:findUsers': async ({ serverId, username }) => ({ users: await (await keycloak(serverId)).admin.findUsers(username) }),
    'sessions:list': async ({ serverId, userId }) => ({ sessions: await (await keycloak(serverId)).admin.userSessions(userId) }),
    'sessions:end': ({ serverId, sessionId }) => providerAction(serverId, 'session.ended', { sessionId }, (admin) => admin.endSession(sessionId)).then(() => ({})),
    'sessions:logoutUser': ({ serverId, userId }) => providerAction(serverId, 'session.userLoggedOut', { userId }, (admin) => admin.logoutUser(userId)).then(() => ({})),
    'sessions:pushNotBefore': ({ serverId }) => providerAction(serverId, 'session.notBeforePushed', {}, (admin) => admin.pushNotBefore(now())),
    'sessions:regenerateSecret': async ({ serverId, clientId, credentialId }) => {
      const row = findServer(open(), serverId);
      const ownClient = clientId === row.client_id;
      // A regenerated secret kept nowhere locks its client out: everything that could refuse to
      // keep it is checked before the server is asked.
      if (!ownClient && !credentialId) throw new CoreError('CREDENTIAL_INVALID', 'Choose the inventory credential that holds this client secret: the new secret is saved there.');
      if (credentialId) {
        const { credential } = getCredential(open(), credentialId, now());
        if (credential.kind === 'signing_key') throw new CoreError('CREDENTIAL_INVALID', `"${credential.name}" is a signing key; a client secret goes into an OAuth client or API key credential.`);
        if (credential.status === 'revoked') throw new CoreError('CREDENTIAL_INVALID', `"${credential.name}" is revoked; add the client as a new credential first.`);
      }
      const { secret } = await providerAction(serverId, 'server.clientSecretRegenerated', { clientId }, (admin) => admin.regenerateClientSecret(clientId));
      let fingerprint = '';
      let savedTo: string | null = null;
      try {
        if (ownClient) open().write((tx) => (fingerprint = replaceClientSecret(tx, open(), findServer(open(), serverId), secret, now())));
        savedTo = ownClient ? `server ${row.name}` : null;
        if (credentialId) {
          const saved = await rotateCredentialSecret(open(), credentialId, secret, `Client secret of ${clientId} regenerated at ${row.name}`, now());
          fingerprint = saved.fingerprint ?? fingerprint;
          savedTo = saved.name;
        }
      } catch (error) {
        audit('server.clientSecretNotSaved', serverId, { server: row.name, clientId, code: isCoreError(error) ? error.code : 'INTERNAL' });
        throw new CoreError('CREDENTIAL_INVALID', `The server issued a new secret for ${clientId}, but it could not be saved (${isCoreError(error) ? error.message : 'internal error'}). The old secret no longer works: regenerate again once the credential is fixed.`);
      }
      audit('server.clientSecretSaved', serverId, { server: row.name, clientId, fingerprint, savedTo });
      return { clientId, fingerprint, savedTo };
    },
    'sessions:realmKeys': async ({ serverId }) => ({ keys: await (await keycloak(serverId)).admin.realmKeys() }),
  };
}
