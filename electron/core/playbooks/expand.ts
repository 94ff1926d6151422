/**
 * Expands a template against the credential a run starts from: every step becomes one run step,
 * and a forEachLocation step becomes one per recorded location of the credential, so no copy is
 * forgotten. Variables are written out in words a responder reads; a decision not made yet reads
 * "(decision pending)" until the engine expands again with the choices made.
 */
import type { PlaybookTemplate, RunStep, TemplateStep } from '../../../shared/playbooks';
import { TEMPLATE_VARIABLE, variableName } from './template-problems';

export interface RunCredential {
  id: string;
  name: string;
  kind: string;
  environment: string;
  owner: string | null;
  provider: string;
  locations: { kind: string; description: string }[];
}

export const DECISION_PENDING = '(decision pending)';

/** Mid-sentence words for the inventory's codes ("Create a new key at Stripe"). */
const KIND_WORDS: Record<string, string> = {
  api_key: 'API key',
  oauth_client: 'OAuth client',
  service_token: 'service token',
  signing_key: 'signing key',
  webhook_secret: 'webhook signing secret',
  refresh_token: 'refresh token',
};
const PROVIDER_WORDS: Record<string, string> = {
  stripe: 'Stripe',
  github: 'GitHub',
  slack: 'Slack',
  aws: 'AWS',
  own_auth_server: 'our own authorization server',
  other: 'the provider',
};
const LOCATION_WORDS: Record<string, string> = {
  ci_variable: 'CI variable',
  kubernetes_secret: 'Kubernetes secret',
  env_file: 'environment file',
  cloud_secret_manager: 'cloud secret manager',
  partner: 'partner',
  developer_machine: 'developer machine',
  browser: 'browser',
  mobile: 'mobile app',
  other: 'other place',
};
/** A blank run has no credential: the words stay general. */
const BLANK_CREDENTIAL: Record<string, string> = {
  name: 'the credential',
  environment: 'the affected environment',
  owner: 'the credential owner',
  provider: 'the provider',
  kind: 'credential',
};
const WHERE_COPIES_LIVE = 'CI variables, Kubernetes secrets, environment files, cloud secret managers, partners, developer machines, browsers and mobile apps';
const ANY_LOCATION = { kind: 'any kind', description: 'every place a copy is stored' };

/**
 * The run's steps, in template order. `decisions` maps a decision step's id to the option value
 * chosen; a decision variable shows that option's label, or DECISION_PENDING.
 */
export function expandTemplate(template: PlaybookTemplate, credential: RunCredential | null, decisions: Record<string, string> = {}): RunStep[] {
  const decisionLabels = new Map<string, string>();
  for (const step of template.steps) {
    const chosen = step.options?.find((option) => option.value === decisions[step.id]);
    if (chosen) decisionLabels.set(step.id, chosen.label);
  }
  const credentialWords = credential ? wordsFor(credential) : BLANK_CREDENTIAL;
  const fill = (text: string, location: { kind: string; description: string } | null) =>
    text.replace(TEMPLATE_VARIABLE, (whole, captured: string) => {
      const [scope, member] = variableName(captured).split('.');
      if (scope === 'credential') return credentialWords[member] ?? whole;
      if (scope === 'location' && location) return member === 'kind' ? (LOCATION_WORDS[location.kind] ?? location.kind) : member === 'description' ? location.description : whole;
      if (scope === 'location') return member === 'kind' ? ANY_LOCATION.kind : ANY_LOCATION.description;
      if (scope === 'decision') return decisionLabels.get(member) ?? DECISION_PENDING;
      return whole;
    });

  return template.steps.flatMap((step): RunStep[] => {
    if (!step.forEachLocation) return [runStep(step, step.id, fill(step.title, null), fill(step.guidance, null))];
    if (!credential) {
      const guidance = `This run has no credential, so it knows no location: find every place a copy lives (${WHERE_COPIES_LIVE}) and do this for each one.`;
      return [runStep(step, step.id, fill(step.title, null), join(guidance, fill(step.guidance, null)))];
    }
    if (credential.locations.length === 0) {
      const title = `No copy of ${credential.name} is recorded: confirm where copies live`;
      const guidance =
        `The inventory records no location for ${credential.name}, so this run cannot list its copies. ` +
        `Look for them (${WHERE_COPIES_LIVE}), add each one to the credential's locations, and for each one: ${fill(step.title, null)}.`;
      return [runStep(step, step.id, title, join(guidance, fill(step.guidance, null)))];
    }
    return credential.locations.map((location, i) => runStep(step, `${step.id}#${i + 1}`, fill(step.title, location), fill(step.guidance, location)));
  });
}

function wordsFor(credential: RunCredential): Record<string, string> {
  return {
    name: credential.name,
    environment: credential.environment,
    owner: credential.owner ?? 'the credential owner (none is recorded)',
    provider: PROVIDER_WORDS[credential.provider] ?? credential.provider,
    kind: KIND_WORDS[credential.kind] ?? credential.kind,
  };
}

function join(first: string, second: string): string {
  return second ? `${first}\n\n${second}` : first;
}

function runStep(step: TemplateStep, id: string, title: string, guidance: string): RunStep {
  return {
    id,
    templateStepId: step.id,
    phase: step.phase,
    kind: step.kind,
    title,
    guidance,
    action: step.action ?? null,
    params: { ...step.params },
    destructive: step.destructive,
    options: step.options ? step.options.map((option) => ({ ...option })) : null,
    state: 'pending',
    decision: null,
    evidence: null,
    result: null,
    attempts: 0,
    doneBy: null,
    doneAt: null,
  };
}
