import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expect as expectPage } from '@playwright/test';
import { readRun, updateRun } from '../../electron/core/playbooks/run-store';
import type { CredentialLocation } from '../../shared/credentials';
import type { RunView } from '../../shared/playbooks';
import { startLab, type Lab } from '../../lab/lab';
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

const SECRET = 'sk_live_51HxE2EPlaybookLeakedKeyValue';
const TITLE = 'INC-3107 payments key pushed to a public repo';
const LOCATIONS: CredentialLocation[] = [
  { kind: 'ci_variable', label: 'GitHub Actions secret PAYMENTS_KEY', environment: 'production', confirmedAt: '2026-11-01T00:00:00.000Z' },
  { kind: 'kubernetes_secret', label: 'payments/partner-key', environment: 'staging', confirmedAt: null },
  { kind: 'partner', label: 'Acme Payments partner portal', environment: 'production', confirmedAt: null },
];

const nav = () => h.page.getByRole('navigation', { name: 'Main' });
const runView = () => h.page.getByRole('article', { name: TITLE });
const step = (name: RegExp) => runView().getByRole('article', { name });

async function complete(name: RegExp, evidence: string): Promise<void> {
  const item = step(name);
  await item.getByLabel('Evidence note').fill(evidence);
  await item.getByRole('button', { name: 'Mark done', exact: true }).click();
  await expectPage(item).toHaveAttribute('data-state', 'done');
  await expectPage(item).toContainText(evidence);
}

