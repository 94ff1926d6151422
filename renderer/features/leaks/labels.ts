/** The words and numbers the Leak triage screen shows for the contract's findings and scans. */
import { LEAK_PLAYBOOK_FOR_KIND, type LeakFinding, type LeakMatch, type ScanStatus } from '../../../shared/leaks';
import type { Verdict } from '../../../shared/tokens';

export type Severity = LeakFinding['severity'];

/** 0 for critical, upward as it gets milder: sorting by it ascending puts the worst first. */
export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

export const VERDICT_LABELS: Record<Verdict, string> = {
  valid: 'Valid',
  invalid: 'Invalid',
  unverifiable: 'Unverifiable (no key given)',
  unparseable: 'Unparseable',
  opaque: 'Opaque',
};

export const STATE_LABELS: Record<ScanStatus['state'], string> = { running: 'Scanning', done: 'Done', cancelled: 'Cancelled', failed: 'Failed' };

const count = (n: number) => n.toLocaleString('en');
export const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** 1536 → `1.5 KB`; decimal units, as file managers show sizes. */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = n / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export const placeText = (place: { line: number; column: number }) => `${place.line}:${place.column}`;

/** `payments-partner-key · production · owner Payments · 3 copies`, and its status when not active. */
export function matchText(match: LeakMatch): string {
  return [match.name, match.environment, match.owner ? `owner ${match.owner}` : 'no owner', plural(match.copies, 'copy', 'copies'), match.status === 'active' ? null : match.status].filter(Boolean).join(' · ');
}

export const isMatched = (finding: LeakFinding) => finding.matches.length > 0;

/** The built-in playbook a matched credential gets, by its kind. */
export const defaultTemplateId = (match: LeakMatch) => LEAK_PLAYBOOK_FOR_KIND[match.kind];

/** Each matched credential once, in the order the chosen findings name them, with the findings that are it. */
export function credentialsOf(findings: LeakFinding[]): { match: LeakMatch; findings: LeakFinding[] }[] {
  const byId = new Map<string, { match: LeakMatch; findings: LeakFinding[] }>();
  for (const finding of findings) {
    for (const match of finding.matches) {
      const entry = byId.get(match.credentialId) ?? { match, findings: [] };
      entry.findings.push(finding);
      byId.set(match.credentialId, entry);
    }
  }
  return [...byId.values()];
}

export function summaryOf(findings: LeakFinding[]): { ours: number; unknown: number; jwts: number } {
  const ours = findings.filter(isMatched).length;
  return { ours, unknown: findings.length - ours, jwts: findings.filter((f) => f.kind === 'jwt').length };
}

/** `CI build #4411 log (pasted)`, `payments-worker.log (file)`; an unlabelled paste is `pasted text`. */
export function sourceText(status: ScanStatus): string {
  const { kind, label } = status.source;
  if (kind === 'paste' && !label) return 'pasted text';
  return `${label || 'a file'} (${kind === 'file' ? 'file' : 'pasted'})`;
}

export function percentOf(status: ScanStatus): number | null {
  if (!status.totalBytes) return null;
  return Math.min(100, Math.floor((status.bytesScanned / status.totalBytes) * 100));
}

export function readText(status: ScanStatus): string {
  return status.totalBytes === null ? `${bytes(status.bytesScanned)} read` : `${bytes(status.bytesScanned)} of ${bytes(status.totalBytes)}`;
}
