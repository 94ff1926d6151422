/**
 * A finished (or cancelled) scan: what it found in one line, the findings table, the detail of the
 * finding open, and the way from findings to playbooks: choose matched findings, start, open the runs.
 */
import { useState } from 'react';
import type { LeakFinding, ScanStatus } from '../../../shared/leaks';
import { MAX_FINDINGS } from '../../../shared/leaks';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { useAction } from '../../ui/useAction';
import { FindingDetail } from './FindingDetail';
import { FindingsTable } from './FindingsTable';
import { bytes, isMatched, percentOf, plural, readText, sourceText, STATE_LABELS, summaryOf } from './labels';
import { StartPlaybooksDialog } from './StartPlaybooksDialog';
import { useLeaks, type StartedRun } from './store';

function Summary({ status, findings }: { status: ScanStatus; findings: LeakFinding[] }) {
  const { ours, unknown, jwts } = summaryOf(findings);
  return (
    <p className="leak-summary" data-testid="scan-summary">
      <strong>{plural(findings.length, 'secret')} found</strong>
      {findings.length > 0 && (
        <>
          : {ours.toLocaleString('en')} ours, {unknown.toLocaleString('en')} unknown, {plural(jwts, 'JWT')}
        </>
      )}{' '}
      <span className="muted">
        · {plural(status.lines, 'line')} scanned · {bytes(status.bytesScanned)}
      </span>
    </p>
  );
}

function StartedRuns({ runs, onOpenRun }: { runs: StartedRun[]; onOpenRun(runId: string): void }) {
  return (
    <section aria-label="Playbooks started" className="leak-runs notice" role="status">
      <p>
        Started {plural(runs.length, 'playbook run')}. Each has the leak as evidence on its first step.
      </p>
      <ul>
        {runs.map((run) => (
          <li key={run.runId} className="row">
            <span>
              <strong>{run.credentialName}</strong> · {run.templateName}
            </span>
            <button type="button" className="small-button" aria-label={`Open the run for ${run.credentialName} in Playbooks`} onClick={() => onOpenRun(run.runId)}>
              Open in Playbooks
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface ScanResultsProps {
  status: ScanStatus;
  findings: LeakFinding[] | null;
  error: string | null;
  onOpenRun(runId: string): void;
}

export function ScanResults({ status, findings, error, onOpenRun }: ScanResultsProps) {
  const chosen = useLeaks((s) => s.chosen);
  const openId = useLeaks((s) => s.openId);
  const runs = useLeaks((s) => s.runs);
  const { toggle, choose, open, cleared } = useLeaks.getState();
  const [confirming, setConfirming] = useState(false);
  const discard = useAction();
  const chosenFindings = (findings ?? []).filter((f) => chosen.includes(f.id));
  const opened = findings?.find((f) => f.id === openId) ?? null;
  const percent = percentOf(status);
  const anyMatched = (findings ?? []).some(isMatched);
  // A cancelled scan's findings can start playbooks too (a responder stops a huge log once the key turns up); the evidence says the read was partial.
  const complete = status.state === 'done' || status.state === 'cancelled';

  return (
    <section aria-labelledby="leak-results-title" className="leak-results">
      <header className="row wrap">
        <h3 id="leak-results-title">
          Results
          <span className="muted leak-source"> · {sourceText(status)}</span>
        </h3>
        <span className={`job-state leak-state ${status.state === 'failed' ? 'bad' : status.state === 'cancelled' ? 'warn' : ''}`} data-testid="scan-state">
          {STATE_LABELS[status.state]}
        </span>
        <span className="spacer" />
        {anyMatched && (
          <button type="button" className="primary" disabled={chosen.length === 0 || !complete} onClick={() => setConfirming(true)}>
            Start playbooks for selected ({chosen.length})
          </button>
        )}
        <button
          type="button"
          disabled={discard.busy}
          onClick={() =>
            void discard.run(async () => {
              await unwrap(api().leaks.discard({ scanId: status.scanId }));
              cleared();
            })
          }
        >
          Discard results
        </button>
      </header>
      {status.state === 'cancelled' && (
        <p className="warn" role="status">
          Scan cancelled after {readText(status)}
          {percent !== null && ` (${percent}%)`}. Only what was read before that is listed.
        </p>
      )}
      {status.state === 'failed' && <ErrorNote message={status.error ?? 'The scan stopped on an error. Try again; if the file is still being written, wait for it to finish.'} />}
      {status.truncated && (
        <p className="warn" role="status">
          More than {MAX_FINDINGS.toLocaleString('en')} distinct secrets: the rest were not listed. Treat the whole source as exposed.
        </p>
      )}
      <ErrorNote message={error ?? discard.error} />
      {findings && <Summary status={status} findings={findings} />}
      {runs && <StartedRuns runs={runs} onOpenRun={onOpenRun} />}
      {findings && findings.length > 0 && (
        <>
          <p className="muted small">
            {!anyMatched
              ? 'None of these is in the inventory, so no playbook starts from them: select a row for what to do at its issuer.'
              : complete
                ? 'Tick the findings that are ours (they match the inventory) to start their rotation playbooks. Select a row for its detail.'
                : 'Playbooks start only from a scan that finished or was cancelled. Select a row for its detail.'}
          </p>
          <FindingsTable findings={findings} chosen={chosen} openId={openId} onToggle={toggle} onChooseAll={choose} onOpen={open} />
        </>
      )}
      {findings && findings.length === 0 && status.state === 'done' && <p>No secret was found in it.</p>}
      {opened && <FindingDetail finding={opened} />}
      {confirming && chosenFindings.length > 0 && <StartPlaybooksDialog scan={status} chosen={chosenFindings} onClose={() => setConfirming(false)} />}
    </section>
  );
}
