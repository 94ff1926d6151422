/**
 * One server: what it is, and its tabs. Arrow keys move between tabs (the WAI-ARIA tabs pattern);
 * a tab's content lives only while it is shown, so a pasted token goes when its tab is left.
 */
import { useRef, type KeyboardEvent } from 'react';
import type { ServerSummary } from '../../../shared/servers';
import { BulkTab } from './BulkTab';
import { ConnectionTab } from './ConnectionTab';
import { JwksTab } from './JwksTab';
import { AUTH_METHOD_LABELS, PROVIDER_LABELS } from './labels';
import { SessionsTab } from './SessionsTab';
import { useServers, type ServerTab } from './store';
import { TokenTab } from './TokenTab';

interface ServerDetailProps {
  server: ServerSummary;
  onEdit(): void;
  onDelete(): void;
  onTested(): void;
}

const TABS: { id: ServerTab; label: string; keycloakOnly?: boolean }[] = [
  { id: 'connection', label: 'Connection' },
  { id: 'jwks', label: 'JWKS' },
  { id: 'token', label: 'Token' },
  { id: 'bulk', label: 'Bulk revoke' },
  { id: 'sessions', label: 'Sessions', keycloakOnly: true },
];

export function ServerDetail({ server, onEdit, onDelete, onTested }: ServerDetailProps) {
  const chosen = useServers((s) => s.tab);
  const setTab = useServers((s) => s.setTab);
  const tabs = TABS.filter((t) => !t.keycloakOnly || server.provider === 'keycloak');
  const tab = tabs.some((t) => t.id === chosen) ? chosen : 'connection';
  const buttons = useRef(new Map<ServerTab, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent) {
    const index = tabs.findIndex((t) => t.id === tab);
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    setTab(target.id);
    buttons.current.get(target.id)?.focus();
  }

  return (
    <article className="server-detail panel" aria-labelledby="server-detail-title">
      <header className="detail-header">
        <h2 id="server-detail-title">{server.name}</h2>
        <button type="button" onClick={onEdit}>
          Edit
        </button>
        <button type="button" onClick={onDelete}>
          Delete…
        </button>
      </header>
      <p className="server-facts muted">
        <span className="mono">{server.issuer}</span> · {PROVIDER_LABELS[server.provider]}
        {server.realm ? ` realm ${server.realm}` : ''} · client <span className="mono">{server.clientId}</span> · {AUTH_METHOD_LABELS[server.authMethod].split(' ')[0]}
        {server.extraCaPem ? ' · extra CA' : ''}
      </p>
      <div role="tablist" aria-label="Server sections" className="tabs" onKeyDown={onKeyDown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              if (el) buttons.current.set(t.id, el);
              else buttons.current.delete(t.id);
            }}
            type="button"
            role="tab"
            id={`server-tab-${t.id}`}
            aria-selected={t.id === tab}
            aria-controls={`server-panel-${t.id}`}
            tabIndex={t.id === tab ? 0 : -1}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`server-panel-${tab}`} aria-labelledby={`server-tab-${tab}`} className="tab-panel">
        {tab === 'connection' && <ConnectionTab server={server} onTested={onTested} />}
        {tab === 'jwks' && <JwksTab server={server} />}
        {tab === 'token' && <TokenTab server={server} />}
        {tab === 'bulk' && <BulkTab server={server} />}
        {tab === 'sessions' && <SessionsTab server={server} />}
      </div>
    </article>
  );
}
