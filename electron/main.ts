/** App lifecycle only: wire the platform, the core, IPC and the window together. */
import { app, BrowserWindow, clipboard, dialog, ipcMain, powerMonitor, protocol, safeStorage, session } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCore, type Core } from './core/core';
import { registerIpc } from './ipc';
import { createElectronPlatform } from './platform';
import { createMainWindow, guardSession, guardWebContents, registerAppProtocol, registerAppScheme } from './window';

registerAppScheme(protocol);
app.enableSandbox();

let core: Core | undefined;
let mainWindow: BrowserWindow | null = null;

/** better-sqlite3 built for Electron's ABI by scripts/start.mjs, beside the one Node's tests use. */
function electronNativeBinding(): string | undefined {
  const file = join(app.getAppPath(), '.electron-native', `better_sqlite3-electron-${process.versions.electron}.node`);
  return existsSync(file) ? file : undefined;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => core?.dispose());

  void app.whenReady().then(() => {
    guardSession(session.defaultSession);
    registerAppProtocol(protocol, join(__dirname, '../renderer'));
    const platform = createElectronPlatform({
      userDataDir: app.getPath('userData'),
      platformName: process.platform,
      safeStorage,
      powerMonitor,
      dialog,
      clipboard,
      window: () => mainWindow,
    });
    core = createCore({ platform, calibrateKdf: true, nativeBinding: electronNativeBinding() });
    registerIpc(ipcMain, core.router);
    mainWindow = createMainWindow(BrowserWindow, join(__dirname, '../preload/preload.cjs'), { devTools: !app.isPackaged });
    core.onEvent((event, payload) => mainWindow?.webContents.send(event, payload));
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  });
}
