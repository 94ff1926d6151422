/**
 * The claims explained for the screen: each with its value as JSON text (bounded, so a 4 MB claim
 * does not travel whole), what it means, and for times the instant in UTC; and which kind of token
 * the claims make it (RFC 9068 access token, OIDC ID token, back-channel logout token).
 */
import { createHash } from 'node:crypto';
import type { ExplainedClaim, Inspection } from '../../../shared/tokens';
import { claimMeaning, NUMERIC_DATE_CLAIMS } from '../../../shared/claim-meanings';
import { normaliseTyp } from './header-checks';

const MAX_VALUE_CHARS = 4000;
const MAX_CLAIMS = 500;
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export function explainClaims(claims: Record<string, unknown>): ExplainedClaim[] {
  const explained: ExplainedClaim[] = [];
  for (const name in claims) {
    if (explained.length === MAX_CLAIMS) break;
    if (!Object.hasOwn(claims, name)) continue;
    const raw = claims[name];
    let value = JSON.stringify(raw) ?? 'null';
    let digest: string | null = null;
    if (value.length > MAX_VALUE_CHARS) {
      digest = createHash('sha256').update(value).digest('base64url');
      value = `${value.slice(0, MAX_VALUE_CHARS)}… (${(value.length - MAX_VALUE_CHARS).toLocaleString('en')} more characters)`;
    }
    const time = typeof raw === 'number' && NUMERIC_DATE_CLAIMS.has(name) && Math.abs(raw) < 8.64e12 ? new Date(raw * 1000).toISOString() : null;
    explained.push({ name, value, meaning: claimMeaning(name), time, digest });
  }
  return explained;
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
