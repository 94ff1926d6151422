/**
 * Where an authorization server says its endpoints are: OpenID Connect Discovery 1.0 first,
 * RFC 8414 metadata when that is absent. The document is only believed if its `issuer` is
 * exactly the issuer the user configured (OIDC Discovery §4.3, RFC 8414 §3.3): otherwise
 * anyone able to answer at that URL could send the console's credentials elsewhere.
 */
import { z } from 'zod';
import { endpointUrlProblem, issuerProblem } from '../../../shared/servers';
import { CoreError, isCoreError } from '../errors';
import { describeUrl, failureFor, quoteServerText, readJson, type HttpClient } from './http';

export interface ServerMetadata {
  issuer: string;
  token_endpoint?: string;
  jwks_uri?: string;
  introspection_endpoint?: string;
  revocation_endpoint?: string;
  token_endpoint_auth_methods_supported?: string[];
  introspection_endpoint_auth_methods_supported?: string[];
  revocation_endpoint_auth_methods_supported?: string[];
  grant_types_supported?: string[];
  scopes_supported?: string[];
  [member: string]: unknown;
}

export type MetadataSource = 'openid-configuration' | 'oauth-authorization-server';

export { endpointUrlProblem, issuerProblem };

const MAX_METADATA_BYTES = 256 * 1024;

/** OIDC Discovery §4.1: the issuer, without a trailing "/", then the well-known path. */
export function openIdConfigurationUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

/** RFC 8414 §3.1: the well-known path goes between the host and the issuer's own path. */
export function oauthMetadataUrl(issuer: string): string {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/$/, '');
  return `${u.origin}/.well-known/oauth-authorization-server${path}`;
}

const endpoint = z.string().superRefine((value, ctx) => {
  const problem = endpointUrlProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const names = z.array(z.string());

const metadataSchema = z.looseObject({
  issuer: z.string().min(1),
  token_endpoint: endpoint.optional(),
  jwks_uri: endpoint.optional(),
  introspection_endpoint: endpoint.optional(),
  revocation_endpoint: endpoint.optional(),
  token_endpoint_auth_methods_supported: names.optional(),
  introspection_endpoint_auth_methods_supported: names.optional(),
  revocation_endpoint_auth_methods_supported: names.optional(),
  grant_types_supported: names.optional(),
  scopes_supported: names.optional(),
});

/** A metadata document checked member by member, issuer included; unknown members are kept. */
export function validateMetadata(json: unknown, expectedIssuer: string, where: string): ServerMetadata {
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const member = issue.path.length ? issue.path.map(String).join('.') : null;
    const problem = issue.code === 'custom' ? issue.message : issue.code === 'invalid_type' && member && issue.message.includes('undefined') ? 'is missing' : `is not valid (${issue.code.replace(/_/g, ' ')})`;
    throw new CoreError('SERVER_BAD_RESPONSE', member
      ? `The metadata at ${where} is unusable: "${quoteServerText(member, 60)}" ${problem}.`
      : `The metadata at ${where} is not a JSON object.`);
  }
  const metadata = parsed.data as ServerMetadata;
  if (metadata.issuer !== expectedIssuer) {
    throw new CoreError('SERVER_ISSUER_MISMATCH', `The server at ${where} says its issuer is "${quoteServerText(metadata.issuer)}", but this server is configured with issuer "${expectedIssuer}". They must match exactly, trailing "/" included: check the issuer URL, or whether something else is answering there.`);
  }
  return metadata;
}

/** Fetches the discovery document, falling back to RFC 8414 when the first is absent or not JSON. */
export async function discover(http: HttpClient, issuer: string): Promise<{ metadata: ServerMetadata; source: MetadataSource }> {
  const problem = issuerProblem(issuer);
  if (problem) throw new CoreError('INVALID_INPUT', `The issuer ${quoteServerText(issuer)} ${problem}.`);
  const attempts: [MetadataSource, string][] = [
    ['openid-configuration', openIdConfigurationUrl(issuer)],
    ['oauth-authorization-server', oauthMetadataUrl(issuer)],
  ];
  let firstMiss: string | null = null;
  for (const [source, url] of attempts) {
    const where = describeUrl(url);
    const what = `the metadata at ${where}`;
    const answer = await http.request({ method: 'GET', url, maxBytes: MAX_METADATA_BYTES });
    const last = source === 'oauth-authorization-server';
    if (answer.status === 404 && !last) {
      firstMiss = 'was not found';
      continue;
    }
    if (answer.status !== 200) {
      if (answer.status === 404) throw new CoreError('SERVER_ERROR', `No metadata at ${where}${firstMiss ? ` and the OpenID configuration ${firstMiss}` : ''} (HTTP 404). Check the issuer URL (for Keycloak it ends in /realms/<realm>).`);
      throw failureFor(answer, what);
    }
    let json: unknown;
    try {
      json = readJson(answer, what);
    } catch (error) {
      // A page that is not JSON at the OpenID path (a portal, a catch-all route) is a miss.
      if (!last && isCoreError(error) && error.code === 'SERVER_NOT_JSON') {
        firstMiss = 'was not JSON';
        continue;
      }
      throw error;
    }
    return { metadata: validateMetadata(json, issuer, where), source };
  }
  throw new CoreError('INTERNAL', 'Discovery tried no URL.');
}

/** The metadata's URL for an endpoint, or SERVER_UNSUPPORTED saying the server has none. */
export function endpointOf(metadata: ServerMetadata, member: 'token_endpoint' | 'introspection_endpoint' | 'revocation_endpoint' | 'jwks_uri', purpose: string): string {
  const url = metadata[member];
  if (typeof url !== 'string' || url === '') {
    throw new CoreError('SERVER_UNSUPPORTED', `The server ${metadata.issuer} publishes no ${member} in its metadata, so CredOps cannot ${purpose} there.`);
  }
  const problem = endpointUrlProblem(url);
  if (problem) throw new CoreError('SERVER_BAD_RESPONSE', `The server's ${member} ${problem}.`);
  return url;
}
