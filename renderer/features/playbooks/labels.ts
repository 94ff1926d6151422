/** The words the Playbooks screen uses for the contract's enums, and what each action needs. */
import type { PlaybookPhase, PlaybookTemplate, RunStep, StepAction, StepKind, StepState, TimelineEvent } from '../../../shared/playbooks';
import type { CredentialKind } from '../../../shared/credentials';
import { KIND_LABELS } from '../inventory/labels';

export const PHASE_LABELS: Record<PlaybookPhase, string> = {
  contain: 'Contain',
  assess: 'Assess',
  rotate: 'Rotate',
  revoke: 'Revoke',
  verify: 'Verify',
  monitor: 'Monitor',
  review: 'Review',
};

export const KIND_OF_STEP: Record<StepKind, string> = {
  manual: 'Manual',
  automated: 'Automated',
  decision: 'Decision',
};

export const ACTION_LABELS: Record<StepAction, string> = {
  revokeTokens: 'revoke tokens',
  expectTokensInactive: 'introspect, expect inactive',
  expectKidPresent: 'JWKS, expect kid present',
  expectKidAbsent: 'JWKS, expect kid absent',
  expectOldSecretRefused: 'old secret, expect invalid_client',
  markCredential: 'mark in the inventory',
};

export const STATE_LABELS: Record<StepState, string> = {
  pending: 'To do',
  awaiting_confirmation: 'Waiting for confirmation',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  skipped: 'Skipped',
};

export const RUN_STATE_LABELS = { open: 'Open', completed: 'Completed', abandoned: 'Abandoned' } as const;

export const EVENT_LABELS: Record<TimelineEvent['type'], string> = {
  'run.started': 'Run started',
  'step.started': 'Step started',
  'step.confirmed': 'Confirmed',
  'step.done': 'Done',
  'step.failed': 'Failed',
  'step.skipped': 'Skipped',
  'step.reopened': 'Reopened',
  'evidence.added': 'Evidence added',
  'decision.made': 'Decision',
  'run.resumed': 'Resumed',
  'run.completed': 'Run completed',
  'run.abandoned': 'Run abandoned',
};

/** Every action but marking the inventory acts on the run's authorization server. */
export const needsServer = (action: StepAction | null | undefined): boolean => Boolean(action) && action !== 'markCredential';
export const usesTokens = (action: StepAction | null): boolean => action === 'revokeTokens' || action === 'expectTokensInactive';
export const usesKid = (action: StepAction | null): boolean => action === 'expectKidPresent' || action === 'expectKidAbsent';

/** A template's automated steps that need a server: the start form asks for one only then. */
export const wantsServer = (template: PlaybookTemplate): boolean => template.steps.some((step) => step.kind === 'automated' && needsServer(step.action));

export const appliesTo = (template: PlaybookTemplate, kind: CredentialKind): boolean => template.appliesTo.length === 0 || template.appliesTo.includes(kind);

export const appliesToText = (kinds: readonly CredentialKind[]): string => (kinds.length ? kinds.map((kind) => KIND_LABELS[kind]).join(', ') : 'any credential, or none');

/** The phases a template goes through, in the playbook order. */
export function phasesOf(steps: { phase: PlaybookPhase }[]): PlaybookPhase[] {
  const present = new Set(steps.map((step) => step.phase));
  return (Object.keys(PHASE_LABELS) as PlaybookPhase[]).filter((phase) => present.has(phase));
}

export const isSettled = (step: RunStep): boolean => step.state === 'done' || step.state === 'skipped';

/** Severity only: a failure and an interruption need attention; done is calm, the rest plain. */
export function stateTone(step: RunStep, interrupted: boolean): 'bad' | 'medium' | 'ok' | '' {
  if (interrupted || step.state === 'awaiting_confirmation') return 'medium';
  if (step.state === 'failed') return 'bad';
  if (step.state === 'done') return 'ok';
  return '';
}
