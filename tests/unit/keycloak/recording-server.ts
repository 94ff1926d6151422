/**
 * A tiny Keycloak stand-in on 127.0.0.1 for contract tests: it records every request exactly as
 * it arrived (method, raw path with query, headers, body) and answers from a script the test
 * writes, usually with the documented samples in tests/fixtures/keycloak. Its token endpoint
 * issues "admin-token-1", "admin-token-2", … and counts the requests.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpClient } from '../../../electron/core/servers/http';
import type { ServerConnection } from '../../../electron/core/servers/connection';

export interface Recorded {
  method: string;
  /** The request target as sent: path and query, still percent-encoded. */
  target: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export const REALM = 'lab';
export const ADMIN_SECRET = 'recorder-admin-secret-0123456789';
export const TOKEN_PATH = `/realms/${REALM}/protocol/openid-connect/token`;
export const ADMIN = `/admin/realms/${REALM}`;

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/keycloak/${name}`, import.meta.url), 'utf8'));
}

export interface Recorder {
  origin: string;
  issuer: string;
  /** Every admin request, in order (token requests are counted, not listed). */
  requests: Recorded[];
  tokenRequests: number;
  /** Lifetime the token endpoint gives its tokens (expires_in, seconds); null leaves it out. */
  tokenLifetime: number | null;
  tokenType: string;
  /** Answers for `METHOD target`, used in order; the last one repeats. */
  on(method: string, target: string, ...replies: Reply[]): void;
  connection(): ServerConnection;
  close(): Promise<void>;
}

export async function startRecorder(): Promise<Recorder> {
  const scripts = new Map<string, Reply[]>();
  const recorder = {
    requests: [] as Recorded[],
    tokenRequests: 0,
    tokenLifetime: 300 as number | null,
    tokenType: 'Bearer',
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = req.url ?? '';
      const send = (reply: Reply) => {
        const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
        res.writeHead(reply.status, { ...(reply.json !== undefined ? { 'content-type': 'application/json' } : {}), ...reply.headers });
        res.end(body);
      };
      if (req.method === 'POST' && target === TOKEN_PATH) {
        recorder.tokenRequests += 1;
        const expected = `Basic ${Buffer.from(`credops-admin:${ADMIN_SECRET}`).toString('base64')}`;
        if (req.headers.authorization !== expected) return send({ status: 401, json: { error: 'invalid_client' } });
        const lifetime = recorder.tokenLifetime === null ? {} : { expires_in: recorder.tokenLifetime };
        return send({ status: 200, json: { access_token: `admin-token-${recorder.tokenRequests}`, token_type: recorder.tokenType, ...lifetime } });
      }
      recorder.requests.push({ method: req.method ?? '', target, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const queue = scripts.get(`${req.method} ${target}`);
      if (!queue || queue.length === 0) return send({ status: 599, json: { error: `the test scripted no answer for ${req.method} ${target}` } });
      send(queue.length > 1 ? (queue.shift() as Reply) : queue[0]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}/realms/${REALM}`;
  const http = createHttpClient({ timeoutMs: 5000 });
  return Object.assign(recorder, {
    origin,
    issuer,
    on(method: string, target: string, ...replies: Reply[]) {
      scripts.set(`${method} ${target}`, replies);
    },
    connection(): ServerConnection {
      return {
        http,
        metadata: { issuer, token_endpoint: `${origin}${TOKEN_PATH}` },
        auth: { method: 'client_secret_basic', clientId: 'credops-admin', clientSecret: ADMIN_SECRET },
      };
    },
    async close() {
      await http.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
