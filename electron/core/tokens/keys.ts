/**
 * Verification keys from what the user gave: an HMAC secret, a PEM public key or certificate, a
 * JWK, a JWKS, or a key from the vault. Private keys are reduced to their public half. Each key
 * is described without its secret part, by kid and RFC 7638 thumbprint, so the screen can say
 * which one verified.
 */
import { createHash, createPublicKey, createSecretKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import type { KeySource } from '../../../shared/tokens';
import { jsonShapeProblem } from '../json-depth';
import { trimEndWhile } from '../trim';
import { quoted } from './header-checks';
import { publicKeyFlaw, publicKeyRefusal, type KeyFlaw } from './key-flaws';

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
   * The public key as the bytes a careless server would take for "the key" and use as an HMAC
   * secret, for the key-confusion check. Computed only for an HMAC token.
   */
  publicText(): (string | Buffer)[];
  /** A shared secret's bytes, for the weak and short secret checks; null for a public key. */
  secret: Buffer | null;
  /** What makes a signature by this key prove nothing (or less than it seems), found when it was read. */
  flaw: KeyFlaw | null;
  /** When the certificate it came from stops being valid, if it came from one. */
  certificateExpiresMs: number | null;
}

/** Keys to try, and the JWKS keys that could not be read (so a kid naming one is not called unpublished). */
export type KeyList = CandidateKey[] & { unreadable?: readonly { kid: string | null; reason: string }[] };

export class KeyError extends Error {}

/** The members of a JWK that hold a private or secret key (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
export const PRIVATE_JWK_MEMBERS: readonly string[] = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

const MAX_JWKS_KEYS = 100;
/** Deeper than any key or key set; deep enough to refuse JSON built to exhaust a parser. */
const MAX_KEY_JSON_DEPTH = 16;
const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

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

function publicTexts(key: KeyObject, ...given: string[]): () => (string | Buffer)[] {
  return () => {
    const pem = key.export({ format: 'pem', type: 'spki' }).toString();
    // PEM as written on Unix and Windows, trimmed or not; PKCS#1 for RSA; DER; the JWK, as exported and as RFC 7638 orders it.
    const texts: (string | Buffer)[] = [...given, pem, pem.trim(), pem.replace(/\n/g, '\r\n'), key.export({ format: 'der', type: 'spki' })];
    if (key.asymmetricKeyType === 'rsa') texts.push(key.export({ format: 'pem', type: 'pkcs1' }).toString());
    try {
      const jwk = key.export({ format: 'jwk' });
      texts.push(JSON.stringify(jwk), JSON.stringify(Object.fromEntries(Object.entries(jwk).sort(([a], [b]) => (a < b ? -1 : 1)))));
    } catch {
      // A key JWK cannot express has no JWK text for a server to misuse.
    }
    return texts;
  };
}

/** A public key read from somewhere, with what the certificate it came from says about its life. */
interface ReadKey {
  key: KeyObject;
  certificateExpiresMs: number | null;
}

/** The body stops at the next dashes: a lazy `[\s\S]*?` would rescan to the end for every BEGIN without an END. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----((?:(?!-----)[\s\S])*)-----END \1-----/g;

/**
 * A block as OpenSSL reads it: its base64 in lines of 64. A PEM pasted into a one-line field
 * loses its line breaks, and a chat may rewrap it; the key is the same.
 */
