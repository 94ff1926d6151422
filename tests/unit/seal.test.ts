import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSealed, sealSecret, type SealBinding } from '../../electron/core/vault/seal';

const key = randomBytes(32);
const binding: SealBinding = { table: 'credentials', recordId: 'c-1', field: 'secret', version: 1 };

describe('sealed secret fields', () => {
  it('opens what it sealed, and never stores the plaintext', () => {
    const sealed = sealSecret(key, 'sk_live_abcdef', binding);
    expect(sealed.includes(Buffer.from('sk_live_abcdef'))).toBe(false);
    expect(openSealed(key, sealed, binding).toString()).toBe('sk_live_abcdef');
  });

  it('uses a fresh IV each time', () => {
    expect(sealSecret(key, 'same', binding).equals(sealSecret(key, 'same', binding))).toBe(false);
  });

  it.each([
    ['another record', { recordId: 'c-2' }],
    ['another field', { field: 'notes' }],
    ['another version', { version: 2 }],
    ['another table', { table: 'servers' }],
  ])('refuses a value swapped into %s', (_what, change) => {
    const sealed = sealSecret(key, 'secret', binding);
    expect(() => openSealed(key, sealed, { ...binding, ...change })).toThrow(expect.objectContaining({ code: 'SEAL_INVALID' }));
  });

  it('refuses a flipped byte, a truncated value and another key', () => {
    const sealed = sealSecret(key, 'secret', binding);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] ^= 1;
    expect(() => openSealed(key, flipped, binding)).toThrow(expect.objectContaining({ code: 'SEAL_INVALID' }));
    expect(() => openSealed(key, sealed.subarray(0, 20), binding)).toThrow(expect.objectContaining({ code: 'SEAL_INVALID' }));
    expect(() => openSealed(randomBytes(32), sealed, binding)).toThrow(expect.objectContaining({ code: 'SEAL_INVALID' }));
  });

  it('is reachable through the open vault with its own subkey', async () => {
    const { createCore } = await import('../../electron/core/core');
    const { createTestPlatform, STRONG_PASSPHRASE } = await import('../support/test-platform');
    const platform = createTestPlatform();
    const core = createCore({ platform, calibrateKdf: false });
    try {
      await core.vault.create(`${platform.userDataDir}/credops.vault`, STRONG_PASSPHRASE);
      const vault = core.vault.require();
      const sealed = vault.sealSecret('ghp_token', binding);
      expect(vault.openSealed(sealed, binding).toString()).toBe('ghp_token');
      // Its own subkey: neither the audit nor the fingerprint key opens it.
      expect(() => openSealed(vault.auditKey, sealed, binding)).toThrow(expect.objectContaining({ code: 'SEAL_INVALID' }));
      expect(() => openSealed(vault.fingerprintKey, sealed, binding)).toThrow(expect.objectContaining({ code: 'SEAL_INVALID' }));
    } finally {
      core.dispose();
      platform.cleanup();
    }
  });
});
