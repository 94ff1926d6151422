/**
 * The claims as they travel to the screen: each with its value as JSON text, bounded so a 4 MB
 * claim does not travel whole (the screen works out meanings and times from shared/claim-meanings);
 * and which kind of token the claims make it (RFC 9068 access token, OIDC ID token, logout token).
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/canonical-json';
import type { Inspection, TokenClaim } from '../../../shared/tokens';
import { firstChangedInteger, topLevelMemberTexts } from '../json-depth';
import { normaliseTyp, type Finding } from './header-checks';

const MAX_VALUE_CHARS = 4000;
const MAX_CLAIMS = 500;
/** NumericDate claims (RFC 7519 §4.1.4–4.1.6): numbers by definition, never to be strings. */
const TIME_CLAIMS = new Set(['exp', 'nbf', 'iat', 'auth_time']);
export const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Whether a parsed value holds an integer past 2^53 anywhere: the walk is cheaper than any scan of the text. */
function holdsUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && !Number.isSafeInteger(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsUnsafeInteger);
  for (const name in value) if (Object.hasOwn(value, name) && holdsUnsafeInteger((value as Record<string, unknown>)[name])) return true;
  return false;
}

/**
 * The claims holding numbers JSON.parse changed (integers past 2^53, which a 64-bit id can be),
 * with their text as the issuer wrote it; null when there are none.
 */
export function exactClaimTexts(claims: Record<string, unknown>, payloadText: string): Map<string, string> | null {
  let written: Map<string, string> | null = null;
  let exact: Map<string, string> | null = null;
  for (const name in claims) {
    if (!Object.hasOwn(claims, name) || !holdsUnsafeInteger(claims[name])) continue;
    written ??= topLevelMemberTexts(payloadText);
    const text = written.get(name);
    if (text !== undefined) (exact ??= new Map()).set(name, text);
  }
  return exact;
}

/** What a number past 2^53 does: each service reads its own value, so ids and amounts stop matching. */
export function impreciseNumberFindings(exact: Map<string, string> | null): Finding[] {
  if (!exact) return [];
  const findings: Finding[] = [];
  for (const [name, text] of exact) {
    const changed = firstChangedInteger(text);
    if (!changed || findings.length === 5) continue;
    findings.push({
      code: 'IMPRECISE_NUMBER',
      severity: 'low',
      where: `payload.${name}`,
      message: `Holds ${changed.written}, an integer past 2^53: JavaScript and many JSON libraries read it as ${changed.read}${changed.printed !== changed.read ? ` (which JavaScript prints as ${changed.printed})` : ''}, so services can disagree about its value. ${TIME_CLAIMS.has(name) ? 'Times are seconds since 1970, which a double holds exactly: this one is no real time.' : 'Issue large identifiers as strings.'}`,
      blocking: false,
    });
  }
  return findings;
}

/**
 * `exact`: claims to show as written rather than as parsed (see exactClaimTexts). `notes`: said
 * beside a claim (what an SD-JWT's holder disclosed in it).
 */
export function claimsForScreen(claims: Record<string, unknown>, exact: Map<string, string> | null = null, notes: ReadonlyMap<string, string> | null = null): { claims: TokenClaim[]; moreClaims: number } {
  const shown: TokenClaim[] = [];
  let more = 0;
  for (const name in claims) {
    if (!Object.hasOwn(claims, name)) continue;
    if (shown.length === MAX_CLAIMS) {
      more++;
      continue;
    }
    const claim: TokenClaim = { name, ...valueForScreen(claims[name], exact?.get(name)) };
    if (notes) claim.note = notes.get(name) ?? null;
    shown.push(claim);
  }
  return { claims: shown, moreClaims: more };
}

/** A value as JSON text (`written`, when parsing changed it), cut for the screen, with a digest of it whole when cut. */
export function valueForScreen(raw: unknown, written?: string): Omit<TokenClaim, 'name'> {
  const value = written ?? JSON.stringify(raw) ?? 'null';
  if (value.length <= MAX_VALUE_CHARS) return { value, digest: null };
  // Of the canonical form, so Compare finds two long values equal whatever their member order.
  const digest = createHash('sha256').update(canonicalJson(raw) ?? value).digest('base64url');
  return { value: `${value.slice(0, MAX_VALUE_CHARS)}… (${(value.length - MAX_VALUE_CHARS).toLocaleString('en')} more characters)`, digest };
}

/**
 * Whether a token's claims say it is for an API: scopes (`scope`, Entra's `scp`), or the client it
 * was issued to (`client_id`, Entra v1's `appid`, Entra's `idtyp`, Auth0's grant type `gty`).
 */
const hasAccessTokenMarks = (claims: Record<string, unknown>) => ['scope', 'scp', 'client_id', 'appid', 'idtyp', 'gty'].some((c) => c in claims);

export function tokenKind(header: Record<string, unknown>, claims: Record<string, unknown>): Inspection['kind'] {
  const typ = typeof header.typ === 'string' ? normaliseTyp(header.typ) : '';
  if (typ === 'at+jwt') return 'access_token';
  // Held to a proof's rules (dpop.ts), which a bearer token given the typ to soften its findings fails.
  if (typ === 'dpop+jwt') return 'dpop_proof';
  // An SD-JWT's Key Binding JWT, pasted apart from the presentation it was made for.
  if (typ === 'kb+jwt') return 'kb_jwt';
  if (typ === 'logout+jwt' || (typeof claims.events === 'object' && claims.events !== null && LOGOUT_EVENT in claims.events)) return 'logout_token';
  // Keycloak and Cognito say outright in the payload; Keycloak's refresh and offline tokens carry "scope" too.
  if (claims.typ === 'Refresh' || claims.typ === 'Offline') return 'refresh_token';
  if (claims.typ === 'ID' || claims.token_use === 'id') return 'id_token';
  if (claims.typ === 'Bearer' || claims.token_use === 'access') return 'access_token';
  // Hashes of the code or access token are an ID token's alone; a nonce is not (Keycloak access tokens carried one).
  if ('at_hash' in claims || 'c_hash' in claims) return 'id_token';
  if (hasAccessTokenMarks(claims)) return 'access_token';
  if ('nonce' in claims) return 'id_token';
  // auth_time, azp, acr and amr appear in access tokens too (Entra, Auth0): only without any sign of an API are they an ID token's.
  const idTokenShape = ['iss', 'sub', 'aud', 'exp', 'iat'].every((c) => c in claims) && ['auth_time', 'azp', 'acr', 'amr'].some((c) => c in claims);
  return idTokenShape ? 'id_token' : 'jwt';
}
