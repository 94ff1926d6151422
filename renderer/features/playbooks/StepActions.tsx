/**
 * What a responder does at an open step: a manual one is marked done with an evidence note, a
 * decision is made by choosing an option, an automated one is run (with the tokens or kid it needs).
 * A step that cannot be undone asks first, naming what will happen; any step can be skipped with a
 * reason. An automated step found interrupted is resumed: the core checks the server before acting.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { RunStep, RunView } from '../../../shared/playbooks';
import { api } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { useAction } from '../../ui/useAction';
import { StepConfirm, type StepInput } from './StepConfirm';
import { SkipForm } from './StepNotes';
import { needsServer, usesKid, usesTokens } from './labels';
import type { RunHandle } from './useRun';

interface StepActionsProps {
  run: RunView;
  step: RunStep;
  interrupted: boolean;
  change: RunHandle['change'];
}

/** A form of one step kind: its controls, with the Skip… button beside its own. */
type FormProps = StepActionsProps & { skip: ReactNode };

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The kid a JWKS check looks for: a literal of the template, or `new`/`old` entered once per run. */
function kidNeed(run: RunView, step: RunStep): { name: string | null; known: string | null } {
  const kid = typeof step.params.kid === 'string' ? step.params.kid : null;
  if (kid !== null && kid !== 'new' && kid !== 'old') return { name: null, known: kid };
  return { name: kid, known: kid ? (run.recorded.kids[kid] ?? null) : null };
}

function AutomatedForm({ run, step, interrupted, change, skip }: FormProps) {
  const tokensId = useId();
  const kidId = useId();
  const [tokens, setTokens] = useState('');
  const [kid, setKid] = useState('');
  const [confirming, setConfirming] = useState<StepInput | null>(null);
  const action = useAction();
  const pasted = step.params.source === 'pasted';
  const kidOf = kidNeed(run, step);
  const blocked =
    needsServer(step.action) && !run.serverId
      ? 'This run has no server to act on: do this step by hand, then skip it with a note of what you did.'
      : step.action === 'markCredential' && !run.credentialId
        ? 'This run has no credential: mark it in the inventory by hand, then skip this step with a note.'
        : null;

  const input = (): StepInput | undefined => {
    const given: StepInput = {};
    if (usesTokens(step.action) && lines(tokens).length) given.tokens = lines(tokens);
    if (usesKid(step.action) && kid.trim()) given.kid = kid.trim();
    return Object.keys(given).length ? given : undefined;
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    const given = input();
    const send = (confirm: boolean) => change((revision) => api().playbooks.runStep({ runId: run.id, stepId: step.id, revision, confirm, input: given }));
    if (step.destructive && !interrupted) {
      // Without confirm the core only parks the step (keeping what was given): nothing is done yet.
      const answer = await action.run(() => send(false));
      if (answer?.steps.find((s) => s.id === step.id)?.state === 'awaiting_confirmation') setConfirming(given ?? {});
      return;
    }
    // An interrupted step was confirmed before it started: resuming checks the server first.
    const answer = await action.run(() => send(interrupted));
    if (answer) {
      setTokens('');
      setKid('');
    }
  }

  const label = interrupted ? 'Resume' : step.state === 'failed' ? 'Retry' : step.destructive ? 'Run…' : 'Run';
  return (
    <>
      <form className="step-form" aria-label="Run this step" onSubmit={(e) => void submit(e)}>
        {usesTokens(step.action) && (
          <div className="field">
            <label htmlFor={tokensId}>Tokens, one per line</label>
            <textarea id={tokensId} className="mono token-list" rows={3} spellCheck={false} autoComplete="off" value={tokens} onChange={(e) => setTokens(e.target.value)} />
            <span className="hint small">
              {pasted
                ? 'The tokens this step acts on; they are sealed into the run and never shown again.'
                : run.recorded.tokens > 0
                  ? `The run holds ${run.recorded.tokens.toLocaleString('en')} exposure-window ${run.recorded.tokens === 1 ? 'token' : 'tokens'}; any pasted here join them.`
                  : 'No exposure-window tokens are recorded yet: paste them here.'}
              {lines(tokens).length > 0 && ` ${lines(tokens).length.toLocaleString('en')} pasted.`}
            </span>
          </div>
        )}
        {usesKid(step.action) &&
          (kidOf.name === null || kidOf.known === null ? (
            <div className="field">
              <label htmlFor={kidId}>{kidOf.name ? `The ${kidOf.name} key's kid` : 'Kid to look for'}</label>
              <input id={kidId} className="mono" maxLength={500} autoComplete="off" spellCheck={false} value={kid} onChange={(e) => setKid(e.target.value)} />
            </div>
          ) : (
            <p className="small">
              Looks for kid <code>{kidOf.known}</code>
              {kidOf.name ? ` (the ${kidOf.name} key, as recorded for this run)` : ''}.
            </p>
          ))}
        {blocked && <p className="step-blocked">{blocked}</p>}
        <ErrorNote message={action.error} />
        <div className="row">
          <button type="submit" className="primary" disabled={action.busy || Boolean(blocked)} aria-busy={action.busy}>
            {label}
          </button>
          {skip}
          {action.busy && (
            <span role="status" className="muted">
              {step.destructive ? 'Checking…' : 'Running…'}
            </span>
          )}
        </div>
      </form>
      {confirming && (
        <StepConfirm
          run={run}
          step={step}
          given={confirming}
          onCancel={() => setConfirming(null)}
          onConfirm={async () => {
            await change((revision) => api().playbooks.runStep({ runId: run.id, stepId: step.id, revision, confirm: true, input: Object.keys(confirming).length ? confirming : undefined }));
            setConfirming(null);
            setTokens('');
            setKid('');
          }}
        />
      )}
    </>
  );
}

