/**
 * The one way the core speaks HTTP to an auth server: undici's own fetch over an Agent of our
 * own, so a server with a private CA can be trusted for that server alone (Node's global fetch
 * would not take our Agent). TLS verification is never turned off. Every request has a deadline,
 * a bounded body, no redirects (a POST that carries a client secret or a token is never re-sent
 * somewhere else), and a transport failure says whether the request may have reached the server:
 * a revocation that may have been processed is checked before it is sent again.
 */
import { X509Certificate } from 'node:crypto';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { rootCertificates } from 'node:tls';
import { Agent, fetch, type Dispatcher } from 'undici';
import { CoreError, isCoreError } from '../errors';
import { nestsDeeperThan } from '../json-depth';

export interface HttpSettings {
  /** Whole-request deadline: connect, send, wait, read. Default 10 s. */
  timeoutMs?: number;
  /** A PEM CA (or bundle) trusted for this server in addition to the public roots. */
  extraCaPem?: string | null;
  userAgent?: string;
}

export interface HttpAnswer {
  status: number;
  header(name: string): string | null;
  text: string;
  /** Retry-After in ms (seconds or HTTP-date), capped at an hour; null when absent or unreadable. */
  retryAfterMs: number | null;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  json?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Largest body read before giving up. Default 1 MiB. */
  maxBytes?: number;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpAnswer>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 1024 * 1024;
const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;
const MAX_JSON_DEPTH = 32;
const MAX_QUOTED = 200;

/** Whether each thrown transport error happened after undici began writing the request. */
const reachedServer = new WeakMap<object, boolean>();

/**
 * False only when the request certainly never left: DNS, refused connection, TLS handshake,
 * connect timeout, cancelled before sending. Anything unknown counts as reached, the safe side.
 */
export function mayHaveReachedServer(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  return reachedServer.get(error) ?? true;
}

/** Where a request went, for messages: origin and path only (no query, no user info). */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; junk is null, the wait is capped. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (value == null) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // The three HTTP-date forms; Date.parse alone would also take "5s" or "June" as dates.
  const imfOrRfc850 = /^[A-Za-z]{3,9}, [0-9A-Za-z -]+ \d\d:\d\d:\d\d GMT$/.test(text);
  const asctime = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(text);
  if (!imfOrRfc850 && !asctime) return null;
  // asctime carries no zone but means GMT; Date.parse would read it as local time.
  const at = Date.parse(asctime ? `${text} GMT` : text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(at - now, 0), MAX_RETRY_AFTER_MS);
}

/** A server-supplied string made safe to show: no control or bidi characters, bounded length. */
export function quoteServerText(value: string, max = MAX_QUOTED): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069]+/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

function trustedCas(extraCaPem: string): string[] {
  const blocks = extraCaPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    if (blocks.length === 0) throw new Error('no certificate');
    for (const block of blocks) new X509Certificate(block);
  } catch {
    throw new CoreError('SERVER_TLS', 'The extra CA certificate for this server is not a PEM certificate. Paste the CA certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.');
  }
  return [...rootCertificates, ...blocks];
}

/** Wraps undici's handler for one request to note when it starts writing on a connected socket. */
function tracking(phase: { started: boolean }): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, {
      onRequestStart: (controller, context) => {
        phase.started = true;
        handler.onRequestStart?.(controller, context);
      },
      onRequestUpgrade: (...args) => handler.onRequestUpgrade?.(...args),
      onResponseStart: (...args) => handler.onResponseStart?.(...args),
      onResponseData: (...args) => handler.onResponseData?.(...args),
      onResponseEnd: (...args) => handler.onResponseEnd?.(...args),
      onResponseError: (...args) => handler.onResponseError?.(...args),
    });
}

async function readBody(body: WebReadableStream | null, maxBytes: number, where: string): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as ReadableStreamReadResult<Uint8Array>;
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new CoreError('SERVER_BAD_RESPONSE', `The answer from ${where} is larger than ${Math.round(maxBytes / 1024)} KiB, more than an auth server sends; check the URL.`);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Error codes along an error's cause chain, including each attempt of an AggregateError. */
function codesOf(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return [];
  seen.add(error);
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const inner = Array.isArray(e.errors) ? e.errors.flatMap((x) => codesOf(x, seen)) : [];
  return [...own, ...inner, ...codesOf(e.cause, seen)];
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL']);
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN']);
const UNTRUSTED = 'was issued by a certificate authority CredOps does not trust. If the server uses a private CA, add that CA certificate to the server settings';
const TLS_PROBLEMS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed and not trusted. If it is yours, add it (or its CA) to the server settings as the extra CA',
  SELF_SIGNED_CERT_IN_CHAIN: 'chains up to a self-signed root that is not trusted. If the server uses a private CA, add that CA certificate to the server settings',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT: UNTRUSTED,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: UNTRUSTED,
  CERT_HAS_EXPIRED: 'has expired; the server operator must renew it',
  CERT_NOT_YET_VALID: 'is not valid yet; check this computer\'s clock and the server\'s',
  CERT_REVOKED: 'has been revoked by its issuer',
  CERT_SIGNATURE_FAILURE: 'has an invalid signature',
  CERT_UNTRUSTED: 'is not trusted for serving a web site',
  INVALID_CA: 'chains through a certificate that is not allowed to act as a CA',
};

