/**
 * The template library through the router: the built-ins, a user template imported from a YAML
 * file (refused with its line and reason when invalid, never half accepted), exported back, and a
 * run started from it; a run's listing, its timeline paged, and its abandonment.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../electron/core/playbooks/template-parse';
import type { RunSummary, RunView, TemplateInfo, TimelineEvent } from '../../shared/playbooks';
import { useCoreWithVault } from '../support/core-with-vault';


const t = useCoreWithVault();
const { value } = t;


const CUSTOM = `id: vendor-token
version: 1
name: Leaked vendor token
steps:
  - id: disable
    phase: contain
    kind: manual
    title: Disable the token in the vendor console
  - id: note
    phase: review
    kind: manual
    title: Write down what happened
`;

function file(name: string, text: string): string {
  const path = join(t.platform.userDataDir, name);
  writeFileSync(path, text);
  t.platform.chosenFiles.push(path);
  return path;
}

describe('the playbook template library', () => {
  it('lists the built-ins, imports a valid template once, and refuses an invalid one with its line and reason', async () => {
    const builtins = (await value<{ templates: TemplateInfo[] }>('playbooks:listTemplates', {})).templates;
    expect(builtins.map((info) => info.template.id)).toEqual(expect.arrayContaining(['leaked-api-key', 'compromised-signing-key', 'leaked-client-secret', 'compromised-sessions', 'leaked-webhook-secret']));
    expect(builtins.every((info) => info.source === 'builtin')).toBe(true);

    file('vendor.yaml', CUSTOM);
    const imported = await value<{ template: TemplateInfo }>('playbooks:importTemplate', {});
    expect(imported.template).toMatchObject({ source: 'user', template: { id: 'vendor-token', version: 1, name: 'Leaked vendor token' } });
    // The same file again is the same template; a changed one needs a new version.
    file('vendor.yaml', CUSTOM);
    expect((await value<{ template: TemplateInfo }>('playbooks:importTemplate', {})).template.importedAt).toBe(imported.template.importedAt);
    file('vendor-changed.yaml', CUSTOM.replace('Write down', 'Write up'));
    expect(await t.core.router.invoke('playbooks:importTemplate', {})).toMatchObject({ ok: false, error: { code: 'PLAYBOOK_TEMPLATE_INVALID', message: expect.stringMatching(/Raise its version/) } });
    file('builtin.yaml', CUSTOM.replace('id: vendor-token', 'id: leaked-api-key'));
    expect(await t.core.router.invoke('playbooks:importTemplate', {})).toMatchObject({ ok: false, error: { code: 'PLAYBOOK_TEMPLATE_INVALID', message: expect.stringMatching(/built-in/) } });

    file('broken.yaml', CUSTOM.replace('    kind: manual\n    title: Write down', '    kind: automated\n    title: Write down'));
    const refused = await t.core.router.invoke('playbooks:importTemplate', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'PLAYBOOK_TEMPLATE_INVALID', message: expect.stringMatching(/broken\.yaml line \d+/) } });
    expect(await value('playbooks:importTemplate', {})).toEqual({ template: null });

    const all = (await value<{ templates: TemplateInfo[] }>('playbooks:listTemplates', {})).templates;
    expect(all.filter((info) => info.source === 'user').map((info) => info.template.id)).toEqual(['vendor-token']);
    const audit = JSON.stringify(await value('audit:list', { limit: 100 }));
    expect(audit.match(/playbook\.templateImported/g)).toHaveLength(1);
  });

  it('exports a built-in and a user template as YAML that reads back as the same template', async () => {
    const builtin = join(t.platform.userDataDir, 'signing.yaml');
    t.platform.chosenFiles.push(builtin);
    expect(await value('playbooks:exportTemplate', { templateId: 'compromised-signing-key', version: 1 })).toEqual({ saved: { fileName: 'signing.yaml' } });
    const { templates } = await value<{ templates: TemplateInfo[] }>('playbooks:listTemplates', {});
    expect(parseTemplate(readFileSync(builtin, 'utf8'), 'signing.yaml')).toEqual(templates.find((info) => info.template.id === 'compromised-signing-key')!.template);

    file('vendor.yaml', CUSTOM);
    await value('playbooks:importTemplate', {});
    const exported = join(t.platform.userDataDir, 'vendor-out.yaml');
    t.platform.chosenFiles.push(exported);
    await value('playbooks:exportTemplate', { templateId: 'vendor-token', version: 1 });
    expect(readFileSync(exported, 'utf8')).toBe(CUSTOM);
    expect(await t.core.router.invoke('playbooks:exportTemplate', { templateId: 'nope', version: 1 })).toMatchObject({ ok: false, error: { code: 'PLAYBOOK_NOT_FOUND' } });
  });

  it('starts a blank run from an imported template, lists it, pages its timeline and abandons it', async () => {
    file('vendor.yaml', CUSTOM);
    await value('playbooks:importTemplate', {});
    let run = await value<RunView>('playbooks:start', { templateId: 'vendor-token', credentialId: null, serverId: null, title: 'Token in a support ticket' });
    expect(run).toMatchObject({ templateName: 'Leaked vendor token', state: 'open', revision: 1, credentialId: null, interruptedSteps: [] });
    run = await value<RunView>('playbooks:completeStep', { runId: run.id, stepId: 'disable', revision: run.revision, evidence: 'Disabled 10:02' });
    run = await value<RunView>('playbooks:addEvidence', { runId: run.id, stepId: 'disable', revision: run.revision, note: 'Vendor confirmed' });
    expect(await t.core.router.invoke('playbooks:completeStep', { runId: run.id, stepId: 'note', revision: 1, evidence: '' })).toMatchObject({ ok: false, error: { code: 'RUN_CONFLICT' } });

    const page = await value<{ timeline: TimelineEvent[]; timelineTotal: number }>('playbooks:get', { runId: run.id, timelineOffset: 1, timelineLimit: 1 });
    expect(page.timelineTotal).toBe(3);
    expect(page.timeline.map((event) => event.type)).toEqual(['step.done']);

    const listed = await value<{ runs: RunSummary[]; total: number }>('playbooks:listRuns', { state: 'open' });
    expect(listed.runs).toEqual([expect.objectContaining({ id: run.id, steps: 2, settled: 1, failed: 0, interrupted: false })]);
    run = await value<RunView>('playbooks:abandon', { runId: run.id, revision: run.revision, reason: 'Duplicate of another incident' });
    expect(run.state).toBe('abandoned');
    expect((await value<{ runs: RunSummary[] }>('playbooks:listRuns', { state: 'open' })).runs).toEqual([]);
    expect(await t.core.router.invoke('playbooks:get', { runId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'RUN_NOT_FOUND' } });
  });
});
