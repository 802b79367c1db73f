/**
 * The workshop timer of each board (message 102, src/protocol/timer.ts): room
 * state held here, in memory, not in the document — undo and versions never
 * see it. Everyone who asks gets the timer at once (so a late joiner sees the
 * same countdown) and again on every change. Only a facilitator's command
 * changes it; any other, or one that cannot be read, is answered to its
 * sender alone with the reason, and nobody else hears of it.
 */
import * as decoding from 'lib0/decoding';
import type WebSocket from 'ws';
import {
  applyTimerCommand,
  encodeTimerMessage,
  parseTimerCommand,
  type Role,
  type TimerState,
} from '../../src/protocol';
import { send } from './rooms';

interface BoardTimer {
  timer: TimerState | null;
  /** Connections that asked for the timer ([102]). */
  listeners: Set<WebSocket>;
}

export class RoomTimers {
  private readonly boards = new Map<string, BoardTimer>();

  constructor(private readonly now: () => number = Date.now) {}

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
    const board = this.board(boardId);
    if (!decoding.hasContent(decoder)) {
      board.listeners.add(connection);
      send(connection, encodeTimerMessage({ timer: board.timer, now: this.now() }));
      return;
    }
    const parsed = parseTimerCommand(decoding.readVarString(decoder));
    const result = 'error' in parsed ? parsed : applyTimerCommand(board.timer, parsed, role ?? 'viewer', this.now());
    if ('error' in result) {
      send(connection, encodeTimerMessage({ timer: board.timer, now: this.now(), error: result.error }));
      return;
    }
    board.timer = result.timer;
    const message = encodeTimerMessage({ timer: board.timer, now: this.now() });
    for (const listener of board.listeners) send(listener, message);
    if (!board.listeners.has(connection)) send(connection, message);
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
