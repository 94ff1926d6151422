/**
 * Verification keys from what the user gave: an HMAC secret, a PEM public key or certificate, a
 * JWK, a JWKS, or a key from the vault. Private keys are reduced to their public half. Each key
 * is described without its secret part, by kid and RFC 7638 thumbprint, so the screen can say
 * which one verified.
 */
import { createHash, createPublicKey, createSecretKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { KeySource } from '../../../shared/tokens';

export interface CandidateKey {
  key: KeyObject;
  kid: string | null;
  /** The alg a JWK pins itself to, if any. */
  alg: string | null;
  /** A JWK's "use" and "key_ops", when it says. */
  use: string | null;
  keyOps: string[] | null;
  description: string;
  /**
   * The public key as text, for the key-confusion check: a server that takes "the key" as bytes
   * would use exactly this as an HMAC secret. Computed only for an HMAC token.
   */
  publicText(): string[];
  /** A shared secret's bytes, for the weak and short secret checks; null for a public key. */
  secret: Buffer | null;
}

/** Keys to try, and the JWKS keys that could not be read (so a kid naming one is not called unpublished). */
export type KeyList = CandidateKey[] & { unreadable?: readonly { kid: string | null; reason: string }[] };

export class KeyError extends Error {}

const MAX_JWKS_KEYS = 100;

/**
 * RFC 7638 thumbprint, computed here: synchronous, where jose's goes through WebCrypto. Keys JWK
 * cannot express (RSA-PSS, DSA, brainpool curves) get the SHA-256 of their SPKI instead, named so.
 */
function thumbprint(key: KeyObject): string {
  let jwk: import('node:crypto').JsonWebKey;
  try {
    jwk = key.export({ format: 'jwk' });
  } catch {
    return `SPKI SHA-256 ${createHash('sha256').update(key.export({ format: 'der', type: 'spki' })).digest('base64url')}`;
  }
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return `thumbprint ${createHash('sha256').update(JSON.stringify(members)).digest('base64url')}`;
}

function describePublic(key: KeyObject, source: string, kid: string | null): string {
  return `${source}${kid ? ` kid ${kid}` : ''} (${key.asymmetricKeyType?.toUpperCase()}, ${thumbprint(key)})`;
}

function publicTexts(key: KeyObject, ...given: string[]): () => string[] {
  return () => {
    const pem = key.export({ format: 'pem', type: 'spki' }).toString();
    const texts = [...given, pem, pem.trim()];
    try {
      texts.push(JSON.stringify(key.export({ format: 'jwk' })));
    } catch {
      // A key JWK cannot express has no JWK text for a server to misuse.
    }
    return texts;
  };
}

function publicFromPem(pem: string): KeyObject {
  try {
    if (pem.includes('BEGIN CERTIFICATE')) return new X509Certificate(pem).publicKey;
    return createPublicKey(pem);
  } catch {
    throw new KeyError('That PEM is not a public key, private key or X.509 certificate CredOps can read.');
  }
}

/** The members that hold each key type's public key (RFC 7518 §6, RFC 8037 §2). */
const KEY_MEMBERS: Partial<Record<string, { members: string[]; type: string[] }>> = {
  RSA: { members: ['n', 'e'], type: ['rsa', 'rsa-pss'] },
  EC: { members: ['crv', 'x', 'y'], type: ['ec'] },
  OKP: { members: ['crv', 'x'], type: ['ed25519', 'ed448'] },
};

/**
 * A key published only as its certificate chain: the first certificate holds it (RFC 7517 §4.7).
 * Only when the JWK has none of its own key members, and the certificate's key is of its kty.
 */
function keyFromX5c(jwk: JWK): KeyObject | null {
  const shape = KEY_MEMBERS[jwk.kty!];
  const first = Array.isArray(jwk.x5c) && typeof jwk.x5c[0] === 'string' ? jwk.x5c[0] : null;
  if (!shape || first === null || shape.members.some((m) => m in jwk)) return null;
  try {
    const key = new X509Certificate(Buffer.from(first, 'base64')).publicKey;
    return shape.type.includes(key.asymmetricKeyType ?? '') ? key : null;
  } catch {
    return null;
  }
}

function fromJwk(jwk: JWK, source: string): CandidateKey {
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') throw new KeyError(`The ${source} has no "kty": it is not a JWK.`);
  const kid = typeof jwk.kid === 'string' ? jwk.kid : null;
  const alg = typeof jwk.alg === 'string' ? jwk.alg : null;
  const use = typeof jwk.use === 'string' ? jwk.use : null;
  const keyOps = Array.isArray(jwk.key_ops) ? jwk.key_ops.filter((op): op is string => typeof op === 'string') : null;
  if (jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new KeyError(`The ${source} is a symmetric key without "k".`);
    const secret = Buffer.from(jwk.k, 'base64url');
    return { key: createSecretKey(secret), kid, alg, use, keyOps, description: `${source}${kid ? ` kid ${kid}` : ''} (symmetric, ${secret.length} bytes)`, publicText: () => [], secret };
  }
  let key: KeyObject;
  try {
    // The public members only: a private JWK is reduced to its public half.
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = jwk as JWK & { oth?: unknown };
    key = createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch {
    const fromCertificate = keyFromX5c(jwk);
    if (!fromCertificate) throw new KeyError(`The ${source}${kid ? ` (kid ${kid})` : ''} is not a key CredOps can use (kty ${jwk.kty}).`);
    key = fromCertificate;
  }
  return { key, kid, alg, use, keyOps, description: describePublic(key, source, kid), publicText: publicTexts(key), secret: null };
}

export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new KeyError(`The ${what} is not valid JSON.`);
  }
}

