/**
 * Bulk revoke: paste tokens one per line, start a job that revokes and verifies each, and follow it.
 * The pasted list is cleared once the job holds it, and is never kept after leaving the tab.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { bulkStartInput, type BulkStatus, type ServerSummary, type TokenHint } from '../../../shared/servers';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';
import { BulkJobView } from './BulkJobView';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { HintSelect } from './HintSelect';
import { InventoryTokens } from './InventoryTokens';
import { JOB_STATE_LABELS } from './labels';
import { isLive, useBulkJob } from './useBulkJob';

interface Pasted {
  tokens: string[];
  credentialIds: string[];
  /** Line number (1-based) of each token, to name the line a problem is on. */
  lines: number[];
}

function splitLines(text: string): Pasted {
  const tokens: string[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    tokens.push(line);
    lines.push(i + 1);
  });
  return { tokens, lines, credentialIds: [] };
}

const countOf = (chosen: Pasted) => (chosen.tokens.length + chosen.credentialIds.length).toLocaleString('en');

const newestFirst = (a: BulkStatus, b: BulkStatus) => b.createdAt.localeCompare(a.createdAt);

export function BulkTab({ server }: { server: ServerSummary }) {
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [label, setLabel] = useState('');
  const [hint, setHint] = useState<TokenHint | null>('access_token');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Pasted | null>(null);
  const [jobs, setJobs] = useState<BulkStatus[] | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [started, setStarted] = useState<BulkStatus | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const pasted = useMemo(() => splitLines(text), [text]);
  const job = useBulkJob(jobId, started);

  // Not single-flight: a job that ends while the list is loading must still be seen ended.
  const latest = useRef(0);
  const loadJobs = useCallback(async () => {
    const request = ++latest.current;
    try {
      const found = [...(await unwrap(api().servers.bulkList({ serverId: server.id }))).jobs].sort(newestFirst);
      if (request !== latest.current) return;
      setJobs(found);
      setListError(null);
      // Coming back to the tab: follow the job still under way, as if the screen had never been left.
      setJobId((current) => current ?? found.find((j) => j.state !== 'cancelled' && j.state !== 'finished')?.id ?? null);
    } catch (e) {
      if (request === latest.current) setListError(messageOf(e));
    }
  }, [server.id]);
  useEffect(
    () => () => {
      latest.current += 1;
    },
    [],
  );
  useEffect(() => {
    void loadJobs();
  }, [loadJobs]);
  // When the followed job stops (ended, paused), the list shows its new state.
  const followedState = job.status?.state;
  const followedLive = isLive(job.status);
  useEffect(() => {
    if (followedState && !followedLive) void loadJobs();
  }, [followedState, followedLive, loadJobs]);

  function review() {
    const credentialIds = [...picked];
    const parsed = bulkStartInput.safeParse({ serverId: server.id, label, hint, tokens: pasted.tokens, credentialIds });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const line = issue.path[0] === 'tokens' && typeof issue.path[1] === 'number' ? `Line ${pasted.lines[issue.path[1]]}: ` : '';
      setProblem(line + issue.message);
      return;
    }
    setProblem(null);
    setConfirm({ ...pasted, credentialIds });
  }

  return (
    <div className="tab-body">
      <section aria-label="New bulk revocation" className="bulk-form">
        <div className="field">
          <label htmlFor="bulk-tokens">Tokens, one per line</label>
          <textarea id="bulk-tokens" className="mono token-input" rows={6} spellCheck={false} autoComplete="off" wrap="off" value={text} onChange={(e) => setText(e.target.value)} />
          <span className="hint small">
            {pasted.tokens.length === 0 ? 'Each line is one token, sent only to ' + server.name + '. The job keeps them sealed in the vault until it ends, then only a fingerprint of each.' : `${pasted.tokens.length.toLocaleString('en')} ${pasted.tokens.length === 1 ? 'token' : 'tokens'}`}
          </span>
        </div>
        <InventoryTokens selected={picked} onChange={setPicked} />
        <div className="bulk-options">
          <div className="field">
            <label htmlFor="bulk-label">Job label</label>
            <input id="bulk-label" value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="bulk-hint">Token type hint</label>
            <HintSelect id="bulk-hint" value={hint} onChange={setHint} />
          </div>
          <button type="button" onClick={review} disabled={isLive(job.status)}>
            Start…
          </button>
        </div>
        {problem && (
          <p role="alert" className="field-error">
            {problem}
          </p>
        )}
      </section>

      {job.status && <BulkJobView key={job.status.id} status={job.status} pollError={job.error} onUpdate={job.update} />}

      <section aria-label="Earlier jobs">
        <h3>Jobs at {server.name}</h3>
        <ErrorNote message={listError} />
        {jobs && jobs.length === 0 && <p className="muted">No bulk revocation here yet.</p>}
        {jobs && jobs.length > 0 && (
          <table className="table compact jobs-table">
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">State</th>
                <th scope="col">Tokens</th>
                <th scope="col">Inactive</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} className={j.id === jobId ? 'current' : undefined}>
                  <td className="truncate">
                    <button type="button" className="link-button" title={`Show ${j.label}`} aria-current={j.id === jobId ? 'true' : undefined} onClick={() => setJobId(j.id)}>
                      {j.label}
                    </button>
                  </td>
                  <td>{JOB_STATE_LABELS[j.state]}</td>
                  <td className="mono">{j.total}</td>
                  <td className="mono">{j.counts.inactive ?? 0}</td>
                  <td className="mono">{utcStamp(j.createdAt)}</td>
                  <td className="mono">{j.finishedAt ? utcStamp(j.finishedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {confirm && (
        <ConfirmDialog
          title={`Revoke ${countOf(confirm)} ${countOf(confirm) === '1' ? 'token' : 'tokens'} at ${server.name}?`}
          confirmLabel={`Start revoking ${countOf(confirm)}`}
          onCancel={() => setConfirm(null)}
          onConfirm={async () => {
            const status = await unwrap(api().servers.bulkStart({ serverId: server.id, label, hint, tokens: confirm.tokens, credentialIds: confirm.credentialIds }));
            setConfirm(null);
            setText('');
            setPicked(new Set());
            setLabel('');
            setStarted(status);
            setJobId(status.id);
            setJobs((current) => [status, ...(current ?? []).filter((j) => j.id !== status.id)]);
          }}
        >
          <p>
            CredOps sends a revocation request (RFC 7009) for each of the <strong>{countOf(confirm)}</strong> tokens ({confirm.tokens.length} pasted, {confirm.credentialIds.length} from the inventory) to <strong>{server.name}</strong>, then introspects each to verify it is
            inactive. Label: <strong>{label.trim()}</strong>.
          </p>
          <p className="muted">You can pause or cancel it; a token already revoked stays revoked. The job carries on if CredOps restarts with the vault open.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
