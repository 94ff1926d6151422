/** Mark a credential rotated or revoked, with the responder's note for its history and the audit log. */
import { useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';

interface MarkFormProps {
  credential: CredentialSummary;
  as: 'rotated' | 'revoked';
  onDone(): void;
  onCancel(): void;
}

export function MarkForm({ credential, as, onDone, onCancel }: MarkFormProps) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await unwrap(api().credentials.mark({ id: credential.id, as, note: note.trim() }));
      onDone();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <form className="mark-form panel" onSubmit={(e) => void submit(e)} aria-label={`Mark ${as}`}>
      <h3>{as === 'rotated' ? `Mark “${credential.name}” rotated today` : `Mark “${credential.name}” revoked`}</h3>
      <p className="hint">
        {as === 'rotated'
          ? 'Records today as its last rotation and sets it active. Do this after the new secret is in every location.'
          : 'Records that it no longer works. Revoke it at its provider first; CredOps only records it.'}
      </p>
      <label htmlFor="mark-note">Note</label>
      <textarea id="mark-note" rows={3} maxLength={2000} value={note} placeholder="Ticket, who did it, what was updated" onChange={(e) => setNote(e.target.value)} />
      <ErrorNote message={error} />
      <div className="row">
        <button type="submit" className={as === 'revoked' ? 'danger' : 'primary'} disabled={busy}>
          {as === 'rotated' ? 'Mark rotated' : 'Mark revoked'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
