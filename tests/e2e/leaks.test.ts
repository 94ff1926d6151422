import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expect as expectPage } from '@playwright/test';
import type { CredentialLocation } from '../../shared/credentials';
import type { ScanStatus } from '../../shared/leaks';
import { sdJwtPresentation, seededEd25519Key, seededRandom } from '../support/leak-corpus';
import { sampleCredential } from '../support/sample-credential';
import { STRONG_PASSPHRASE } from '../support/test-platform';
import { createVaultInUi, startHarness, type Harness } from './harness';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  await createVaultInUi(h, STRONG_PASSPHRASE);
});

afterEach(async () => {
  await h?.close();
});

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A value as a provider generates it: uniformly random base62, never a placeholder the scanner drops. */
const random62 = (length: number) => Array.from({ length }, () => BASE62[randomInt(BASE62.length)]).join('');

const SOURCE = 'CI build #4411 log';
const LOCATIONS: CredentialLocation[] = [
  { kind: 'ci_variable', label: 'GitHub Actions secret PAYMENTS_KEY', environment: 'production', confirmedAt: '2026-11-01T00:00:00.000Z' },
  { kind: 'kubernetes_secret', label: 'payments/partner-key', environment: 'production', confirmedAt: null },
  { kind: 'partner', label: 'Acme Payments partner portal', environment: 'production', confirmedAt: null },
];

const nav = () => h.page.getByRole('navigation', { name: 'Main' });
const findingRows = () => h.page.getByRole('table', { name: 'Findings' }).getByRole('rowgroup').nth(1).getByRole('row');

/** Where `needle` first appears in `text`, as the scanner counts: 1-based line and column. */
function placeOf(text: string, needle: string): string {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return `${line + 1}:${lines[line].indexOf(needle) + 1}`;
}

