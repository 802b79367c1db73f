/** The start screen: every board, most recently changed first; create, open, rename, delete. */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from '../app/Link';
import { boardPath, navigate } from '../app/router';
import { ConfirmDialog } from '../app/ConfirmDialog';
import { createBoard, deleteBoard, listBoards, renameBoard, type BoardSummary } from './boards-api';
import { friendlyTime } from './friendly-time';

type ListState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; boards: BoardSummary[] };

export function BoardList() {
  const [list, setList] = useState<ListState>({ kind: 'loading' });
  const [confirming, setConfirming] = useState<BoardSummary | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const load = useCallback(async () => {
    try {
      setList({ kind: 'ready', boards: await listBoards() });
    } catch (error) {
      setList({ kind: 'error', message: (error as Error).message });
    }
  }, []);

  useEffect(() => {
    document.title = 'Boards · Purposeboard';
    let cancelled = false;
    listBoards().then(
      (boards) => !cancelled && setList({ kind: 'ready', boards }),
      (error: Error) => !cancelled && setList({ kind: 'error', message: error.message }),
    );
    return () => {
      cancelled = true;
    };
  }, []);

  const confirmDelete = async () => {
    if (!confirming) return;
    setDeleting(true);
    try {
      await deleteBoard(confirming.id);
      setConfirming(null);
      setDeleteError(null);
      await load();
    } catch (error) {
      setDeleteError((error as Error).message);
    } finally {
      setDeleting(false);
    }
  };

  return (
    <div className="board-list-screen">
      <header className="list-header">
        <h1 className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◈
          </span>{' '}
          Purposeboard
        </h1>
        <p className="tagline">Map purpose, demand and the flow of work — together, live.</p>
      </header>
      <main className="board-list">
        <CreateBoardForm />
        <h2 className="section-title">Your boards</h2>
        {list.kind === 'loading' && <p className="muted">Loading boards…</p>}
        {list.kind === 'error' && (
          <div className="error-box" role="alert" data-testid="board-list-error">
            <p>Could not load the boards: {list.message}</p>
            <button type="button" className="button" onClick={() => void load()}>
              Try again
            </button>
          </div>
        )}
        {list.kind === 'ready' && list.boards.length === 0 && (
          <div className="empty-state" data-testid="board-list-empty">
            <p className="empty-title">No boards yet</p>
            <p className="muted">
              Give your first board a name above — for example the service you are redesigning, “Housing repairs —
              before” — and start mapping.
            </p>
          </div>
        )}
        {list.kind === 'ready' && list.boards.length > 0 && (
          <ul className="board-rows">
            {list.boards.map((board) => (
              <BoardRow
                key={board.id}
                board={board}
                onRenamed={() => void load()}
                onDelete={() => {
                  setDeleteError(null);
                  setConfirming(board);
                }}
              />
            ))}
          </ul>
        )}
      </main>
      {confirming && (
        <ConfirmDialog
          title={`Delete “${confirming.title}”?`}
          confirmLabel={deleting ? 'Deleting…' : 'Delete board'}
          busy={deleting}
          error={deleteError}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setConfirming(null)}
        >
          The board and everything on it will be gone for everyone, and this cannot be undone.
        </ConfirmDialog>
      )}
    </div>
  );
}

function CreateBoardForm() {
  const [title, setTitle] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError('Give the board a name first.');
      return;
    }
    setBusy(true);
    try {
      const created = await createBoard(title.trim());
      navigate(boardPath(created.id));
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <form className="create-board" onSubmit={(e) => void submit(e)}>
      <label htmlFor="new-board-title" className="create-label">
        New board
      </label>
      <div className="create-row">
        <input
          id="new-board-title"
          data-testid="new-board-title"
          className="text-input"
          placeholder="What service are you mapping?"
          value={title}
          maxLength={200}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'new-board-error' : undefined}
          onChange={(e) => {
            setTitle(e.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button primary" data-testid="create-board" disabled={busy}>
          {busy ? 'Creating…' : 'Create board'}
        </button>
      </div>
      {error && (
        <p className="field-error" id="new-board-error" role="alert" data-testid="create-board-error">
          {error}
        </p>
      )}
    </form>
  );
}

function BoardRow({
  board,
  onRenamed,
  onDelete,
}: {
  board: BoardSummary;
  onRenamed: () => void;
  onDelete: () => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [title, setTitle] = useState(board.title);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (renaming) inputRef.current?.select();
  }, [renaming]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (title.trim() === board.title) {
      setRenaming(false);
      return;
    }
    setBusy(true);
    try {
      await renameBoard(board.id, title.trim());
      setRenaming(false);
      setError(null);
      onRenamed();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const steps = `${board.steps} ${board.steps === 1 ? 'step' : 'steps'}`;
  return (
    <li className="board-row" data-testid="board-row" data-board-id={board.id}>
      {renaming ? (
        <form className="rename-form" onSubmit={(e) => void save(e)}>
          <input
            ref={inputRef}
            className="text-input"
            data-testid="rename-board-input"
            aria-label="New name for the board"
            value={title}
            maxLength={200}
            onChange={(e) => {
              setTitle(e.target.value);
              setError(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                setTitle(board.title);
                setRenaming(false);
                setError(null);
              }
            }}
          />
          <button type="submit" className="button primary" data-testid="rename-board-save" disabled={busy}>
            Save
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setTitle(board.title);
              setRenaming(false);
              setError(null);
            }}
          >
            Cancel
          </button>
        </form>
      ) : (
        <>
          <div className="board-row-main">
            <Link href={boardPath(board.id)} className="board-row-title" data-testid="open-board">
              {board.title}
            </Link>
            <span className="board-row-meta">
              <span data-testid="board-row-updated" title={new Date(board.updatedAt).toLocaleString()}>
                Changed {friendlyTime(board.updatedAt)}
              </span>
              <span aria-hidden="true"> · </span>
              <span data-testid="board-row-steps">{steps}</span>
            </span>
          </div>
          <div className="board-row-actions">
            <button
              type="button"
              className="button subtle"
              data-testid="rename-board"
              onClick={() => {
                setTitle(board.title);
                setRenaming(true);
              }}
            >
              Rename
            </button>
            <button type="button" className="button subtle danger" data-testid="delete-board" onClick={onDelete}>
              Delete
            </button>
          </div>
        </>
      )}
      {error && (
        <p className="field-error row-error" role="alert" data-testid="rename-board-error">
          {error}
        </p>
      )}
    </li>
  );
}
