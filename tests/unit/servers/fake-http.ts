/**
 * An HttpClient that answers from a table instead of the network, for unit tests of what the
 * protocol modules do with an answer. Real sockets are exercised by the integration tests.
 */
import { parseRetryAfter, type HttpAnswer, type HttpClient, type HttpRequest } from '../../../electron/core/servers/http';

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function fakeAnswer({ status, body, headers = {} }: FakeReply): HttpAnswer {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const lower: Record<string, string> = { ...(typeof body === 'string' || body === undefined ? {} : { 'content-type': 'application/json' }) };
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return { status, text, header: (name) => lower[name.toLowerCase()] ?? null, retryAfterMs: parseRetryAfter(lower['retry-after'] ?? null) };
}

export function fakeHttp(reply: (req: HttpRequest) => FakeReply | Error): HttpClient & { requests: HttpRequest[] } {
  const requests: HttpRequest[] = [];
  return {
    requests,
    async request(req) {
      requests.push(req);
      const out = reply(req);
      if (out instanceof Error) throw out;
      return fakeAnswer(out);
    },
    async close() {},
  };
}
