import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** Subkeys derived from the database key, one per purpose, so no key serves two. */
export interface VaultKeys {
  database: Buffer;
  audit: Buffer;
  anchor: Buffer;
  seal: Buffer;
  fingerprint: Buffer;
}

export function deriveVaultKeys(databaseKey: Buffer, vaultId: string): VaultKeys {
  const sub = (purpose: string) => Buffer.from(hkdfSync('sha256', databaseKey, Buffer.from(vaultId), `credops/${purpose}/v1`, 32));
  return {
    database: Buffer.from(databaseKey),
    audit: sub('audit'),
    anchor: sub('audit-anchor'),
    seal: sub('seal'),
    fingerprint: sub('fingerprint'),
  };
}

export function zeroKeys(keys: VaultKeys): void {
  for (const key of Object.values(keys)) key.fill(0);
}

export interface WrappedKey {
  iv: string;
  ciphertext: string;
  tag: string;
}

export function wrapKey(wrappingKey: Buffer, key: Buffer, aad: Buffer): WrappedKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey, iv).setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(key), cipher.final()]);
  return { iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Returns null when the wrapping key is wrong (or anything bound by the AAD was changed). */
export function unwrapKey(wrappingKey: Buffer, wrapped: WrappedKey, aad: Buffer): Buffer | null {
  try {
    // Pinned: GCM otherwise accepts a tag cut down to 4 bytes, leaving 2^-32 odds for a forgery.
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey, Buffer.from(wrapped.iv, 'base64'), { authTagLength: 16 }).setAAD(aad);
    decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(wrapped.ciphertext, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}
