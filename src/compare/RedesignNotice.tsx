/**
 * The notice on an after board just made by "Start the redesign": says where
 * the person has landed and that the before board is untouched, with the
 * comparison one click away. Kept in the tab's sessionStorage (not the URL):
 * it is for the person who started the redesign, not for whoever opens the
 * board's address, and it survives a reload until it is closed.
 */
import { useState } from 'react';
import { Link } from '../ui/Link';
import { comparePath } from '../ui/router';
import './compare.css';

const KEY = 'purposeboard:redesign-landing';

interface Landing {
  afterId: string;
  beforeId: string;
  beforeTitle: string;
}

/** Called by "Start the redesign" just before it opens the new board. */
export function rememberRedesignLanding(landing: Landing): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(landing));
  } catch {
    // Storage refused (private mode, quota): the board opens without the notice, nothing else changes.
  }
}

function readLanding(boardId: string): Landing | null {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return null;
    const { afterId, beforeId, beforeTitle } = value as Record<string, unknown>;
    if (afterId !== boardId || typeof beforeId !== 'string' || typeof beforeTitle !== 'string') return null;
    return { afterId, beforeId, beforeTitle };
  } catch {
    return null;
  }
}

export function RedesignNotice({ boardId }: { boardId: string }) {
  const [landing, setLanding] = useState(() => readLanding(boardId));
  if (!landing) return null;
  const close = () => {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // Nothing kept, nothing to forget.
    }
    setLanding(null);
  };
  return (
    <div className="redesign-notice" role="status" data-testid="redesign-notice">
      <span>
        This is the <strong>after</strong> board — a copy of ‘{landing.beforeTitle}’. The before board is unchanged.
      </span>
      <Link
        href={comparePath(landing.beforeId, landing.afterId)}
        className="button primary small"
        data-testid="redesign-compare-now"
        onClick={close}
      >
        Compare now
      </Link>
      <button
        type="button"
        className="button subtle small"
        aria-label="Close this notice"
        data-testid="redesign-notice-close"
        onClick={close}
      >
        ✕
      </button>
    </div>
  );
}
