/**
 * The encrypted full export: a JSON envelope that says what it is and how to open it, around the
 * inventory with its secrets (the metadata JSON document, with `secret` in each credential),
 * deflated, then sealed with AES-256-GCM.
 *
 *   { "format": "credops-encrypted-inventory", "version": 1, "createdAt": "…",
 *     "kdf": { "alg": "argon2id", "memoryKiB", "passes", "lanes", "salt" },
 *     "cipher": "aes-256-gcm", "compression": "deflate-raw", "keyCheck": "…",
 *     "iv": "…", "tag": "…", "ciphertext": "…" }            (binary values in base64)
 *
 * The passphrase goes through Argon2id (the vault's own parameters and floor); HKDF splits the
 * result into the encryption key and a key check, which tells a wrong passphrase from a damaged
 * file. Everything but iv, tag and ciphertext is the header, bound to the ciphertext as AAD.
 *
 * Every size is pinned before anything is derived: iv 12 bytes, tag 16, keyCheck 16, salt 16 to 64,
 * and the Argon2id cost no more than the heaviest CredOps writes (see KDF_LIMITS), since a file
 * from elsewhere chooses what an import attempt costs.
 */
import { hkdfSync, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import { CoreError } from '../errors';
import { chooseKdfParams, deriveWrappingKey, KDF_FLOOR, KDF_MAX_PASSES, type KdfParams } from '../vault/kdf';
import { unwrapKey, wrapKey } from '../vault/keys';

export const ENVELOPE_FORMAT = 'credops-encrypted-inventory';
const ENVELOPE_VERSION = 1;
/** What an export may inflate to: bounded, so a crafted file cannot exhaust memory. */
const MAX_PLAINTEXT_BYTES = 256 * 1024 * 1024;

/**
 * What an import accepts of the Argon2id parameters. Calibration (vault/kdf.ts) writes the floor's
 * memory and lanes and raises passes up to 64, so the heaviest file CredOps writes is 64 MiB × 64
 * passes; the work is capped there and memory at 4× the floor, so a crafted file costs at most
 * what a genuine one can (about a second, 256 MiB) instead of 1 GiB × 64 passes.
 */
export const KDF_LIMITS = {
  memoryKiB: { min: KDF_FLOOR.memoryKiB, max: 4 * KDF_FLOOR.memoryKiB },
  passes: { min: KDF_FLOOR.passes, max: KDF_MAX_PASSES },
  lanes: { min: KDF_FLOOR.lanes, max: 2 * KDF_FLOOR.lanes },
  /** memoryKiB × passes */
  work: KDF_FLOOR.memoryKiB * KDF_MAX_PASSES,
  saltBytes: { min: 16, max: 64 },
} as const;

/** Canonical base64 of min..max bytes: Buffer's decoder skips what it cannot read, so sizes are checked on the bytes. */
function base64Bytes(min: number, max = min) {
  const longest = 4 * Math.ceil(max / 3);
  return z.string().refine((text) => {
    if (text.length > longest) return false;
    const bytes = Buffer.from(text, 'base64');
    return bytes.length >= min && bytes.length <= max && bytes.toString('base64') === text;
  }, `not ${min === max ? min : `${min} to ${max}`} bytes of base64`);
}

const envelopeSchema = z.strictObject({
  format: z.literal(ENVELOPE_FORMAT),
  version: z.literal(ENVELOPE_VERSION),
  createdAt: z.iso.datetime({ offset: true }),
  kdf: z
    .strictObject({
      alg: z.literal('argon2id'),
      // Never below what CredOps writes, and bounded so a doctored file cannot make the import hang.
      memoryKiB: z.number().int().min(KDF_LIMITS.memoryKiB.min).max(KDF_LIMITS.memoryKiB.max),
      passes: z.number().int().min(KDF_LIMITS.passes.min).max(KDF_LIMITS.passes.max),
      lanes: z.number().int().min(KDF_LIMITS.lanes.min).max(KDF_LIMITS.lanes.max),
      salt: base64Bytes(KDF_LIMITS.saltBytes.min, KDF_LIMITS.saltBytes.max),
    })
    .refine((kdf) => kdf.memoryKiB * kdf.passes <= KDF_LIMITS.work, { message: 'key derivation too costly', path: ['passes'] }),
  cipher: z.literal('aes-256-gcm'),
  compression: z.literal('deflate-raw'),
  keyCheck: base64Bytes(16),
  iv: base64Bytes(12),
  tag: base64Bytes(16),
  ciphertext: z.base64(),
});

export type EncryptedExport = z.output<typeof envelopeSchema>;
type Header = Omit<EncryptedExport, 'iv' | 'tag' | 'ciphertext'>;

/** An Argon2id-derived key and the parameters that derive it again. Zero `key` when done. */
export interface ExportKey {
  kdf: KdfParams;
  key: Buffer;
}

export function isEncryptedExport(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === ENVELOPE_FORMAT;
}

/** The envelope of an encrypted export, checked; the ciphertext stays sealed. */
export function readEnvelope(value: unknown): EncryptedExport {
  const version = (value as { version?: unknown }).version;
  if (typeof version === 'number' && version > ENVELOPE_VERSION) {
    throw new CoreError('IMPORT_FILE_INVALID', `This encrypted export was written by a newer CredOps (version ${version}). Update CredOps to import it.`);
  }
  const parsed = envelopeSchema.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'top level';
    throw new CoreError('IMPORT_FILE_INVALID', `This encrypted CredOps export is damaged (unexpected content at ${where}). Export it again from the vault it came from.`);
  }
  return parsed.data;
}

