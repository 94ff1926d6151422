/** Two tokens side by side, claim by claim: what differs is marked, what one lacks is shown as absent. */
import { useState } from 'react';
import type { Inspection } from '../../../shared/tokens';
import { useInspection } from './useInspection';

function claimMap(inspection: Inspection | null): Map<string, { shown: string; whole: string }> {
  // A value cut for the screen is compared by the digest of it whole.
  return new Map((inspection?.claims ?? []).map((c) => [c.name, { shown: c.value, whole: c.digest ?? c.value }]));
}

function headerMap(inspection: Inspection | null): Map<string, { shown: string; whole: string }> {
  if (!inspection?.header) return new Map();
  return new Map(Object.entries(JSON.parse(inspection.header) as Record<string, unknown>).map(([k, v]) => [k, { shown: JSON.stringify(v), whole: JSON.stringify(v) }]));
}

export function CompareView() {
  const [left, setLeft] = useState('');
  const [right, setRight] = useState('');
  const a = useInspection(left, null, null);
  const b = useInspection(right, null, null);
  type Cell = { shown: string; whole: string } | undefined;
  const rows: { part: string; name: string; left: Cell; right: Cell; same: boolean }[] = [];
  for (const [part, l, r] of [
    ['header', headerMap(a.inspection), headerMap(b.inspection)],
    ['claim', claimMap(a.inspection), claimMap(b.inspection)],
  ] as const) {
    for (const name of new Set([...l.keys(), ...r.keys()])) rows.push({ part, name, left: l.get(name), right: r.get(name), same: l.get(name)?.whole === r.get(name)?.whole });
  }
  const differing = rows.filter((row) => !row.same).length;
  return (
    <div className="compare">
      <div className="compare-inputs">
        <textarea aria-label="First token" className="mono token-input" rows={4} spellCheck={false} value={left} onChange={(e) => setLeft(e.target.value)} placeholder="First token" />
        <textarea aria-label="Second token" className="mono token-input" rows={4} spellCheck={false} value={right} onChange={(e) => setRight(e.target.value)} placeholder="Second token" />
      </div>
      {rows.length > 0 && (
        <>
          <p role="status" className="muted">
            {differing === 0 ? 'Same header and claims.' : `${differing} of ${rows.length} header fields and claims differ.`}
          </p>
          <table className="table compact compare-table" aria-label="Comparison">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">First</th>
                <th scope="col">Second</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.part}.${row.name}`} className={row.same ? undefined : 'differs'} data-differs={!row.same}>
                  <th scope="row" className="mono">
                    {row.part === 'header' ? `header.${row.name}` : row.name}
                  </th>
                  <td className="mono wrap-anywhere">{row.left?.shown ?? <span className="muted">absent</span>}</td>
                  <td className="mono wrap-anywhere">{row.right?.shown ?? <span className="muted">absent</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
