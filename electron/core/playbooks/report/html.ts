/**
 * The report as one self-contained printable page: no script, no external resource (a Content
 * Security Policy that allows only the inline style says so to the browser too), A4 print CSS that
 * repeats table headers on every page and starts the timeline on a new one, and nothing that needs
 * colour to be read. Every piece of user text is HTML-escaped.
 */
import { redactionNote } from './markdown';
import type { EventView, ReportModel, StepView, SummaryRow } from './model';

const HTML_SPECIAL = /[&<>"']/g;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const HAS_HTML_SPECIAL = /[&<>"']/;

export function escapeHtml(text: string): string {
  return HAS_HTML_SPECIAL.test(text) ? text.replace(HTML_SPECIAL, (char) => HTML_ESCAPES[char]) : text;
}

const DASH = '<span class="none">—</span>';
const text = (value: string | null) => (value === null || value === '' ? DASH : escapeHtml(value));

const columns = (widths: number[]) => `<colgroup>${widths.map((width) => `<col style="width: ${width}%">`).join('')}</colgroup>`;
const STEP_COLUMNS = columns([5, 22, 9, 13, 11, 22, 18]);
const EVENT_COLUMNS = columns([6, 13, 15, 13, 15, 38]);

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

const STYLE = `
@page { size: A4; margin: 14mm 12mm 16mm; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; padding: 10mm 8mm; max-width: 210mm; color: #000; background: #fff;
  font: 10pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
h1 { font-size: 17pt; line-height: 1.2; margin: 0 0 1.5mm; overflow-wrap: anywhere; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #000; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; break-after: avoid; page-break-after: avoid; }
p { margin: 0 0 2mm; }
.generated { color: #333; font-size: 9pt; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 3mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.6pt solid #444; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #e8e8e8; font-weight: 600; }
.facts th { width: 28%; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.time { font-variant-numeric: tabular-nums; }
.mono, code { font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
.fingerprint { font-weight: 600; letter-spacing: 0.02em; }
.note { white-space: pre-wrap; }
.sub { display: block; font-size: 8.5pt; color: #333; }
.none { color: #555; }
.state-failed, .verify-failed { font-weight: 700; text-decoration: underline; }
.state-skipped { font-style: italic; }
.state-pending, .state-awaiting_confirmation, .state-running { font-style: italic; color: #333; }
.verify-ok { font-weight: 600; }
.details { margin: 1mm 0 0; padding-left: 4mm; }
.timeline { break-before: page; page-break-before: always; }
.timeline table { font-size: 8.5pt; }
@media print { body { padding: 0; max-width: none; } }
@media screen and (prefers-color-scheme: dark) {
  :root { color-scheme: dark; }
  body { background: #151515; color: #e8e8e8; }
  th { background: #2a2a2a; }
  th, td { border-color: #777; }
  h2 { border-color: #e8e8e8; }
  .generated, .sub, .none, .state-pending, .state-awaiting_confirmation, .state-running { color: #bbb; }
}
`;

function summaryRow(entry: SummaryRow): string {
  const value = entry.mono ? `<span class="mono${entry.label === 'Fingerprint' ? ' fingerprint' : ''}">${escapeHtml(entry.value)}</span>` : text(entry.value);
  return `<tr><th scope="row">${escapeHtml(entry.label)}</th><td>${value}</td></tr>`;
}

function verification(step: StepView): string {
  if (!step.automated) return DASH;
  if (!step.verification) return '<span class="none">not run</span>';
  const { ok, summary, details } = step.verification;
  const parts = [`<span class="${ok ? 'verify-ok' : 'verify-failed'}">${ok ? '✓ ok' : '✗ FAILED'}</span>`];
  if (summary) parts.push(`: <span class="note">${escapeHtml(summary)}</span>`);
  if (details.length > 0) {
    parts.push('<ul class="details">');
    for (const detail of details) parts.push(`<li class="note">${escapeHtml(detail)}</li>`);
    parts.push('</ul>');
  }
  return parts.join('');
}

/** Who and when in one cell: A4 portrait has no room for both as columns. */
function done(step: StepView): string {
  if (step.doneBy === null && step.doneAt === null) return DASH;
  const parts: string[] = [];
  if (step.doneBy !== null) parts.push(escapeHtml(step.doneBy));
  if (step.doneAt !== null) parts.push(`<span class="sub time">${escapeHtml(step.doneAt)}</span>`);
  return parts.join('');
}

function stepRow(step: StepView): string {
  return [
    `<tr><td class="num">${step.number}</td>`,
    `<td>${text(step.title)}<span class="sub"><span>${escapeHtml(step.kind)}</span> · <span class="mono">${escapeHtml(step.id)}</span></span></td>`,
    `<td class="state-${escapeHtml(step.state)}">${escapeHtml(step.stateLabel)}</td>`,
    `<td>${done(step)}</td>`,
    `<td>${text(step.decision)}</td>`,
    `<td class="note">${text(step.evidence)}</td>`,
    `<td>${verification(step)}</td></tr>`,
  ].join('');
}

function eventRow(event: EventView): string {
  return `<tr><td class="num">${event.seq}</td><td class="time">${text(event.at)}</td><td>${text(event.actor)}</td><td>${escapeHtml(event.type)}</td><td class="mono">${text(event.step)}</td><td class="note">${text(event.detail)}</td></tr>`;
}

export function renderHtml(model: ReportModel): string {
  const title = escapeHtml(model.title);
  const out: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>Incident report: ${title}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>Incident report: ${title}</h1>`,
    `<p class="generated">Generated ${escapeHtml(model.generatedAt)} by ${escapeHtml(model.generatedBy)}. Secrets appear only as fingerprints; ${escapeHtml(redactionNote(model.redactions))}</p>`,
    '</header>',
    '<main>',
    '<section class="summary" aria-labelledby="summary-heading">',
    '<h2 id="summary-heading">Summary</h2>',
    '<table class="facts"><tbody>',
    ...model.summary.map(summaryRow),
    '</tbody></table>',
    '</section>',
    '<section class="durations" aria-labelledby="durations-heading">',
    '<h2 id="durations-heading">Durations</h2>',
    '<table class="facts"><tbody>',
    ...model.durations.map((entry) => `<tr><th scope="row">${escapeHtml(entry.label)}</th><td>${escapeHtml(entry.value)}</td></tr>`),
    '</tbody></table>',
    '</section>',
    '<section class="steps" aria-labelledby="steps-heading">',
    '<h2 id="steps-heading">Steps</h2>',
    `<p>${escapeHtml(model.stepCounts)}</p>`,
  ];
  for (const phase of model.phases) {
    out.push(`<h3>${escapeHtml(phase.label)}</h3>`);
    out.push(
      `<table>${STEP_COLUMNS}<thead><tr><th scope="col">#</th><th scope="col">Step</th><th scope="col">State</th><th scope="col">Done by, at (UTC)</th><th scope="col">Decision</th><th scope="col">Evidence</th><th scope="col">Verification</th></tr></thead><tbody>`,
    );
    for (const step of phase.steps) out.push(stepRow(step));
    out.push('</tbody></table>');
  }
  out.push('</section>', '<section class="timeline" aria-labelledby="timeline-heading">', '<h2 id="timeline-heading">Timeline</h2>');
  if (model.timeline.length === 0) out.push('<p>No events.</p>');
  else {
    out.push(`<table>${EVENT_COLUMNS}<thead><tr><th scope="col">Seq</th><th scope="col">Time (UTC)</th><th scope="col">Actor</th><th scope="col">Event</th><th scope="col">Step</th><th scope="col">Detail</th></tr></thead><tbody>`);
    for (const event of model.timeline) out.push(eventRow(event));
    out.push('</tbody></table>');
  }
  out.push('</section>', '</main>', '</body>', '</html>', '');
  return out.join('\n');
}
