/**
 * Certificates and HTTPS servers on 127.0.0.1 for TLS tests: a private CA, leaves it signs
 * (valid, expired, for another host name) and a self-signed one, made with `selfsigned`.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';

export interface TestCertificate {
  key: string;
  cert: string;
}

const DAY = 24 * 60 * 60 * 1000;

export async function makeTestCa(name = 'CredOps Test CA'): Promise<TestCertificate> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY),
    notAfterDate: new Date(Date.now() + 30 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * A server certificate for `ip` and/or `dns` names, signed by `ca` (or by itself when ca is
 * null), valid over [notBefore, notAfter].
 */
export async function makeServerCertificate(options: {
  ca: TestCertificate | null;
  ips?: string[];
  dns?: string[];
  notBefore?: Date;
  notAfter?: Date;
}): Promise<TestCertificate> {
  const altNames = [...(options.ips ?? []).map((ip) => ({ type: 7 as const, ip })), ...(options.dns ?? []).map((value) => ({ type: 2 as const, value }))];
  const pems = await generate([{ name: 'commonName', value: options.dns?.[0] ?? options.ips?.[0] ?? 'server' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: options.notBefore ?? new Date(Date.now() - DAY),
    notAfterDate: options.notAfter ?? new Date(Date.now() + 30 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
    ...(options.ca ? { ca: options.ca } : {}),
  });
  return { key: pems.private, cert: pems.cert };
}

export interface TestHttpsServer {
  origin: string;
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 with that certificate, answering every request with `handler`. */
export async function startHttpsServer(certificate: TestCertificate, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestHttpsServer> {
  const server: Server = createServer({ key: certificate.key, cert: certificate.cert }, handler);
  // A failed handshake is the point of several tests; the server must not crash over it.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
