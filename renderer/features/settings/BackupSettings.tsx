import { useCallback, useEffect, useState } from 'react';
import type { BackupInfo } from '../../../shared/contract';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';
import { utcStamp } from '../../ui/timestamp';

export function BackupSettings() {
  const [backups, setBackups] = useState<BackupInfo[]>([]);
  const [retention, setRetention] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setBackups((await unwrap(api().vault.listBackups())).backups);
      setRetention(String((await unwrap(api().vault.getSettings())).backupRetention));
    } catch (e) {
      setError(messageOf(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  async function backupNow() {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const keep = Number(retention);
      if (!Number.isInteger(keep) || keep < 1 || keep > 100) throw new RangeError();
      await unwrap(api().vault.updateSettings({ backupRetention: keep }));
      const result = await unwrap(api().vault.backup());
      setMessage(`Backup written to ${result.backup.file}${result.pruned ? `; ${result.pruned} older removed` : ''}.`);
      await load();
    } catch (e) {
      setError(e instanceof RangeError ? 'Keep between 1 and 100 backups.' : messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="panel" role="group" aria-labelledby="backup-title">
      <h3 id="backup-title">Backups</h3>
      <p className="muted">Encrypted copies beside the vault, each with its own key file. They open with the vault's current passphrase.</p>
      <label htmlFor="backup-retention">Backups to keep</label>
      <div className="row">
        <input id="backup-retention" type="number" min={1} max={100} value={retention} onChange={(e) => setRetention(e.target.value)} />
        <button type="button" onClick={backupNow} disabled={busy}>
          {busy ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      {message && <p role="status" className="muted">{message}</p>}
      <ErrorNote message={error} />
      <ul className="backup-list" aria-label="Backups">
        {backups.map((b) => (
          <li key={b.file} className="mono">
            {utcStamp(b.createdAt)} · {(b.sizeBytes / 1024).toFixed(0)} KiB
          </li>
        ))}
      </ul>
    </div>
  );
}
