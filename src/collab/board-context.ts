/** The open board for the components below the board screen: its doc (for model operations) and its store. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type * as Y from 'yjs';
import type { BoardState, BoardStore } from './board-store';

export interface BoardContextValue {
  doc: Y.Doc;
  store: BoardStore;
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
