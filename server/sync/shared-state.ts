/**
 * Room state that lives in memory, not in storage (the timer 102, presenter
 * mode 103), made one state across instances (fanout.ts): kept in Redis with
 * a time to live — never durable, as in one process — re-read before each
 * request or command, written and published after each change. Another
 * instance hearing the change tells its own listeners.
 *
 * Alone (no other instances) nothing of this runs: the modules keep their
 * state in their own map, synchronously, as before.
 */
import type { Fanout } from './fanout';

export interface SharedStateCodec<T> {
  /** The state as bytes (the module's own server → client message serves well). */
  encode(state: T | null): Uint8Array;
  /** The state from bytes; undefined when they are not one (junk is ignored). */
  decode(bytes: Uint8Array): T | null | undefined;
}

export class SharedRoomState<T> {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly fanout: Fanout,
    private readonly topic: string,
    private readonly ttlMs: number,
    private readonly codec: SharedStateCodec<T>,
    /** A change made on another instance. */
    onRemote: (boardId: string, state: T | null) => void,
  ) {
    fanout.on(topic, (boardId, payload) => {
      const state = codec.decode(payload);
      if (state !== undefined) onRemote(boardId, state);
    });
  }

  /** Whether other instances may hold the same boards (else the module keeps its state alone). */
  get shared(): boolean {
    return this.fanout.shared;
  }

  /** The board's state as the instances share it (null: none, or it expired). */
  async read(boardId: string): Promise<T | null> {
    const kept = await this.fanout.recall(boardId, this.topic);
    return kept ? (this.codec.decode(kept) ?? null) : null;
  }

  /** Keeps the new state for every instance and tells the others. */
  async write(boardId: string, state: T | null): Promise<void> {
    const bytes = this.codec.encode(state);
    await this.fanout.remember(boardId, this.topic, state === null ? null : bytes, this.ttlMs);
    this.fanout.publish(boardId, this.topic, bytes);
  }

  /** Runs the board's requests and commands one at a time, in order; a failure goes to `failed`, the queue goes on. */
  serial(boardId: string, work: () => Promise<void>, failed: (error: unknown) => void): void {
    const next = (this.queues.get(boardId) ?? Promise.resolve()).then(work).catch(failed);
    this.queues.set(boardId, next);
    void next.then(() => {
      if (this.queues.get(boardId) === next) this.queues.delete(boardId);
    });
  }
}
