/** What the node components do with an edit: a model operation, or a toast when the model says no. */
import type * as Y from 'yjs';
import { BoardOperationError, renameNode } from '../model';
import { showToast, type BoardStore } from '../collab/board-store';

export function reportError(store: BoardStore, error: unknown): void {
  if (error instanceof BoardOperationError) showToast(store, error.message);
  else {
    console.error(error);
    showToast(store, 'Something went wrong; the change was not made.');
  }
}

export function commitRename(doc: Y.Doc, store: BoardStore, id: string, previous: string, text: string): void {
  store.setState({ editingId: null });
  if (text === previous) return;
  try {
    renameNode(doc, id, text);
  } catch (error) {
    reportError(store, error);
  }
}
