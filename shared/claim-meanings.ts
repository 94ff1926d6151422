/**
 * What registered, standard and common vendor claims and JOSE header parameters mean, one line each,
 * with the section that defines them. Lookups go through Maps, so a claim named `constructor` or
 * `__proto__` has no meaning rather than a prototype's.
 */

const CLAIMS = new Map<string, string>([
  // RFC 7519 registered claims.
  ['iss', 'Issuer: who issued the token (RFC 7519 §4.1.1)'],
  ['sub', 'Subject: the principal the token is about, unique within the issuer (RFC 7519 §4.1.2)'],
  ['aud', 'Audience: the recipients the token is for; any other recipient must reject it (RFC 7519 §4.1.3)'],
  ['exp', 'Expiration time: not to be accepted on or after this instant (RFC 7519 §4.1.4)'],
  ['nbf', 'Not before: not to be accepted before this instant (RFC 7519 §4.1.5)'],
  ['iat', 'Issued at: when the token was issued (RFC 7519 §4.1.6)'],
  ['jti', 'JWT ID: a unique identifier, used to detect replay (RFC 7519 §4.1.7)'],
  // OpenID Connect Core: ID token (§2) and hashes.
  ['auth_time', 'Time the user authenticated (OpenID Connect Core §2)'],
  ['nonce', 'Value from the authentication request, binding the ID token to the client session against replay (OpenID Connect Core §2)'],
  ['acr', 'Authentication context class reference: the assurance level the authentication met (OpenID Connect Core §2)'],
  ['amr', 'Authentication methods used, such as pwd, otp, mfa, hwk (OpenID Connect Core §2, values in RFC 8176)'],
  ['azp', 'Authorized party: the client the token was issued to (OpenID Connect Core §2)'],
  ['at_hash', 'Access token hash: left half of the hash of the access token issued with this ID token (OpenID Connect Core §3.1.3.6)'],
  ['c_hash', 'Code hash: left half of the hash of the authorization code issued with this ID token (OpenID Connect Core §3.3.2.11)'],
  ['s_hash', 'State hash: left half of the hash of the state parameter (FAPI 1.0 Advanced §5.1)'],
  ['sid', 'Session ID: the user\'s session at the issuer, used by front- and back-channel logout (OpenID Connect Front-Channel Logout §3)'],
  ['sub_jwk', 'Public key a self-issued ID token is signed with (OpenID Connect Core §7.4)'],
  ['_claim_names', 'Names of aggregated or distributed claims and the source of each (OpenID Connect Core §5.6.2)'],
  ['_claim_sources', 'Where aggregated or distributed claims come from (OpenID Connect Core §5.6.2)'],
  // OpenID Connect standard claims (§5.1).
  ['name', 'Full name of the user (OpenID Connect Core §5.1)'],
  ['given_name', 'Given (first) name (OpenID Connect Core §5.1)'],
  ['family_name', 'Family (last) name (OpenID Connect Core §5.1)'],
  ['middle_name', 'Middle name (OpenID Connect Core §5.1)'],
  ['nickname', 'Casual name (OpenID Connect Core §5.1)'],
  ['preferred_username', 'Username the user prefers; not unique or stable, so never a key (OpenID Connect Core §5.1)'],
  ['profile', 'URL of the user\'s profile page (OpenID Connect Core §5.1)'],
  ['picture', 'URL of the user\'s picture (OpenID Connect Core §5.1)'],
  ['website', 'URL of the user\'s web page or blog (OpenID Connect Core §5.1)'],
  ['email', 'Email address; trust it only when email_verified is true (OpenID Connect Core §5.1)'],
  ['email_verified', 'Whether the issuer verified the email address (OpenID Connect Core §5.1)'],
  ['gender', 'Gender (OpenID Connect Core §5.1)'],
  ['birthdate', 'Birthday, YYYY-MM-DD or YYYY (OpenID Connect Core §5.1)'],
  ['zoneinfo', 'Time zone, such as Europe/Paris (OpenID Connect Core §5.1)'],
  ['locale', 'Locale, such as en-US (OpenID Connect Core §5.1)'],
  ['phone_number', 'Phone number, preferably E.164 (OpenID Connect Core §5.1)'],
  ['phone_number_verified', 'Whether the issuer verified the phone number (OpenID Connect Core §5.1)'],
  ['address', 'Postal address (OpenID Connect Core §5.1.1)'],
  ['updated_at', 'Time the user\'s information was last updated (OpenID Connect Core §5.1)'],
  ['verified_claims', 'Claims verified under an identity assurance process (OpenID Connect for Identity Assurance)'],
  // OAuth access tokens (RFC 9068), token exchange (RFC 8693), proof of possession.
  ['client_id', 'Client the token was issued to (RFC 9068 §2.2, RFC 8693 §4.3)'],
  ['scope', 'Space-separated scopes the token grants (RFC 8693 §4.2, RFC 9068 §2.2.3)'],
  ['scp', 'Scopes the token grants, as a list or string (vendor form of scope: Okta, Microsoft Entra ID)'],
  ['groups', 'Groups the user belongs to (RFC 9068 §2.2.3.1, from SCIM RFC 7643 §4.1.2)'],
  ['roles', 'Roles granted to the user or client (RFC 9068 §2.2.3.1, from SCIM RFC 7643 §4.1.2)'],
  ['entitlements', 'Entitlements granted to the user (RFC 9068 §2.2.3.1, from SCIM RFC 7643 §4.1.2)'],
  ['act', 'Actor: who is acting on behalf of the subject after a token exchange (delegation) (RFC 8693 §4.1)'],
  ['may_act', 'Who may act on behalf of the subject through token exchange (RFC 8693 §4.4)'],
  ['cnf', 'Confirmation: the key the presenter must prove possession of (RFC 7800 §3.1; mTLS x5t#S256 RFC 8705, DPoP jkt RFC 9449)'],
  ['authorization_details', 'Fine-grained authorization the token carries (RFC 9396 §9.1)'],
  ['htm', 'HTTP method of the request a DPoP proof is for (RFC 9449 §4.2)'],
  ['htu', 'HTTP URI of the request a DPoP proof is for (RFC 9449 §4.2)'],
  ['ath', 'Hash of the access token a DPoP proof is sent with (RFC 9449 §4.2)'],
  // SD-JWT (RFC 9901) and SD-JWT VC.
  ['sd_hash', "Hash of the SD-JWT and disclosures a Key Binding JWT was made for: any other presentation fails (RFC 9901)"],
  ['vct', 'Verifiable credential type: what kind of credential an SD-JWT VC is (SD-JWT-based Verifiable Credentials)'],
  // Introspection answers as JWTs (RFC 7662, RFC 9701).
  ['active', 'Whether the token is currently active (RFC 7662 §2.2)'],
  ['token_type', 'Type of the token, such as Bearer (RFC 7662 §2.2)'],
  ['username', 'Human-readable identifier of the user who authorized the token (RFC 7662 §2.2)'],
  // Security event and logout tokens (RFC 8417, OpenID Connect Back-Channel Logout).
  ['events', 'Security events the token reports; a logout token holds http://schemas.openid.net/event/backchannel-logout (RFC 8417 §2.2, OIDC Back-Channel Logout §2.4)'],
  ['toe', 'Time the reported event happened (RFC 8417 §2.2)'],
  ['txn', 'Transaction identifier, to correlate events or requests (RFC 8417 §2.2)'],
  ['sub_id', 'Subject identifier of a security event, in a structured format (RFC 9493)'],
  // Microsoft Entra ID.
  ['tid', 'Tenant ID: the Microsoft Entra tenant that issued the token'],
  ['oid', 'Object ID: the immutable ID of the user or service principal in the tenant (Microsoft Entra ID)'],
  ['upn', 'User principal name, the sign-in name; may change, so never a key (Microsoft Entra ID)'],
  ['unique_name', 'Display name of the subject, for showing only (Microsoft Entra ID v1)'],
  ['appid', 'Application (client) ID of the caller (Microsoft Entra ID v1 tokens)'],
  ['appidacr', 'How the client authenticated: 0 public, 1 secret, 2 certificate (Microsoft Entra ID v1)'],
  ['azpacr', 'How the client authenticated: 0 public, 1 secret, 2 certificate (Microsoft Entra ID v2)'],
  ['idp', 'Identity provider that authenticated the subject (Microsoft Entra ID and others)'],
  ['idtyp', 'Whether the token is for an app (app) or a user (user) (Microsoft Entra ID)'],
  ['wids', 'Directory roles the user holds, as role template IDs (Microsoft Entra ID)'],
  ['ver', 'Version of the token format (Microsoft Entra ID 1.0 or 2.0; Okta 1)'],
  ['uti', 'Token identifier used internally by Microsoft Entra ID'],
  ['ipaddr', 'IP address the user authenticated from (Microsoft Entra ID)'],
  // Keycloak.
  ['realm_access', 'Realm roles of the user (Keycloak)'],
  ['resource_access', 'Client roles of the user, per client (Keycloak)'],
  ['allowed-origins', 'Web origins allowed to use the token (Keycloak)'],
  ['session_state', 'ID of the user\'s session at the server (Keycloak)'],
  ['typ', 'Kind of token, such as Bearer, ID or Refresh (Keycloak payload claim)'],
  // Okta, Auth0, Cognito, Google, Supabase, Kubernetes and generic multi-tenant claims.
  ['cid', 'Client ID the token was issued to (Okta)'],
  ['uid', 'User ID (Okta)'],
  ['permissions', 'Permissions granted through role-based access control (Auth0)'],
  ['gty', 'Grant type the token was issued through, such as client-credentials (Auth0)'],
  ['org_id', 'Organization the token was issued for'],
  ['org_name', 'Name of the organization the token was issued for (Auth0)'],
  ['tenant_id', 'Tenant the token was issued for'],
  ['token_use', 'Whether the token is an id or access token (Amazon Cognito)'],
  ['cognito:username', 'Username in the user pool (Amazon Cognito)'],
  ['cognito:groups', 'User pool groups of the user (Amazon Cognito)'],
  ['hd', 'Hosted Google Workspace domain of the user (Google)'],
  ['role', 'Role the token is issued for (PostgREST and Supabase use it as the database role)'],
  ['aal', 'Authenticator assurance level reached: aal1 or aal2 (Supabase)'],
  ['kubernetes.io', 'Namespace, service account and pod the token belongs to (Kubernetes service account token)'],
  // GitHub Actions OIDC tokens.
  ['repository', 'Repository the workflow runs in (GitHub Actions OIDC)'],
  ['repository_owner', 'Owner of the repository the workflow runs in (GitHub Actions OIDC)'],
  ['ref', 'Git ref the workflow ran on (GitHub Actions OIDC)'],
  ['job_workflow_ref', 'Workflow file and ref of the job (GitHub Actions OIDC)'],
  ['environment', 'Deployment environment of the job (GitHub Actions OIDC)'],
]);

