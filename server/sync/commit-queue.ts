/**
 * Group commit: the updates of ALL rooms collected for a few milliseconds (or
 * up to a size limit) are written in one storage transaction. Forwarding to
 * peers never waits for this; "saved" answers wait for `stored()`.
 *
 * Compaction and the whole state after a failed write go through the same
 * queue: a board marked for a snapshot has its state read when the batch is
 * cut, so the snapshot covers every update of it queued so far, and those
 * updates leave the batch. Batches are written one at a time, in order.
 */
import type { BoardStorage, CommitBatch } from '../storage/storage';
import { RecentDurations } from './limits';
import { StorageHealth } from './storage-health';

export interface CommitQueueOptions {
  /** How long updates are collected before they are written. */
  windowMs: number;
  /** A batch this big is written at once. */
  maxBytes: number;
  /** Test only: each commit waits this long first (a slow disk or a remote database). */
  delayMs?: number;
  /**
   * Several instances share the storage: a snapshot then folds in whatever the
   * board's stored log holds (another instance's updates this one has not
   * heard of yet) instead of replacing it.
   */
  mergeStored?: boolean;
  log: (message: string) => void;
}

interface Batch {
  updates: Array<{ boardId: string; update: Uint8Array }>;
  snapshots: Map<string, () => Uint8Array | null>;
  bytes: number;
  /** Resolves with true once this batch is stored, false when its commit failed. */
  done: Promise<boolean>;
  settle: (ok: boolean) => void;
}

function newBatch(): Batch {
  let settle!: (ok: boolean) => void;
  const done = new Promise<boolean>((resolve) => (settle = resolve));
  return { updates: [], snapshots: new Map(), bytes: 0, done, settle };
}

export class CommitQueue {
  readonly health = new StorageHealth();
  /** Transactions written, updates in them, and the last commit's time (for /healthz and the tests). */
  readonly stats = { commits: 0, updatesCommitted: 0, lastCommitMs: 0, maxCommitMs: 0 };
  /** The last 1,000 commits' durations (p50 / p99 in /healthz). */
  readonly latency = new RecentDurations(1000);
  private collecting = newBatch();
  private writing: Promise<boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Where to read a board's whole state when it must be written again after a failure. */
  private readonly stateOf = new Map<string, () => Uint8Array | null>();

  constructor(
    private readonly storage: BoardStorage,
    private readonly options: CommitQueueOptions,
  ) {}

  /** Updates and snapshots waiting for a commit (queued or being written). */
  get depth(): number {
    return this.collecting.updates.length + this.collecting.snapshots.size;
  }

  /** The board's live state, read when a failed batch must be written again. Null: nothing to write. */
  track(boardId: string, state: () => Uint8Array | null): void {
    this.stateOf.set(boardId, state);
  }

  untrack(boardId: string): void {
    this.stateOf.delete(boardId);
  }

  add(boardId: string, update: Uint8Array): void {
    const batch = this.collecting;
    if (batch.snapshots.has(boardId)) return; // the snapshot, read later, holds it
    batch.updates.push({ boardId, update });
    batch.bytes += update.byteLength;
    this.schedule();
  }

  /** Replaces the board's stored log by its state as it is when the batch is cut. */
  snapshot(boardId: string, state: () => Uint8Array | null): void {
    this.collecting.snapshots.set(boardId, state);
    this.schedule();
  }

  /** Resolves once everything queued so far is stored (true) or its commit failed (false). */
  stored(): Promise<boolean> {
    if (this.depth > 0) return this.collecting.done;
    return this.writing ?? Promise.resolve(true);
  }

  /** Writes what is queued now and resolves once everything is stored (shutdown, unload). */
  async drain(): Promise<boolean> {
    let ok = true;
    while (this.depth > 0 || this.writing) {
      if (this.depth > 0) this.cut();
      ok = (await this.writing) ?? ok;
      if (!ok) return false;
    }
    return ok;
  }

  private schedule(): void {
    if (this.collecting.bytes >= this.options.maxBytes) {
      if (!this.writing) this.cut();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      if (!this.writing) this.cut();
    }, this.options.windowMs);
  }

  /** Cuts the collecting batch and writes it (after the one being written, if any). */
  private cut(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.collecting;
    this.collecting = newBatch();
    const previous = this.writing ?? Promise.resolve(true);
    const written = previous.then(() => this.write(batch));
    this.writing = written;
    void written.then((ok) => {
      if (this.writing === written) this.writing = null;
      // Whatever arrived while this batch was written goes next (after a failure: on the retry timer).
      if (ok && this.depth > 0 && !this.writing) this.cut();
    });
  }

  private async write(batch: Batch): Promise<boolean> {
    const snapshots: CommitBatch['snapshots'] = [];
    for (const [boardId, state] of batch.snapshots) {
      const value = state();
      if (value) snapshots.push({ boardId, state: value, ...(this.options.mergeStored ? { mergeStored: true } : {}) });
    }
    const updates = batch.updates.filter((u) => !batch.snapshots.has(u.boardId));
    const started = performance.now();
    try {
      if (this.options.delayMs) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
      await this.storage.commit({ updates, snapshots });
      const took = Math.round((performance.now() - started) * 10) / 10;
      this.latency.add(took);
      this.stats.commits += 1;
      this.stats.updatesCommitted += updates.length;
      this.stats.lastCommitMs = took;
      this.stats.maxCommitMs = Math.max(this.stats.maxCommitMs, took);
      this.health.recordSuccess();
      batch.settle(true);
      return true;
    } catch (error) {
      this.health.recordFailure(error);
      this.options.log(
        `could not store ${updates.length} change(s): ${error instanceof Error ? error.message : String(error)}`,
      );
      // Nothing of this batch is stored (one transaction). Each board in it is
      // written again whole: its state covers every change since.
      const boards = new Set([...updates.map((u) => u.boardId), ...batch.snapshots.keys()]);
      for (const boardId of boards) {
        const state = this.stateOf.get(boardId) ?? batch.snapshots.get(boardId);
        if (state) this.collecting.snapshots.set(boardId, state);
      }
      batch.settle(false);
      // Try again after a pause, not in a tight loop against a broken disk.
      if (this.depth > 0) {
        this.timer ??= setTimeout(() => {
          this.timer = null;
          if (!this.writing) this.cut();
        }, RETRY_AFTER_MS);
      }
      return false;
    }
  }
}

const RETRY_AFTER_MS = 1000;
