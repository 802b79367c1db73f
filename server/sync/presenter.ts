/**
 * Presenter mode of each board (message 103, src/protocol/presenter.ts): room
 * state held here, in memory, like the timer (timer.ts) — undo and versions
 * never see it. Everyone who asks gets it at once (a late joiner lands on the
 * section being shown) and again on every change.
 *
 * Only a facilitator's command changes it, and only to a section the board
 * has (src/model/presenter-sections.ts, computed from the document now). Any
 * other command, or one that cannot be read, is answered to its sender alone
 * with the reason; nobody else hears of it and nothing changes.
 *
 * The comparison section is on an after board (one whose document names its
 * before board), so the server and every client agree on it from the
 * document alone.
 *
 * With several instances (fanout.ts) the state is one for all of them, as
 * the timer's is (shared-state.ts): kept in Redis with a time to live,
 * re-read before each request or command, published on each change.
 */
import * as decoding from 'lib0/decoding';
import type * as Y from 'yjs';
import type WebSocket from 'ws';
import {
  buildPresenterSections,
  nearestVisibleSection,
  readBeforeBoardId,
  readBoard,
  visibleSections,
  type PresenterSection,
} from '../../src/model';
import {
  MESSAGE_PRESENTER,
  PRESENTER_WORDS,
  encodePresenterMessage,
  parsePresenterCommand,
  readPresenterMessage,
  type PresenterCommand,
  type PresenterState,
  type Role,
} from '../../src/protocol';
import { LocalFanout, type Fanout } from './fanout';
import { send } from './rooms';
import { SharedRoomState } from './shared-state';

/** How long the instances keep presenter mode nobody touches (a workshop day). */
const SHARED_PRESENTER_TTL_MS = 24 * 3600_000;
const SHARE_FAILED = 'Presenter mode could not be changed just now; try again.';

interface BoardPresenter {
  state: PresenterState | null;
  /** Connections that asked for the presenter state ([103]). */
  listeners: Set<WebSocket>;
}

/** The board's sections as the server checks them: the same as every client computes. */
export function sectionsOf(doc: Y.Doc): PresenterSection[] {
  const { nodes, lanes } = readBoard(doc);
  return buildPresenterSections({ nodes, lanes, comparison: readBeforeBoardId(doc) !== null });
}

/**
 * The presenter state after a command from someone with `role`, checked
 * against the board's `sections`; or the words that refuse it (nothing changes).
 */
export function applyPresenterCommand(
  state: PresenterState | null,
  command: PresenterCommand,
  role: Role,
  sections: readonly PresenterSection[],
): { state: PresenterState | null } | { error: string } {
  if (role !== 'facilitator') return { error: PRESENTER_WORDS.notFacilitator };
  const arrangement = { order: state?.order ?? [], hidden: state?.hidden ?? [] };
  const known = new Set(sections.map((s) => s.id));
  const visible = (id: string) => !arrangement.hidden.includes(id);
  switch (command.action) {
    case 'start': {
      if (sections.length === 0) return { error: PRESENTER_WORDS.nothingToShow };
      let section: string | null;
      if (command.section !== undefined) {
        if (!known.has(command.section)) return { error: PRESENTER_WORDS.unknownSection };
        if (!visible(command.section)) return { error: PRESENTER_WORDS.hiddenSection };
        section = command.section;
      } else {
        section = visibleSections(sections, arrangement)[0]?.id ?? null;
      }
      if (section === null) return { error: PRESENTER_WORDS.allHidden };
      return { state: { ...arrangement, active: true, section, by: command.by ?? 'The facilitator' } };
    }
    case 'go':
      if (!state?.active) return { error: PRESENTER_WORDS.notPresenting };
      if (!known.has(command.section)) return { error: PRESENTER_WORDS.unknownSection };
      if (!visible(command.section)) return { error: PRESENTER_WORDS.hiddenSection };
      return { state: { ...state, section: command.section } };
    case 'arrange': {
      if ([...command.order, ...command.hidden].some((id) => !known.has(id)))
        return { error: PRESENTER_WORDS.unknownSection };
      const next = { order: command.order, hidden: command.hidden };
      if (visibleSections(sections, next).length === 0) return { error: PRESENTER_WORDS.allHidden };
      const base = state ?? { active: false, section: null, by: 'The facilitator' };
      // Hiding the section on screen moves the room on to the nearest one still shown.
      const section = base.active ? nearestVisibleSection(sections, next, base.section) : null;
      return { state: { ...base, ...next, section } };
    }
    case 'stop':
      if (!state?.active) return { error: PRESENTER_WORDS.notPresenting };
      return { state: { ...state, active: false, section: null } };
  }
}

