/**
 * The report as GitHub-flavoured Markdown: for a ticket, a wiki page or a pull request. User text
 * is escaped so that it reads as it was typed and cannot change the document's shape: a `|` stays
 * inside its table cell, a line break becomes `<br>` so a row stays one line, a leading `#` or `>`
 * is not a heading or a quote, `<` is never HTML and `&` never an entity. Escapes are backslashes
 * only, so the raw text stays readable and removing them gives back what was typed.
 */
import type { EventView, ReportModel, StepView, SummaryRow } from './model';

const INLINE_SPECIAL = /[\\`*_[\]|~<>&$]/g;
const INLINE_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '`': '\\`',
  '*': '\\*',
  _: '\\_',
  '[': '\\[',
  ']': '\\]',
  '|': '\\|',
  '~': '\\~',
  $: '\\$',
  '<': '\\<',
  '>': '\\>',
  '&': '\\&',
};
/** What would start a block at the beginning of a line: heading, list item, rule, setext underline, ordered item. */
const BLOCK_START = /^([ \t]*)(?:([#+=-])|(\d{1,9})([.)]))/gm;
const FIRST_LINE_BLOCK_START = /^[ \t]*(?:[#+=-]|\d{1,9}[.)])/;
const HAS_INLINE_SPECIAL = /[\\`*_[\]|~<>&$]/;
const LINE_BREAKS = /\r\n|\r|\n/;
const HAS_LINE_BREAK = /[\r\n]/;
/** A fingerprint is shown as code only when nothing in it needs escaping there. */
const CODE_SAFE = /^[A-Za-z0-9:._+/=-]+$/;

/** User text for a table cell or a line: escaped, on one line. */
export function markdownText(text: string): string {
  let out = HAS_INLINE_SPECIAL.test(text) ? text.replace(INLINE_SPECIAL, (char) => INLINE_ESCAPES[char]) : text;
  const multiline = HAS_LINE_BREAK.test(out);
  if (multiline || FIRST_LINE_BLOCK_START.test(out)) {
    out = out.replace(BLOCK_START, (_match, indent: string, mark: string | undefined, digits: string, punct: string) => (mark ? `${indent}\\${mark}` : `${indent}${digits}\\${punct}`));
  }
  return multiline ? out.split(LINE_BREAKS).join('<br>') : out;
}

const cell = (text: string | null) => (text === null || text === '' ? '—' : markdownText(text));
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const mono = (text: string) => (CODE_SAFE.test(text) ? `\`${text}\`` : markdownText(text));

function summaryRow(entry: SummaryRow): string {
  return row([entry.label, entry.mono ? mono(entry.value) : cell(entry.value)]);
}

function verification(step: StepView): string {
  if (!step.automated) return '—';
  if (!step.verification) return 'not run';
  const { ok, summary, details } = step.verification;
  const parts = [`**${ok ? 'ok' : 'FAILED'}**${summary ? `: ${markdownText(summary)}` : ''}`];
  for (const detail of details) parts.push(`• ${markdownText(detail)}`);
  return parts.join('<br>');
}

function stepRow(step: StepView): string {
  return row([
    String(step.number),
    `${cell(step.title)}<br>${markdownText(step.kind)} · ${markdownText(step.id)}`,
    step.state === 'failed' ? `**${step.stateLabel}**` : markdownText(step.stateLabel),
    cell(step.doneBy),
    cell(step.doneAt),
    cell(step.decision),
    cell(step.evidence),
    verification(step),
  ]);
}

function eventRow(event: EventView): string {
  return row([String(event.seq), event.at === '' ? '—' : markdownText(event.at), cell(event.actor), markdownText(event.type), cell(event.step), cell(event.detail)]);
}

export function renderMarkdown(model: ReportModel): string {
  const lines: string[] = [
    `# Incident report: ${markdownText(model.title)}`,
    '',
    `Generated ${model.generatedAt} by ${markdownText(model.generatedBy)}. Secrets appear only as fingerprints; ${redactionNote(model.redactions)}`,
    '',
    '## Summary',
    '',
    row(['Field', 'Value']),
    row(['---', '---']),
    ...model.summary.map(summaryRow),
    '',
    '## Durations',
    '',
    row(['Measure', 'Duration']),
    row(['---', '---']),
    ...model.durations.map((entry) => row([entry.label, markdownText(entry.value)])),
    '',
    '## Steps',
    '',
    model.stepCounts,
  ];
  for (const phase of model.phases) {
    lines.push('', `### ${phase.label}`, '');
    lines.push(row(['#', 'Step', 'State', 'Done by', 'Done at (UTC)', 'Decision', 'Evidence', 'Verification']));
    lines.push(row(['---:', '---', '---', '---', '---', '---', '---', '---']));
    for (const step of phase.steps) lines.push(stepRow(step));
  }
  lines.push('', '## Timeline', '');
  if (model.timeline.length === 0) lines.push('No events.');
  else {
    lines.push(row(['Seq', 'Time (UTC)', 'Actor', 'Event', 'Step', 'Detail']));
    lines.push(row(['---:', '---', '---', '---', '---', '---']));
    for (const event of model.timeline) lines.push(eventRow(event));
  }
  lines.push('');
  return lines.join('\n');
}

export function redactionNote(count: number): string {
  if (count === 0) return 'nothing in the notes looked like a secret.';
  return `${count} ${count === 1 ? 'passage that looked like a secret was' : 'passages that looked like secrets were'} redacted.`;
}