function ManualForm({ run, step, change, skip }: FormProps) {
  const id = useId();
  const [evidence, setEvidence] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const complete = () => change((revision) => api().playbooks.completeStep({ runId: run.id, stepId: step.id, revision, evidence: evidence.trim() }));
  return (
    <>
      <form
        className="step-form"
        aria-label="Complete this step"
        onSubmit={(event) => {
          event.preventDefault();
          if (step.destructive) setConfirming(true);
          else void action.run(complete);
        }}
      >
        <label htmlFor={id}>Evidence note</label>
        <textarea id={id} rows={2} maxLength={10_000} value={evidence} onChange={(e) => setEvidence(e.target.value)} />
        <ErrorNote message={action.error} />
        <div className="row">
          <button type="submit" className="primary" disabled={action.busy} aria-busy={action.busy}>
            {step.destructive ? 'Mark done…' : 'Mark done'}
          </button>
          {skip}
        </div>
      </form>
      {confirming && (
        <StepConfirm
          run={run}
          step={step}
          given={null}
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            await complete();
            setConfirming(false);
          }}
        />
      )}
    </>
  );
}

function DecisionForm({ run, step, change, skip }: FormProps) {
  const name = useId();
  const [value, setValue] = useState<string | null>(null);
  const action = useAction();
  return (
    <form
      className="step-form"
      aria-label="Make this decision"
      onSubmit={(event) => {
        event.preventDefault();
        if (value) void action.run(() => change((revision) => api().playbooks.decide({ runId: run.id, stepId: step.id, revision, value })));
      }}
    >
      <fieldset className="choices">
        <legend className="sr-only">Options</legend>
        {(step.options ?? []).map((option) => (
          <label key={option.value} className="choice">
            <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => setValue(option.value)} />
            <span>{option.label}</span>
          </label>
        ))}
      </fieldset>
      <ErrorNote message={action.error} />
      <div className="row">
        <button type="submit" className="primary" disabled={action.busy || !value} aria-busy={action.busy}>
          Choose
        </button>
        {skip}
      </div>
    </form>
  );
}

export function StepActions(props: StepActionsProps) {
  const [skipping, setSkipping] = useState(false);
  const { step } = props;
  const skip = skipping ? null : (
    <button type="button" onClick={() => setSkipping(true)}>
      Skip…
    </button>
  );
  return (
    <div className="step-actions">
      {step.kind === 'manual' && <ManualForm {...props} skip={skip} />}
      {step.kind === 'decision' && <DecisionForm {...props} skip={skip} />}
      {step.kind === 'automated' && <AutomatedForm {...props} skip={skip} />}
      {skipping && <SkipForm run={props.run} step={step} change={props.change} onCancel={() => setSkipping(false)} />}
    </div>
  );
}
