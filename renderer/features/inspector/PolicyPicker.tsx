/**
 * The policy a token is checked against: a saved profile, or one written here and saved to the
 * vault. Only what is filled in is checked.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { EMPTY_POLICY, tokenPolicy, type SavedPolicy, type TokenPolicy, type UnreadablePolicy } from '../../../shared/tokens';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';

interface Draft {
  issuer: string;
  audiences: string;
  algorithms: string;
  requiredClaims: string;
  typ: string;
  maxLifetimeSeconds: string;
  clockToleranceSeconds: string;
  requiredScopes: string;
  claimEquals: string;
}

const list = (text: string) => text.split(/[\s,]+/).filter(Boolean);

function draftOf(policy: TokenPolicy): Draft {
  return {
    issuer: policy.issuer ?? '',
    audiences: policy.audiences.join(', '),
    algorithms: policy.algorithms.join(', '),
    requiredClaims: policy.requiredClaims.join(', '),
    typ: policy.typ ?? '',
    maxLifetimeSeconds: policy.maxLifetimeSeconds === null ? '' : String(policy.maxLifetimeSeconds),
    clockToleranceSeconds: String(policy.clockToleranceSeconds),
    requiredScopes: policy.requiredScopes.join(' '),
    claimEquals: policy.claimEquals.map((c) => `${c.claim} = ${c.value}`).join('\n'),
  };
}

function policyOf(draft: Draft): { policy: TokenPolicy | null; problem: string | null } {
  const parsed = tokenPolicy.safeParse({
    issuer: draft.issuer.trim() || null,
    audiences: list(draft.audiences),
    algorithms: list(draft.algorithms),
    requiredClaims: list(draft.requiredClaims),
    typ: draft.typ.trim() || null,
    maxLifetimeSeconds: draft.maxLifetimeSeconds.trim() ? Number(draft.maxLifetimeSeconds) : null,
    clockToleranceSeconds: draft.clockToleranceSeconds.trim() === '' ? 60 : Number(draft.clockToleranceSeconds),
    requiredScopes: list(draft.requiredScopes),
    claimEquals: draft.claimEquals
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? { claim: line.trim(), value: '' } : { claim: line.slice(0, at).trim(), value: line.slice(at + 1).trim() };
      }),
  });
  if (parsed.success) return { policy: parsed.data, problem: null };
  const issue = parsed.error.issues[0];
  return { policy: null, problem: `${issue.path.join('.') || 'policy'}: ${issue.message}` };
}

const FIELDS: { key: keyof Draft; label: string; hint: string }[] = [
  { key: 'issuer', label: 'Issuer', hint: 'exact "iss"' },
  { key: 'audiences', label: 'Audiences', hint: 'any of, comma-separated' },
  { key: 'algorithms', label: 'Allowed algorithms', hint: 'e.g. RS256, ES256' },
  { key: 'typ', label: 'Required typ', hint: 'e.g. at+jwt' },
  { key: 'requiredClaims', label: 'Required claims', hint: 'comma-separated' },
  { key: 'requiredScopes', label: 'Required scopes', hint: 'space-separated' },
  { key: 'maxLifetimeSeconds', label: 'Maximum lifetime (s)', hint: 'exp − iat' },
  { key: 'clockToleranceSeconds', label: 'Clock tolerance (s)', hint: 'default 60' },
];

/** `'incomplete'`: a policy is chosen but does not parse, so no verdict may be given without it. */
export function PolicyPicker({ onChange }: { onChange(policy: TokenPolicy | null | 'incomplete'): void }) {
  const [saved, setSaved] = useState<SavedPolicy[]>([]);
  const [selected, setSelected] = useState<string>('none');
  const [draft, setDraft] = useState<Draft>(draftOf(EMPTY_POLICY));
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const [unreadable, setUnreadable] = useState<UnreadablePolicy[]>([]);

  const load = useCallback(async () => {
    const list = await unwrap(api().tokens.listPolicies());
    setSaved(list.policies);
    setUnreadable(list.unreadable);
  }, []);
  useEffect(() => {
    load().catch((e: unknown) => setError(messageOf(e)));
  }, [load]);

  const { policy, problem } = useMemo(() => policyOf(draft), [draft]);
  useEffect(() => onChange(selected === 'none' ? null : (policy ?? 'incomplete')), [selected, policy, onChange]);

  function pick(id: string) {
    setSelected(id);
    setNotice(null);
    const profile = saved.find((p) => p.id === id);
    if (profile) {
      setDraft(draftOf(profile.policy));
      setName(profile.name);
    } else if (id === 'custom') setName('');
  }

  async function save() {
    if (!policy) return;
    setError(null);
    try {
      const existing = saved.find((p) => p.id === selected);
      const result = await unwrap(api().tokens.savePolicy({ ...(existing ? { id: existing.id } : {}), name, policy }));
      await load();
      setSelected(result.id);
      setNotice(`Saved "${result.name}" in the vault.`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function remove(id: string) {
    setError(null);
    try {
      await unwrap(api().tokens.deletePolicy({ id }));
      await load();
      if (id === selected) setSelected('none');
    } catch (e) {
      setError(messageOf(e));
    }
  }

  const isSaved = saved.some((p) => p.id === selected);
  return (
    <fieldset className="policy-picker">
      <legend>Check against</legend>
      <select aria-label="Policy" value={selected} onChange={(e) => pick(e.target.value)}>
        <option value="none">No policy (signature and time only)</option>
        {saved.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
        <option value="custom">New policy…</option>
      </select>
      {unreadable.map((p) => (
        <p key={p.id} className="field-error" role="alert">
          The saved policy "{p.name}" no longer reads as a policy ({p.reason}), so it is not offered. It is still in the vault.{' '}
          <button type="button" onClick={() => void remove(p.id)}>
            Delete "{p.name}"
          </button>
        </p>
      ))}
      {selected !== 'none' && (
        <div className="policy-fields">
          {FIELDS.map((field) => (
            <label key={field.key} className="policy-field">
              {field.label} <span className="hint small">{field.hint}</span>
              <input value={draft[field.key]} onChange={(e) => setDraft((d) => ({ ...d, [field.key]: e.target.value }))} />
            </label>
          ))}
          <label className="policy-field wide">
            Claims that must equal <span className="hint small">one per line: tenant_id = acme</span>
            <textarea rows={2} value={draft.claimEquals} onChange={(e) => setDraft((d) => ({ ...d, claimEquals: e.target.value }))} />
          </label>
          {problem && (
            <span className="field-error" role="alert">
              {problem}. No verdict until the policy is complete.
            </span>
          )}
          <div className="row">
            <input aria-label="Policy name" placeholder="Name, to save it in the vault" value={name} maxLength={120} onChange={(e) => setName(e.target.value)} />
            <button type="button" onClick={() => void save()} disabled={!policy || !name.trim()}>
              {isSaved ? 'Save changes' : 'Save policy'}
            </button>
            {isSaved && (
              <button type="button" onClick={() => void remove(selected)}>
                Delete
              </button>
            )}
          </div>
          {notice && <span className="muted small">{notice}</span>}
        </div>
      )}
      <ErrorNote message={error} />
    </fieldset>
  );
}
