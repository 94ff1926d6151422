/**
 * One credential: its fields, every place a copy lives, its findings with what to do, its own
 * history, and the actions (reveal, copy, edit, mark rotated or revoked). Never its secret, except
 * while revealed on purpose.
 */
import { useEffect, useState } from 'react';
import type { CredentialHistoryEntry, CredentialSummary } from '../../../shared/credentials';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';
import { usePlaybooks } from '../playbooks/store';
import { day, relative } from './dates';
import { FINDING_LABELS, KIND_LABELS, LOCATION_LABELS, PROVIDER_LABELS, STATUS_LABELS } from './labels';
import { MarkForm } from './MarkForm';
import { SecretActions } from './SecretActions';

interface CredentialDetailProps {
  id: string;
  revision: number;
  onClose(): void;
  onEdit(credential: CredentialSummary): void;
  onChanged(): void;
}

function When({ at, never = '—' }: { at: string | null; never?: string }) {
  if (!at) return <>{never}</>;
  return (
    <span title={new Date(at).toLocaleString()}>
      {day(at)} <span className="muted">({relative(at)})</span>
    </span>
  );
}

export function CredentialDetail({ id, revision, onClose, onEdit, onChanged }: CredentialDetailProps) {
  const [loaded, setLoaded] = useState<{ credential: CredentialSummary; history: CredentialHistoryEntry[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [marking, setMarking] = useState<'rotated' | 'revoked' | null>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    unwrap(api().credentials.get({ id })).then(
      (next) => current && setLoaded(next),
      (e: unknown) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, [id, revision]);
  useEffect(() => setMarking(null), [id]);

  const c = loaded?.credential.id === id ? loaded.credential : null;
  return (
    <aside className="detail" aria-label="Credential detail">
      <header className="detail-header">
        <h2>{c?.name ?? '…'}</h2>
        <button type="button" onClick={onClose} aria-label="Close detail">
          ✕
        </button>
      </header>
      <ErrorNote message={error} />
      {c && loaded && (
        <>
          <p className="muted">
            {KIND_LABELS[c.kind]} · {c.environment} · {STATUS_LABELS[c.status]}
          </p>
          <div className="row wrap">
            <button type="button" onClick={() => onEdit(c)}>
              Edit
            </button>
            <button type="button" onClick={() => setMarking('rotated')} disabled={c.status === 'revoked'}>
              Mark rotated…
            </button>
            <button type="button" onClick={() => setMarking('revoked')} disabled={c.status === 'revoked'}>
              Mark revoked…
            </button>
            <button type="button" onClick={() => usePlaybooks.getState().requestStart({ credentialId: c.id, credentialName: c.name, kind: c.kind })}>
              Start playbook…
            </button>
          </div>
          {marking && (
            <MarkForm
              credential={c}
              as={marking}
              onCancel={() => setMarking(null)}
              onDone={() => {
                setMarking(null);
                onChanged();
              }}
            />
          )}

          <section aria-label="Secret">
            <h3>Secret</h3>
            {c.hasSecret ? (
              <>
                <p>
                  Fingerprint <code title="Keyed: it identifies the secret in this vault without revealing it">{c.fingerprint}</code>
                </p>
                {c.publicThumbprint && (
                  <p>
                    Public key thumbprint (RFC 7638) <code className="wrap-anywhere">{c.publicThumbprint}</code>
                  </p>
                )}
                <SecretActions id={c.id} />
              </>
            ) : (
              <p className="muted">No secret recorded: the inventory tracks this credential's metadata only.</p>
            )}
          </section>

          <section aria-label="Findings">
            <h3>Findings</h3>
            {c.findings.length === 0 ? (
              <p className="muted">{c.status === 'revoked' ? 'Revoked: no longer judged.' : 'None.'}</p>
            ) : (
              <ul className="findings">
                {c.findings.map((f) => (
                  <li key={f.code} className={f.severity}>
                    <strong>{FINDING_LABELS[f.code]}</strong> <code className="muted">{f.code}</code>
                    <div>{f.message}</div>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-label="Details">
            <h3>Details</h3>
            <dl className="facts">
              <dt>Provider</dt>
              <dd>{PROVIDER_LABELS[c.provider]}</dd>
              <dt>Owner</dt>
              <dd>{c.owner ?? <span className="muted">nobody</span>}</dd>
              <dt>Tenant</dt>
              <dd>{c.tenant ?? '—'}</dd>
              <dt>Scopes</dt>
              <dd className="wrap-anywhere">{c.scopes.length ? c.scopes.join(' ') : '—'}</dd>
              <dt>Created</dt>
              <dd>
                <When at={c.createdAt} />
              </dd>
              <dt>Expires</dt>
              <dd>
                <When at={c.expiresAt} never="never" />
              </dd>
              <dt>Last used</dt>
              <dd>
                <When at={c.lastUsedAt} never="unknown" />
              </dd>
              <dt>Last rotated</dt>
              <dd>
                <When at={c.lastRotatedAt} never="never" />
              </dd>
              <dt>Rotation policy</dt>
              <dd>{c.rotationPolicyDays ? `every ${c.rotationPolicyDays} days` : 'default (90 days)'}</dd>
              {(c.authServerId || c.clientId) && (
                <>
                  <dt>Auth server</dt>
                  <dd>{c.authServerId ?? '—'}</dd>
                  <dt>Client id</dt>
                  <dd className="mono wrap-anywhere">{c.clientId ?? '—'}</dd>
                </>
              )}
              <dt>Tags</dt>
              <dd>{c.tags.length ? c.tags.map((t) => <span className="tag" key={t}>{t}</span>) : '—'}</dd>
            </dl>
            {c.notes && <p className="notes">{c.notes}</p>}
          </section>

          <section aria-label="Locations">
            <h3>Locations ({c.locations.length})</h3>
            {c.locations.length === 0 ? (
              <p className="muted">No copies recorded. Record every place this secret lives, so a rotation forgets none.</p>
            ) : (
              <table className="table compact">
                <thead>
                  <tr>
                    <th scope="col">Where</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Environment</th>
                    <th scope="col">Confirmed</th>
                  </tr>
                </thead>
                <tbody>
                  {c.locations.map((l, i) => (
                    <tr key={i}>
                      <td className="truncate" title={l.label}>
                        {l.label}
                      </td>
                      <td>{LOCATION_LABELS[l.kind]}</td>
                      <td>{l.environment}</td>
                      <td>{l.confirmedAt ? day(l.confirmedAt) : <span className="warn">never</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-label="History">
            <h3>History</h3>
            <ol className="history">
              {loaded.history.map((h, i) => (
                <li key={i}>
                  <span className="mono">{utcStamp(h.at)}</span> <strong>{h.action}</strong>
                  {h.note && <div className="muted">{h.note}</div>}
                  {h.changes.length > 0 && (
                    <ul className="changes">
                      {h.changes.map((change, j) => (
                        <li key={j}>{change}</li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </aside>
  );
}
