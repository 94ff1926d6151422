/** Requests a step would make, as the dry run plans them: method, URL, purpose and how many times. */
import type { PlannedCall } from '../../../shared/playbooks';

export function CallTable({ calls, label }: { calls: PlannedCall[]; label: string }) {
  return (
    <table className="table compact call-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Method</th>
          <th scope="col">URL</th>
          <th scope="col">Purpose</th>
          <th scope="col" className="num">
            Count
          </th>
        </tr>
      </thead>
      <tbody>
        {calls.map((call, i) => (
          <tr key={i}>
            <td className="mono">{call.method}</td>
            <td className="mono wrap-anywhere">{call.url ?? <span className="muted">in the vault</span>}</td>
            <td>{call.purpose}</td>
            <td className="num mono">{call.count.toLocaleString('en')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
