import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { PassphraseMeter, usePassphraseAssessment } from '../../ui/PassphraseMeter';

export function ChangePassphrase() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const assessment = usePassphraseAssessment(next);
  const ready = current !== '' && !!assessment?.acceptable && next === again && !busy;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await unwrap(api().vault.changePassphrase({ current, next }));
      setMessage('Passphrase changed. Backups beside the vault now open with the new one too; copies kept elsewhere still open with the old one.');
      setCurrent('');
      setNext('');
      setAgain('');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-labelledby="passphrase-title">
      <h3 id="passphrase-title">Change passphrase</h3>
      <label htmlFor="current-passphrase">Current passphrase</label>
      <input id="current-passphrase" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
      <label htmlFor="next-passphrase">New passphrase</label>
      <input id="next-passphrase" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} />
      <PassphraseMeter assessment={assessment} />
      <label htmlFor="next-passphrase-again">New passphrase again</label>
      <input id="next-passphrase-again" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
      {again && again !== next && <span className="meter-problem">The two new passphrases differ.</span>}
      {message && <p role="status" className="muted">{message}</p>}
      <ErrorNote message={error} />
      <button type="submit" disabled={!ready}>
        {busy ? 'Changing…' : 'Change passphrase'}
      </button>
    </form>
  );
}
