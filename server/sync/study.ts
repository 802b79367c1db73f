/**
 * The demand study of each board (issue 14): its settings and entries, kept
 * as stored rows (BoardStorage), and its counts pushed to the board's
 * websocket as message 106 (src/protocol/study.ts) — so demand cards follow
 * the phones live without one entry ever entering the Yjs document.
 *
 * Every write goes through here: it is stored first (one transaction,
 * durable when the promise resolves), then applied to this board's entries
 * held in memory, from which summaries are computed in one pass. Writes of
 * one board are queued one after another, so the memory copy and the rows
 * never disagree. Listeners get at most one message per
 * STUDY_COUNTS_DEBOUNCE_MS: fifty phones sending at once make one message.
 */
import type WebSocket from 'ws';
import {
  countsInWindow,
  localDay,
  summarizeStudy,
  studyWindow,
  type StudyEntry,
  type StudySettings,
  type StudySummary,
} from '../../src/model';
import {
  STUDY_COUNTS_DEBOUNCE_MS,
  encodeStudyCounts,
  type StudyCounts,
  type StudyCountsMessage,
} from '../../src/protocol';
import type { BoardStorage } from '../storage/storage';
import { send } from './rooms';

/** A request's entries waiting for the board's next group commit. */
interface PendingAdd {
  /** Checks the request against the settings as they are when its group is written; throws to refuse it alone. */
  make: (settings: StudySettings | null) => StudyEntry[];
  resolve: (result: { added: string[]; existing: string[] }) => void;
  reject: (error: unknown) => void;
}

interface BoardStudy {
  settings: StudySettings | null;
  entries: Map<string, StudyEntry>;
  listeners: Set<WebSocket>;
  timer: ReturnType<typeof setTimeout> | null;
}

/** Boards whose entries stay in memory with no one listening; the least recently used goes first. */
const CACHED_BOARDS = 16;

export class RoomStudies {
  private readonly boards = new Map<string, Promise<BoardStudy>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly pendingAdds = new Map<string, PendingAdd[]>();

  constructor(
    private readonly storage: BoardStorage,
    private readonly log: (message: string) => void,
    private readonly today: () => string = () => localDay(),
  ) {}

  /** The board's study, loaded once and kept (a failed load is not kept: the next call tries again). */
  private load(boardId: string): Promise<BoardStudy> {
    let board = this.boards.get(boardId);
    if (board) {
      // Most recently used last.
      this.boards.delete(boardId);
      this.boards.set(boardId, board);
      return board;
    }
    board = (async () => {
      const [settings, entries] = await Promise.all([
        this.storage.getStudy(boardId),
        this.storage.listStudyEntries(boardId),
      ]);
      return {
        settings,
        entries: new Map(entries.map((e) => [e.id, e])),
        listeners: new Set<WebSocket>(),
        timer: null,
      };
    })();
    this.boards.set(boardId, board);
    board.catch(() => {
      if (this.boards.get(boardId) === board) this.boards.delete(boardId);
    });
    void this.trim();
    return board;
  }

  private async trim(): Promise<void> {
    if (this.boards.size <= CACHED_BOARDS) return;
    for (const [boardId, pending] of [...this.boards]) {
      if (this.boards.size <= CACHED_BOARDS) return;
      const board = await pending.catch(() => null);
      if (board && board.listeners.size === 0 && !this.queues.has(boardId)) this.boards.delete(boardId);
    }
  }

  /** Runs one write of a board after the ones before it. */
  private queued<T>(boardId: string, run: () => Promise<T>): Promise<T> {
    const before = this.queues.get(boardId) ?? Promise.resolve();
    const next = before.then(run, run);
    const settled = next.catch(() => undefined);
    this.queues.set(boardId, settled);
    void settled.then(() => {
      if (this.queues.get(boardId) === settled) this.queues.delete(boardId);
    });
    return next;
  }

  async settings(boardId: string): Promise<StudySettings | null> {
    return (await this.load(boardId)).settings;
  }

  /** Every entry, in no particular order (a copy the caller may sort). */
  async entries(boardId: string): Promise<StudyEntry[]> {
    return [...(await this.load(boardId)).entries.values()];
  }

  async entry(boardId: string, id: string): Promise<StudyEntry | null> {
    return (await this.load(boardId)).entries.get(id) ?? null;
  }

  /** Runs `check` and `write` with no other write of the board between them (a check of the latest entry, say). */
  exclusive<T>(
    boardId: string,
    run: (board: { settings: StudySettings | null; entries: ReadonlyMap<string, StudyEntry> }) => Promise<T>,
  ): Promise<T> {
    return this.queued(boardId, async () => run(await this.load(boardId)));
  }

  async summary(boardId: string, from?: string, to?: string): Promise<StudySummary | null> {
    const board = await this.load(boardId);
    if (!board.settings) return null;
    return summarizeStudy(board.settings, [...board.entries.values()], { from, to, today: this.today() });
  }

  // ---------------------------------------------------------------- writes (call inside `exclusive`, or alone)

  async putSettings(boardId: string, settings: StudySettings): Promise<void> {
    const board = await this.load(boardId);
    await this.storage.putStudy(boardId, settings, Date.now());
    board.settings = settings;
    this.changed(boardId, board);
  }

  async add(boardId: string, entries: StudyEntry[]): Promise<{ added: string[]; existing: string[] }> {
    const board = await this.load(boardId);
    const result = await this.storage.addStudyEntries(boardId, entries);
    const added = new Set(result.added);
    for (const entry of entries) if (added.has(entry.id)) board.entries.set(entry.id, entry);
    if (result.added.length > 0) this.changed(boardId, board);
    return result;
  }

