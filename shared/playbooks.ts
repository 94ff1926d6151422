/**
 * Incident rotation playbooks as both sides see them: templates (versioned YAML, validated with
 * these schemas), runs expanded from a template against a credential, their steps, decisions,
 * evidence and timeline. The engine in electron/core/playbooks executes and journals them.
 */
import { z } from 'zod';
import { CREDENTIAL_KINDS } from './credentials';
import { tokenText } from './servers';

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

// ── The playbooks:* channels; shared/contract.ts spreads them into the one contract ──────────────

const runId = z.uuid('Not a run id');
const stepId = z.string().min(1).max(80);
/** The run's revision the caller last saw: a change made since then is refused with RUN_CONFLICT. */
const revision = z.number().int().min(1);
const note = (what: string, max: number) => z.string().trim().max(max, `${what} is at most ${max.toLocaleString('en')} characters`);

/** Steps, timeline and evidence of a run as the screens see them: never a token or a secret, only counts and fingerprints. */
export const runView = playbookRun.extend({
  templateName: z.string(),
  serverId: z.string().nullable(),
  revision: z.number().int(),
  /** The credential the run started from is no longer in the inventory (the run keeps its name). */
  credentialDeleted: z.boolean(),
  /** Steps left `running` by a process that is no longer executing them (a crash, a lock): running them again checks and resumes. */
  interruptedSteps: z.array(z.string()),
  /** What the run holds for later verification, shown without the values. */
  recorded: z.strictObject({
    tokens: z.number().int(),
    kids: z.record(z.string(), z.string()),
    oldSecretFingerprint: z.string().nullable(),
  }),
});
export type RunView = z.output<typeof runView>;

export const runSummary = z.strictObject({
  id: z.uuid(),
  templateId: z.string(),
  templateVersion: z.number().int(),
  templateName: z.string(),
  title: z.string(),
  credentialId: z.string().nullable(),
  credentialName: z.string().nullable(),
  credentialDeleted: z.boolean(),
  state: z.enum(RUN_STATES),
  startedAt: z.string(),
  completedAt: z.string().nullable(),
  revision: z.number().int(),
  steps: z.number().int(),
  /** Done or skipped. */
  settled: z.number().int(),
  failed: z.number().int(),
  interrupted: z.boolean(),
});
export type RunSummary = z.output<typeof runSummary>;

export const templateInfo = z.strictObject({
  template: playbookTemplate,
  source: z.enum(['builtin', 'user']),
  importedAt: z.string().nullable(),
});
export type TemplateInfo = z.output<typeof templateInfo>;

/** One request a step would make, for the dry run: nothing is sent to produce it. */
export const plannedCall = z.strictObject({
  /** GET or POST, or VAULT for a change to the inventory. */
  method: z.string(),
  /** From the server's stored metadata; null for a vault change. */
  url: z.string().nullable(),
  purpose: z.string(),
  /** How many times (one per token). */
  count: z.number().int(),
});
export type PlannedCall = z.output<typeof plannedCall>;

const stepInput = z.strictObject({
  /** Tokens to revoke or check at this step; they are sealed into the run, never echoed. */
  tokens: z.array(tokenText).max(10_000, 'At most 10,000 tokens at one step').optional(),
  /** The kid a JWKS check looks for, when the step's template names it `new` or `old`. */
  kid: z.string().trim().min(1).max(500).optional(),
});

const onStep = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ runId, stepId, revision, ...shape });
const runAnswer = runView;
const saved = z.strictObject({ saved: z.strictObject({ fileName: z.string() }).nullable() });

export const playbookChannels = {
  'playbooks:listTemplates': { input: z.strictObject({}), output: z.strictObject({ templates: z.array(templateInfo) }) },
  /** Main asks for the YAML file; an invalid template is refused with the line and the reason. Null when cancelled. */
  'playbooks:importTemplate': { input: z.strictObject({}), output: z.strictObject({ template: templateInfo.nullable() }) },
  'playbooks:exportTemplate': { input: z.strictObject({ templateId: z.string().min(1).max(64), version: z.number().int().min(1) }), output: saved },
  /** Expands the template against the credential (one item per recorded location) and captures what verification needs later. */
  'playbooks:start': {
    input: z.strictObject({
      templateId: z.string().min(1).max(64),
      templateVersion: z.number().int().min(1).optional(),
      credentialId: z.uuid('Not a credential id').nullable(),
      serverId: z.uuid('Not a server id').nullable(),
      title: z.string().trim().min(1, 'Name the incident').max(200, 'A title is at most 200 characters'),
    }),
    output: runAnswer,
  },
  'playbooks:listRuns': {
    input: z.strictObject({
      state: z.enum(RUN_STATES).optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    output: z.strictObject({ runs: z.array(runSummary), total: z.number().int() }),
  },
  /** The run with a page of its timeline, newest first. */
  'playbooks:get': {
    input: z.strictObject({ runId, timelineOffset: z.number().int().min(0).optional(), timelineLimit: z.number().int().min(1).max(500).optional() }),
    output: z.strictObject({ run: runView, timeline: z.array(timelineEvent), timelineTotal: z.number().int() }),
  },
  'playbooks:completeStep': { input: onStep({ evidence: note('Evidence', 10_000) }), output: runAnswer },
  'playbooks:decide': { input: onStep({ value: z.string().min(1).max(64) }), output: runAnswer },
  'playbooks:skipStep': { input: onStep({ reason: note('A reason', 2_000).min(1, 'Say why the step is skipped') }), output: runAnswer },
  /**
   * Runs an automated step. A destructive one without confirm goes to awaiting_confirmation and
   * does nothing. A step found interrupted is first checked against the server. A failed action is
   * an answer, not an error: the step is `failed` with the reason, and can be run again.
   */
  'playbooks:runStep': { input: onStep({ confirm: z.boolean(), input: stepInput.optional() }), output: runAnswer },
  'playbooks:addEvidence': { input: onStep({ note: note('Evidence', 10_000).min(1, 'Write the evidence') }), output: runAnswer },
  'playbooks:abandon': { input: z.strictObject({ runId, revision, reason: note('A reason', 2_000).min(1, 'Say why the run is abandoned') }), output: runAnswer },
  /** Every call the remaining automated steps would make, without making any. */
  'playbooks:dryRun': {
    input: z.strictObject({ runId }),
    output: z.strictObject({
      steps: z.array(z.strictObject({ stepId: z.string(), title: z.string(), action: z.enum(STEP_ACTIONS), calls: z.array(plannedCall), notes: z.array(z.string()) })),
    }),
  },
  /** Main asks where to save the report; null when cancelled. */
  'playbooks:report': { input: z.strictObject({ runId, format: z.enum(['markdown', 'html']) }), output: saved },
  /** The printable page, for the report view. */
  'playbooks:reportPreview': { input: z.strictObject({ runId }), output: z.strictObject({ html: z.string() }) },
} as const;
