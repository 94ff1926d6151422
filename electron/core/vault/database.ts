/**
 * Opening the encrypted SQLite file. SQLite3MultipleCiphers encrypts every page (and the WAL) with
 * an authenticated cipher; the raw 256-bit key bypasses its own KDF because ours runs before it.
 * EXCLUSIVE locking mode holds an OS lock for as long as the vault is open, so a second instance is
 * refused, and the lock dies with the process, so a crash never leaves the vault stuck.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, openSync, readSync } from 'node:fs';
import { CoreError } from '../errors';

export type Db = Database.Database;

/**
 * Page ciphers that authenticate every page (a flipped byte fails to read), the only ones a vault
 * may use. AEGIS-256 is the default: `npm run bench -- vault.explore` measured it within 1.2x of
 * unencrypted SQLite where ChaCha20-Poly1305 was 1.7x and SQLCipher 2.5x (see the closing note of
 * the skeleton issue). The key file records the cipher, so changing this default later leaves
 * existing vaults opening with theirs.
 */
export const AUTHENTICATED_CIPHERS = ['aegis', 'chacha20', 'sqlcipher', 'ascon128'] as const;
export type VaultCipher = (typeof AUTHENTICATED_CIPHERS)[number];
export const VAULT_CIPHER: VaultCipher = 'aegis';
export const VAULT_CACHE_KIB = 64 * 1024;
const HEADER_SALT_BYTES = 16;

export interface OpenOptions {
  create?: boolean;
  /** Path to a better-sqlite3 binary built for Electron's ABI (see scripts/start.mjs). */
  nativeBinding?: string;
  /** The page cipher: the one the key file records for an existing vault. */
  cipher?: VaultCipher;
  /** For the bench's exploration only; the vault always uses SQLite's defaults. */
  tuning?: { pageSize?: number };
}

export function openEncryptedDatabase(file: string, key: Buffer, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: !options.create, timeout: 0, nativeBinding: options.nativeBinding });
  } catch (error) {
    throw mapSqliteError(error, file);
  }
  try {
    const tuning = options.tuning ?? {};
    const cipher = options.cipher ?? VAULT_CIPHER;
    db.pragma(`cipher='${cipher}'`);
    if (cipher === 'aegis') db.pragma("algorithm='aegis-256'");
    db.pragma(`key="x'${key.toString('hex')}'"`);
    db.pragma('locking_mode=EXCLUSIVE');
    if (options.create && tuning.pageSize) db.pragma(`page_size=${tuning.pageSize}`);
    // Takes the exclusive lock now (and reads page 1, so a wrong key or a foreign file fails here).
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    if (options.create) db.pragma('journal_mode=WAL');
    db.pragma('synchronous=FULL');
    db.pragma('foreign_keys=ON');
    // Decrypted pages stay in memory: 64 MiB holds 100,000 credentials and their indexes, so
    // searching them does not decrypt the same pages again (inventory.search in the bench).
    db.pragma(`cache_size=-${VAULT_CACHE_KIB}`);
    return db;
  } catch (error) {
    db.close();
    throw mapSqliteError(error, file);
  }
}

/** Reads every page once: with an authenticated cipher, any flipped byte fails here. */
export function checkIntegrity(db: Db, file: string): void {
  let verdict: unknown;
  try {
    verdict = db.pragma('quick_check(1)', { simple: true });
  } catch (error) {
    throw mapSqliteError(error, file);
  }
  if (verdict !== 'ok') {
    throw new CoreError('VAULT_CORRUPT', `The vault file ${file} is damaged (a page failed its integrity check). Restore it from a backup; it was not changed.`);
  }
}

/** The cipher salt at the head of the file: constant for its life, so it identifies the file. */
export function readFileSalt(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const salt = Buffer.alloc(HEADER_SALT_BYTES);
    const read = readSync(fd, salt, 0, HEADER_SALT_BYTES, 0);
    if (read < HEADER_SALT_BYTES) {
      throw new CoreError('VAULT_CORRUPT', `The vault file ${file} is truncated. Restore it from a backup; it was not changed.`);
    }
    return salt;
  } finally {
    closeSync(fd);
  }
}

export function mapSqliteError(error: unknown, file: string): CoreError {
  if (error instanceof CoreError) return error;
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new CoreError('VAULT_IN_USE', `The vault ${file} is open in another CredOps window or process. Close that one first.`, { cause: error });
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new CoreError('VAULT_FILE_MISSING', `The vault file ${file} could not be opened. Check that it exists and that you may read it.`, { cause: error });
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR')) {
    return new CoreError('VAULT_CORRUPT', `The vault file ${file} is damaged or is not a CredOps vault. Restore it from a backup; it was not changed.`, { cause: error });
  }
  return new CoreError('INTERNAL', `The vault database failed (${code || 'unknown error'}).`, { cause: error });
}