  /**
   * Adds a request's entries in the board's next group commit: every request
   * that arrives while the board's writes are busy goes into ONE transaction
   * (one fsync for fifty phones, not fifty), each answered with its own
   * added/existing split once that transaction is durable. `make` checks the
   * request against the settings at that moment; its throw refuses that
   * request only. Call outside `exclusive`: it queues itself.
   */
  addGrouped(
    boardId: string,
    make: (settings: StudySettings | null) => StudyEntry[],
  ): Promise<{ added: string[]; existing: string[] }> {
    return new Promise((resolve, reject) => {
      let pending = this.pendingAdds.get(boardId);
      if (!pending) {
        pending = [];
        this.pendingAdds.set(boardId, pending);
        // After this turn's I/O: every request whose body arrived meanwhile joins the group.
        setImmediate(() => void this.queued(boardId, () => this.flushAdds(boardId)).catch(() => undefined));
      }
      pending.push({ make, resolve, reject });
    });
  }

  private async flushAdds(boardId: string): Promise<void> {
    const pending = this.pendingAdds.get(boardId) ?? [];
    this.pendingAdds.delete(boardId);
    let board: BoardStudy;
    try {
      board = await this.load(boardId);
    } catch (error) {
      for (const p of pending) p.reject(error);
      return;
    }
    const accepted: Array<{ request: PendingAdd; entries: StudyEntry[] }> = [];
    for (const request of pending) {
      try {
        accepted.push({ request, entries: request.make(board.settings) });
      } catch (error) {
        request.reject(error);
      }
    }
    if (accepted.length === 0) return;
    let result: { added: string[]; existing: string[] };
    try {
      result = await this.add(
        boardId,
        accepted.flatMap((a) => a.entries),
      );
    } catch (error) {
      for (const a of accepted) a.request.reject(error);
      return;
    }
    // The same id in two requests of one group: the first added it, the second is a retry.
    const added = new Set(result.added);
    for (const { request, entries } of accepted) {
      const mine = { added: [] as string[], existing: [] as string[] };
      for (const entry of entries) {
        if (added.delete(entry.id)) mine.added.push(entry.id);
        else mine.existing.push(entry.id);
      }
      request.resolve(mine);
    }
  }

  async update(boardId: string, entries: StudyEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const board = await this.load(boardId);
    await this.storage.updateStudyEntries(boardId, entries);
    for (const entry of entries) if (board.entries.has(entry.id)) board.entries.set(entry.id, entry);
    this.changed(boardId, board);
  }

  async remove(boardId: string, ids: string[]): Promise<void> {
    const board = await this.load(boardId);
    await this.storage.deleteStudyEntries(boardId, ids);
    for (const id of ids) board.entries.delete(id);
    this.changed(boardId, board);
  }

  /** The board was deleted: its listeners are gone with its room, and nothing is kept. */
  forget(boardId: string): void {
    void this.boards.get(boardId)?.then(
      (board) => board.timer && clearTimeout(board.timer),
      () => undefined,
    );
    this.boards.delete(boardId);
  }

  // ---------------------------------------------------------------- message 106

  /** [106] from a connection on the board (a viewer or more: collectors never get a socket). */
  subscribe(boardId: string, connection: WebSocket): void {
    this.load(boardId).then(
      (board) => {
        if (connection.readyState !== connection.OPEN) return;
        board.listeners.add(connection);
        send(connection, encodeStudyCounts(this.countsOf(board)));
      },
      (error: unknown) => this.log(`board ${boardId}: could not read the demand study: ${String(error)}`),
    );
  }

  leave(boardId: string, connection: WebSocket): void {
    void this.boards.get(boardId)?.then(
      (board) => board.listeners.delete(connection),
      () => undefined,
    );
  }

  /** What message 106 says of the board now. */
  async counts(boardId: string): Promise<StudyCountsMessage> {
    return this.countsOf(await this.load(boardId));
  }

  private countsOf(board: BoardStudy): StudyCountsMessage {
    const settings = board.settings;
    if (!settings) return { study: null };
    const today = this.today();
    const summary = summarizeStudy(settings, [...board.entries.values()], { today });
    const window = studyWindow(settings);
    const counts = countsInWindow(settings, summary.days, window, today);
    const study: StudyCounts = {
      start: settings.start,
      end: settings.end,
      today,
      types: settings.demandTypes.map(({ id, name, class: cls }) => ({ id, name, class: cls })),
      window: counts.window,
      byType: counts.byType,
      total: counts.total,
      failureDemandPct: counts.failureDemandPct,
      perfectPct: counts.perfectPct,
      predictable: counts.predictable.map(({ type, predictable, reason }) => ({ type, predictable, reason })),
      days: summary.days,
    };
    return { study };
  }

  private changed(boardId: string, board: BoardStudy): void {
    if (board.timer || board.listeners.size === 0) return;
    board.timer = setTimeout(() => {
      board.timer = null;
      if (board.listeners.size === 0) return;
      try {
        const message = encodeStudyCounts(this.countsOf(board));
        for (const connection of board.listeners) send(connection, message);
      } catch (error) {
        this.log(`board ${boardId}: could not send the study counts: ${String(error)}`);
      }
    }, STUDY_COUNTS_DEBOUNCE_MS);
  }
}
