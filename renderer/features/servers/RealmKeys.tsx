/** The realm's keys as Keycloak's admin API lists them: which sign now, which only verify. */
import { useCallback, useEffect, useState } from 'react';
import type { RealmKey, ServerSummary } from '../../../shared/servers';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { useAction } from '../../ui/useAction';

export function RealmKeys({ server }: { server: ServerSummary }) {
  const [keys, setKeys] = useState<RealmKey[] | null>(null);
  const load = useAction();
  const { run } = load;
  const reload = useCallback(() => run(async () => setKeys((await unwrap(api().sessions.realmKeys({ serverId: server.id }))).keys)), [run, server.id]);
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section aria-label="Realm keys" className="realm-keys">
      <header className="row">
        <h3>Realm keys{keys ? ` (${keys.length})` : ''}</h3>
        <span className="spacer" />
        <button type="button" onClick={() => void reload()} disabled={load.busy} aria-busy={load.busy}>
          Reload keys
        </button>
      </header>
      <ErrorNote message={load.error} />
      {keys && keys.length === 0 && <p className="muted">The realm lists no key.</p>}
      {keys && keys.length > 0 && (
        <table className="table compact realm-keys-table">
          <thead>
            <tr>
              <th scope="col">kid</th>
              <th scope="col">Algorithm</th>
              <th scope="col">Type</th>
              <th scope="col">Use</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.kid}>
                <td className="mono wrap-anywhere">{k.kid}</td>
                <td className="mono">{k.algorithm ?? '—'}</td>
                <td className="mono">{k.type ?? '—'}</td>
                <td className="mono">{k.use ?? '—'}</td>
                <td>{k.status ?? (k.active ? 'ACTIVE' : 'inactive')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
