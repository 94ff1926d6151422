/**
 * A secret's fingerprint: HMAC-SHA256 under the vault's fingerprint subkey. Equal secrets match
 * across credentials (and across environments), but without the vault key a fingerprint cannot be
 * used to test guesses of the secret, as a plain hash could.
 */
import { createHmac } from 'node:crypto';

/** Surrounding whitespace is ignored: a key pasted with a trailing newline is still the same key. */
export function fingerprintSecret(fingerprintKey: Buffer, secret: string): string {
  return createHmac('sha256', fingerprintKey).update('credops-fingerprint/v1\0').update(secret.trim()).digest('hex');
}

/** The short form the screens show: enough to tell secrets apart, in groups a person can read out. */
export function displayFingerprint(fingerprint: string): string {
  return `fp:${fingerprint.slice(0, 16).match(/.{4}/g)!.join(':')}`;
}
