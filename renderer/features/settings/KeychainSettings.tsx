import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { useVault } from '../vault/store';

export function KeychainSettings() {
  const status = useVault((s) => s.status);
  const setStatus = useVault((s) => s.setStatus);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const keychain = status?.keychain;

  async function enable(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      setStatus(await unwrap(api().vault.enableKeychain({ passphrase })));
      setPassphrase('');
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function disable() {
    setError(null);
    try {
      setStatus(await unwrap(api().vault.disableKeychain()));
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <form className="panel" onSubmit={enable} aria-labelledby="keychain-title">
      <h3 id="keychain-title">System keychain unlock</h3>
      {!keychain?.available ? (
        <p className="muted">Unavailable: {keychain?.reason ?? 'no system keychain'}. The passphrase always works.</p>
      ) : keychain.enrolled ? (
        <>
          <p className="muted">This vault can be unlocked with the system keychain. The passphrase still works.</p>
          <button type="button" onClick={disable}>
            Turn off keychain unlock
          </button>
        </>
      ) : (
        <>
          <label htmlFor="keychain-passphrase">Confirm with your passphrase</label>
          <div className="row">
            <input id="keychain-passphrase" type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
            <button type="submit" disabled={!passphrase}>
              Turn on
            </button>
          </div>
        </>
      )}
      <ErrorNote message={error} />
    </form>
  );
}
