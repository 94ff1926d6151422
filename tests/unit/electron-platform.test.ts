import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createElectronPlatform, type ElectronServices } from '../../electron/platform';

function services(overrides: Partial<ElectronServices> = {}, backend = 'gnome_libsecret', available = true): ElectronServices & { power: EventEmitter } {
  const power = Object.assign(new EventEmitter(), { getSystemIdleTime: () => 42 });
  return {
    userDataDir: '/tmp/x',
    platformName: 'linux',
    safeStorage: {
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend,
      encryptString: (text: string) => Buffer.from(text.split('').reverse().join('')),
      decryptString: (buffer: Buffer) => buffer.toString().split('').reverse().join(''),
    },
    powerMonitor: power as never,
    dialog: { showSaveDialog: async () => ({ canceled: true, filePath: '' }) } as never,
    clipboard: { writeText: async () => undefined, readText: async () => '', clear: () => undefined },
    window: () => null,
    power,
    ...overrides,
  };
}

describe('Electron platform', () => {
  it.each(['basic_text', 'unknown'])('refuses the keychain when Linux would use the %s backend', (backend) => {
    expect(createElectronPlatform(services({}, backend)).keychain.status()).toMatchObject({ available: false, reason: expect.stringContaining('plain text') });
  });

  it('refuses the keychain when encryption is unavailable, and accepts a real secret service', () => {
    expect(createElectronPlatform(services({}, 'gnome_libsecret', false)).keychain.status().available).toBe(false);
    expect(createElectronPlatform(services({}, 'kwallet5')).keychain.status()).toEqual({ available: true });
  });

  it('round-trips every byte of a key through safeStorage', () => {
    const keychain = createElectronPlatform(services()).keychain;
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => (i * 37) % 256));
    expect(keychain.decrypt(keychain.encrypt(key)).equals(key)).toBe(true);
  });

  it('turns screen lock and suspend into lock signals until unsubscribed', () => {
    const s = services();
    const platform = createElectronPlatform(s);
    const seen: string[] = [];
    const stop = platform.onLockSignal((signal) => seen.push(signal));
    s.power.emit('lock-screen');
    s.power.emit('suspend');
    stop();
    s.power.emit('suspend');
    expect(seen).toEqual(['screen-lock', 'suspend']);
    expect(platform.systemIdleSeconds()).toBe(42);
  });

  it('answers null when the user cancels the location dialog', async () => {
    expect(await createElectronPlatform(services()).chooseVaultLocation('/tmp/credops.vault')).toBeNull();
  });
});
