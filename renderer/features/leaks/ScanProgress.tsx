/** A scan at work: how far it read (bytes of the total, lines, secrets so far) and Cancel. */
import type { ScanStatus } from '../../../shared/leaks';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { useAction } from '../../ui/useAction';
import { percentOf, plural, readText, sourceText } from './labels';
import { useLeaks } from './store';

export function ScanProgress({ status, pollError }: { status: ScanStatus; pollError: string | null }) {
  const cancel = useAction();
  const percent = percentOf(status);
  return (
    <section aria-label="Scan progress" className="panel leak-progress">
      <div className="row">
        <h3 className="leak-progress-title">
          Scanning <span className="muted">· {sourceText(status)}</span>
        </h3>
        <span className="spacer" />
        <button
          type="button"
          disabled={cancel.busy}
          aria-busy={cancel.busy}
          onClick={() => void cancel.run(async () => useLeaks.getState().progressed(await unwrap(api().leaks.cancel({ scanId: status.scanId }))))}
        >
          Cancel
        </button>
      </div>
      <div
        role="progressbar"
        aria-label="Scan progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? readText(status) : `${percent}%, ${readText(status)}`}
        className="meter-bar"
      >
        <div className="meter-fill" style={{ width: `${percent ?? 0}%` }} />
      </div>
      <p className="small" data-testid="scan-progress-text">
        {percent !== null && <strong>{percent}% · </strong>}
        {readText(status)} · {plural(status.lines, 'line')} · {plural(status.found, 'secret')} found so far
      </p>
      <ErrorNote message={cancel.error ?? pollError} />
    </section>
  );
}
