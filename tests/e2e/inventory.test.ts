import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expect as expectPage } from '@playwright/test';
import { insertCredentials } from '../../electron/core/credentials/store';
import type { CredentialFields } from '../../shared/credentials';
import { sampleCredential } from '../support/sample-credential';
import { makeTempDir, STRONG_PASSPHRASE } from '../support/test-platform';
import { createVaultInUi, startHarness, type Harness } from './harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  await createVaultInUi(h, STRONG_PASSPHRASE);
});

afterEach(async () => {
  await h.close();
});

const DAY = 86_400_000;
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function seed(name: string, change: Partial<CredentialFields> = {}): { fields: CredentialFields; secret: string | null } {
  return {
    secret: `secret-of-${name}`,
    fields: sampleCredential({ name, createdAt: isoDaysAgo(10), lastRotatedAt: isoDaysAgo(5), ...change }),
  };
}

/** Stages credentials in the core, then revisits Inventory so the screen loads them. */
async function seedInventory(rows: ReturnType<typeof seed>[]): Promise<void> {
  await insertCredentials(h.core.vault.require(), rows, new Date(), 'e2e');
  const nav = h.page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Audit' }).click();
  await nav.getByRole('button', { name: 'Inventory' }).click();
}

const rows = () => h.page.getByTestId('credential-rows').getByRole('row');