export class RoomPresenters {
  private readonly boards = new Map<string, BoardPresenter>();
  private readonly shared: SharedRoomState<PresenterState>;

  constructor(
    fanout: Fanout = new LocalFanout(),
    private readonly log: (message: string) => void = () => {},
  ) {
    this.shared = new SharedRoomState<PresenterState>(
      fanout,
      'presenter',
      SHARED_PRESENTER_TTL_MS,
      {
        encode: (presenter) => encodePresenterMessage({ presenter }),
        decode: (bytes) => {
          const decoder = decoding.createDecoder(bytes);
          if (decoding.readVarUint(decoder) !== MESSAGE_PRESENTER) return undefined;
          const message = readPresenterMessage(decoder);
          return message ? message.presenter : undefined;
        },
      },
      (boardId, state) => {
        const board = this.boards.get(boardId);
        if (board) this.change(boardId, board, state);
      },
    );
  }

  /** The board's presenter state now, or null (for tests). */
  stateOf(boardId: string): PresenterState | null {
    return this.boards.get(boardId)?.state ?? null;
  }

  /**
   * One [103 …] message from `connection`, whose role is `role` (null: not
   * admitted), on the board whose document is `doc`. Throws only on a
   * truncated message, which the caller treats as malformed like any other.
   */
  handle(boardId: string, doc: Y.Doc, connection: WebSocket, decoder: decoding.Decoder, role: Role | null): void {
    const json = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : null;
    const board = this.board(boardId);
    if (!this.shared.shared) {
      const next = this.decide(boardId, board, doc, connection, json, role);
      if (next !== undefined) this.change(boardId, board, next, connection);
      return;
    }
    this.shared.serial(
      boardId,
      async () => {
        board.state = await this.shared.read(boardId);
        const next = this.decide(boardId, board, doc, connection, json, role);
        if (next === undefined) return;
        await this.shared.write(boardId, next);
        this.change(boardId, board, next, connection);
      },
      (error) => {
        this.log(`board ${boardId}: presenter mode could not be shared: ${String(error)}`);
        send(connection, encodePresenterMessage({ presenter: board.state, error: SHARE_FAILED }));
      },
    );
  }

  /** Answers a request or a refused command (undefined: nothing changes), or returns the state a command makes. */
  private decide(
    boardId: string,
    board: BoardPresenter,
    doc: Y.Doc,
    connection: WebSocket,
    json: string | null,
    role: Role | null,
  ): PresenterState | null | undefined {
    if (json === null) {
      board.listeners.add(connection);
      send(connection, encodePresenterMessage({ presenter: board.state }));
      return undefined;
    }
    const parsed = parsePresenterCommand(json);
    const result =
      'error' in parsed ? parsed : applyPresenterCommand(board.state, parsed, role ?? 'viewer', sectionsOf(doc));
    if ('error' in result) {
      send(connection, encodePresenterMessage({ presenter: board.state, error: result.error }));
      this.forgetIfIdle(boardId, board);
      return undefined;
    }
    return result.state;
  }

  /** The board's presenter state is now `state`: everyone here who asked hears it (and the one who changed it). */
  private change(boardId: string, board: BoardPresenter, state: PresenterState | null, changedBy?: WebSocket): void {
    board.state = state;
    const message = encodePresenterMessage({ presenter: state });
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

  private board(boardId: string): BoardPresenter {
    let board = this.boards.get(boardId);
    if (!board) {
      board = { state: null, listeners: new Set() };
      this.boards.set(boardId, board);
    }
    return board;
  }

  /** A board nobody presents and nobody listens to costs nothing; a running presentation outlives an empty room. */
  private forgetIfIdle(boardId: string, board: BoardPresenter): void {
    if (!board.state?.active && board.listeners.size === 0) this.boards.delete(boardId);
  }
}
