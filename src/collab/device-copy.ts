/**
 * The copy of a board kept on this device (IndexedDB, via y-indexeddb), so
 * editing goes on while the connection is down and a reload while offline
 * still shows the board with those edits.
 *
 * The device copy is only ever merged into the document this client has;
 * it never creates a board: the server refuses a connection to a board it
 * does not have (4404, 4410) and the client then drops the copy.
 *
 * A damaged copy (an update that does not decode, or data that is not a
 * board) must not break the board: it is checked in a scratch document
 * before it touches the real one, and dropped with a notice when it fails.
 */
import * as Y from 'yjs';
import * as idb from 'lib0/indexeddb';
import { IndexeddbPersistence, clearDocument } from 'y-indexeddb';
import { capabilityArray, edgesMap, lanesMap, metaMap, nodesMap, outcomesMap } from '../model';

/** The IndexedDB database of one board's device copy. */
export function deviceCopyName(boardId: string): string {
  return `purposeboard-board-${boardId}`;
}

/** localStorage key: this board has changes the server has not confirmed (survives a reload). */
export function unconfirmedKey(boardId: string): string {
  return `purposeboard.unconfirmed.${boardId}`;
}

/** How long to wait for IndexedDB before going on without it (a stuck or blocked database). */
const OPEN_TIMEOUT_MS = 5000;

/**
 * True when stored updates form a readable board: each one decodes and
 * applies, and the board's top-level types have the kinds the model expects.
 * Pure (a scratch document), so it runs in Node tests.
 */
export function isSoundDeviceCopy(updates: readonly unknown[]): boolean {
  const scratch = new Y.Doc();
  try {
    for (const update of updates) {
      if (!(update instanceof Uint8Array)) return false;
      Y.decodeUpdate(update);
      Y.applyUpdate(scratch, update);
    }
    // Each throws when the stored data defined the name with another type…
    const maps = [metaMap(scratch), nodesMap(scratch), edgesMap(scratch), lanesMap(scratch), outcomesMap(scratch)];
    const list = capabilityArray(scratch);
    // …or, read with the right type, shows content of the other shape (list items in a map, keys in a list).
    return maps.every((map) => map._start === null) && list._map.size === 0;
  } catch {
    return false;
  } finally {
    scratch.destroy();
  }
}

export type DeviceCopyResult =
  /** The device copy is merged into the document and follows every change from here on. */
  | { kind: 'open'; persistence: IndexeddbPersistence; hadContent: boolean; dropped: boolean }
  /** No IndexedDB here (private mode, disabled storage) or it did not answer: this tab only. */
  | { kind: 'unavailable' };

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('IndexedDB did not answer')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Reads the stored updates without applying them anywhere. */
async function readStoredUpdates(name: string): Promise<unknown[]> {
  const db = await idb.openDB(name, (db) => idb.createStores(db, [['updates', { autoIncrement: true }], ['custom']]));
  try {
    const [updates] = idb.transact(db, ['updates'], 'readonly');
    return (await idb.getAll(updates)) as unknown[];
  } finally {
    db.close();
  }
}

/** Opens the device copy of a board into `doc` (checked first; dropped when damaged). */
export async function openDeviceCopy(boardId: string, doc: Y.Doc): Promise<DeviceCopyResult> {
  if (typeof indexedDB === 'undefined') return { kind: 'unavailable' };
  const name = deviceCopyName(boardId);
  try {
    const stored = await withTimeout(readStoredUpdates(name), OPEN_TIMEOUT_MS);
    const dropped = !isSoundDeviceCopy(stored);
    if (dropped) await withTimeout(clearDocument(name), OPEN_TIMEOUT_MS);
    const before = doc.store.clients.size;
    const persistence = new IndexeddbPersistence(name, doc);
    await withTimeout(persistence.whenSynced, OPEN_TIMEOUT_MS).catch((error: unknown) => {
      void persistence.destroy();
      throw error;
    });
    const hadContent = !dropped && stored.length > 0 && doc.store.clients.size > before;
    return { kind: 'open', persistence, hadContent, dropped };
  } catch {
    return { kind: 'unavailable' };
  }
}

/** Forgets a board's device copy (the board is gone from the server). */
export async function dropDeviceCopy(boardId: string, persistence: IndexeddbPersistence | null): Promise<void> {
  try {
    if (persistence) await persistence.clearData();
    else if (typeof indexedDB !== 'undefined') await clearDocument(deviceCopyName(boardId));
  } catch {
    // Nothing more to do: the server refuses the board, so the copy can never reach it.
  }
}
