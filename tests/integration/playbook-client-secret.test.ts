/**
 * The leaked-OAuth-client-secret playbook end to end, through the router, against the lab's real
 * oidc-provider: tokens minted with the leaked secret during the exposure window, the secret
 * regenerated at the server (Keycloak admin API) into the credential, the window's tokens revoked
 * and each proven inactive, the old secret proven refused, the credential marked rotated, and the
 * report written without a secret in it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from '../../lab/lab';
import type { RunView, TimelineEvent } from '../../shared/playbooks';
import { sampleCredential } from '../support/sample-credential';
import { useCoreWithVault } from '../support/core-with-vault';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ port: 0 });
});
afterAll(() => lab.close());
const t = useCoreWithVault();
const { value } = t;


/** What an attacker holding the leaked secret does: client_credentials with it, straight at the token endpoint. */
async function mintWithSecret(clientId: string, clientSecret: string): Promise<{ status: number; token: string | null; error: string | null }> {
  const response = await fetch(`${lab.issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  const json = (await response.json()) as { access_token?: string; error?: string };
  return { status: response.status, token: json.access_token ?? null, error: json.error ?? null };
}

describe('the leaked OAuth client secret playbook against the lab', () => {
  it('rotates, revokes the exposure window, verifies each token inactive and the old secret refused, and reports without a secret', async () => {
    const server = await value<{ id: string }>('servers:add', {
      fields: { name: 'Lab', issuer: lab.issuer, provider: 'keycloak', realm: lab.realm, clientId: lab.clients.admin.clientId, authMethod: 'client_secret_basic', signingCredentialId: null, extraCaPem: null },
      clientSecret: lab.clients.admin.clientSecret,
    });
    const post = lab.clients.post;
    const leaked = post.clientSecret!;
    const credential = await value<{ id: string; fingerprint: string }>('credentials:create', {
      fields: sampleCredential({
        name: 'orders-service-client',
        kind: 'oauth_client',
        provider: 'own_auth_server',
        clientId: post.clientId,
        locations: [
          { kind: 'ci_variable', label: 'GitHub Actions ORDERS_CLIENT_SECRET', environment: 'production', confirmedAt: null },
          { kind: 'kubernetes_secret', label: 'orders/oauth-client', environment: 'staging', confirmedAt: null },
        ],
      }),
      secret: leaked,
    });

    // The exposure window: the attacker (and the service) mint tokens with the leaked secret.
    const window = await Promise.all([1, 2, 3].map(() => mintWithSecret(post.clientId, leaked)));
    const tokens = window.map((answer) => answer.token!);
    expect(tokens.every(Boolean)).toBe(true);

    const { templates } = await value<{ templates: { template: { id: string; name: string } }[] }>('playbooks:listTemplates', {});
    expect(templates.map((t) => t.template.id)).toContain('leaked-client-secret');
    let run = await value<RunView>('playbooks:start', { templateId: 'leaked-client-secret', credentialId: credential.id, serverId: server.id, title: 'Orders client secret in a public gist' });
    expect(run.recorded.oldSecretFingerprint).toBe(credential.fingerprint);
    // One checklist item per recorded location, so no copy is forgotten.
    const copies = run.steps.filter((step) => step.templateStepId === 'replace-copy');
    expect(copies.map((step) => step.title)).toEqual([
      'Put the new secret in GitHub Actions ORDERS_CLIENT_SECRET (CI variable)',
      'Put the new secret in orders/oauth-client (staging) (Kubernetes secret)',
    ]);

    const act = async (channel: string, stepId: string, extra: Record<string, unknown> = {}) => {
      run = await value<RunView>(channel, { runId: run.id, stepId, revision: run.revision, ...extra });
      return run.steps.find((step) => step.id === stepId)!;
    };

    for (const step of [...run.steps]) {
      if (step.kind === 'decision') {
        await act('playbooks:decide', step.id, { value: step.options![0].value });
        continue;
      }
      if (step.kind === 'manual') {
        if (step.id === 'regenerate-secret') {
          // Keycloak admin: the new secret goes straight into the credential, which is marked rotated.
          const regenerated = await value<{ fingerprint: string; savedTo: string }>('sessions:regenerateSecret', { serverId: server.id, clientId: post.clientId, credentialId: credential.id });
          expect(regenerated.fingerprint).not.toBe(credential.fingerprint);
          expect(lab.clients.post.clientSecret).not.toBe(leaked);
        }
        const done = await act('playbooks:completeStep', step.id, { evidence: `Done for ${step.title}.` });
        expect(done.state).toBe('done');
        continue;
      }
      if (step.action === 'revokeTokens') {
        // Destructive: without confirmation it only waits for it, and nothing is sent.
        expect((await act('playbooks:runStep', step.id, { confirm: false, input: { tokens } })).state).toBe('awaiting_confirmation');
        // The tokens are sealed into the run while it waits: confirming does not need them again.
        expect(run.recorded.tokens).toBe(3);
        const revoked = await act('playbooks:runStep', step.id, { confirm: true });
        expect(revoked.result).toMatchObject({ ok: true });
        expect(revoked.state).toBe('done');
        continue;
      }
      const done = await act('playbooks:runStep', step.id, { confirm: step.destructive });
      expect(done.result?.summary, step.id).toBeTruthy();
      expect(done.state, `${step.id}: ${done.result?.summary}`).toBe('done');
    }

    expect(run.state).toBe('completed');
    const byAction = (action: string) => run.steps.find((step) => step.action === action)!;
    expect(byAction('expectOldSecretRefused').result!.summary).toMatch(/refuses the old secret/);
    expect(byAction('expectTokensInactive').result!.summary).toMatch(/Every token is inactive/);
    expect(byAction('markCredential').result!.summary).toMatch(/already marked rotated/);
    // The server agrees: the window's tokens are dead, the leaked secret gets nothing.
    for (const token of tokens) {
      const answer = await value<{ active: boolean }>('servers:introspect', { serverId: server.id, token, hint: null });
      expect(answer.active).toBe(false);
    }
    expect(await mintWithSecret(post.clientId, leaked)).toMatchObject({ status: 401, token: null, error: 'invalid_client' });
    // Once completed, the run forgets the tokens and the old secret; it keeps their count.
    expect(run.recorded.tokens).toBe(3);

    const { timeline, timelineTotal } = await value<{ timeline: TimelineEvent[]; timelineTotal: number }>('playbooks:get', { runId: run.id, timelineLimit: 500 });
    expect(timeline).toHaveLength(timelineTotal);
    expect(timeline[0].type).toBe('run.completed');
    expect(timeline.map((event) => event.type)).toEqual(expect.arrayContaining(['run.started', 'step.confirmed', 'step.started', 'step.done', 'decision.made']));

    const reportPath = join(t.platform.userDataDir, 'report.md');
    t.platform.chosenFiles.push(reportPath);
    expect(await value('playbooks:report', { runId: run.id, format: 'markdown' })).toEqual({ saved: { fileName: 'report.md' } });
    const markdown = readFileSync(reportPath, 'utf8');
    const unescaped = markdown.replace(/\\(.)/g, '$1');
    for (const step of run.steps) expect(unescaped).toContain(step.title);
    for (const step of run.steps.filter((s) => s.result)) expect(unescaped).toContain(step.result!.summary);
    const { html } = await value<{ html: string }>('playbooks:reportPreview', { runId: run.id });
    expect(html).toContain('<html');
    const audit = JSON.stringify(await value('audit:list', { limit: 500 }));
    for (const secret of [leaked, lab.clients.post.clientSecret!, ...tokens]) {
      expect(markdown).not.toContain(secret);
      expect(html).not.toContain(secret);
      expect(audit).not.toContain(secret);
      expect(JSON.stringify(run)).not.toContain(secret);
    }
    expect(audit).toContain('playbook.reportExported');
  }, 60_000);
});
