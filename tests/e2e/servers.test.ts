import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expect as expectPage } from '@playwright/test';
import { startLab, type Lab } from '../../lab/lab';
import { sampleCredential } from '../support/sample-credential';
import { STRONG_PASSPHRASE } from '../support/test-platform';
import { createVaultInUi, startHarness, type Harness } from './harness';

let h: Harness;
let lab: Lab;

beforeEach(async () => {
  lab = await startLab({ port: 0 });
  h = await startHarness();
  await createVaultInUi(h, STRONG_PASSPHRASE);
});

afterEach(async () => {
  await h?.close();
  await lab?.close();
});

describe('servers', () => {
  it('adds the lab server, tests it, reads its keys, introspects and revokes tokens, bulk-revokes 200 and ends a session', async () => {
    const { page } = h;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    await expectPage(page.getByText('No servers yet.')).toBeVisible();

    // Add the lab as a Keycloak realm, validated as typed with the contract's schema.
    await page.getByRole('button', { name: 'Add server' }).click();
    const form = page.getByRole('dialog', { name: 'Add a server' });
    await form.getByLabel('Name').fill('Lab realm');
    await form.getByLabel('Issuer URL').fill('http://auth.example.com/realms/lab');
    await expectPage(form.getByText('The issuer must be an https URL')).toBeVisible();
    await form.getByLabel('Issuer URL').fill(lab.issuer);
    await expectPage(form.getByText('The issuer must be an https URL')).toHaveCount(0);
    await form.getByLabel('Provider kind').selectOption('keycloak');
    await form.getByRole('button', { name: 'Add server' }).click();
    await expectPage(form.getByText('Name the Keycloak realm')).toBeVisible();
    await form.getByLabel('Realm').fill(lab.realm);
    await form.getByLabel('Admin client id').fill(lab.clients.admin.clientId);
    await form.getByLabel('Client authentication').selectOption('client_secret_basic');
    await form.getByLabel('Client secret', { exact: true }).fill(lab.clients.admin.clientSecret!);
    expect(await form.getByLabel('Client secret', { exact: true }).getAttribute('type')).toBe('password');
    await h.screenshot('servers-01-add-form');
    await form.getByRole('button', { name: 'Add server' }).click();
    await expectPage(page.getByRole('status').filter({ hasText: 'Added Lab realm.' })).toBeVisible();
    const detail = page.getByRole('article', { name: 'Lab realm' });
    await expectPage(detail.getByRole('tab')).toHaveText(['Connection', 'JWKS', 'Token', 'Bulk revoke', 'Sessions']);

    // Connection: discovery and every check passes.
    await detail.getByRole('button', { name: 'Test connection' }).click();
    await expectPage(detail.getByTestId('connection-verdict')).toHaveText(/^All \d+ checks passed\.$/);
    const checks = detail.getByRole('region', { name: 'Checks' }).getByRole('row');
    for (const name of ['Discovery', 'JWKS', 'Admin client']) await expectPage(checks.filter({ hasText: name })).toContainText('OK');
    await expectPage(detail.getByRole('region', { name: 'Discovery' })).toContainText(lab.issuer);
    await h.screenshotContent('servers-02-connection');

    // JWKS: the keys the test fetched, with RFC 7638 thumbprints; Refresh asks again.
    // Tabs follow the arrow keys.
    await detail.getByRole('tab', { name: 'Connection' }).press('ArrowRight');
    await expectPage(detail.getByRole('tab', { name: 'JWKS' })).toBeFocused();
    await expectPage(detail.getByRole('tab', { name: 'JWKS' })).toHaveAttribute('aria-selected', 'true');
    const keys = detail.getByRole('region', { name: 'Published keys' }).getByRole('row');
    await expectPage(keys.nth(1)).toContainText(/[A-Za-z0-9_-]{43}/);
    await detail.getByRole('button', { name: 'Refresh' }).click();
    await expectPage(detail.getByRole('region', { name: 'Key history' }).getByRole('listitem').first()).toContainText('appeared');
    await h.screenshotContent('servers-03-jwks');

    // Token: an opaque access token is active; revoked, it is confirmed inactive.
    const user = await lab.issueUserTokens();
    await detail.getByRole('tab', { name: 'Token' }).click();
    await detail.getByRole('textbox', { name: 'Token', exact: true }).fill(user.accessToken);
    await detail.getByLabel('Token type hint').selectOption('access_token');
    await detail.getByRole('button', { name: 'Introspect' }).click();
    await expectPage(detail.getByTestId('introspection-verdict')).toContainText('Active');
    await expectPage(detail.getByRole('region', { name: 'Introspection' }).getByRole('row', { name: /^client_id/ })).toContainText(lab.clients.app.clientId);
    // Times and meanings are the screen's, as in the Inspector: exp in UTC, local and relative, kept true.
    await expectPage(detail.getByTestId('introspection-verdict')).toContainText(/The server accepted this token when asked\. It expires in \d+ (s|min|h)\./);
    const expRow = detail.getByRole('region', { name: 'Introspection' }).getByRole('row', { name: /^exp/ });
    await expectPage(expRow).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · .+ local · in \d+/);
    await expectPage(expRow).toContainText('Expiration time');
    await h.screenshotContent('servers-04-introspect');
    await detail.getByRole('button', { name: 'Revoke…' }).click();
    const revokeDialog = page.getByRole('dialog', { name: 'Revoke this token?' });
    await revokeDialog.getByRole('button', { name: 'Revoke token' }).click();
    await expectPage(detail.getByTestId('revocation-verdict')).toContainText('Revoked: confirmed inactive');
    await detail.getByRole('button', { name: 'Introspect' }).click();
    await expectPage(detail.getByTestId('introspection-verdict')).toContainText('Inactive');

    // A JWT access token cannot be revoked at oidc-provider: the screen explains what to do instead.
    await detail.getByRole('textbox', { name: 'Token', exact: true }).fill(user.jwtAccessToken);
    await detail.getByRole('button', { name: 'Revoke…' }).click();
    await page.getByRole('dialog', { name: 'Revoke this token?' }).getByRole('button', { name: 'Revoke token' }).click();
    const revocation = detail.getByRole('region', { name: 'Revocation' });
    await expectPage(detail.getByTestId('revocation-verdict')).toContainText('Not revocable here');
    await expectPage(revocation).toContainText(/Stops being accepted at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in \d+ (s|min)\)/);
    await expectPage(revocation.getByRole('listitem')).toHaveCount(3);
    await h.screenshotContent('servers-05-revoke-unsupported');

    // The pasted token is forgotten when the tab is left.
    await detail.getByRole('tab', { name: 'Bulk revoke' }).click();
    await detail.getByRole('tab', { name: 'Token' }).click();
    await expectPage(detail.getByRole('textbox', { name: 'Token', exact: true })).toHaveValue('');

    // Bulk: 200 opaque tokens, revoked and each verified inactive.
    const tokens = await lab.issueOpaqueAccessTokens(200);
    await detail.getByRole('tab', { name: 'Bulk revoke' }).click();
    await h.paste(detail.getByLabel('Tokens, one per line'), tokens.join('\n'));
    await expectPage(detail.getByText('200 tokens', { exact: true })).toBeVisible();
    await detail.getByLabel('Job label').fill('INC-2041 leaked batch');
    await detail.getByRole('button', { name: 'Start…' }).click();
    const startDialog = page.getByRole('dialog', { name: 'Revoke 200 tokens at Lab realm?' });
    await h.screenshot('servers-06a-bulk-confirm');
    await startDialog.getByRole('button', { name: 'Start revoking 200' }).click();
    await expectPage(detail.getByLabel('Tokens, one per line')).toHaveValue('');
    const progress = detail.getByRole('progressbar', { name: 'Bulk revocation progress' });
    await expectPage(progress).toBeVisible();
    await expectPage(progress).toHaveAttribute('max', '200');
    await expectPage(progress).toHaveAttribute('value', '200', { timeout: 30_000 });
    await expectPage(detail.getByTestId('bulk-progress-text')).toHaveText('200 / 200');
    await expectPage(detail.getByTestId('bulk-job-state')).toHaveText('Finished', { timeout: 30_000 });
    const counts = detail.getByRole('list', { name: 'Counts by state' }).getByRole('listitem');
    await expectPage(counts.filter({ hasText: 'Inactive (verified)' })).toHaveText(/Inactive \(verified\)\s*200/);
    await expectPage(counts.filter({ hasText: 'Still active' })).toHaveText(/Still active\s*0/);
    await expectPage(detail.getByRole('region', { name: 'Earlier jobs' }).getByRole('row', { name: /INC-2041 leaked batch/ })).toContainText('Finished');
    const pollsAtEnd = h.calls.filter((c) => c.channel === 'servers:bulkStatus').length;
    await page.waitForTimeout(1_000);
    expect(h.calls.filter((c) => c.channel === 'servers:bulkStatus').length, 'polling stops when the job ends').toBe(pollsAtEnd);
    await h.screenshotContent('servers-06-bulk');

    // Sessions: find alice, end one of her sessions.
    await detail.getByRole('tab', { name: 'Sessions' }).click();
    await detail.getByLabel('User name').fill('alice');
    await detail.getByRole('button', { name: 'Find users' }).click();
    const sessions = detail.getByRole('region', { name: 'Sessions of alice' });
    const rows = sessions.getByRole('row');
    await expectPage(rows.nth(1)).toBeVisible();
    const before = (await rows.count()) - 1;
    expect(before).toBeGreaterThan(0);
    await expectPage(rows.nth(1)).toContainText(lab.clients.app.clientId);
    await expectPage(detail.getByRole('region', { name: 'Realm keys' }).getByRole('row').nth(1)).toBeVisible();
    await h.screenshotContent('servers-07-sessions');
    await rows.nth(1).getByRole('button', { name: 'End session' }).click();
    const endDialog = page.getByRole('dialog', { name: 'End this session of alice?' });
    await expectPage(endDialog).toContainText('Its refresh tokens stop working');
    await endDialog.getByRole('button', { name: 'End session' }).click();
    await expectPage(sessions.getByRole('status')).toContainText('Ended the session');
    await expectPage(rows).toHaveCount(before === 1 ? 0 : before);
    await h.screenshotContent('servers-08-session-ended');

    // An answer left open past the token's expiry says it is out of date: the page's clock jumps an hour.
    const late = await lab.issueUserTokens();
    await detail.getByRole('tab', { name: 'Token' }).click();
    await page.clock.install();
    await detail.getByRole('textbox', { name: 'Token', exact: true }).fill(late.accessToken);
    await detail.getByRole('button', { name: 'Introspect' }).click();
    await expectPage(detail.getByTestId('introspection-verdict')).toContainText(/The server accepted this token when asked\. It expires in (59|60) min\./);
    await page.clock.fastForward(61 * 60_000);
    await expectPage(detail.getByTestId('introspection-verdict')).toContainText(/^Active when asked, expired sinceThe server accepted this token when asked\. Its expiry passed \d+ (s|min) ago: introspect again to see whether the server still accepts it\.$/);
    await h.screenshotContent('servers-12-introspection-stale');

    // Edit keeps the stored secret; delete asks first, and the list is empty again.
    await detail.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Lab realm' });
    await expectPage(edit.getByLabel('Replace the client secret')).toHaveValue('');
    await edit.getByLabel('Name').fill('Lab realm (staging)');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expectPage(page.getByRole('navigation', { name: 'Server list' }).getByRole('button')).toHaveText([/^Lab realm \(staging\)/]);
    const renamed = page.getByRole('article', { name: 'Lab realm (staging)' });
    await renamed.getByRole('tab', { name: 'Connection' }).click();
    await renamed.getByRole('button', { name: 'Test connection' }).click();
    await expectPage(page.getByTestId('connection-verdict')).toHaveText(/^All \d+ checks passed\.$/);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('dialog', { name: 'Delete Lab realm (staging)?' }).getByRole('button', { name: 'Delete server' }).click();
    await expectPage(page.getByText('No servers yet.')).toBeVisible();

    expect(h.pageErrors).toEqual([]);
  });

  it('bulk-revokes tokens picked from the inventory with pasted ones, pauses, resumes and cancels; the Inspector verifies against the saved JWKS', async () => {
    const { page } = h;
    const invoke = async <T,>(channel: string, input: unknown): Promise<T> => {
      const result = await h.core.router.invoke(channel, input);
      if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
      return result.value as T;
    };
    const [kept1, kept2] = await lab.issueOpaqueAccessTokens(2);
    for (const [name, secret] of [['ci-deploy-token', kept1], ['partner-refresh', kept2]] as const) {
      await invoke('credentials:create', { fields: sampleCredential({ name, kind: 'service_token', environment: 'production' }), secret });
    }
    const server = await invoke<{ id: string }>('servers:add', {
      fields: { name: 'Lab', issuer: lab.issuer, provider: 'oauth', realm: null, clientId: lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null },
      clientSecret: lab.clients.admin.clientSecret,
    });
    await invoke('servers:test', { id: server.id });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Servers' }).click();
    const detail = page.getByRole('article', { name: 'Lab' });
    await detail.getByRole('tab', { name: 'Bulk revoke' }).click();
    const picker = detail.getByRole('group', { name: 'Or tokens from the inventory' });
    await picker.getByLabel(/ci-deploy-token/).check();
    await picker.getByLabel(/partner-refresh/).check();
    const pasted = await lab.issueOpaqueAccessTokens(2500);
    await h.paste(detail.getByLabel('Tokens, one per line'), pasted.join('\n'));
    await expectPage(detail.getByText('2,500 tokens', { exact: true })).toBeVisible();
    await detail.getByLabel('Job label').fill('INC-2042');
    await h.screenshotContent('servers-09-bulk-inventory');
    await detail.getByRole('button', { name: 'Start…' }).click();
    const startDialog = page.getByRole('dialog', { name: 'Revoke 2,502 tokens at Lab?' });
    await expectPage(startDialog).toContainText('2500 pasted, 2 from the inventory');
    await startDialog.getByRole('button', { name: 'Start revoking 2,502' }).click();

    const state = detail.getByTestId('bulk-job-state');
    await expectPage(state).toHaveText('Running');
    await detail.getByRole('button', { name: 'Pause' }).click();
    await expectPage(state).toHaveText('Paused');
    const counts = detail.getByRole('list', { name: 'Counts by state' }).getByRole('listitem');
    await expectPage(counts.filter({ hasText: 'Sending' })).toHaveText(/Sending\s*0/);
    await detail.getByRole('button', { name: 'Resume' }).click();
    await expectPage(state).toHaveText('Running');
    await detail.getByRole('button', { name: 'Cancel job…' }).click();
    await page.getByRole('dialog', { name: 'Cancel “INC-2042”?' }).getByRole('button', { name: 'Cancel job' }).click();
    await expectPage(state).toHaveText('Cancelled');
    // Cancelled tokens were never sent: the bar shows only what was handled, not a full job.
    const [handled, total] = (await detail.getByTestId('bulk-progress-text').textContent())!.split(' / ').map(Number);
    expect(total).toBe(2502);
    expect(handled).toBeLessThan(2502);
    await h.screenshotContent('servers-10-bulk-cancelled');
    const jobs = await invoke<{ jobs: { total: number; counts: Record<string, number>; state: string }[] }>('servers:bulkList', { serverId: server.id });
    expect(jobs.jobs[0].state).toBe('cancelled');
    expect(Object.values(jobs.jobs[0].counts).reduce((a, b) => a + b, 0)).toBe(2502);
    expect(jobs.jobs[0].counts.cancelled).toBeGreaterThan(0);
    // What the server acknowledged before the cancel was never checked, and the count says so.
    await expectPage(counts.filter({ hasText: 'Acknowledged' })).toHaveText(new RegExp(`Acknowledged, not verified\\s*${jobs.jobs[0].counts.acknowledged ?? 0}`));
    // The inventory tokens went first and were revoked: the server now calls them inactive.
    const introspected = await invoke<{ active: boolean }>('servers:introspect', { serverId: server.id, token: kept1, hint: null });
    expect(introspected.active).toBe(false);

    // The Inspector verifies a lab JWT against the server's JWKS as last fetched, without fetching.
    const { jwtAccessToken } = await lab.issueUserTokens();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Inspector' }).click();
    await page.getByLabel('Token').fill(jwtAccessToken);
    const before = h.calls.length;
    await page.getByLabel('Key source').selectOption('server');
    await page.getByLabel('Saved server').selectOption({ label: `Lab (${lab.issuer})` });
    await expectPage(page.getByTestId('verdict')).toContainText('Valid');
    await expectPage(page.getByRole('region', { name: 'Signature' })).toContainText('Lab JWKS key');
    expect(h.calls.slice(before).map((c) => c.channel)).not.toContain('servers:refreshJwks');
    await h.screenshot('servers-11-inspector-saved-jwks');
    expect(h.pageErrors).toEqual([]);
  });
});
