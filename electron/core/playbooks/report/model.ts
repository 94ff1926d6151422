/**
 * What the report says, before it is written as Markdown or HTML: the summary, the durations, the
 * steps grouped by phase and numbered in that order, and the timeline. Every piece of user text in
 * the model has been through redactSecrets, so the two formats cannot disagree about a secret; the
 * writers only escape.
 */
import { PLAYBOOK_PHASES, type PlaybookPhase, type PlaybookRun, type RunStep, type StepState, type TimelineEvent } from '../../../../shared/playbooks';
import { describeMilestone, describeTotal, formatUtc, runDurations } from './durations';
import { redactSecrets } from './redact';
import { trimEndWhile, type CharTest } from '../../trim';

export interface ReportCredential {
  name: string;
  kind: string;
  environment: string;
  owner: string | null;
  /** The display form, like `fp:ab12:cd34:ef56:7890`. */
  fingerprint: string | null;
}

export interface ReportInput {
  run: PlaybookRun;
  /** Ordered by seq. */
  timeline: TimelineEvent[];
  templateName: string;
  /** Null when the run started from a blank template or its credential has been deleted since. */
  credential: ReportCredential | null;
  generatedAt: Date;
  generatedBy: string;
  /**
   * The vault knows which secrets belong to this run (the credential's secret now and before, by
   * keyed fingerprint): a word that is one of them is redacted even where no pattern would see it.
   */
  isKnownSecret?: (word: string) => boolean;
}

export interface SummaryRow {
  label: string;
  value: string;
  /** Fingerprints and identifiers, set in monospace. */
  mono: boolean;
}

export interface Verification {
  ok: boolean;
  summary: string;
  details: string[];
}

export interface StepView {
  /** Position in the report (phase order, then run order): what the timeline refers to. */
  number: number;
  id: string;
  title: string;
  /** `manual`, `decision`, or `automated: revokeTokens`. */
  kind: string;
  state: StepState;
  /** `done`, `FAILED`, `awaiting confirmation`, with the attempts when there was more than one. */
  stateLabel: string;
  doneBy: string | null;
  doneAt: string | null;
  decision: string | null;
  evidence: string | null;
  /** Automated steps only; null until the step has run. */
  verification: Verification | null;
  automated: boolean;
}

export interface PhaseView {
  phase: PlaybookPhase;
  label: string;
  steps: StepView[];
}

export interface EventView {
  seq: number;
  at: string;
  actor: string;
  type: string;
  step: string;
  detail: string;
}

export interface ReportModel {
  title: string;
  summary: SummaryRow[];
  durations: { label: string; value: string }[];
  stepCounts: string;
  phases: PhaseView[];
  timeline: EventView[];
  generatedAt: string;
  generatedBy: string;
  /** How many passages that looked like secrets were replaced. */
  redactions: number;
}

export const PHASE_LABELS: Record<PlaybookPhase, string> = {
  contain: 'Contain',
  assess: 'Assess the blast radius',
  rotate: 'Rotate',
  revoke: 'Revoke',
  verify: 'Verify',
  monitor: 'Monitor',
  review: 'Review',
};

const STATE_LABELS: Record<StepState, string> = {
  pending: 'pending',
  awaiting_confirmation: 'awaiting confirmation',
  running: 'running',
  done: 'done',
  failed: 'FAILED',
  skipped: 'skipped',
};

/** Short strings (actors, step ids, event types) repeat thousands of times in a timeline. */
const CACHE_LIMIT = 256;

