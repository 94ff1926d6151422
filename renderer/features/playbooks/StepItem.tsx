/**
 * One item of the checklist: its state, kind, title and guidance, what was done (decision,
 * evidence, verified result, by whom and when), and, while the run is open, what to do next.
 */
import { useId } from 'react';
import type { RunStep, RunView } from '../../../shared/playbooks';
import { utcStamp } from '../../ui/timestamp';
import { Guidance } from './Guidance';
import { ACTION_LABELS, isSettled, KIND_OF_STEP, needsServer, STATE_LABELS, stateTone } from './labels';
import { StepActions } from './StepActions';
import { AddEvidence } from './StepNotes';
import type { RunHandle } from './useRun';

interface StepItemProps {
  run: RunView;
  step: RunStep;
  number: number;
  change: RunHandle['change'];
}

function Result({ result }: { result: NonNullable<RunStep['result']> }) {
  return (
    <div className={`step-result ${result.ok ? 'ok' : 'bad'}`} data-testid="step-result">
      <p>
        <strong>{result.ok ? 'Verified' : 'Failed'}:</strong> <span className="step-result-summary">{result.summary}</span>
      </p>
      {result.details.length > 0 && (
        <ul>
          {result.details.map((detail, i) => (
            <li key={i}>{detail}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function StepItem({ run, step, number, change }: StepItemProps) {
  const titleId = useId();
  const interrupted = run.interruptedSteps.includes(step.id);
  const settled = isSettled(step);
  const tone = stateTone(step, interrupted);
  const chosen = step.decision ? (step.options?.find((o) => o.value === step.decision)?.label ?? step.decision) : null;
  const open = run.state === 'open';
  const executing = step.state === 'running' && !interrupted;
  return (
    <li className={`step${settled ? ' settled' : ''}`}>
      <article aria-labelledby={titleId} className="step-card" data-state={step.state} data-open={open && !settled ? 'true' : undefined}>
        <header className="step-head">
          <span className="step-number mono muted">{number}</span>
          <h4 id={titleId} className="step-title">
            {step.title}
          </h4>
          <span className={`step-state ${tone}`}>{interrupted ? 'Interrupted' : STATE_LABELS[step.state]}</span>
        </header>
        <p className="step-meta muted small">
          {KIND_OF_STEP[step.kind]}
          {step.action ? `: ${ACTION_LABELS[step.action]}` : ''}
          {step.destructive && <strong className="step-destructive"> · cannot be undone</strong>}
          {step.attempts > 1 ? ` · ${step.attempts} attempts` : ''}
          {step.doneAt && (
            <>
              {' '}
              · {step.state === 'skipped' ? 'skipped' : 'done'} by {step.doneBy ?? 'unknown'} at <span className="mono">{utcStamp(step.doneAt)}</span>
            </>
          )}
        </p>
        {step.guidance &&
          (settled ? (
            <details className="step-guidance">
              <summary>Guidance</summary>
              <Guidance text={step.guidance} />
            </details>
          ) : (
            <Guidance text={step.guidance} />
          ))}
        {chosen && (
          <p>
            Chosen: <strong>{chosen}</strong>
          </p>
        )}
        {step.evidence && (
          <div className="step-evidence">
            <span className="muted small">Evidence</span>
            <div className="note">{step.evidence}</div>
          </div>
        )}
        {step.result && <Result result={step.result} />}
        {interrupted && (
          <p className="step-interrupted" role="note">
            Interrupted — CredOps checks the server before running it again.{needsServer(step.action) ? ' What the server already acknowledged is not sent twice.' : ' A change already made is not made twice.'}
          </p>
        )}
        {executing && (
          <p role="status" className="muted">
            Running now (started in this or another window)…
          </p>
        )}
        {open && !settled && !executing && <StepActions run={run} step={step} interrupted={interrupted} change={change} />}
        {settled && run.state !== 'abandoned' && <AddEvidence run={run} step={step} change={change} />}
      </article>
    </li>
  );
}
