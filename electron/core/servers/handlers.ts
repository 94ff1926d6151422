/**
 * The servers:* and sessions:* channels. Tokens pasted for a server call go to that server only;
 * provider actions that end something are audited after the server confirms them.
 */
import type { Handlers } from '../router';
import { CoreError } from '../errors';
import { openCredentialSecret, rotateCredentialSecret } from '../credentials/store';
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
      jobStatus(open(), jobId, null);
      return { items: itemViews(open(), jobId, states, offset, limit) };
    },
    'servers:bulkPause': ({ jobId }) => bulk.pause(jobId),
    'servers:bulkResume': ({ jobId }) => bulk.resume(jobId),
    'servers:bulkCancel': ({ jobId }) => bulk.cancel(jobId),
    'sessions:findUsers': async ({ serverId, username }) => ({ users: await (await keycloak(serverId)).admin.findUsers(username) }),
    'sessions:list': async ({ serverId, userId }) => ({ sessions: await (await keycloak(serverId)).admin.userSessions(userId) }),
    'sessions:end': async ({ serverId, sessionId }) => {
      const { row, admin } = await keycloak(serverId);
      await admin.endSession(sessionId);
      audit('session.ended', serverId, { server: row.name, realm: row.realm, sessionId });
      return {};
    },
    'sessions:logoutUser': async ({ serverId, userId }) => {
      const { row, admin } = await keycloak(serverId);
      await admin.logoutUser(userId);
      audit('session.userLoggedOut', serverId, { server: row.name, realm: row.realm, userId });
      return {};
    },
    'sessions:pushNotBefore': async ({ serverId }) => {
      const { row, admin } = await keycloak(serverId);
      const result = await admin.pushNotBefore(now());
      audit('session.notBeforePushed', serverId, { server: row.name, realm: row.realm, ...result });
      return result;
    },
    'sessions:regenerateSecret': async ({ serverId, clientId, credentialId }) => {
      const { row, admin } = await keycloak(serverId);
      const ownClient = clientId === row.client_id;
      // A regenerated secret that is kept nowhere locks its client out: refuse before asking.
      if (!ownClient && !credentialId) throw new CoreError('CREDENTIAL_INVALID', 'Choose the inventory credential that holds this client secret: the new secret is saved there.');
      const { secret } = await admin.regenerateClientSecret(clientId);
      let fingerprint = '';
      if (ownClient) open().write((tx) => (fingerprint = replaceClientSecret(tx, open(), findServer(open(), serverId), secret, now())));
      let savedTo: string | null = ownClient ? `server ${row.name}` : null;
      if (credentialId) {
        const saved = await rotateCredentialSecret(open(), credentialId, secret, `Client secret of ${clientId} regenerated at ${row.name}`, now());
        fingerprint = saved.fingerprint ?? fingerprint;
        savedTo = saved.name;
      }
      audit('server.clientSecretRegenerated', serverId, { server: row.name, realm: row.realm, clientId, fingerprint, savedTo });
      return { clientId, fingerprint, savedTo };
    },
    'sessions:realmKeys': async ({ serverId }) => ({ keys: await (await keycloak(serverId)).admin.realmKeys() }),
  };
}
