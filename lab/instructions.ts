import type { Lab, LabTokens } from './lab.js';
import { KEYCLOAK_ROUTES } from './provider.js';

// What `npm run lab` prints: how to connect CredOps to the lab, and tokens to paste. Plain text,
// one fact per line, so it reads in any terminal and can be copied from.

export function connectionInstructions(lab: Lab, jwkPath: string): string {
  const { admin, post, jwt, app } = lab.clients;
  const endpoint = (path: string) => `${lab.issuer}${path}`;
  return [
    'CredOps lab authorization server (oidc-provider, laid out as a Keycloak realm)',
    '',
    'Add it in CredOps: Servers → Add server',
    `  Issuer URL      ${lab.issuer}`,
    `  Provider kind   Keycloak`,
    `  Realm           ${lab.realm}`,
    `  Client id       ${admin.clientId}`,
    `  Auth method     ${admin.method}`,
    `  Client secret   ${admin.clientSecret}`,
    '  (the admin client may introspect and revoke any token and call the Keycloak admin API)',
    '',
    'Other clients (all may use client_credentials)',
    `  ${post.clientId.padEnd(15)} ${post.method.padEnd(20)} secret ${post.clientSecret}`,
    `  ${jwt.clientId.padEnd(15)} ${jwt.method.padEnd(20)} private JWK (kid ${jwt.privateJwk?.kid}, ${jwt.privateJwk?.alg}) in ${jwkPath}`,
    `  ${app.clientId.padEnd(15)} ${app.method.padEnd(20)} secret ${app.clientSecret}`,
    `  (${app.clientId} is the relying party the user's sessions and tokens belong to; it may also refresh)`,
    '',
    `User             ${lab.user.username}  (id ${lab.user.id})`,
    `Resource         ${lab.resources.jwt}     → JWT access tokens (typ at+jwt, RS256)`,
    `indicators       ${lab.resources.opaque}  → opaque access tokens (introspectable, revocable)`,
    '',
    'Endpoints',
    `  discovery      ${endpoint('/.well-known/openid-configuration')}`,
    `  token          ${endpoint(KEYCLOAK_ROUTES.token)}`,
    `  introspection  ${endpoint(KEYCLOAK_ROUTES.introspection)}`,
    `  revocation     ${endpoint(KEYCLOAK_ROUTES.revocation)}`,
    `  jwks           ${endpoint(KEYCLOAK_ROUTES.jwks)}`,
    `  admin API      ${lab.origin}/admin/realms/${lab.realm}  (Bearer token from ${admin.clientId} via client_credentials)`,
  ].join('\n');
}

export function tokenListing(tokens: LabTokens, clientId: string): string {
  return [
    `Fresh tokens for a new session ${tokens.sessionId} (client ${clientId}):`,
    `  opaque access token  ${tokens.accessToken}`,
    `  refresh token        ${tokens.refreshToken}`,
    `  JWT access token     ${tokens.jwtAccessToken}`,
  ].join('\n');
}

export const COMMANDS = [
  'Commands:',
  '  tokens        start a new session for the user and print its tokens',
  '  rotate        make a new RS256 key the signing key (the old one stays published)',
  '  retire <kid>  remove a key from the JWKS',
  '  help          show this list',
  '  quit          stop the server (Ctrl-C does too)',
].join('\n');
