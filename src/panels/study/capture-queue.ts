/**
 * The capture page's outbox (issue 14): every entry a collector saves goes
 * into this queue on the phone first (localStorage, so it survives a reload,
 * a dead battery and a turned-off link), and leaves it only once the server
 * has acknowledged it. Entries carry ids made on the phone, so a batch
 * retried after a lost answer is recognised by the server and never stored
 * twice. A refusal of one entry (a type the team removed, a day outside the
 * study) marks that entry with the server's words and lets the others go.
 *
 * The network is passed in (`send`), so the same queue runs in the page and
 * in a unit test with an in-memory Storage.
 */
import { ApiError, MAX_BATCH, UNREACHABLE, type NewStudyEntry } from '../../api';

export interface QueuedEntry {
  entry: NewStudyEntry;
  /** The server refused this entry, in its words; it stays until the collector discards it. */
  refused?: string;
}

export type QueueProblem =
  /** No network: waiting, entries kept. */
  | { kind: 'offline' }
  /** The link was turned off or this phone is no longer a collector: entries kept, nothing sent. */
  | { kind: 'refused'; message: string }
  /** Anything else (a server error): retried later. */
  | { kind: 'failed'; message: string };

export interface QueueState {
  waiting: number;
  refused: QueuedEntry[];
  sending: boolean;
  problem: QueueProblem | null;
}

export type SendEntries = (entries: NewStudyEntry[]) => Promise<unknown>;

export const queueKey = (boardId: string) => `purposeboard.study.queue.${boardId}`;

/** The entry's fields as the collector knows them, for the server's "<field> <why>". */
const FIELD_WORDS: Record<string, string> = {
  verbatim: 'The customer’s words',
  at: 'The date',
  type: 'The type',
  class: 'Value or failure',
  handling: 'The handling',
  contactMethod: 'The contact method',
  point: 'The point of transaction',
  whatMatters: 'What matters',
  valueDemandType: 'The value demand it stems from',
  cause: 'The cause',
  collector: 'Your name',
  entry: 'The entry',
};

/** Reads a refusal body (`{ refused: [{ id?, index?, error|message }] }`) into id → message. */
export function refusedEntries(body: Record<string, unknown>, batch: NewStudyEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  const list = Array.isArray(body.refused) ? body.refused : Array.isArray(body.entries) ? body.entries : [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const record = item as Record<string, unknown>;
    // The server names each refused entry by its id, or its place in the batch (1-based `entry`).
    const id =
      typeof record.id === 'string'
        ? record.id
        : typeof record.entry === 'number'
          ? batch[record.entry - 1]?.id
          : typeof record.index === 'number'
            ? batch[record.index]?.id
            : undefined;
    const text =
      typeof record.error === 'string' ? record.error : typeof record.message === 'string' ? record.message : null;
    const field = typeof record.field === 'string' ? (FIELD_WORDS[record.field] ?? record.field) : null;
    if (id && text) out.set(id, field ? `${field} ${text}` : text);
  }
  return out;
}

export class CaptureQueue {
  private items: QueuedEntry[];
  private inFlight: Promise<void> | null = null;
  private problem: QueueProblem | null = null;
  private readonly listeners = new Set<() => void>();
  private snapshot: QueueState;

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null,
    private readonly key: string,
    private readonly send: SendEntries,
  ) {
    this.items = this.load();
    this.snapshot = this.makeState();
  }

  private load(): QueuedEntry[] {
    try {
      const raw = this.storage?.getItem(this.key);
      const parsed = raw ? (JSON.parse(raw) as unknown) : [];
      return Array.isArray(parsed)
        ? (parsed as QueuedEntry[]).filter((item) => typeof item?.entry?.id === 'string')
        : [];
    } catch {
      return [];
    }
  }

  private persist(): void {
    try {
      this.storage?.setItem(this.key, JSON.stringify(this.items));
    } catch {
      // Storage full or refused: the entries still wait in memory for this visit.
    }
  }

  private makeState(): QueueState {
    return {
      waiting: this.items.filter((item) => !item.refused).length,
      refused: this.items.filter((item) => item.refused),
      sending: this.inFlight !== null,
      problem: this.problem,
    };
  }

  private changed(): void {
    this.persist();
    this.snapshot = this.makeState();
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  state = (): QueueState => this.snapshot;

  has(id: string): boolean {
    return this.items.some((item) => item.entry.id === id);
  }

  add(entry: NewStudyEntry): void {
    if (this.has(entry.id)) return;
    this.items.push({ entry });
    this.changed();
  }

  /** Takes an entry back before it was sent (Undo); false when it already left (or is leaving). */
  async takeBack(id: string): Promise<boolean> {
    if (this.inFlight) await this.inFlight;
    if (!this.has(id)) return false;
    this.items = this.items.filter((item) => item.entry.id !== id);
    this.changed();
    return true;
  }

  discard(id: string): void {
    this.items = this.items.filter((item) => item.entry.id !== id);
    this.changed();
  }

  /** Sends what waits, one batch at a time, until the queue is empty or the network fails. */
  flush(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.sendAll().finally(() => {
      this.inFlight = null;
      this.changed();
    });
    this.changed();
    return this.inFlight;
  }

  private async sendAll(): Promise<void> {
    for (;;) {
      const batch = this.items.filter((item) => !item.refused).slice(0, MAX_BATCH);
      if (batch.length === 0) {
        this.problem = null;
        return;
      }
      const entries = batch.map((item) => item.entry);
      try {
        await this.send(entries);
        const sent = new Set(entries.map((entry) => entry.id));
        this.items = this.items.filter((item) => !sent.has(item.entry.id));
        this.problem = null;
        this.changed();
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError((error as Error).message, -1);
        if (apiError.status === 0) {
          this.problem = { kind: 'offline' };
          return;
        }
        if (apiError.status === 401 || apiError.status === 403 || apiError.status === 404) {
          this.problem = { kind: 'refused', message: apiError.message };
          return;
        }
        const refused =
          apiError.status === 400 || apiError.status === 413 ? refusedEntries(apiError.body, entries) : null;
        if (refused && refused.size > 0) {
          // All or nothing on the server: mark the refused ones and send the rest again.
          for (const item of this.items) {
            const why = refused.get(item.entry.id);
            if (why) item.refused = why;
          }
          this.changed();
          continue;
        }
        if (apiError.status === 400 && entries.length === 1) {
          batch[0].refused = apiError.message;
          this.changed();
          continue;
        }
        this.problem = { kind: 'failed', message: apiError.message || UNREACHABLE };
        return;
      }
    }
  }
}

/** "3 entries waiting to send" / "All entries sent", and why nothing goes when it does not. */
export function describeQueue(state: QueueState): string {
  const { waiting, sending, problem } = state;
  const count = `${waiting} ${waiting === 1 ? 'entry' : 'entries'}`;
  if (waiting === 0) return state.refused.length > 0 ? 'All other entries sent' : 'All entries sent';
  if (problem?.kind === 'refused') return `${count} kept on this phone, not sent`;
  if (sending) return `Sending ${count}…`;
  if (problem?.kind === 'offline') return `${count} waiting to send — they go when the network is back`;
  return `${count} waiting to send`;
}
