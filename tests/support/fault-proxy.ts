/**
 * A real HTTP reverse proxy on 127.0.0.1 (node:http, ephemeral port) in front of one target
 * origin, which breaks chosen requests the way networks and gateways do: an error status, an
 * HTML page, a delay, a dropped connection before or after the server saw the request, a hang.
 * Everything else is forwarded unchanged. It is a separate listening socket, so clients in other
 * processes (the e2e harness, Electron) go through it too.
 *
 * Host header: by default the proxy rewrites Host to the target's, so the server sees an
 * ordinary request to itself and everything it builds from the request (oidc-provider builds
 * endpoint URLs from the Host it was addressed by) names the target, exactly as without the
 * proxy. A test that needs the server's discovery document to point its endpoints at the proxy
 * starts it with { preserveHost: true }. Either way the issuer is whatever the server was
 * configured with, never the proxy, so discovery through the proxy fails the exact issuer
 * match by design; fault tests discover directly and point the endpoints at `origin`.
 */
import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'html' }
  | { kind: 'delay'; ms: number }
  /** Destroy the client's socket before forwarding: the server never sees the request. */
  | { kind: 'drop' }
  /** Forward, let the server answer, then destroy the client's socket without relaying it. */
  | { kind: 'drop-after' }
  /** Never answer (until the proxy closes). */
  | { kind: 'hang' };

export interface ProxiedRequest {
  method: string;
  path: string;
  body: string;
}

export interface LogEntry extends ProxiedRequest {
  /** The upstream server's status; null when the request was not forwarded (or not answered). */
  status: number | null;
  at: number;
}

export type FaultRule = (req: ProxiedRequest) => Fault | null;

export interface FaultProxy {
  origin: string;
  setFault(rule: FaultRule | null): void;
  log: LogEntry[];
  /** How many times the server answered 200 to a revocation of each token. */
  revocationsAcknowledged(tokenOf?: (body: string) => string): Map<string, number>;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Keep the client's Host header instead of the target's (see the file comment). */
  preserveHost?: boolean;
  /** Which paths are revocation requests; default matches RFC 7009 and Keycloak paths. */
  revocationPath?: RegExp;
}

const HTML_PAGE = '<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in to continue</h1><form method="post"><input name="user"></form></body></html>';
/** Headers that describe one connection, not the message; the proxy sends its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer']);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

function defaultTokenOf(body: string): string {
  return new URLSearchParams(body).get('token') ?? '';
}

export async function startFaultProxy(targetOrigin: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetOrigin);
  if (target.protocol !== 'http:') throw new Error('The fault proxy forwards to http origins only.');
  const revocationPath = options.revocationPath ?? /revo(?:cation|ke)/i;
  const log: LogEntry[] = [];
  let rule: FaultRule | null = null;

  /** Sends the request upstream and buffers the whole answer, so a drop-after can withhold it. */
  function forward(req: IncomingMessage, body: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const headers = endToEnd(req.headers);
    if (!options.preserveHost) headers.host = target.host;
    headers['content-length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent: false }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
        answer.on('error', reject);
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const entry: LogEntry = { method: req.method ?? 'GET', path: req.url ?? '/', body, status: null, at: Date.now() };
    log.push(entry);
    const fault = rule?.({ method: entry.method, path: entry.path, body }) ?? null;
    switch (fault?.kind) {
      case 'status':
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(HTML_PAGE);
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'delay':
        // The request still reaches the server after the wait, even if the client gave up:
        // that is what makes a timed-out request uncertain.
        await new Promise((resolve) => setTimeout(resolve, fault.ms));
        break;
    }
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      answer = await forward(req, body);
    } catch {
      if (!res.headersSent && !res.destroyed) res.writeHead(502, { 'content-type': 'text/plain' }).end('fault proxy: upstream failed');
      return;
    }
    entry.status = answer.status;
    if (fault?.kind === 'drop-after') {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    const headers = endToEnd(answer.headers);
    headers['content-length'] = String(answer.body.length);
    res.writeHead(answer.status, headers);
    res.end(answer.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    log,
    setFault(next) {
      rule = next;
    },
    revocationsAcknowledged(tokenOf = defaultTokenOf) {
      const counts = new Map<string, number>();
      for (const entry of log) {
        if (entry.method !== 'POST' || entry.status !== 200 || !revocationPath.test(entry.path)) continue;
        const token = tokenOf(entry.body);
        counts.set(token, (counts.get(token) ?? 0) + 1);
      }
      return counts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging and kept-alive connections would otherwise hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
