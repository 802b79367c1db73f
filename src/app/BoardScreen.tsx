/** The board screen: connects to the board and lays out the header, the palette, the canvas and the right panel. */
import { useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { useStore } from 'zustand';
import { connectBoard, type BoardConnection } from '../collab/connection';
import { BoardContext } from '../collab/board-context';
import { CLOSE_BOARD_DELETED, CLOSE_BOARD_NOT_FOUND, CLOSE_INVALID_BOARD_ID, isValidBoardId } from '../protocol';
import { BoardCanvas } from '../canvas/BoardCanvas';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { Header } from './Header';
import { Palette } from './Palette';
import { Toasts } from './Toasts';
import { RightPanel } from '../panels/RightPanel';
import { BoardNotFound } from './NotFound';
import { RedesignNotice } from '../compare/RedesignNotice';

declare global {
  interface Window {
    /**
     * The open board's doc and provider, for the e2e tests, the benchmark and
     * debugging from the console. Read-only by convention: changes go through src/model.
     */
    __purposeboard?: { doc: BoardConnection['doc']; provider: BoardConnection['provider'] };
  }
}

const GONE = new Set([CLOSE_BOARD_NOT_FOUND, CLOSE_INVALID_BOARD_ID, CLOSE_BOARD_DELETED]);

export function BoardScreen({ boardId }: { boardId: string }) {
  if (!isValidBoardId(boardId)) return <BoardNotFound message="This board address is not valid." />;
  return <OpenBoard key={boardId} boardId={boardId} />;
}

function OpenBoard({ boardId }: { boardId: string }) {
  const [connection, setConnection] = useState<BoardConnection | null>(null);

  useEffect(() => {
    const opened = connectBoard(boardId);
    window.__purposeboard = { doc: opened.doc, provider: opened.provider };
    // The connection lives exactly as long as this effect (StrictMode mounts twice in development).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setConnection(opened);
    return () => {
      if (window.__purposeboard?.doc === opened.doc) delete window.__purposeboard;
      opened.destroy();
    };
  }, [boardId]);

  if (!connection) return <div className="board-screen" />;
  return <ConnectedBoard connection={connection} boardId={boardId} />;
}

function ConnectedBoard({ connection, boardId }: { connection: BoardConnection; boardId: string }) {
  const state = useStore(connection.store, (s) => s.connection);
  const title = useStore(connection.store, (s) => s.title);
  const context = useMemo(
    () => ({ doc: connection.doc, store: connection.store, undo: connection.undo }),
    [connection],
  );

  useEffect(() => {
    document.title = title ? `${title} · Purposeboard` : 'Purposeboard';
  }, [title]);

  if (state.kind === 'closed' && GONE.has(state.code))
    return <BoardNotFound code={state.code} message={state.message} />;
  return (
    <BoardContext.Provider value={context}>
      <ReactFlowProvider>
        <div className="board-screen with-panel">
          <Header />
          <Palette />
          <ErrorBoundary what="canvas">
            <BoardCanvas />
          </ErrorBoundary>
          <RightPanel />
          <RedesignNotice boardId={boardId} />
          <Toasts />
        </div>
      </ReactFlowProvider>
    </BoardContext.Provider>
  );
}
