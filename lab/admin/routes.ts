import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { LabContext } from '../context.js';
import type { SigningKeyRing } from '../keys.js';
import { HttpError, readJsonBody, sendError, sendJson } from '../http-json.js';
import { endSession, endUserSessions, listUserSessions } from '../sessions.js';
import { authorizeAdmin } from './auth.js';
import { toClient, toKeys, toRealm, toSecret, toUser, toUserSession, type GlobalRequestResult } from './representations.js';

// The slice of Keycloak's Admin REST API (under /admin/realms/{realm}) that CredOps' Keycloak
// adapter uses, backed by oidc-provider's real sessions, grants, clients and keys.

export interface AdminContext extends LabContext {
  readonly keys: SigningKeyRing;
}

interface Call {
  ctx: AdminContext;
  params: Record<string, string>;
  query: URLSearchParams;
  body: () => Promise<unknown>;
}

interface Reply {
  status: number;
  body?: unknown;
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** segments after /admin/realms/{realm}; ':name' captures one */
  path: string;
  handle: (call: Call) => Promise<Reply> | Reply;
}

const realmUpdate = z.looseObject({ notBefore: z.number().int().min(0).optional() });

function userOr404(call: Call) {
  const { user } = call.ctx.realm;
  if (call.params.id !== user.id) throw new HttpError(404, 'User not found');
  return user;
}

function clientOr404(call: Call) {
  const client = call.ctx.clients.byUuid(call.params.id);
  if (!client) throw new HttpError(404, 'Could not find client');
  return client;
}

/** Keycloak's `first` / `max` paging on list endpoints. */
function page<T>(items: T[], query: URLSearchParams): T[] {
  const first = Number.parseInt(query.get('first') ?? '0', 10);
  const max = Number.parseInt(query.get('max') ?? '', 10);
  const start = Number.isFinite(first) && first > 0 ? first : 0;
  return Number.isFinite(max) && max >= 0 ? items.slice(start, start + max) : items.slice(start);
}

const ROUTES: Route[] = [
  { method: 'GET', path: '', handle: ({ ctx }) => ({ status: 200, body: toRealm(ctx.realm) }) },
  {
    method: 'PUT',
    path: '',
    handle: async ({ ctx, body }) => {
      const parsed = realmUpdate.safeParse(await body());
      if (!parsed.success) throw new HttpError(400, 'notBefore must be a non-negative integer (epoch seconds)');
      // Only notBefore is writable here; other RealmRepresentation fields are accepted and ignored.
      if (parsed.data.notBefore !== undefined) ctx.realm.notBefore = parsed.data.notBefore;
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: 'push-revocation',
    // Keycloak pushes notBefore to each client's admin URL; no lab client has one, so no requests.
    handle: () => ({ status: 200, body: { successRequests: [], failedRequests: [] } satisfies GlobalRequestResult }),
  },
  {
    method: 'GET',
    path: 'users',
    handle: ({ ctx, query }) => {
      const { user } = ctx.realm;
      const exact = query.get('exact') === 'true';
      const matches = (value: string, wanted: string | null) =>
        wanted === null || (exact ? value.toLowerCase() === wanted.toLowerCase() : value.toLowerCase().includes(wanted.toLowerCase()));
      const search = query.get('search');
      const found =
        matches(user.username, query.get('username')) &&
        matches(user.email, query.get('email')) &&
        (search === null || [user.username, user.email, user.firstName, user.lastName].some((v) => v.toLowerCase().includes(search.toLowerCase())));
      return { status: 200, body: page(found ? [toUser(user)] : [], query) };
    },
  },
  {
    method: 'GET',
    path: 'users/:id/sessions',
    handle: (call) => {
      const user = userOr404(call);
      const { ctx } = call;
      const sessions = listUserSessions(ctx, user.id).map((session) => toUserSession(session, user, (id) => ctx.clients.byClientId(id)));
      return { status: 200, body: sessions };
    },
  },
  {
    method: 'POST',
    path: 'users/:id/logout',
    handle: async (call) => {
      await endUserSessions(call.ctx, userOr404(call).id);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: 'sessions/:id',
    handle: async ({ ctx, params }) => {
      if (!(await endSession(ctx, params.id))) throw new HttpError(404, 'Session not found');
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: 'clients',
    handle: ({ ctx, query }) => {
      const wanted = query.get('clientId');
      const search = query.get('search') === 'true';
      const clients = ctx.clients
        .all()
        .filter((client) => wanted === null || (search ? client.clientId.toLowerCase().includes(wanted.toLowerCase()) : client.clientId === wanted));
      return { status: 200, body: page(clients.map(toClient), query) };
    },
  },
  {
    method: 'GET',
    path: 'clients/:id/client-secret',
    handle: (call) => {
      const client = clientOr404(call);
      if (client.clientSecret === undefined) throw new HttpError(400, `${client.clientId} authenticates with private_key_jwt and has no secret`);
      return { status: 200, body: toSecret(client.clientSecret) };
    },
  },
  {
    method: 'POST',
    path: 'clients/:id/client-secret',
    handle: (call) => {
      const client = clientOr404(call);
      if (client.clientSecret === undefined) throw new HttpError(400, `${client.clientId} authenticates with private_key_jwt and has no secret`);
      return { status: 200, body: toSecret(call.ctx.clients.regenerateSecret(client)) };
    },
  },
  { method: 'GET', path: 'keys', handle: ({ ctx }) => ({ status: 200, body: toKeys(ctx.keys) }) },
];

function match(route: Route, segments: string[]): Record<string, string> | undefined {
  const pattern = route.path === '' ? [] : route.path.split('/');
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = segments[i];
    else if (pattern[i] !== segments[i]) return undefined;
  }
  return params;
}

/** Handles everything under /admin. Authentication first, as Keycloak does, then the realm, then the route. */
export async function handleAdminRequest(ctx: AdminContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    const segments = url.pathname.split('/').filter(Boolean).map((segment) => decodeURIComponent(segment));
    const auth = await authorizeAdmin(ctx, req.headers.authorization);
    if (!auth.ok) {
      if (auth.status === 401) return sendError(res, 401, 'HTTP 401 Unauthorized', { 'www-authenticate': `Bearer realm="${ctx.realm.name}"` });
      return sendError(res, 403, 'HTTP 403 Forbidden');
    }
    if (segments[1] !== 'realms' || segments.length < 3) return sendError(res, 404, 'HTTP 404 Not Found');
    if (segments[2] !== ctx.realm.name) return sendError(res, 404, 'Realm not found.');

    const rest = segments.slice(3);
    const candidates = ROUTES.map((route) => ({ route, params: match(route, rest) })).filter((c) => c.params !== undefined);
    if (candidates.length === 0) return sendError(res, 404, 'HTTP 404 Not Found');
    const chosen = candidates.find((c) => c.route.method === req.method);
    if (!chosen?.params) {
      const allow = candidates.map((c) => c.route.method).join(', ');
      return sendError(res, 405, 'HTTP 405 Method Not Allowed', { allow });
    }

    const reply = await chosen.route.handle({ ctx, params: chosen.params, query: url.searchParams, body: () => readJsonBody(req) });
    sendJson(res, reply.status, reply.body);
  } catch (error) {
    if (error instanceof HttpError) return sendError(res, error.status, error.message);
    if (error instanceof URIError) return sendError(res, 400, 'Malformed path');
    console.error('lab: admin endpoint failed:', error);
    sendError(res, 500, 'unknown_error');
  }
}
