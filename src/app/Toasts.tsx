/** Short messages in plain words (a connection that could not be made, a change the model refused). */
import { useBoardState } from '../collab/board-context';

export function Toasts() {
  const toasts = useBoardState((s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className="toast" data-testid="toast">
          {toast.message}
        </div>
      ))}
    </div>
  );
}
