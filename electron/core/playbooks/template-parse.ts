/**
 * Reads a playbook template from YAML and writes one back. A template a person wrote is refused
 * with the file, the line and the reason in plain words ("leaked-key.yaml line 14, column 5:
 * steps[2].action — An automated step names its action"), never half accepted.
 *
 * Beyond the schema in shared/playbooks.ts (see template-problems.ts): at most 256 KiB, one
 * document, no duplicate keys, no tags, aliases bounded (no "billion laughs"), and every key
 * plain text.
 */
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type YAMLError } from 'yaml';
import { playbookTemplate, type PlaybookTemplate } from '../../../shared/playbooks';
import { CoreError } from '../errors';
import { pathText, schemaProblems, templateProblems, type Problem } from './template-problems';

export { ACTION_PARAMS, TEMPLATE_VARIABLE, type ActionParams } from './template-problems';

export const MAX_TEMPLATE_BYTES = 256 * 1024;
/** Uses of anchored nodes, weighted by the aliases inside them: enough to reuse a value, not to explode. */
const MAX_ALIAS_COUNT = 16;
const MAX_PROBLEMS_SHOWN = 5;

export function parseTemplate(yamlText: string, source: string): PlaybookTemplate {
  const fail = (message: string) => new CoreError('PLAYBOOK_TEMPLATE_INVALID', message);
  const bytes = Buffer.byteLength(yamlText, 'utf8');
  if (bytes > MAX_TEMPLATE_BYTES) {
    throw fail(`${source}: the template is ${Math.ceil(bytes / 1024)} KiB; a template is at most ${MAX_TEMPLATE_BYTES / 1024} KiB. Split it, or shorten its guidance.`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const where = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${source} line ${line}, column ${col}`;
  };
  const lineAt = (offset: number) => {
    const end = yamlText.indexOf('\n', offset);
    return yamlText.slice(yamlText.lastIndexOf('\n', offset - 1) + 1, end < 0 ? undefined : end);
  };

  const yamlProblem = doc.errors[0] ?? doc.warnings[0];
  if (yamlProblem) {
    const { offset, reason } = syntaxProblem(doc, yamlText, yamlProblem);
    throw fail(`${where(offset)}: ${reason}${quoteHint(lineAt(offset))}`);
  }
  const badKey = firstCollectionKey(doc);
  if (badKey !== null) throw fail(`${where(badKey)}: A key must be plain text, not a list or a mapping${quoteHint(lineAt(badKey))}`);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const excessive = error instanceof Error && /excessive/i.test(error.message);
    const alias = firstAlias(doc, !excessive);
    const reason = excessive
      ? `Too many aliases: *${alias.name} and the aliases inside it expand too far. Write the values out instead of using anchors (&) and aliases (*)`
      : `The alias *${alias.name} names no anchor (&${alias.name}) defined above it`;
    throw fail(`${where(alias.offset)}: ${reason}`);
  }
  if (data === null || data === undefined) throw fail(`${source}: the template is empty. It needs an id, a version, a name and steps.`);

  const parsed = playbookTemplate.safeParse(data);
  const problems = parsed.success ? templateProblems(parsed.data) : parsed.error.issues.flatMap((issue) => schemaProblems(issue, data));
  if (problems.length === 0 && parsed.success) return parsed.data;

  const located = problems
    .map((problem) => ({ problem, offset: locate(doc, yamlText, problem) }))
    .sort((a, b) => a.offset - b.offset);
  const lines = located.slice(0, MAX_PROBLEMS_SHOWN).map(({ problem, offset }) => {
    const hint = problem.reason.startsWith('Expected text, found a mapping') ? quoteHint(lineAt(offset)) : '';
    return `${where(offset)}: ${pathText(problem.path)} — ${problem.reason}${hint}`;
  });
  if (located.length > MAX_PROBLEMS_SHOWN) lines.push(`…and ${located.length - MAX_PROBLEMS_SHOWN} more problems.`);
  throw fail(lines.join('\n'));
}

/** YAML text that parseTemplate reads back as the same template; members at their defaults are left out. */
export function serializeTemplate(template: PlaybookTemplate): string {
  const steps = template.steps.map((step) => ({
    id: step.id,
    phase: step.phase,
    kind: step.kind,
    title: step.title,
    ...(step.guidance ? { guidance: step.guidance } : {}),
    ...(step.forEachLocation ? { forEachLocation: true } : {}),
    ...(step.action ? { action: step.action } : {}),
    ...(Object.keys(step.params).length > 0 ? { params: { ...step.params } } : {}),
    ...(step.destructive ? { destructive: true } : {}),
    ...(step.options ? { options: step.options.map((option) => ({ value: option.value, label: option.label })) } : {}),
  }));
  const plain = {
    id: template.id,
    version: template.version,
    name: template.name,
    ...(template.description ? { description: template.description } : {}),
    ...(template.appliesTo.length > 0 ? { appliesTo: [...template.appliesTo] } : {}),
    steps,
  };
  return new Document(plain, { aliasDuplicateObjects: false }).toString({ lineWidth: 100, minContentWidth: 40 });
}

// ── Where in the text ───────────────────────────────────────────────────────────────────────────

type AnyNode = { range?: [number, number, number] | null } | null | undefined;
const start = (node: AnyNode) => node?.range?.[0] ?? 0;

/** The offset of the deepest node on the path that exists: a missing member points at its parent. */
function locate(doc: Document.Parsed, text: string, problem: Problem): number {
  let node: unknown = doc.contents;
  let offset = start(node as AnyNode);
  for (let i = 0; i < problem.path.length; i++) {
    const segment = problem.path[i];
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      // A list or mapping is named by its key ("options:"), a scalar by its value (where the typo is).
      if (i === problem.path.length - 1 && (problem.atKey || !isScalar(pair.value))) return start(pair.key as AnyNode);
      node = isScalar(pair.value) && pair.value.value === null ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment];
    } else {
      break;
    }
    offset = start(node as AnyNode);
  }
  if (problem.needle && node && (node as AnyNode)?.range) {
    const [from, to] = (node as { range: [number, number, number] }).range;
    const found = text.indexOf(problem.needle, from);
    if (found >= 0 && found < to) return found;
  }
  return offset;
}

function syntaxProblem(doc: Document.Parsed, text: string, error: YAMLError): { offset: number; reason: string } {
  const offset = error.pos[0];
  const message = error.message.replace(/\.$/, '');
  const detail = message.charAt(0).toLowerCase() + message.slice(1);
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      let key = '';
      visit(doc, {
        Pair(_, pair) {
          if (isScalar(pair.key) && start(pair.key) === offset) key = String(pair.key.value);
        },
      });
      return { offset, reason: `The key "${key}" appears twice in the same mapping: keep one` };
    }
    case 'TAB_AS_INDENT':
      return { offset, reason: 'A tab is used for indentation: indent with spaces' };
    case 'MULTILINE_IMPLICIT_KEY':
    case 'BLOCK_AS_IMPLICIT_KEY': {
      // The line indented too deep is where the span ends; the span starts on the value above it.
      const multiline = doc.errors.find((e) => e.code === 'MULTILINE_IMPLICIT_KEY') ?? error;
      const end = Math.max(multiline.pos[0], multiline.pos[1] - 1);
      const lineStart = text.lastIndexOf('\n', end - 1) + 1;
      return { offset: lineStart + (/^ */.exec(text.slice(lineStart))?.[0].length ?? 0), reason: `Wrong indentation: this line is indented deeper than the member above it, so YAML reads it as part of that value (${detail})` };
    }
    case 'BAD_INDENT':
    case 'UNEXPECTED_TOKEN': {
      const unclosed = /end with an? ([\]}])/.exec(message);
      if (unclosed) {
        // `title: [draft` runs on to the next lines: point at the bracket that opens it.
        let opened = -1;
        visit(doc, (_, node) => {
          if ((isSeq(node) || isMap(node)) && node.flow && node.range && node.range[0] < offset) opened = Math.max(opened, node.range[0]);
        });
        return { offset: opened >= 0 ? opened : offset, reason: `This ${unclosed[1] === ']' ? '[' : '{'} is never closed: close it with ${unclosed[1]}, or put the whole value in quotes` };
      }
      return indentationOr(offset, message, detail);
    }
    case 'MISSING_CHAR':
      if (/quote/i.test(message)) {
        // A quoted value may run over many lines: point at where it opens, not where the text ends.
        let opened = offset;
        visit(doc, {
          Scalar(_, scalar) {
            const [from, to] = scalar.range ?? [0, 0];
            if ((scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE') && from <= offset && offset <= to) opened = from;
          },
        });
        return { offset: opened, reason: 'This quoted value is never closed: add the closing quote at the end of the value' };
      }
      return indentationOr(offset, message, detail);
    case 'MULTIPLE_DOCS':
      return { offset, reason: 'A template is one YAML document: remove the "---" line and what follows it' };
    case 'RESOURCE_EXHAUSTION':
      return { offset, reason: 'The YAML is nested too deeply to read: a template needs a few levels at most' };
    case 'TAG_RESOLVE_FAILED':
      return { offset, reason: 'Tags (!name) are not allowed in a template: remove the tag and write the value plainly' };
    default:
      return { offset, reason: `YAML syntax error: ${detail}` };
  }
}

function indentationOr(offset: number, message: string, detail: string): { offset: number; reason: string } {
  if (/indent|indicator|column/i.test(message)) {
    return { offset, reason: `Wrong indentation (${detail}): the members of one mapping start in the same column, and a list item starts with "- "` };
  }
  return { offset, reason: `YAML syntax error: ${detail}` };
}

/** `title: {{credential.name}} leaked` reads as a YAML mapping; say so where it happens. */
function quoteHint(line: string): string {
  return /:\s+\{\{/.test(line) ? '. A value that starts with {{ must be in quotes: title: "{{credential.name}} leaked"' : '';
}

function firstCollectionKey(doc: Document.Parsed): number | null {
  let found: number | null = null;
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        found = start(pair.key as AnyNode);
        return visit.BREAK;
      }
    },
  });
  return found;
}

function firstAlias(doc: Document.Parsed, unresolvedOnly: boolean): { name: string; offset: number } {
  let found = { name: '?', offset: 0 };
  visit(doc, {
    Alias(_, alias) {
      if (unresolvedOnly && alias.resolve(doc) !== undefined) return;
      found = { name: alias.source, offset: start(alias) };
      return visit.BREAK;
    },
  });
  return found;
}
