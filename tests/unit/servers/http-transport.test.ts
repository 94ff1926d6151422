/**
 * The HTTP layer against real sockets on 127.0.0.1: small node:http and node:https servers that
 * misbehave on purpose. TLS certificates come from tests/support/test-tls.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, mayHaveReachedServer, type HttpClient } from '../../../electron/core/servers/http';
import { makeServerCertificate, makeTestCa, startHttpsServer, type TestCertificate, type TestHttpsServer } from '../../support/test-tls';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function client(settings: Parameters<typeof createHttpClient>[0] = {}): HttpClient {
  const http = createHttpClient(settings);
  cleanups.push(() => http.close());
  return http;
}

async function plainServer(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ origin: string; hits: string[] }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`);
      handler(req, res, Buffer.concat(chunks).toString());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

async function failure(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a failure');
}

describe('requests and answers', () => {
  it('sends a form with its content type and user agent, and reads status, headers, Retry-After', async () => {
    const { origin } = await plainServer((req, res, body) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '9' });
      res.end(JSON.stringify({ type: req.headers['content-type'], ua: req.headers['user-agent'], body }));
    });
    const answer = await client({ userAgent: 'CredOps-test' }).request({ method: 'POST', url: `${origin}/token`, form: { grant_type: 'client_credentials', scope: 'a b' } });
    expect(answer.status).toBe(429);
    expect(answer.retryAfterMs).toBe(9000);
    expect(answer.header('Content-Type')).toBe('application/json');
    expect(JSON.parse(answer.text)).toEqual({ type: 'application/x-www-form-urlencoded', ua: 'CredOps-test', body: 'grant_type=client_credentials&scope=a+b' });
  });

  it('does not follow a redirect: a POST carrying a secret is never re-sent elsewhere', async () => {
    const { origin, hits } = await plainServer((req, res) => {
      if (req.url === '/token') res.writeHead(307, { location: '/elsewhere' }).end();
      else res.writeHead(200).end('{}');
    });
    const answer = await client().request({ method: 'POST', url: `${origin}/token`, form: { client_secret: 's3cr3t' } });
    expect(answer.status).toBe(307);
    expect(hits).toEqual(['POST /token']);
  });

  it('gives up on a body larger than the bound instead of buffering it', async () => {
    const { origin } = await plainServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('x'.repeat(300 * 1024));
    });
    const error = await failure(client().request({ method: 'GET', url: `${origin}/certs`, maxBytes: 256 * 1024 }));
    expect(error).toMatchObject({ code: 'SERVER_BAD_RESPONSE', message: expect.stringContaining('larger than 256 KiB') });
  });
});

describe('transport failures say what happened and whether the request may have arrived', () => {
  it('a refused connection never reached the server', async () => {
    const { origin } = await plainServer(() => undefined);
    const port = new URL(origin).port;
    await cleanups.pop()!();
    const error = await failure(client().request({ method: 'POST', url: `http://127.0.0.1:${port}/revoke`, form: {} }));
    expect(error).toMatchObject({ code: 'SERVER_UNREACHABLE', message: expect.stringContaining('refused') });
    expect(mayHaveReachedServer(error)).toBe(false);
  });

  it('an unknown host name is a DNS failure that never reached anything', async () => {
    const error = await failure(client().request({ method: 'GET', url: 'https://credops-lab.invalid/.well-known/openid-configuration' }));
    expect(error).toMatchObject({ code: 'SERVER_DNS', message: expect.stringContaining('credops-lab.invalid') });
    expect(mayHaveReachedServer(error)).toBe(false);
  });

  it('a server that takes the request and never answers times out, and the request may have been processed', async () => {
    const { origin, hits } = await plainServer(() => undefined);
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 300 }).request({ method: 'POST', url: `${origin}/revoke`, form: { token: 't' } }));
    expect(error).toMatchObject({ code: 'SERVER_TIMEOUT', message: expect.stringContaining('may have been processed') });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(hits).toEqual(['POST /revoke']);
    expect(mayHaveReachedServer(error)).toBe(true);
  });

  it('a connection closed after the request was sent may have been processed', async () => {
    const { origin, hits } = await plainServer((req) => req.socket.destroy());
    const error = await failure(client().request({ method: 'POST', url: `${origin}/revoke`, form: { token: 't' } }));
    expect(error).toMatchObject({ code: 'SERVER_UNREACHABLE', message: expect.stringContaining('closed the connection without answering') });
    expect(hits).toHaveLength(1);
    expect(mayHaveReachedServer(error)).toBe(true);
  });

  it('a caller cancelling before the answer gets an AbortError that says the request was sent', async () => {
    const { origin } = await plainServer(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(client().request({ method: 'POST', url: `${origin}/revoke`, form: {}, signal: controller.signal }));
    expect(error.name).toBe('AbortError');
    expect(error.message).toContain('cancelled after it was sent');
    expect(mayHaveReachedServer(error)).toBe(true);
  });
});

describe('TLS: verified always, with an optional extra CA per server', () => {
  let ca: TestCertificate;
  let servers: Record<'selfSigned' | 'caSigned' | 'wrongHost' | 'expired', TestHttpsServer>;
  const ok = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');

  beforeAll(async () => {
    ca = await makeTestCa();
    const day = 24 * 60 * 60 * 1000;
    servers = {
      selfSigned: await startHttpsServer(await makeServerCertificate({ ca: null, ips: ['127.0.0.1'] }), ok),
      caSigned: await startHttpsServer(await makeServerCertificate({ ca, ips: ['127.0.0.1'] }), ok),
      wrongHost: await startHttpsServer(await makeServerCertificate({ ca, dns: ['auth.example.test'] }), ok),
      expired: await startHttpsServer(await makeServerCertificate({ ca, ips: ['127.0.0.1'], notBefore: new Date(Date.now() - 30 * day), notAfter: new Date(Date.now() - day) }), ok),
    };
  });
  afterAll(async () => {
    for (const server of Object.values(servers ?? {})) await server.close();
  });

  it('names a self-signed certificate, and the request never left', async () => {
    const error = await failure(client().request({ method: 'GET', url: `${servers.selfSigned.origin}/x` }));
    expect(error).toMatchObject({ code: 'SERVER_TLS', message: expect.stringContaining('self-signed') });
    expect(mayHaveReachedServer(error)).toBe(false);
  });

  it('names an unknown CA, and trusts it once it is the server\'s extra CA', async () => {
    expect(await failure(client().request({ method: 'GET', url: `${servers.caSigned.origin}/x` }))).toMatchObject({ code: 'SERVER_TLS', message: expect.stringContaining('certificate authority CredOps does not trust') });
    const answer = await client({ extraCaPem: ca.cert }).request({ method: 'GET', url: `${servers.caSigned.origin}/x` });
    expect(answer.status).toBe(200);
    // The extra CA is added to the public roots for that client only, not to every client.
    expect(await failure(client().request({ method: 'GET', url: `${servers.caSigned.origin}/y` }))).toMatchObject({ code: 'SERVER_TLS' });
  });

  it('names a hostname mismatch and what the certificate is for, even with the CA trusted', async () => {
    const error = await failure(client({ extraCaPem: ca.cert }).request({ method: 'GET', url: `${servers.wrongHost.origin}/x` }));
    expect(error).toMatchObject({ code: 'SERVER_TLS', message: expect.stringMatching(/hostname mismatch.*auth\.example\.test/) });
  });

  it('names an expired certificate, even with the CA trusted', async () => {
    const error = await failure(client({ extraCaPem: ca.cert }).request({ method: 'GET', url: `${servers.expired.origin}/x` }));
    expect(error).toMatchObject({ code: 'SERVER_TLS', message: expect.stringContaining('expired') });
  });

  it('says when the port does not speak TLS at all', async () => {
    const { origin } = await plainServer((_req, res) => res.end());
    const error = await failure(client().request({ method: 'GET', url: origin.replace('http:', 'https:') }));
    expect(error).toMatchObject({ code: 'SERVER_TLS', message: expect.stringContaining('does not speak TLS') });
  });

  it('refuses an extra CA that is not a PEM certificate', () => {
    expect(() => createHttpClient({ extraCaPem: 'not a certificate' })).toThrow(expect.objectContaining({ code: 'SERVER_TLS' }));
    expect(() => createHttpClient({ extraCaPem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' })).toThrow(expect.objectContaining({ code: 'SERVER_TLS' }));
  });
});
