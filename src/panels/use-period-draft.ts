/**
 * Editing the board's counting period ("one week"), shared by the analysis
 * panel and the demand table: a draft while typing, committed through
 * setPeriod, and the model's refusal kept beside the field.
 */
import { useState } from 'react';
import type * as Y from 'yjs';
import { BoardOperationError, setPeriod } from '../model';

/** What a refused change says in place: the model's words, or a plain sentence for anything else. */
export function refusalMessage(error: unknown): string {
  return error instanceof BoardOperationError ? error.message : 'Something went wrong; the change was not made.';
}

export function usePeriodDraft(doc: Y.Doc) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    try {
      setPeriod(doc, draft);
      setDraft(null);
      setError(null);
    } catch (e) {
      setError(refusalMessage(e));
    }
  };
  const cancel = () => {
    setDraft(null);
    setError(null);
  };
  return { draft, setDraft, error, setError, commit, cancel };
}
