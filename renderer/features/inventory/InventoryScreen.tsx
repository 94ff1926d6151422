/**
 * Inventory: the health summary, search and filters, the virtual table of every credential, and the
 * detail, form, import and export that open over it.
 */
import { useCallback, useMemo, useState } from 'react';
import type { ImportFile } from '../../../shared/credential-transfer';
import type { CredentialSummary } from '../../../shared/credentials';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { CredentialDetail } from './CredentialDetail';
import { CredentialForm } from './CredentialForm';
import { CredentialTable } from './CredentialTable';
import { ExportDialog } from './ExportDialog';
import { FilterBar } from './FilterBar';
import { HealthHeader } from './HealthHeader';
import { ImportDialog } from './ImportDialog';
import { currentQuery, useInventory } from './store';
import { useCredentialPages } from './useCredentialPages';

type Overlay = { kind: 'form'; editing: CredentialSummary | null } | { kind: 'import'; file: ImportFile } | { kind: 'export' } | null;

export function InventoryScreen() {
  const text = useInventory((s) => s.text);
  const filters = useInventory((s) => s.filters);
  const sort = useInventory((s) => s.sort);
  const revision = useInventory((s) => s.revision);
  const selectedId = useInventory((s) => s.selectedId);
  const { setSort, select, changed, setFilter } = useInventory.getState();
  const query = useMemo(() => currentQuery({ text, filters, sort }), [text, filters, sort]);
  const pages = useCredentialPages(query, revision);
  const [overlay, setOverlay] = useState<Overlay>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const openImport = useCallback(async () => {
    setError(null);
    try {
      const { file } = await unwrap(api().credentials.importOpen());
      if (file) setOverlay({ kind: 'import', file });
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  const filtered = Boolean(text.trim()) || Object.values(filters).some(Boolean);
  return (
    <section aria-labelledby="inventory-title" className="screen inventory">
      <header className="screen-header">
        <h2 id="inventory-title">Inventory</h2>
        <span className="muted" data-testid="inventory-count">
          {pages.total === null ? '' : `${pages.total.toLocaleString('en')} ${filtered ? 'matching' : pages.total === 1 ? 'credential' : 'credentials'}`}
        </span>
        <button type="button" onClick={() => void openImport()}>
          Import…
        </button>
        <button type="button" onClick={() => setOverlay({ kind: 'export' })}>
          Export…
        </button>
        <button type="button" className="primary" onClick={() => setOverlay({ kind: 'form', editing: null })}>
          Add credential
        </button>
      </header>
      <HealthHeader revision={revision} active={filters.finding} onPick={(code) => setFilter('finding', code)} />
      <FilterBar />
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <ErrorNote message={error ?? pages.error} />
      <div className="inventory-body">
        {pages.total === 0 ? (
          <div className="empty panel">
            {filtered ? (
              <p>No credential matches. Clear the search or a filter.</p>
            ) : (
              <p>The inventory is empty. Add a credential, or import a CSV or JSON file.</p>
            )}
          </div>
        ) : (
          <CredentialTable pages={pages} sort={sort} onSort={setSort} selectedId={selectedId} onOpen={select} />
        )}
        {selectedId && <CredentialDetail id={selectedId} revision={revision} onClose={() => select(null)} onEdit={(editing) => setOverlay({ kind: 'form', editing })} onChanged={changed} />}
      </div>
      {overlay?.kind === 'form' && (
        <CredentialForm
          editing={overlay.editing}
          onCancel={() => setOverlay(null)}
          onSaved={(saved) => {
            setOverlay(null);
            setNotice(`${overlay.editing ? 'Saved' : 'Added'} ${saved.name}.`);
            select(saved.id);
            changed();
          }}
        />
      )}
      {overlay?.kind === 'import' && (
        <ImportDialog
          file={overlay.file}
          onClose={() => setOverlay(null)}
          onImported={(count, fileName) => {
            setOverlay(null);
            setNotice(`Imported ${count} ${count === 1 ? 'credential' : 'credentials'} from ${fileName}.`);
            changed();
          }}
        />
      )}
      {overlay?.kind === 'export' && (
        <ExportDialog
          onClose={() => setOverlay(null)}
          onSaved={(count, fileName) => {
            setOverlay(null);
            setNotice(`Exported ${count} ${count === 1 ? 'credential' : 'credentials'} to ${fileName}.`);
          }}
        />
      )}
    </section>
  );
}
