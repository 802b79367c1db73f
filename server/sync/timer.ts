/**
 * The workshop timer of each board (message 102, src/protocol/timer.ts): room
 * state held here, in memory, not in the document — undo and versions never
 * see it. Everyone who asks gets the timer at once (so a late joiner sees the
 * same countdown) and again on every change. Only a facilitator's command
 * changes it; any other, or one that cannot be read, is answered to its
 * sender alone with the reason, and nobody else hears of it.
 *
 * With several instances (fanout.ts) the timer is kept in Redis too, with a
 * time to live (never durable, like the in-memory timer of one instance):
 * each change is published to the other instances, which tell their
 * listeners, and a listener arriving on any instance is answered from Redis.
 * Commands of one board are handled in order, each on the latest timer.
 */
import * as decoding from 'lib0/decoding';
import type WebSocket from 'ws';
import {
  applyTimerCommand,
  encodeTimerMessage,
  parseTimerCommand,
  readTimerMessage,
  MESSAGE_TIMER,
  type Role,
  type TimerState,
} from '../../src/protocol';
import { LocalFanout, type Fanout } from './fanout';
import { send } from './rooms';
import { SharedRoomState } from './shared-state';

/** How long the instances keep a timer nobody touches: longer than the longest timer (8 hours). */
const SHARED_TIMER_TTL_MS = 24 * 3600_000;
const SHARE_FAILED = 'The timer could not be changed just now; try again.';

interface BoardTimer {
  timer: TimerState | null;
  /** Connections that asked for the timer ([102]). */
  listeners: Set<WebSocket>;
}

export class RoomTimers {
  private readonly boards = new Map<string, BoardTimer>();
  private readonly shared: SharedRoomState<TimerState>;

  constructor(
    private readonly now: () => number = Date.now,
    fanout: Fanout = new LocalFanout(),
    private readonly log: (message: string) => void = () => {},
  ) {
    this.shared = new SharedRoomState<TimerState>(
      fanout,
      'timer',
      SHARED_TIMER_TTL_MS,
      {
        encode: (timer) => encodeTimerMessage({ timer, now: this.now() }),
        decode: (bytes) => {
          const decoder = decoding.createDecoder(bytes);
          if (decoding.readVarUint(decoder) !== MESSAGE_TIMER) return undefined;
          const message = readTimerMessage(decoder);
          return message ? message.timer : undefined;
        },
      },
      (boardId, timer) => {
        const board = this.boards.get(boardId);
        if (board) this.change(boardId, board, timer);
      },
    );
  }

  /** The board's timer now, or null (for tests and the health page). */
  timerOf(boardId: string): TimerState | null {
    return this.boards.get(boardId)?.timer ?? null;
  }

  /**
   * One [102 …] message from `connection`, whose role is `role` (null: not
   * admitted). Throws only on a truncated message, which the caller treats as
   * malformed like any other.
   */
  handle(boardId: string, connection: WebSocket, decoder: decoding.Decoder, role: Role | null): void {
    const json = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : null;
    const board = this.board(boardId);
    if (!this.shared.shared) {
      const next = this.decide(board, connection, json, role);
      if (next !== undefined) this.change(boardId, board, next, connection);
      return;
    }
    // With other instances: in order, each on the timer as they all share it.
    this.shared.serial(
      boardId,
      async () => {
        board.timer = await this.shared.read(boardId);
        const next = this.decide(board, connection, json, role);
        if (next === undefined) return;
        await this.shared.write(boardId, next);
        this.change(boardId, board, next, connection);
      },
      (error) => {
        this.log(`board ${boardId}: the timer could not be shared: ${String(error)}`);
        send(connection, encodeTimerMessage({ timer: board.timer, now: this.now(), error: SHARE_FAILED }));
      },
    );
  }

  /**
   * Answers a request or a refused command (undefined: nothing changes), or
   * returns the timer a facilitator's command makes.
   */
  private decide(
    board: BoardTimer,
    connection: WebSocket,
    json: string | null,
    role: Role | null,
  ): TimerState | null | undefined {
    if (json === null) {
      board.listeners.add(connection);
      send(connection, encodeTimerMessage({ timer: board.timer, now: this.now() }));
      return undefined;
    }
    const parsed = parseTimerCommand(json);
    const result = 'error' in parsed ? parsed : applyTimerCommand(board.timer, parsed, role ?? 'viewer', this.now());
    if ('error' in result) {
      send(connection, encodeTimerMessage({ timer: board.timer, now: this.now(), error: result.error }));
      return undefined;
    }
    return result.timer;
  }

  /** The board's timer is now `timer`: everyone here who asked hears it (and the one who changed it). */
  private change(boardId: string, board: BoardTimer, timer: TimerState | null, changedBy?: WebSocket): void {
    board.timer = timer;
    const message = encodeTimerMessage({ timer, now: this.now() });
    for (const listener of board.listeners) send(listener, message);
    if (changedBy && !board.listeners.has(changedBy)) send(changedBy, message);
    this.forgetIfIdle(boardId, board);
  }

  leave(boardId: string, connection: WebSocket): void {
    const board = this.boards.get(boardId);
    if (!board) return;
    board.listeners.delete(connection);
    this.forgetIfIdle(boardId, board);
  }

  private board(boardId: string): BoardTimer {
    let board = this.boards.get(boardId);
    if (!board) {
      board = { timer: null, listeners: new Set() };
      this.boards.set(boardId, board);
    }
    return board;
  }

  /** A board with no timer and nobody listening costs nothing. A running timer outlives an empty room. */
  private forgetIfIdle(boardId: string, board: BoardTimer): void {
    if (board.timer === null && board.listeners.size === 0) this.boards.delete(boardId);
  }
}
