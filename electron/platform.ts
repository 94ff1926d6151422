/**
 * The real desktop for the core: Electron's safeStorage, powerMonitor and dialog behind the core's
 * Platform interface. Electron's objects are passed in so this is testable without the binary.
 */
import type { BrowserWindow, Clipboard, Dialog, PowerMonitor, SafeStorage } from 'electron';
import type { LockSignal, Platform } from './core/platform';

/** Linux backends that would keep the key readable by anything that reads the user's files. */
const PLAINTEXT_BACKENDS = new Set(['basic_text', 'unknown']);

export interface ElectronServices {
  userDataDir: string;
  platformName: NodeJS.Platform;
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString'> & { getSelectedStorageBackend?: () => string };
  powerMonitor: Pick<PowerMonitor, 'getSystemIdleTime' | 'on' | 'removeListener'>;
  dialog: Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>;
  clipboard: Pick<Clipboard, 'writeText' | 'readText' | 'clear'>;
  window: () => BrowserWindow | null;
}

export function createElectronPlatform(services: ElectronServices): Platform {
  const { safeStorage, powerMonitor } = services;
  return {
    userDataDir: services.userDataDir,
    keychain: {
      status() {
        if (!safeStorage.isEncryptionAvailable()) return { available: false, reason: 'no system keychain is available' };
        if (services.platformName === 'linux') {
          const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
          if (PLAINTEXT_BACKENDS.has(backend)) {
            return { available: false, reason: 'the only keychain found would store the key in plain text; start a Secret Service (GNOME Keyring or KWallet) and restart CredOps' };
          }
        }
        return { available: true };
      },
      // safeStorage takes strings; the key travels as base64 so no byte is lost.
      encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
      decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
    },
    clipboard: {
      writeText: (text) => services.clipboard.writeText(text),
      readText: () => services.clipboard.readText(),
      clear: () => services.clipboard.clear(),
    },
    systemIdleSeconds: () => powerMonitor.getSystemIdleTime(),
    onLockSignal(listener) {
      const onLock = () => listener('screen-lock' satisfies LockSignal);
      const onSuspend = () => listener('suspend' satisfies LockSignal);
      powerMonitor.on('lock-screen', onLock);
      powerMonitor.on('suspend', onSuspend);
      return () => {
        powerMonitor.removeListener('lock-screen', onLock);
        powerMonitor.removeListener('suspend', onSuspend);
      };
    },
    async chooseVaultLocation(defaultPath) {
      const options = {
        title: 'Where should CredOps keep the vault?',
        defaultPath,
        buttonLabel: 'Use this location',
        filters: [{ name: 'CredOps vault', extensions: ['vault'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
      };
      const window = services.window();
      const result = window ? await services.dialog.showSaveDialog(window, options) : await services.dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFile(request) {
      const window = services.window();
      if (request.mode === 'save') {
        const options = { title: request.title, defaultPath: request.defaultName, filters: request.filters, properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[] };
        const result = window ? await services.dialog.showSaveDialog(window, options) : await services.dialog.showSaveDialog(options);
        return result.canceled || !result.filePath ? null : result.filePath;
      }
      const options = { title: request.title, filters: request.filters, properties: ['openFile'] as 'openFile'[] };
      const result = window ? await services.dialog.showOpenDialog(window, options) : await services.dialog.showOpenDialog(options);
      return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0];
    },
  };
}
