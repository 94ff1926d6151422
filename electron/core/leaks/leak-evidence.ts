/**
 * The evidence a playbook started from a leak begins with: where the leak was found and what was
 * found, masked and fingerprinted, never the secret or the text around it.
 */
import type { LeakFinding, ScanStatus } from '../../../shared/leaks';

const MAX_PLACES_NAMED = 5;

function places(finding: LeakFinding): string {
  const named = finding.places.slice(0, MAX_PLACES_NAMED).map((p) => `line ${p.line}, column ${p.column}`);
  const more = finding.occurrences - named.length;
  return more > 0 ? `${named.join('; ')} and ${more} more` : named.join('; ');
}

/** `the file "build.log"`, `text pasted as "CI #4411"`, `pasted text`. */
export function leakSource(status: ScanStatus): string {
  const { kind, label } = status.source;
  if (kind === 'file') return `the file "${label}"`;
  return label ? `text pasted as "${label}"` : 'pasted text';
}

export function leakEvidence(status: ScanStatus, findings: LeakFinding[], now: Date): string {
  const read =
    status.state === 'cancelled'
      ? `the scan was cancelled after ${status.lines.toLocaleString('en')} lines, so copies further on were not looked for`
      : `${status.lines.toLocaleString('en')} lines scanned`;
  const lines = [
    `Leak triage found this credential in ${leakSource(status)} (${read}; ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
    ...findings.map((f) => `- ${f.masked} (${f.format}, ${f.fingerprint})${f.assignedTo ? ` assigned to ${f.assignedTo}` : ''} at ${places(f)}.`),
  ];
  return lines.join('\n');
}
