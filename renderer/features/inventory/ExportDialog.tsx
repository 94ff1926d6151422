/**
 * Export the inventory: metadata as CSV or JSON (never secrets), or an encrypted full export that
 * only CredOps can read back, with a passphrase of its own.
 */
import { useState } from 'react';
import type { ExportFormat } from '../../../shared/credential-transfer';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { Modal } from '../../ui/Modal';
import { PassphraseMeter, usePassphraseAssessment } from '../../ui/PassphraseMeter';

interface ExportDialogProps {
  onSaved(count: number, fileName: string): void;
  onClose(): void;
}

const CHOICES: { format: ExportFormat; label: string; hint: string }[] = [
  { format: 'csv', label: 'Metadata, CSV', hint: 'Every field and location, no secrets. Opens in a spreadsheet.' },
  { format: 'json', label: 'Metadata, JSON', hint: 'Every field and location, no secrets.' },
  { format: 'encrypted', label: 'Encrypted full export', hint: 'Fields and secrets, encrypted with a passphrase you choose. Only CredOps can read it back.' },
];

export function ExportDialog({ onSaved, onClose }: ExportDialogProps) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const assessment = usePassphraseAssessment(passphrase);
  const mismatch = format === 'encrypted' && repeat !== '' && repeat !== passphrase;

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { saved } = await unwrap(api().credentials.export({ format, ...(format === 'encrypted' ? { passphrase } : {}) }));
      if (saved) onSaved(saved.count, saved.fileName);
      else setBusy(false);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <Modal labelledBy="export-title" onClose={onClose} className="export-dialog">
      <form onSubmit={(e) => void save(e)}>
        <header className="detail-header">
          <h2 id="export-title">Export the inventory</h2>
        </header>
        <fieldset className="choices">
          <legend className="sr-only">Format</legend>
          {CHOICES.map((choice) => (
            <label key={choice.format} className="choice">
              <input type="radio" name="format" value={choice.format} checked={format === choice.format} onChange={() => setFormat(choice.format)} />
              <span>
                {choice.label}
                <span className="hint small block">{choice.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {format === 'encrypted' && (
          <>
            <label htmlFor="export-passphrase">Export passphrase</label>
            <input id="export-passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
            <PassphraseMeter assessment={assessment} />
            <label htmlFor="export-repeat">Repeat it</label>
            <input id="export-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} />
            {mismatch && <span className="field-error">The two passphrases differ</span>}
          </>
        )}
        <ErrorNote message={error} />
        <div className="row dialog-actions">
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || (format === 'encrypted' && (!passphrase || passphrase !== repeat || Boolean(assessment?.problem)))}>
            Choose file and export
          </button>
        </div>
      </form>
    </Modal>
  );
}
