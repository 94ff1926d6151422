/**
 * What is wrong with a template's content, in plain words and with the path it is at: the schema's
 * issues reworded, and the rules the schema cannot state (variables that exist where they are
 * used, parameters per action, steps that cannot be undone marked destructive). template-parse.ts
 * turns the paths into lines.
 */
import { z } from 'zod';
import { decisionOption, playbookTemplate, templateStep, type PlaybookTemplate, type StepAction, type TemplateStep } from '../../../shared/playbooks';

/**
 * `{{credential.name}}`, `{{ location.kind }}`, `{{decision.grace-period}}`: the same grammar the
 * run expands. The name is captured with its spaces (`variableName` trims them): spaces matched
 * around a lazy capture made a hostile `{{` and 4,000 spaces take 20 s.
 */
export const TEMPLATE_VARIABLE = /\{\{([^{}]*)\}\}/g;

/** A variable's name as written between the braces, without the spaces around it. */
export const variableName = (captured: string): string => captured.trim();
export const CREDENTIAL_VARIABLES = ['name', 'environment', 'owner', 'provider', 'kind'] as const;
export const LOCATION_VARIABLES = ['kind', 'description'] as const;

const tokenSource = z.enum(['pasted', 'exposureWindow'], {
  error: 'Set source to pasted (tokens the responder pastes at the step) or exposureWindow (the tokens issued while the credential was exposed)',
});
const kid = z.string({ error: 'Set kid to new (the key this run publishes), old (the key it replaces) or a literal kid' }).trim().min(1).max(500);

/** The parameters each action takes; the engine reads them with the same schemas. */
export const ACTION_PARAMS = {
  revokeTokens: z.strictObject({ source: tokenSource }),
  expectTokensInactive: z.strictObject({ source: tokenSource }),
  expectKidPresent: z.strictObject({ kid }),
  expectKidAbsent: z.strictObject({ kid }),
  expectOldSecretRefused: z.strictObject({}),
  markCredential: z.strictObject({ as: z.enum(['rotated', 'revoked'], { error: 'Set as to rotated or revoked' }) }),
} satisfies Record<StepAction, z.ZodType>;
export type ActionParams<A extends StepAction> = z.output<(typeof ACTION_PARAMS)[A]>;

export type Path = (string | number)[];
export interface Problem {
  path: Path;
  reason: string;
  /** Point at the key itself (an unknown member), not its value. */
  atKey?: boolean;
  /** Point at this text inside the node (a variable in a long guidance). */
  needle?: string;
}

// ── Checks the schema cannot make ───────────────────────────────────────────────────────────────

export function templateProblems(template: PlaybookTemplate): Problem[] {
  const problems: Problem[] = [];
  const decisions = new Set<string>();
  template.steps.forEach((step, i) => {
    const at = (...rest: Path): Path => ['steps', i, ...rest];
    for (const field of ['title', 'guidance'] as const) {
      for (const match of step[field].matchAll(TEMPLATE_VARIABLE)) {
        const reason = variableProblem(variableName(match[1]), step, decisions);
        if (reason) problems.push({ path: at(field), reason, needle: match[0] });
      }
      const rest = step[field].replace(TEMPLATE_VARIABLE, '');
      if (rest.includes('{{') || rest.includes('}}')) {
        problems.push({ path: at(field), reason: 'A variable is not closed: write it as {{credential.name}}', needle: rest.includes('{{') ? '{{' : '}}' });
      }
    }
    problems.push(...stepProblems(step).map((problem) => ({ ...problem, path: at(...problem.path) })));
    if (step.kind === 'decision') decisions.add(step.id);
  });
  return problems;
}

function variableProblem(name: string, step: TemplateStep, decisionsBefore: Set<string>): string | null {
  const [scope, member, ...more] = name.split('.');
  const known = `{{credential.${CREDENTIAL_VARIABLES.join('|')}}}, {{location.${LOCATION_VARIABLES.join('|')}}} (in a forEachLocation step) and {{decision.<id of an earlier decision step>}}`;
  if (more.length > 0 || member === undefined) return `Unknown variable {{${name}}}: use ${known}`;
  if (scope === 'credential' && (CREDENTIAL_VARIABLES as readonly string[]).includes(member)) return null;
  if (scope === 'location' && (LOCATION_VARIABLES as readonly string[]).includes(member)) {
    return step.forEachLocation ? null : `{{${name}}} is known only in a step with forEachLocation: true, which repeats once per location of the credential`;
  }
  if (scope === 'decision') {
    return decisionsBefore.has(member) ? null : `{{${name}}} names no decision step before this one: a title can show only a choice already made`;
  }
  return `Unknown variable {{${name}}}: use ${known}`;
}

