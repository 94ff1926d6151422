/**
 * The expiry a JWT names, read without verifying it: only to tell a responder how long a token the
 * server cannot revoke stays usable. Nothing here decides whether the token is trustworthy.
 */
import { decodeBase64url, decodeJsonObject } from '../tokens/decode';

export function jwtExpiry(token: string): number | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const exp = decodeJsonObject(decodeBase64url(parts[1], 'payload'), 'payload').exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}
