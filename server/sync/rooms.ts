/**
 * Rooms: one in-memory Y.Doc (and awareness) per board that has clients.
 *
 * Every change to a room's document — from a client, or from the HTTP API —
 * passes through one handler: store it, then send it on. A board is loaded
 * from storage before its first client is answered, and unloaded once its
 * last client has gone (it has nothing unstored: writes are synchronous).
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import { countSteps, readMeta } from '../../src/model';
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../src/protocol';
import type { BoardStorage } from '../storage/storage';
import { StorageHealth } from './storage-health';

/** Updates read back from storage carry this origin and are not stored again. */
const STORAGE_ORIGIN = Symbol('storage');
/** Changes the server makes itself (a rename through the HTTP API). */
export const SERVER_ORIGIN = Symbol('server');

/** How long after a change the board list's title, step count and time are refreshed. */
const SUMMARY_DELAY_MS = 300;

export interface Room {
  readonly id: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  /** Open connections and the awareness client ids each one controls. */
  readonly connections: Map<WebSocket, Set<number>>;
  /** False from a failed write until a later compaction has stored everything. */
  storedEverything: boolean;
}

interface RoomState extends Room {
  summaryTimer: NodeJS.Timeout | null;
  unloadTimer: NodeJS.Timeout | null;
}

export interface RoomManagerOptions {
  unloadDelayMs: number;
  compactAfterUpdates: number;
  log: (message: string) => void;
}

export function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, 2); // y-protocols messageYjsUpdate
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

export function send(connection: WebSocket, message: Uint8Array): void {
  // 1 = OPEN. A connection that is closing simply misses the message; it
  // will resync from its state vector when it reconnects.
  if (connection.readyState !== 1) return;
  connection.send(message, (error) => {
    if (error) connection.terminate();
  });
}

export class RoomManager {
  private readonly rooms = new Map<string, RoomState>();
  readonly health = new StorageHealth();

  constructor(
    private readonly storage: BoardStorage,
    private readonly options: RoomManagerOptions,
  ) {}

  get loadedCount(): number {
    return this.rooms.size;
  }

  get connectionCount(): number {
    let count = 0;
    for (const room of this.rooms.values()) count += room.connections.size;
    return count;
  }

  isLoaded(id: string): boolean {
    return this.rooms.has(id);
  }

