/**
 * The board header's "Before & after ▾" menu: save a version of the board,
 * the saved versions (open read-only, restore as a new board), start the
 * redesign (a linked after board), and the comparison. On an after board it
 * leads back to its before board and compares with it.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { metaMap, readBeforeBoardId, readMeta } from '../model';
import { useBoard, useBoardState } from '../collab/board-context';
import { loadName } from '../collab/presence';
import { canEditNow, showToast } from '../collab/board-store';
import { Link } from '../ui/Link';
import { boardPath, comparePath, navigate, parseRoute, versionPath } from '../ui/router';
import {
  getBoard,
  listVersions,
  restoreVersion,
  saveVersion,
  startRedesign,
  type BoardInfo,
  type VersionSummary,
} from '../api/versions';
import { formatSavedAt } from '../export/format';
import { refOf } from './refs';
import { rememberRedesignLanding } from './RedesignNotice';
import './compare.css';

const MAX_VERSION_NAME = 120;

/** The before board's id kept in an after board's meta (issue 6 contract), live. */
function useBeforeBoardId(): string | null {
  const { doc } = useBoard();
  const read = useCallback(() => readBeforeBoardId(doc), [doc]);
  const [id, setId] = useState(read);
  useEffect(() => {
    const meta = metaMap(doc);
    const update = () => setId(read());
    update();
    meta.observe(update);
    return () => meta.unobserve(update);
  }, [doc, read]);
  return id;
}

type Versions = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; list: VersionSummary[] };

