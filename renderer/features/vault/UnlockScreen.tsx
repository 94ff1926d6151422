import { useEffect, useState, type FormEvent } from 'react';
import type { VaultStatus } from '../../../shared/contract';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { useVault } from './store';

export function UnlockScreen({ status }: { status: VaultStatus }) {
  const setStatus = useVault((s) => s.setStatus);
  const notice = useVault((s) => s.lockNotice);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const waitSeconds = status.retryAt ? Math.max(0, Math.ceil((status.retryAt - now) / 1000)) : 0;

  useEffect(() => {
    if (!status.retryAt) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [status.retryAt]);

  async function attempt(unlock: () => Promise<VaultStatus>) {
    setBusy(true);
    setError(null);
    try {
      setStatus(await unlock());
    } catch (e) {
      setError(messageOf(e));
      setPassphrase('');
      await useVault.getState().refresh();
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!passphrase || busy) return;
    void attempt(() => unwrap(api().vault.unlock({ passphrase })));
  }

  return (
    <main className="gate">
      <form className="gate-card" onSubmit={submit} aria-labelledby="unlock-title">
        <h1 id="unlock-title">Unlock {status.vaultName}</h1>
        <p className="hint mono">{status.vaultPath}</p>
        {notice && <p className="notice">{notice}</p>}
        <label htmlFor="unlock-passphrase">Passphrase</label>
        <input id="unlock-passphrase" type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoFocus />
        <ErrorNote message={error} />
        <button type="submit" className="primary" disabled={!passphrase || busy || waitSeconds > 0}>
          {busy ? 'Unlocking…' : waitSeconds > 0 ? `Wait ${waitSeconds} s` : 'Unlock'}
        </button>
        {status.keychain.enrolled && (
          <button type="button" disabled={busy || !status.keychain.available} onClick={() => void attempt(() => unwrap(api().vault.unlockWithKeychain()))}>
            Unlock with system keychain
          </button>
        )}
      </form>
    </main>
  );
}
