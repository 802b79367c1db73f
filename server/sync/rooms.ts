/**
 * Rooms: one in-memory Y.Doc (and awareness) per board that has clients.
 *
 * Every change to a room's document — from a client, or from the HTTP API —
 * passes through one handler: send it on to the room's peers at once, and
 * queue it for the next group commit (commit-queue.ts), which writes the
 * updates of all rooms in one transaction. A board is loaded from storage
 * before its first client is answered, and unloaded once its last client has
 * gone and everything it queued is stored.
 *
 * With several instances (REDIS_URL, fanout.ts) a board may be open on more
 * than one of them. Each change made here is also published to the others,
 * and each change heard from another instance is applied, sent on to this
 * instance's clients AND committed here too: every instance commits what it
 * applies, so a client whose change reached it only through Redis is told
 * "saved" truthfully even if the instance that first had it dies before its
 * commit. A missed message is healed by `heal`: the room and storage
 * exchange what the other lacks, for every open board, every
 * REDIS_HEAL_INTERVAL_MS, on every reconnect to Redis, and before a client
 * joins a room that may have missed something.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import { countSteps, readMeta } from '../../src/model';
import { CLOSE_BOARD_DELETED, MESSAGE_AWARENESS, MESSAGE_SYNC } from '../../src/protocol';
import type { BoardStorage } from '../storage/storage';
import { CommitQueue } from './commit-queue';
import { checkSendBuffer, sendAllowed, TooManyBoardsError } from './limits';
import { LocalFanout, type Fanout } from './fanout';
import type { StorageHealth } from './storage-health';

/** Updates read back from storage carry this origin and are not stored again. */
const STORAGE_ORIGIN = Symbol('storage');
/** Changes the server makes itself (a rename through the HTTP API). */
export const SERVER_ORIGIN = Symbol('server');
/** Changes heard from another instance: sent to this instance's clients and stored, never published again. */
const REMOTE_ORIGIN = Symbol('remote');
/** What a heal read from storage that this room lacked: sent to this instance's clients only (it is stored). */
const HEAL_ORIGIN = Symbol('heal');

