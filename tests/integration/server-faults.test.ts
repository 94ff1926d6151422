/**
 * What the console does when the network or the server misbehaves, through a real
 * fault-injecting proxy in front of the lab. Metadata is discovered from the lab directly (the
 * issuer must match exactly, and the lab's issuer is the lab's), then its endpoints are pointed
 * at the proxy; the lab itself is asked, directly, what really happened.
 */
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/lab';
import type { ClientAuth } from '../../electron/core/servers/client-auth';
import type { ServerConnection } from '../../electron/core/servers/connection';
import { discover, type ServerMetadata } from '../../electron/core/servers/discovery';
import { createHttpClient, type HttpClient } from '../../electron/core/servers/http';
import { introspectToken } from '../../electron/core/servers/introspection';
import { revokeToken } from '../../electron/core/servers/revocation';
import { requestClientCredentials } from '../../electron/core/servers/token-endpoint';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';

let lab: Lab;
let proxy: FaultProxy;
let http: HttpClient;
let impatient: HttpClient;
let direct: ServerMetadata;

const isRevocation = (path: string) => path.endsWith('/protocol/openid-connect/revoke');
const isIntrospection = (path: string) => path.endsWith('/token/introspect');

function adminAuth(): ClientAuth {
  const { clientId, clientSecret } = lab.clients.admin;
  return { method: 'client_secret_basic', clientId, clientSecret: clientSecret! };
}

/** The lab's metadata with every endpoint on `origin` instead. */
function via(origin: string): ServerMetadata {
  return JSON.parse(JSON.stringify(direct).split(lab.origin).join(origin)) as ServerMetadata;
}

function throughProxy(client = http, auth = adminAuth()): ServerConnection {
  return { http: client, metadata: via(proxy.origin), auth };
}

/** The lab asked without the proxy: the ground truth. */
async function activeAtLab(token: string): Promise<boolean> {
  return (await introspectToken({ http, metadata: direct, auth: adminAuth() }, token)).active;
}

async function freshToken(): Promise<string> {
  return (await lab.issueUserTokens()).accessToken;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  lab = await startLab({ port: 0 });
  proxy = await startFaultProxy(lab.origin);
  http = createHttpClient({ timeoutMs: 5000 });
  impatient = createHttpClient({ timeoutMs: 400 });
  direct = (await discover(http, lab.issuer)).metadata;
});
afterEach(() => proxy.setFault(null));
afterAll(async () => {
  await http?.close();
  await impatient?.close();
  await proxy?.close();
  await lab?.close();
});

