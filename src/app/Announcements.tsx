/**
 * The polite live region for other people's changes (collab/announcements.ts):
 * screen readers read it when they pause, never interrupting, and it changes
 * at most once every few seconds. Visually hidden: sighted people see the
 * changes themselves, and the toasts carry what everyone must notice.
 */
import { useBoardState } from '../collab/board-context';

export function Announcements() {
  const announcement = useBoardState((s) => s.announcement);
  const count = useBoardState((s) => s.announcementCount);
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="announcements">
      {/* A new element each time: the same words ("Sam made 2 changes") twice are a new announcement. */}
      <span key={count}>{announcement}</span>
    </div>
  );
}