/** Fan-out topics of the rooms. */
const TOPIC_DOC = 'doc';
const TOPIC_AWARENESS = 'awareness';
/** "Who is here?": a room just opened on another instance asks for the presence this one controls. */
const TOPIC_AWARENESS_QUERY = 'awareness?';
const TOPIC_DELETED = 'deleted';

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
  /** The fan-out epoch of the last load or heal: under another epoch, messages may have been missed. */
  healedEpoch: number;
  /** A heal under way: a second caller waits for the same one. */
  healing: Promise<void> | null;
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
  /** Other instances (REDIS_URL); a LocalFanout when this is the only one. */
  fanout?: Fanout;
  /** With other instances: how often every open board is healed from storage. */
  healIntervalMs?: number;
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
  readonly fanout: Fanout;
  /** Heals done and what they found: updates storage had that a room lacked, and the other way. */
  readonly healStats = { heals: 0, fromStorage: 0, toStorage: 0, failures: 0 };
  private readonly shared: boolean;
  private healTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly storage: BoardStorage,
    private readonly options: RoomManagerOptions,
  ) {
    this.fanout = options.fanout ?? new LocalFanout();
    this.shared = this.fanout.status.mode !== 'local';
    this.queue = new CommitQueue(storage, {
      windowMs: options.commitWindowMs,
      maxBytes: options.commitMaxBytes,
      delayMs: options.commitDelayMs,
      // Another instance may have stored updates this one has not heard of: a snapshot must keep them.
      mergeStored: this.shared,
      log: options.log,
    });
    this.listenToOtherInstances();
  }

  private listenToOtherInstances(): void {
    const { fanout } = this;
    const inRoom = (handler: (room: RoomState, payload: Uint8Array) => void) => (id: string, payload: Uint8Array) => {
      const room = this.rooms.get(id);
      if (room) handler(room, payload);
    };
    this.unsubscribe.push(
      fanout.on(
        TOPIC_DOC,
        inRoom((room, update) => {
          // Parsed whole first, as a client's update is: a garbled one never touches the document.
          Y.decodeUpdate(update);
          Y.applyUpdate(room.doc, update, REMOTE_ORIGIN);
        }),
      ),
      fanout.on(
        TOPIC_AWARENESS,
        inRoom((room, update) => awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE_ORIGIN)),
      ),
      fanout.on(
        TOPIC_AWARENESS_QUERY,
        inRoom((room) => {
          const mine = this.controlledHere(room);
          if (mine.length > 0)
            fanout.publish(room.id, TOPIC_AWARENESS, awarenessProtocol.encodeAwarenessUpdate(room.awareness, mine));
        }),
      ),
      fanout.on(
        TOPIC_DELETED,
        inRoom((room) => this.evict(room.id, CLOSE_BOARD_DELETED, 'board deleted')),
      ),
      fanout.onReconnect(() => void this.healAll()),
    );
    if (this.shared && this.options.healIntervalMs) {
      this.healTimer = setInterval(() => void this.healAll(), this.options.healIntervalMs);
      this.healTimer.unref();
    }
  }

  /** The awareness client ids this instance's connections control in the room. */
  private controlledHere(room: RoomState): number[] {
    const ids: number[] = [];
    for (const controlled of room.connections.values()) ids.push(...controlled);
    return ids.filter((id) => room.awareness.getStates().has(id));
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
      // A room that may have missed a message (Redis away since) first catches up with storage:
      // a client's first sync holds everything saved anywhere.
      if (this.shared && (!this.fanout.status.connected || existing.healedEpoch !== this.fanout.epoch)) {
        await this.heal(existing);
      }
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
    // Listen before reading: whatever another instance publishes from now on reaches this room.
    const epoch = this.fanout.epoch;
    await this.fanout.join(id);
    let data;
    try {
      data = await this.storage.loadBoardData(id);
    } catch (error) {
      this.fanout.leave(id);
      throw error;
    }
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
      healedEpoch: epoch,
      healing: null,
    };
    // The server has no presence of its own.
    room.awareness.setLocalState(null);
    doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(room, update, origin));
    room.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) =>
      this.onAwarenessUpdate(room, added, updated, removed, origin),
    );
    this.rooms.set(id, room);
    this.queue.track(id, this.stateOf(room));
    // Who is on this board elsewhere: their instances answer with the presence they control.
    this.fanout.publish(id, TOPIC_AWARENESS_QUERY, new Uint8Array(0));
    return room;
  }

  private onDocUpdate(room: RoomState, update: Uint8Array, origin: unknown): void {
    if (origin === STORAGE_ORIGIN) return;
    // Peers first: forwarding never waits for the disk. "Saved" waits for the commit.
    const message = encodeSyncUpdate(update);
    for (const connection of room.connections.keys()) {
      if (connection !== origin) send(connection, message);
    }
    if (origin !== REMOTE_ORIGIN && origin !== HEAL_ORIGIN) this.fanout.publish(room.id, TOPIC_DOC, update);
    if (origin === HEAL_ORIGIN) return; // read from storage: already stored
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
    // Presence of this instance's clients (and their leaving) reaches the other instances' clients.
    if (origin !== REMOTE_ORIGIN) {
      this.fanout.publish(room.id, TOPIC_AWARENESS, awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed));
    }
  }

  /** Heals every open board, one after the other (a storage read each). */
  async healAll(): Promise<void> {
    for (const room of [...this.rooms.values()]) {
      if (this.rooms.get(room.id) === room) await this.heal(room);
    }
  }

  /**
   * Brings a room and storage in line (a missed Redis message): what storage
   * holds that the room lacks is applied (and sent to this instance's
   * clients), and what the room holds that storage lacks is committed. A
   * failure is counted and retried at the next heal.
   */
  heal(room: Room): Promise<void> {
    const state = this.rooms.get(room.id);
    if (!state) return Promise.resolve();
    state.healing ??= this.healNow(state).finally(() => (state.healing = null));
    return state.healing;
  }

  private async healNow(room: RoomState): Promise<void> {
    const epoch = this.fanout.epoch;
    try {
      // What this instance queued is written first, so only what is truly missing counts.
      await this.queue.stored();
      const data = await this.storage.loadBoardData(room.id);
      if (this.rooms.get(room.id) !== room) return;
      const parts = data.snapshot ? [data.snapshot, ...data.updates] : data.updates;
      this.healStats.heals += 1;
      if (parts.length === 0) return;
      const stored = parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
      const before = Y.encodeStateVector(room.doc);
      const missing = Y.diffUpdate(stored, before);
      let changed = false;
      const count = () => (changed = true);
      room.doc.once('update', count);
      Y.applyUpdate(room.doc, missing, HEAL_ORIGIN);
      room.doc.off('update', count);
      if (changed) this.healStats.fromStorage += 1;
      // The other way: what this room has that storage lacks (a commit lost with an instance, say).
      const storedVector = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(stored));
      const ours = Y.decodeStateVector(Y.encodeStateVector(room.doc));
      const ahead = [...ours].some(([client, clock]) => (storedVector.get(client) ?? 0) < clock);
      if (ahead) {
        this.healStats.toStorage += 1;
        this.queue.add(room.id, Y.encodeStateAsUpdate(room.doc, Y.encodeStateVectorFromUpdate(stored)));
      }
      room.healedEpoch = epoch;
    } catch (error) {
      this.healStats.failures += 1;
      this.options.log(`board ${room.id}: could not heal from storage: ${String(error)}`);
    }
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
    this.fanout.leave(room.id);
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

  /** A board was deleted: its connections here and on every other instance are closed with 4410. */
  boardDeleted(id: string): void {
    this.fanout.publish(id, TOPIC_DELETED, new Uint8Array(0));
    this.evict(id, CLOSE_BOARD_DELETED, 'board deleted');
  }

  /** On shutdown: close every connection with `code`, write pending summaries, drain the queue, unload. */
  async closeAll(code: number, reason: string): Promise<boolean> {
    if (this.healTimer) clearInterval(this.healTimer);
    for (const unsubscribe of this.unsubscribe.splice(0)) unsubscribe();
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
