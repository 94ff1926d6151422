/**
 * Incident rotation playbooks as both sides see them: templates (versioned YAML, validated with
 * these schemas), runs expanded from a template against a credential, their steps, decisions,
 * evidence and timeline. The engine in electron/core/playbooks executes and journals them.
 */
import { z } from 'zod';
import { CREDENTIAL_KINDS } from './credentials';

/** The practice of the public playbooks, in order. */
export const PLAYBOOK_PHASES = ['contain', 'assess', 'rotate', 'revoke', 'verify', 'monitor', 'review'] as const;
export type PlaybookPhase = (typeof PLAYBOOK_PHASES)[number];

export const STEP_KINDS = ['manual', 'automated', 'decision'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/**
 * What an automated step does. Each is idempotent by construction or checked against the server
 * before it is retried (see electron/core/playbooks/actions).
 */
export const STEP_ACTIONS = [
  /** Bulk-revoke tokens (pasted at the step, or the run's exposure-window tokens) at the credential's server. */
  'revokeTokens',
  /** Introspect each token of the step's list and expect every one inactive. */
  'expectTokensInactive',
  /** Fetch the server's JWKS and expect a kid present (new key published) … */
  'expectKidPresent',
  /** … or absent (old key removed). */
  'expectKidAbsent',
  /** Request a token with the credential's old secret and expect invalid_client. */
  'expectOldSecretRefused',
  /** Mark the credential rotated or revoked in the inventory. */
  'markCredential',
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

const identifier = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'Use lower-case letters, digits and dashes, starting with a letter (at most 64)');
const text = (max: number) => z.string().trim().min(1).max(max);

export const decisionOption = z.strictObject({ value: identifier, label: text(200) });

export const templateStep = z
  .strictObject({
    id: identifier,
    phase: z.enum(PLAYBOOK_PHASES),
    kind: z.enum(STEP_KINDS),
    /** May use {{credential.name}}, {{credential.environment}}, {{credential.owner}}, {{credential.provider}}, {{location.kind}}, {{location.description}}, {{decision.<step id>}}. */
    title: text(300),
    guidance: z.string().trim().max(4000).default(''),
    /** One item per recorded location of the credential, so no copy is forgotten. */
    forEachLocation: z.boolean().default(false),
    action: z.enum(STEP_ACTIONS).optional(),
    /** Action parameters, checked per action by the engine. */
    params: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).default({}),
    /** Pauses for confirmation before it runs: revocations, marking revoked, anything irreversible. */
    destructive: z.boolean().default(false),
    options: z.array(decisionOption).max(12).optional(),
  })
  .superRefine((step, ctx) => {
    if (step.kind === 'automated' && !step.action) ctx.addIssue({ code: 'custom', path: ['action'], message: 'An automated step names its action' });
    if (step.kind !== 'automated' && step.action) ctx.addIssue({ code: 'custom', path: ['action'], message: 'Only an automated step has an action' });
    if (step.kind === 'decision' && (!step.options || step.options.length < 2)) ctx.addIssue({ code: 'custom', path: ['options'], message: 'A decision offers at least two options' });
    if (step.kind !== 'decision' && step.options) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Only a decision step has options' });
  });
export type TemplateStep = z.output<typeof templateStep>;

export const playbookTemplate = z
  .strictObject({
    id: identifier,
    version: z.number().int().min(1).max(10_000),
    name: text(200),
    description: z.string().trim().max(4000).default(''),
    /** The credential kinds a run can start from; empty means any (or a blank run). */
    appliesTo: z.array(z.enum(CREDENTIAL_KINDS)).default([]),
    steps: z.array(templateStep).min(1).max(200),
  })
  .superRefine((template, ctx) => {
    const seen = new Set<string>();
    template.steps.forEach((step, i) => {
      if (seen.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', i, 'id'], message: `Step id "${step.id}" is used twice` });
      seen.add(step.id);
    });
  });
export type PlaybookTemplate = z.output<typeof playbookTemplate>;

export const STEP_STATES = ['pending', 'awaiting_confirmation', 'running', 'done', 'failed', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

export const stepResult = z.strictObject({ ok: z.boolean(), summary: z.string(), details: z.array(z.string()) });

export const runStep = z.strictObject({
  /** The template step's id, with `#n` for the n-th location of a forEachLocation step. */
  id: z.string(),
  templateStepId: z.string(),
  phase: z.enum(PLAYBOOK_PHASES),
  kind: z.enum(STEP_KINDS),
  title: z.string(),
  guidance: z.string(),
  action: z.enum(STEP_ACTIONS).nullable(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  destructive: z.boolean(),
  options: z.array(decisionOption).nullable(),
  state: z.enum(STEP_STATES),
  decision: z.string().nullable(),
  evidence: z.string().nullable(),
  result: stepResult.nullable(),
  attempts: z.number().int(),
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
});
export type RunStep = z.output<typeof runStep>;

export const TIMELINE_TYPES = ['run.started', 'step.started', 'step.confirmed', 'step.done', 'step.failed', 'step.skipped', 'step.reopened', 'evidence.added', 'decision.made', 'run.resumed', 'run.completed', 'run.abandoned'] as const;
export const timelineEvent = z.strictObject({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  type: z.enum(TIMELINE_TYPES),
  stepId: z.string().nullable(),
  detail: z.string(),
});
export type TimelineEvent = z.output<typeof timelineEvent>;

export const RUN_STATES = ['open', 'completed', 'abandoned'] as const;
export const playbookRun = z.strictObject({
  id: z.uuid(),
  templateId: z.string(),
  templateVersion: z.number().int(),
  title: z.string(),
  /** Null for a run started from a blank template; kept (with its name) if the credential is deleted later. */
  credentialId: z.string().nullable(),
  credentialName: z.string().nullable(),
  state: z.enum(RUN_STATES),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
  steps: z.array(runStep),
});
export type PlaybookRun = z.output<typeof playbookRun>;
