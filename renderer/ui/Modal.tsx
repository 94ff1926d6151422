/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the page inert (focus cannot
 * wander behind it, screen readers see only the dialog) and Escape asks to close it.
 */
import { useEffect, useRef, type ReactNode } from 'react';

interface ModalProps {
  labelledBy: string;
  onClose(): void;
  className?: string;
  children: ReactNode;
}

export function Modal({ labelledBy, onClose, className, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current!;
    dialog.showModal();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog ${className ?? ''}`}
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        // Escape: the owner decides what closing means (an import also discards its file in main).
        event.preventDefault();
        close.current();
      }}
    >
      {children}
    </dialog>
  );
}
