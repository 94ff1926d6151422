/**
 * What is wrong with a verification key itself, found once when the key is read: a key anyone can
 * forge signatures for (an RSA exponent of 1, an even modulus, an Ed25519 point of small order),
 * one too small to trust, and one too costly to use on every keystroke. A signature that verifies under a forgeable key proves nothing.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { TokenFindingCode } from '../../../shared/tokens';

/**
 * Whose key a flaw is told of: one the user gave, standing for an issuer's; the one a DPoP proof
 * carries, which is its client's; or the one an SD-JWT's issuer bound it to, its holder's. The flaw is found once, when the key is read; the words depend on whose it is.
 */
export type KeyHolder = 'given' | 'carried' | 'holder';

const HOLDER: Record<KeyHolder, { the: string; owner: string; reject: string }> = {
  given: { the: 'key given', owner: "the issuer's key", reject: 'Whoever published it, reject' },
  carried: { the: 'key the proof carries', owner: "the client's DPoP key", reject: 'Reject' },
  holder: { the: 'holder key the issuer named in "cnf"', owner: "the holder's key, and have the credential issued again to it", reject: 'Reject' },
};

export interface KeyFlaw {
  code: Extract<TokenFindingCode, 'KEY_FORGEABLE' | 'KEY_TOO_SMALL'>;
  severity: 'critical' | 'high';
  /** A valid verdict cannot stand on this key. */
  blocking: boolean;
  message: (holder: KeyHolder) => string;
  /** The flaw in a few words, for a list of a server's keys. */
  reason: string;
}

/** OpenSSL's own ceiling; a bigger modulus cannot verify anything. */
const MAX_RSA_BITS = 16_384;
/** Real keys use 65537 (some 3, 17 or 37). A huge exponent makes every verification slow, so such a key is not used. */
const MAX_RSA_EXPONENT = 2n ** 32n;

const bytesToBigInt = (bytes: Buffer) => (bytes.length === 0 ? 0n : BigInt(`0x${bytes.toString('hex')}`));

/**
 * Ed25519 public keys of small order, as libsodium refuses them: with the sign bit cleared, the
 * encodings of the identity, the points of order 2, 4 and 8, and the non-canonical y = p, p + 1.
 * A signature with S = 0 verifies under such a key for many messages, so anyone can make one.
 */
const ED25519_SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

/** Ed448's small-order points have y = 0, 1 or -1 (cofactor 4); y = p and p + 1 are the same twice over. */
const ED448_P = 2n ** 448n - 2n ** 224n - 1n;
const ED448_SMALL_ORDER_Y = new Set([0n, 1n, ED448_P - 1n, ED448_P, ED448_P + 1n]);

function littleEndian(bytes: Buffer): bigint {
  return bytesToBigInt(Buffer.from(bytes).reverse());
}

function okpFlaw(key: KeyObject): KeyFlaw | null {
  const x = Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
  const small =
    key.asymmetricKeyType === 'ed25519'
      ? ED25519_SMALL_ORDER.includes(Buffer.concat([x.subarray(0, 31), Buffer.from([x[31] & 0x7f])]).toString('hex'))
      : ED448_SMALL_ORDER_Y.has(littleEndian(x.subarray(0, 56)));
  if (!small) return null;
  const curve = key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : 'Ed448';
  return { code: 'KEY_FORGEABLE', severity: 'critical', blocking: true, reason: `an ${curve} point of small order`, message: (holder) => `The ${curve} ${HOLDER[holder].the} is a point of small order (the identity or one next to it), not a real public key: signatures that verify under it can be made without any private key (RFC 8032 §5.1.7). ${HOLDER[holder].reject} what it "verifies".` };
}

/** Where a DER element's contents start and end, from its tag at `at` (definite lengths, as DER has). */
function derElement(der: Buffer, at: number): { start: number; end: number } {
  const first = der[at + 1];
  if (first < 0x80) return { start: at + 2, end: at + 2 + first };
  const count = first & 0x7f;
  const length = der.subarray(at + 2, at + 2 + count).reduce((sum, byte) => sum * 256 + byte, 0);
  return { start: at + 2 + count, end: at + 2 + count + length };
}

/**
 * An RSA key's modulus. JWK cannot express RSA-PSS keys, so theirs is read from the SPKI:
 * SEQUENCE { AlgorithmIdentifier, BIT STRING { 0 unused bits, RSAPublicKey } } (RFC 5280 §4.1).
 */
function rsaModulus(key: KeyObject): bigint {
  if (key.asymmetricKeyType === 'rsa') return bytesToBigInt(Buffer.from(key.export({ format: 'jwk' }).n!, 'base64url'));
  const der = key.export({ format: 'der', type: 'spki' });
  const spki = derElement(der, 0);
  const algorithm = derElement(der, spki.start);
  const bits = derElement(der, algorithm.end);
  const plain = createPublicKey({ key: der.subarray(bits.start + 1, bits.end), format: 'der', type: 'pkcs1' });
  return bytesToBigInt(Buffer.from(plain.export({ format: 'jwk' }).n!, 'base64url'));
}

function rsaFlaw(key: KeyObject): KeyFlaw | null {
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (exponent < 3n || exponent % 2n === 0n) {
    return { code: 'KEY_FORGEABLE', severity: 'critical', blocking: true, reason: `RSA public exponent ${exponent}`, message: (holder) => `The RSA ${HOLDER[holder].the} has public exponent ${exponent}; RSA needs an odd one of at least 3 (RFC 8017 §3.1). ${exponent === 1n ? 'With 1, the signature is just the padded hash, so anyone can make one.' : 'It is not a key anyone signs with.'} Reject what it "verifies".` };
  }
  if (rsaModulus(key) % 2n === 0n) {
    return { code: 'KEY_FORGEABLE', severity: 'critical', blocking: true, reason: 'an even RSA modulus', message: (holder) => `The RSA ${HOLDER[holder].the} has an even modulus: 2 is a factor, so anyone can work out the private key and sign. Reject what it "verifies".` };
  }
  if (bits < 1024) {
    return { code: 'KEY_TOO_SMALL', severity: 'critical', blocking: true, reason: `a ${bits}-bit RSA key`, message: (holder) => `Verified, but by a ${bits}-bit RSA key: keys this small are factored in hours on rented machines, after which anyone can sign. Reject what it "verifies" and replace ${HOLDER[holder].owner}.` };
  }
  if (bits < 2048) {
    return { code: 'KEY_TOO_SMALL', severity: 'high', blocking: false, reason: `a ${bits}-bit RSA key`, message: (holder) => `Verified, but by a ${bits}-bit RSA key: keys under 2048 bits can be factored (NIST SP 800-131A disallows them). Replace ${HOLDER[holder].owner}.` };
  }
  return null;
}

/** What makes a public key unsafe to trust, if anything. */
export function publicKeyFlaw(key: KeyObject): KeyFlaw | null {
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return rsaFlaw(key);
    case 'ed25519':
    case 'ed448':
      return okpFlaw(key);
    default:
      return null;
  }
}

/** Why a public key is not used at all (too costly or beyond what OpenSSL verifies with), or null. */
export function publicKeyRefusal(key: KeyObject): string | null {
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return null;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits > MAX_RSA_BITS) return `a ${bits}-bit RSA modulus, beyond the ${MAX_RSA_BITS} bits OpenSSL verifies with`;
  const exponent = key.asymmetricKeyDetails?.publicExponent ?? 0n;
  if (exponent >= MAX_RSA_EXPONENT) return `an RSA public exponent of ${exponent.toString(2).length} bits (real keys use 65537), which would make every check slow`;
  return null;
}
