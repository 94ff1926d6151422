/**
 * A signing key's secret must be a private key (PEM or JWK); what the inventory shows of it is the
 * RFC 7638 thumbprint of its public half, which is what a JWKS and a token's kid are matched by.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { CoreError } from '../errors';

function parsePrivateKey(secret: string): KeyObject {
  const text = secret.trim();
  if (text.startsWith('{')) {
    let jwk: JWK;
    try {
      jwk = JSON.parse(text) as JWK;
    } catch {
      throw new CoreError('CREDENTIAL_INVALID', 'The signing key looks like JSON but is not valid JSON.');
    }
    if (typeof jwk !== 'object' || jwk === null || !('d' in jwk || 'k' in jwk)) {
      throw new CoreError('CREDENTIAL_INVALID', 'The JWK is a public key: a signing key needs its private part ("d").');
    }
    return createPrivateKey({ key: jwk as never, format: 'jwk' });
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new CoreError('CREDENTIAL_INVALID', 'A signing key must be a private key in PEM (-----BEGIN PRIVATE KEY-----) or a private JWK.');
  }
  return createPrivateKey(text);
}

/** The public JWK thumbprint (base64url SHA-256), or a clear refusal for anything not a private key. */
export async function signingKeyThumbprint(secret: string): Promise<string> {
  let key: KeyObject;
  try {
    key = parsePrivateKey(secret);
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError('CREDENTIAL_INVALID', 'The signing key could not be read as a private key. Paste the whole PEM block or a private JWK.');
  }
  if (key.asymmetricKeyType === undefined) throw new CoreError('CREDENTIAL_INVALID', 'A symmetric key is a shared secret, not a signing key pair; record it as a webhook secret or service token.');
  const publicJwk = createPublicKey(key).export({ format: 'jwk' }) as JWK;
  return calculateJwkThumbprint(publicJwk, 'sha256');
}
