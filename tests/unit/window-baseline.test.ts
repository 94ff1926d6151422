import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, guardSession, guardWebContents, resolveAppFile, windowOptions } from '../../electron/window';

describe('window baseline', () => {
  it('sandboxes the renderer, isolates its context and gives it no Node', () => {
    expect(windowOptions('/app/preload.cjs', { devTools: false }).webPreferences).toMatchObject({
      devTools: false,
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('has a CSP that allows only its own scripts, no inline script, no eval, no framing', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:|https:/);
  });

  it('refuses every navigation, redirect, webview and new window', () => {
    const contents = new EventEmitter() as EventEmitter & { setWindowOpenHandler(handler: () => unknown): void; openHandler?: () => unknown };
    contents.setWindowOpenHandler = (handler) => (contents.openHandler = handler);
    guardWebContents(contents as never);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false;
      contents.emit(event, { preventDefault: () => (prevented = true) }, 'https://evil.example/');
      expect(prevented, event).toBe(true);
    }
    expect(contents.openHandler?.()).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const handlers: Record<string, (...args: unknown[]) => unknown> = {};
    guardSession({
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    } as never);
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      let granted: boolean | undefined;
      handlers.request(null, permission, (answer: boolean) => (granted = answer));
      expect(granted, permission).toBe(false);
      expect(handlers.check(null, permission)).toBe(false);
    }
    expect(handlers.device({})).toBe(false);
  });

  it('serves app:// only from the renderer folder', () => {
    expect(resolveAppFile('/app/renderer', `${APP_ORIGIN}/`)).toBe('/app/renderer/index.html');
    expect(resolveAppFile('/app/renderer', `${APP_ORIGIN}/assets/index.js`)).toBe('/app/renderer/assets/index.js');
    expect(resolveAppFile('/app/renderer', `${APP_ORIGIN}/..%2f..%2fetc/passwd`)).toBeNull();
    // Dot segments are resolved by the URL parser at the root, so they cannot climb out either.
    expect(resolveAppFile('/app/renderer', `${APP_ORIGIN}/%2e%2e/main/main.js`)).toBe('/app/renderer/main/main.js');
    expect(resolveAppFile('/app/renderer', 'app://other/index.html')).toBeNull();
    expect(resolveAppFile('/app/renderer', 'file:///etc/passwd')).toBeNull();
    expect(resolveAppFile('/app/renderer', `${APP_ORIGIN}/a%00.js`)).toBeNull();
  });
});