describe('playbooks', () => {
  it('runs the leaked-API-key playbook from a credential with three locations to the end, exports the report and shows the printable page', async () => {
    const { page } = h;
    await h.value('credentials:create', { fields: sampleCredential({ name: 'payments-partner-key', kind: 'api_key', locations: LOCATIONS }), secret: SECRET });
    await nav().getByRole('button', { name: 'Audit' }).click();
    await nav().getByRole('button', { name: 'Inventory' }).click();

    // From the credential: Start playbook… offers the playbooks for API keys.
    await page.getByTestId('credential-rows').getByRole('row').filter({ hasText: 'payments-partner-key' }).click();
    const detail = page.getByRole('complementary', { name: 'Credential detail' });
    await detail.getByRole('button', { name: 'Start playbook…' }).click();
    await expectPage(nav().getByRole('button', { name: 'Playbooks' })).toHaveAttribute('aria-current', 'page');
    const start = page.getByRole('dialog', { name: 'Start a playbook for payments-partner-key' });
    await expectPage(start.getByLabel('Playbook')).toHaveValue(/^leaked-api-key@/);
    const offered = await start.getByLabel('Playbook').locator('option').allTextContents();
    expect(offered.some((name) => name.startsWith('Leaked API key'))).toBe(true);
    expect(offered.some((name) => name.startsWith('Compromised JWT signing key'))).toBe(false);
    await expectPage(start).toContainText('3 recorded locations');
    await start.getByLabel('Incident title').fill('');
    await start.getByRole('button', { name: 'Start run' }).click();
    await expectPage(start.getByText('Name the incident')).toBeVisible();
    await start.getByLabel('Incident title').fill(TITLE);
    await h.screenshot('playbooks-01-start-from-inventory');
    await start.getByRole('button', { name: 'Start run' }).click();

    // The run: one item per recorded location, each naming it.
    await expectPage(runView().getByRole('heading', { name: TITLE })).toBeVisible();
    await expectPage(runView().getByTestId('run-state')).toHaveText('Open');
    const copies = runView().getByRole('article', { name: /^Replace the key in/ });
    await expectPage(copies).toHaveCount(3);
    await expectPage(copies.nth(0).getByRole('heading')).toHaveText('Replace the key in GitHub Actions secret PAYMENTS_KEY (CI variable)');
    await expectPage(copies.nth(1).getByRole('heading')).toHaveText('Replace the key in payments/partner-key (staging) (Kubernetes secret)');
    await expectPage(copies.nth(2).getByRole('heading')).toHaveText('Replace the key in Acme Payments partner portal (partner)');
    await expectPage(runView().getByRole('region', { name: /^Contain/ })).toBeVisible();
    await expectPage(runView().getByRole('region', { name: /^Review/ })).toBeVisible();
    const runId = (h.calls.find((call) => call.channel === 'playbooks:start')!.result as { ok: true; value: RunView }).value.id;

    // Contain and assess: evidence notes, and one step skipped with its reason.
    await complete(/^Record where payments-partner-key was exposed/, 'Commit 9f3c2e1 in github.com/acme/payments-tools, public since 2026-11-23 08:12Z. Reported by GitHub secret scanning.');
    const takeDown = step(/^Take down the exposed copy/);
    await takeDown.getByRole('button', { name: 'Skip…' }).click();
    await expectPage(takeDown.getByRole('button', { name: 'Skip step' })).toBeDisabled();
    await takeDown.getByLabel('Reason for skipping').fill('The repository was already made private by its owner at 08:40Z.');
    await takeDown.getByRole('button', { name: 'Skip step' }).click();
    await expectPage(takeDown).toHaveAttribute('data-state', 'skipped');
    await expectPage(takeDown).toContainText('Skipped: The repository was already made private');
    await complete(/^Find out what payments-partner-key can reach/, 'charges:read on the production account; no IP restriction.');

    // Another window changes the run: the next action here is refused, the run reloads, and it says so.
    const { run: shown } = await h.value<{ run: RunView }>('playbooks:get', { runId });
    await h.value('playbooks:addEvidence', { runId, stepId: 'record-exposure', revision: shown.revision, note: 'Second responder: the commit was also mirrored to a fork.' });
    const assessUse = step(/^Look for use of the key/);
    await assessUse.getByLabel('Evidence note').fill('Stripe request log 08:12Z–now: only our own egress IPs.');
    await assessUse.getByRole('button', { name: 'Mark done', exact: true }).click();
    await expectPage(assessUse.getByRole('alert')).toContainText('another window');
    await expectPage(step(/^Record where/)).toContainText('mirrored to a fork');
    await assessUse.getByRole('button', { name: 'Mark done', exact: true }).click();
    await expectPage(assessUse).toHaveAttribute('data-state', 'done');

    // Rotate: the decision, the new key, each copy.
    const overlap = step(/^Choose how long the old and the new key both work/);
    await expectPage(overlap.getByRole('button', { name: 'Choose' })).toBeDisabled();
    await overlap.getByLabel(/^1 hour/).check();
    await overlap.getByRole('button', { name: 'Choose' }).click();
    await expectPage(overlap).toHaveAttribute('data-state', 'done');
    await expectPage(overlap).toContainText('Chosen: 1 hour');
    await expectPage(step(/^Revoke the old key at Stripe when the overlap ends: 1 hour/)).toBeVisible();
    await complete(/^Create a new API key at Stripe/, 'New key fp recorded in CredOps; same scopes, IP allow-list added.');
    await h.screenshotContent('playbooks-02-run-midway');
    await complete(/^Replace the key in GitHub Actions/, 'PR #882 merged, deploy 14:02Z; health check green.');
    await complete(/^Replace the key in payments\/partner-key/, 'kubectl rollout at 14:10Z; pods healthy.');
    await complete(/^Replace the key in Acme Payments/, 'Acme confirmed by phone (ticket ACME-77) at 14:30Z.');

    // The dry run lists the one automated step left, without making the call.
    await runView().getByRole('button', { name: 'Dry run' }).click();
    const dry = page.getByRole('dialog', { name: 'Dry run' });
    const planned = dry.getByRole('table', { name: /^Calls of Mark payments-partner-key rotated/ }).getByRole('row');
    await expectPage(planned).toHaveCount(2);
    await expectPage(planned.nth(1)).toContainText('VAULT');
    await expectPage(planned.nth(1)).toContainText('Mark "payments-partner-key" rotated in the inventory');
    await h.screenshot('playbooks-03-dry-run');
    await dry.getByRole('button', { name: 'Close' }).click();
    expect((await h.value<{ credential: { lastRotatedAt: string | null } }>('credentials:get', { id: shown.credentialId })).credential.lastRotatedAt).toBeNull();

    // The automated step: run, verified in the inventory.
    const mark = step(/^Mark payments-partner-key rotated in the inventory/);
    await mark.getByRole('button', { name: 'Run', exact: true }).click();
    await expectPage(mark).toHaveAttribute('data-state', 'done');
    await expectPage(mark.getByTestId('step-result')).toContainText('Verified: "payments-partner-key" marked rotated in the inventory.');
    expect((await h.value<{ credential: { lastRotatedAt: string | null } }>('credentials:get', { id: shown.credentialId })).credential.lastRotatedAt).not.toBeNull();

    // Revoke: the step cannot be undone, so marking it done asks first, naming what it records.
    const revoke = step(/^Revoke the old key at Stripe/);
    await expectPage(revoke).toContainText('cannot be undone');
    await revoke.getByLabel('Evidence note').fill('Old key deleted in the Stripe dashboard at 15:31Z after the 1 hour overlap; last use 14:29Z from our egress.');
    await revoke.getByRole('button', { name: 'Mark done…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Mark this step done? It cannot be undone.' });
    await expectPage(confirm).toContainText('Revoke the old key at Stripe');
    await expectPage(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await h.screenshot('playbooks-04-confirm');
    await page.keyboard.press('Escape');
    await expectPage(confirm).toHaveCount(0);
    await expectPage(revoke).toHaveAttribute('data-state', 'pending');
    await revoke.getByRole('button', { name: 'Mark done…' }).click();
    await confirm.getByRole('button', { name: 'Mark done' }).click();
    await expectPage(revoke).toHaveAttribute('data-state', 'done');

    // Verify, monitor, review: the run completes.
    await complete(/^Prove the old key is refused/, 'GET /v1/balance with the old key: 401 at 15:33Z.');
    await complete(/^Watch for attempts with the old key/, 'Datadog monitor "old stripe key 401s" until 2026-11-30.');
    await complete(/^Hold the post-incident review/, 'Review on 2026-11-25; follow-ups: push protection (owner: platform), key from secret manager (owner: payments).');
    await expectPage(runView().getByTestId('run-state')).toHaveText('Completed');
    await expectPage(runView().getByRole('progressbar', { name: 'Run progress' })).toHaveAttribute('value', '14');
    const timeline = runView().getByRole('complementary', { name: 'Timeline' });
    await expectPage(timeline.getByRole('listitem').first()).toContainText('Run completed');
    await expectPage(timeline).toContainText('1–18 of 18');
    await expectPage(timeline.getByRole('button', { name: 'Older' })).toHaveCount(0);
    // Notes added later (from another window) page the timeline, newest first.
    for (let i = 1; i <= 8; i++) {
      const { run: now } = await h.value<{ run: RunView }>('playbooks:get', { runId });
      await h.value('playbooks:addEvidence', { runId, stepId: 'review', revision: now.revision, note: `Follow-up ${i} filed.` });
    }
    await runView().getByRole('button', { name: 'Reload' }).click();
    await expectPage(timeline).toContainText('1–25 of 26');
    await expectPage(timeline.getByRole('listitem').first()).toContainText('Follow-up 8 filed.');
    await timeline.getByRole('button', { name: 'Older' }).click();
    await expectPage(timeline.getByRole('listitem').last()).toContainText('Run started');
    await timeline.getByRole('button', { name: 'Newer' }).click();
    await expectPage(runView().getByRole('button', { name: 'Abandon…' })).toHaveCount(0);
    await h.screenshotContent('playbooks-05-completed');

    // The report, saved through main: every location named, the secret nowhere.
    const markdown = join(h.platform.userDataDir, 'inc-3107.md');
    h.platform.chosenFiles.push(markdown);
    await runView().getByRole('button', { name: 'Export report…' }).click();
    await expectPage(runView().getByRole('status').filter({ hasText: 'Saved the report to inc-3107.md.' })).toBeVisible();
    const report = readFileSync(markdown, 'utf8').replace(/\\(.)/g, '$1');
    for (const location of LOCATIONS) expect(report).toContain(location.label);
    expect(report).toContain(TITLE);
    expect(report).toContain('Old key deleted in the Stripe dashboard');
    expect(report).toMatch(/fp:[0-9a-f]{4}:/);
    expect(report).not.toContain(SECRET);
    const html = join(h.platform.userDataDir, 'inc-3107.html');
    h.platform.chosenFiles.push(html);
    await runView().getByLabel('Report format').selectOption('html');
    await runView().getByRole('button', { name: 'Export report…' }).click();
    await expectPage(runView().getByRole('status').filter({ hasText: 'Saved the report to inc-3107.html.' })).toBeVisible();
    expect(readFileSync(html, 'utf8')).not.toContain(SECRET);

    // The printable page: the core's HTML in a frame that runs no script, styled, with Print.
    await runView().getByRole('button', { name: 'Printable page' }).click();
    const printable = page.getByRole('dialog', { name: 'Printable page' });
    const frame = printable.frameLocator('iframe');
    await expectPage(frame.getByRole('heading', { level: 1 })).toContainText(TITLE);
    for (const location of LOCATIONS) await expectPage(frame.locator('body')).toContainText(location.label);
    await expectPage(printable.getByRole('button', { name: 'Print…' })).toBeEnabled();
    const frameFacts = await printable.locator('iframe').evaluate((element: HTMLIFrameElement) => ({
      sandbox: element.getAttribute('sandbox'),
      heading: getComputedStyle(element.contentDocument!.querySelector('h2')!).borderBottomStyle,
      scripts: element.contentDocument!.querySelectorAll('script').length,
      text: element.contentDocument!.body.innerText,
    }));
    expect(frameFacts.sandbox).toBe('allow-same-origin allow-modals');
    expect(frameFacts.heading).toBe('solid');
    expect(frameFacts.scripts).toBe(0);
    expect(frameFacts.text).not.toContain(SECRET);
    await page.setViewportSize({ width: 1280, height: 1300 });
    await h.screenshot('playbooks-06-printable');
    await page.setViewportSize({ width: 1280, height: 800 });
    await printable.getByRole('button', { name: 'Close' }).click();

    // Back in the library, the run is listed as completed.
    await runView().getByRole('button', { name: '← Library' }).click();
    const runs = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: TITLE });
    await expectPage(runs).toContainText('Completed');
    await expectPage(runs).toContainText('14/14');
    await expectPage(runs).toContainText('payments-partner-key');
    await h.screenshotContent('playbooks-07-library');
    expect(await page.locator('body').innerText()).not.toContain(SECRET);
    expect(h.pageErrors).toEqual([]);
  });

  it('refuses an invalid template with its line and reason, imports a valid one, exports a template and starts a blank run', async () => {
    const { page } = h;
    await nav().getByRole('button', { name: 'Playbooks' }).click();
    const templates = page.getByRole('table', { name: 'Playbook templates' });
    await expectPage(templates.getByRole('row', { name: /Leaked API key/ })).toContainText('Contain → Assess → Rotate → Revoke → Verify → Monitor → Review');
    await expectPage(templates.getByRole('row', { name: /Leaked API key/ })).toContainText('API key, Service token');
    await expectPage(page.getByText('No run yet.')).toBeVisible();

    const bad = join(h.platform.userDataDir, 'broken.yaml');
    writeFileSync(bad, ['id: vendor-key', 'version: 1', 'name: Vendor key', 'steps:', '  - id: tell-vendor', '    phase: notify', '    kind: manual', '    title: Tell the vendor', ''].join('\n'));
    h.platform.chosenFiles.push(bad);
    await page.getByRole('button', { name: 'Import template…' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Not imported.' });
    await expectPage(refusal).toContainText('broken.yaml line 6');
    await expectPage(refusal).toContainText('phase');
    await h.screenshotContent('playbooks-08-import-refused');

    const good = join(h.platform.userDataDir, 'vendor-key.yaml');
    writeFileSync(
      good,
      [
        'id: vendor-key',
        'version: 2',
        'name: Vendor key handover',
        'steps:',
        '  - id: tell-vendor',
        '    phase: contain',
        '    kind: manual',
        '    title: Tell the vendor the key leaked',
        '  - id: confirm-removed',
        '    phase: verify',
        '    kind: manual',
        '    forEachLocation: true',
        '    title: Confirm {{location.description}} no longer holds the key',
        '',
      ].join('\n'),
    );
    h.platform.chosenFiles.push(good);
    await page.getByRole('button', { name: 'Import template…' }).click();
    await expectPage(page.getByRole('status').filter({ hasText: 'Imported Vendor key handover v2.' })).toBeVisible();
    await expectPage(refusal).toHaveCount(0);
    const imported = templates.getByRole('row', { name: /Vendor key handover/ });
    await expectPage(imported).toContainText('imported');
    await expectPage(imported).toContainText('Contain → Verify');
    await expectPage(imported).toContainText('any credential, or none');

    const exported = join(h.platform.userDataDir, 'api-key-copy.yaml');
    h.platform.chosenFiles.push(exported);
    await templates.getByRole('button', { name: /^Export Leaked API key v\d+$/ }).click();
    await expectPage(page.getByRole('status').filter({ hasText: /Exported Leaked API key v\d+ to api-key-copy.yaml./ })).toBeVisible();
    expect(readFileSync(exported, 'utf8')).toContain('id: leaked-api-key');

    // A blank run: no credential, so the per-location step asks to find every copy.
    await imported.getByRole('button', { name: 'Start a run of Vendor key handover' }).click();
    const start = page.getByRole('dialog', { name: 'Start a run of Vendor key handover' });
    await expectPage(start.getByLabel('Credential', { exact: true })).toHaveValue('');
    await expectPage(start.getByLabel('Server for the automated steps')).toHaveCount(0);
    await start.getByLabel('Incident title').fill('Vendor rehearsal');
    await start.getByRole('button', { name: 'Start run' }).click();
    const run = page.getByRole('article', { name: 'Vendor rehearsal' });
    await expectPage(run).toContainText('no credential (blank run)');
    await expectPage(run.getByRole('article')).toHaveCount(2);
    await expectPage(run.getByRole('article', { name: 'Confirm every place a copy is stored no longer holds the key' })).toBeVisible();

    // Abandoned with a reason: nothing in it can change afterwards.
    await run.getByRole('button', { name: 'Abandon…' }).click();
    const abandon = page.getByRole('dialog', { name: 'Abandon this run?' });
    await abandon.getByRole('button', { name: 'Abandon run' }).click();
    await expectPage(abandon.getByRole('alert')).toContainText('Say why the run is abandoned');
    await abandon.getByLabel('Reason for abandoning').fill('Rehearsal only.');
    await abandon.getByRole('button', { name: 'Abandon run' }).click();
    await expectPage(run.getByTestId('run-state')).toHaveText('Abandoned');
    await expectPage(run.getByLabel('Evidence note')).toHaveCount(0);
    await expectPage(run.getByRole('complementary', { name: 'Timeline' }).getByRole('listitem').first()).toContainText('Rehearsal only.');
    expect(h.pageErrors).toEqual([]);
  });
  it('revokes pasted tokens at the lab server after a confirmation naming each call, verifies them inactive, and shows a failed check with Retry when the server is down', async () => {
    const { page } = h;
    let lab: Lab | null = await startLab({ port: 0 });
    try {
      const server = await h.value<{ id: string }>('servers:add', {
        fields: { name: 'Lab', issuer: lab.issuer, provider: 'oauth', realm: null, clientId: lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null },
        clientSecret: lab.clients.admin.clientSecret,
      });
      await h.value('servers:test', { id: server.id });
      const tokens = await lab.issueOpaqueAccessTokens(3);

      await nav().getByRole('button', { name: 'Playbooks' }).click();
      await page.getByRole('button', { name: 'Start a run of Compromised user sessions' }).click();
      const start = page.getByRole('dialog', { name: 'Start a run of Compromised user sessions' });
      await start.getByLabel('Server for the automated steps').selectOption({ label: `Lab (${lab.issuer})` });
      await start.getByLabel('Incident title').fill('INC-3120 stolen session cookies');
      await start.getByRole('button', { name: 'Start run' }).click();
      const run = page.getByRole('article', { name: 'INC-3120 stolen session cookies' });
      await expectPage(run).toContainText('server Lab');

      // A destructive automated step: Run… parks it and asks, naming every call; nothing is sent before Confirm.
      const revoke = run.getByRole('article', { name: 'Revoke the refresh and offline tokens of those sessions' });
      await revoke.getByLabel('Tokens, one per line').fill(tokens.join('\n'));
      await expectPage(revoke).toContainText('3 pasted.');
      await revoke.getByRole('button', { name: 'Run…' }).click();
      const confirm = page.getByRole('dialog', { name: 'Run this step? It cannot be undone.' });
      const calls = confirm.getByRole('table', { name: 'Calls this step makes' }).getByRole('row');
      await expectPage(calls).toHaveCount(3);
      await expectPage(calls.nth(1)).toContainText('POST');
      await expectPage(calls.nth(1)).toContainText(`${lab.issuer}`);
      await expectPage(calls.nth(1)).toContainText('Revoke each token');
      await expectPage(calls.nth(1).getByRole('cell').last()).toHaveText('3');
      await expectPage(confirm).toContainText('3 pasted tokens');
      await expectPage(revoke).toHaveAttribute('data-state', 'awaiting_confirmation');
      expect((await h.value<{ active: boolean }>('servers:introspect', { serverId: server.id, token: tokens[0], hint: null })).active).toBe(true);
      await h.screenshot('playbooks-09-confirm-automated');
      await confirm.getByRole('button', { name: 'Confirm and run' }).click();
      await expectPage(revoke).toHaveAttribute('data-state', 'done', { timeout: 20_000 });
      await expectPage(revoke.getByTestId('step-result')).toContainText('Verified: All 3 tokens ended');
      for (const token of tokens) expect((await h.value<{ active: boolean }>('servers:introspect', { serverId: server.id, token, hint: null })).active).toBe(false);
      expect(await page.locator('body').innerText()).not.toContain(tokens[0]);

      // The server goes away: the check fails with the reason, is not marked done, and offers Retry.
      await lab.close();
      lab = null;
      const check = run.getByRole('article', { name: 'Confirm each revoked token is inactive' });
      await check.getByLabel('Tokens, one per line').fill(tokens.join('\n'));
      await check.getByRole('button', { name: 'Run', exact: true }).click();
      await expectPage(check).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
      await expectPage(check.getByTestId('step-result')).toContainText('Failed:');
      await expectPage(check.getByRole('button', { name: 'Retry' })).toBeVisible();
      await h.screenshotContent('playbooks-10-failed-retry');

      // The failed check is still to do: the dry run plans it again, and nothing counts it done.
      await run.getByRole('button', { name: 'Dry run' }).click();
      const dry = page.getByRole('dialog', { name: 'Dry run' });
      await expectPage(dry.getByRole('region', { name: 'Confirm each revoked token is inactive' })).toContainText('POST');
      await dry.getByRole('button', { name: 'Close' }).click();
      expect(h.pageErrors).toEqual([]);
    } finally {
      await lab?.close();
    }
  });
  it('shows a step left running by a crash as interrupted, and resumes it after checking', async () => {
    const { page } = h;
    const credential = await h.value<{ id: string }>('credentials:create', { fields: sampleCredential({ name: 'ledger-api-key', locations: LOCATIONS.slice(0, 1) }), secret: SECRET });
    const started = await h.value<RunView>('playbooks:start', { templateId: 'leaked-api-key', credentialId: credential.id, serverId: null, title: 'INC-3188 ledger key in a log' });
    // Stage the crash: the step was journalled running, and no process is executing it any more.
    const vault = h.core.vault.require();
    const stored = readRun(vault, started.id);
    stored.steps.find((s) => s.id === 'mark-rotated')!.state = 'running';
    stored.revision += 1;
    vault.write(() => updateRun(vault, stored, new Date().toISOString()));

    await nav().getByRole('button', { name: 'Playbooks' }).click();
    const listed = page.getByRole('table', { name: 'Runs' }).getByRole('row').filter({ hasText: 'INC-3188' });
    await expectPage(listed).toContainText('Open · interrupted');
    await listed.getByRole('button', { name: 'INC-3188 ledger key in a log' }).click();
    const run = page.getByRole('article', { name: 'INC-3188 ledger key in a log' });
    await expectPage(run).toContainText('1 interrupted');
    const mark = run.getByRole('article', { name: 'Mark ledger-api-key rotated in the inventory' });
    await expectPage(mark).toContainText('Interrupted — CredOps checks the server before running it again');
    await h.screenshotContent('playbooks-11-interrupted');
    await mark.getByRole('button', { name: 'Resume' }).click();
    await expectPage(mark).toHaveAttribute('data-state', 'done');
    await expectPage(mark.getByTestId('step-result')).toContainText('marked rotated in the inventory');
    await expectPage(mark).not.toContainText('Interrupted —');
    await expectPage(run.getByRole('complementary', { name: 'Timeline' })).toContainText('Resumed');
    expect(h.pageErrors).toEqual([]);
  });
});
