/** One bulk revocation job: progress, counts per state, waiting and errors, and its controls. */
import { useState } from 'react';
import type { BulkItemView, BulkStatus } from '../../../shared/servers';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ITEM_STATE_LABELS, ITEM_STATE_ORDER, ITEM_STATE_TONE, JOB_STATE_LABELS } from './labels';
import { useAction } from '../../ui/useAction';

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);
const ATTENTION = ['failed', 'still_active', 'unsupported'] as const;

interface BulkJobViewProps {
  status: BulkStatus;
  pollError: string | null;
  onUpdate(status: BulkStatus): void;
}

function ProblemItems({ jobId }: { jobId: string }) {
  const [items, setItems] = useState<BulkItemView[] | null>(null);
  const load = useAction();
  if (!items) {
    return (
      <div className="row">
        <button type="button" disabled={load.busy} onClick={() => void load.run(async () => setItems((await unwrap(api().servers.bulkItems({ jobId, states: [...ATTENTION], offset: 0, limit: 200 }))).items))}>
          Show tokens that need attention
        </button>
        <ErrorNote message={load.error} />
      </div>
    );
  }
  return (
    <table className="table compact bulk-items" aria-label="Tokens that need attention">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Fingerprint</th>
          <th scope="col">State</th>
          <th scope="col">Attempts</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.n}>
            <td className="mono">{item.n}</td>
            <td className="mono truncate" title={item.fingerprint}>
              {item.fingerprint}
            </td>
            <td className={ITEM_STATE_TONE[item.state] ?? ''}>{ITEM_STATE_LABELS[item.state]}</td>
            <td className="mono">{item.attempts}</td>
            <td className="wrap-anywhere">{item.detail ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BulkJobView({ status, pollError, onUpdate }: BulkJobViewProps) {
  const control = useAction();
  const [cancelling, setCancelling] = useState(false);
  const count = (state: keyof typeof ITEM_STATE_LABELS) => status.counts[state] ?? 0;
  // Cancelled tokens were never sent: they are not progress, and the bar must not read as done.
  const handled = status.total - count('pending') - count('sending') - count('cancelled');
  const open = status.state === 'running' || status.state === 'verifying' || status.state === 'paused';
  const attention = ATTENTION.reduce((n, s) => n + count(s), 0);

  const act = (work: () => Promise<BulkStatus>) => void control.run(async () => onUpdate(await work()));
  return (
    <section aria-label="Bulk revocation job" className="bulk-job">
      <header className="row wrap">
        <h3 className="bulk-job-title">{status.label}</h3>
        <span className={`job-state ${status.state}`} data-testid="bulk-job-state">
          {JOB_STATE_LABELS[status.state]}
        </span>
        <span className="spacer" />
        {(status.state === 'running' || status.state === 'verifying') && status.active && (
          <button type="button" disabled={control.busy} onClick={() => act(() => unwrap(api().servers.bulkPause({ jobId: status.id })))}>
            Pause
          </button>
        )}
        {/* A job no runner is working on (its server was unreachable at unlock, or it stopped on an error). */}
        {(status.state === 'paused' || ((status.state === 'running' || status.state === 'verifying') && !status.active)) && (
          <button type="button" className="primary" disabled={control.busy} onClick={() => act(() => unwrap(api().servers.bulkResume({ jobId: status.id })))}>
            Resume
          </button>
        )}
        {open && (
          <button type="button" disabled={control.busy} onClick={() => setCancelling(true)}>
            Cancel job…
          </button>
        )}
      </header>
      <div className="bulk-progress">
        <progress aria-label="Bulk revocation progress" max={Math.max(status.total, 1)} value={handled} />
        <span className="mono" data-testid="bulk-progress-text">
          {handled} / {status.total}
        </span>
      </div>
      <ul className="bulk-counts" aria-label="Counts by state">
        {ITEM_STATE_ORDER.filter((s) => s !== 'cancelled' || count(s) > 0).map((s) => (
          <li key={s} className={count(s) > 0 ? (ITEM_STATE_TONE[s] ?? '') : 'zero'}>
            <span className="count-label">{ITEM_STATE_LABELS[s]}</span> <strong className="mono">{count(s)}</strong>
          </li>
        ))}
      </ul>
      {status.waitingUntil !== null && status.waitingUntil > Date.now() - 1000 && open && (
        <p role="status" className="warn">
          The server asked CredOps to slow down: waiting for the server until {clock(status.waitingUntil)} UTC.
        </p>
      )}
      {status.lastError && <p className="error-note">Last error: {status.lastError}</p>}
      <p className="muted small">
        Started <span className="mono">{utcStamp(status.createdAt)}</span>
        {status.finishedAt ? (
          <>
            {' '}
            · ended <span className="mono">{utcStamp(status.finishedAt)}</span>
          </>
        ) : null}
      </p>
      <ErrorNote message={control.error ?? pollError} />
      {!open && attention > 0 && <ProblemItems key={status.id} jobId={status.id} />}
      {cancelling && (
        <ConfirmDialog
          title={`Cancel “${status.label}”?`}
          confirmLabel="Cancel job"
          dismissLabel="Keep the job"
          onCancel={() => setCancelling(false)}
          onConfirm={async () => {
            onUpdate(await unwrap(api().servers.bulkCancel({ jobId: status.id })));
            setCancelling(false);
          }}
        >
          <p>
            The {count('pending')} tokens not sent yet are not revoked. The {handled} already handled stay as they are: a revoked token stays revoked.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