interface FailureContext { where: string; timedOut: boolean; cancelled: boolean; started: boolean; timeoutMs: number }

/** A fetch rejection told as a CoreError; the cause is kept for logs, the message says what to do. */
function describeTransportFailure(error: unknown, at: FailureContext): Error {
  const host = URL.canParse(at.where) ? new URL(at.where).host : at.where;
  const codes = codesOf(error);
  const dns = codes.find((c) => DNS_CODES.has(c));
  if (dns) return new CoreError('SERVER_DNS', `The name ${host} could not be found${dns === 'EAI_AGAIN' ? ' (DNS did not answer)' : ''}. Check the spelling of the URL and this computer's network.`, { cause: error });
  const unreachable = codes.find((c) => UNREACHABLE_CODES.has(c));
  if (unreachable) return new CoreError('SERVER_UNREACHABLE', `Could not reach ${host}: ${unreachable === 'ECONNREFUSED' ? 'the connection was refused' : 'no route to it'}. Check that the server is running and the URL and port are right.`, { cause: error });
  const tls = codes.find((c) => c in TLS_PROBLEMS || c === 'ERR_TLS_CERT_ALTNAME_INVALID' || c.startsWith('ERR_SSL_') || c.startsWith('ERR_TLS_') || c === 'EPROTO');
  if (tls && !at.started) return new CoreError('SERVER_TLS', `The TLS connection to ${host} failed: ${tlsProblem(tls, error)}.`, { cause: error });
  if (at.cancelled) {
    const cancelled = new Error(at.started ? `The request to ${at.where} was cancelled after it was sent.` : `The request to ${at.where} was cancelled before it was sent.`, { cause: error });
    cancelled.name = 'AbortError';
    return cancelled;
  }
  if (at.timedOut || codes.includes('UND_ERR_CONNECT_TIMEOUT') || codes.includes('UND_ERR_HEADERS_TIMEOUT') || codes.includes('UND_ERR_BODY_TIMEOUT')) {
    const seconds = Math.round(at.timeoutMs / 100) / 10;
    return new CoreError('SERVER_TIMEOUT', at.started
      ? `${at.where} did not answer within ${seconds} s. The request was sent and may have been processed.`
      : `Could not connect to ${host} within ${seconds} s. Check the URL and the network.`, { cause: error });
  }
  if (!at.started && /bad port/i.test(String((error as { cause?: { message?: unknown } })?.cause?.message))) {
    return new CoreError('SERVER_UNREACHABLE', `Could not connect to ${host}: HTTP clients refuse that port (it belongs to another protocol). Use the server's HTTPS port.`, { cause: error });
  }
  return new CoreError('SERVER_UNREACHABLE', at.started
    ? `${host} closed the connection without answering. The request was sent and may have been processed.`
    : `Could not connect to ${host}: the connection failed. Check the URL and the network.`, { cause: error });
}

function tlsProblem(code: string, error: unknown): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const inner = findWithCode(error, code) as { host?: unknown; cert?: { subjectaltname?: unknown } } | null;
    const names = typeof inner?.cert?.subjectaltname === 'string' ? inner.cert.subjectaltname : null;
    return `its certificate does not name this host (hostname mismatch)${names ? `; it is issued for ${quoteServerText(names, 120)}` : ''}. Use the host name the certificate names`;
  }
  if (code in TLS_PROBLEMS) return `its certificate ${TLS_PROBLEMS[code]}`;
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') return 'the server does not speak TLS on this port (is the URL http rather than https?)';
  return `the certificate could not be verified (${code})`;
}

function findWithCode(error: unknown, code: string, depth = 0): unknown {
  if (typeof error !== 'object' || error === null || depth > 8) return null;
  if ((error as { code?: unknown }).code === code) return error;
  return findWithCode((error as { cause?: unknown }).cause, code, depth + 1);
}

