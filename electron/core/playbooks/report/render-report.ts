/**
 * The run report: Markdown and a printable HTML page with the incident summary, the durations,
 * every step by phase with who did it and when, its decision, evidence and verification, and the
 * full timeline. Secrets appear only as the credential's fingerprint; anything in user text that
 * looks like one is redacted before either format is written.
 */
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { buildReportModel, type ReportInput } from './model';

export type { ReportCredential, ReportInput } from './model';

export interface RenderedReport {
  markdown: string;
  html: string;
}

export function renderReport(input: ReportInput): RenderedReport {
  const model = buildReportModel(input);
  return { markdown: renderMarkdown(model), html: renderHtml(model) };
}
