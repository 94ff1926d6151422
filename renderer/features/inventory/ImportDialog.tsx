/**
 * Import from CSV, JSON or an encrypted CredOps export. Main reads the file; this shows its preview
 * (every row's errors) and writes nothing until the user confirms, then all valid rows or none.
 */
import { useEffect, useRef, useState } from 'react';
import type { ImportFile, ImportPreview } from '../../../shared/credential-transfer';
import { api, ApiError, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Modal } from '../../ui/Modal';

interface ImportDialogProps {
  file: ImportFile;
  onImported(count: number, fileName: string): void;
  onClose(): void;
}

export function ImportDialog({ file, onImported, onClose }: ImportDialogProps) {
  const [passphrase, setPassphrase] = useState('');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function load(withPassphrase?: string) {
    setBusy(true);
    setError(null);
    try {
      setPreview(await unwrap(api().credentials.importPreview({ importId: file.importId, ...(withPassphrase ? { passphrase: withPassphrase } : {}) })));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  // The file (and any secrets in it) is held in main until committed or discarded: leaving the
  // dialog any way at all, or the screen, discards it.
  const committed = useRef(false);
  useEffect(() => {
    if (!file.needsPassphrase) void load();
    return () => {
      if (!committed.current) void api().credentials.importDiscard({ importId: file.importId });
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per opened file
  }, [file.importId]);

  async function commit() {
    setBusy(true);
    setError(null);
    try {
      const { imported } = await unwrap(api().credentials.importCommit({ importId: file.importId }));
      committed.current = true;
      onImported(imported, file.fileName);
    } catch (e) {
      setBusy(false);
      // The vault gained a conflicting name since the preview: show the rows as they stand now.
      if (e instanceof ApiError && e.error.code === 'CREDENTIAL_DUPLICATE') await load(passphrase || undefined);
      setError(messageOf(e));
    }
  }

  return (
    <Modal labelledBy="import-title" onClose={onClose} className="import-dialog">
        <header className="detail-header">
          <h2 id="import-title">Import {file.fileName}</h2>
        </header>
        {file.needsPassphrase && !preview && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void load(passphrase);
            }}
          >
            <p>This is an encrypted CredOps export. Enter the passphrase it was exported with.</p>
            <label htmlFor="import-passphrase">Export passphrase</label>
            <input id="import-passphrase" type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
            <button type="submit" className="primary" disabled={busy || !passphrase}>
              Open
            </button>
          </form>
        )}
        {preview && (
          <>
            <p role="status" data-testid="import-summary">
              {preview.total} {preview.total === 1 ? 'row' : 'rows'}: <strong>{preview.valid} ready to import</strong>
              {preview.invalid > 0 && (
                <>
                  , <strong className="bad">{preview.invalid} with errors</strong> (not imported)
                </>
              )}
              . Nothing is written until you confirm.
            </p>
            <div className="preview-scroll">
              <table className="table compact" aria-label="Import preview">
                <thead>
                  <tr>
                    <th scope="col" style={{ width: 60 }}>
                      Line
                    </th>
                    <th scope="col">Name</th>
                    <th scope="col" style={{ width: 110 }}>
                      Environment
                    </th>
                    <th scope="col" style={{ width: 110 }}>
                      Kind
                    </th>
                    <th scope="col" style={{ width: 60 }}>
                      Secret
                    </th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((row) => (
                    <tr key={row.line} className={row.errors.length ? 'row-bad' : undefined}>
                      <td className="mono">{row.line}</td>
                      <td className="truncate">{row.name ?? '—'}</td>
                      <td className="truncate">{row.environment ?? '—'}</td>
                      <td className="truncate">{row.kind ?? '—'}</td>
                      <td>{row.hasSecret ? 'yes' : 'no'}</td>
                      <td className={row.errors.length ? 'bad' : 'ok'}>{row.errors.length ? row.errors.join(' · ') : 'ready'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {preview.rows.length < preview.total && <p className="hint">Showing {preview.rows.length} of {preview.total} rows, those with errors first.</p>}
          </>
        )}
        <ErrorNote message={error} />
        <div className="row dialog-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {preview && (
            <button type="button" className="primary" disabled={busy || preview.valid === 0} onClick={() => void commit()}>
              Import {preview.valid} {preview.valid === 1 ? 'credential' : 'credentials'}
            </button>
          )}
        </div>
    </Modal>
  );
}
