/**
 * The secret, only on purpose: Reveal shows it for the few seconds main allows (each reveal is an
 * audit entry); Copy has main put it on the clipboard and clear it after the configured delay.
 */
import { useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api';
import { ErrorNote } from '../../ui/ErrorNote';

export function SecretActions({ id }: { id: string }) {
  const [shown, setShown] = useState<{ secret: string; left: number } | null>(null);
  const [copied, setCopied] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The secret leaves the screen when the countdown ends, or when another credential is opened.
  useEffect(() => {
    setShown(null);
    setCopied(null);
  }, [id]);
  useEffect(() => {
    if (copied === null) return;
    const timer = setTimeout(() => setCopied(copied <= 1 ? null : copied - 1), 1000);
    return () => clearTimeout(timer);
  }, [copied]);
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(shown.left <= 1 ? null : { ...shown, left: shown.left - 1 }), 1000);
    return () => clearTimeout(timer);
  }, [shown]);

  async function reveal() {
    setError(null);
    try {
      const { secret, hideAfterSeconds } = await unwrap(api().credentials.reveal({ id }));
      setShown({ secret, left: hideAfterSeconds });
    } catch (e) {
      setError(messageOf(e));
    }
  }

  async function copy() {
    setError(null);
    try {
      const { clearAfterSeconds } = await unwrap(api().credentials.copy({ id }));
      setCopied(clearAfterSeconds);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <div className="secret-actions">
      <div className="row">
        {shown ? (
          <button type="button" onClick={() => setShown(null)}>
            Hide
          </button>
        ) : (
          <button type="button" onClick={() => void reveal()}>
            Reveal
          </button>
        )}
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      {shown && (
        <div className="revealed" role="status">
          <code className="secret" data-testid="revealed-secret">
            {shown.secret}
          </code>
          <span className="muted">Hidden in {shown.left} s · this reveal is in the audit log</span>
        </div>
      )}
      {copied !== null && !shown && (
        <p role="status" className="muted">
          Copied. CredOps clears the clipboard in {copied} s if it still holds this secret.
        </p>
      )}
      <ErrorNote message={error} />
    </div>
  );
}
