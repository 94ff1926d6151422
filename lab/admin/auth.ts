import type { LabContext } from '../context.js';

// Who may call the admin API: a bearer access token that the admin client obtained from the
// token endpoint (client_credentials), checked against the provider's own storage, so an
// expired, revoked or not-before-invalidated token is refused like Keycloak refuses one.

export type AdminAuthorization = { ok: true } | { ok: false; status: 401 | 403 };

const BEARER = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

export async function authorizeAdmin(ctx: LabContext, authorization: string | undefined): Promise<AdminAuthorization> {
  const value = BEARER.exec(authorization ?? '')?.[1];
  if (!value) return { ok: false, status: 401 };
  const { provider } = ctx;
  // client_credentials tokens are stored as ClientCredentials; a user's opaque token as AccessToken.
  // Both find() calls verify expiry; storage hides revoked and stale ones. JWT access tokens are
  // not in storage, so they are not accepted here (the admin client's token is opaque).
  const token = (await provider.ClientCredentials.find(value)) ?? (await provider.AccessToken.find(value));
  if (!token?.isValid) return { ok: false, status: 401 };
  if (token.clientId !== ctx.clients.get('admin').clientId) return { ok: false, status: 403 };
  return { ok: true };
}