function rewrapped(label: string, body: string): string {
  const base64 = body.replace(/\s+/g, '');
  return `-----BEGIN ${label}-----\n${base64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

/** One PEM block's public key: a certificate's, a public key, or a private key's public half. */
function keyFromPemBlock(label: string, body: string): ReadKey {
  if (label.includes('ENCRYPTED') || body.includes('Proc-Type: 4,ENCRYPTED')) throw new KeyError('it is a passphrase-protected private key: give its public key or certificate instead');
  // Headers (RFC 1421 "Name: value" lines) are kept as they are; bare base64 is rewrapped.
  const block = body.includes(':') ? `-----BEGIN ${label}-----${body}-----END ${label}-----` : rewrapped(label, body);
  try {
    if (label === 'CERTIFICATE') {
      const certificate = new X509Certificate(block);
      return { key: certificate.publicKey, certificateExpiresMs: Date.parse(certificate.validTo) };
    }
    return { key: createPublicKey(block), certificateExpiresMs: null };
  } catch {
    throw new KeyError(`its ${label.toLowerCase()} block is not one CredOps can read`);
  }
}

/**
 * Every key in a PEM paste: during a rotation people paste the old and new key together, and a
 * certificate chain is several blocks. Lines around the blocks (comments) are not read.
 */
function publicKeysFromPem(pem: string): { keys: ReadKey[]; unreadable: string[] } {
  const keys: ReadKey[] = [];
  const unreadable: string[] = [];
  let firstProblem: string | null = null;
  for (const [, label, body] of pem.matchAll(PEM_BLOCK)) {
    try {
      keys.push(keyFromPemBlock(label, body));
    } catch (error) {
      if (!(error instanceof KeyError)) throw error;
      firstProblem ??= error.message;
      // A key CredOps could not read may be the signer; `openssl ecparam`'s EC PARAMETERS block is no key.
      if (/KEY|CERTIFICATE/.test(label)) unreadable.push(error.message);
    }
  }
  if (keys.length > 0) return { keys, unreadable };
  throw new KeyError(firstProblem ? `That PEM cannot be used: ${firstProblem}.` : 'That PEM is not a public key, private key or X.509 certificate CredOps can read.');
}

/** A public key as a candidate, unless it is beyond what CredOps verifies with. */
function publicCandidate({ key, certificateExpiresMs }: ReadKey, source: string, fields: Pick<CandidateKey, 'kid' | 'alg' | 'use' | 'keyOps'>, given: string[] = []): CandidateKey {
  const refusal = publicKeyRefusal(key);
  if (refusal) throw new KeyError(`${capitalised(source)}${fields.kid ? ` (kid ${fields.kid})` : ''} is not used: ${refusal}.`);
  return { key, ...fields, description: describePublic(key, source, fields.kid), publicText: publicTexts(key, ...given), secret: null, flaw: publicKeyFlaw(key), certificateExpiresMs };
}

function secretCandidate(secret: Buffer, description: string, fields: Pick<CandidateKey, 'kid' | 'alg' | 'use' | 'keyOps'> = NO_JWK_FIELDS): CandidateKey {
  return { key: createSecretKey(secret), ...fields, description, publicText: () => [], secret, flaw: null, certificateExpiresMs: null };
}

/** PEM labels that hold a public key: what a careless server reads as "the key" for HMAC. */
const PUBLIC_PEM_LABEL = /^(?:RSA |EC )?(?:PUBLIC KEY|CERTIFICATE)$/;

/**
 * The public key a "secret" really is, if it is one: PEM (line breaks or not), a certificate, a
 * public JWK, or DER. Read as the public key it is, an HMAC token checked with it is the
 * algorithm confusion attack (RFC 8725 §2.1), and is named so rather than "verified".
 */
export function publicKeyInSecret(secret: Buffer): { keys: ReadKey[]; what: string } | null {
  const text = secret.toString('utf8').trim();
  const blocks = [...text.matchAll(PEM_BLOCK)].filter(([, label]) => PUBLIC_PEM_LABEL.test(label));
  if (blocks.length > 0) {
    try {
      return { keys: blocks.map(([, label, body]) => keyFromPemBlock(label, body)), what: 'a public key in PEM' };
    } catch {
      return null;
    }
  }
  if (text.startsWith('{')) {
    try {
      const jwk = JSON.parse(text) as { kty?: unknown };
      if ((jwk.kty !== 'RSA' && jwk.kty !== 'EC' && jwk.kty !== 'OKP') || 'd' in jwk) return null;
      return { keys: [{ key: createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }), certificateExpiresMs: null }], what: 'a public JWK' };
    } catch {
      return null;
    }
  }
  // A DER SubjectPublicKeyInfo is a SEQUENCE (0x30); trying others would only cost time.
  if (secret[0] === 0x30 && secret.length >= 32) {
    try {
      return { keys: [{ key: createPublicKey({ key: secret, format: 'der', type: 'spki' }), certificateExpiresMs: null }], what: 'a public key in DER' };
    } catch {
      return null;
    }
  }
  return null;
}

/** A secret given for HMAC: the shared secret it is, or, when it is a public key, that key. */
function secretCandidates(secret: Buffer, description: string): KeyList {
  const inside = publicKeyInSecret(secret);
  if (!inside) return [secretCandidate(secret, description)];
  // The text as given is one more way a server could have used the key as a secret.
  return inside.keys.map((read) => publicCandidate(read, `${description}, which is ${inside.what}`, NO_JWK_FIELDS, [secret.toString('utf8')]));
}

const NO_JWK_FIELDS = { kid: null, alg: null, use: null, keyOps: null } as const;

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
function keyFromX5c(jwk: JWK): ReadKey | null {
  const shape = Object.hasOwn(KEY_MEMBERS, jwk.kty!) ? KEY_MEMBERS[jwk.kty!] : undefined;
  const first = firstCertificate(jwk);
  if (!shape || first === null || shape.members.some((m) => m in jwk)) return null;
  return first && shape.type.includes(first.key.asymmetricKeyType ?? '') ? first : null;
}

/** The first certificate of a JWK's "x5c", if it has one CredOps can read. */
function firstCertificate(jwk: JWK): ReadKey | null {
  if (!Array.isArray(jwk.x5c) || typeof jwk.x5c[0] !== 'string') return null;
  try {
    const certificate = new X509Certificate(Buffer.from(jwk.x5c[0], 'base64'));
    return { key: certificate.publicKey, certificateExpiresMs: Date.parse(certificate.validTo) };
  } catch {
    return null;
  }
}

/** RFC 7517 §4.7: the first certificate's key MUST match the JWK's own; a mismatch is not a key to trust. */
function certificateMatches(jwk: JWK, key: KeyObject): ReadKey | null {
  const first = firstCertificate(jwk);
  if (!first) return null;
  if (!first.key.equals(key)) throw new KeyError('its "x5c" certificate holds another key than its own members (RFC 7517 §4.7 says they must match)');
  return first;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function fromJwk(jwk: JWK, source: string): CandidateKey {
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.kty !== 'string') throw new KeyError(`${capitalised(source)} has no "kty": it is not a JWK.`);
  const kid = typeof jwk.kid === 'string' ? jwk.kid : null;
  const fields = {
    kid,
    alg: typeof jwk.alg === 'string' ? jwk.alg : null,
    use: typeof jwk.use === 'string' ? jwk.use : null,
    keyOps: Array.isArray(jwk.key_ops) ? jwk.key_ops.filter((op): op is string => typeof op === 'string') : null,
  };
  const named = `${capitalised(source)}${kid ? ` (kid ${kid})` : ''}`;
  if (jwk.kty === 'oct') {
    // Strictly base64url (RFC 7518 §6.4.1), as jose's importJWK reads it: Buffer would skip stray characters.
    if (typeof jwk.k !== 'string' || jwk.k === '') throw new KeyError(`${named} is a symmetric key without "k".`);
    if (!BASE64URL.test(jwk.k) || jwk.k.length % 4 === 1) throw new KeyError(`${named} has a "k" that is not base64url.`);
    const secret = Buffer.from(jwk.k, 'base64url');
    return secretCandidate(secret, `${source}${kid ? ` kid ${kid}` : ''} (symmetric, ${secret.length} bytes)`, fields);
  }
  let read: ReadKey;
  try {
    // The public members only: a private JWK is reduced to its public half.
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, oth: _oth, ...publicJwk } = jwk as JWK & { oth?: unknown };
    const key = createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    read = { key, certificateExpiresMs: null };
  } catch {
    const fromCertificate = keyFromX5c(jwk);
    if (!fromCertificate) throw new KeyError(`${named} is not a key CredOps can use (kty ${jwk.kty}).`);
    read = fromCertificate;
  }
  try {
    read = certificateMatches(jwk, read.key) ?? read;
  } catch (error) {
    if (!(error instanceof KeyError)) throw error;
    throw new KeyError(`${named} is not used: ${error.message}.`);
  }
  return publicCandidate(read, source, fields);
}

/** Key JSON as pasted or published: refused when built to exhaust a parser, or ambiguous about a member. */
export function parseJsonText(text: string, what: string): unknown {
  const problem = jsonShapeProblem(text, MAX_KEY_JSON_DEPTH);
  if (problem && 'deeper' in problem) throw new KeyError(`The ${what} nests JSON deeper than ${MAX_KEY_JSON_DEPTH} levels; no key does.`);
  if (problem) throw new KeyError(`The ${what} names ${quoted(problem.repeated, 60)} twice: parsers disagree on which one counts.`);
  try {
    return JSON.parse(text);
  } catch {
    throw new KeyError(`The ${what} is not valid JSON.`);
  }
}

export function secretBytes(secret: string, encoding: 'text' | 'base64' | 'base64url'): Buffer {
  if (encoding === 'text') return Buffer.from(secret, 'utf8');
  const clean = secret.trim();
  const pattern = encoding === 'base64' ? /^[A-Za-z0-9+/]*={0,2}$/ : BASE64URL;
  // A length of 4n + 1 cannot be base64: Buffer would drop the last character without a word.
  if (!pattern.test(clean) || trimEndWhile(clean, (code) => code === 0x3d).length % 4 === 1) throw new KeyError(`That secret is not ${encoding}.`);
  return Buffer.from(clean, encoding);
}

/** A secret from the vault: a signing key's public half, or any other credential's secret as an HMAC key. */
export function keysFromSecretText(secret: string, kind: string, name: string): KeyList {
  if (kind !== 'signing_key') return secretCandidates(Buffer.from(secret, 'utf8'), `vault credential ${name} (as HMAC secret)`);
  const trimmed = secret.trim();
  if (trimmed.startsWith('{')) return [fromJwk(parseJsonText(trimmed, 'signing key') as JWK, `vault signing key ${name}`)];
  return pemCandidates(trimmed, `vault signing key ${name}`, []);
}

/** Each PEM block a candidate, numbered when there are several so the screen can say which verified. */
function pemCandidates(pem: string, source: string, given: string[]): KeyList {
  const { keys, unreadable } = publicKeysFromPem(pem);
  const candidates: CandidateKey[] = [];
  const refused: string[] = [...unreadable];
  for (const [i, read] of keys.entries()) {
    try {
      candidates.push(publicCandidate(read, keys.length > 1 ? `${source} (block ${i + 1} of ${keys.length})` : source, NO_JWK_FIELDS, keys.length === 1 ? given : []));
    } catch (error) {
      if (!(error instanceof KeyError)) throw error;
      refused.push(error.message);
    }
  }
  if (candidates.length === 0) throw new KeyError(refused[0]);
  return Object.assign(candidates, { unreadable: refused.map((reason) => ({ kid: null, reason })) });
}

export function resolveKeys(source: Exclude<KeySource, { kind: 'credential' | 'server' }>): KeyList {
  switch (source.kind) {
    case 'hmac': {
      const bytes = secretBytes(source.secret, source.encoding);
      if (bytes.length === 0) throw new KeyError('The secret is empty once decoded.');
      return secretCandidates(bytes, `the HMAC secret you entered (${bytes.length} bytes)`);
    }
    case 'pem':
      return pemCandidates(source.pem, 'the PEM key you pasted', [source.pem, source.pem.trim()]);
    case 'jwk':
      return [fromJwk(parseJsonText(source.jwk, 'JWK') as JWK, 'the JWK you pasted')];
    case 'jwks': {
      const set = parseJsonText(source.jwks, 'JWKS') as { keys?: unknown };
      if (typeof set !== 'object' || set === null || !Array.isArray(set.keys)) throw new KeyError('The JWKS has no "keys" array.');
      const keys: CandidateKey[] = [];
      const skipped: string[] = [];
      const unreadable: { kid: string | null; reason: string }[] = [];
      const kidOf = (jwk: unknown) => (typeof jwk === 'object' && jwk !== null && typeof (jwk as JWK).kid === 'string' ? (jwk as JWK).kid! : null);
      for (const [i, jwk] of set.keys.entries()) {
        // Beyond the first hundred, keys are named but not read: a kid among them is not called unpublished.
        if (i >= MAX_JWKS_KEYS) {
          unreadable.push({ kid: kidOf(jwk), reason: `it is key ${i + 1} of ${set.keys.length}, and CredOps reads the first ${MAX_JWKS_KEYS}` });
          continue;
        }
        // One unusable key does not spoil the set: it is skipped, and said so if nothing verifies.
        try {
          keys.push(fromJwk(jwk as JWK, 'JWKS key'));
        } catch (error) {
          // Published JSON is anyone's: whatever it trips, it is one unusable key, not a failed inspection.
          const reason = error instanceof KeyError ? error.message : 'it is not a key CredOps can use';
          skipped.push(`key ${i + 1}: ${reason}`);
          unreadable.push({ kid: kidOf(jwk), reason });
        }
      }
      if (keys.length === 0) throw new KeyError(`No key of the JWKS can be used${skipped.length ? ` (${skipped.slice(0, 3).join('; ')})` : ''}.`);
      return Object.assign(keys, { unreadable });
    }
  }
}