/** Claims whose value is a NumericDate: seconds since 1970-01-01T00:00:00Z, UTC. */
export const NUMERIC_DATE_CLAIMS: ReadonlySet<string> = new Set(['exp', 'nbf', 'iat', 'auth_time', 'updated_at', 'toe']);

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** Beyond ±8.64e12 s a Date cannot hold the instant (ECMA-262 §21.4.1.1). */
export const LAST_DATE_SECONDS = 8.64e12;

/**
 * The instant a NumericDate claim names, in epoch milliseconds, from its value as JSON text; null
 * for other claims, values that are not a finite number, and instants no Date can hold.
 */
export function claimInstantMs(name: string, valueJson: string): number | null {
  if (!NUMERIC_DATE_CLAIMS.has(name)) return null;
  // Only JSON's number grammar: Number() alone would also read `0x10` or ` 1`.
  const seconds = valueJson.length < 40 && JSON_NUMBER.test(valueJson) ? Number(valueJson) : Number.NaN;
  return Number.isFinite(seconds) && Math.abs(seconds) < LAST_DATE_SECONDS ? seconds * 1000 : null;
}

const HEADER = new Map<string, string>([
  ['alg', 'Algorithm that signs or encrypts the token; none means unsecured (RFC 7515 §4.1.1)'],
  ['typ', 'Media type of the whole token (RFC 7515 §4.1.9), such as JWT, at+jwt (RFC 9068), logout+jwt (OpenID Back-Channel Logout §2.4) or dpop+jwt (RFC 9449)'],
  ['cty', 'Content type of the payload; JWT means a nested token (RFC 7515 §4.1.10, RFC 7519 §5.2)'],
  ['kid', 'Key ID: which key signed the token; a hint, never a path or query (RFC 7515 §4.1.4)'],
  ['jku', 'JWK Set URL the token says holds its key; never fetched (RFC 7515 §4.1.2)'],
  ['jwk', 'Public key embedded in the token (RFC 7515 §4.1.3): never trusted to say who signed it; a DPoP proof carries its own key by design (RFC 9449 §4.2)'],
  ['x5u', 'URL of an X.509 certificate chain for the key; never fetched (RFC 7515 §4.1.5)'],
  ['x5c', 'X.509 certificate chain embedded in the token; not trusted by itself (RFC 7515 §4.1.6)'],
  ['x5t', 'SHA-1 thumbprint of the signing certificate (RFC 7515 §4.1.7)'],
  ['x5t#S256', 'SHA-256 thumbprint of the signing certificate (RFC 7515 §4.1.8)'],
  ['crit', 'Header parameters the recipient must understand or reject the token (RFC 7515 §4.1.11)'],
  ['enc', 'Content encryption algorithm of a JWE (RFC 7516 §4.1.2)'],
  ['zip', 'Compression applied before encryption, DEF for DEFLATE (RFC 7516 §4.1.3)'],
  ['epk', 'Ephemeral public key for ECDH-ES key agreement (RFC 7518 §4.6.1.1)'],
  ['apu', 'Agreement PartyUInfo: information about the producer for ECDH-ES (RFC 7518 §4.6.1.2)'],
  ['apv', 'Agreement PartyVInfo: information about the recipient for ECDH-ES (RFC 7518 §4.6.1.3)'],
  ['iv', 'Initialization vector for AES-GCM key wrapping (RFC 7518 §4.7.1.1)'],
  ['tag', 'Authentication tag of AES-GCM key wrapping (RFC 7518 §4.7.1.2)'],
  ['p2s', 'Salt for PBES2 password-based key wrapping (RFC 7518 §4.8.1.1)'],
  ['p2c', 'Iteration count for PBES2 password-based key wrapping (RFC 7518 §4.8.1.2)'],
  ['b64', 'false when the payload is not base64url-encoded (RFC 7797 §3)'],
]);

/**
 * JOSE header parameters and what they mean, as an object without a prototype (so indexing with
 * `constructor` gives undefined). headerMeaning is the same lookup returning null.
 */
export const JWT_HEADER_MEANINGS: Readonly<Partial<Record<string, string>>> = Object.freeze(Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(HEADER)));

/** What a payload claim means, or null when it is not a registered, standard or common claim. */
export function claimMeaning(name: string): string | null {
  return CLAIMS.get(name) ?? null;
}

/** What a JOSE header parameter means, or null when it is not a registered one. */
export function headerMeaning(name: string): string | null {
  return HEADER.get(name) ?? null;
}
