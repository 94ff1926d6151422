import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendError } from './http-json.js';

// The lab's one HTTP listener on 127.0.0.1, routing by path prefix like Keycloak's layout:
//   /realms/{realm}/...  → oidc-provider (issuer = origin + /realms/{realm})
//   /admin/...           → the Keycloak admin endpoints
// oidc-provider is mounted the way its docs mount it under a prefix in connect/express: the
// prefix is cut from req.url and the full path kept in req.originalUrl, from which it rebuilds
// absolute endpoint URLs (discovery, JWT `iss` comes from the issuer string itself).

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export interface Routes {
  /** the issuer's path, e.g. /realms/lab */
  realmPath: string;
  /** oidc-provider's request handler, looked up per request because the Provider can be replaced */
  provider: () => NodeHandler;
  admin: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
}

export function route(routes: Routes): NodeHandler {
  return async (req, res) => {
    const rawUrl = req.url ?? '/';
    let url: URL;
    try {
      url = new URL(rawUrl, 'http://127.0.0.1');
    } catch {
      return sendError(res, 400, 'Malformed request target');
    }
    const { pathname } = url;
    if (pathname === routes.realmPath || pathname.startsWith(`${routes.realmPath}/`)) {
      const mounted = req as IncomingMessage & { originalUrl?: string };
      mounted.originalUrl = rawUrl;
      mounted.url = rawUrl.slice(routes.realmPath.length) || '/';
      return routes.provider()(req, res);
    }
    if (pathname === '/admin' || pathname.startsWith('/admin/')) return routes.admin(req, res, url);
    if (pathname.startsWith('/realms/')) return sendError(res, 404, 'Realm does not exist');
    return sendError(res, 404, 'HTTP 404 Not Found');
  };
}

/** Listens on 127.0.0.1 only (port 0 = any free port) and resolves with the bound port. */
export async function listen(handler: NodeHandler, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      console.error('lab: request failed:', error);
      if (!res.headersSent) sendError(res, 500, 'unknown_error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/**
 * Stops accepting, ends idle keep-alive connections, and waits for in-flight requests; a client
 * that holds a connection open longer than the grace period is cut off, so close() always ends.
 */
export async function close(server: Server, graceMs = 2000): Promise<void> {
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  force.unref();
  try {
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
    });
  } finally {
    clearTimeout(force);
  }
}
