/**
 * One run: what it is and how far it got, its checklist grouped by phase (contain → review), the
 * timeline beside it, and the run's own actions: dry run, report, printable page, abandon.
 */
import { useEffect, useId, useState } from 'react';
import type { PlaybookPhase, RunStep } from '../../../shared/playbooks';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { useAction } from '../../ui/useAction';
import { DryRunDialog } from './DryRunDialog';
import { isSettled, PHASE_LABELS, phasesOf, RUN_STATE_LABELS } from './labels';
import { ReportPreview } from './ReportPreview';
import { StepItem } from './StepItem';
import { Timeline } from './Timeline';
import { useRun } from './useRun';

type Overlay = 'dry-run' | 'report' | 'abandon' | null;

function focusNextStep(): void {
  const next = document.querySelector<HTMLElement>('.step-card[data-open="true"]');
  if (!next) return;
  next.scrollIntoView({ block: 'start' });
  next.querySelector<HTMLElement>('textarea, input, button:not(:disabled)')?.focus({ preventScroll: true });
}

function AbandonReason({ value, onChange }: { value: string; onChange(value: string): void }) {
  const id = useId();
  return (
    <>
      <label htmlFor={id}>Reason for abandoning</label>
      <textarea id={id} rows={3} maxLength={2000} value={value} onChange={(e) => onChange(e.target.value)} />
    </>
  );
}

