/**
 * The pause before a step that cannot be undone. An automated one names every call it will make
 * (read from the dry run, so nothing is sent to find out); a manual one says that marking it done
 * records an irreversible act as performed. Cancel and Escape leave the step waiting.
 */
import { useEffect, useState } from 'react';
import type { PlannedCall, RunStep, RunView } from '../../../shared/playbooks';
import { api, messageOf, unwrap } from '../../api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { CallTable } from './CallTable';

export interface StepInput {
  tokens?: string[];
  kid?: string;
}

interface StepConfirmProps {
  run: RunView;
  step: RunStep;
  /** What the responder gave the automated step; null for a manual one. */
  given: StepInput | null;
  onConfirm(): Promise<void>;
  onCancel(): void;
}

export function StepConfirm({ run, step, given, onConfirm, onCancel }: StepConfirmProps) {
  const automated = step.kind === 'automated';
  const [plan, setPlan] = useState<{ calls: PlannedCall[]; notes: string[] } | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);

  useEffect(() => {
    if (!automated) return;
    let current = true;
    unwrap(api().playbooks.dryRun({ runId: run.id })).then(
      ({ steps }) => current && setPlan(steps.find((s) => s.stepId === step.id) ?? { calls: [], notes: [] }),
      (e: unknown) => current && setPlanError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [automated, run.id, step.id]);

  return (
    <ConfirmDialog
      title={automated ? 'Run this step? It cannot be undone.' : 'Mark this step done? It cannot be undone.'}
      confirmLabel={automated ? 'Confirm and run' : 'Mark done'}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        <strong>{step.title}</strong>
      </p>
      {automated ? (
        <>
          <p>CredOps will make {plan && plan.calls.length === 1 ? 'this call' : 'these calls'} now{run.credentialName ? ` for ${run.credentialName}` : ''}:</p>
          {plan && plan.calls.length > 0 && <CallTable calls={plan.calls} label="Calls this step makes" />}
          {plan && plan.calls.length === 0 && <p className="muted">No call is planned for this step.</p>}
          {!plan && !planError && <p className="muted">Reading what the step does…</p>}
          {planError && <p className="muted">The list of calls could not be read ({planError}).</p>}
          {given?.tokens && <p>{given.tokens.length.toLocaleString('en')} pasted {given.tokens.length === 1 ? 'token' : 'tokens'} join the run's list.</p>}
          {plan?.notes
            .filter((note) => !note.startsWith('Pauses for confirmation'))
            .map((note) => (
              <p key={note} className="muted">
                {note}
              </p>
            ))}
          <p className="muted">Nothing has been sent yet. Once it runs, the result is verified before the step counts as done.</p>
        </>
      ) : (
        <>
          <p>This records the step as performed, by you, now. Mark it done only after you did it: the report and the timeline will say it was done.</p>
          <p className="muted">CredOps makes no call for a manual step.</p>
        </>
      )}
    </ConfirmDialog>
  );
}
