/**
 * The save state of one board connection as a pure state machine, so the
 * rules can be tested without a socket:
 *
 *   every local change bumps `changes`; a save request remembers how many
 *   changes it covers; an ok answer for it marks those as stored. "All changes
 *   saved" only when an ok answer covers every change made so far; a failed
 *   answer means nothing since the last ok is safe until a later ok arrives.
 */
export type SaveState =
  { kind: 'saved' } | { kind: 'saving' } | { kind: 'offline' } | { kind: 'failed'; message: string };

export class SaveTracker {
  private changes = 0;
  private storedUpTo = 0;
  private seq = 0;
  private failed = false;
  private readonly covers = new Map<number, number>();

  /** A local change was made (and handed to the provider). */
  localChange(): void {
    this.changes += 1;
  }

  /** True while some local change is not yet known to be stored. */
  get pending(): boolean {
    return this.storedUpTo < this.changes || this.failed;
  }

  /** The seq for the next save request; call only when the request will actually be sent. */
  nextRequest(): number {
    this.seq += 1;
    this.covers.set(this.seq, this.changes);
    return this.seq;
  }

  /** The server's answer to a save request. Unknown seqs (another connection's, replays) are ignored. */
  answer(seq: number, ok: boolean): void {
    const covered = this.covers.get(seq);
    if (covered === undefined) return;
    // Answers come in order on one connection: older requests are settled too.
    for (const key of this.covers.keys()) if (key <= seq) this.covers.delete(key);
    if (ok) {
      this.failed = false;
      this.storedUpTo = Math.max(this.storedUpTo, covered);
    } else {
      this.failed = true;
    }
  }

  /** The connection dropped: requests in flight will never be answered. */
  connectionLost(): void {
    this.covers.clear();
  }

  /** The server will never store what is pending (access ended): it left the device another way. */
  discard(): void {
    this.covers.clear();
    this.failed = false;
    this.storedUpTo = this.changes;
  }

  state(connected: boolean): SaveState {
    if (this.failed) return { kind: 'failed', message: 'the server could not store changes' };
    if (!this.pending) return { kind: 'saved' };
    return connected ? { kind: 'saving' } : { kind: 'offline' };
  }
}

export function describeSaveState(state: SaveState): string {
  switch (state.kind) {
    case 'saved':
      return 'All changes saved';
    case 'saving':
      return 'Saving…';
    case 'offline':
      return 'Not on the server yet — will save when reconnected';
    case 'failed':
      return `Not saved — ${state.message}`;
  }
}
