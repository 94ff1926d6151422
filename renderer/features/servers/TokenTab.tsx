/**
 * Token: introspect one token at this server, or revoke it and see whether the server confirms it.
 * The pasted token lives only in this tab's state: it is gone when the tab or the screen is left.
 */
import { useState } from 'react';
import { tokenText, type IntrospectionView, type RevocationView, type ServerSummary, type TokenHint } from '../../../shared/servers';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcInstant } from '../../ui/timestamp';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ClaimRow } from '../../ui/ClaimRow';
import { RelativeTime, useNowNear } from '../../ui/InstantTime';
import { relativeSpan } from '../../../shared/spans';
import { HintSelect } from './HintSelect';
import { useAction } from '../../ui/useAction';

/**
 * The server's answer; an active token whose expiry has passed since is shown as out of date (the
 * server may still take it, or not), never as plainly active.
 */
function IntrospectionResult({ view }: { view: IntrospectionView }) {
  const expiresAt = view.expiresAtMs ?? Number.POSITIVE_INFINITY;
  const now = useNowNear(expiresAt);
  const lapsed = view.active && expiresAt <= now;
  return (
    <section aria-label="Introspection" className="result">
      <p role="status" className={`verdict-banner ${lapsed ? 'unverifiable' : view.active ? 'valid' : 'invalid'}`} data-testid="introspection-verdict">
        <strong>{lapsed ? 'Active when asked, expired since' : view.active ? 'Active' : 'Inactive'}</strong>
        <span className="verdict-summary">
          {view.summary}
          {view.expiresAtMs !== null &&
            (lapsed ? (
              <>
                {' '}
                Its expiry passed <strong>{relativeSpan(expiresAt, now)}</strong>: introspect again to see whether the server still accepts it.
              </>
            ) : (
              <>
                {' '}
                It expires <strong>{relativeSpan(expiresAt, now)}</strong>.
              </>
            ))}
        </span>
      </p>
      {view.members.length > 0 && (
        <table className="table compact members">
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {view.members.map((m) => (
              <ClaimRow key={`${m.name}=${m.value}`} claim={m} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RevocationResult({ view }: { view: RevocationView }) {
  const tone = view.outcome === 'unsupported_token_type' ? 'unverifiable' : view.stillActive === false ? 'valid' : view.stillActive ? 'invalid' : 'unverifiable';
  const headline =
    view.outcome === 'unsupported_token_type' ? 'Not revocable here'
    : view.stillActive === false ? 'Revoked: confirmed inactive'
    : view.stillActive ? 'Still active'
    : 'Revocation acknowledged, not confirmed';
  return (
    <section aria-label="Revocation" className="result">
      <p role="status" className={`verdict-banner ${tone}`} data-testid="revocation-verdict">
        <strong>{headline}</strong>
        <span className="verdict-summary">{view.summary}</span>
      </p>
      {view.expiresAt && (
        <p>
          Stops being accepted at <span className="mono">{utcInstant(Date.parse(view.expiresAt))}</span> (<RelativeTime at={Date.parse(view.expiresAt)} />)
        </p>
      )}
      {view.advice.length > 0 && (
        <>
          <h3>What to do instead</h3>
          <ol className="advice">
            {view.advice.map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

export function TokenTab({ server }: { server: ServerSummary }) {
  const [token, setToken] = useState('');
  const [hint, setHint] = useState<TokenHint | null>(null);
  const [result, setResult] = useState<{ kind: 'introspection'; view: IntrospectionView } | { kind: 'revocation'; view: RevocationView } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [tried, setTried] = useState(false);
  const introspect = useAction();
  const busy = introspect.busy || confirming;

  const parsed = tokenText.safeParse(token);
  const problem = tried && !parsed.success ? parsed.error.issues[0].message : null;
  const ready = (): boolean => {
    setTried(true);
    return parsed.success;
  };

  return (
    <div className="tab-body">
      <div className="field">
        <label htmlFor="server-token">Token</label>
        <textarea
          id="server-token"
          className="mono token-input"
          rows={4}
          spellCheck={false}
          autoComplete="off"
          value={token}
          aria-invalid={Boolean(problem)}
          aria-describedby={problem ? 'server-token-error' : 'server-token-hint'}
          onChange={(e) => {
            setToken(e.target.value);
            setResult(null);
          }}
        />
        {problem ? (
          <span id="server-token-error" className="field-error" role="alert">
            {problem}
          </span>
        ) : (
          <span id="server-token-hint" className="hint small">
            Sent only to {server.name}, never stored. It is forgotten when you leave this tab.
          </span>
        )}
      </div>
      <div className="row wrap">
        <label htmlFor="server-token-hint-select" className="inline-label">
          Token type hint
        </label>
        <HintSelect id="server-token-hint-select" value={hint} onChange={setHint} />
        <button
          type="button"
          className="primary"
          disabled={busy}
          aria-busy={introspect.busy}
          onClick={() => {
            if (!ready()) return;
            setResult(null);
            void introspect.run(async () => setResult({ kind: 'introspection', view: await unwrap(api().servers.introspect({ serverId: server.id, token, hint })) }));
          }}
        >
          Introspect
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            if (!ready()) return;
            introspect.clearError();
            setConfirming(true);
          }}
        >
          Revoke…
        </button>
        {introspect.busy && (
          <span role="status" className="muted">
            Asking {server.name}…
          </span>
        )}
      </div>
      <ErrorNote message={introspect.error} />
      {result?.kind === 'introspection' && <IntrospectionResult view={result.view} />}
      {result?.kind === 'revocation' && <RevocationResult view={result.view} />}
      {confirming && (
        <ConfirmDialog
          title="Revoke this token?"
          confirmLabel="Revoke token"
          onCancel={() => setConfirming(false)}
          onConfirm={async () => {
            const view = await unwrap(api().servers.revoke({ serverId: server.id, token, hint }));
            setConfirming(false);
            setResult({ kind: 'revocation', view });
          }}
        >
          <p>
            CredOps asks <strong>{server.name}</strong> to revoke the pasted {hint ?? 'token'} (RFC 7009), then introspects it to confirm the server no longer accepts it.
          </p>
          <p className="muted">Anything using this token stops working. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
