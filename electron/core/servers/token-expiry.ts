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

/** "in 4 min", "3 h ago": coarse on purpose, for a sentence. */
export function relative(atMs: number, nowMs: number): string {
  const seconds = Math.round((atMs - nowMs) / 1000);
  const size = Math.abs(seconds);
  const amount = size < 90 ? `${size} s` : size < 5400 ? `${Math.round(size / 60)} min` : size < 172_800 ? `${Math.round(size / 3600)} h` : `${Math.round(size / 86_400)} days`;
  return seconds >= 0 ? `in ${amount}` : `${amount} ago`;
}
