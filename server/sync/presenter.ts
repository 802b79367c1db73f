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
  PRESENTER_WORDS,
  encodePresenterMessage,
  parsePresenterCommand,
  type PresenterCommand,
  type PresenterState,
  type Role,
} from '../../src/protocol';
import { send } from './rooms';

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
    const board = this.board(boardId);
    if (!decoding.hasContent(decoder)) {
      board.listeners.add(connection);
      send(connection, encodePresenterMessage({ presenter: board.state }));
      return;
    }
    const parsed = parsePresenterCommand(decoding.readVarString(decoder));
    const result =
      'error' in parsed ? parsed : applyPresenterCommand(board.state, parsed, role ?? 'viewer', sectionsOf(doc));
    if ('error' in result) {
      send(connection, encodePresenterMessage({ presenter: board.state, error: result.error }));
      this.forgetIfIdle(boardId, board);
      return;
    }
    board.state = result.state;
    const message = encodePresenterMessage({ presenter: board.state });
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
