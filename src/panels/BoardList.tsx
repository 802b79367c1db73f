/** The start screen: every board, most recently changed first; create, open, rename, delete. */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from '../ui/Link';
import { boardPath, comparePath, navigate, openPath } from '../ui/router';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import {
  BOARD_FILE_MAX_BYTES,
  createBoard,
  createExamplePair,
  deleteBoard,
  groupPairs,
  importBoardFile,
  listBoards,
  listTemplates,
  renameBoard,
  type BoardSummary,
  type TemplateSummary,
} from '../api/boards';
import { joinBoard, type Role } from '../api/access';
import { EXAMPLE_PAIRS } from '../model';
import { friendlyTime } from '../export/format';
import './dialogs.css';

type ListState = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; boards: BoardSummary[] };

export function BoardList() {
  const [list, setList] = useState<ListState>({ kind: 'loading' });
  const [confirming, setConfirming] = useState<BoardSummary | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);

  const [templates, setTemplates] = useState<TemplateSummary[]>([]);

  useEffect(() => {
    let cancelled = false;
    // Without the list the form still creates blank boards: templates are a help, not a requirement.
    listTemplates().then(
      (list) => !cancelled && setTemplates(list),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, []);

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
        <CreateBoardForm templates={templates} />
        <StartFromExample templates={templates} />
        <ImportBoardFile />
        <JoinFromLink />
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
              before” — and start mapping, or open one of the examples to see a finished purpose map. A board someone
              shares with you appears here once you open its link.
            </p>
          </div>
        )}
        {list.kind === 'ready' && list.boards.length > 0 && (
          <ul className="board-rows">
            {groupPairs(list.boards).map(({ board, afters }) => {
              const row = (shown: BoardSummary, before?: BoardSummary) => (
                <BoardRow
                  key={shown.id}
                  board={shown}
                  before={before}
                  onRenamed={() => void load()}
                  onDelete={() => {
                    setDeleteError(null);
                    setConfirming(shown);
                  }}
                />
              );
              if (afters.length === 0) return row(board);
              return (
                <li key={board.id} className="board-pair" data-testid="board-pair" data-board-id={board.id}>
                  <ul className="board-pair-rows" aria-label={`${board.title} and its redesign`}>
                    {row(board)}
                    {afters.map((after) => row(after, board))}
                  </ul>
                </li>
              );
            })}
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

/**
 * One click to an example: its before board and the after board of its
 * redesign, made together and linked, so the comparison is there at once;
 * the before board opens, where the story starts.
 */
function StartFromExample({ templates }: { templates: TemplateSummary[] }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Only examples the server offers both boards of (an older server may list fewer).
  const offered = new Map(templates.map((t) => [t.id, t]));
  const examples = EXAMPLE_PAIRS.filter((pair) => offered.has(pair.before) && offered.has(pair.after));
  if (examples.length === 0) return null;

  const start = async (pair: (typeof EXAMPLE_PAIRS)[number]) => {
    setBusy(pair.before);
    setError(null);
    try {
      const created = await createExamplePair(offered.get(pair.before)!.title, pair.before);
      navigate(boardPath(created.id));
    } catch (e) {
      setError((e as Error).message);
      setBusy(null);
    }
  };

  return (
    <section className="start-example" aria-labelledby="start-example-title" data-testid="start-from-example">
      <h2 id="start-example-title" className="start-example-title">
        Start from an example
      </h2>
      <div className="start-example-list">
        {examples.map((pair) => (
          <button
            key={pair.before}
            type="button"
            className="example-card"
            data-testid="example-board"
            data-template-id={pair.before}
            title={pair.description}
            disabled={busy !== null}
            onClick={() => void start(pair)}
          >
            <span className="example-card-title">{busy === pair.before ? 'Creating…' : pair.title}</span>
            <span className="example-card-description">{pair.description}</span>
            <span className="example-card-note">Before and after, linked, to compare</span>
          </button>
        ))}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** "Import board file": a .json board file becomes a NEW board (never an overwrite), which then opens. */
function ImportBoardFile() {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const importFile = async (file: File) => {
    setError(null);
    if (file.size > BOARD_FILE_MAX_BYTES) {
      setError(`“${file.name}” is ${(file.size / 1024 / 1024).toFixed(1)} MB; a board file can be at most 10 MB.`);
      return;
    }
    setBusy(true);
    try {
      const created = await importBoardFile(file);
      navigate(boardPath(created.id));
    } catch (e) {
      setError(`“${file.name}”: ${(e as Error).message}`);
      setBusy(false);
    }
  };

  return (
    <section className="import-board" aria-label="Import a board file" style={{ margin: '0.75rem 0' }}>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-board-input"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importFile(file);
        }}
      />
      <button
        type="button"
        className="button"
        data-testid="import-board"
        disabled={busy}
        title="Open a .json board file exported from a Purposeboard as a new board"
        onClick={() => input.current?.click()}
      >
        {busy ? 'Importing…' : 'Import board file'}
      </button>
      {error && (
        <p className="field-error" role="alert" data-testid="import-board-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** Each board's role on the list, in the words of the share links. */
const ROLE_TAGS: Record<Role, string> = {
  facilitator: 'Facilitator',
  editor: 'Can edit',
  viewer: 'View only',
  collector: 'Collects demand',
};

/** "Open a board from a link": a share link (or just its token) joins this browser to the board, which then opens. */
function JoinFromLink() {
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = link.trim();
    if (!text) {
      setError('Paste the link the facilitator shared first.');
      return;
    }
    setBusy(true);
    try {
      const joined = await joinBoard(text);
      navigate(openPath(joined.boardId, joined.role));
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <form className="join-board" onSubmit={(e) => void submit(e)} data-testid="join-form">
      <label htmlFor="join-link" className="create-label">
        Open a board from a link
      </label>
      <div className="create-row">
        <input
          id="join-link"
          data-testid="join-link"
          className="text-input"
          placeholder="Paste the link the facilitator shared"
          value={link}
          maxLength={2000}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'join-error' : undefined}
          onChange={(e) => {
            setLink(e.target.value);
            setError(null);
          }}
        />
        <button type="submit" className="button" data-testid="join-open" disabled={busy}>
          {busy ? 'Opening…' : 'Open'}
        </button>
      </div>
      {error && (
        <p className="field-error" id="join-error" role="alert" data-testid="join-error">
          {error}
        </p>
      )}
    </form>
  );
}

function CreateBoardForm({ templates }: { templates: TemplateSummary[] }) {
  const [title, setTitle] = useState('');
  const [template, setTemplate] = useState('blank');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const options = templates.some((t) => t.id === 'blank')
    ? templates
    : [{ id: 'blank', title: 'Blank board', description: 'An empty board.' }, ...templates];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) {
      setError('Give the board a name first.');
      return;
    }
    setBusy(true);
    try {
      const created = await createBoard(title.trim(), template);
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
      {templates.length > 0 && (
        <div className="template-choice">
          <label htmlFor="new-board-template" className="template-label">
            Start from
          </label>
          <select
            id="new-board-template"
            className="text-input template-select"
            data-testid="new-board-template"
            value={template}
            aria-describedby="new-board-template-description"
            onChange={(e) => {
              const chosen = options.find((o) => o.id === e.target.value);
              setTemplate(e.target.value);
              // An example's title is a good start for a board no one has named yet.
              const named = title.trim() !== '' && !options.some((o) => o.title === title.trim());
              if (chosen && !named) setTitle(chosen.id === 'blank' ? '' : chosen.title);
              setError(null);
            }}
          >
            {options.map((option) => (
              <option key={option.id} value={option.id} data-testid="template-option" data-template-id={option.id}>
                {option.title}
              </option>
            ))}
          </select>
          <span id="new-board-template-description" className="template-description" data-testid="template-description">
            {options.find((o) => o.id === template)?.description}
          </span>
        </div>
      )}
    </form>
  );
}

function BoardRow({
  board,
  before,
  onRenamed,
  onDelete,
}: {
  board: BoardSummary;
  /** Set on an after board shown under its before board. */
  before?: BoardSummary;
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
  // What the server would allow: an editor renames unless the board is locked; the facilitator always.
  const canRename = board.role === 'facilitator' || (board.role === 'editor' && !board.locked);
  return (
    <li
      className={before ? 'board-row is-after' : 'board-row'}
      data-testid="board-row"
      data-board-id={board.id}
      data-before-id={before?.id}
    >
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
            <Link href={openPath(board.id, board.role)} className="board-row-title" data-testid="open-board">
              {before && (
                <span className="after-tag" data-testid="after-tag" title={`The redesign of “${before.title}”`}>
                  after
                </span>
              )}
              {board.title}
            </Link>
            <span className="board-row-meta">
              <span className={`role-tag is-${board.role}`} data-testid="board-row-role">
                {ROLE_TAGS[board.role] ?? board.role}
              </span>
              {board.locked && (
                <span className="role-tag is-locked" data-testid="board-row-locked">
                  Locked
                </span>
              )}
              <span data-testid="board-row-updated" title={new Date(board.updatedAt).toLocaleString()}>
                Changed {friendlyTime(board.updatedAt)}
              </span>
              <span aria-hidden="true"> · </span>
              <span data-testid="board-row-steps">{steps}</span>
            </span>
          </div>
          <div className="board-row-actions">
            {before && (
              <Link
                href={comparePath(before.id, board.id)}
                className="button"
                data-testid="compare-pair"
                title={`Compare “${before.title}” (before) with “${board.title}” (after)`}
              >
                Compare
              </Link>
            )}
            {canRename && (
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
            )}
            {board.role === 'facilitator' && (
              <button type="button" className="button subtle danger" data-testid="delete-board" onClick={onDelete}>
                Delete
              </button>
            )}
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
