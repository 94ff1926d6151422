/** A labelled form field: the control, then its error (announced) or else its hint. */
import type { ReactNode } from 'react';

export function Field({ id, label, error, hint, wide, children }: { id: string; label: string; error?: string; hint?: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`field${wide ? ' wide' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {error ? (
        <span className="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      ) : (
        hint && <span className="hint small">{hint}</span>
      )}
    </div>
  );
}
