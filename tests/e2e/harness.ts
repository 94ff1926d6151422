/**
 * The e2e harness: the built renderer served on 127.0.0.1, Debian's Chromium driven by Playwright,
 * and window.credops bound to the real core router in this process, through the same bridge builder
 * the preload uses. Only Electron's IPC plumbing is not in the loop.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildBridge } from '../../shared/bridge';
import type { Result } from '../../shared/result';
import { channelNames, eventNames } from '../../shared/contract';
import { createCore, type Core } from '../../electron/core/core';
import { CONTENT_SECURITY_POLICY } from '../../electron/window';
import { createTestPlatform, type TestPlatform } from '../support/test-platform';

// import.meta.dirname: the harness also runs under tsx as ESM (the render bench), where __dirname is not defined.
const HERE = import.meta.dirname;
const RENDERER_DIR = resolve(HERE, '../../out/renderer');
export const SCREENSHOT_DIR = resolve(HERE, '../../test-results/screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
];

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serveRenderer(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = normalize(join(RENDERER_DIR, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(RENDERER_DIR + sep)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

export interface Call {
  channel: string;
  input: unknown;
  result: Result<unknown>;
}

export interface Harness {
  page: Page;
  /** Every call the page made to main, in order, with its answer. */
  calls: Call[];
  core: Core;
  platform: TestPlatform;
  /** Console errors and CSP violations the page reported. */
  pageErrors: string[];
  screenshot(name: string): Promise<void>;
  /** The whole content pane, scrolled or not: the window is grown to its height for the shot. */
  screenshotContent(name: string): Promise<void>;
  /**
   * Pastes text into a field through the browser's clipboard, replacing what it held, as a user
   * does. Playwright's fill types a many-line text as insertText, which Chromium's editor takes line
   * by line in superlinear time (2,500 lines: 12 s idle, past 30 s under load); a paste is one edit.
   */
  paste(target: Locator, text: string): Promise<void>;
  /** A channel's value through the real router, as a test sets the stage; an error answer throws. */
  value<T>(channel: string, input: unknown): Promise<T>;
  close(): Promise<void>;
}

/** `prepare` runs on the fresh user-data folder before the page loads (to stage a broken one). */
export async function startHarness(prepare?: (platform: TestPlatform) => void): Promise<Harness> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('Build the renderer first: npm run build');
  const platform = createTestPlatform();
  prepare?.(platform);
  const core = createCore({ platform, calibrateKdf: false, log: () => undefined });
  const server = await serveRenderer();
  const browser: Browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  // Nothing but our own server: any other request would be a leak.
  await context.route((url) => !url.href.startsWith(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`), (route) => {
    pageErrors.push(`blocked request to ${route.request().url()}`);
    return route.abort();
  });
  // Answers cross as one JSON string: Playwright's own serializer walks big objects slowly (100 rows
  // took ~80 ms), which Electron's structured clone does not; the bench would measure the harness.
  const calls: Call[] = [];
  await page.exposeFunction('__credopsInvoke', async (channel: string, input: unknown) => {
    const result = await core.router.invoke(channel, input);
    calls.push({ channel, input, result });
    return JSON.stringify(result);
  });
  await page.addInitScript({
    // __name: under tsx (the render bench), esbuild's keepNames wraps functions, including those
    // sent to the page, in __name(), which the page lacks.
    content: `globalThis.__name = (target) => target;
    (() => {
      const listeners = new Map();
      window.__credopsEmit = (event, payload) => (listeners.get(event) || []).forEach((listener) => listener(payload));
      const subscribe = (event, listener) => {
        const list = listeners.get(event) || [];
        listeners.set(event, [...list, listener]);
        return () => listeners.set(event, (listeners.get(event) || []).filter((l) => l !== listener));
      };
      const invoke = async (channel, input) => JSON.parse(await window.__credopsInvoke(channel, input));
      window.credops = (${buildBridge.toString()})(${JSON.stringify(channelNames)}, ${JSON.stringify(eventNames)}, invoke, subscribe);
    })();`,
  });
  const unsubscribe = core.onEvent((event, payload) => {
    void page.evaluate(([name, body]) => (window as unknown as { __credopsEmit(e: unknown, p: unknown): void }).__credopsEmit(name, body), [event, payload] as const).catch(() => undefined);
  });
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.locator('[data-app-state="loaded"], [data-app-state="failed"]').waitFor();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    page,
    calls,
    core,
    platform,
    pageErrors,
    screenshot: async (name) => {
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
    },
    async screenshotContent(name) {
      const height = await page.evaluate(() => document.querySelector('.content')!.scrollHeight);
      await page.setViewportSize({ width: 1280, height: Math.max(800, height + 40) });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
    },
    async paste(target, text) {
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      await target.focus();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('ControlOrMeta+V');
      // Nothing pasted stays on the clipboard for a later test to find.
      await page.evaluate(() => navigator.clipboard.writeText(''));
    },
    async value<T>(channel: string, input: unknown): Promise<T> {
      const result = await core.router.invoke(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value as T;
    },
    async close() {
      unsubscribe();
      await browser.close();
      await new Promise((done) => server.close(done));
      core.dispose();
      platform.cleanup();
    },
  };
}

/** Creates the vault through the first-run screen, as a user would, and waits for the app. */
export async function createVaultInUi(h: Harness, passphrase: string): Promise<void> {
  await h.page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await h.page.getByLabel('Passphrase again').fill(passphrase);
  await h.page.getByRole('button', { name: 'Create vault' }).click();
  await h.page.getByRole('heading', { name: 'Inventory' }).waitFor();
}
