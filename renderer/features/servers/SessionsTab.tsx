/**
 * Sessions (Keycloak): find a user, see and end their sessions or log them out everywhere, and the
 * realm-wide actions and keys. Everything that ends something asks first, naming what will happen.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ProviderSession, ServerSummary } from '../../../shared/servers';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { RealmActions } from './RealmActions';
import { RealmKeys } from './RealmKeys';
import { useAction } from '../../ui/useAction';
import { stamp } from './when';

interface User {
  id: string;
  username: string;
}

type Ask = { kind: 'end'; session: ProviderSession } | { kind: 'logout' } | null;

function UserSessions({ server, user }: { server: ServerSummary; user: User }) {
  const [sessions, setSessions] = useState<ProviderSession[] | null>(null);
  const [ask, setAsk] = useState<Ask>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const load = useAction();
  const { run } = load;
  const reload = useCallback(() => run(async () => setSessions((await unwrap(api().sessions.list({ serverId: server.id, userId: user.id }))).sessions)), [run, server.id, user.id]);
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section aria-label={`Sessions of ${user.username}`} className="user-sessions">
      <header className="row wrap">
        <h3>
          Sessions of <span className="mono">{user.username}</span>
          {sessions ? ` (${sessions.length})` : ''}
        </h3>
        <span className="spacer" />
        <button type="button" onClick={() => void reload()} disabled={load.busy}>
          Reload
        </button>
        <button type="button" onClick={() => setAsk({ kind: 'logout' })} disabled={load.busy}>
          Log out everywhere…
        </button>
      </header>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <ErrorNote message={load.error} />
      {sessions && sessions.length === 0 && <p className="muted">No active session.</p>}
      {sessions && sessions.length > 0 && (
        <table className="table compact sessions-table">
          <thead>
            <tr>
              <th scope="col">IP address</th>
              <th scope="col">Started</th>
              <th scope="col">Last access</th>
              <th scope="col">Clients</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td className="mono">{s.ipAddress ?? '—'}</td>
                <td className="mono">{stamp(s.start)}</td>
                <td className="mono">{stamp(s.lastAccess)}</td>
                <td className="mono wrap-anywhere">{s.clients.length ? s.clients.join(', ') : '—'}</td>
                <td>
                  <button type="button" className="small-button" onClick={() => setAsk({ kind: 'end', session: s })}>
                    End session
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {ask?.kind === 'end' && (
        <ConfirmDialog
          title={`End this session of ${user.username}?`}
          confirmLabel="End session"
          onCancel={() => setAsk(null)}
          onConfirm={async () => {
            await unwrap(api().sessions.end({ serverId: server.id, sessionId: ask.session.id }));
            setAsk(null);
            setNotice(`Ended the session started ${stamp(ask.session.start)}.`);
            await reload();
          }}
        >
          <p>
            {server.name} ends the session started <span className="mono">{stamp(ask.session.start)}</span> from <span className="mono">{ask.session.ipAddress ?? 'an unknown address'}</span>
            {ask.session.clients.length ? (
              <>
                {' '}
                (clients <span className="mono">{ask.session.clients.join(', ')}</span>)
              </>
            ) : null}
            . Its refresh tokens stop working; {user.username} has to sign in again there.
          </p>
          <p className="muted">Access tokens already issued as JWTs stay valid until they expire.</p>
        </ConfirmDialog>
      )}
      {ask?.kind === 'logout' && (
        <ConfirmDialog
          title={`Log ${user.username} out everywhere?`}
          confirmLabel="Log out everywhere"
          onCancel={() => setAsk(null)}
          onConfirm={async () => {
            await unwrap(api().sessions.logoutUser({ serverId: server.id, userId: user.id }));
            setAsk(null);
            setNotice(`Logged ${user.username} out everywhere.`);
            await reload();
          }}
        >
          <p>
            {server.name} ends every session of <strong>{user.username}</strong> in realm <span className="mono">{server.realm}</span>
            {sessions ? ` (${sessions.length} now)` : ''}, on every client. Their refresh tokens stop working.
          </p>
          <p className="muted">Access tokens already issued as JWTs stay valid until they expire; push a not-before to have clients refuse them.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

export function SessionsTab({ server }: { server: ServerSummary }) {
  const [username, setUsername] = useState('');
  const [users, setUsers] = useState<User[] | null>(null);
  const [chosen, setChosen] = useState<User | null>(null);
  const find = useAction();

  async function search(event: React.FormEvent) {
    event.preventDefault();
    if (!username.trim()) return;
    setChosen(null);
    await find.run(async () => {
      const found = (await unwrap(api().sessions.findUsers({ serverId: server.id, username }))).users;
      setUsers(found);
      if (found.length === 1) setChosen(found[0]);
    });
  }

  return (
    <div className="tab-body sessions">
      <section aria-label="Users" className="user-finder">
        <form className="row" onSubmit={(e) => void search(e)}>
          <label htmlFor="session-username" className="inline-label">
            User name
          </label>
          <input id="session-username" value={username} maxLength={255} autoComplete="off" spellCheck={false} onChange={(e) => setUsername(e.target.value)} />
          <button type="submit" disabled={find.busy || !username.trim()} aria-busy={find.busy}>
            Find users
          </button>
        </form>
        <ErrorNote message={find.error} />
        {users && users.length === 0 && <p className="muted">No user by that name in realm {server.realm}.</p>}
        {users && users.length > 0 && (
          <ul className="user-list" aria-label="Users found">
            {users.map((u) => (
              <li key={u.id}>
                <button type="button" aria-pressed={chosen?.id === u.id} onClick={() => setChosen(u)}>
                  {u.username}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {chosen && <UserSessions key={chosen.id} server={server} user={chosen} />}
      <RealmActions server={server} />
      <RealmKeys server={server} />
    </div>
  );
}