export function secretBytes(secret: string, encoding: 'text' | 'base64' | 'base64url'): Buffer {
  if (encoding === 'text') return Buffer.from(secret, 'utf8');
  const clean = secret.trim();
  const pattern = encoding === 'base64' ? /^[A-Za-z0-9+/]*={0,2}$/ : /^[A-Za-z0-9_-]*$/;
  if (!pattern.test(clean)) throw new KeyError(`That secret is not ${encoding}.`);
  return Buffer.from(clean, encoding);
}

/** A secret from the vault: a signing key's public half, or any other credential's secret as an HMAC key. */
export function keysFromSecretText(secret: string, kind: string, name: string): CandidateKey[] {
  if (kind !== 'signing_key') return [{ key: createSecretKey(Buffer.from(secret, 'utf8')), kid: null, alg: null, use: null, keyOps: null, description: `vault credential ${name} (as HMAC secret)`, publicText: () => [], secret: Buffer.from(secret, 'utf8') }];
  const trimmed = secret.trim();
  if (trimmed.startsWith('{')) return [fromJwk(parseJsonText(trimmed, 'signing key') as JWK, `vault signing key ${name}`)];
  const key = publicFromPem(trimmed);
  return [{ key, kid: null, alg: null, use: null, keyOps: null, description: describePublic(key, `vault signing key ${name}`, null), publicText: publicTexts(key), secret: null }];
}

export function resolveKeys(source: Exclude<KeySource, { kind: 'credential' | 'server' }>): KeyList {
  switch (source.kind) {
    case 'hmac': {
      const bytes = secretBytes(source.secret, source.encoding);
      if (bytes.length === 0) throw new KeyError('The secret is empty once decoded.');
      return [{ key: createSecretKey(bytes), kid: null, alg: null, use: null, keyOps: null, description: `the HMAC secret you entered (${bytes.length} bytes)`, publicText: () => [], secret: bytes }];
    }
    case 'pem': {
      const key = publicFromPem(source.pem);
      if (key.type !== 'public') throw new KeyError('That PEM is not a public key.');
      return [{ key, kid: null, alg: null, use: null, keyOps: null, description: describePublic(key, 'the PEM key you pasted', null), publicText: publicTexts(key, source.pem, source.pem.trim()), secret: null }];
    }
    case 'jwk':
      return [fromJwk(parseJsonText(source.jwk, 'JWK') as JWK, 'the JWK you pasted')];
    case 'jwks': {
      const set = parseJsonText(source.jwks, 'JWKS') as { keys?: unknown };
      if (typeof set !== 'object' || set === null || !Array.isArray(set.keys)) throw new KeyError('The JWKS has no "keys" array.');
      if (set.keys.length > MAX_JWKS_KEYS) throw new KeyError(`The JWKS has ${set.keys.length} keys; CredOps reads at most ${MAX_JWKS_KEYS}.`);
      const keys: CandidateKey[] = [];
      const skipped: string[] = [];
      const unreadable: { kid: string | null; reason: string }[] = [];
      for (const [i, jwk] of set.keys.entries()) {
        // One unusable key does not spoil the set: it is skipped, and said so if nothing verifies.
        try {
          keys.push(fromJwk(jwk as JWK, 'JWKS key'));
        } catch (error) {
          const reason = (error as Error).message;
          skipped.push(`key ${i + 1}: ${reason}`);
          const kid = typeof jwk === 'object' && jwk !== null && typeof (jwk as JWK).kid === 'string' ? (jwk as JWK).kid! : null;
          unreadable.push({ kid, reason });
        }
      }
      if (keys.length === 0) throw new KeyError(`No key of the JWKS can be used${skipped.length ? ` (${skipped.slice(0, 3).join('; ')})` : ''}.`);
      return Object.assign(keys, { unreadable });
    }
  }
}
