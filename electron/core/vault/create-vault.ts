/**
 * Lays a new vault down on disk: the encrypted database (built under a temporary name), its first
 * audit entry, then the key file, then the rename that makes it real. A crash at any point leaves
 * either no vault or a complete one, never a database whose key was not written.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { CoreError } from '../errors';
import { appendAudit } from './audit';
import { openEncryptedDatabase, readFileSalt, VAULT_CIPHER } from './database';
import { fsyncDirectory, publishExclusive } from './files';
import { writeKeyFileGeneration } from './keyfile-generation';
import { chooseKdfParams, deriveWrappingKey } from './kdf';
import { keyFilePathFor, signAnchor, wrappingAad, writeKeyFile } from './keyfile';
import { deriveVaultKeys, wrapKey, zeroKeys } from './keys';
import { migrate } from './migrations';

export interface CreateOptions {
  calibrateKdf: boolean;
  nativeBinding?: string;
  now: () => Date;
}

/** Returns the new database key; the caller opens the vault with it and zeroes it. */
export async function createVaultFiles(path: string, passphrase: string, options: CreateOptions): Promise<Buffer> {
  const keyFilePath = keyFilePathFor(path);
  const vaultId = randomUUID();
  const databaseKey = randomBytes(32);
  const kdf = await chooseKdfParams(options.calibrateKdf);
  const wrappingKey = await deriveWrappingKey(passphrase, kdf);
  const temp = `${path}.${randomBytes(6).toString('hex')}.creating`;
  const keys = deriveVaultKeys(databaseKey, vaultId);
  let keyFileWritten = false;
  let published = false;
  try {
    const db = openEncryptedDatabase(temp, keys.database, { create: true, nativeBinding: options.nativeBinding });
    let head;
    try {
      migrate(db);
      head = db.transaction(() => {
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)').run('vaultId', vaultId, 'createdAt', options.now().toISOString());
        writeKeyFileGeneration(db, 1);
        return appendAudit(
          db,
          keys.audit,
          vaultId,
          {
            action: 'vault.created',
            target: path,
            detail: { cipher: VAULT_CIPHER, kdf: { alg: kdf.alg, memoryKiB: kdf.memoryKiB, passes: kdf.passes, lanes: kdf.lanes } },
          },
          options.now(),
        );
      })();
    } finally {
      db.close();
    }
    // Neither file replaces one that appeared meanwhile: CredOps never overwrites a vault.
    writeKeyFile(
      keyFilePath,
      {
      format: 'credops-keyfile',
      version: 1,
      vaultId,
      createdAt: options.now().toISOString(),
      generation: 1,
      cipher: VAULT_CIPHER,
      fileSalt: readFileSalt(temp).toString('base64'),
      kdf,
      wrappedKey: wrapKey(wrappingKey, databaseKey, wrappingAad(vaultId, kdf)),
      keychain: null,
      auditAnchor: signAnchor(keys.anchor, vaultId, head),
      },
      { exclusive: true },
    );
    keyFileWritten = true;
    publishExclusive(temp, path);
    published = true;
    fsyncDirectory(dirname(path));
    return databaseKey;
  } catch (error) {
    databaseKey.fill(0);
    rmSync(temp, { force: true });
    rmSync(`${temp}-wal`, { force: true });
    if (keyFileWritten && !published) rmSync(keyFilePath, { force: true });
    if (error instanceof CoreError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CoreError('VAULT_EXISTS', `A vault appeared at ${path} while this one was being created. Nothing was overwritten; choose another location.`, { cause: error });
    }
    throw new CoreError('VAULT_LOCATION_INVALID', `The vault could not be created at ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check that the folder is writable.`, { cause: error });
  } finally {
    wrappingKey.fill(0);
    zeroKeys(keys);
  }
}

/** An absolute path to a vault file; a folder gets credops.vault inside it. */
export function resolveVaultPath(input: string): string {
  if (!isAbsolute(input)) throw new CoreError('VAULT_LOCATION_INVALID', 'Choose a full path for the vault (for example /home/you/credops.vault).');
  let path = input;
  if (existsSync(input) && statSync(input).isDirectory()) path = join(input, 'credops.vault');
  if (!existsSync(dirname(path)) || !statSync(dirname(path)).isDirectory()) {
    throw new CoreError('VAULT_LOCATION_INVALID', `The folder ${dirname(path)} does not exist. Choose an existing folder.`);
  }
  return path;
}
