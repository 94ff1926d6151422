import { describe, expect, it } from 'vitest';
import { deriveNewExportKey, openInventory, readEnvelope, sealInventory } from '../../../electron/core/transfer/encrypted-export';
import { decodeImportFile } from '../../../electron/core/transfer/read-import-file';
import { KDF_FLOOR } from '../../../electron/core/vault/kdf';

const PASSPHRASE = 'amber glacier podium whistle 2048';
const PLAINTEXT = JSON.stringify({ format: 'credops-inventory', version: 1, credentials: [{ name: 'k', secret: 'sk_live_only_inside_the_envelope' }] });

async function sealed(): Promise<string> {
  const key = await deriveNewExportKey(PASSPHRASE, false);
  try {
    return sealInventory(PLAINTEXT, key, '2026-11-23T10:00:00.000Z');
  } finally {
    key.key.fill(0);
  }
}

function envelopeOf(text: string) {
  const source = decodeImportFile(Buffer.from(text), 'inventory.credops-export');
  if (source.format !== 'encrypted') throw new Error(`detected ${source.format}`);
  return source.envelope;
}

/** Changes one byte of a base64 field, keeping it valid base64. */
function flipByte(text: string, field: 'ciphertext' | 'keyCheck' | 'tag'): string {
  const envelope = JSON.parse(text);
  const bytes = Buffer.from(envelope[field], 'base64');
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  return JSON.stringify({ ...envelope, [field]: bytes.toString('base64') });
}

describe('encrypted export', () => {
  it('is a self-describing envelope with Argon2id parameters, and no plaintext in it', async () => {
    const text = await sealed();
    expect(JSON.parse(text)).toMatchObject({
      format: 'credops-encrypted-inventory',
      version: 1,
      kdf: { alg: 'argon2id', memoryKiB: KDF_FLOOR.memoryKiB, passes: KDF_FLOOR.passes, lanes: KDF_FLOOR.lanes, salt: expect.any(String) },
      cipher: 'aes-256-gcm',
      compression: 'deflate-raw',
    });
    expect(text).not.toContain('sk_live_only_inside_the_envelope');
  });

  it('opens with its passphrase, and only with it', async () => {
    const envelope = envelopeOf(await sealed());
    await expect(openInventory(envelope, PASSPHRASE)).resolves.toBe(PLAINTEXT);
    await expect(openInventory(envelope, 'amber glacier podium whistle 2049')).rejects.toMatchObject({ code: 'IMPORT_WRONG_PASSPHRASE' });
  });

  it('tells a damaged file from a wrong passphrase', async () => {
    const text = await sealed();
    await expect(openInventory(envelopeOf(flipByte(text, 'ciphertext')), PASSPHRASE)).rejects.toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('damaged or was altered') });
    await expect(openInventory(envelopeOf(flipByte(text, 'tag')), PASSPHRASE)).rejects.toMatchObject({ code: 'IMPORT_FILE_INVALID' });
  });

  it('binds the header: a changed date is caught as tampering', async () => {
    const altered = JSON.stringify({ ...JSON.parse(await sealed()), createdAt: '2020-01-01T00:00:00.000Z' });
    await expect(openInventory(envelopeOf(altered), PASSPHRASE)).rejects.toMatchObject({ code: 'IMPORT_FILE_INVALID' });
  });

  it.each([
    ['weakened key derivation', { kdf: { alg: 'argon2id', memoryKiB: 8, passes: 1, lanes: 1, salt: 'AAAA' } }, /damaged \(unexpected content at kdf\.memoryKiB\)/],
    ['key derivation that would exhaust memory', { kdf: { alg: 'argon2id', memoryKiB: 64 * 1024 * 1024, passes: 3, lanes: 4, salt: 'AAAA' } }, /damaged \(unexpected content at kdf\.memoryKiB\)/],
    ['an unknown cipher', { cipher: 'none' }, /damaged \(unexpected content at cipher\)/],
    ['a newer version', { version: 2 }, /newer CredOps \(version 2\)/],
  ])('refuses an envelope with %s before deriving anything', async (_what, change, message) => {
    const altered = JSON.stringify({ ...JSON.parse(await sealed()), ...change });
    expect(() => envelopeOf(altered)).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID', message: expect.stringMatching(message) }));
  });

  it('refuses an envelope missing its ciphertext as damaged', () => {
    expect(() => readEnvelope({ format: 'credops-encrypted-inventory', version: 1 })).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID' }));
  });
});
