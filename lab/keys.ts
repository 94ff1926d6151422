import { createPublicKey, generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, type JWK } from 'jose';

// The realm's signing keys. oidc-provider signs with the first key of an algorithm in its JWKS
// and publishes the rest for verification, so "rotate" means putting a new key first and
// "retire" means dropping one. The ring only holds the keys; lab.ts rebuilds the Provider from
// it, because oidc-provider reads its keystore once, when it is constructed.

const generateRsa = promisify(generateKeyPair);

export interface SigningKey {
  kid: string;
  /** private JWK (RS256, use sig) as oidc-provider's `jwks` setting wants it */
  privateJwk: JWK;
  /** base64 DER SubjectPublicKeyInfo, as Keycloak's keys endpoint shows `publicKey` */
  publicKeySpki: string;
  /** Keycloak names the key provider component that holds a key; one per key here */
  providerId: string;
  createdAt: number;
}

export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
  const exported = privateKey.export({ format: 'jwk' }) as JWK;
  // The RFC 7638 thumbprint as kid: unique, and derived from the key rather than invented.
  const kid = await calculateJwkThumbprint(exported);
  const privateJwk: JWK = { ...exported, kid, alg: 'RS256', use: 'sig' };
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return { kid, privateJwk, publicKeySpki: spki.toString('base64'), providerId: randomUUID(), createdAt: Date.now() };
}

export class SigningKeyRing {
  #keys: SigningKey[];

  private constructor(keys: SigningKey[]) {
    this.#keys = keys;
  }

  static async create(): Promise<SigningKeyRing> {
    return new SigningKeyRing([await generateSigningKey()]);
  }

  /** Newest first: index 0 is the key that signs. */
  get keys(): readonly SigningKey[] {
    return this.#keys;
  }

  get signing(): SigningKey {
    return this.#keys[0];
  }

  /** The private JWKS for oidc-provider's `jwks` setting (it derives the public JWKS itself). */
  privateJwks(): { keys: JWK[] } {
    return { keys: this.#keys.map((key) => ({ ...key.privateJwk })) };
  }

  async rotate(): Promise<SigningKey> {
    const key = await generateSigningKey();
    this.#keys = [key, ...this.#keys];
    return key;
  }

  /** Removes a key from the JWKS. Removing the signing key promotes the next newest one. */
  retire(kid: string): void {
    const remaining = this.#keys.filter((key) => key.kid !== kid);
    if (remaining.length === this.#keys.length) throw new Error(`no signing key with kid ${kid}`);
    // oidc-provider needs a key to sign ID tokens and JWT access tokens; refuse to leave none.
    if (remaining.length === 0) throw new Error(`kid ${kid} is the only signing key; rotate before retiring it`);
    this.#keys = remaining;
  }
}