/** Word-like runs long enough to be a secret, without the punctuation that ends a sentence. */
const WORD = /[^\s"'`()<>[\]{},;]{8,}/g;
/** . : ! ? after a word end its sentence; they are not part of it. */
const isSentenceEnd: CharTest = (c) => c === 0x2e || c === 0x3a || c === 0x21 || c === 0x3f;

function redactKnown(text: string, isKnownSecret: (word: string) => boolean, onRedact: () => void): string {
  return text.replace(WORD, (word) => {
    const bare = trimEndWhile(word, isSentenceEnd);
    if (!isKnownSecret(bare)) return word;
    onRedact();
    return `[redacted: a secret of this run]${word.slice(bare.length)}`;
  });
}

function redactor(isKnownSecret?: (word: string) => boolean) {
  const cache = new Map<string, { text: string; count: number }>();
  let total = 0;
  const redact = (text: string): string => {
    const cached = text.length <= CACHE_LIMIT ? cache.get(text) : undefined;
    if (cached) {
      total += cached.count;
      return cached.text;
    }
    let count = 0;
    const counted = () => {
      count += 1;
    };
    const out = redactSecrets(isKnownSecret ? redactKnown(text, isKnownSecret, counted) : text, counted);
    total += count;
    if (text.length <= CACHE_LIMIT) cache.set(text, { text: out, count });
    return out;
  };
  return { redact, count: () => total };
}

function stepView(step: RunStep, number: number, redact: (text: string) => string): StepView {
  const automated = step.kind === 'automated';
  let decision: string | null = null;
  if (step.decision !== null) {
    // The label the responder chose from, not the option's internal value.
    const option = step.options?.find((candidate) => candidate.value === step.decision);
    decision = redact(option ? option.label : step.decision);
  }
  return {
    number,
    id: redact(step.id),
    title: redact(step.title),
    kind: automated && step.action ? `automated: ${step.action}` : step.kind,
    state: step.state,
    stateLabel: step.attempts > 1 ? `${STATE_LABELS[step.state]} (${step.attempts} attempts)` : STATE_LABELS[step.state],
    doneBy: step.doneBy === null ? null : redact(step.doneBy),
    doneAt: step.doneAt === null ? null : (formatUtc(step.doneAt, false) ?? redact(step.doneAt)),
    decision,
    evidence: step.evidence === null || step.evidence.trim() === '' ? null : redact(step.evidence),
    verification: automated && step.result ? { ok: step.result.ok, summary: redact(step.result.summary), details: step.result.details.map(redact) } : null,
    automated,
  };
}

function credentialRows(input: ReportInput, redact: (text: string) => string): SummaryRow[] {
  const { credential, run } = input;
  if (credential) {
    return [
      { label: 'Credential', value: `${redact(credential.name)} (${redact(credential.kind)}, ${redact(credential.environment)})`, mono: false },
      { label: 'Owner', value: credential.owner === null ? 'not recorded' : redact(credential.owner), mono: false },
      { label: 'Fingerprint', value: credential.fingerprint === null ? 'none: no secret stored' : redact(credential.fingerprint), mono: credential.fingerprint !== null },
    ];
  }
  if (run.credentialId !== null) {
    const name = run.credentialName === null ? 'unnamed credential' : redact(run.credentialName);
    return [{ label: 'Credential', value: `${name} (deleted from the inventory since the run started)`, mono: false }];
  }
  return [{ label: 'Credential', value: 'none: the run started from a blank template', mono: false }];
}

function countSteps(steps: RunStep[]): string {
  const counts = new Map<StepState, number>();
  for (const step of steps) counts.set(step.state, (counts.get(step.state) ?? 0) + 1);
  const parts = (['done', 'failed', 'skipped', 'running', 'awaiting_confirmation', 'pending'] as const)
    .filter((state) => counts.has(state))
    .map((state) => `${counts.get(state)} ${STATE_LABELS[state].toLowerCase()}`);
  const noun = steps.length === 1 ? 'step' : 'steps';
  return parts.length === 0 ? `No ${noun}.` : `${steps.length} ${noun}: ${parts.join(', ')}.`;
}

function inSeqOrder(timeline: TimelineEvent[]): TimelineEvent[] {
  for (let i = 1; i < timeline.length; i++) {
    if (timeline[i].seq < timeline[i - 1].seq) return [...timeline].sort((a, b) => a.seq - b.seq);
  }
  return timeline;
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { run } = input;
  const { redact, count } = redactor(input.isKnownSecret);
  const title = redact(run.title);

  const byPhase = new Map<PlaybookPhase, RunStep[]>(PLAYBOOK_PHASES.map((phase) => [phase, []]));
  for (const step of run.steps) byPhase.get(step.phase)?.push(step);
  const phases: PhaseView[] = [];
  const numbers = new Map<string, number>();
  let number = 0;
  for (const phase of PLAYBOOK_PHASES) {
    const steps = byPhase.get(phase)!;
    if (steps.length === 0) continue;
    phases.push({
      phase,
      label: PHASE_LABELS[phase],
      steps: steps.map((step) => {
        number += 1;
        numbers.set(step.id, number);
        return stepView(step, number, redact);
      }),
    });
  }

  const timeline: EventView[] = inSeqOrder(input.timeline).map((event) => {
    const stepNumber = event.stepId === null ? undefined : numbers.get(event.stepId);
    const step = event.stepId === null ? '' : stepNumber === undefined ? redact(event.stepId) : `${stepNumber} (${redact(event.stepId)})`;
    return {
      seq: event.seq,
      at: formatUtc(event.at, false) ?? redact(event.at),
      actor: redact(event.actor),
      type: event.type,
      step,
      detail: redact(event.detail),
    };
  });

  const durations = runDurations(run, input.generatedAt);
  const generatedBy = redact(input.generatedBy);
  const generatedAt = Number.isNaN(input.generatedAt.getTime()) ? 'at an unknown time' : formatUtc(input.generatedAt.toISOString())!;
  const summary: SummaryRow[] = [
    { label: 'Playbook', value: `${redact(input.templateName)}, version ${run.templateVersion} (${redact(run.templateId)})`, mono: false },
    ...credentialRows(input, redact),
    { label: 'State', value: run.state, mono: false },
    { label: 'Started', value: formatUtc(run.startedAt) ?? redact(run.startedAt), mono: false },
    {
      label: run.state === 'abandoned' ? 'Abandoned' : 'Completed',
      value: run.state === 'open' ? 'not yet: the run is open' : run.completedAt === null ? 'time not recorded' : (formatUtc(run.completedAt) ?? redact(run.completedAt)),
      mono: false,
    },
    { label: 'Run', value: redact(run.id), mono: true },
  ];

  return {
    title,
    summary,
    durations: [
      { label: 'Time to contain', value: describeMilestone(durations.contain, 'contain') },
      { label: 'Time to rotate', value: describeMilestone(durations.rotate, 'rotate') },
      { label: 'Total', value: describeTotal(durations.total) },
    ],
    stepCounts: countSteps(run.steps),
    phases,
    timeline,
    generatedAt,
    generatedBy,
    redactions: count(),
  };
}
