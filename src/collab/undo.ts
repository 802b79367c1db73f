/**
 * Undo and redo of this person's own changes (architecture.md, "The board
 * document (Yjs)"): a Y.UndoManager over every top-level type of the board,
 * tracking only LOCAL_ORIGIN, so another person's work is never undone.
 *
 * Steps: every model operation is one transaction, and captureTimeout is 0,
 * so each operation is one undo step and two operations never merge. A drag
 * (one moveNodes per frame, then the lane assignment on drop) is captured
 * into one step between beginDrag() and endDrag().
 */
import * as Y from 'yjs';
import { LOCAL_ORIGIN, capabilityArray, edgesMap, lanesMap, metaMap, nodesMap, outcomesMap } from '../model';

/** The origin of the clean-up after an undo or redo: not tracked, so it is never undone itself. */
export const UNDO_CLEANUP_ORIGIN = 'purposeboard:undo-cleanup';

/** Long enough for any drag; UndoManager reads captureTimeout on every transaction. */
const DRAG_CAPTURE_MS = 24 * 60 * 60 * 1000;

export interface UndoAvailability {
  canUndo: boolean;
  canRedo: boolean;
}

export interface BoardUndo {
  manager: Y.UndoManager;
  /** Undoes this person's last step; false when there was nothing to undo. */
  undo(): boolean;
  redo(): boolean;
  canUndo(): boolean;
  canRedo(): boolean;
  /** From here until endDrag() every local change joins one undo step. */
  beginDrag(): void;
  endDrag(): void;
  /** True for the origins of this person's changes, including undo and redo themselves. */
  isLocalOrigin(origin: unknown): boolean;
  destroy(): void;
}

/**
 * Deletes edges whose source or target is gone. Undo restores one person's
 * change exactly; if someone else deleted an end of an edge meanwhile, that
 * edge would come back dangling (hidden by the reader, but stored).
 */
export function removeDanglingEdges(doc: Y.Doc, origin: unknown = UNDO_CLEANUP_ORIGIN): number {
  const nodes = nodesMap(doc);
  const edges = edgesMap(doc);
  const dangling: string[] = [];
  edges.forEach((edge, id) => {
    const source = edge.get('source');
    const target = edge.get('target');
    if (typeof source !== 'string' || typeof target !== 'string' || !nodes.has(source) || !nodes.has(target)) {
      dangling.push(id);
    }
  });
  if (dangling.length > 0) doc.transact(() => dangling.forEach((id) => edges.delete(id)), origin);
  return dangling.length;
}

export function createBoardUndo(doc: Y.Doc, onChange?: (availability: UndoAvailability) => void): BoardUndo {
  const manager = new Y.UndoManager(
    [metaMap(doc), nodesMap(doc), edgesMap(doc), lanesMap(doc), capabilityArray(doc), outcomesMap(doc)],
    {
      trackedOrigins: new Set<unknown>([LOCAL_ORIGIN]),
      captureTimeout: 0,
    },
  );
  let dragging = false;
  let last: UndoAvailability | null = null;

  const publish = () => {
    const now = { canUndo: manager.canUndo(), canRedo: manager.canRedo() };
    if (last && last.canUndo === now.canUndo && last.canRedo === now.canRedo) return;
    last = now;
    onChange?.(now);
  };
  manager.on('stack-item-added', publish);
  manager.on('stack-item-popped', publish);
  manager.on('stack-cleared', publish);
  publish();

  const endDrag = () => {
    if (!dragging) return;
    dragging = false;
    manager.captureTimeout = 0;
    manager.stopCapturing();
  };
  const step = (run: () => unknown): boolean => {
    // An undo in the middle of a drag (or after a drag that never reported its end) closes the drag first.
    endDrag();
    const done = run() !== null;
    if (done) removeDanglingEdges(doc);
    return done;
  };

  return {
    manager,
    undo: () => step(() => manager.undo()),
    redo: () => step(() => manager.redo()),
    canUndo: () => manager.canUndo(),
    canRedo: () => manager.canRedo(),
    beginDrag() {
      manager.stopCapturing();
      manager.captureTimeout = DRAG_CAPTURE_MS;
      dragging = true;
    },
    endDrag,
    isLocalOrigin: (origin) => origin === LOCAL_ORIGIN || origin === manager || origin === UNDO_CLEANUP_ORIGIN,
    destroy() {
      manager.off('stack-item-added', publish);
      manager.off('stack-item-popped', publish);
      manager.off('stack-cleared', publish);
      manager.destroy();
    },
  };
}

/**
 * Keeps edges whole across concurrent edits: a step deleted by one person
 * while another connects to it leaves an edge without an end once both
 * changes meet. After every transaction from elsewhere that added or removed
 * nodes or edges, such edges are deleted (each client may do it; concurrent
 * deletes of one edge merge). Returns the function that stops it.
 */
export function keepEdgesWhole(doc: Y.Doc, isLocalOrigin: (origin: unknown) => boolean): () => void {
  const nodes = nodesMap(doc);
  const edges = edgesMap(doc);
  let queued = false;
  const onAfterTransaction = (transaction: Y.Transaction) => {
    if (queued || isLocalOrigin(transaction.origin)) return;
    // `changed` holds the types whose own keys changed: nodes or edges added or removed, not a drag frame.
    // (The casts: `changed` is typed for the event types, our maps for their values.)
    if (!transaction.changed.has(nodes as never) && !transaction.changed.has(edges as never)) return;
    queued = true;
    // Not inside the transaction's clean-up: a new transaction of its own.
    queueMicrotask(() => {
      queued = false;
      if (!doc.isDestroyed) removeDanglingEdges(doc);
    });
  };
  doc.on('afterTransaction', onAfterTransaction);
  return () => doc.off('afterTransaction', onAfterTransaction);
}
