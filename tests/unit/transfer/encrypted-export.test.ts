import { describe, expect, it } from 'vitest';
import { deriveNewExportKey, KDF_LIMITS, openInventory, readEnvelope, sealInventory } from '../../../electron/core/transfer/encrypted-export';
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

type Envelope = ReturnType<typeof envelopeOf>;

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

  const bytes = (length: number) => Buffer.alloc(length, 7).toString('base64');
  const MiB = 1024;

  it.each([
    ['a tag cut to 4 bytes', (e: Envelope) => ({ tag: Buffer.from(e.tag, 'base64').subarray(0, 4).toString('base64') }), 'tag'],
    ['a tag of 12 bytes', (e: Envelope) => ({ tag: Buffer.from(e.tag, 'base64').subarray(0, 12).toString('base64') }), 'tag'],
    ['an empty salt', (e: Envelope) => ({ kdf: { ...e.kdf, salt: '' } }), 'kdf.salt'],
    ['an 8-byte salt', (e: Envelope) => ({ kdf: { ...e.kdf, salt: bytes(8) } }), 'kdf.salt'],
    ['a 65-byte salt', (e: Envelope) => ({ kdf: { ...e.kdf, salt: bytes(65) } }), 'kdf.salt'],
    ['an iv of 16 bytes', () => ({ iv: bytes(16) }), 'iv'],
    ['an iv of 8 bytes', () => ({ iv: bytes(8) }), 'iv'],
    ['a key check of 8 bytes', () => ({ keyCheck: bytes(8) }), 'keyCheck'],
    ['an iv in unpadded base64', () => ({ iv: bytes(13).slice(0, -2) }), 'iv'],
    ['a salt with stray characters', (e: Envelope) => ({ kdf: { ...e.kdf, salt: `${e.kdf.salt.slice(0, 4)}!${e.kdf.salt.slice(4)}` } }), 'kdf.salt'],
    ['a ciphertext that is not base64', () => ({ ciphertext: 'not base64!' }), 'ciphertext'],
    ['1 GiB of memory', (e: Envelope) => ({ kdf: { ...e.kdf, memoryKiB: 1024 * MiB } }), 'kdf.memoryKiB'],
    ['65 passes', (e: Envelope) => ({ kdf: { ...e.kdf, passes: 65 } }), 'kdf.passes'],
    ['256 MiB for 17 passes, more work than CredOps ever writes', (e: Envelope) => ({ kdf: { ...e.kdf, memoryKiB: 256 * MiB, passes: 17 } }), 'kdf.passes'],
    ['16 lanes', (e: Envelope) => ({ kdf: { ...e.kdf, lanes: 16 } }), 'kdf.lanes'],
    ['fewer lanes than the floor', (e: Envelope) => ({ kdf: { ...e.kdf, lanes: 1 } }), 'kdf.lanes'],
  ])('refuses an envelope with %s as damaged, before deriving anything', async (_what, change, where) => {
    const envelope = JSON.parse(await sealed()) as Envelope;
    const altered = JSON.stringify({ ...envelope, ...change(envelope) });
    expect(() => envelopeOf(altered)).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining(`damaged (unexpected content at ${where})`) }));
  });

  it.each([
    ['the heaviest calibration writes', { memoryKiB: 64 * MiB, passes: 64, lanes: 4 }],
    ['the most memory, at the same work', { memoryKiB: 256 * MiB, passes: 16, lanes: 8 }],
  ])('accepts the bounds themselves: %s', async (_what, kdf) => {
    const envelope = JSON.parse(await sealed()) as Envelope;
    expect(readEnvelope({ ...envelope, kdf: { ...envelope.kdf, ...kdf, salt: bytes(64) } }).kdf).toMatchObject(kdf);
    expect(KDF_LIMITS.work).toBe(64 * MiB * 64);
  });

  it('pins the tag length when opening, so a cut tag fails even past the envelope check', async () => {
    const envelope = envelopeOf(await sealed());
    const cut = { ...envelope, tag: Buffer.from(envelope.tag, 'base64').subarray(0, 4).toString('base64') };
    await expect(openInventory(cut, PASSPHRASE)).rejects.toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('integrity check') });
  });

  it('says a changed key derivation parameter may be a wrong passphrase or an altered file', async () => {
    const envelope = envelopeOf(await sealed());
    await expect(openInventory({ ...envelope, kdf: { ...envelope.kdf, lanes: 5 } }, PASSPHRASE)).rejects.toMatchObject({
      code: 'IMPORT_WRONG_PASSPHRASE',
      message: expect.stringContaining('That is not the passphrase this file was exported with, or the file was altered.'),
    });
  });

  it('refuses an envelope missing its ciphertext as damaged', () => {
    expect(() => readEnvelope({ format: 'credops-encrypted-inventory', version: 1 })).toThrow(expect.objectContaining({ code: 'IMPORT_FILE_INVALID' }));
  });
});
