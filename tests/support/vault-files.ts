import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deriveWrappingKey } from '../../electron/core/vault/kdf';
import { readKeyFile, wrappingAad } from '../../electron/core/vault/keyfile';
import { unwrapKey } from '../../electron/core/vault/keys';

/** Every file under a folder with its bytes, to prove an operation changed nothing on disk. */
export function snapshotFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else files[path.slice(dir.length + 1)] = readFileSync(path).toString('base64');
    }
  };
  walk(dir);
  return files;
}

/** What an attacker with the passphrase (or a debugger) could get: the raw database key. */
export async function recoverDatabaseKey(vaultPath: string, passphrase: string): Promise<Buffer> {
  const keyFile = readKeyFile(`${vaultPath}.key`);
  const key = unwrapKey(await deriveWrappingKey(passphrase, keyFile.kdf), keyFile.wrappedKey, wrappingAad(keyFile.vaultId, keyFile.kdf));
  if (!key) throw new Error('wrong passphrase');
  return key;
}
