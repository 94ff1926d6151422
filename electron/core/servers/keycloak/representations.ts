/**
 * The Keycloak Admin REST API representations the adapter reads, as its documentation gives
 * them (org.keycloak.representations.idm, and GlobalRequestResult from adapters.action). Members
 * the adapter does not use are allowed and kept; the ones it relies on are checked, so an answer
 * of the wrong shape is refused with a message naming the member, never quoting a value (a
 * CredentialRepresentation carries a secret).
 */
import { z } from 'zod';
import { CoreError } from '../../errors';
import { quoteServerText } from '../http';

/** Epoch milliseconds that a JavaScript Date can hold (Keycloak sends Java longs). */
const epochMs = z.number().int().nonnegative().max(8.64e15);
const text = z.string();

/** UserRepresentation: id and username are always present on a stored user. */
export const userRepresentation = z.looseObject({
  id: text.min(1),
  username: text,
  enabled: z.boolean().optional(),
  email: text.optional(),
  createdTimestamp: epochMs.optional(),
});
export type UserRepresentation = z.output<typeof userRepresentation>;

/**
 * UserSessionRepresentation: start and lastAccess are Java longs in epoch ms; clients maps each
 * client's internal id (UUID) to its clientId. ipAddress may be null.
 */
export const userSessionRepresentation = z.looseObject({
  id: text.min(1),
  username: text.optional(),
  userId: text.optional(),
  ipAddress: text.nullable().optional(),
  start: epochMs,
  lastAccess: epochMs,
  rememberMe: z.boolean().optional(),
  clients: z.record(text, text),
});
export type UserSessionRepresentation = z.output<typeof userSessionRepresentation>;

/** ClientRepresentation: id is the internal id the admin paths take; clientId is the OAuth client_id. */
export const clientRepresentation = z.looseObject({
  id: text.min(1),
  clientId: text.min(1),
  enabled: z.boolean().optional(),
  publicClient: z.boolean().optional(),
  clientAuthenticatorType: text.optional(),
});
export type ClientRepresentation = z.output<typeof clientRepresentation>;

/** CredentialRepresentation as POST clients/{id}/client-secret answers it: type "secret" and the value. */
export const clientSecretCredential = z.looseObject({
  type: z.literal('secret').optional(),
  value: text.min(1),
});

/** KeysMetadataRepresentation.KeyMetadataRepresentation: status ACTIVE/PASSIVE/DISABLED, use SIG/ENC. */
export const keyMetadataRepresentation = z.looseObject({
  providerId: text.optional(),
  providerPriority: z.number().optional(),
  kid: text.min(1),
  status: text.optional(),
  type: text.optional(),
  algorithm: text.optional(),
  publicKey: text.optional(),
  certificate: text.optional(),
  use: text.optional(),
  validTo: epochMs.optional(),
});

/** KeysMetadataRepresentation: `active` maps an algorithm to the kid that signs with it now. */
export const keysMetadataRepresentation = z.looseObject({
  active: z.record(text, text),
  keys: z.array(keyMetadataRepresentation),
});
export type KeysMetadataRepresentation = z.output<typeof keysMetadataRepresentation>;

/** GlobalRequestResult: the clients' admin URLs reached and not reached; Keycloak omits an empty list. */
export const globalRequestResult = z.looseObject({
  successRequests: z.array(text).nullable().optional(),
  failedRequests: z.array(text).nullable().optional(),
});
export type GlobalRequestResult = z.output<typeof globalRequestResult>;

/** RealmRepresentation: notBefore is epoch seconds (0 = never set). */
export const realmRepresentation = z.looseObject({
  id: text.optional(),
  realm: text.min(1),
  enabled: z.boolean().optional(),
  notBefore: z.number().int().nonnegative().optional(),
});
export type RealmRepresentation = z.output<typeof realmRepresentation>;

const KINDS: Record<string, string> = { string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object', record: 'an object' };

function valueAt(json: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = json;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** What was wrong with an answer, member by member (at most three), without any value in it. */
function describeIssues(error: z.ZodError, json: unknown): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const member = issue.path.length ? `"${quoteServerText(issue.path.map(String).join('.'), 80)}"` : 'the answer';
      switch (issue.code) {
        case 'invalid_type':
          return valueAt(json, issue.path) === undefined ? `${member} is missing` : `${member} should be ${KINDS[issue.expected] ?? issue.expected}`;
        case 'too_small':
          return issue.origin === 'string' || issue.origin === 'array' ? `${member} is empty` : `${member} is out of range`;
        case 'too_big':
          return `${member} is out of range`;
        case 'invalid_value':
          return `${member} has an unexpected value`;
        default:
          return `${member} is not valid (${issue.code.replace(/_/g, ' ')})`;
      }
    })
    .join('; ');
}

/** Parses an answer with a schema, or refuses it with SERVER_BAD_RESPONSE naming what was wrong. */
export function parseRepresentation<S extends z.ZodType>(schema: S, json: unknown, what: string, representation: string): z.output<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new CoreError('SERVER_BAD_RESPONSE', `${what} did not answer with ${representation} as Keycloak documents it: ${describeIssues(parsed.error, json)}.`);
}
