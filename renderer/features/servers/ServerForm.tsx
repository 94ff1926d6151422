/**
 * Add or edit a server. Every field is checked as it is typed, with the contract's schema; the
 * client secret is write-only (editing keeps the stored one unless a new one is typed).
 */
import { useEffect, useMemo, useState } from 'react';
import { CLIENT_AUTH_METHODS, PROVIDER_KINDS, type ServerSummary } from '../../../shared/servers';
import type { CredentialSummary } from '../../../shared/credentials';
import { api, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Modal } from '../../ui/Modal';
import { checkServer, emptyServerDraft, serverDraftOf, usesSecret, type ServerDraft } from './draft';
import { AUTH_METHOD_LABELS, PROVIDER_LABELS } from './labels';
import { useAction } from '../../ui/useAction';
import { Field } from '../../ui/Field';

interface ServerFormProps {
  /** The server being edited; null to add one. */
  editing: ServerSummary | null;
  onSaved(server: ServerSummary): void;
  onCancel(): void;
}

/** Signing keys of the inventory that hold a private key: private_key_jwt signs with one of them. */
function useSigningKeys(wanted: boolean): { keys: CredentialSummary[]; error: string | null } {
  const [state, setState] = useState<{ keys: CredentialSummary[]; error: string | null }>({ keys: [], error: null });
  useEffect(() => {
    if (!wanted) return;
    let current = true;
    unwrap(api().credentials.list({ kind: 'signing_key', limit: 500 })).then(
      ({ credentials }) => current && setState({ keys: credentials.filter((c) => c.hasSecret && c.status !== 'revoked'), error: null }),
      () => current && setState({ keys: [], error: 'The signing keys of the vault could not be listed.' }),
    );
    return () => {
      current = false;
    };
  }, [wanted]);
  return state;
}

export function ServerForm({ editing, onSaved, onCancel }: ServerFormProps) {
  const [draft, setDraft] = useState<ServerDraft>(() => (editing ? serverDraftOf(editing) : emptyServerDraft()));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [showSecret, setShowSecret] = useState(false);
  const save = useAction();
  const checked = useMemo(() => checkServer(draft, editing), [draft, editing]);
  const signing = useSigningKeys(draft.authMethod === 'private_key_jwt');

  const shown = (key: string) => (submitted || touched.has(key) ? checked.errors[key] : undefined);
  const set = <K extends keyof ServerDraft>(key: K, value: ServerDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setTouched((t) => new Set(t).add(key));
  };
  const control = (key: keyof ServerDraft) => ({
    id: `server-${key}`,
    'aria-invalid': Boolean(shown(key)),
    'aria-describedby': shown(key) ? `server-${key}-error` : undefined,
  });
  const text = (key: keyof ServerDraft) => ({
    ...control(key),
    value: draft[key],
    spellCheck: false,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
  });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    const input = checked.input;
    if (!input) return;
    const saved = await save.run(() => (editing ? unwrap(api().servers.update({ id: editing.id, ...input })) : unwrap(api().servers.add(input))));
    if (saved) onSaved(saved);
  }

  const problems = Object.keys(checked.errors).length;
  const secretMethod = usesSecret(draft.authMethod);
  const keepsSecret = Boolean(editing && usesSecret(editing.authMethod) && editing.secretFingerprint);
  return (
    <Modal labelledBy="server-form-title" onClose={onCancel} className="server-form">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <header className="detail-header">
          <h2 id="server-form-title">{editing ? `Edit ${editing.name}` : 'Add a server'}</h2>
        </header>
        <div className="form-grid two">
          <Field id="server-name" label="Name" error={shown('name')}>
            <input {...text('name')} maxLength={100} autoFocus />
          </Field>
          <Field id="server-issuer" label="Issuer URL" error={shown('issuer')} hint="Exactly as the server names itself; its discovery document must match">
            <input {...text('issuer')} className="mono" type="url" maxLength={2048} />
          </Field>
          <Field id="server-provider" label="Provider kind" error={shown('provider')}>
            <select {...control('provider')} value={draft.provider} onChange={(e) => set('provider', e.target.value as ServerDraft['provider'])}>
              {PROVIDER_KINDS.map((k) => (
                <option key={k} value={k}>
                  {PROVIDER_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          {draft.provider === 'keycloak' ? (
            <Field id="server-realm" label="Realm" error={shown('realm')} hint="Its admin endpoints give sessions, logouts and realm keys">
              <input {...text('realm')} maxLength={100} />
            </Field>
          ) : (
            <div className="field hint small field-note">Sessions, logouts and realm keys need the Keycloak kind.</div>
          )}
          <Field id="server-clientId" label="Admin client id" error={shown('clientId')} hint="The client CredOps authenticates as: it must be allowed to introspect and revoke">
            <input {...text('clientId')} className="mono" maxLength={255} />
          </Field>
          <Field id="server-authMethod" label="Client authentication" error={shown('authMethod')}>
            <select {...control('authMethod')} value={draft.authMethod} onChange={(e) => set('authMethod', e.target.value as ServerDraft['authMethod'])}>
              {CLIENT_AUTH_METHODS.map((m) => (
                <option key={m} value={m}>
                  {AUTH_METHOD_LABELS[m]}
                </option>
              ))}
            </select>
          </Field>
          {secretMethod ? (
            <Field
              id="server-clientSecret"
              label={keepsSecret ? 'Replace the client secret' : 'Client secret'}
              error={shown('clientSecret')}
              hint={keepsSecret ? `Leave empty to keep the stored secret (${editing?.secretFingerprint})` : 'Sealed in the vault; never shown again'}
              wide
            >
              <input {...text('clientSecret')} className="mono" type={showSecret ? 'text' : 'password'} autoComplete="off" maxLength={65_536} />
              <label className="inline-check">
                <input type="checkbox" checked={showSecret} onChange={(e) => setShowSecret(e.target.checked)} /> Show while typing
              </label>
            </Field>
          ) : (
            <Field id="server-signingCredentialId" label="Signing key" error={shown('signingCredentialId') ?? signing.error ?? undefined} hint="A signing key from the inventory: its private key signs each client assertion (RFC 7523)" wide>
              <select {...control('signingCredentialId')} value={draft.signingCredentialId} onChange={(e) => set('signingCredentialId', e.target.value)}>
                <option value="">Choose a signing key…</option>
                {signing.keys.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.name} ({k.environment}){k.publicThumbprint ? ` · ${k.publicThumbprint.slice(0, 12)}…` : ''}
                  </option>
                ))}
              </select>
              {signing.keys.length === 0 && !signing.error && <span className="hint small">No signing key with a private key in the inventory yet: add one there first.</span>}
            </Field>
          )}
          <Field id="server-extraCaPem" label="Extra CA certificate (optional)" error={shown('extraCaPem')} hint="PEM, for a server whose certificate is issued by a private CA. Trusted in addition to the system CAs." wide>
            <textarea {...text('extraCaPem')} className="mono" rows={4} />
          </Field>
        </div>
        <ErrorNote message={save.error} />
        <div className="row dialog-actions">
          {submitted && problems > 0 && <span className="field-error">{problems === 1 ? 'One field needs attention' : `${problems} fields need attention`}</span>}
          <span className="spacer" />
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.busy} aria-busy={save.busy}>
            {editing ? 'Save changes' : 'Add server'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
