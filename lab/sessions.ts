import type { LabContext } from './context.js';

// Reading and ending the user's sessions and grants, through oidc-provider's own models and
// storage, for the Keycloak admin endpoints and the Lab API. oidc-provider has no admin API for
// this; what it does have is the rule that a token whose grant or session is gone is dead:
// refresh tokens bound to a session fail at the token endpoint (invalid_grant) once the session
// is gone, and introspection answers `active: false` once the grant is gone. Ending a session
// here removes both, plus the tokens themselves.

/** Keycloak's lastAccess: when a token was last minted in the session. oidc-provider keeps no such field. */
export class SessionActivity {
  readonly #lastAccess = new Map<string, number>();

  touch(sessionUid: string): void {
    this.#lastAccess.set(sessionUid, Date.now());
  }

  lastAccess(sessionUid: string): number | undefined {
    return this.#lastAccess.get(sessionUid);
  }

  forget(sessionUid: string): void {
    this.#lastAccess.delete(sessionUid);
  }
}

export interface SessionView {
  /** the session's uid: stable for its life (oidc-provider rotates the session's jti, never its uid) */
  id: string;
  userId: string;
  /** epoch ms */
  start: number;
  /** epoch ms */
  lastAccess: number;
  rememberMe: boolean;
  /** client_ids with an authorization in this session */
  clientIds: string[];
}

export function listUserSessions(ctx: LabContext, userId: string): SessionView[] {
  const views: SessionView[] = [];
  for (const [, payload] of ctx.store.list('Session')) {
    if (payload.accountId !== userId || typeof payload.uid !== 'string') continue;
    const startSeconds = typeof payload.loginTs === 'number' ? payload.loginTs : (payload.iat ?? 0);
    const start = startSeconds * 1000;
    const authorizations = (payload.authorizations ?? {}) as Record<string, unknown>;
    views.push({
      id: payload.uid,
      userId,
      start,
      lastAccess: Math.max(start, ctx.activity.lastAccess(payload.uid) ?? start),
      rememberMe: payload.transient !== true,
      clientIds: Object.keys(authorizations),
    });
  }
  return views.sort((a, b) => a.start - b.start);
}

/** Ends a grant: its access tokens, refresh tokens and codes, then the grant itself. */
export async function endGrant(ctx: LabContext, grantId: string): Promise<void> {
  const { provider } = ctx;
  await Promise.all([
    provider.AccessToken.adapter.revokeByGrantId(grantId),
    provider.RefreshToken.adapter.revokeByGrantId(grantId),
    provider.AuthorizationCode.adapter.revokeByGrantId(grantId),
    provider.Grant.adapter.destroy(grantId),
  ]);
}

/** Ends one session and every grant it holds. Returns false when there is no such session. */
export async function endSession(ctx: LabContext, sessionUid: string): Promise<boolean> {
  const session = await ctx.provider.Session.findByUid(sessionUid);
  if (!session) return false;
  const grantIds = Object.values(session.authorizations ?? {})
    .map((authorization) => authorization.grantId)
    .filter((grantId): grantId is string => typeof grantId === 'string');
  for (const grantId of grantIds) await endGrant(ctx, grantId);
  await session.destroy();
  ctx.activity.forget(sessionUid);
  return true;
}

/**
 * Keycloak's "log the user out": every session of the user, and (because in Keycloak every
 * token belongs to a session) every other grant of the user too, such as the ones behind
 * issueOpaqueAccessTokens, which are not tied to a session.
 */
export async function endUserSessions(ctx: LabContext, userId: string): Promise<number> {
  const sessions = listUserSessions(ctx, userId);
  for (const session of sessions) await endSession(ctx, session.id);
  const grantIds = [...ctx.store.list('Grant')]
    .filter(([, payload]) => payload.accountId === userId)
    .map(([grantId]) => grantId);
  for (const grantId of grantIds) await endGrant(ctx, grantId);
  return sessions.length;
}
