import { describe, expect, it } from 'vitest';
import { builtinTemplate, builtinTemplates } from '../../../electron/core/playbooks/builtin-templates';
import { DECISION_PENDING, expandTemplate, type RunCredential } from '../../../electron/core/playbooks/expand';
import { parseTemplate } from '../../../electron/core/playbooks/template-parse';
import { runStep, type PlaybookTemplate } from '../../../shared/playbooks';

const THREE_LOCATIONS = [
  { kind: 'ci_variable', description: 'GitHub Actions secret PAYMENTS_KEY (test)' },
  { kind: 'kubernetes_secret', description: 'payments/api-keys in the prod cluster' },
  { kind: 'partner', description: "Acme's order service" },
];

function credential(overrides: Partial<RunCredential> = {}): RunCredential {
  return {
    id: 'cred-1',
    name: 'payments-partner-key',
    kind: 'api_key',
    environment: 'production',
    owner: 'team-payments',
    provider: 'stripe',
    locations: THREE_LOCATIONS,
    ...overrides,
  };
}

function leakedApiKey(): PlaybookTemplate {
  const template = builtinTemplate('leaked-api-key');
  if (!template) throw new Error('leaked-api-key is not built in');
  return template;
}

describe('expandTemplate', () => {
  it('gives a credential with three locations three location items, each naming its location', () => {
    const template = leakedApiKey();
    const steps = expandTemplate(template, credential());
    const perLocation = template.steps.filter((step) => step.forEachLocation);
    expect(perLocation.map((step) => step.id)).toEqual(['replace-copy']);
    const items = steps.filter((step) => step.templateStepId === 'replace-copy');
    expect(items.map((step) => step.id)).toEqual(['replace-copy#1', 'replace-copy#2', 'replace-copy#3']);
    expect(items.map((step) => step.title)).toEqual([
      'Replace the key in GitHub Actions secret PAYMENTS_KEY (test) (CI variable)',
      'Replace the key in payments/api-keys in the prod cluster (Kubernetes secret)',
      "Replace the key in Acme's order service (partner)",
    ]);
    // Every other step once, in template order, the location items where their step was.
    expect(steps).toHaveLength(template.steps.length + 2);
    const order = steps.map((step) => step.templateStepId).filter((id, i, all) => all.indexOf(id) === i);
    expect(order).toEqual(template.steps.map((step) => step.id));
  });

  it('writes the credential into titles and guidance, in words', () => {
    const steps = expandTemplate(leakedApiKey(), credential());
    const byId = new Map(steps.map((step) => [step.id, step]));
    expect(byId.get('mark-rotated')?.title).toBe('Mark payments-partner-key rotated in the inventory');
    expect(byId.get('create-new-key')?.title).toBe('Create a new API key at Stripe');
    expect(byId.get('assess-reach')?.guidance).toContain('Ask team-payments which services depend on it');
    expect(byId.get('assess-reach')?.guidance).toContain('(production)');
  });

  it('says so when no owner is recorded', () => {
    const steps = expandTemplate(leakedApiKey(), credential({ owner: null }));
    expect(steps.find((step) => step.id === 'assess-reach')?.guidance).toContain('Ask the credential owner (none is recorded) which services');
  });

  it('with no location recorded, gives one item that says so and asks where copies live', () => {
    const steps = expandTemplate(leakedApiKey(), credential({ locations: [] }));
    const items = steps.filter((step) => step.templateStepId === 'replace-copy');
    expect(items).toHaveLength(1);
    expect(items[0].id).toBe('replace-copy');
    expect(items[0].title).toBe('No copy of payments-partner-key is recorded: confirm where copies live');
    expect(items[0].guidance).toMatch(/^The inventory records no location for payments-partner-key.*add each one to the credential's locations/);
    expect(items[0].guidance).toContain('Replace the key in every place a copy is stored');
  });

  it('keeps a location step as one generic item in a blank run, and leaves no variable unwritten', () => {
    const steps = expandTemplate(leakedApiKey(), null);
    const items = steps.filter((step) => step.templateStepId === 'replace-copy');
    expect(items).toHaveLength(1);
    expect(items[0].title).toBe('Replace the key in every place a copy is stored (any kind)');
    expect(items[0].guidance).toMatch(/^This run has no credential, so it knows no location/);
    expect(steps.find((step) => step.id === 'mark-rotated')?.title).toBe('Mark the credential rotated in the inventory');
    for (const step of steps) expect(`${step.title} ${step.guidance}`).not.toMatch(/\{\{|\}\}/);
  });

  it('shows a decision not made yet as pending, and the chosen option once made', () => {
    const template = leakedApiKey();
    const pending = expandTemplate(template, credential()).find((step) => step.id === 'revoke-old-key');
    expect(pending?.title).toBe(`Revoke the old key at Stripe when the overlap ends: ${DECISION_PENDING}`);
    const decided = expandTemplate(template, credential(), { 'choose-overlap': 'one-day' }).find((step) => step.id === 'revoke-old-key');
    expect(decided?.title).toBe('Revoke the old key at Stripe when the overlap ends: 24 hours — a partner or a slow deployment holds a copy');
    const unknownChoice = expandTemplate(template, credential(), { 'choose-overlap': 'a-week' }).find((step) => step.id === 'revoke-old-key');
    expect(unknownChoice?.title).toContain(DECISION_PENDING);
  });

  it('starts every step pending, untried, with nothing recorded, and carries what the engine needs', () => {
    const template = builtinTemplate('leaked-client-secret');
    if (!template) throw new Error('leaked-client-secret is not built in');
    const steps = expandTemplate(template, credential({ kind: 'oauth_client', provider: 'own_auth_server' }));
    for (const step of steps) {
      expect(runStep.parse(step)).toEqual(step);
      expect(step).toMatchObject({ state: 'pending', attempts: 0, decision: null, evidence: null, result: null, doneBy: null, doneAt: null });
    }
    const revoke = steps.find((step) => step.id === 'revoke-window-tokens');
    expect(revoke).toMatchObject({ kind: 'automated', action: 'revokeTokens', params: { source: 'exposureWindow' }, destructive: true, options: null });
    const decision = steps.find((step) => step.kind === 'decision');
    expect(decision?.options?.length).toBeGreaterThanOrEqual(2);
    expect(steps.find((step) => step.kind === 'manual')?.action).toBeNull();
  });

  it('gives each run its own copies: changing a run step leaves the shared template alone', () => {
    const template = builtinTemplate('leaked-client-secret');
    if (!template) throw new Error('leaked-client-secret is not built in');
    const first = expandTemplate(template, credential());
    const revoke = first.find((step) => step.action === 'revokeTokens');
    if (!revoke) throw new Error('no revokeTokens step');
    revoke.params.source = 'pasted';
    const again = expandTemplate(template, credential()).find((step) => step.action === 'revokeTokens');
    expect(again?.params).toEqual({ source: 'exposureWindow' });
  });

  it('expands every built-in against every kind it applies to, and a blank run, writing out every variable', () => {
    for (const template of builtinTemplates()) {
      const kinds = template.appliesTo.length > 0 ? template.appliesTo : ['api_key' as const];
      for (const kind of kinds) {
        for (const locations of [THREE_LOCATIONS, []]) {
          const steps = expandTemplate(template, credential({ kind, locations }));
          const perLocation = template.steps.filter((step) => step.forEachLocation).length;
          expect(steps).toHaveLength(template.steps.length + perLocation * (Math.max(locations.length, 1) - 1));
          for (const step of steps) expect(`${step.title} ${step.guidance}`, `${template.id} ${step.id}`).not.toMatch(/\{\{|\}\}/);
        }
      }
      expect(expandTemplate(template, null)).toHaveLength(template.steps.length);
    }
  });

  it('writes a location variable with spaces inside the braces too', () => {
    const template = parseTemplate(
      ['id: t', 'version: 1', 'name: T', 'steps:', '  - id: wipe', '    phase: revoke', '    kind: manual', '    forEachLocation: true', '    title: Wipe {{ location.description }} of {{ credential.name }}'].join('\n'),
      't.yaml',
    );
    expect(expandTemplate(template, credential()).map((step) => step.title)[2]).toBe("Wipe Acme's order service of payments-partner-key");
  });
});
