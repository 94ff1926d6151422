/** JWKS: the keys the server publishes, those CredOps refused and why, and when the set changed. */
import { useEffect, useState } from 'react';
import type { JwksView, ServerSummary } from '../../../shared/servers';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';
import { useAction } from '../../ui/useAction';

const kidOf = (kid: string | null) => kid ?? '(no kid)';

function change(appeared: string[], disappeared: string[]): string {
  const parts = [...appeared.map((kid) => `kid ${kid} appeared`), ...disappeared.map((kid) => `kid ${kid} disappeared`)];
  return parts.length ? parts.join('; ') : 'first fetch';
}

export function JwksTab({ server }: { server: ServerSummary }) {
  const [view, setView] = useState<JwksView | null>(null);
  const load = useAction();
  const refresh = useAction();
  const { run } = load;

  useEffect(() => {
    void run(async () => setView(await unwrap(api().servers.jwks({ id: server.id }))));
  }, [run, server.id]);

  return (
    <div className="tab-body">
      <div className="row">
        <button type="button" onClick={() => void refresh.run(async () => setView(await unwrap(api().servers.refreshJwks({ id: server.id }))))} disabled={refresh.busy} aria-busy={refresh.busy}>
          Refresh
        </button>
        <span role="status" className="muted">
          {refresh.busy ? 'Fetching the key set…' : view?.fetchedAt ? `Changed ${utcStamp(view.fetchedAt)}${view.checkedAt ? ` · checked ${utcStamp(view.checkedAt)}` : ''}` : view ? 'Not fetched yet: Refresh fetches it.' : ''}
        </span>
      </div>
      <ErrorNote message={refresh.error ?? load.error} />
      {view && (
        <>
          <section aria-label="Published keys">
            <h3>Published keys ({view.keys.length})</h3>
            {view.keys.length === 0 ? (
              <p className="muted">No usable key.</p>
            ) : (
              <table className="table compact jwks-table">
                <thead>
                  <tr>
                    <th scope="col">kid</th>
                    <th scope="col">alg</th>
                    <th scope="col">use</th>
                    <th scope="col">kty</th>
                    <th scope="col">Thumbprint (RFC 7638)</th>
                  </tr>
                </thead>
                <tbody>
                  {view.keys.map((k) => (
                    <tr key={k.thumbprint}>
                      <td className="mono wrap-anywhere">{kidOf(k.kid)}</td>
                      <td className="mono">{k.alg ?? <span className="muted">—</span>}</td>
                      <td className="mono">{k.use ?? <span className="muted">—</span>}</td>
                      <td className="mono">{k.kty}</td>
                      <td className="mono wrap-anywhere">{k.thumbprint}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          {view.rejected.length > 0 && (
            <section aria-label="Rejected keys">
              <h3>Rejected keys ({view.rejected.length})</h3>
              <ul className="token-findings">
                {view.rejected.map((r) => (
                  <li key={r.index} className="medium">
                    <span className="mono">#{r.index + 1}</span> {r.kid ? <span className="mono">kid {r.kid}</span> : <span className="muted">no kid</span>}: {r.reason}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-label="Key history">
            <h3>History</h3>
            {view.history.length === 0 ? (
              <p className="muted">No change recorded yet.</p>
            ) : (
              <ol className="key-history">
                {view.history.map((h, i) => (
                  <li key={i}>
                    <span className="mono">{utcStamp(h.at)}</span> {change(h.appeared, h.disappeared)} <span className="muted">({h.keyCount} {h.keyCount === 1 ? 'key' : 'keys'})</span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </div>
  );
}