  /**
   * The room of a board, loading it from storage first if needed.
   * Null when no such board exists. Throws a StorageError when it cannot be read.
   */
  open(id: string): Room | null {
    const existing = this.rooms.get(id);
    if (existing) {
      this.cancelUnload(existing);
      return existing;
    }
    if (!this.storage.getBoard(id)) return null;
    const data = this.storage.loadBoardData(id);
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => {
      if (data.snapshot) Y.applyUpdate(doc, data.snapshot);
      for (const update of data.updates) Y.applyUpdate(doc, update);
    }, STORAGE_ORIGIN);
    const room: RoomState = {
      id,
      doc,
      awareness: new awarenessProtocol.Awareness(doc),
      connections: new Map(),
      storedEverything: true,
      summaryTimer: null,
      unloadTimer: null,
    };
    // The server has no presence of its own.
    room.awareness.setLocalState(null);
    doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(room, update, origin));
    room.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) =>
      this.onAwarenessUpdate(room, added, updated, removed, origin),
    );
    this.rooms.set(id, room);
    return room;
  }

  private onDocUpdate(room: RoomState, update: Uint8Array, origin: unknown): void {
    if (origin === STORAGE_ORIGIN) return;
    this.store(room, update);
    this.scheduleSummary(room);
    const message = encodeSyncUpdate(update);
    for (const connection of room.connections.keys()) {
      if (connection !== origin) send(connection, message);
    }
  }

  /** Writes one update; after a failed write, the next write stores the whole state instead. */
  private store(room: RoomState, update: Uint8Array): void {
    if (!room.storedEverything) {
      this.storeWholeState(room);
      return;
    }
    try {
      const stored = this.storage.appendUpdate(room.id, update);
      this.health.recordSuccess();
      if (stored >= this.options.compactAfterUpdates) this.compact(room);
    } catch (error) {
      room.storedEverything = false;
      this.health.recordFailure(error);
      this.options.log(`board ${room.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** After a failed write: stores the whole state at once, which covers every change since. */
  private storeWholeState(room: RoomState): void {
    try {
      this.storage.compact(room.id, Y.encodeStateAsUpdate(room.doc));
      room.storedEverything = true;
      this.health.recordSuccess();
      this.options.log(`board ${room.id}: storage recovered, full state stored`);
    } catch (error) {
      this.health.recordFailure(error);
      this.options.log(`board ${room.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Replaces a board's update log by one snapshot. A failure here loses nothing: the log stays. */
  private compact(room: RoomState): void {
    try {
      this.storage.compact(room.id, Y.encodeStateAsUpdate(room.doc));
    } catch (error) {
      this.health.recordFailure(error);
      this.options.log(`board ${room.id}: compaction failed, the update log is kept: ${String(error)}`);
    }
  }

  private onAwarenessUpdate(
    room: RoomState,
    added: number[],
    updated: number[],
    removed: number[],
    origin: unknown,
  ): void {
    const changed = [...added, ...updated, ...removed];
    const controlled = room.connections.get(origin as WebSocket);
    if (controlled) {
      for (const id of added) controlled.add(id);
      for (const id of removed) controlled.delete(id);
    }
    const message = encodeAwareness(room.awareness, changed);
    for (const connection of room.connections.keys()) send(connection, message);
  }

  private scheduleSummary(room: RoomState): void {
    if (room.summaryTimer) return;
    room.summaryTimer = setTimeout(() => this.writeSummary(room), SUMMARY_DELAY_MS);
  }

  /** Refreshes the board list's entry now (after an API rename, so the list shows it at once). */
  writeSummaryNow(room: Room): void {
    const state = this.rooms.get(room.id);
    if (state) this.writeSummary(state);
  }

  private writeSummary(room: RoomState): void {
    if (room.summaryTimer) clearTimeout(room.summaryTimer);
    room.summaryTimer = null;
    try {
      this.storage.updateBoardSummary(room.id, {
        title: readMeta(room.doc).title,
        steps: countSteps(room.doc),
        updatedAt: Date.now(),
      });
    } catch (error) {
      this.health.recordFailure(error);
    }
  }

  addConnection(room: Room, connection: WebSocket): void {
    const state = this.rooms.get(room.id);
    if (!state) throw new Error(`board ${room.id} is not loaded`);
    this.cancelUnload(state);
    state.connections.set(connection, new Set());
  }

  removeConnection(room: Room, connection: WebSocket): void {
    const state = this.rooms.get(room.id);
    if (!state) return;
    const controlled = state.connections.get(connection);
    state.connections.delete(connection);
    if (controlled && controlled.size > 0) {
      awarenessProtocol.removeAwarenessStates(state.awareness, [...controlled], null);
    }
    this.scheduleUnloadIfIdle(state);
  }

  /** Unloads a board nobody is connected to, after a grace period (a page reload should not reload it). */
  scheduleUnloadIfIdle(room: Room): void {
    const state = this.rooms.get(room.id);
    if (!state || state.connections.size > 0 || state.unloadTimer) return;
    state.unloadTimer = setTimeout(() => {
      state.unloadTimer = null;
      if (state.connections.size === 0) this.unload(state);
    }, this.options.unloadDelayMs);
  }

  private cancelUnload(room: RoomState): void {
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    room.unloadTimer = null;
  }

  private unload(room: RoomState): void {
    if (room.summaryTimer) this.writeSummary(room);
    if (!room.storedEverything) {
      // Keep it in memory: it holds changes storage has not taken yet.
      this.storeWholeState(room);
      if (!room.storedEverything) return;
    }
    this.cancelUnload(room);
    room.awareness.destroy();
    room.doc.destroy();
    this.rooms.delete(room.id);
  }

  /** Resolves once every change to the room so far is stored: true, or false when a write failed. */
  whenStored(room: Room): Promise<boolean> {
    return Promise.resolve(room.storedEverything);
  }

  /** Closes every connection of a board with `code` and forgets it, without storing anything more. */
  evict(id: string, code: number, reason: string): void {
    const room = this.rooms.get(id);
    if (!room) return;
    if (room.summaryTimer) clearTimeout(room.summaryTimer);
    this.cancelUnload(room);
    this.rooms.delete(id);
    for (const connection of room.connections.keys()) connection.close(code, reason);
    room.awareness.destroy();
    room.doc.destroy();
  }

  /** On shutdown: close every connection with `code`, write pending summaries, unload. */
  closeAll(code: number, reason: string): void {
    for (const room of [...this.rooms.values()]) {
      for (const connection of room.connections.keys()) connection.close(code, reason);
      room.connections.clear();
      this.unload(room);
    }
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
