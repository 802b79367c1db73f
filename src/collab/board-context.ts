/** The open board for the components below the board screen: its doc (for model operations) and its store. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type * as Y from 'yjs';
import type { BoardState, BoardStore } from './board-store';
import type { BoardUndo } from './undo';
import type { CommentCommand, TimerCommand, VoteCommand } from '../protocol';
import type { PresenterControls } from './presenter';

export interface BoardContextValue {
  doc: Y.Doc;
  store: BoardStore;
  /** Undo of this person's changes; left out where parts of the screen are rendered without a connection. */
  undo?: BoardUndo;
  /** Sends a facilitator's timer change (collab/connection.ts); left out like `undo`. */
  sendTimer?: (command: TimerCommand) => void;
  /** Dot voting and comments (collab/connection.ts); left out like `sendTimer`. */
  sendVote?: (command: VoteCommand) => void;
  sendComment?: (command: CommentCommand) => void;
  /** Presenter mode's commands (collab/presenter.ts); left out like `sendTimer`. */
  presenter?: PresenterControls;
}

export const BoardContext = createContext<BoardContextValue | null>(null);

export function useBoard(): BoardContextValue {
  const value = useContext(BoardContext);
  if (!value) throw new Error('useBoard is used outside a board screen');
  return value;
}

/** Subscribes to one slice of the board store; pick narrow slices so unrelated changes do not re-render. */
export function useBoardState<T>(selector: (state: BoardState) => T): T {
  return useStore(useBoard().store, selector);
}

/** The open board's undo, or null on a board without one (a test rendering parts of the screen). */
export function useBoardUndo(): BoardUndo | null {
  return useBoard().undo ?? null;
}
