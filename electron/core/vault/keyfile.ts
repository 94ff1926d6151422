/**
 * The key file: a small plaintext JSON file beside the vault holding the Argon2id parameters, the
 * wrapped database key, the optional keychain wrapping, and the audit chain's anchor. It is always
 * written atomically and carries a checksum so damage is told apart from a wrong passphrase.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { CoreError } from '../errors';
import { AUTHENTICATED_CIPHERS } from './database';
import { writeFileAtomic } from './files';
import type { KdfParams } from './kdf';
import type { WrappedKey } from './keys';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');

const keyFileSchema = z.strictObject({
  format: z.literal('credops-keyfile'),
  version: z.literal(1),
  vaultId: z.uuid(),
  createdAt: z.string(),
  /** Bumped whenever the key material changes; the vault records it, so an older key file is refused. */
  generation: z.number().int().min(1),
  cipher: z.enum(AUTHENTICATED_CIPHERS),
  /** The vault file's first 16 bytes (its cipher salt): tells which vault file this key file belongs to. */
  fileSalt: base64,
  kdf: z.strictObject({
    alg: z.literal('argon2id'),
    // Bounded so a doctored key file cannot make unlock hang or exhaust memory.
    memoryKiB: z.number().int().min(8).max(4 * 1024 * 1024),
    passes: z.number().int().min(1).max(256),
    lanes: z.number().int().min(1).max(64),
    salt: base64,
  }),
  wrappedKey: z.strictObject({ iv: base64, ciphertext: base64, tag: base64 }),
  keychain: z.strictObject({ wrappedKey: base64 }).nullable(),
  auditAnchor: z.strictObject({ seq: z.number().int().nonnegative(), mac: base64, tag: base64 }),
  checksum: z.string(),
});

export type KeyFile = z.output<typeof keyFileSchema>;
export type KeyFileBody = Omit<KeyFile, 'checksum'>;
export interface AuditAnchor {
  seq: number;
  mac: string;
}

export function keyFilePathFor(vaultPath: string): string {
  return `${vaultPath}.key`;
}

function checksumOf(body: KeyFileBody): string {
  return createHash('sha256').update(canonicalize(body) ?? '').digest('hex');
}

export function readKeyFile(path: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CoreError('VAULT_KEYFILE_MISSING', `The key file ${path} is missing. Restore it from a backup; without it the vault cannot be opened.`);
    }
    throw new CoreError('VAULT_KEYFILE_CORRUPT', `The key file ${path} could not be read (${(error as NodeJS.ErrnoException).code}).`);
  }
  const corrupt = (why: string) =>
    new CoreError('VAULT_KEYFILE_CORRUPT', `The key file ${path} is damaged (${why}). Restore it from a backup; the vault file was not changed.`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw corrupt('not valid JSON');
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) throw corrupt(`unexpected content at ${parsed.error.issues[0]?.path.join('.') || 'top level'}`);
  const { checksum, ...body } = parsed.data;
  if (checksum !== checksumOf(body)) throw corrupt('checksum mismatch');
  return parsed.data;
}

/** With `exclusive`, refuses (EEXIST) rather than replace a key file already there. */
export function writeKeyFile(path: string, body: KeyFileBody, options: { exclusive?: boolean } = {}): KeyFile {
  const file: KeyFile = { ...body, checksum: checksumOf(body) };
  writeFileAtomic(path, JSON.stringify(file, null, 2) + '\n', options);
  return file;
}

/** Everything the passphrase wrapping is bound to: change any of it and the key no longer unwraps. */
export function wrappingAad(vaultId: string, kdf: KdfParams): Buffer {
  return Buffer.from(`credops-keyfile/v1\0${vaultId}\0${kdf.alg}\0${kdf.memoryKiB}\0${kdf.passes}\0${kdf.lanes}\0${kdf.salt}`);
}

function anchorTag(anchorKey: Buffer, vaultId: string, anchor: AuditAnchor): Buffer {
  return createHmac('sha256', anchorKey).update(`credops-anchor/v1\0${vaultId}\0${anchor.seq}\0${anchor.mac}`).digest();
}

export function signAnchor(anchorKey: Buffer, vaultId: string, anchor: AuditAnchor): KeyFile['auditAnchor'] {
  return { ...anchor, tag: anchorTag(anchorKey, vaultId, anchor).toString('base64') };
}

export function anchorIsAuthentic(anchorKey: Buffer, vaultId: string, anchor: KeyFile['auditAnchor']): boolean {
  const expected = anchorTag(anchorKey, vaultId, anchor);
  const actual = Buffer.from(anchor.tag, 'base64');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export type { WrappedKey };
