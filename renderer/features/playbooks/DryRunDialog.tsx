/**
 * The dry run: every call the run's remaining automated steps would make, read by the core from
 * what the vault holds. Nothing is sent to any server to produce it.
 */
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../shared/contract';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Modal } from '../../ui/Modal';
import { CallTable } from './CallTable';
import { ACTION_LABELS } from './labels';

type Plan = ChannelOutput<'playbooks:dryRun'>;

export function DryRunDialog({ runId, onClose }: { runId: string; onClose(): void }) {
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    unwrap(api().playbooks.dryRun({ runId })).then(
      (answer) => current && setPlan(answer),
      (e: unknown) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [runId]);

  const calls = plan?.steps.reduce((sum, step) => sum + step.calls.reduce((n, call) => n + call.count, 0), 0) ?? 0;
  return (
    <Modal labelledBy="dry-run-title" onClose={onClose} className="dry-run-dialog">
      <h2 id="dry-run-title">Dry run</h2>
      <p className="muted">What the remaining automated steps would do, in order. Nothing was sent to produce this list.</p>
      <ErrorNote message={error} />
      {!plan && !error && <p role="status">Planning…</p>}
      {plan && plan.steps.length === 0 && <p>No automated step is left to run.</p>}
      {plan && plan.steps.length > 0 && (
        <>
          <p role="status">
            {plan.steps.length} automated {plan.steps.length === 1 ? 'step' : 'steps'}, {calls.toLocaleString('en')} {calls === 1 ? 'call' : 'calls'} in all.
          </p>
          {plan.steps.map((step) => (
            <section key={step.stepId} className="dry-run-step" aria-label={step.title}>
              <h3>
                {step.title} <span className="muted small">({ACTION_LABELS[step.action]})</span>
              </h3>
              {step.calls.length > 0 ? <CallTable calls={step.calls} label={`Calls of ${step.title}`} /> : <p className="muted">No call.</p>}
              {step.notes.length > 0 && (
                <ul className="dry-run-notes">
                  {step.notes.map((note) => (
                    <li key={note}>{note}</li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </>
      )}
      <div className="row dialog-actions">
        <span className="spacer" />
        <button type="button" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </Modal>
  );
}
