/** The board screen: connects to the board and lays out the header, the palette, the canvas and the right panel. */
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { useStore } from 'zustand';
import { connectBoard, type BoardConnection } from '../collab/connection';
import { BoardContext } from '../collab/board-context';
import { canEditNow, showToast } from '../collab/board-store';
import {
  ACCESS_ENDED,
  CLOSE_BOARD_DELETED,
  CLOSE_BOARD_NOT_FOUND,
  CLOSE_INVALID_BOARD_ID,
  CLOSE_FORBIDDEN,
  CLOSE_UNAUTHORIZED,
  isValidBoardId,
} from '../protocol';
import { getBoardAccess, participantKey } from '../api';
import { AccessEnded } from './AccessEnded';
import { BoardCanvas } from '../canvas/BoardCanvas';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { Header } from './Header';
import { Palette } from './Palette';
import { ShortcutSheet } from './ShortcutSheet';
import { Toasts } from './Toasts';
import { VoteBar } from './Vote';
import { CommentsDialog } from './Comments';
import { Announcements } from './Announcements';
import { RightPanel } from '../panels/RightPanel';
import { BoardNotFound } from './NotFound';
import { RedesignNotice } from '../compare/RedesignNotice';
import { lazyComponent } from '../ui/Loading';

// Presenter mode is used by one screen in a workshop and followed by the rest: fetched when someone presents.
const PresenterLayer = lazyComponent(() => import('./presenter/PresenterLayer').then((m) => m.PresenterLayer));

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
const NO_ACCESS = new Set([CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED]);

export function BoardScreen({ boardId }: { boardId: string }) {
  if (!isValidBoardId(boardId)) return <BoardNotFound message="This board address is not valid." />;
  return <OpenBoard key={boardId} boardId={boardId} />;
}

function OpenBoard({ boardId }: { boardId: string }) {
  const [connection, setConnection] = useState<BoardConnection | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The server refused a change to a locked card: the board opens afresh (a new generation) with its words.
  const [fresh, setFresh] = useState<{ generation: number; notice: string | null; forgetPresence?: number }>({
    generation: 0,
    notice: null,
  });
  const restart = useCallback(
    (notice: string, forgetPresence: number) =>
      setFresh((f) => ({ generation: f.generation + 1, notice, forgetPresence })),
    [],
  );

  useEffect(() => {
    let opened: BoardConnection | null = null;
    let cancelled = false;
    // The key comes first: the connection carries it, and a first visit asks the server for one.
    participantKey().then(
      (key) => {
        if (cancelled) return;
        const board = connectBoard(boardId, { key, forgetPresence: fresh.forgetPresence });
        opened = board;
        window.__purposeboard = { doc: board.doc, provider: board.provider };
        if (fresh.notice) showToast(board.store, fresh.notice, 10_000);
        setConnection(board);
        // The access now, before the socket says it; a refusal is left to the socket's plain-words close.
        getBoardAccess(boardId).then(
          (access) => board.accessFromServer(access),
          () => {},
        );
      },
      (error: Error) => {
        if (!cancelled) setFailure(error.message);
      },
    );
    return () => {
      cancelled = true;
      if (!opened) return;
      if (window.__purposeboard?.doc === opened.doc) delete window.__purposeboard;
      opened.destroy();
      setConnection(null);
    };
  }, [boardId, fresh]);

  if (failure) return <BoardNotFound message={failure} title="Board not opened" />;
  if (!connection) return <div className="board-screen" />;
  return <ConnectedBoard connection={connection} boardId={boardId} onRestart={restart} />;
}

function ConnectedBoard({
  connection,
  boardId,
  onRestart,
}: {
  connection: BoardConnection;
  boardId: string;
  onRestart: (notice: string, forgetPresence: number) => void;
}) {
  const state = useStore(connection.store, (s) => s.connection);
  const restart = useStore(connection.store, (s) => s.restart);
  useEffect(() => {
    if (restart !== null) onRestart(restart, connection.presenceId);
  }, [restart, onRestart, connection]);
  const title = useStore(connection.store, (s) => s.title);
  const unsentBoardFile = useStore(connection.store, (s) => s.unsentBoardFile);
  const canEdit = useStore(connection.store, canEditNow);
  const presentingHere = useStore(connection.store, (s) => s.presentingHere !== null);
  const presented = useStore(connection.store, (s) => s.presenter?.active === true || s.presentingHere !== null);
  const context = useMemo(
    () => ({
      doc: connection.doc,
      store: connection.store,
      undo: connection.undo,
      sendTimer: connection.sendTimer,
      sendVote: connection.sendVote,
      sendComment: connection.sendComment,
      presenter: connection.presenter,
    }),
    [connection],
  );

  useEffect(() => {
    document.title = title ? `${title} · Purposeboard` : 'Purposeboard';
  }, [title]);

  if (state.kind === 'closed' && GONE.has(state.code))
    return <BoardNotFound code={state.code} message={state.message} />;
  if (state.kind === 'closed' && NO_ACCESS.has(state.code))
    return (
      <AccessEnded
        message={state.message}
        // Someone who never had access (an old address, another person's browser) did not lose it.
        heading={
          state.code === CLOSE_FORBIDDEN && state.reason === ACCESS_ENDED.notMember
            ? 'You are not on this board'
            : state.code === CLOSE_UNAUTHORIZED
              ? 'This browser is not known here'
              : 'You can no longer open this board'
        }
        title={title}
        unsentBoardFile={unsentBoardFile}
      />
    );
  return (
    <BoardContext.Provider value={context}>
      <ReactFlowProvider>
        <div
          className={`board-screen with-panel${canEdit ? '' : ' is-view-only'}${presentingHere ? ' is-presenting' : ''}`}
        >
          <Header />
          {canEdit && <Palette />}
          {/* The map is the screen's main landmark; header, palette and panel are its banner, nav and aside. */}
          <main className="board-main" aria-label="The map">
            <ErrorBoundary what="canvas">
              <BoardCanvas />
            </ErrorBoundary>
            <VoteBar />
            {presented && (
              <ErrorBoundary what="presenter mode">
                <Suspense fallback={null}>
                  <PresenterLayer />
                </Suspense>
              </ErrorBoundary>
            )}
          </main>
          <CommentsDialog />
          <RightPanel />
          <RedesignNotice boardId={boardId} />
          <Toasts />
          <ShortcutSheet />
          <Announcements />
        </div>
      </ReactFlowProvider>
    </BoardContext.Provider>
  );
}
