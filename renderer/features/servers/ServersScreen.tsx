/**
 * Servers: the authorization servers CredOps talks to, on the left, and the one open on the right
 * with its connection, keys, token operations, bulk revocation and (Keycloak) sessions.
 */
import { useEffect, useState } from 'react';
import type { ServerSummary } from '../../../shared/servers';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { PROVIDER_LABELS } from './labels';
import { ServerDetail } from './ServerDetail';
import { ServerForm } from './ServerForm';
import { useServers } from './store';

type Overlay = { kind: 'form'; editing: ServerSummary | null } | { kind: 'delete'; server: ServerSummary } | null;

export function ServersScreen() {
  const servers = useServers((s) => s.servers);
  const error = useServers((s) => s.error);
  const selectedId = useServers((s) => s.selectedId);
  const { load, select, saved, removed } = useServers.getState();
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void useServers.getState().load();
  }, []);

  const selected = servers?.find((s) => s.id === selectedId) ?? null;
  return (
    <section aria-labelledby="servers-title" className="screen servers">
      <header className="screen-header">
        <h2 id="servers-title">Servers</h2>
        <button type="button" className="primary" onClick={() => setOverlay({ kind: 'form', editing: null })}>
          Add server
        </button>
      </header>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <ErrorNote message={error} />
      {error && (
        <div className="row">
          <button type="button" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      {servers && servers.length === 0 && (
        <div className="empty panel">
          <p>No servers yet. Add an authorization server to test its connection, watch its signing keys, and introspect or revoke tokens there.</p>
        </div>
      )}
      {servers && servers.length > 0 && (
        <div className="servers-body">
          <nav aria-label="Server list" className="server-list panel">
            <ul>
              {servers.map((s) => (
                <li key={s.id}>
                  <button type="button" className="server-item" aria-current={s.id === selectedId ? 'true' : undefined} onClick={() => select(s.id)}>
                    <span className="server-item-name">{s.name}</span>
                    <span className="server-item-issuer mono muted" title={s.issuer}>
                      {s.issuer}
                    </span>
                    <span className="server-item-kind muted small">
                      {PROVIDER_LABELS[s.provider]}
                      {s.realm ? ` · ${s.realm}` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {selected && (
            <ServerDetail
              key={selected.id}
              server={selected}
              onEdit={() => setOverlay({ kind: 'form', editing: selected })}
              onDelete={() => setOverlay({ kind: 'delete', server: selected })}
              onTested={() => void load()}
            />
          )}
        </div>
      )}
      {overlay?.kind === 'form' && (
        <ServerForm
          editing={overlay.editing}
          onCancel={() => setOverlay(null)}
          onSaved={(server) => {
            setOverlay(null);
            setNotice(`${overlay.editing ? 'Saved' : 'Added'} ${server.name}.`);
            saved(server);
          }}
        />
      )}
      {overlay?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete ${overlay.server.name}?`}
          confirmLabel="Delete server"
          onCancel={() => setOverlay(null)}
          onConfirm={async () => {
            await unwrap(api().servers.delete({ id: overlay.server.id }));
            setOverlay(null);
            setNotice(`Deleted ${overlay.server.name}.`);
            removed(overlay.server.id);
          }}
        >
          <p>
            CredOps forgets <strong>{overlay.server.name}</strong> (<span className="mono">{overlay.server.issuer}</span>), its sealed client secret, its key history and its bulk revocation jobs.
          </p>
          <p className="muted">Nothing changes at the server itself: tokens and sessions there stay as they are.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