export function createHttpClient(settings: HttpSettings = {}): HttpClient {
  const ca = settings.extraCaPem ? trustedCas(settings.extraCaPem) : undefined;
  const defaultTimeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const agent = new Agent({ connect: { ca, rejectUnauthorized: true, timeout: defaultTimeout } });
  const userAgent = settings.userAgent ?? 'CredOps/0.1';

  async function request(req: HttpRequest): Promise<HttpAnswer> {
    const where = describeUrl(req.url);
    const protocol = URL.canParse(req.url) ? new URL(req.url).protocol : null;
    if (protocol !== 'https:' && protocol !== 'http:') throw new CoreError('INVALID_INPUT', `CredOps only calls http and https URLs, not ${where}.`);
    const timeoutMs = req.timeoutMs ?? defaultTimeout;
    const phase = { started: false };
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline.signal]) : deadline.signal;
    const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    try {
      const response = await fetch(req.url, { method: req.method, headers, body, signal, redirect: 'manual', dispatcher: agent.compose(tracking(phase)) });
      const text = await readBody(response.body, req.maxBytes ?? DEFAULT_MAX_BYTES, where);
      return {
        status: response.status,
        header: (name) => response.headers.get(name),
        text,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      };
    } catch (error) {
      const failure = isCoreError(error)
        ? error
        : describeTransportFailure(error, { where, timedOut: deadline.signal.aborted, cancelled: req.signal?.aborted === true, started: phase.started, timeoutMs });
      reachedServer.set(failure, phase.started);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  return { request, close: () => agent.close() };
}

/** What came back instead of JSON, in words; null when the body may be JSON. */
function notJson(answer: HttpAnswer): string | null {
  const type = answer.header('content-type') ?? '';
  if (answer.text.trim() === '') return 'an empty body';
  if (/html/i.test(type) || /^\s*</.test(answer.text)) return 'an HTML page (a login page, a proxy or the wrong path)';
  return null;
}

/** The JSON an endpoint answered; never quotes the body, which may hold a token. */
export function readJson(answer: HttpAnswer, what: string): unknown {
  const type = answer.header('content-type');
  const came = notJson(answer);
  const refuse = (instead: string) => new CoreError('SERVER_NOT_JSON', `${capitalize(what)} answered with ${instead} instead of JSON. Check the URL.`);
  if (came) throw refuse(came);
  if (nestsDeeperThan(answer.text, MAX_JSON_DEPTH)) throw new CoreError('SERVER_BAD_RESPONSE', `${capitalize(what)} answered with JSON nested deeper than ${MAX_JSON_DEPTH} levels, which no auth server sends.`);
  try {
    return JSON.parse(answer.text);
  } catch {
    throw refuse(`text that is not JSON${type ? ` (${quoteServerText(type, 60)})` : ''}`);
  }
}

/** The OAuth error members of an error answer (RFC 6749 §5.2), sanitized; nulls when absent. */
export function serverError(answer: HttpAnswer): { error: string | null; description: string | null } {
  let json: unknown = null;
  try {
    if (!nestsDeeperThan(answer.text, MAX_JSON_DEPTH)) json = JSON.parse(answer.text);
  } catch {
    // Not JSON: there is no OAuth error to quote.
  }
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const error = typeof record.error === 'string' && record.error.trim() ? quoteServerText(record.error, 64) : null;
  const description = typeof record.error_description === 'string' && record.error_description.trim() ? quoteServerText(record.error_description) : null;
  return { error, description };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function waitHint(ms: number | null): string {
  if (ms === null) return 'try again in a little while';
  return ms < 1000 ? 'try again now' : `try again in ${Math.ceil(ms / 1000)} s`;
}

/** What a non-success answer means, as an error a responder can act on. */
export function failureFor(answer: HttpAnswer, what: string): CoreError {
  const { error, description } = serverError(answer);
  const said = error ? `: ${error}${description ? ` (${description})` : ''}` : '';
  const status = `HTTP ${answer.status}${said}`;
  const What = capitalize(what);
  const retryAfterMs = answer.retryAfterMs ?? undefined;
  if (answer.status === 401 || answer.status === 403 || (answer.status === 400 && (error === 'invalid_client' || error === 'unauthorized_client'))) {
    return new CoreError('SERVER_REFUSED', `${What} refused the request (${status}). Check the client ID, its secret or key, and that the client may call this endpoint.`);
  }
  if (answer.status === 429) return new CoreError('SERVER_RATE_LIMITED', `${What} is rate limiting CredOps (${status}); ${waitHint(answer.retryAfterMs)}.`, { retryAfterMs });
  if (answer.status === 503) return new CoreError('SERVER_UNAVAILABLE', `${What} is temporarily unavailable (${status}); ${waitHint(answer.retryAfterMs)}.`, { retryAfterMs });
  if (answer.status >= 300 && answer.status < 400) {
    const location = answer.header('location');
    const to = location && URL.canParse(location, 'http://x') ? ` to ${describeUrl(new URL(location, 'http://x').href)}` : '';
    return new CoreError('SERVER_ERROR', `${What} answered with a redirect${to} (HTTP ${answer.status}). CredOps does not follow redirects to auth servers: configure the final URL.`);
  }
  if (answer.status === 404) return new CoreError('SERVER_ERROR', `${What} was not found (${status}). Check the URL.`);
  return new CoreError('SERVER_ERROR', `${What} failed (${status}).`);
}
