import { describe, expect, it } from 'vitest';
import { failureFor, parseRetryAfter, quoteServerText, readJson, serverError, type HttpAnswer } from '../../../electron/core/servers/http';

function answer(status: number, text: string, headers: Record<string, string> = {}): HttpAnswer {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, text, header: (name) => lower[name.toLowerCase()] ?? null, retryAfterMs: parseRetryAfter(lower['retry-after'] ?? null) };
}

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
  });

  it('reads an HTTP-date as the wait until then, and a date in the past as no wait', () => {
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Monday, 23-Nov-26 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Mon Nov 23 12:00:05 2026', now)).toBe(5000);
    expect(parseRetryAfter('Mon Nov  2 12:00:05 2026', now)).toBe(0);
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:00 GMT', now)).toBe(0);
  });

  it('caps a huge wait at an hour rather than trusting a server to park the console for a day or forever', () => {
    expect(parseRetryAfter('86400', now)).toBe(3_600_000);
    expect(parseRetryAfter('99999999999999999999999', now)).toBe(3_600_000);
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(3_600_000);
  });

  it('ignores junk: negative, fractional, words, empty, absent', () => {
    for (const junk of ['-5', '1.5', 'soon', 'June', '', '5s', 'Infinity', '0x10', 'Mon, 99 Foo 2026 GMT']) expect(parseRetryAfter(junk, now), junk).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('readJson', () => {
  it('parses a JSON body', () => {
    expect(readJson(answer(200, '{"active":true}', { 'content-type': 'application/json' }), 'the introspection endpoint')).toEqual({ active: true });
  });

  it('says an HTML page came back, whatever the content type claims', () => {
    for (const page of [answer(200, '<!doctype html><title>Login</title>', { 'content-type': 'text/html' }), answer(200, '  <html></html>', { 'content-type': 'application/json' })]) {
      expect(() => readJson(page, 'the token endpoint')).toThrow(expect.objectContaining({ code: 'SERVER_NOT_JSON', message: expect.stringContaining('an HTML page') }));
    }
  });

  it('says the body was empty, or was text that is not JSON, without quoting the body', () => {
    expect(() => readJson(answer(200, ''), 'the token endpoint')).toThrow(expect.objectContaining({ code: 'SERVER_NOT_JSON', message: expect.stringContaining('empty') }));
    const secretish = 'access_token=eyJhbGciOiJIUzI1NiJ9.leaked.value';
    try {
      readJson(answer(200, secretish, { 'content-type': 'application/x-www-form-urlencoded' }), 'the token endpoint');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'SERVER_NOT_JSON', message: expect.stringContaining('not JSON (application/x-www-form-urlencoded)') });
      expect((error as Error).message).not.toContain('leaked');
    }
  });

  it('refuses JSON nested deep enough to exhaust whatever walks it', () => {
    expect(() => readJson(answer(200, '['.repeat(5000) + ']'.repeat(5000)), 'the JWKS')).toThrow(expect.objectContaining({ code: 'SERVER_BAD_RESPONSE' }));
  });
});

describe('failureFor', () => {
  it('401 and 403 are refusals quoting the server error; 400 invalid_client too', () => {
    const refused = failureFor(answer(401, '{"error":"invalid_client","error_description":"client authentication failed"}'), 'the token endpoint');
    expect(refused).toMatchObject({ code: 'SERVER_REFUSED', message: expect.stringContaining('invalid_client (client authentication failed)') });
    expect(refused.message).toMatch(/^The token endpoint refused the request \(HTTP 401/);
    expect(failureFor(answer(403, ''), 'x').code).toBe('SERVER_REFUSED');
    expect(failureFor(answer(400, '{"error":"invalid_client"}'), 'x').code).toBe('SERVER_REFUSED');
  });

  it('429 and 503 carry the server\'s Retry-After', () => {
    expect(failureFor(answer(429, '', { 'retry-after': '12' }), 'the revocation endpoint')).toMatchObject({ code: 'SERVER_RATE_LIMITED', retryAfterMs: 12_000, message: expect.stringContaining('try again in 12 s') });
    expect(failureFor(answer(503, '', { 'retry-after': '3' }), 'x')).toMatchObject({ code: 'SERVER_UNAVAILABLE', retryAfterMs: 3000 });
    expect(failureFor(answer(503, ''), 'x')).toMatchObject({ code: 'SERVER_UNAVAILABLE', retryAfterMs: undefined });
  });

  it('other statuses are server errors; a redirect names only where it points, never its query', () => {
    expect(failureFor(answer(500, '{"error":"server_error"}'), 'x')).toMatchObject({ code: 'SERVER_ERROR', message: expect.stringContaining('HTTP 500: server_error') });
    expect(failureFor(answer(400, '{"error":"invalid_request"}'), 'x').code).toBe('SERVER_ERROR');
    const redirect = failureFor(answer(302, '', { location: 'https://login.example.com/sso?code=SECRETCODE' }), 'x');
    expect(redirect).toMatchObject({ code: 'SERVER_ERROR', message: expect.stringContaining('https://login.example.com/sso') });
    expect(redirect.message).not.toContain('SECRETCODE');
  });

  it('strips control and bidi characters from what the server says and bounds its length', () => {
    const hostile = JSON.stringify({ error: 'invalid_client\u001b[31m', error_description: `line\r\nbreak\u202Eevil ${'x'.repeat(5000)}` });
    const { message } = failureFor(answer(401, hostile), 'x');
    for (const c of ['\u001b', '\r', '\n', '\u202e']) expect(message).not.toContain(c);
    expect(message.length).toBeLessThan(500);
    expect(serverError(answer(400, '{"error": 7}')).error).toBeNull();
    expect(quoteServerText('a\u0000b', 10)).toBe('a b');
  });
});
