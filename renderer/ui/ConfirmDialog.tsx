/**
 * Asks before something that cannot be undone, naming what will happen. The action runs from the
 * dialog, so its busy state and its error stay where the user is looking; Cancel and Escape do nothing.
 */
import { useId, type ReactNode } from 'react';
import { ErrorNote } from './ErrorNote';
import { Modal } from './Modal';
import { useAction } from './useAction';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Ending or destroying something: the button says so in the danger colour. */
  danger?: boolean;
  /** The button that backs out; "Cancel" unless that would read like the action itself. */
  dismissLabel?: string;
  onConfirm(): Promise<void>;
  onCancel(): void;
}

export function ConfirmDialog({ title, children, confirmLabel, danger = true, dismissLabel = 'Cancel', onConfirm, onCancel }: ConfirmDialogProps) {
  const titleId = useId();
  const action = useAction();
  return (
    <Modal labelledBy={titleId} onClose={() => !action.busy && onCancel()} className="confirm-dialog">
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          void action.run(onConfirm);
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div className="confirm-body">{children}</div>
        <ErrorNote message={action.error} />
        <div className="row dialog-actions">
          {action.busy && (
            <span role="status" className="muted">
              Working…
            </span>
          )}
          <span className="spacer" />
          <button type="button" onClick={onCancel} disabled={action.busy} autoFocus>
            {dismissLabel}
          </button>
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={action.busy} aria-busy={action.busy}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}
