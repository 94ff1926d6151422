/**
 * Add or edit a credential. Every field is checked as it is typed, with the contract's schema; the
 * secret is write-only (editing leaves it alone unless a new one is pasted).
 */
import { useMemo, useState } from 'react';
import { CREDENTIAL_KINDS, CREDENTIAL_STATUSES, LOCATION_KINDS, PROVIDERS, STANDARD_ENVIRONMENTS, type CredentialSummary } from '../../../shared/credentials';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Modal } from '../../ui/Modal';
import { check, draftOf, emptyDraft, type Draft, type LocationDraft } from './draft';
import { KIND_LABELS, LOCATION_LABELS, PROVIDER_LABELS, STATUS_LABELS } from './labels';
import { Field } from '../../ui/Field';

interface CredentialFormProps {
  /** The credential being edited; null to add one. */
  editing: CredentialSummary | null;
  onSaved(credential: CredentialSummary): void;
  onCancel(): void;
}

export function CredentialForm({ editing, onSaved, onCancel }: CredentialFormProps) {
  const [draft, setDraft] = useState<Draft>(() => (editing ? draftOf(editing) : emptyDraft(new Date().toISOString().slice(0, 10))));
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  // Masked by default: a screen shared during an incident should not show a pasted secret.
  const [showSecret, setShowSecret] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checked = useMemo(() => check(draft, editing), [draft, editing]);

  const shown = (path: string) => (submitted || touched.has(path) ? checked.errors[path] : undefined);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setTouched((t) => new Set(t).add(key));
  };
  const setLocation = (index: number, change: Partial<LocationDraft>) => {
    setDraft((d) => ({ ...d, locations: d.locations.map((l, i) => (i === index ? { ...l, ...change } : l)) }));
    setTouched((t) => new Set([...t, ...Object.keys(change).map((k) => `locations.${index}.${k}`)]));
  };
  const text = (key: keyof Draft, extra: Record<string, unknown> = {}) => ({
    id: `cred-${key}`,
    value: draft[key] as string,
    'aria-invalid': Boolean(shown(key)),
    'aria-describedby': shown(key) ? `cred-${key}-error` : undefined,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
    ...extra,
  });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    setError(null);
    if (!checked.fields) return;
    setBusy(true);
    try {
      const saved = editing
        ? await unwrap(api().credentials.update({ id: editing.id, version: editing.version, fields: checked.fields, ...(draft.secret ? { secret: draft.secret } : {}) }))
        : await unwrap(api().credentials.create({ fields: checked.fields, secret: draft.secret || null }));
      onSaved(saved);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  const problems = Object.keys(checked.errors).length;
  return (
    <Modal labelledBy="credential-form-title" onClose={onCancel} className="credential-form">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <header className="detail-header">
          <h2 id="credential-form-title">{editing ? `Edit ${editing.name}` : 'Add a credential'}</h2>
        </header>
        <div className="form-grid">
          <Field id="cred-name" label="Name" error={shown('name')}>
            <input {...text('name', { maxLength: 200, autoFocus: true })} />
          </Field>
          <Field id="cred-kind" label="Kind" error={shown('kind')}>
            <select id="cred-kind" value={draft.kind} onChange={(e) => set('kind', e.target.value as Draft['kind'])}>
              {CREDENTIAL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="cred-provider" label="Provider">
            <select id="cred-provider" value={draft.provider} onChange={(e) => set('provider', e.target.value as Draft['provider'])}>
              {PROVIDERS.map((p) => (
                <option key={p} value={p}>
                  {PROVIDER_LABELS[p]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="cred-environment" label="Environment" error={shown('environment')} hint="production, staging, development, test, or your own label">
            <input {...text('environment', { list: 'form-environments', maxLength: 60 })} />
          </Field>
          <Field id="cred-owner" label="Owner" error={shown('owner')} hint="Person or team who answers for it">
            <input {...text('owner', { maxLength: 200 })} />
          </Field>
          <Field id="cred-tenant" label="Tenant" error={shown('tenant')}>
            <input {...text('tenant', { maxLength: 200 })} />
          </Field>
          <Field id="cred-status" label="Status">
            <select id="cred-status" value={draft.status} onChange={(e) => set('status', e.target.value as Draft['status'])}>
              {CREDENTIAL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </Field>
          <Field id="cred-rotationPolicyDays" label="Rotation policy (days)" error={shown('rotationPolicyDays')} hint="Empty: the default of 90 days">
            <input {...text('rotationPolicyDays', { inputMode: 'numeric' })} />
          </Field>
          <Field id="cred-createdAt" label="Created" error={shown('createdAt')}>
            <input type="date" {...text('createdAt')} />
          </Field>
          <Field id="cred-expiresAt" label="Expires" error={shown('expiresAt')} hint="Empty: never">
            <input type="date" {...text('expiresAt')} />
          </Field>
          <Field id="cred-lastUsedAt" label="Last used" error={shown('lastUsedAt')}>
            <input type="date" {...text('lastUsedAt')} />
          </Field>
          <Field id="cred-lastRotatedAt" label="Last rotated" error={shown('lastRotatedAt')}>
            <input type="date" {...text('lastRotatedAt')} />
          </Field>
          <Field id="cred-authServerId" label="Linked auth server" error={shown('authServerId')}>
            <input {...text('authServerId', { maxLength: 200 })} />
          </Field>
          <Field id="cred-clientId" label="Client id" error={shown('clientId')} hint={draft.kind === 'oauth_client' ? 'Required for an OAuth client' : undefined}>
            <input {...text('clientId', { maxLength: 600 })} />
          </Field>
          <Field id="cred-scopes" label="Scopes" error={shown('scopes') ?? Object.entries(checked.errors).find(([k]) => k.startsWith('scopes.'))?.[1]} hint="Separated by spaces">
            <input {...text('scopes')} />
          </Field>
          <Field id="cred-tags" label="Tags" error={shown('tags') ?? Object.entries(checked.errors).find(([k]) => k.startsWith('tags.'))?.[1]} hint="Separated by commas">
            <input {...text('tags')} />
          </Field>
        </div>
        <datalist id="form-environments">
          {STANDARD_ENVIRONMENTS.map((env) => (
            <option key={env} value={env} />
          ))}
        </datalist>

        <Field
          id="cred-secret"
          label={editing ? 'Replace the secret' : 'Secret'}
          error={shown('secret')}
          hint={editing ? 'Leave empty to keep the stored secret' : draft.kind === 'signing_key' ? 'The private key, PEM or JWK: CredOps shows its public thumbprint' : 'Optional: without it CredOps tracks metadata only'}
        >
          <textarea
            id="cred-secret"
            className={`mono${showSecret ? '' : ' masked'}`}
            rows={draft.kind === 'signing_key' ? 4 : 1}
            spellCheck={false}
            autoComplete="off"
            value={draft.secret}
            onChange={(e) => set('secret', e.target.value)}
          />
          <label className="inline-check">
            <input type="checkbox" checked={showSecret} onChange={(e) => setShowSecret(e.target.checked)} /> Show while typing
          </label>
        </Field>

        <fieldset className="locations-editor">
          <legend>Locations: every place a copy lives</legend>
          {draft.locations.map((l, i) => (
            <div className="location-row" key={i} role="group" aria-label={`Location ${i + 1}`}>
              <select aria-label="Location kind" value={l.kind} onChange={(e) => setLocation(i, { kind: e.target.value as LocationDraft['kind'] })}>
                {LOCATION_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {LOCATION_LABELS[k]}
                  </option>
                ))}
              </select>
              <input aria-label="Where" placeholder="e.g. GitHub Actions PAYMENTS_KEY" value={l.label} maxLength={300} onChange={(e) => setLocation(i, { label: e.target.value })} />
              <input aria-label="Location environment" placeholder="environment" list="form-environments" value={l.environment} maxLength={60} onChange={(e) => setLocation(i, { environment: e.target.value })} />
              <input aria-label="Confirmed on" type="date" value={l.confirmedAt} onChange={(e) => setLocation(i, { confirmedAt: e.target.value })} />
              <button type="button" aria-label={`Remove location ${i + 1}`} onClick={() => setDraft((d) => ({ ...d, locations: d.locations.filter((_, j) => j !== i) }))}>
                Remove
              </button>
              {['label', 'environment', 'confirmedAt'].map((k) => {
                const message = submitted || touched.has(`locations.${i}.${k}`) ? checked.errors[`locations.${i}.${k}`] : undefined;
                return message ? (
                  <span className="field-error location-error" role="alert" key={k}>
                    {message}
                  </span>
                ) : null;
              })}
            </div>
          ))}
          <button type="button" onClick={() => setDraft((d) => ({ ...d, locations: [...d.locations, { kind: 'ci_variable', label: '', environment: d.environment, confirmedAt: '' }] }))}>
            Add location
          </button>
        </fieldset>

        <Field id="cred-notes" label="Notes" error={shown('notes')}>
          <textarea {...text('notes')} rows={3} />
        </Field>

        <ErrorNote message={error} />
        <div className="row dialog-actions">
          {submitted && problems > 0 && <span className="field-error">{problems === 1 ? 'One field needs attention' : `${problems} fields need attention`}</span>}
          <span className="spacer" />
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {editing ? 'Save changes' : 'Add credential'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
