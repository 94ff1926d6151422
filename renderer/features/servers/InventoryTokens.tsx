/**
 * Tokens kept in the inventory (service and refresh tokens), picked for a bulk revocation by
 * credential: main opens their secrets when the job starts, so they never pass through here.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';

const TOKEN_KINDS = ['service_token', 'refresh_token'] as const;

export function InventoryTokens({ selected, onChange }: { selected: ReadonlySet<string>; onChange(next: Set<string>): void }) {
  const [found, setFound] = useState<CredentialSummary[] | null>(null);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    Promise.all(TOKEN_KINDS.map((kind) => unwrap(api().credentials.list({ kind, status: 'active', limit: 500 })))).then(
      (pages) => current && setFound(pages.flatMap((page) => page.credentials).filter((c) => c.hasSecret)),
      (e: unknown) => current && setError(messageOf(e)),
    );
    return () => {
      current = false;
    };
  }, []);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return (found ?? []).filter((c) => !needle || `${c.name} ${c.environment} ${c.owner ?? ''}`.toLowerCase().includes(needle));
  }, [found, filter]);

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onChange(next);
  };

  return (
    <fieldset className="inventory-tokens">
      <legend>Or tokens from the inventory</legend>
      <ErrorNote message={error} />
      {found && found.length === 0 && <p className="muted small">No active service or refresh tokens with a stored secret in the inventory.</p>}
      {found && found.length > 0 && (
        <>
          <input aria-label="Filter inventory tokens" placeholder="Filter by name, environment, owner" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <ul className="checklist">
            {shown.map((c) => (
              <li key={c.id}>
                <label>
                  <input type="checkbox" checked={selected.has(c.id)} onChange={() => toggle(c.id)} />
                  {c.name} <span className="muted small">({c.environment}{c.owner ? `, ${c.owner}` : ''})</span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}
    </fieldset>
  );
}
