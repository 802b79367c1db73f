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
  MESSAGE_TIMER as MESSAGE_TIMER_TYPE,
  type Role,
  type TimerState,
} from '../../src/protocol';
import { LocalFanout, type Fanout } from './fanout';
import { send } from './rooms';

const TOPIC_TIMER = 'timer';
/** How long another instance keeps a timer nobody touches: longer than the longest timer (8 hours). */
const SHARED_TIMER_TTL_MS = 24 * 3600_000;

interface BoardTimer {
  timer: TimerState | null;
  /** Connections that asked for the timer ([102]). */
  listeners: Set<WebSocket>;
  /** With other instances: the end of this board's queue of requests and commands. */
  queue: Promise<void>;
}

export class RoomTimers {
  private readonly boards = new Map<string, BoardTimer>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly fanout: Fanout = new LocalFanout(),
    private readonly log: (message: string) => void = () => {},
  ) {
    fanout.on(TOPIC_TIMER, (boardId, payload) => {
      const board = this.boards.get(boardId);
      const decoder = decoding.createDecoder(payload);
      if (!board || decoding.readVarUint(decoder) !== MESSAGE_TIMER_TYPE) return;
      const message = readTimerMessage(decoder);
      if (!message) return;
      board.timer = message.timer;
      this.tell(board);
    });
  }

  /** Everyone here who asked hears the board's timer. */
  private tell(board: BoardTimer): void {
    const message = encodeTimerMessage({ timer: board.timer, now: this.now() });
    for (const listener of board.listeners) send(listener, message);
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
    const board = this.board(boardId);
    if (this.fanout.shared) {
      // Read now (a truncated message throws to the caller), handled in order on the shared timer.
      const json = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : null;
      board.queue = board.queue
        .then(() => this.handleShared(boardId, board, connection, json, role))
        .catch((error: unknown) => {
          this.log(`board ${boardId}: the timer could not be shared: ${String(error)}`);
          send(
            connection,
            encodeTimerMessage({
              timer: board.timer,
              now: this.now(),
              error: 'The timer could not be changed just now; try again.',
            }),
          );
        });
      return;
    }
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

  /** One request or command with other instances: the timer is read from, and written to, Redis. */
  private async handleShared(
    boardId: string,
    board: BoardTimer,
    connection: WebSocket,
    json: string | null,
    role: Role | null,
  ): Promise<void> {
    const kept = await this.fanout.recall(boardId, TOPIC_TIMER);
    if (kept) {
      const decoder = decoding.createDecoder(kept);
      decoding.readVarUint(decoder);
      board.timer = readTimerMessage(decoder)?.timer ?? null;
    } else board.timer = null;
    if (json === null) {
      board.listeners.add(connection);
      send(connection, encodeTimerMessage({ timer: board.timer, now: this.now() }));
      return;
    }
    const parsed = parseTimerCommand(json);
    const result = 'error' in parsed ? parsed : applyTimerCommand(board.timer, parsed, role ?? 'viewer', this.now());
    if ('error' in result) {
      send(connection, encodeTimerMessage({ timer: board.timer, now: this.now(), error: result.error }));
      return;
    }
    const shared = encodeTimerMessage({ timer: result.timer, now: this.now() });
    await this.fanout.remember(boardId, TOPIC_TIMER, result.timer ? shared : null, SHARED_TIMER_TTL_MS);
    board.timer = result.timer;
    this.fanout.publish(boardId, TOPIC_TIMER, shared);
    this.tell(board);
    if (!board.listeners.has(connection)) send(connection, shared);
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
      board = { timer: null, listeners: new Set(), queue: Promise.resolve() };
      this.boards.set(boardId, board);
    }
    return board;
  }

  /** A board with no timer and nobody listening costs nothing. A running timer outlives an empty room. */
  private forgetIfIdle(boardId: string, board: BoardTimer): void {
    if (board.timer === null && board.listeners.size === 0) this.boards.delete(boardId);
  }
}
