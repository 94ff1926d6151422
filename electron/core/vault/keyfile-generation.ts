/**
 * Which key file the vault expects. The key file's generation goes up whenever its key material
 * changes (passphrase, keychain wrapping) and the vault records the current one, so an older key
 * file put back beside the vault — say, one the old passphrase still opens — is refused.
 */
import type { Db } from './database';
import { CoreError } from '../errors';
import type { KeyFile } from './keyfile';

export function writeKeyFileGeneration(db: Db, generation: number): void {
  db.prepare("INSERT INTO meta (key, value) VALUES ('keyFileGeneration', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(generation));
}

/**
 * Throws for a key file older than the vault, or newer by more than one change. Returns true when
 * the key file is exactly one ahead: a change whose key file was written but whose record was not
 * (a crash in between), which open then completes.
 */
export function checkKeyFileGeneration(db: Db, keyFile: KeyFile, path: string): boolean {
  const recorded = Number(db.prepare("SELECT value FROM meta WHERE key = 'keyFileGeneration'").pluck().get() ?? 1);
  if (keyFile.generation < recorded) {
    throw new CoreError(
      'VAULT_KEYFILE_STALE',
      `The key file beside ${path} is older than the vault (generation ${keyFile.generation}, vault expects ${recorded}): the passphrase or keychain setting was changed since. Put the current key file back; nothing was changed.`,
    );
  }
  if (keyFile.generation > recorded + 1) {
    throw new CoreError('VAULT_KEYFILE_MISMATCH', `The key file beside ${path} is newer than the vault file: an older vault file was put back. Restore the matching pair; nothing was changed.`);
  }
  return keyFile.generation === recorded + 1;
}
