/** The notes a step takes besides its own action: a reason to skip it, and evidence added after it ended. */
import { useId, useState } from 'react';
import type { RunStep, RunView } from '../../../shared/playbooks';
import { api } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { useAction } from '../../ui/useAction';
import type { RunHandle } from './useRun';

interface StepNoteProps {
  run: RunView;
  step: RunStep;
  change: RunHandle['change'];
}

export function SkipForm({ run, step, change, onCancel }: StepNoteProps & { onCancel(): void }) {
  const id = useId();
  const [reason, setReason] = useState('');
  const action = useAction();
  return (
    <form
      className="skip-form"
      aria-label="Skip this step"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(() => change((revision) => api().playbooks.skipStep({ runId: run.id, stepId: step.id, revision, reason: reason.trim() })));
      }}
    >
      <label htmlFor={id}>Reason for skipping</label>
      <textarea id={id} rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      <ErrorNote message={action.error} />
      <div className="row">
        <button type="submit" disabled={action.busy || !reason.trim()} aria-busy={action.busy}>
          Skip step
        </button>
        <button type="button" onClick={onCancel} disabled={action.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** After a step ended: more evidence can still be added (a link found later), until the run is abandoned. */
export function AddEvidence({ run, step, change }: StepNoteProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const action = useAction();
  if (!open) {
    return (
      <button type="button" className="small-button" onClick={() => setOpen(true)}>
        Add evidence…
      </button>
    );
  }
  return (
    <form
      className="step-form"
      aria-label="Add evidence"
      onSubmit={(event) => {
        event.preventDefault();
        void action.run(async () => {
          await change((revision) => api().playbooks.addEvidence({ runId: run.id, stepId: step.id, revision, note: note.trim() }));
          setNote('');
          setOpen(false);
        });
      }}
    >
      <label htmlFor={id}>More evidence</label>
      <textarea id={id} rows={2} maxLength={10_000} value={note} onChange={(e) => setNote(e.target.value)} autoFocus />
      <ErrorNote message={action.error} />
      <div className="row">
        <button type="submit" disabled={action.busy || !note.trim()}>
          Add evidence
        </button>
        <button type="button" onClick={() => setOpen(false)} disabled={action.busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