export function RunView({ runId, onBack }: { runId: string; onBack(): void }) {
  const handle = useRun(runId);
  const { run, change } = handle;
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [reason, setReason] = useState('');
  const [format, setFormat] = useState<'markdown' | 'html'>('markdown');
  const [notice, setNotice] = useState<string | null>(null);
  const [serverName, setServerName] = useState<string | null>(null);
  const exporting = useAction();
  const serverId = run?.serverId ?? null;

  useEffect(() => {
    if (!serverId) return;
    let current = true;
    unwrap(api().servers.list()).then(
      ({ servers }) => current && setServerName(servers.find((s) => s.id === serverId)?.name ?? 'a server no longer in the vault'),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [serverId]);

  // Keyboard first: Alt+N (or the button) moves to the first step still to do, at its first control.
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.key.toLowerCase() === 'n' && !document.querySelector('dialog[open]')) {
        event.preventDefault();
        focusNextStep();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!run) {
    return (
      <div className="run-view">
        <button type="button" onClick={onBack}>
          ← Library
        </button>
        <ErrorNote message={handle.error} />
        {!handle.error && <p role="status">Opening the run…</p>}
      </div>
    );
  }

  const settled = run.steps.filter(isSettled).length;
  const failed = run.steps.filter((s) => s.state === 'failed').length;
  const byPhase = new Map<PlaybookPhase, RunStep[]>();
  for (const step of run.steps) byPhase.set(step.phase, [...(byPhase.get(step.phase) ?? []), step]);
  const numbers = new Map(run.steps.map((step, i) => [step.id, i + 1]));
  const kids = Object.entries(run.recorded.kids);

  return (
    <article className="run-view" aria-labelledby="run-title">
      <div className="row">
        <button type="button" onClick={onBack}>
          ← Library
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => void handle.reload()}>
          Reload
        </button>
      </div>
      <header className="run-header panel">
        <div className="row wrap">
          <h2 id="run-title">{run.title}</h2>
          <span className={`run-state ${run.state === 'abandoned' ? 'bad' : run.state === 'completed' ? 'ok' : ''}`} data-testid="run-state">
            {RUN_STATE_LABELS[run.state]}
          </span>
        </div>
        <p className="run-facts muted">
          {run.templateName} v{run.templateVersion} ·{' '}
          {run.credentialName ? (
            <>
              for <strong className="run-credential">{run.credentialName}</strong>
              {run.credentialDeleted && ' (deleted from the inventory since)'}
            </>
          ) : (
            'no credential (blank run)'
          )}{' '}
          · {serverId ? `server ${serverName ?? '…'}` : 'no server'} · started <span className="mono">{utcStamp(run.startedAt)}</span>
          {run.completedAt && (
            <>
              {' '}
              · {run.state === 'abandoned' ? 'abandoned' : 'completed'} <span className="mono">{utcStamp(run.completedAt)}</span>
            </>
          )}
        </p>
        <div className="run-progress">
          <progress aria-label="Run progress" max={run.steps.length} value={settled} />
          <span>
            {settled} of {run.steps.length} steps done or skipped
            {failed > 0 && <span className="bad"> · {failed} failed</span>}
            {run.interruptedSteps.length > 0 && <span className="warn"> · {run.interruptedSteps.length} interrupted</span>}
          </span>
        </div>
        {(run.recorded.tokens > 0 || kids.length > 0 || run.recorded.oldSecretFingerprint) && (
          <p className="small">
            Held for verification:{' '}
            {[
              run.recorded.tokens > 0 ? `${run.recorded.tokens.toLocaleString('en')} ${run.recorded.tokens === 1 ? 'token' : 'tokens'}` : null,
              ...kids.map(([name, kid]) => `${name} kid ${kid}`),
              run.recorded.oldSecretFingerprint ? `old secret ${run.recorded.oldSecretFingerprint}` : null,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        )}
        <div className="row wrap run-toolbar">
          {run.state === 'open' && (
            <>
              <button type="button" onClick={focusNextStep} disabled={settled === run.steps.length} aria-keyshortcuts="Alt+N">
                Next open step
              </button>
              <button type="button" onClick={() => setOverlay('dry-run')}>
                Dry run
              </button>
            </>
          )}
          <span className="toolbar-group">
            <label htmlFor="report-format" className="inline-label">
              Report format
            </label>
            <select id="report-format" value={format} onChange={(e) => setFormat(e.target.value as 'markdown' | 'html')}>
              <option value="markdown">Markdown</option>
              <option value="html">HTML (printable)</option>
            </select>
            <button
              type="button"
              disabled={exporting.busy}
              aria-busy={exporting.busy}
              onClick={() =>
                void exporting.run(async () => {
                  setNotice(null);
                  const { saved } = await unwrap(api().playbooks.report({ runId: run.id, format }));
                  if (saved) setNotice(`Saved the report to ${saved.fileName}.`);
                })
              }
            >
              Export report…
            </button>
          </span>
          <button type="button" onClick={() => setOverlay('report')}>
            Printable page
          </button>
          <span className="spacer" />
          {run.state === 'open' && (
            <button type="button" onClick={() => setOverlay('abandon')}>
              Abandon…
            </button>
          )}
        </div>
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <ErrorNote message={exporting.error ?? handle.error} />
      </header>

      <div className="run-body">
        <div className="run-steps">
          {phasesOf(run.steps).map((phase) => (
            <section key={phase} className="phase" aria-labelledby={`phase-${phase}`}>
              <h3 id={`phase-${phase}`}>
                {PHASE_LABELS[phase]}{' '}
                <span className="muted small">
                  {byPhase.get(phase)!.filter(isSettled).length}/{byPhase.get(phase)!.length}
                </span>
              </h3>
              <ol className="steps">
                {byPhase.get(phase)!.map((step) => (
                  <StepItem key={step.id} run={run} step={step} number={numbers.get(step.id)!} change={change} />
                ))}
              </ol>
            </section>
          ))}
        </div>
        <Timeline events={handle.timeline} total={handle.timelineTotal} offset={handle.timelineOffset} steps={run.steps} onPage={handle.showTimeline} />
      </div>

      {overlay === 'dry-run' && <DryRunDialog runId={run.id} onClose={() => setOverlay(null)} />}
      {overlay === 'report' && <ReportPreview runId={run.id} title={run.title} onClose={() => setOverlay(null)} />}
      {overlay === 'abandon' && (
        <ConfirmDialog
          title="Abandon this run?"
          confirmLabel="Abandon run"
          dismissLabel="Keep the run"
          onCancel={() => setOverlay(null)}
          onConfirm={async () => {
            await change((revision) => api().playbooks.abandon({ runId: run.id, revision, reason: reason.trim() }));
            setOverlay(null);
            setReason('');
          }}
        >
          <p>
            <strong>{run.title}</strong> stops here: {run.steps.length - settled} open {run.steps.length - settled === 1 ? 'step stays' : 'steps stay'} undone, nothing in it can change afterwards, and the tokens and old secret it held for verification are dropped.
          </p>
          <p className="muted">Its timeline and report are kept. Nothing changes at any server.</p>
          <AbandonReason value={reason} onChange={setReason} />
        </ConfirmDialog>
      )}
    </article>
  );
}
