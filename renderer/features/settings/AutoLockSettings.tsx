import { useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';

export function AutoLockSettings() {
  const [minutes, setMinutes] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void unwrap(api().vault.getSettings()).then((s) => setMinutes(String(s.autoLockMinutes)), (e) => setError(messageOf(e)));
  }, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSaved(null);
    const value = Number(minutes);
    if (!Number.isInteger(value) || value < 1 || value > 240) {
      setError('Auto-lock takes a whole number of minutes from 1 to 240.');
      return;
    }
    try {
      const settings = await unwrap(api().vault.updateSettings({ autoLockMinutes: value }));
      setSaved(`Saved: the vault locks after ${settings.autoLockMinutes} idle minutes, on screen lock and on sleep.`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <form className="panel" onSubmit={save} aria-labelledby="autolock-title">
      <h3 id="autolock-title">Auto-lock</h3>
      <label htmlFor="autolock-minutes">Lock after idle minutes</label>
      <div className="row">
        <input id="autolock-minutes" type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
        <button type="submit">Save</button>
      </div>
      {saved && <p role="status" className="muted">{saved}</p>}
      <ErrorNote message={error} />
    </form>
  );
}
