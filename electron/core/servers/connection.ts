/**
 * A server the console talks to: its HTTP client (with its own CA, if any), its discovered
 * metadata and how the console authenticates to it. Also the one path every authenticated call
 * takes, so none of them can forget to keep secrets out of the errors it raises.
 */
import type { ClientAuth } from './client-auth';
import { authSecrets, clientAuthentication, formEncode } from './client-auth';
import type { ServerMetadata } from './discovery';
import type { HttpAnswer, HttpClient } from './http';

export interface ServerConnection {
  http: HttpClient;
  metadata: ServerMetadata;
  auth: ClientAuth;
}

/** Shorter strings are not worth hunting for: replacing them would garble ordinary words. */
const MIN_REDACTED_LENGTH = 4;

/**
 * Replaces every secret in an error's message (and stack) in place, so the error keeps its
 * identity (http.ts remembers per error whether the request reached the server). A server may
 * echo what it was sent, a token in particular, in its error_description.
 */
export function redactSecrets<E>(error: E, secrets: readonly string[]): E {
  if (!(error instanceof Error)) return error;
  error.message = redactText(error.message, secrets);
  if (error.stack) error.stack = redactText(error.stack, secrets);
  return error;
}

/** Each secret as sent and as a server may echo it: JSON-escaped (slashes too, as PHP does) or form-encoded. */
function spellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [secret, json, json.replace(/\//g, '\\/'), formEncode(secret), encodeURIComponent(secret)];
}

export function redactText(text: string, secrets: readonly string[]): string {
  const hidden = [...new Set(secrets.flatMap(spellings))].filter((s) => s.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  return hidden.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/**
 * POSTs a form to an endpoint with the client's authentication, and hands the answer to
 * `interpret`. Whatever either throws has the client's secrets and `extraSecrets` (the token
 * being introspected or revoked) removed from its message; an interpreter that returns a
 * message instead of throwing passes it through `redact` itself.
 */
export async function postAuthenticated<T>(
  conn: ServerConnection,
  url: string,
  form: Record<string, string>,
  extraSecrets: readonly string[],
  interpret: (answer: HttpAnswer, redact: (text: string) => string) => T,
  signal?: AbortSignal,
): Promise<T> {
  let secrets = [...extraSecrets, ...(conn.auth.method === 'private_key_jwt' ? [] : [conn.auth.clientSecret])];
  try {
    const auth = await clientAuthentication(conn.auth, conn.metadata.issuer);
    secrets = [...secrets, ...authSecrets(conn.auth, auth)];
    const answer = await conn.http.request({ method: 'POST', url, headers: auth.headers, form: { ...form, ...auth.form }, signal });
    // An error answer is scrubbed before anything quotes it: quoting shortens and cleans the
    // text, which could cut an echoed secret in two and leave half of it unrecognised.
    const redact = (text: string) => redactText(text, secrets);
    return interpret(answer.status === 200 ? answer : { ...answer, text: redact(answer.text) }, redact);
  } catch (error) {
    throw redactSecrets(error, secrets);
  }
}
