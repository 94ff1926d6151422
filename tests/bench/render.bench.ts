/**
 * inventory.render: ms from opening Inventory to its first rows painted, in the e2e browser (the
 * built renderer in Debian's Chromium, bound to the real core), with 100,000 credentials; baseline:
 * the same screen over 100 credentials, same run. Also inventory.scroll: ms from jumping to the
 * middle of the 100,000 to those rows painted.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { insertCredentials } from '../../electron/core/credentials/store';
import { startHarness, type Harness } from '../e2e/harness';
import { STRONG_PASSPHRASE } from '../support/test-platform';
import { benchInventory } from './inventory.bench';
import { median, report, type Bench } from './report';

const OPENS = 7;

/** Leaves Inventory for Audit, then times the way back until a credential row is painted. */
async function openInventory(h: Harness): Promise<number> {
  const nav = h.page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Audit' }).click();
  await h.page.getByRole('heading', { name: 'Audit log' }).waitFor();
  return h.page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        // A frame after the row is in the DOM, the browser has painted it.
        const painted = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0));
        const observer = new MutationObserver(() => {
          if (document.querySelector('[data-credential-name]')) {
            observer.disconnect();
            painted();
          }
        });
        observer.observe(document.body, { childList: true, subtree: true });
        [...document.querySelectorAll<HTMLButtonElement>('nav button')].find((b) => b.textContent === 'Inventory')!.click();
      }),
  );
}

/** Scrolls the table to its middle and times until the rows there are painted. */
async function jumpToMiddle(h: Harness): Promise<number> {
  return h.page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const body = document.querySelector<HTMLElement>('[data-testid="credential-rows"]')!;
        const target = Math.floor(body.scrollHeight / 2 / 36);
        const started = performance.now();
        const check = () => {
          const row = document.querySelector(`[aria-rowindex="${target + 2}"][data-credential-name]`);
          if (row) requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0));
          else requestAnimationFrame(check);
        };
        body.scrollTop = target * 36;
        check();
      }),
  );
}

async function benchRender(): Promise<void> {
  // The bench measures the renderer as it is now, so it builds it first.
  execFileSync('npx', ['electron-vite', 'build'], { stdio: 'ignore' });
  const h = await startHarness();
  try {
    await h.core.vault.create(join(h.platform.userDataDir, 'credops.vault'), STRONG_PASSPHRASE);
    const data = benchInventory();
    await insertCredentials(h.core.vault.require(), data.slice(0, 100), new Date(), 'bench');
    const small: number[] = [];
    for (let i = 0; i < OPENS; i++) small.push(await openInventory(h));
    await insertCredentials(h.core.vault.require(), data.slice(100), new Date(), 'bench');
    const large: number[] = [];
    for (let i = 0; i < OPENS; i++) large.push(await openInventory(h));
    const jumps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await openInventory(h);
      jumps.push(await jumpToMiddle(h));
    }
    const value = median(large);
    const baselineValue = median(small);
    report({
      bench: 'inventory.render',
      value,
      unit: `ms median of ${OPENS} opens, Inventory with ${data.length.toLocaleString('en')} credentials to first rows painted (first open ${large[0].toFixed(1)} ms)`,
      baseline: 'the same screen over 100 credentials',
      baselineValue,
      ratio: value / baselineValue,
    });
    report({
      bench: 'inventory.scroll',
      value: median(jumps),
      unit: `ms median of ${jumps.length}, jump to row ${(data.length / 2).toLocaleString('en')} to its rows painted`,
      baseline: 'opening Inventory over 100 credentials',
      baselineValue,
      ratio: median(jumps) / baselineValue,
    });
    if (h.pageErrors.length) throw new Error(`The page reported errors: ${h.pageErrors.join('; ')}`);
  } finally {
    await h.close();
  }
}

export const renderBenches: Bench[] = [{ figures: ['inventory.render', 'inventory.scroll'], run: benchRender }];
