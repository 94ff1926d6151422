/**
 * The claims as they travel to the screen: each with its value as JSON text, bounded so a 4 MB
 * claim does not travel whole (the screen works out meanings and times from shared/claim-meanings);
 * and which kind of token the claims make it (RFC 9068 access token, OIDC ID token, logout token).
 */
import { createHash } from 'node:crypto';
import type { Inspection, TokenClaim } from '../../../shared/tokens';
import { normaliseTyp } from './header-checks';

const MAX_VALUE_CHARS = 4000;
const MAX_CLAIMS = 500;
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export function claimsForScreen(claims: Record<string, unknown>): TokenClaim[] {
  const shown: TokenClaim[] = [];
  for (const name in claims) {
    if (shown.length === MAX_CLAIMS) break;
    if (!Object.hasOwn(claims, name)) continue;
    const raw = claims[name];
    let value = JSON.stringify(raw) ?? 'null';
    let digest: string | null = null;
    if (value.length > MAX_VALUE_CHARS) {
      digest = createHash('sha256').update(value).digest('base64url');
      value = `${value.slice(0, MAX_VALUE_CHARS)}… (${(value.length - MAX_VALUE_CHARS).toLocaleString('en')} more characters)`;
    }
    shown.push({ name, value, digest });
  }
  return shown;
}

export function tokenKind(header: Record<string, unknown>, claims: Record<string, unknown>): Inspection['kind'] {
  const typ = typeof header.typ === 'string' ? normaliseTyp(header.typ) : '';
  if (typ === 'at+jwt') return 'access_token';
  if (typ === 'logout+jwt' || (typeof claims.events === 'object' && claims.events !== null && LOGOUT_EVENT in claims.events)) return 'logout_token';
  const idTokenShape = ['iss', 'sub', 'aud', 'exp', 'iat'].every((c) => c in claims) && ['nonce', 'auth_time', 'at_hash', 'azp', 'acr', 'amr'].some((c) => c in claims);
  if (idTokenShape && !('scope' in claims)) return 'id_token';
  if ('scope' in claims || 'scp' in claims || 'client_id' in claims) return 'access_token';
  return 'jwt';
}
