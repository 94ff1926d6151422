/**
 * Leak triage: paste text or open a file, main scans it for secrets, and each finding comes back
 * masked, located and matched against the inventory. Matched findings start their rotation
 * playbooks with the leak as evidence. The text itself is never stored.
 */
import { ScanInput } from './ScanInput';
import { ScanProgress } from './ScanProgress';
import { ScanResults } from './ScanResults';
import { useLeaks } from './store';
import { useScanFollow } from './useScanFollow';

export function LeaksScreen({ onOpenRun }: { onOpenRun(runId: string): void }) {
  const scan = useLeaks((s) => s.scan);
  const findings = useLeaks((s) => s.findings);
  const pollError = useScanFollow();
  const running = scan?.state === 'running';
  return (
    <section aria-labelledby="leaks-title" className="screen leaks">
      <header className="screen-header">
        <h2 id="leaks-title">Leak triage</h2>
      </header>
      <ScanInput busy={running} compact={scan !== null} />
      {scan && running && <ScanProgress status={scan} pollError={pollError} />}
      {scan && !running && <ScanResults status={scan} findings={findings} error={pollError} onOpenRun={onOpenRun} />}
    </section>
  );
}
