/**
 * JWS signature checks with node:crypto directly: synchronous and as fast as the primitive, which
 * the inspector's bench holds it to. Each algorithm accepts only the key type and curve RFC 7518
 * assigns it, so a key of the wrong kind is "incompatible", never a silent pass or fail.
 */
import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

const HASHES: Record<string, string> = { '256': 'sha256', '384': 'sha384', '512': 'sha512' };
const EC_CURVES: Record<string, string> = { ES256: 'prime256v1', ES384: 'secp384r1', ES512: 'secp521r1', ES256K: 'secp256k1' };

export type SignatureCheck = 'verified' | 'bad-signature' | 'incompatible-key' | 'unsupported-alg';

export const SUPPORTED_ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519', 'Ed448'] as const;

type KeyType = 'secret' | 'rsa' | 'ec' | 'okp';

/** Looked up on every inspection, so a table rather than patterns. */
const KEY_TYPES: Readonly<Record<(typeof SUPPORTED_ALGS)[number], KeyType>> = {
  HS256: 'secret', HS384: 'secret', HS512: 'secret',
  RS256: 'rsa', RS384: 'rsa', RS512: 'rsa', PS256: 'rsa', PS384: 'rsa', PS512: 'rsa',
  ES256: 'ec', ES384: 'ec', ES512: 'ec', ES256K: 'ec',
  EdDSA: 'okp', Ed25519: 'okp', Ed448: 'okp',
};

/** RFC 9864's fully specified algorithms name their curve; EdDSA takes either. */
const OKP_CURVES: Readonly<Record<string, readonly string[]>> = { EdDSA: ['ed25519', 'ed448'], Ed25519: ['ed25519'], Ed448: ['ed448'] };

/**
 * An RSA-PSS key may carry its own restrictions (RFC 4055 §3.1): PSS only, one hash, a least salt.
 * JWS's PS algorithms use the same hash for MGF1 and a salt as long as the hash (RFC 7518 §3.5).
 */
function pssKeyAllows(alg: string, key: KeyObject): boolean {
  if (!alg.startsWith('PS')) return false;
  const { hashAlgorithm, mgf1HashAlgorithm, saltLength } = key.asymmetricKeyDetails ?? {};
  const hash = HASHES[alg.slice(2)];
  return (hashAlgorithm === undefined || hashAlgorithm === hash) && (mgf1HashAlgorithm === undefined || mgf1HashAlgorithm === hash) && (saltLength === undefined || saltLength <= Number(alg.slice(2)) / 8);
}

/** Which kind of key an algorithm needs: a shared secret or a public key of a given type. */
export function keyTypeFor(alg: string): KeyType | null {
  return Object.hasOwn(KEY_TYPES, alg) ? KEY_TYPES[alg as keyof typeof KEY_TYPES] : null;
}

export function checkSignature(alg: string, signingInput: string, signature: Buffer, key: KeyObject): SignatureCheck {
  const type = keyTypeFor(alg);
  if (!type) return 'unsupported-alg';
  if (type === 'secret') {
    if (key.type !== 'secret') return 'incompatible-key';
    // The signing input is base64url and dots, so its text is its bytes.
    const expected = createHmac(HASHES[alg.slice(2)], key).update(signingInput, 'latin1').digest();
    return expected.length === signature.length && timingSafeEqual(expected, signature) ? 'verified' : 'bad-signature';
  }
  if (key.type !== 'public') return 'incompatible-key';
  const input = Buffer.from(signingInput, 'latin1');
  const keyType = key.asymmetricKeyType;
  try {
    if (type === 'rsa') {
      if (keyType !== 'rsa' && !(keyType === 'rsa-pss' && pssKeyAllows(alg, key))) return 'incompatible-key';
      const hash = HASHES[alg.slice(2)];
      const ok = alg.startsWith('PS')
        ? verify(hash, input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature)
        : verify(hash, input, key, signature);
      return ok ? 'verified' : 'bad-signature';
    }
    if (type === 'ec') {
      if (keyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== EC_CURVES[alg]) return 'incompatible-key';
      const hash = alg === 'ES256K' ? 'sha256' : HASHES[alg.slice(2)];
      return verify(hash, input, { key, dsaEncoding: 'ieee-p1363' }, signature) ? 'verified' : 'bad-signature';
    }
    if (!OKP_CURVES[alg].includes(keyType ?? '')) return 'incompatible-key';
    return verify(null, input, key, signature) ? 'verified' : 'bad-signature';
  } catch {
    // A signature of the wrong length for the key, say: it does not verify.
    return 'bad-signature';
  }
}
