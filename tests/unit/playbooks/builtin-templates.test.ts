import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinTemplate, builtinTemplates } from '../../../electron/core/playbooks/builtin-templates';
import { parseTemplate, serializeTemplate } from '../../../electron/core/playbooks/template-parse';
import { PLAYBOOK_PHASES, type PlaybookTemplate, type TemplateStep } from '../../../shared/playbooks';

const TEMPLATES_DIR = join(import.meta.dirname, '../../../electron/core/playbooks/templates');

function template(id: string): PlaybookTemplate {
  const found = builtinTemplate(id);
  if (!found) throw new Error(`${id} is not built in`);
  return found;
}
const indexOf = (t: PlaybookTemplate, match: (step: TemplateStep) => boolean) => {
  const index = t.steps.findIndex(match);
  if (index < 0) throw new Error(`${t.id} has no such step`);
  return index;
};

describe('built-in templates', () => {
  it('are the five the issue names, each versioned, each file of the folder among them', () => {
    const ids = builtinTemplates().map((t) => t.id);
    expect(ids).toEqual(['leaked-api-key', 'compromised-signing-key', 'leaked-client-secret', 'compromised-sessions', 'leaked-webhook-secret']);
    expect(Object.fromEntries(builtinTemplates().map((t) => [t.id, t.version]))).toEqual({ 'leaked-api-key': 1, 'compromised-signing-key': 1, 'leaked-client-secret': 1, 'compromised-sessions': 2, 'leaked-webhook-secret': 1 });
    const files = readdirSync(TEMPLATES_DIR).filter((name) => name.endsWith('.yaml'));
    expect(files.map((name) => name.replace(/\.yaml$/, '')).sort()).toEqual([...ids].sort());
  });

  it('are the text of their files, as the bundle inlines them (?raw)', () => {
    for (const t of builtinTemplates()) {
      const file = `${t.id}.yaml`;
      expect(parseTemplate(readFileSync(join(TEMPLATES_DIR, file), 'utf8'), file)).toEqual(t);
    }
  });

  it('are parsed once and frozen, as every run shares them', () => {
    expect(builtinTemplates()).toBe(builtinTemplates());
    const t = template('leaked-api-key');
    expect(Object.isFrozen(t.steps[0])).toBe(true);
    expect(() => {
      (t.steps as TemplateStep[]).push(t.steps[0]);
    }).toThrow(TypeError);
  });

  it('each follow the practice: contain, assess, rotate, revoke, verify, monitor, review, with a decision on the overlap', () => {
    for (const t of builtinTemplates()) {
      const phases = new Set(t.steps.map((step) => step.phase));
      expect([...PLAYBOOK_PHASES].filter((phase) => !phases.has(phase)), t.id).toEqual([]);
      expect(t.steps[0].phase, t.id).toBe('contain');
      expect(t.steps.at(-1)?.phase, t.id).toBe('review');
      expect(t.steps.filter((step) => step.kind === 'decision').length, t.id).toBeGreaterThanOrEqual(1);
      // Every step a person acts on tells them how.
      for (const step of t.steps.filter((s) => s.kind !== 'automated')) expect(step.guidance.length, `${t.id} ${step.id}`).toBeGreaterThan(80);
      expect(t.description.length, t.id).toBeGreaterThan(100);
    }
  });

  it('round-trip through serializeTemplate', () => {
    for (const t of builtinTemplates()) expect(parseTemplate(serializeTemplate(t), `${t.id}.yaml`)).toEqual(t);
  });

  it('leaked API key: one removal item per location, rotate, mark rotated, then revoke after the chosen overlap', () => {
    const t = template('leaked-api-key');
    const replace = indexOf(t, (step) => step.forEachLocation);
    const mark = indexOf(t, (step) => step.action === 'markCredential');
    const decision = indexOf(t, (step) => step.kind === 'decision');
    const revoke = indexOf(t, (step) => step.id === 'revoke-old-key');
    expect(t.steps[mark].params).toEqual({ as: 'rotated' });
    expect(decision).toBeLessThan(replace);
    expect(replace).toBeLessThan(mark);
    expect(mark).toBeLessThan(revoke);
    expect(t.steps[revoke]).toMatchObject({ destructive: true, title: expect.stringContaining('{{decision.choose-overlap}}') });
  });

  it('compromised signing key: the new kid is seen in the JWKS before signing switches, the old kid removed only after, and confirmed gone', () => {
    const t = template('compromised-signing-key');
    const present = indexOf(t, (step) => step.action === 'expectKidPresent');
    const switchSigning = indexOf(t, (step) => step.id === 'switch-signing');
    const grace = indexOf(t, (step) => step.kind === 'decision');
    const remove = indexOf(t, (step) => step.id === 'remove-old-key');
    const absent = indexOf(t, (step) => step.action === 'expectKidAbsent');
    expect(t.steps[present].params).toEqual({ kid: 'new' });
    expect(t.steps[absent].params).toEqual({ kid: 'old' });
    expect(present).toBeLessThan(switchSigning);
    expect(grace).toBeLessThan(switchSigning);
    expect(switchSigning).toBeLessThan(remove);
    expect(remove).toBeLessThan(absent);
    expect(t.steps[remove].destructive).toBe(true);
    expect(t.steps.some((step) => step.forEachLocation)).toBe(true);
  });

  it('leaked client secret: regenerate, prove the old secret refused, revoke the exposure-window tokens, prove them inactive, mark rotated', () => {
    const t = template('leaked-client-secret');
    const regenerate = indexOf(t, (step) => step.id === 'regenerate-secret');
    const refused = indexOf(t, (step) => step.action === 'expectOldSecretRefused');
    const revoke = indexOf(t, (step) => step.action === 'revokeTokens');
    const inactive = indexOf(t, (step) => step.action === 'expectTokensInactive');
    const mark = indexOf(t, (step) => step.action === 'markCredential');
    expect(t.steps[revoke]).toMatchObject({ params: { source: 'exposureWindow' }, destructive: true });
    expect(t.steps[revoke].guidance).toMatch(/does not end the tokens already issued/);
    expect(t.steps[inactive].params).toEqual({ source: 'exposureWindow' });
    expect(t.steps[mark].params).toEqual({ as: 'rotated' });
    expect([regenerate, refused, revoke, inactive, mark]).toEqual([...[regenerate, refused, revoke, inactive, mark]].sort((a, b) => a - b));
  });

  it('compromised sessions: decide on forced re-login, end the sessions, revoke and verify their tokens', () => {
    const t = template('compromised-sessions');
    const decision = indexOf(t, (step) => step.kind === 'decision');
    const end = indexOf(t, (step) => step.id === 'end-sessions');
    expect(t.steps[decision].title).toMatch(/sign in again/);
    expect(t.steps[decision].options?.map((option) => option.label).join(' ')).toMatch(/Force re-login.*Do not force re-login/);
    expect(t.steps[end]).toMatchObject({ destructive: true, title: 'End the sessions: {{decision.choose-relogin}}' });
    expect(decision).toBeLessThan(end);
    expect(end).toBeLessThan(indexOf(t, (step) => step.action === 'revokeTokens'));
    expect(indexOf(t, (step) => step.action === 'revokeTokens')).toBeLessThan(indexOf(t, (step) => step.action === 'expectTokensInactive'));
  });

  it('leaked webhook secret: every receiver accepts both secrets before the sender switches, and drops the old one after the window', () => {
    const t = template('leaked-webhook-secret');
    const window = indexOf(t, (step) => step.kind === 'decision');
    const acceptBoth = indexOf(t, (step) => step.id === 'accept-both-secrets');
    const switchSender = indexOf(t, (step) => step.id === 'switch-sender');
    const wait = indexOf(t, (step) => step.id === 'wait-window');
    const drop = indexOf(t, (step) => step.id === 'drop-old-secret');
    expect(t.steps[acceptBoth].forEachLocation).toBe(true);
    expect(t.steps[drop]).toMatchObject({ forEachLocation: true, destructive: true });
    expect(t.steps[wait].title).toContain('{{decision.choose-window}}');
    expect([window, acceptBoth, switchSender, wait, drop]).toEqual([...[window, acceptBoth, switchSender, wait, drop]].sort((a, b) => a - b));
    expect(t.steps.find((step) => step.action === 'markCredential')?.params).toEqual({ as: 'rotated' });
  });
});
