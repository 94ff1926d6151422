/**
 * Sealed secret fields: AES-256-GCM under the vault's seal subkey, with additional data binding the
 * ciphertext to its table, record, field and version, so a sealed value copied into another row or
 * field does not open. Layout: version byte ‖ 12-byte IV ‖ 16-byte tag ‖ ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CoreError } from '../errors';

const FORMAT = 1;

export interface SealBinding {
  table: string;
  recordId: string;
  field: string;
  version: number;
}

function bindingAad(binding: SealBinding): Buffer {
  return Buffer.from(`credops-seal/v${FORMAT}\0${binding.table}\0${binding.recordId}\0${binding.field}\0${binding.version}`);
}

export function sealSecret(sealKey: Buffer, plaintext: Buffer | string, binding: SealBinding): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey, iv).setAAD(bindingAad(binding));
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), iv, cipher.getAuthTag(), ciphertext]);
}

export function openSealed(sealKey: Buffer, sealed: Buffer, binding: SealBinding): Buffer {
  const refuse = () =>
    new CoreError('SEAL_INVALID', `The sealed ${binding.field} of ${binding.table} ${binding.recordId} cannot be opened: it was altered or belongs to another record.`);
  if (sealed.length < 29 || sealed[0] !== FORMAT) throw refuse();
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey, sealed.subarray(1, 13)).setAAD(bindingAad(binding));
    decipher.setAuthTag(sealed.subarray(13, 29));
    return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
  } catch {
    throw refuse();
  }
}
