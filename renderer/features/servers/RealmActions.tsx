/**
 * Realm-wide actions: push a not-before (tokens issued before now stop being accepted by clients
 * that honour it) and regenerate a client's secret, saving the new one into the inventory.
 */
import { useEffect, useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import type { ServerSummary } from '../../../shared/servers';
import { api, unwrap } from '../../api';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { stamp } from './when';

type Ask = { kind: 'notBefore' } | { kind: 'regenerate'; clientId: string; credential: CredentialSummary | null } | null;
type Done = { kind: 'notBefore'; notBefore: string; pushedTo: string[]; failed: string[] } | { kind: 'regenerate'; clientId: string; fingerprint: string; savedTo: string | null } | null;

/** Inventory credentials a client secret can be saved into: OAuth clients not revoked. */
function useClientCredentials(): CredentialSummary[] {
  const [list, setList] = useState<CredentialSummary[]>([]);
  useEffect(() => {
    let current = true;
    unwrap(api().credentials.list({ kind: 'oauth_client', limit: 500 })).then(
      ({ credentials }) => current && setList(credentials.filter((c) => c.status !== 'revoked')),
      () => current && setList([]),
    );
    return () => {
      current = false;
    };
  }, []);
  return list;
}

export function RealmActions({ server }: { server: ServerSummary }) {
  const [ask, setAsk] = useState<Ask>(null);
  const [done, setDone] = useState<Done>(null);
  const [clientId, setClientId] = useState(server.clientId);
  const [credentialId, setCredentialId] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const credentials = useClientCredentials();

  function reviewRegenerate(event: React.FormEvent) {
    event.preventDefault();
    const id = clientId.trim();
    if (!id) return setProblem('Enter the client id whose secret is regenerated');
    const credential = credentials.find((c) => c.id === credentialId) ?? null;
    if (!credential && id !== server.clientId) return setProblem(`Choose the inventory credential that holds the secret of ${id}: the new secret is saved there, or nothing could use it.`);
    setProblem(null);
    setAsk({ kind: 'regenerate', clientId: id, credential });
  }

  return (
    <section aria-label="Realm actions" className="realm-actions">
      <h3>Realm actions</h3>
      <div className="realm-action-grid">
        <div className="panel inset">
          <h4>Not-before</h4>
          <p className="hint small">Every token issued before now stops being accepted by the realm's clients that honour not-before.</p>
          <button type="button" onClick={() => setAsk({ kind: 'notBefore' })}>
            Push not-before…
          </button>
        </div>
        <form className="panel inset" onSubmit={reviewRegenerate} aria-label="Regenerate client secret">
          <h4>Client secret</h4>
          <div className="row wrap">
            <div className="field">
              <label htmlFor="regen-client">Client id</label>
              <input id="regen-client" className="mono" value={clientId} maxLength={255} spellCheck={false} onChange={(e) => setClientId(e.target.value)} />
            </div>
            <div className="field grow">
              <label htmlFor="regen-credential">Save the new secret into</label>
              <select id="regen-credential" value={credentialId} onChange={(e) => setCredentialId(e.target.value)}>
                <option value="">{clientId.trim() === server.clientId ? `This server only (${server.name})` : 'Choose an inventory credential…'}</option>
                {credentials.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.environment}){c.clientId ? ` · ${c.clientId}` : ''}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {problem && (
            <p role="alert" className="field-error">
              {problem}
            </p>
          )}
          <button type="submit">
            Regenerate client secret…
          </button>
        </form>
      </div>
      {done?.kind === 'notBefore' && (
        <p role="status" className="notice">
          Not-before set to <span className="mono">{stamp(done.notBefore)}</span>. Pushed to {done.pushedTo.length ? <span className="mono">{done.pushedTo.join(', ')}</span> : 'no client'}
          {done.failed.length ? (
            <span className="bad">
              ; not pushed to <span className="mono">{done.failed.join(', ')}</span>: those clients still accept older tokens until they ask the server
            </span>
          ) : null}
          .
        </p>
      )}
      {done?.kind === 'regenerate' && (
        <p role="status" className="notice">
          New secret of <span className="mono">{done.clientId}</span> (fingerprint <code>{done.fingerprint}</code>) saved to {done.savedTo ?? 'nowhere'}. Put it in every place that client runs.
        </p>
      )}
      {ask?.kind === 'notBefore' && (
        <ConfirmDialog
          title={`Push not-before for realm ${server.realm}?`}
          confirmLabel="Push not-before"
          onCancel={() => setAsk(null)}
          onConfirm={async () => {
            const result = await unwrap(api().sessions.pushNotBefore({ serverId: server.id }));
            setAsk(null);
            setDone({ kind: 'notBefore', ...result });
          }}
        >
          <p>
            {server.name} records now as the not-before time of realm <span className="mono">{server.realm}</span> and pushes it to its clients. Every token issued before now, for every user, is refused by clients that honour it:
            users sign in again.
          </p>
          <p className="muted">This cannot be undone for the tokens it cuts off.</p>
        </ConfirmDialog>
      )}
      {ask?.kind === 'regenerate' && (
        <ConfirmDialog
          title={`Regenerate the secret of ${ask.clientId}?`}
          confirmLabel="Regenerate secret"
          onCancel={() => setAsk(null)}
          onConfirm={async () => {
            const result = await unwrap(api().sessions.regenerateSecret({ serverId: server.id, clientId: ask.clientId, credentialId: ask.credential?.id ?? null }));
            setAsk(null);
            setDone({ kind: 'regenerate', ...result });
          }}
        >
          <p>
            {server.name} replaces the secret of client <span className="mono">{ask.clientId}</span>. The old secret stops working at once: everything using it fails until it has the new one.
          </p>
          <p>
            The new secret is sealed into {ask.credential ? <strong>{ask.credential.name}</strong> : <strong>this server's stored admin secret</strong>}
            {ask.credential && ask.clientId === server.clientId ? ' and this server' : ''} (marked rotated). It is never shown.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
