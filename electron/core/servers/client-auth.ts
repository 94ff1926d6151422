/**
 * How the console proves which client it is to the token, introspection and revocation
 * endpoints: client_secret_basic and client_secret_post (RFC 6749 §2.3.1), or private_key_jwt
 * (RFC 7523 §2.2, OpenID Connect Core §9) with a fresh, short-lived assertion on every call.
 */
import { randomBytes } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { CoreError } from '../errors';

export type ClientAuth =
  | { method: 'client_secret_basic' | 'client_secret_post'; clientId: string; clientSecret: string }
  | { method: 'private_key_jwt'; clientId: string; privateJwk: JWK };

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Long enough to survive a slow network and clock skew, short enough to be useless if captured. */
export const ASSERTION_LIFETIME_SECONDS = 60;

/**
 * application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B), which §2.3.1
 * requires for the client id and secret before they are joined with ":" and base64-encoded:
 * a ":" or "%" or space in either would otherwise corrupt the pair.
 */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

export function basicAuthorization(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, 'utf8').toString('base64')}`;
}

const CURVE_ALGS: Record<string, string> = { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', Ed25519: 'EdDSA', Ed448: 'EdDSA' };

/** The alg the key says it is for, or the usual one for its type; never a symmetric or "none" alg. */
export function assertionAlg(jwk: JWK): string {
  const alg = typeof jwk.alg === 'string' ? jwk.alg : jwk.kty === 'RSA' ? 'RS256' : CURVE_ALGS[String(jwk.crv)];
  if (!alg || alg === 'none' || alg.startsWith('HS') || jwk.kty === 'oct') {
    throw new CoreError('CREDENTIAL_INVALID', `The client's signing key (kty ${String(jwk.kty)}${jwk.crv ? `, curve ${String(jwk.crv)}` : ''}) cannot sign a private_key_jwt assertion: use an RSA, EC or Ed25519 private key.`);
  }
  return alg;
}

async function clientAssertion(clientId: string, privateJwk: JWK, audience: string): Promise<string> {
  if (typeof privateJwk !== 'object' || privateJwk === null || typeof privateJwk.d !== 'string') {
    throw new CoreError('CREDENTIAL_INVALID', 'The client\'s signing key has no private part: private_key_jwt needs the private key, not the public one.');
  }
  const alg = assertionAlg(privateJwk);
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(privateJwk, alg);
  } catch (cause) {
    throw new CoreError('CREDENTIAL_INVALID', `The client's signing key cannot be used with ${alg}; check that the key and its "alg" match.`, { cause });
  }
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, ...(typeof privateJwk.kid === 'string' ? { kid: privateJwk.kid } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    // A fresh jti every time: servers refuse a replayed assertion (RFC 7523 §3, item 7).
    .setJti(randomBytes(18).toString('base64url'))
    .setIssuedAt(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_SECONDS)
    .sign(key);
}

/**
 * The headers and form members that authenticate the client. `audience` is the authorization
 * server's issuer identifier, which current guidance prefers over an endpoint URL for the aud
 * of a client assertion (it cannot be confused with another server's endpoint).
 */
export async function clientAuthentication(auth: ClientAuth, audience: string): Promise<{ headers: Record<string, string>; form: Record<string, string> }> {
  switch (auth.method) {
    case 'client_secret_basic':
      return { headers: { authorization: basicAuthorization(auth.clientId, auth.clientSecret) }, form: {} };
    case 'client_secret_post':
      return { headers: {}, form: { client_id: auth.clientId, client_secret: auth.clientSecret } };
    case 'private_key_jwt':
      return {
        headers: {},
        form: { client_id: auth.clientId, client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: await clientAssertion(auth.clientId, auth.privateJwk, audience) },
      };
  }
}

/** Every string the authentication would put on the wire that must never appear in a message. */
export function authSecrets(auth: ClientAuth, sent: { headers: Record<string, string>; form: Record<string, string> }): string[] {
  const secrets = [sent.headers.authorization, sent.form.client_assertion, sent.form.client_secret];
  if (auth.method !== 'private_key_jwt') secrets.push(auth.clientSecret);
  else if (typeof auth.privateJwk.d === 'string') secrets.push(auth.privateJwk.d);
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}