describe('revocation under faults', () => {
  it('429 with Retry-After: not revoked yet, retry after the server\'s wait', async () => {
    const token = await freshToken();
    proxy.setFault((req) => (isRevocation(req.path) ? { kind: 'status', status: 429, headers: { 'retry-after': '7' }, body: '{"error":"slow_down"}' } : null));
    const outcome = await revokeToken(throughProxy(), token);
    expect(outcome).toMatchObject({ kind: 'retry', retryAfterMs: 7000, reached: false, reason: expect.stringContaining('not revoked yet') });
    expect(proxy.log.at(-1)).toMatchObject({ status: null });
    expect(await activeAtLab(token)).toBe(true);
  });

  it('503: not revoked yet; sent again once the server is back, it is revoked exactly once', async () => {
    const token = await freshToken();
    proxy.setFault((req) => (isRevocation(req.path) ? { kind: 'status', status: 503, headers: { 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' } } : null));
    expect(await revokeToken(throughProxy(), token)).toMatchObject({ kind: 'retry', retryAfterMs: 3_600_000, reached: false });
    proxy.setFault(null);
    expect(await revokeToken(throughProxy(), token)).toEqual({ kind: 'revoked' });
    expect(proxy.revocationsAcknowledged().get(token)).toBe(1);
    expect(await activeAtLab(token)).toBe(false);
  });

  it('an answer slower than the timeout is uncertain, and indeed the server revoked it after the console gave up', async () => {
    const token = await freshToken();
    proxy.setFault((req) => (isRevocation(req.path) ? { kind: 'delay', ms: 900 } : null));
    const outcome = await revokeToken(throughProxy(impatient), token);
    expect(outcome).toMatchObject({ kind: 'uncertain', reached: true, reason: expect.stringContaining('may have been processed') });
    await until(() => proxy.revocationsAcknowledged().get(token) === 1);
    expect(await activeAtLab(token)).toBe(false);
  });

  it('a connection dropped after the server answered is uncertain, and the proxy log shows the server said 200', async () => {
    const token = await freshToken();
    proxy.setFault((req) => (isRevocation(req.path) ? { kind: 'drop-after' } : null));
    const outcome = await revokeToken(throughProxy(), token);
    expect(outcome).toMatchObject({ kind: 'uncertain', reached: true, reason: expect.stringContaining('Check the token by introspection') });
    expect(proxy.log.filter((e) => isRevocation(e.path)).at(-1)).toMatchObject({ status: 200 });
    expect(proxy.revocationsAcknowledged().get(token)).toBe(1);
    expect(await activeAtLab(token)).toBe(false);
  });

  it('a connection dropped before forwarding looks the same to the client, so it is uncertain too; introspection shows it is safe to resend', async () => {
    const token = await freshToken();
    proxy.setFault((req) => (isRevocation(req.path) ? { kind: 'drop' } : null));
    expect(await revokeToken(throughProxy(), token)).toMatchObject({ kind: 'uncertain', reached: true });
    expect(proxy.log.filter((e) => isRevocation(e.path)).at(-1)).toMatchObject({ status: null });
    expect(await activeAtLab(token)).toBe(true);
    proxy.setFault(null);
    expect(await revokeToken(throughProxy(), token)).toEqual({ kind: 'revoked' });
    expect(proxy.revocationsAcknowledged().get(token)).toBe(1);
  });

  it('a server that never answers is uncertain after the timeout', async () => {
    const token = await freshToken();
    proxy.setFault((req) => (isRevocation(req.path) ? { kind: 'hang' } : null));
    expect(await revokeToken(throughProxy(impatient), token)).toMatchObject({ kind: 'uncertain', reached: true });
  });

  it('a refused connection is a retry: nothing was sent', async () => {
    const port = await closedPort();
    const conn: ServerConnection = { http, metadata: via(`http://127.0.0.1:${port}`), auth: adminAuth() };
    expect(await revokeToken(conn, await freshToken())).toMatchObject({ kind: 'retry', reached: false, retryAfterMs: null, reason: expect.stringContaining('refused') });
  });

  it('a gateway error is uncertain: the origin may have processed it', async () => {
    proxy.setFault((req) => (isRevocation(req.path) ? { kind: 'status', status: 502, body: '' } : null));
    expect(await revokeToken(throughProxy(), await freshToken())).toMatchObject({ kind: 'uncertain', reached: true });
  });
});

describe('errors a responder can act on', () => {
  it('a delay beyond the timeout on introspection is SERVER_TIMEOUT', async () => {
    proxy.setFault((req) => (isIntrospection(req.path) ? { kind: 'delay', ms: 900 } : null));
    await expect(introspectToken(throughProxy(impatient), await freshToken())).rejects.toMatchObject({ code: 'SERVER_TIMEOUT', message: expect.stringContaining('did not answer within 0.4 s') });
  });

  it('an HTML page instead of JSON is SERVER_NOT_JSON, saying it was an HTML page', async () => {
    proxy.setFault(() => ({ kind: 'html' }));
    await expect(introspectToken(throughProxy(), await freshToken())).rejects.toMatchObject({ code: 'SERVER_NOT_JSON', message: expect.stringContaining('an HTML page') });
    await expect(requestClientCredentials(throughProxy())).rejects.toMatchObject({ code: 'SERVER_NOT_JSON' });
    await expect(discover(http, `${proxy.origin}/realms/${lab.realm}`)).rejects.toMatchObject({ code: 'SERVER_NOT_JSON', message: expect.stringContaining('an HTML page') });
    expect(proxy.log.slice(-2).map((e) => e.path)).toEqual([`/realms/${lab.realm}/.well-known/openid-configuration`, `/.well-known/oauth-authorization-server/realms/${lab.realm}`]);
  });

  it('a wrong client secret is SERVER_REFUSED with the server\'s error, and neither secret in the message', async () => {
    const wrong = 'wrong-secret-Zq81xv';
    const auth: ClientAuth = { ...adminAuth(), clientSecret: wrong } as ClientAuth;
    const error = await requestClientCredentials(throughProxy(http, auth)).catch((e: Error) => e);
    expect(error).toMatchObject({ code: 'SERVER_REFUSED', message: expect.stringContaining('invalid_client') });
    expect(proxy.log.at(-1)).toMatchObject({ status: 401 });
    for (const secret of [wrong, lab.clients.admin.clientSecret!]) expect((error as Error).message).not.toContain(secret);
    const outcome = await revokeToken(throughProxy(http, auth), await freshToken());
    expect(outcome).toMatchObject({ kind: 'failed', code: 'SERVER_REFUSED' });
    expect(JSON.stringify(outcome)).not.toContain(wrong);
  });

  it('an unreachable port is SERVER_UNREACHABLE', async () => {
    const port = await closedPort();
    const conn: ServerConnection = { http, metadata: via(`http://127.0.0.1:${port}`), auth: adminAuth() };
    await expect(requestClientCredentials(conn)).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE', message: expect.stringContaining(`127.0.0.1:${port}`) });
  });

  it('a host name that does not exist is SERVER_DNS, for discovery and for revocation', async () => {
    await expect(discover(http, 'https://credops-lab.invalid/realms/lab')).rejects.toMatchObject({ code: 'SERVER_DNS', message: expect.stringContaining('credops-lab.invalid') });
    const conn: ServerConnection = { http, metadata: via('https://credops-lab.invalid'), auth: adminAuth() };
    expect(await revokeToken(conn, await freshToken())).toMatchObject({ kind: 'failed', code: 'SERVER_DNS' });
  });
});

describe('the fault proxy itself', () => {
  it('forwards unchanged by default: the server names itself in what it builds from the Host header', async () => {
    const answer = await http.request({ method: 'GET', url: `${proxy.origin}/realms/${lab.realm}/.well-known/openid-configuration` });
    expect(JSON.parse(answer.text)).toMatchObject({ issuer: lab.issuer, token_endpoint: `${lab.issuer}/protocol/openid-connect/token` });
  });

  it('with preserveHost, the server builds its endpoint URLs on the proxy origin, while the issuer stays its own', async () => {
    const keeping = await startFaultProxy(lab.origin, { preserveHost: true });
    try {
      const answer = await http.request({ method: 'GET', url: `${keeping.origin}/realms/${lab.realm}/.well-known/openid-configuration` });
      expect(JSON.parse(answer.text)).toMatchObject({ issuer: lab.issuer, token_endpoint: `${keeping.origin}/realms/${lab.realm}/protocol/openid-connect/token` });
      await expect(discover(http, `${keeping.origin}/realms/${lab.realm}`)).rejects.toMatchObject({ code: 'SERVER_ISSUER_MISMATCH' });
    } finally {
      await keeping.close();
    }
  });
});