describe('leak triage', () => {
  it('finds an inventory secret and an unknown token in a pasted log, matches the first, and starts its playbook with the leak as evidence', async () => {
    const { page } = h;
    const stripeKey = `sk_live_${random62(32)}`;
    const githubToken = `ghp_${random62(36)}`;
    await h.value('credentials:create', { fields: sampleCredential({ name: 'payments-partner-key', kind: 'api_key', owner: 'Payments', environment: 'production', locations: LOCATIONS }), secret: stripeKey });

    const log = [
      '2026-11-23T08:11:58.402Z [runner] Job 4411 started on ci-runner-07 (ubuntu-22.04)',
      '2026-11-23T08:11:58.913Z [checkout] Fetching acme/payments-tools@9f3c2e1',
      '2026-11-23T08:12:01.220Z [setup] Node.js 20.19.2, npm 10.8.2',
      '2026-11-23T08:12:03.004Z [test] > payments-tools@3.4.1 test',
      '2026-11-23T08:12:03.871Z [test] PASS src/charges.test.ts (41 tests)',
      '2026-11-23T08:12:04.117Z [deploy] Debug: environment for payments-worker:',
      `2026-11-23T08:12:04.118Z [deploy]   STRIPE_SECRET_KEY=${stripeKey}`,
      '2026-11-23T08:12:04.118Z [deploy]   PAYMENTS_REGION=eu-west-1',
      '2026-11-23T08:12:05.640Z [publish] Pushing tag v3.4.1 to the mirror',
      `2026-11-23T08:12:05.702Z [publish] git push https://${githubToken}@github.com/acme/payments-tools-mirror.git v3.4.1`,
      '2026-11-23T08:12:07.031Z [publish] To github.com:acme/payments-tools-mirror.git * [new tag] v3.4.1 -> v3.4.1',
      '2026-11-23T08:12:07.450Z [runner] Job 4411 finished: success (9.0 s)',
    ].join('\n');

    await nav().getByRole('button', { name: 'Leak triage' }).click();
    await expectPage(nav().getByRole('button', { name: 'Leak triage' })).toHaveAttribute('aria-current', 'page');
    await expectPage(page.getByRole('button', { name: 'Scan', exact: true })).toBeDisabled();
    await page.getByLabel('Source').fill(SOURCE);
    await page.getByLabel('Text to scan').fill(log);
    await expectPage(page.getByText('The text stays on this machine and is never stored')).toBeVisible();
    await page.getByRole('button', { name: 'Scan', exact: true }).click();
    // Main has the text: it leaves the screen.
    await expectPage(page.getByLabel('Text to scan')).toHaveValue('');

    // The summary, then one row each: the inventory's key matched, GitHub's token unknown.
    await expectPage(page.getByTestId('scan-state')).toHaveText('Done');
    await expectPage(page.getByTestId('scan-summary')).toContainText('2 secrets found: 1 ours, 1 unknown, 0 JWTs');
    await expectPage(page.getByTestId('scan-summary')).toContainText('12 lines scanned');
    await expectPage(findingRows()).toHaveCount(2);
    const ours = findingRows().filter({ hasText: 'payments-partner-key' });
    await expectPage(ours).toContainText('payments-partner-key');
    await expectPage(ours).toContainText('production · owner Payments · 3 copies');
    await expectPage(ours).toContainText('Stripe');
    await expectPage(ours).toContainText(placeOf(log, stripeKey));
    await expectPage(ours).toContainText(`sk_live_`);
    await expectPage(ours).toContainText(stripeKey.slice(-4));
    await expectPage(ours).not.toContainText(stripeKey);
    const unknown = findingRows().filter({ hasText: 'GitHub' });
    await expectPage(unknown).toContainText('Unknown');
    await expectPage(unknown).toContainText(placeOf(log, githubToken));
    await expectPage(unknown.getByRole('checkbox')).toBeDisabled();
    // Ours first (and a live one of ours is critical), then the most severe, then by where.
    await expectPage(findingRows().first()).toContainText('payments-partner-key');

    // The unknown token's detail: the provider's guidance, its place and fingerprint.
    await unknown.click();
    const detail = page.getByRole('region', { name: 'Finding detail' });
    await expectPage(detail).toContainText('GitHub personal access token (classic)');
    await expectPage(detail).toContainText('Unknown: no credential in the inventory has this secret.');
    await expectPage(detail).toContainText('github.com/settings/tokens');
    await expectPage(detail).toContainText(/fp:[0-9a-f]{4}:/);
    await expectPage(detail).toContainText(placeOf(log, githubToken));

    // The matched key's detail names the credential and the playbook its kind gets.
    await ours.click();
    await expectPage(detail).toContainText('Stripe secret key (live mode)');
    await expectPage(detail).toContainText('owner Payments');
    await expectPage(detail).toContainText('leaked-api-key');
    expect(await page.content()).not.toContain(stripeKey);
    expect(await page.content()).not.toContain(githubToken);
    await h.screenshotContent('leaks-01-results');
    await page.emulateMedia({ colorScheme: 'dark' });
    await h.screenshotContent('leaks-01-results-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // Choose the matched finding and start its playbook.
    const start = page.getByRole('button', { name: /^Start playbooks for selected/ });
    await expectPage(start).toHaveText('Start playbooks for selected (0)');
    await expectPage(start).toBeDisabled();
    await ours.getByRole('checkbox', { name: /^Choose Stripe secret key \(live mode\) at \d+:\d+ for a playbook$/ }).check();
    await expectPage(start).toHaveText('Start playbooks for selected (1)');
    await start.click();
    const confirm = page.getByRole('dialog', { name: 'Start 1 playbook?' });
    await expectPage(confirm).toContainText('payments-partner-key');
    await expectPage(confirm).toContainText('Leaked API key');
    await expectPage(confirm).toContainText(SOURCE);
    await expectPage(confirm).toContainText(`sk_live_••••••••${stripeKey.slice(-4)}`);
    await h.screenshot('leaks-02-confirm');
    await confirm.getByRole('button', { name: 'Start playbook' }).click();
    await expectPage(confirm).toHaveCount(0);

    const started = page.getByRole('status').filter({ hasText: 'Started 1 playbook run' });
    await expectPage(started).toContainText('payments-partner-key');
    const call = h.calls.find((c) => c.channel === 'leaks:startPlaybooks')!;
    expect(call.input).toMatchObject({ findingIds: [expect.any(String)] });
    expect(call.result.ok).toBe(true);

    // The run, in Playbooks: for the credential, one item per copy, the leak on its first step.
    await started.getByRole('button', { name: 'Open the run for payments-partner-key in Playbooks' }).click();
    await expectPage(nav().getByRole('button', { name: 'Playbooks' })).toHaveAttribute('aria-current', 'page');
    const run = page.locator('article.run-view');
    await expectPage(run.locator('.run-credential')).toHaveText('payments-partner-key');
    await expectPage(run.getByRole('article', { name: /^Replace the key in/ })).toHaveCount(3);
    const firstStep = run.locator('.step-card').first();
    await expectPage(firstStep.locator('.step-evidence')).toContainText(SOURCE);
    await expectPage(firstStep.locator('.step-evidence')).toContainText(`sk_live_••••••••${stripeKey.slice(-4)}`);
    expect(await page.content()).not.toContain(stripeKey);
    await h.screenshot('leaks-03-run');

    // Back on Leak triage the results are still there; Discard clears them.
    await nav().getByRole('button', { name: 'Leak triage' }).click();
    await expectPage(findingRows()).toHaveCount(2);
    await page.getByRole('button', { name: 'Discard results' }).click();
    await expectPage(page.getByRole('table', { name: 'Findings' })).toHaveCount(0);
    expect(h.calls.some((c) => c.channel === 'leaks:discard' && c.result.ok)).toBe(true);
    expect(h.pageErrors).toEqual([]);
  });

  it('streams a large file with progress, cancels it, then reads it to the end', async () => {
    const { page } = h;
    const tokens = [`ghp_${random62(36)}`, `npm_${random62(36)}`, `sk_live_${random62(32)}`];
    const file = join(h.platform.userDataDir, 'payments-worker.log');
    const fd = openSync(file, 'w');
    const block = Array.from({ length: 10_000 }, (_, i) => `2026-11-23T08:${String(10 + (i % 50)).padStart(2, '0')}:04.117Z INFO  [req ${String(i).padStart(6, '0')}] GET /api/v1/orders?page=${i % 97} 200 ${i % 300}ms`).join('\n') + '\n';
    const blocks = Math.ceil((56 * 1024 * 1024) / Buffer.byteLength(block));
    for (let i = 0; i < blocks; i++) {
      writeSync(fd, block);
      // One secret near the start, one in the middle, one near the end.
      const at = [1, Math.floor(blocks / 2), blocks - 2].indexOf(i);
      if (at >= 0) writeSync(fd, `2026-11-23T08:12:04.118Z WARN  [config] loaded credential ${tokens[at]} from the environment\n`);
    }
    closeSync(fd);
    h.platform.chosenFiles.push(file, file);

    await nav().getByRole('button', { name: 'Leak triage' }).click();
    await page.getByLabel('Source').fill('payments-worker log from prod-eu-1');
    await page.getByRole('button', { name: 'Open file…' }).click();

    // Cancel stops the stream where it is; what was read before is kept and said so.
    const bar = page.getByRole('progressbar', { name: 'Scan progress' });
    await expectPage(bar).toBeVisible();
    await expectPage(page.getByRole('button', { name: 'Scan', exact: true })).toBeDisabled();
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expectPage(page.getByTestId('scan-state')).toHaveText('Cancelled');
    await expectPage(page.getByRole('status').filter({ hasText: /^Scan cancelled after [\d.]+ MB of \d\d MB \(\d+%\)/ })).toBeVisible();
    const statuses = () => h.calls.filter((c) => ['leaks:scanFile', 'leaks:status', 'leaks:cancel'].includes(c.channel) && c.result.ok).map((c) => c.result as { ok: true; value: ScanStatus | { scan: ScanStatus } }).map(({ value }) => ('scan' in value ? value.scan : value));
    const cancelled = statuses().at(-1)!;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.bytesScanned).toBeLessThan(cancelled.totalBytes!);
    await h.screenshotContent('leaks-04-cancelled');

    // Open it again and let it finish: the bar moves through the file, then every secret in it, and every line.
    await page.getByRole('button', { name: 'Open file…' }).click();
    await expectPage(bar).toHaveAttribute('aria-valuenow', /^[1-9]\d?$/);
    await expectPage(page.getByTestId('scan-progress-text')).toContainText(/^\d+% · [\d.]+ MB of \d\d MB · [\d,]+ lines · \d secrets? found so far$/);
    await h.screenshot('leaks-05-progress');
    await expectPage(page.getByTestId('scan-state')).toHaveText('Done', { timeout: 45_000 });
    const second = statuses().filter((s) => s.scanId !== cancelled.scanId);
    const read = second.map((s) => s.bytesScanned);
    expect(read).toEqual([...read].sort((a, b) => a - b));
    expect(second.some((s) => s.state === 'running' && s.bytesScanned > 0 && s.bytesScanned < s.totalBytes!)).toBe(true);
    await expectPage(page.getByTestId('scan-summary')).toContainText('3 secrets found: 0 ours, 3 unknown, 0 JWTs');
    await expectPage(page.getByTestId('scan-summary')).toContainText(`${(blocks * 10_000 + 3).toLocaleString('en')} lines scanned`);
    await expectPage(findingRows()).toHaveCount(3);
    await expectPage(page.getByRole('button', { name: /^Start playbooks for selected/ })).toHaveCount(0);
    for (const token of tokens) expect(await page.content()).not.toContain(token);
    expect(h.platform.fileRequests).toHaveLength(2);
    await h.screenshotContent('leaks-06-file-done');
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('starts the playbook of a key found before the scan of a big file was cancelled, saying the read was partial', async () => {
    const { page } = h;
    const stripeKey = `sk_live_${random62(32)}`;
    await h.value('credentials:create', { fields: sampleCredential({ name: 'payments-partner-key', kind: 'api_key', owner: 'Payments', environment: 'production', locations: LOCATIONS }), secret: stripeKey });
    const file = join(h.platform.userDataDir, 'payments-worker.log');
    const fd = openSync(file, 'w');
    const first = `2026-11-23T08:12:04.118Z WARN  [config] STRIPE_SECRET_KEY=${stripeKey}\n`;
    writeSync(fd, first);
    const block = Array.from({ length: 10_000 }, (_, i) => `2026-11-23T08:12:05.000Z INFO  [req ${String(i).padStart(6, '0')}] GET /api/v1/orders?page=${i % 97} 200 ${i % 300}ms`).join('\n') + '\n';
    for (let i = 0; i < Math.ceil((80 * 1024 * 1024) / Buffer.byteLength(block)); i++) writeSync(fd, block);
    closeSync(fd);
    h.platform.chosenFiles.push(file);

    await nav().getByRole('button', { name: 'Leak triage' }).click();
    await page.getByRole('button', { name: 'Open file…' }).click();
    // The key turns up in the first line: the responder stops reading the rest.
    await expectPage(page.getByTestId('scan-progress-text')).toContainText('1 secret found so far');
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expectPage(page.getByTestId('scan-state')).toHaveText('Cancelled');
    const ours = findingRows().filter({ hasText: 'payments-partner-key' });
    await expectPage(ours).toContainText(placeOf(first, stripeKey));
    await ours.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Start playbooks for selected (1)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Start playbook' }).click();
    await expectPage(page.getByRole('button', { name: 'Open the run for payments-partner-key in Playbooks' })).toBeVisible();
    await h.screenshotContent('leaks-08-cancelled-started');

    const runs = h.calls.filter((c) => c.channel === 'leaks:startPlaybooks' && c.result.ok).map((c) => (c.result as { ok: true; value: { runs: { runId: string }[] } }).value.runs);
    expect(runs.flat()).toHaveLength(1);
    const { run } = await h.value<{ run: { title: string; steps: { evidence: string | null }[] } }>('playbooks:get', { runId: runs[0][0].runId });
    expect(run.title).toBe('Leak of payments-partner-key in payments-worker.log');
    expect(run.steps[0].evidence).toMatch(/^Leak triage found this credential in the file "payments-worker.log" \(the scan was cancelled after [\d,]+ lines, so copies further on were not looked for;/);
    expect(run.steps[0].evidence).not.toContain(stripeKey);
    expect(await page.content()).not.toContain(stripeKey);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);

  it('reads a JWT in pasted text with the inspector, without a key, and never shows the token', async () => {
    const { page } = h;
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'https://auth.acme.test/realms/payments', sub: 'svc-payments-worker', aud: 'payments-api', iat: now - 7200, exp: now - 3600, jti: random62(16) })}`;
    const jwt = `${signed}.${createHmac('sha256', randomBytes(32)).update(signed).digest('base64url')}`;
    const pasted = `curl -s https://payments-api.acme.test/v1/balance \\\n  -H "Authorization: Bearer ${jwt}"\n`;
    await nav().getByRole('button', { name: 'Leak triage' }).click();
    await page.getByLabel('Text to scan').fill(pasted);
    await page.getByRole('button', { name: 'Scan', exact: true }).click();

    await expectPage(page.getByTestId('scan-summary')).toContainText('1 secret found: 0 ours, 1 unknown, 1 JWT');
    await expectPage(page.getByTestId('scan-summary')).toContainText('2 lines scanned');
    const row = findingRows().first();
    await expectPage(row).toContainText('JWT (HS256)');
    await expectPage(row).toContainText(placeOf(pasted, jwt));
    const inspection = page.getByRole('region', { name: 'Finding detail' }).getByRole('region', { name: 'Token inspection' });
    await expectPage(inspection).toContainText('Invalid: Expired at');
    await expectPage(inspection).toContainText('60 min before this check');
    await expectPage(inspection).toContainText('NOT_VERIFIED');
    await expectPage(inspection).toContainText('https://auth.acme.test/realms/payments');
    await expectPage(inspection).toContainText('svc-payments-worker');
    await expectPage(inspection).toContainText(new Date((now - 3600) * 1000).toISOString().slice(0, 16).replace('T', ' '));
    await expectPage(inspection.getByRole('list', { name: 'Token findings' })).toContainText('EXPIRED');
    await expectPage(page.getByRole('button', { name: /^Start playbooks for selected/ })).toHaveCount(0);
    expect(await page.content()).not.toContain(jwt);
    expect(await page.content()).not.toContain(signed.split('.')[1]);
    await h.screenshotContent('leaks-07-jwt');
    expect(h.pageErrors).toEqual([]);
  });

  it('reads an SD-JWT presentation in a log as one credential, says what its disclosures expose, and never shows them', async () => {
    const { page } = h;
    const random = seededRandom(9);
    const presentation = sdJwtPresentation(seededEd25519Key(random), seededEd25519Key(random), random, Math.floor(Date.now() / 1000) - 30);
    const pasted = `2026-11-24T09:14:03Z INFO verifier: direct_post from wallet\n2026-11-24T09:14:03Z DEBUG vp_token=${presentation}&state=af0ifjsldkj\n`;
    await nav().getByRole('button', { name: 'Leak triage' }).click();
    await page.getByLabel('Text to scan').fill(pasted);
    await page.getByRole('button', { name: 'Scan', exact: true }).click();

    // One credential, not its JWT and its Key Binding JWT as two.
    await expectPage(page.getByTestId('scan-summary')).toContainText('1 secret found: 0 ours, 1 unknown, 1 JWT');
    const row = findingRows().first();
    await expectPage(row).toContainText('SD-JWT (EdDSA, 3 disclosures, key binding)');
    await expectPage(row).toContainText(placeOf(pasted, presentation));
    const detail = page.getByRole('region', { name: 'Finding detail' });
    await expectPage(detail).toContainText('3 disclosures hold claims the holder revealed, often personal data');
    await expectPage(detail).toContainText("bound to its holder's key");
    const inspection = detail.getByRole('region', { name: 'Token inspection' });
    await expectPage(inspection).toContainText('https://wallet-issuer.acme.test');
    const findings = inspection.getByRole('list', { name: 'Token findings' });
    await expectPage(findings).toContainText('SENSITIVE_DATA');
    await expectPage(findings).toContainText('Holds an e-mail address, disclosed by the holder');
    const content = await page.content();
    for (const part of presentation.split('~')) expect(content).not.toContain(part);
    expect(content).not.toContain('ana.souza@acme.test');
    await h.screenshotContent('leaks-09-sd-jwt');
    expect(h.pageErrors).toEqual([]);
  });
});
