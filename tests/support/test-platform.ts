/**
 * The desktop, as the core sees it, for tests: a real temporary folder, and an OS keychain, idle
 * clock and lock signals the test controls. Everything else the core touches is real.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileRequest, LockSignal, Platform } from '../../electron/core/platform';

export interface TestPlatform extends Platform {
  /** What the "system clipboard" holds. */
  clipboardText: string;
  idleSeconds: number;
  keychainAvailable: boolean;
  chosenLocation: string | null;
  /** What the next file dialogs answer, in order; an empty queue answers "cancelled". */
  chosenFiles: (string | null)[];
  /** Every file dialog the core asked for. */
  fileRequests: FileRequest[];
  signal(signal: LockSignal): void;
  cleanup(): void;
}

export function makeTempDir(prefix = 'credops-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function createTestPlatform(userDataDir = makeTempDir()): TestPlatform {
  const listeners = new Set<(signal: LockSignal) => void>();
  // Stands in for the OS keychain: a key the "OS" holds, out of the vault's reach.
  const osKey = randomBytes(32);
  const platform: TestPlatform = {
    userDataDir,
    clipboardText: '',
    idleSeconds: 0,
    keychainAvailable: true,
    clipboard: {
      writeText: async (text) => {
        platform.clipboardText = text;
      },
      readText: async () => platform.clipboardText,
      clear: () => {
        platform.clipboardText = '';
      },
    },
    chosenLocation: null,
    keychain: {
      status: () => (platform.keychainAvailable ? { available: true } : { available: false, reason: 'the keychain would store secrets in plain text' }),
      encrypt(plain) {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', osKey, iv);
        const body = Buffer.concat([cipher.update(plain), cipher.final()]);
        return Buffer.concat([iv, cipher.getAuthTag(), body]);
      },
      decrypt(sealed) {
        const decipher = createDecipheriv('aes-256-gcm', osKey, sealed.subarray(0, 12));
        decipher.setAuthTag(sealed.subarray(12, 28));
        return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
      },
    },
    systemIdleSeconds: () => platform.idleSeconds,
    onLockSignal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    chooseVaultLocation: async () => platform.chosenLocation,
    chosenFiles: [],
    fileRequests: [],
    chooseFile: async (request) => {
      platform.fileRequests.push(request);
      return platform.chosenFiles.shift() ?? null;
    },
    signal(signal) {
      for (const listener of listeners) listener(signal);
    },
    cleanup: () => rmSync(userDataDir, { recursive: true, force: true }),
  };
  return platform;
}

export const STRONG_PASSPHRASE = 'correct horse battery staple orbit 42';
export const OTHER_STRONG_PASSPHRASE = 'violet lantern mosaic thunder 1987 quay';
