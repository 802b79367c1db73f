/** A modal question before something that cannot be undone. Escape or the backdrop cancels. */
import { useEffect, useRef, type ReactNode } from 'react';

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        data-testid="confirm-dialog"
      >
        <h2 id="confirm-title">{title}</h2>
        <p>{children}</p>
        {error && (
          <p className="field-error" role="alert" data-testid="confirm-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button ref={cancelRef} type="button" className="button" onClick={onCancel} data-testid="cancel">
            Cancel
          </button>
          <button
            type="button"
            className="button danger-solid"
            onClick={onConfirm}
            disabled={busy}
            data-testid="confirm"
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
