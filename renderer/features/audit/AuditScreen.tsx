import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, AuditVerification } from '../../../shared/contract';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';

const PAGE = 200;

function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
}

export function AuditScreen() {
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [total, setTotal] = useState(0);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async (beforeSeq?: number) => {
    try {
      const page = await unwrap(api().audit.list({ limit: PAGE, ...(beforeSeq ? { beforeSeq } : {}) }));
      setEntries((current) => (beforeSeq ? [...current, ...page.entries] : page.entries));
      setTotal(page.total);
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function verify() {
    setVerifying(true);
    setError(null);
    try {
      setVerification(await unwrap(api().audit.verify()));
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setVerifying(false);
    }
  }

  return (
    <section aria-labelledby="audit-title" className="screen">
      <header className="screen-header">
        <h2 id="audit-title">Audit log</h2>
        <span className="muted">{total} entries</span>
        <button type="button" onClick={verify} disabled={verifying}>
          {verifying ? 'Verifying…' : 'Verify chain'}
        </button>
      </header>
      {verification && (
        <p role="status" className={verification.intact ? 'verdict ok' : 'verdict bad'}>
          {verification.intact
            ? `Chain intact: ${verification.checked} entries verified up to the anchored head.`
            : `Chain broken at entry ${verification.problem?.seq}: ${verification.problem?.message}`}
        </p>
      )}
      <ErrorNote message={error} />
      <table className="table" aria-label="Audit entries">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.seq}>
              <td className="mono">{entry.seq}</td>
              <td className="mono" title={new Date(entry.at).toLocaleString()}>
                {utcStamp(entry.at)}
              </td>
              <td>{entry.actor}</td>
              <td className="mono">{entry.action}</td>
              <td className="mono truncate" title={entry.target ?? ''}>
                {entry.target ?? '—'}
              </td>
              <td className="truncate" title={describeDetail(entry.detail)}>
                {describeDetail(entry.detail)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length < total && (
        <button type="button" onClick={() => void load(entries[entries.length - 1]?.seq)}>
          Load older entries
        </button>
      )}
    </section>
  );
}
