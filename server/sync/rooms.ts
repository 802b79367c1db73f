/**
 * Rooms: one in-memory Y.Doc (and awareness) per board that has clients.
 *
 * Every change to a room's document — from a client, or from the HTTP API —
 * passes through one handler: send it on to the room's peers at once, and
 * queue it for the next group commit (commit-queue.ts), which writes the
 * updates of all rooms in one transaction. A board is loaded from storage
 * before its first client is answered, and unloaded once its last client has
 * gone and everything it queued is stored.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import { countSteps, readMeta } from '../../src/model';
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../src/protocol';
import type { BoardStorage } from '../storage/storage';
import { CommitQueue } from './commit-queue';
import { checkSendBuffer, sendAllowed, TooManyBoardsError } from './limits';
import type { StorageHealth } from './storage-health';

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
}

interface RoomState extends Room {
  /** Updates in the board's stored log after its snapshot, counting those queued. */
  logLength: number;
  summaryTimer: NodeJS.Timeout | null;
  unloadTimer: NodeJS.Timeout | null;
}

export interface RoomManagerOptions {
  unloadDelayMs: number;
  compactAfterUpdates: number;
  /** Group commit: how long updates are collected, and the batch size written at once. */
  commitWindowMs: number;
  commitMaxBytes: number;
  /** Test only: every commit waits this long first. */
  commitDelayMs?: number;
  /** Boards held in memory at once (loading ones included); opening one more throws TooManyBoardsError. */
  maxBoardsLoaded?: number;
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
  // One being dropped for reading too slowly (limits.ts) gets nothing more queued.
  if (connection.readyState !== 1 || !sendAllowed(connection)) return;
  connection.send(message, (error) => {
    if (error) connection.terminate();
  });
  checkSendBuffer(connection, message.byteLength);
}

export class RoomManager {
  private readonly rooms = new Map<string, RoomState>();
  /** Boards being read from storage: a second client waits for the same load. */
  private readonly loading = new Map<string, Promise<RoomState | null>>();
  readonly queue: CommitQueue;

  constructor(
    private readonly storage: BoardStorage,
    private readonly options: RoomManagerOptions,
  ) {
    this.queue = new CommitQueue(storage, {
      windowMs: options.commitWindowMs,
      maxBytes: options.commitMaxBytes,
      delayMs: options.commitDelayMs,
      log: options.log,
    });
  }

  get health(): StorageHealth {
    return this.queue.health;
  }

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

  /** The room's whole state while it is loaded; null once it is gone (nothing left to write). */
  private stateOf(room: RoomState): () => Uint8Array | null {
    return () => (this.rooms.get(room.id) === room ? Y.encodeStateAsUpdate(room.doc) : null);
  }

  /**
   * The room of a board, loading it from storage first if needed.
   * Null when no such board exists. Rejects with a StorageError when it cannot be read,
   * and with a TooManyBoardsError when MAX_BOARDS_LOADED boards are in memory already.
   */
  async open(id: string): Promise<Room | null> {
    const existing = this.rooms.get(id);
    if (existing) {
      this.cancelUnload(existing);
      return existing;
    }
    let load = this.loading.get(id);
    if (!load) {
      const limit = this.options.maxBoardsLoaded ?? Infinity;
      if (this.rooms.size + this.loading.size >= limit) throw new TooManyBoardsError(limit);
      load = this.load(id).finally(() => this.loading.delete(id));
      this.loading.set(id, load);
    }
    const room = await load;
    if (room) this.cancelUnload(room);
    return room;
  }

  private async load(id: string): Promise<RoomState | null> {
    if (!(await this.storage.getBoard(id))) return null;
    const data = await this.storage.loadBoardData(id);
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
      logLength: data.updates.length,
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
    this.queue.track(id, this.stateOf(room));
    return room;
  }

  private onDocUpdate(room: RoomState, update: Uint8Array, origin: unknown): void {
    if (origin === STORAGE_ORIGIN) return;
    // Peers first: forwarding never waits for the disk. "Saved" waits for the commit.
    const message = encodeSyncUpdate(update);
    for (const connection of room.connections.keys()) {
      if (connection !== origin) send(connection, message);
    }
    room.logLength += 1;
    if (room.logLength >= this.options.compactAfterUpdates) {
      // Compaction joins the same commit: the snapshot, read when the batch is cut, replaces the log.
      // A failed compaction loses nothing: the log stays as it was (one transaction).
      this.queue.snapshot(room.id, this.stateOf(room));
      room.logLength = 0;
    } else this.queue.add(room.id, update);
    this.scheduleSummary(room);
  }

  /** Resolves once every change queued so far (this room's included) is stored: true, or false when a write failed. */
  whenStored(_room: Room): Promise<boolean> {
    return this.queue.stored();
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
    room.summaryTimer = setTimeout(() => void this.writeSummary(room), SUMMARY_DELAY_MS);
  }

  /** Refreshes the board list's entry now (after an API rename, so the list shows it at once). */
  async writeSummaryNow(room: Room): Promise<void> {
    const state = this.rooms.get(room.id);
    if (state) await this.writeSummary(state);
  }

  /** The board list's title, step count and time: not part of "saved", so a failure is only reported. */
  private async writeSummary(room: RoomState): Promise<void> {
    if (room.summaryTimer) clearTimeout(room.summaryTimer);
    room.summaryTimer = null;
    try {
      await this.storage.updateBoardSummary(room.id, {
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
      if (state.connections.size === 0) void this.unload(state);
    }, this.options.unloadDelayMs);
  }

  private cancelUnload(room: RoomState): void {
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    room.unloadTimer = null;
  }

  /**
   * Forgets a board once everything it queued is stored. After a failed
   * commit it stays in memory (its whole state is written on the retry) and
   * tries again later.
   */
  private async unload(room: RoomState): Promise<void> {
    if (room.summaryTimer) await this.writeSummary(room);
    const stored = await this.queue.stored();
    if (this.rooms.get(room.id) !== room || room.connections.size > 0 || room.unloadTimer) return; // back in use
    if (!stored) {
      this.scheduleUnloadIfIdle(room);
      return;
    }
    this.forget(room);
  }

  private forget(room: RoomState): void {
    if (room.summaryTimer) clearTimeout(room.summaryTimer);
    this.cancelUnload(room);
    this.rooms.delete(room.id);
    this.queue.untrack(room.id);
    room.awareness.destroy();
    room.doc.destroy();
  }

  /** Closes every connection of a board with `code` and forgets it, without storing anything more. */
  evict(id: string, code: number, reason: string): void {
    const room = this.rooms.get(id);
    if (!room) return;
    this.forget(room);
    for (const connection of room.connections.keys()) connection.close(code, reason);
  }

  /** On shutdown: close every connection with `code`, write pending summaries, drain the queue, unload. */
  async closeAll(code: number, reason: string): Promise<boolean> {
    const rooms = [...this.rooms.values()];
    for (const room of rooms) {
      for (const connection of room.connections.keys()) connection.close(code, reason);
      room.connections.clear();
      this.cancelUnload(room);
      if (room.summaryTimer) await this.writeSummary(room);
    }
    const stored = await this.queue.drain();
    if (!stored) this.options.log('shutdown: some changes could not be stored (see the log above)');
    for (const room of rooms) if (this.rooms.get(room.id) === room) this.forget(room);
    return stored;
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
