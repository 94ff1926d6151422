import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expect as expectPage } from '@playwright/test';
import { startHarness, type Harness } from './harness';
import { STRONG_PASSPHRASE, OTHER_STRONG_PASSPHRASE } from '../support/test-platform';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

async function createVault(): Promise<void> {
  const { page } = h;
  await page.getByLabel('Passphrase', { exact: true }).fill(STRONG_PASSPHRASE);
  await page.getByLabel('Passphrase again').fill(STRONG_PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expectPage(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
}

async function openAudit(): Promise<void> {
  await h.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit' }).click();
  await expectPage(h.page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
}

describe('vault screens', () => {
  it('first run → create → lock → wrong passphrase → unlock → audit chain intact', async () => {
    const { page } = h;
    await expectPage(page.getByRole('heading', { name: 'Create your CredOps vault' })).toBeVisible();
    expect(await page.getByLabel('Vault location').inputValue()).toBe(h.core.vault.defaultPath);

    await page.getByLabel('Passphrase', { exact: true }).fill('password123');
    await expectPage(page.getByText('Strength: Very weak')).toBeVisible();
    await expectPage(page.getByRole('button', { name: 'Create vault' })).toBeDisabled();
    await h.screenshot('01-first-run-weak');

    await page.getByLabel('Passphrase', { exact: true }).fill(STRONG_PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(STRONG_PASSPHRASE + 'x');
    await expectPage(page.getByText('The two passphrases differ.')).toBeVisible();
    await page.getByLabel('Passphrase again').fill(STRONG_PASSPHRASE);
    await h.screenshot('02-first-run-ready');
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expectPage(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
    await expectPage(page.getByRole('navigation', { name: 'Main' }).getByText('credops', { exact: true })).toBeVisible();
    await openAudit();

    await page.getByRole('button', { name: /Lock vault/ }).click();
    await expectPage(page.getByRole('heading', { name: 'Unlock credops' })).toBeVisible();
    await expectPage(page.getByRole('table')).toHaveCount(0);

    await page.getByLabel('Passphrase').fill('definitely not it');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expectPage(page.getByRole('alert')).toHaveText(/Wrong passphrase/);
    await h.screenshot('03-unlock-wrong-passphrase');

    await page.getByLabel('Passphrase').fill(STRONG_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    const table = page.getByRole('table', { name: 'Audit entries' });
    await expectPage(table).toBeVisible();
    const actions = await table.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(actions).toEqual(['vault.unlocked', 'vault.locked', 'vault.unlocked', 'vault.created']);

    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expectPage(page.getByRole('status')).toHaveText(/Chain intact: 4 entries verified/);
    await h.screenshot('04-audit-intact');
    expect(h.pageErrors).toEqual([]);
  });

  it('locks with Ctrl+L and when the user is idle, leaving nothing of the vault on screen', async () => {
    const { page } = h;
    await createVault();
    await page.keyboard.press('Control+L');
    await expectPage(page.getByRole('heading', { name: 'Unlock credops' })).toBeVisible();

    await page.getByLabel('Passphrase').fill(STRONG_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expectPage(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();

    h.platform.idleSeconds = 11 * 60;
    h.core.vault.checkIdle();
    await expectPage(page.getByText('Locked after the idle time you set.')).toBeVisible();
    await expectPage(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
    expect(await page.locator('body').innerText()).not.toContain('vault.created');
    await h.screenshot('05-auto-locked');
  });

  it('changes auto-lock minutes, backs up, and changes the passphrase from Settings', async () => {
    const { page } = h;
    await createVault();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Lock after idle minutes').fill('3');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectPage(page.getByText('Saved: the vault locks after 3 idle minutes')).toBeVisible();
    expect(h.core.vault.getSettings().autoLockMinutes).toBe(3);

    await page.getByRole('button', { name: 'Back up now' }).click();
    await expectPage(page.getByText(/Backup written to/)).toBeVisible();
    await expectPage(page.getByRole('list', { name: 'Backups' }).getByRole('listitem')).toHaveCount(1);

    await page.getByLabel('Current passphrase', { exact: true }).fill(STRONG_PASSPHRASE);
    await page.getByLabel('New passphrase', { exact: true }).fill(OTHER_STRONG_PASSPHRASE);
    await page.getByLabel('New passphrase again').fill(OTHER_STRONG_PASSPHRASE);
    await page.getByRole('button', { name: 'Change passphrase' }).click();
    await expectPage(page.getByText(/Passphrase changed\. Backups beside the vault now open with the new one too/)).toBeVisible();
    await h.screenshot('06-settings');

    await page.keyboard.press('Control+L');
    await page.getByLabel('Passphrase').fill(OTHER_STRONG_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    // Unlocking returns to the screen the user was on.
    await expectPage(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await openAudit();
    const actions = await page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr td:nth-child(4)').allTextContents();
    expect(actions.slice(0, 6)).toEqual(['vault.unlocked', 'vault.locked', 'backup.rewrapped', 'vault.passphraseChanged', 'vault.backup', 'settings.changed']);
  });
});

describe('what loads when', () => {
  const meterLoaded = () => h.page.evaluate(() => performance.getEntriesByType('resource').some((entry) => /\/assets\/passphrase-[^/]*\.js$/.test(entry.name)));

  it('unlocks without loading the passphrase meter, and loads it for the screen that sets a new passphrase', async () => {
    const { page } = h;
    await createVault();
    await page.keyboard.press('Control+L');
    // A fresh launch to an existing vault: the unlock screen alone.
    await page.reload();
    await expectPage(page.getByRole('heading', { name: 'Unlock credops' })).toBeVisible();
    expect(await meterLoaded()).toBe(false);
    await page.getByLabel('Passphrase').fill(STRONG_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expectPage(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
    expect(await meterLoaded()).toBe(false);

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('New passphrase', { exact: true }).fill('password123');
    await expectPage(page.getByText('Strength: Very weak')).toBeVisible();
    expect(await meterLoaded()).toBe(true);
    expect(h.pageErrors).toEqual([]);
  });
});

describe('unlock options', () => {
  it('turns on keychain unlock from Settings and unlocks with it after a lock', async () => {
    const { page } = h;
    await createVault();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByLabel('Confirm with your passphrase').fill(STRONG_PASSPHRASE);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await expectPage(page.getByText('This vault can be unlocked with the system keychain.')).toBeVisible();
    await page.getByRole('button', { name: /Lock vault/ }).click();
    await h.screenshot('07-unlock-with-keychain');
    await page.getByRole('button', { name: 'Unlock with system keychain' }).click();
    await expectPage(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await page.getByRole('button', { name: 'Turn off keychain unlock' }).click();
    await expectPage(page.getByLabel('Confirm with your passphrase')).toBeVisible();
  });

  it('says why keychain unlock is unavailable where it would store the key in plain text', async () => {
    const { page } = h;
    h.platform.keychainAvailable = false;
    await createVault();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expectPage(page.getByText(/Unavailable: the keychain would store secrets in plain text/)).toBeVisible();
    await expectPage(page.getByRole('button', { name: 'Turn on' })).toHaveCount(0);
  });

  it('makes the user wait after three wrong passphrases and shows how long', async () => {
    const { page } = h;
    await createVault();
    await page.keyboard.press('Control+L');
    for (let i = 0; i < 3; i++) {
      await page.getByLabel('Passphrase').fill(`wrong passphrase ${i}`);
      await page.getByRole('button', { name: 'Unlock' }).click();
      await expectPage(page.getByRole('alert')).toHaveText(/Wrong passphrase/);
    }
    await expectPage(page.getByRole('button', { name: /Wait \d s/ })).toBeDisabled();
    await expectPage(page.getByRole('alert')).toHaveText(/Try again in 1 s/);
    await expectPage(page.getByRole('button', { name: 'Unlock', exact: true })).toBeVisible({ timeout: 5000 });
  });

  it('renders in dark mode with the same controls, and the built page has no inline script', async () => {
    const { page } = h;
    await page.emulateMedia({ colorScheme: 'dark' });
    await createVault();
    await openAudit();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expectPage(page.getByRole('status')).toHaveText(/Chain intact/);
    await h.screenshot('08-audit-dark');
    const inline = await page.locator('script:not([src])').count();
    expect(inline).toBe(0);
    expect(h.pageErrors).toEqual([]);
  });
});

describe('start-up failure', () => {
  it('says plainly what is broken when the app config is damaged, instead of offering a new vault', async () => {
    await h.close();
    h = await startHarness((platform) => writeFileSync(join(platform.userDataDir, 'credops.json'), '{"vaultPath":'));
    const { page } = h;
    await expectPage(page.getByRole('heading', { name: 'CredOps cannot open' })).toBeVisible();
    await expectPage(page.getByRole('alert')).toHaveText(/credops\.json is damaged\. It only says where the vault is/);
    await expectPage(page.getByRole('heading', { name: 'Create your CredOps vault' })).toHaveCount(0);
    await h.screenshot('09-config-damaged');
  });
});