const aadOf = (header: Header) => Buffer.from(canonicalize(header) ?? '', 'utf8');

function splitKey(master: Buffer): { encryption: Buffer; check: Buffer } {
  const sub = (purpose: string, length: number) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `credops-export/${purpose}/v1`, length));
  return { encryption: sub('encrypt', 32), check: sub('key-check', 16) };
}

/** Fresh parameters (calibrated as the vault's are, in the app) and the key they derive. */
export async function deriveNewExportKey(passphrase: string, calibrate: boolean): Promise<ExportKey> {
  const kdf = await chooseKdfParams(calibrate);
  return { kdf, key: await deriveWrappingKey(passphrase, kdf) };
}

/** The envelope's text, sealing `plaintext` under the export key. */
export function sealInventory(plaintext: string, exportKey: ExportKey, createdAt: string): string {
  const { encryption, check } = splitKey(exportKey.key);
  try {
    const header: Header = {
      format: ENVELOPE_FORMAT,
      version: ENVELOPE_VERSION,
      createdAt,
      kdf: exportKey.kdf,
      cipher: 'aes-256-gcm',
      compression: 'deflate-raw',
      keyCheck: check.toString('base64'),
    };
    const sealed = wrapKey(encryption, deflateRawSync(Buffer.from(plaintext, 'utf8')), aadOf(header));
    return JSON.stringify({ ...header, iv: sealed.iv, tag: sealed.tag, ciphertext: sealed.ciphertext }) + '\n';
  } finally {
    encryption.fill(0);
    check.fill(0);
  }
}

/** The plaintext inventory, or IMPORT_WRONG_PASSPHRASE, or IMPORT_FILE_INVALID when it was altered. */
export async function openInventory(envelope: EncryptedExport, passphrase: string): Promise<string> {
  const { iv, tag, ciphertext, ...header } = envelope;
  const master = await deriveWrappingKey(passphrase, envelope.kdf);
  const { encryption, check } = splitKey(master);
  master.fill(0);
  let deflated: Buffer | null;
  try {
    const expected = Buffer.from(header.keyCheck, 'base64');
    if (expected.length !== check.length || !timingSafeEqual(expected, check)) {
      // The KDF parameters are in the AAD, but changing one changes the key, so the check fails first:
      // from here a wrong passphrase and an altered header look the same.
      throw new CoreError('IMPORT_WRONG_PASSPHRASE', 'That is not the passphrase this file was exported with, or the file was altered. Check the keyboard layout and Caps Lock, then try again.');
    }
    deflated = unwrapKey(encryption, { iv, tag, ciphertext }, aadOf(header));
  } finally {
    encryption.fill(0);
    check.fill(0);
  }
  const damaged = () => new CoreError('IMPORT_FILE_INVALID', 'This encrypted export is damaged or was altered after it was written: it fails its integrity check. Nothing was imported.');
  if (!deflated) throw damaged();
  let plain: Buffer;
  try {
    plain = inflateRawSync(deflated, { maxOutputLength: MAX_PLAINTEXT_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new CoreError('IMPORT_FILE_INVALID', `This encrypted export holds more than ${MAX_PLAINTEXT_BYTES / 1024 / 1024} MB, the most CredOps imports.`);
    }
    throw damaged();
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw damaged();
  }
}