describe('inventory', () => {
  it('adds a credential with two locations, validating as the user types, and finds it by search', async () => {
    const { page } = h;
    await expectPage(page.getByText('The inventory is empty.')).toBeVisible();
    await page.getByRole('button', { name: 'Add credential' }).click();
    const form = page.getByRole('dialog', { name: 'Add a credential' });

    await form.getByLabel('Name').fill('  ');
    await expectPage(form.getByText('Name cannot be empty')).toBeVisible();
    await form.getByLabel('Name').fill('payments-partner-key');
    await expectPage(form.getByText('Name cannot be empty')).toHaveCount(0);
    await form.getByLabel('Created').fill('2026-10-01');
    await form.getByLabel('Expires').fill('2026-09-01');
    await expectPage(form.getByText('Expires cannot be before the credential was created')).toBeVisible();
    await form.getByLabel('Expires').fill('2027-10-01');
    await form.getByLabel('Owner').fill('team-payments');
    await form.getByLabel('Scopes').fill('charges:write refunds:write');
    await form.getByLabel('Tags').fill('pci, partner');
    await form.getByLabel('Secret', { exact: true }).fill('sk_live_51HxPartnerKeyForE2E');
    const masking = () => form.getByLabel('Secret', { exact: true }).evaluate((el) => getComputedStyle(el).getPropertyValue('-webkit-text-security'));
    expect(await masking()).toBe('disc');
    await form.getByLabel('Show while typing').check();
    expect(await masking()).toBe('none');

    await form.getByRole('button', { name: 'Add location' }).click();
    await form.getByRole('button', { name: 'Add location' }).click();
    const first = form.getByRole('group', { name: 'Location 1' });
    await first.getByLabel('Where').fill('GitHub Actions PAYMENTS_KEY');
    await first.getByLabel('Confirmed on').fill('2026-11-01');
    const second = form.getByRole('group', { name: 'Location 2' });
    await second.getByLabel('Location kind').selectOption('kubernetes_secret');
    await second.getByLabel('Where').fill('payments/partner-key');
    await second.getByLabel('Location environment').fill('test');
    await h.screenshot('inventory-01-add-form');
    await form.getByRole('button', { name: 'Add credential' }).click();

    await expectPage(page.getByRole('status').filter({ hasText: 'Added payments-partner-key.' })).toBeVisible();
    const detail = page.getByRole('complementary', { name: 'Credential detail' });
    await expectPage(detail.getByRole('heading', { name: 'payments-partner-key' })).toBeVisible();
    const locations = detail.getByRole('region', { name: 'Locations' }).getByRole('row');
    await expectPage(locations).toHaveCount(3);
    await expectPage(locations.nth(1)).toContainText('GitHub Actions PAYMENTS_KEY');
    await expectPage(locations.nth(2)).toContainText('payments/partner-key');
    await expectPage(locations.nth(2)).toContainText('never');
    await expectPage(detail.getByText(/fp:[0-9a-f]{4}:/)).toBeVisible();
    expect(await page.locator('body').innerText()).not.toContain('sk_live_51HxPartnerKeyForE2E');
    await h.screenshot('inventory-02-detail');

    await seedInventory([seed('billing-webhook', { kind: 'webhook_secret' }), seed('search-readonly', { owner: 'team-search' })]);
    await expectPage(rows()).toHaveCount(3);
    await page.getByLabel('Search credentials').fill('partner');
    await expectPage(rows()).toHaveCount(1);
    await expectPage(rows().first()).toContainText('payments-partner-key');
    await page.getByLabel('Search credentials').fill('team-search');
    await expectPage(rows()).toHaveCount(1);
    await expectPage(rows().first()).toContainText('search-readonly');
    await page.getByLabel('Search credentials').fill('nothing-like-this');
    await expectPage(page.getByText('No credential matches.')).toBeVisible();
    expect(h.pageErrors).toEqual([]);
  });

  it('reveals the secret for a few seconds with an audit entry, and copies it through main with a timed clear', async () => {
    const { page } = h;
    await h.core.router.invoke('vault:updateSettings', { clipboardClearSeconds: 5 });
    await seedInventory([seed('ledger-sync')]);
    await rows().filter({ hasText: 'ledger-sync' }).click();
    const detail = page.getByRole('complementary', { name: 'Credential detail' });
    await expectPage(detail.getByTestId('revealed-secret')).toHaveCount(0);

    await detail.getByRole('button', { name: 'Reveal' }).click();
    await expectPage(detail.getByTestId('revealed-secret')).toHaveText('secret-of-ledger-sync');
    await expectPage(detail.getByText(/Hidden in \d+ s/)).toBeVisible();
    await h.screenshot('inventory-03-revealed');
    // REVEAL_SECONDS is 10: the secret leaves the screen on its own.
    await expectPage(detail.getByTestId('revealed-secret')).toHaveCount(0, { timeout: 12_000 });

    await detail.getByRole('button', { name: 'Copy' }).click();
    await expectPage(detail.getByText(/Copied\. CredOps clears the clipboard in [1-5] s if it still holds this secret\./)).toBeVisible();
    expect(h.platform.clipboardText).toBe('secret-of-ledger-sync');
    await expectPage.poll(() => h.platform.clipboardText, { timeout: 8_000 }).toBe('');
    await expectPage(detail.getByText(/Copied\./)).toHaveCount(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Audit' }).click();
    const actions = await page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr td:nth-child(4)').allTextContents();
    expect(actions.slice(0, 2)).toEqual(['credential.copied', 'credential.revealed']);
    expect(h.pageErrors).toEqual([]);
  });

  it('summarises health findings in the header and filters the table by one', async () => {
    const { page } = h;
    await seedInventory([
      seed('orphan-key', { owner: null }),
      seed('old-token', { kind: 'service_token', lastRotatedAt: null, createdAt: isoDaysAgo(200), expiresAt: new Date(Date.now() + 3 * DAY).toISOString() }),
      seed('healthy-key'),
      seed('spa-key', { locations: [{ kind: 'browser', label: 'Checkout SPA bundle', environment: 'production', confirmedAt: isoDaysAgo(1) }] }),
    ]);
    await expectPage(rows()).toHaveCount(4);
    const header = page.getByRole('group', { name: 'Health findings' });
    await expectPage(header).toContainText('4 in use');
    await expectPage(header.getByRole('button', { name: /No owner 1/ })).toBeVisible();
    await expectPage(header.getByRole('button', { name: /Expires within 7 days 1/ })).toBeVisible();
    await h.screenshot('inventory-04-health');

    await header.getByRole('button', { name: /No owner/ }).click();
    await expectPage(rows()).toHaveCount(1);
    await expectPage(rows().first()).toContainText('orphan-key');
    await expectPage(page.getByLabel('Finding', { exact: true })).toHaveValue('NO_OWNER');

    await page.getByLabel('Finding', { exact: true }).selectOption('CLIENT_SIDE_COPY');
    await expectPage(rows()).toHaveCount(1);
    await expectPage(rows().first()).toContainText('spa-key');
    await rows().first().click();
    await expectPage(page.getByRole('region', { name: 'Findings' })).toContainText('A copy lives in Checkout SPA bundle');
    await h.screenshot('inventory-05-filtered');

    await page.getByRole('button', { name: 'Clear' }).click();
    await expectPage(rows()).toHaveCount(4);
    expect(h.pageErrors).toEqual([]);
  });

  it('marks a credential rotated with a note, which lands in its history and the audit log', async () => {
    const { page } = h;
    await seedInventory([seed('deploy-token', { lastRotatedAt: null, createdAt: isoDaysAgo(120) })]);
    await rows().first().click();
    const detail = page.getByRole('complementary', { name: 'Credential detail' });
    await expectPage(detail.getByRole('region', { name: 'Findings' })).toContainText('Stale');
    await detail.getByRole('button', { name: 'Mark rotated…' }).click();
    await detail.getByLabel('Note').fill('INC-2211: new key in CI and k8s');
    await detail.getByRole('button', { name: 'Mark rotated', exact: true }).click();
    await expectPage(detail.getByRole('region', { name: 'History' })).toContainText('rotated');
    await expectPage(detail.getByRole('region', { name: 'History' })).toContainText('INC-2211: new key in CI and k8s');
    await expectPage(detail.getByRole('region', { name: 'Findings' })).not.toContainText('Stale');
    await expectPage(rows().first()).toContainText(new Date().toISOString().slice(0, 10));
    await h.screenshot('inventory-06-rotated');
  });

  it('sorts by a column through the core, over the whole inventory', async () => {
    const { page } = h;
    await seedInventory(['charlie', 'alpha', 'bravo'].map((name) => seed(name)));
    await expectPage(rows().first()).toContainText('alpha');
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await expectPage(page.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'descending');
    await expectPage(rows().first()).toContainText('charlie');
  });

  it('imports a CSV with one bad row: the preview shows its error, nothing is written until confirmed', async () => {
    const { page } = h;
    const file = join(h.platform.userDataDir, 'partner-keys.csv');
    writeFileSync(
      file,
      [
        'name,kind,provider,owner,environment,created_at,scopes,secret',
        'acme-partner-key,api_key,stripe,team-payments,production,2026-10-01T00:00:00Z,charges:read,sk_live_acme_1',
        'acme-webhook,webhook_secret,other,team-payments,production,2026-10-01T00:00:00Z,,whsec_acme_2',
        'acme-broken,api_token,other,team-payments,production,2026-10-01T00:00:00Z,,x',
      ].join('\r\n'),
    );
    h.platform.chosenFiles.push(file);
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import partner-keys.csv' });
    await expectPage(dialog.getByTestId('import-summary')).toHaveText(/3 rows: 2 ready to import, 1 with errors/);
    const bad = dialog.getByRole('row').filter({ hasText: 'acme-broken' });
    await expectPage(bad).toContainText('4');
    await expectPage(bad).toContainText(/kind/);
    await h.screenshot('inventory-07-import-preview');
    expect((await h.core.router.invoke('credentials:list', {})) as unknown).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await page.locator('body').innerText()).not.toContain('sk_live_acme_1');

    await dialog.getByRole('button', { name: 'Import 2 credentials' }).click();
    await expectPage(page.getByRole('status').filter({ hasText: 'Imported 2 credentials from partner-keys.csv.' })).toBeVisible();
    await expectPage(rows()).toHaveCount(2);
    await expectPage(page.getByTestId('inventory-count')).toHaveText('2 credentials');
    expect(h.platform.fileRequests[0]).toMatchObject({ mode: 'open' });
    expect(h.pageErrors).toEqual([]);
  });

  it('exports metadata as CSV without secrets, and cancels cleanly when the save dialog is cancelled', async () => {
    const { page } = h;
    await seedInventory([seed('export-me')]);
    const target = join(h.platform.userDataDir, 'inventory.csv');

    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the inventory' });
    await dialog.getByRole('button', { name: 'Choose file and export' }).click();
    // No file chosen: the dialog stays, nothing is written.
    await expectPage(dialog).toBeVisible();

    h.platform.chosenFiles.push(target);
    await dialog.getByRole('button', { name: 'Choose file and export' }).click();
    await expectPage(page.getByRole('status').filter({ hasText: 'Exported 1 credential to inventory.csv.' })).toBeVisible();
    const written = readFileSync(target, 'utf8');
    expect(written).toContain('export-me');
    expect(written).not.toContain('secret-of-export-me');

    await page.getByRole('button', { name: 'Export…' }).click();
    await dialog.getByLabel(/Encrypted full export/).check();
    await dialog.getByLabel('Export passphrase').fill('weak');
    await expectPage(dialog.getByRole('button', { name: 'Choose file and export' })).toBeDisabled();
    await h.screenshot('inventory-08-export');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expectPage(dialog).toHaveCount(0);
  });

  it('reloads the rows in view after a sort while scrolled far down, instead of leaving them loading', async () => {
    const { page } = h;
    await seedInventory(Array.from({ length: 400 }, (_, i) => seed(`key-${String(i).padStart(3, '0')}`)));
    await expectPage(page.getByTestId('inventory-count')).toHaveText('400 credentials');
    await page.getByTestId('credential-rows').evaluate((body) => (body.scrollTop = 250 * 36));
    await expectPage(page.locator('[aria-rowindex="252"]')).toHaveAttribute('data-credential-name', 'key-250');
    await page.getByRole('columnheader', { name: /Name/ }).getByRole('button').click();
    // Row 250 of the descending order is key-149, and it is painted, not left "Loading…".
    await expectPage(page.locator('[aria-rowindex="252"]')).toHaveAttribute('data-credential-name', 'key-149');
    await expectPage(page.getByTestId('credential-rows').getByText('Loading…')).toHaveCount(0);
    await h.screenshot('inventory-09-scrolled-sorted');
  });

  it('edits a credential, saying in its history what changed; Escape leaves the form without saving', async () => {
    const { page } = h;
    await seedInventory([seed('ci-deploy-token')]);
    await rows().first().click();
    const detail = page.getByRole('complementary', { name: 'Credential detail' });
    await detail.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('dialog', { name: 'Edit ci-deploy-token' });
    await form.getByLabel('Owner').fill('someone-else');
    await page.keyboard.press('Escape');
    await expectPage(form).toHaveCount(0);
    await expectPage(detail.getByRole('region', { name: 'Details' })).toContainText('team-payments');

    await detail.getByRole('button', { name: 'Edit' }).click();
    await form.getByLabel('Environment').fill('staging');
    await form.getByLabel('Last used').fill('2099-01-01');
    await expectPage(form.getByText('Last used is in the future: check the year')).toBeVisible();
    await form.getByLabel('Last used').fill('');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expectPage(detail.getByRole('region', { name: 'History' })).toContainText('environment: production → staging');
    await expectPage(rows().first()).toContainText('staging');
    await h.screenshot('inventory-10-edited');
    expect(h.pageErrors).toEqual([]);
  });

  it('discards an opened import file in main when the dialog is left with Escape', async () => {
    const { page } = h;
    const file = join(h.platform.userDataDir, 'one.csv');
    writeFileSync(file, 'name,kind,provider,environment,created_at,secret\r\nsolo,api_key,other,production,2026-10-01T00:00:00Z,sk_solo\r\n');
    h.platform.chosenFiles.push(file);
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import one.csv' });
    await expectPage(dialog.getByTestId('import-summary')).toHaveText(/1 row: 1 ready to import/);
    const opened = h.calls.find((call) => call.channel === 'credentials:importOpen')!.result as { ok: true; value: { file: { importId: string } } };
    const { importId } = opened.value.file;
    await page.keyboard.press('Escape');
    await expectPage(dialog).toHaveCount(0);
    await expectPage.poll(() => h.calls.some((call) => call.channel === 'credentials:importDiscard' && (call.input as { importId: string }).importId === importId)).toBe(true);
    expect(await h.core.router.invoke('credentials:importCommit', { importId })).toMatchObject({ ok: false, error: { code: 'IMPORT_EXPIRED' } });
    expect((await h.core.router.invoke('credentials:list', {})) as unknown).toMatchObject({ ok: true, value: { total: 0 } });
  });

  it('exports everything encrypted and reads it back with the passphrase, secrets included', async () => {
    const { page } = h;
    await seedInventory([seed('round-trip-key', { environment: 'staging' })]);
    // Outside the user-data folder, which goes with the first harness.
    const target = join(makeTempDir(), 'all.credops-export');
    const exportPassphrase = 'amber falcon quarry 73 lattice';
    h.platform.chosenFiles.push(target);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the inventory' });
    await dialog.getByLabel(/Encrypted full export/).check();
    await dialog.getByLabel('Export passphrase').fill(exportPassphrase);
    await dialog.getByLabel('Repeat it').fill(exportPassphrase);
    await dialog.getByRole('button', { name: 'Choose file and export' }).click();
    await expectPage(page.getByRole('status').filter({ hasText: 'Exported 1 credential to all.credops-export.' })).toBeVisible();
    expect(readFileSync(target, 'utf8')).not.toContain('secret-of-round-trip-key');

    // Into a fresh vault: the same credential, and the same secret behind it.
    await h.close();
    h = await startHarness();
    await createVaultInUi(h, STRONG_PASSPHRASE);
    h.platform.chosenFiles.push(target);
    await h.page.getByRole('button', { name: 'Import…' }).click();
    const importing = h.page.getByRole('dialog', { name: 'Import all.credops-export' });
    await importing.getByLabel('Export passphrase').fill('not the passphrase at all 99');
    await importing.getByRole('button', { name: 'Open' }).click();
    await expectPage(importing.getByRole('alert')).toContainText('not the passphrase');
    await importing.getByLabel('Export passphrase').fill(exportPassphrase);
    await importing.getByRole('button', { name: 'Open' }).click();
    await expectPage(importing.getByTestId('import-summary')).toHaveText(/1 row: 1 ready to import/);
    await importing.getByRole('button', { name: 'Import 1 credential' }).click();
    await rows().first().click();
    const detail = h.page.getByRole('complementary', { name: 'Credential detail' });
    await detail.getByRole('button', { name: 'Reveal' }).click();
    await expectPage(detail.getByTestId('revealed-secret')).toHaveText('secret-of-round-trip-key');
    expect(h.pageErrors).toEqual([]);
    rmSync(dirname(target), { recursive: true, force: true });
  });
});
