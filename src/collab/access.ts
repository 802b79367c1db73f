/**
 * What this person may do on the open board (role, lock), and the one guard
 * that keeps a view-only person's device from changing the board.
 *
 * The server enforces access: for a viewer, or an editor while the board is
 * locked, it drops every change silently. So a change made here anyway would
 * show on this screen only and vanish on reload. Every edit the screens make
 * is a model operation, and every model operation is one `doc.transact` with
 * this person's origin: refusing those transactions here refuses every edit,
 * whichever button, key or drag asked for it.
 */
import type * as Y from 'yjs';
import { BoardOperationError } from '../model';
import { isRole, type AccessState } from '../protocol';

export type { AccessState, Role } from '../protocol';

/** The words a refused edit shows (a toast), and the header badge. */
export function viewOnlyReason(access: AccessState): string {
  if (access.canEdit) return '';
  if (access.locked && access.role !== 'viewer') {
    return access.lockedBy
      ? `${access.lockedBy} locked the board: nothing can be changed until it is unlocked.`
      : 'The board is locked: nothing can be changed until it is unlocked.';
  }
  return 'You can only view this board.';
}

/** "View only", or "Locked by Sam" when the lock is what stops this person. */
export function accessBadge(access: AccessState | null): string | null {
  if (!access || access.canEdit) return null;
  // A viewer views whatever the lock: the lock is news only to those it stops.
  if (access.locked && access.role !== 'viewer') return access.lockedBy ? `Locked by ${access.lockedBy}` : 'Locked';
  return 'View only';
}

/**
 * Makes `doc.transact` refuse this person's changes while `reason()` gives
 * a reason (a BoardOperationError, shown as a toast by the callers). Changes
 * from the server and the device copy do not go through `doc.transact` and
 * are never refused. Returns the undo of the guard.
 */
export function guardLocalEdits(
  doc: Y.Doc,
  isLocalOrigin: (origin: unknown) => boolean,
  reason: () => string | null,
): () => void {
  const transact = doc.transact.bind(doc);
  doc.transact = <T>(fn: (transaction: Y.Transaction) => T, origin?: unknown): T => {
    const refused = isLocalOrigin(origin) ? reason() : null;
    if (refused) throw new BoardOperationError(refused);
    return transact(fn, origin);
  };
  return () => {
    doc.transact = transact;
  };
}

function parseAccessState(value: unknown): AccessState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { role, locked, lockedBy, canEdit } = value as Record<string, unknown>;
  if (!isRole(role) || typeof locked !== 'boolean' || typeof canEdit !== 'boolean') return null;
  return { role, locked, lockedBy: typeof lockedBy === 'string' ? lockedBy : null, canEdit };
}

const accessKey = (boardId: string) => `purposeboard.access.${boardId}`;

/** The access last known for a board on this device, so a reload while offline keeps a viewer view-only. */
export function loadKnownAccess(storage: Storage | null, boardId: string): AccessState | null {
  try {
    const text = storage?.getItem(accessKey(boardId));
    return text ? parseAccessState(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

export function rememberAccess(storage: Storage | null, boardId: string, access: AccessState | null): void {
  try {
    if (access) storage?.setItem(accessKey(boardId), JSON.stringify(access));
    else storage?.removeItem(accessKey(boardId));
  } catch {
    // Not remembered: the server tells again on the next connection.
  }
}
