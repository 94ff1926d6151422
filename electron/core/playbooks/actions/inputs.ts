/**
 * What a step acts on, resolved from its params, what the run has recorded and what is given at
 * the step now: the tokens (pasted at this step, or the whole exposure window) and the kid (a
 * literal in the template, or `new` / `old` entered once and remembered by the run).
 */
import type { RunStep, StepAction } from '../../../../shared/playbooks';
import { CoreError } from '../../errors';
import type { RunInputs } from '../run-store';
import { ACTION_PARAMS } from '../template-parse';

export type Params = Record<string, string | number | boolean>;

export interface GivenInput {
  tokens?: string[];
  kid?: string;
}

const TOKEN_ACTIONS: ReadonlySet<StepAction> = new Set(['revokeTokens', 'expectTokensInactive']);
const KID_ACTIONS: ReadonlySet<StepAction> = new Set(['expectKidPresent', 'expectKidAbsent']);
const NAMED_KIDS = new Set(['new', 'old']);

export const usesTokens = (action: StepAction) => TOKEN_ACTIONS.has(action);
export const usesKid = (action: StepAction) => KID_ACTIONS.has(action);

/** The step's params read with the schema the template parser checked them with. */
export function paramsOf(step: RunStep & { action: StepAction }): Params {
  const parsed = ACTION_PARAMS[step.action].safeParse(step.params);
  if (!parsed.success) throw new CoreError('PLAYBOOK_TEMPLATE_INVALID', `The step "${step.title}" has parameters its action does not take: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return parsed.data as Params;
}

function unique(tokens: string[]): string[] {
  return [...new Set(tokens)];
}

export function resolveTokens(params: Params, inputs: RunInputs, stepId: string, given: string[] = []): string[] {
  const recorded = params.source === 'pasted' ? (inputs.stepTokens[stepId] ?? []) : inputs.tokens;
  return unique([...recorded, ...given]);
}

export function resolveKid(params: Params, inputs: RunInputs, given?: string): string | null {
  const kid = typeof params.kid === 'string' ? params.kid : null;
  if (kid === null) return given ?? null;
  if (!NAMED_KIDS.has(kid)) return kid;
  return given ?? inputs.kids[kid] ?? null;
}

/**
 * Records what was given at a step into the run's inputs (tokens join the exposure window and the
 * step's own list; a named kid is remembered); returns whether anything changed.
 */
export function recordGiven(inputs: RunInputs, stepId: string, params: Params, given: GivenInput | undefined): boolean {
  let changed = false;
  const tokens = given?.tokens ?? [];
  if (tokens.length > 0) {
    const window = new Set(inputs.tokens);
    const mine = new Set(inputs.stepTokens[stepId] ?? []);
    for (const token of tokens) {
      if (!window.has(token)) {
        window.add(token);
        inputs.tokens.push(token);
        changed = true;
      }
      if (!mine.has(token)) {
        mine.add(token);
        changed = true;
      }
    }
    inputs.stepTokens[stepId] = [...mine];
    inputs.tokenCount = Math.max(inputs.tokenCount, inputs.tokens.length);
  }
  const kidName = typeof params.kid === 'string' && NAMED_KIDS.has(params.kid) ? params.kid : null;
  if (kidName && given?.kid && inputs.kids[kidName] !== given.kid) {
    inputs.kids[kidName] = given.kid;
    changed = true;
  }
  return changed;
}

/** At the end of a run the tokens and the old secret leave the vault; their counts and fingerprints stay. */
export function forgetSecrets(inputs: RunInputs): void {
  inputs.tokenCount = Math.max(inputs.tokenCount, inputs.tokens.length);
  inputs.tokens = [];
  inputs.stepTokens = {};
  inputs.oldSecret = null;
}