export function BeforeAfterMenu() {
  const { doc, store } = useBoard();
  const loaded = useBoardState((s) => s.loaded);
  const selfName = useBoardState((s) => s.self.name);
  const canEdit = useBoardState(canEditNow);
  // A viewer may look back and compare; saving, restoring and redesigning need an editor.
  const viewer = useBoardState((s) => s.access?.role === 'viewer');
  const route = parseRoute(window.location.pathname);
  const boardId = route.screen === 'board' ? route.boardId : null;
  const beforeBoardId = useBeforeBoardId();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [versions, setVersions] = useState<Versions>({ kind: 'loading' });
  const [before, setBefore] = useState<BoardInfo | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);

  const refresh = useCallback(async () => {
    if (!boardId) return;
    try {
      setVersions({ kind: 'ready', list: await listVersions(boardId) });
    } catch (error) {
      setVersions({ kind: 'error', message: (error as Error).message });
    }
  }, [boardId]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  useEffect(() => {
    if (!beforeBoardId) return;
    let cancelled = false;
    // A before board deleted since: no link to a board that is not there.
    getBoard(beforeBoardId).then(
      (info) => !cancelled && setBefore(info),
      () => !cancelled && setBefore(null),
    );
    return () => {
      cancelled = true;
    };
  }, [beforeBoardId]);

  if (!boardId) return null;

  const run = async (what: string, action: () => Promise<void>) => {
    setBusy(what);
    try {
      await action();
    } catch (error) {
      showToast(store, (error as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const redesign = () =>
    run('redesign', async () => {
      const created = await startRedesign(boardId);
      rememberRedesignLanding({ afterId: created.id, beforeId: boardId, beforeTitle: readMeta(doc).title });
      setOpen(false);
      navigate(boardPath(created.id));
    });
  const restore = (version: VersionSummary) =>
    run(`restore-${version.id}`, async () => {
      const created = await restoreVersion(boardId, version.id);
      setOpen(false);
      navigate(boardPath(created.id));
    });

  return (
    <div ref={wrapper} className="before-after">
      <button
        type="button"
        className="button subtle tool-button"
        data-testid="before-after-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={!loaded}
        onClick={() => {
          // The list is read afresh on each opening: someone else may have saved a version meanwhile.
          if (!open) void refresh();
          setOpen(!open);
        }}
      >
        Before &amp; after ▾
      </button>
      {open && (
        <div className="before-after-menu" role="menu" aria-label="Before and after" data-testid="before-after-items">
          {beforeBoardId && before && (
            <div className="menu-section after-of" data-testid="after-of">
              <span className="menu-note">
                The redesign of <strong>{before.title}</strong>
              </span>
              <div className="menu-row">
                <Link
                  role="menuitem"
                  href={boardPath(before.id)}
                  className="button small"
                  data-testid="open-before-board"
                  onClick={() => setOpen(false)}
                >
                  ◂ Before board
                </Link>
                <Link
                  role="menuitem"
                  href={comparePath(before.id, boardId)}
                  className="button primary small"
                  data-testid="compare-with-before"
                  onClick={() => setOpen(false)}
                >
                  Compare with before
                </Link>
              </div>
            </div>
          )}
          {canEdit && (
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              data-testid="save-version"
              onClick={() => {
                setOpen(false);
                setSaving(true);
              }}
            >
              <span className="menu-item-title">Save version…</span>
              <span className="menu-item-hint">
                Keep the board as it is now under a name, to look back at or compare.
              </span>
            </button>
          )}
          {!viewer && (
            <button
              type="button"
              role="menuitem"
              className="menu-item"
              data-testid="start-redesign"
              disabled={busy !== null}
              onClick={() => void redesign()}
            >
              <span className="menu-item-title">{busy === 'redesign' ? 'Starting…' : 'Start the redesign'}</span>
              <span className="menu-item-hint">
                Makes a linked “after” copy of this board to redesign on; this board stays as the “before”.
              </span>
            </button>
          )}
          <Link
            role="menuitem"
            href={comparePath(boardId)}
            className="menu-item"
            data-testid="open-compare"
            onClick={() => setOpen(false)}
          >
            <span className="menu-item-title">Compare…</span>
            <span className="menu-item-hint">Put this board beside another board or a saved version.</span>
          </Link>
          <div className="menu-section" data-testid="version-list">
            <span className="menu-heading">Saved versions</span>
            {versions.kind === 'loading' && <span className="menu-note">Loading…</span>}
            {versions.kind === 'error' && (
              <span className="field-error" role="alert">
                {versions.message}
              </span>
            )}
            {versions.kind === 'ready' && versions.list.length === 0 && (
              <span className="menu-note" data-testid="no-versions">
                {canEdit ? 'None yet. “Save version…” keeps the board as it is now.' : 'None yet.'}
              </span>
            )}
            {versions.kind === 'ready' && versions.list.length > 0 && (
              <ul className="version-rows">
                {versions.list.map((version) => (
                  <li key={version.id} className="version-row" data-testid="version-row" data-version-id={version.id}>
                    <span className="version-row-main">
                      <span className="version-row-name" title={version.name}>
                        {version.name}
                      </span>
                      <span className="version-row-meta">
                        {version.savedBy} · {formatSavedAt(version.savedAt)}
                      </span>
                    </span>
                    <span className="version-row-actions">
                      <Link
                        href={versionPath(boardId, version.id)}
                        className="button subtle small"
                        data-testid="open-version"
                        onClick={() => setOpen(false)}
                      >
                        Open
                      </Link>
                      <Link
                        href={comparePath(refOf(boardId, version.id), boardId)}
                        className="button subtle small"
                        data-testid="compare-version"
                        title="Compare this version (before) with the live board (after)"
                        onClick={() => setOpen(false)}
                      >
                        Compare
                      </Link>
                      {!viewer && (
                        <button
                          type="button"
                          className="button subtle small"
                          data-testid="restore-version-from-list"
                          title="Make an editable copy of this version as a new board"
                          disabled={busy !== null}
                          onClick={() => void restore(version)}
                        >
                          {busy === `restore-${version.id}` ? 'Restoring…' : 'Restore'}
                        </button>
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
      {saving && (
        <SaveVersionDialog
          boardId={boardId}
          savedBy={selfName || loadName(typeof localStorage === 'undefined' ? null : localStorage)}
          onClose={() => setSaving(false)}
          onSaved={(version) => {
            setSaving(false);
            showToast(store, `Saved version “${version.name}”.`);
          }}
        />
      )}
    </div>
  );
}

function SaveVersionDialog({
  boardId,
  savedBy,
  onClose,
  onSaved,
}: {
  boardId: string;
  savedBy: string;
  onClose: () => void;
  onSaved: (version: VersionSummary) => void;
}) {
  const [name, setName] = useState('');
  const [by, setBy] = useState(savedBy);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setError('Give the version a name first, e.g. “Before – workshop 1”.');
      return;
    }
    if (!by.trim()) {
      setError('Say who is saving it.');
      return;
    }
    setBusy(true);
    try {
      onSaved(await saveVersion(boardId, name.trim(), by.trim()));
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="save-version-title"
        data-testid="save-version-dialog"
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') onClose();
        }}
      >
        <h2 id="save-version-title">Save a version</h2>
        <p className="dialog-hint">
          Keeps the board exactly as it is now. The board itself goes on changing; the version does not.
        </p>
        <label className="dialog-field">
          <span>Name</span>
          <input
            className="text-input"
            data-testid="version-name"
            autoFocus
            maxLength={MAX_VERSION_NAME}
            placeholder="e.g. Before – workshop 1"
            value={name}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
          />
        </label>
        <label className="dialog-field">
          <span>Saved by</span>
          <input
            className="text-input"
            data-testid="version-saved-by"
            maxLength={60}
            value={by}
            onChange={(e) => {
              setBy(e.target.value);
              setError(null);
            }}
          />
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="save-version-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" data-testid="save-version-confirm" disabled={busy}>
            {busy ? 'Saving…' : 'Save version'}
          </button>
        </div>
      </form>
    </div>
  );
}
