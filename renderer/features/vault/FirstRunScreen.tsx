import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { PassphraseMeter, usePassphraseAssessment } from '../../ui/PassphraseMeter';
import { useVault } from './store';

export function FirstRunScreen({ defaultPath }: { defaultPath: string }) {
  const setStatus = useVault((s) => s.setStatus);
  const [path, setPath] = useState(defaultPath);
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const assessment = usePassphraseAssessment(passphrase);
  const mismatch = confirmation.length > 0 && confirmation !== passphrase;
  const ready = !!assessment?.acceptable && confirmation === passphrase && path.trim() !== '' && !busy;

  async function choose() {
    try {
      const chosen = await unwrap(api().vault.chooseLocation());
      if (chosen.path) setPath(chosen.path);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    try {
      setStatus(await unwrap(api().vault.create({ path: path.trim(), passphrase })));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <main className="gate">
      <form className="gate-card" onSubmit={submit} aria-labelledby="first-run-title">
        <h1 id="first-run-title">Create your CredOps vault</h1>
        <p className="hint">
          The vault is one encrypted file. Its key is wrapped by your passphrase; without the passphrase nobody, including you, can open it.
        </p>
        <label htmlFor="vault-path">Vault location</label>
        <div className="row">
          <input id="vault-path" className="mono" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} />
          <button type="button" onClick={choose}>
            Choose…
          </button>
        </div>
        <label htmlFor="new-passphrase">Passphrase</label>
        <input id="new-passphrase" type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />
        <PassphraseMeter assessment={assessment} />
        <label htmlFor="confirm-passphrase">Passphrase again</label>
        <input
          id="confirm-passphrase"
          type="password"
          autoComplete="new-password"
          value={confirmation}
          onChange={(e) => setConfirmation(e.target.value)}
          aria-invalid={mismatch}
          aria-describedby={mismatch ? 'confirm-problem' : undefined}
        />
        {mismatch && (
          <span id="confirm-problem" className="meter-problem">
            The two passphrases differ.
          </span>
        )}
        <ErrorNote message={error} />
        <button type="submit" className="primary" disabled={!ready}>
          {busy ? 'Creating…' : 'Create vault'}
        </button>
      </form>
    </main>
  );
}
