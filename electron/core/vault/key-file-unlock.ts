/**
 * The first two steps of every unlock: read the key file and check it belongs to the vault file
 * (before any passphrase work), then unwrap the database key with a passphrase.
 */
import { existsSync, statSync } from 'node:fs';
import { CoreError } from '../errors';
import { readFileSalt } from './database';
import { deriveWrappingKey } from './kdf';
import { keyFilePathFor, readKeyFile, wrappingAad, type KeyFile } from './keyfile';
import { unwrapKey } from './keys';

export function readMatchingKeyFile(path: string): KeyFile {
  const keyFile = readKeyFile(keyFilePathFor(path));
  if (!existsSync(path)) {
    throw new CoreError('VAULT_FILE_MISSING', `The vault file ${path} is missing. Restore it from a backup.`);
  }
  if (statSync(path).size === 0 || readFileSalt(path).toString('base64') !== keyFile.fileSalt) {
    throw new CoreError('VAULT_KEYFILE_MISMATCH', `The key file beside ${path} belongs to a different vault (or the start of the vault file is damaged). Put the matching key file back; nothing was changed.`);
  }
  return keyFile;
}

/** The database key, or null when the passphrase is not the one the key file was wrapped with. */
export async function unwrapWithPassphrase(keyFile: KeyFile, passphrase: string): Promise<Buffer | null> {
  const wrappingKey = await deriveWrappingKey(passphrase, keyFile.kdf);
  try {
    return unwrapKey(wrappingKey, keyFile.wrappedKey, wrappingAad(keyFile.vaultId, keyFile.kdf));
  } finally {
    wrappingKey.fill(0);
  }
}
