import { randomUUID } from 'node:crypto';
import type { ClientInstance } from 'oidc-provider';
import type { LabContext } from './context.js';
import type { LabTokens } from './lab.js';
import { RESOURCE_SCOPE } from './realm.js';
import { TTL } from './provider.js';

// Minting the user's sessions and tokens directly through oidc-provider's models (Session, Grant,
// RefreshToken, AccessToken), the way its authorization_code grant would after a login, without
// driving a browser through login pages. Everything is saved through the provider, so the token
// endpoint, introspection and revocation treat these tokens exactly like ones they issued.

const USER_SCOPE = 'openid profile email';

async function appClient(ctx: LabContext): Promise<ClientInstance> {
  const { clientId } = ctx.clients.get('app');
  const client = await ctx.provider.Client.find(clientId);
  if (!client) throw new Error(`lab client ${clientId} is missing from storage`);
  return client;
}

function resourceServer(ctx: LabContext, resource: string) {
  const info = ctx.realm.resourceServerInfo(resource);
  if (!info) throw new Error(`unknown resource ${resource}`);
  return new ctx.provider.ResourceServer(resource, info);
}

/** A grant for the `app` client covering the user's OIDC scopes and both resource servers. */
async function newGrant(ctx: LabContext, client: ClientInstance, resources: string[], openid: boolean): Promise<string> {
  const grant = new ctx.provider.Grant({ accountId: ctx.realm.user.id, clientId: client.clientId });
  if (openid) grant.addOIDCScope(USER_SCOPE);
  for (const resource of resources) grant.addResourceScope(resource, RESOURCE_SCOPE);
  return grant.save();
}

/** A new login session for the user, with a refresh token and one access token per resource. */
export async function issueUserTokens(ctx: LabContext): Promise<LabTokens> {
  const { provider, realm } = ctx;
  const client = await appClient(ctx);
  const now = Math.floor(Date.now() / 1000);
  const resources = [realm.resources.jwt, realm.resources.opaque];

  const grantId = await newGrant(ctx, client, resources, true);
  // A UUID uid, because Keycloak's session ids are UUIDs and the admin API shows the uid.
  const session = new provider.Session({ uid: randomUUID(), accountId: realm.user.id, loginTs: now, amr: ['pwd'], acr: '1' });
  // Keycloak puts the user-session id in every token's `sid`; the session uid plays that part,
  // so a token introspected in CredOps points at the session the admin API lists.
  session.sidFor(client.clientId, session.uid);
  session.grantIdFor(client.clientId, grantId);
  await session.save(TTL.session);

  // Bound to the session like Keycloak's online refresh tokens: no session, no refresh.
  const common = {
    accountId: realm.user.id,
    client,
    grantId,
    sessionUid: session.uid,
    sid: session.uid,
    expiresWithSession: true,
    gty: 'authorization_code',
  };
  const refreshToken = await new provider.RefreshToken({
    ...common,
    scope: `${USER_SCOPE} ${RESOURCE_SCOPE}`,
    resource: resources,
    authTime: now,
    acr: '1',
    amr: ['pwd'],
  }).save();
  const accessToken = await new provider.AccessToken({
    ...common,
    scope: RESOURCE_SCOPE,
    resourceServer: resourceServer(ctx, realm.resources.opaque),
  }).save();
  const jwtAccessToken = await new provider.AccessToken({
    ...common,
    scope: RESOURCE_SCOPE,
    resourceServer: resourceServer(ctx, realm.resources.jwt),
  }).save();

  return { sessionId: session.uid, grantId, accessToken, jwtAccessToken, refreshToken };
}

/**
 * Many opaque access tokens for the user, for bulk introspection and revocation. Each gets its
 * own grant on purpose: revoking an access token at oidc-provider's revocation endpoint also
 * revokes every other access token of the same grant, so tokens sharing one grant could not be
 * revoked one at a time. They belong to no session (there would be thousands).
 */
export async function issueOpaqueAccessTokens(ctx: LabContext, count: number): Promise<string[]> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const { provider, realm } = ctx;
  const client = await appClient(ctx);
  const server = resourceServer(ctx, realm.resources.opaque);
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const grantId = await newGrant(ctx, client, [realm.resources.opaque], false);
    const token = new provider.AccessToken({
      accountId: realm.user.id,
      client,
      grantId,
      gty: 'authorization_code',
      scope: RESOURCE_SCOPE,
      resourceServer: server,
    });
    tokens.push(await token.save());
  }
  return tokens;
}