function stepProblems(step: TemplateStep): Problem[] {
  const problems: Problem[] = [];
  const paramCount = Object.keys(step.params).length;
  if (!step.action) {
    if (paramCount > 0) problems.push({ path: ['params'], reason: 'Only an automated step has params' });
  } else {
    const result = ACTION_PARAMS[step.action].safeParse(step.params);
    if (!result.success) {
      for (const issue of result.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          const takes = Object.keys(ACTION_PARAMS[step.action].shape);
          for (const key of issue.keys) {
            problems.push({ path: ['params', key], atKey: true, reason: `Unknown parameter "${key}" for ${step.action}: ${takes.length ? `it takes ${takes.join(', ')}` : 'it takes none'}` });
          }
        } else {
          problems.push({ path: ['params', ...(issue.path as Path)], reason: issue.message });
        }
      }
    }
    if (step.action === 'revokeTokens' && !step.destructive) {
      problems.push({ path: ['destructive'], reason: 'Revoking tokens cannot be undone: add destructive: true so the run asks for confirmation first' });
    }
    if (step.action === 'markCredential' && step.params.as === 'revoked' && !step.destructive) {
      problems.push({ path: ['destructive'], reason: 'Marking a credential revoked cannot be undone: add destructive: true so the run asks for confirmation first' });
    }
  }
  if (step.kind === 'decision' && step.forEachLocation) {
    problems.push({ path: ['forEachLocation'], reason: 'A decision is made once per run: it cannot repeat per location' });
  }
  const values = new Set<string>();
  step.options?.forEach((option, j) => {
    if (values.has(option.value)) problems.push({ path: ['options', j, 'value'], reason: `Option value "${option.value}" is used twice` });
    values.add(option.value);
  });
  return problems;
}

// ── Schema issues in plain words ────────────────────────────────────────────────────────────────

const EXPECTED: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping' };

export function schemaProblems(issue: z.core.$ZodIssue, data: unknown): Problem[] {
  const path = issue.path as Path;
  if (issue.code === 'unrecognized_keys') {
    const allowed = Object.keys(memberShape(path));
    return issue.keys.map((key) => ({ path: [...path, key], atKey: true, reason: `Unknown member "${key}": ${ownerName(path)} has ${allowed.join(', ')}` }));
  }
  return [{ path, reason: issueReason(issue, valueAt(data, path)) }];
}

function issueReason(issue: z.core.$ZodIssue, input: unknown): string {
  const key = issue.path.at(-1);
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `Missing: ${ownerName(issue.path.slice(0, -1) as Path)} needs ${String(key)}`;
      return `Expected ${EXPECTED[issue.expected] ?? issue.expected}, found ${describe(input)}`;
    case 'invalid_value':
      return `Unknown ${typeof key === 'string' ? key : 'value'} ${describe(input)}: use one of ${issue.values.map(String).join(', ')}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Cannot be empty' : `Too short: at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return `Needs at least ${issue.minimum}`;
      return `Must be at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `Too long: at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `Too many: at most ${issue.maximum}`;
      return `Must be at most ${issue.maximum}`;
    case 'invalid_union':
      return `Expected text, a number or true/false, found ${describe(input)}`;
    default:
      return issue.message;
  }
}

function memberShape(path: Path): Record<string, unknown> {
  if (path.length === 0) return playbookTemplate.shape;
  if (path.length === 2 && path[0] === 'steps') return templateStep.shape;
  if (path.length === 4 && path[2] === 'options') return decisionOption.shape;
  return {};
}

function ownerName(path: Path): string {
  if (path.length === 0) return 'a template';
  if (path.length === 2 && path[0] === 'steps') return 'a step';
  if (path.length === 4 && path[2] === 'options') return 'an option';
  return pathText(path);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}

function valueAt(data: unknown, path: Path): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** steps[2].action, as the example in the issue reads; the template itself when the path is empty. */
export function pathText(path: Path): string {
  if (path.length === 0) return 'the template';
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
}
