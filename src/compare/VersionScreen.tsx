/**
 * A saved version of a board, read-only (/b/<id>/v/<versionId>): the map as
 * it was, a banner saying whose version it is, "Restore as new board" (an
 * editable copy; the live board is never changed) and the way back.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { readMeta } from '../model';
import { Link } from '../ui/Link';
import { boardPath, comparePath, navigate } from '../ui/router';
import { ApiError } from '../api/http';
import { getVersion, loadDoc, restoreVersion, type VersionSummary } from '../api/versions';
import { getBoardAccess } from '../api/access';
import { formatSavedAt } from '../export/format';
import { refOf } from './refs';
import { ReadOnlyMap } from './ReadOnlyMap';
import './compare.css';

type Loaded =
  | { kind: 'loading' }
  /** `unreachable`: no answer at all (offline), not a refusal: the version may well exist. */
  | { kind: 'missing'; message: string; unreachable: boolean }
  | { kind: 'ready'; version: VersionSummary; doc: Y.Doc; title: string };

export function VersionScreen({ boardId, versionId }: { boardId: string; versionId: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [restoring, setRestoring] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // A viewer may look at a version, not restore it (the server refuses): no button that only fails.
  const [viewer, setViewer] = useState(false);

  useEffect(() => {
    let cancelled = false;
    getBoardAccess(boardId).then(
      (access) => !cancelled && setViewer(access.role === 'viewer'),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [boardId]);

  useEffect(() => {
    let cancelled = false;
    Promise.all([getVersion(boardId, versionId), loadDoc(boardId, versionId)]).then(
      ([version, doc]) => {
        if (cancelled) return;
        const title = readMeta(doc).title;
        document.title = `${version.name} · ${title} · Purposeboard`;
        setLoaded({ kind: 'ready', version, doc, title });
      },
      (e: Error) =>
        !cancelled &&
        setLoaded({ kind: 'missing', message: e.message, unreachable: e instanceof ApiError && e.status === 0 }),
    );
    return () => {
      cancelled = true;
    };
  }, [boardId, versionId]);

  if (loaded.kind === 'missing') {
    return (
      <main className="not-found" data-testid="version-not-found">
        <h1>{loaded.unreachable ? 'The version cannot be loaded' : 'Version not found'}</h1>
        <p>{loaded.message}</p>
        <Link href="/" className="button primary" data-testid="back-to-list">
          ◂ Go to the board list
        </Link>
      </main>
    );
  }

  const restore = async () => {
    setRestoring(true);
    setError(null);
    try {
      const created = await restoreVersion(boardId, versionId);
      navigate(boardPath(created.id));
    } catch (e) {
      setError((e as Error).message);
      setRestoring(false);
    }
  };

  return (
    <div className="read-only-screen" data-testid="version-screen">
      <header className="board-header">
        <Link href="/" className="back-link">
          ◂ Boards
        </Link>
        <div className="title-area">
          <h1 className="read-only-title">{loaded.kind === 'ready' ? loaded.title : 'Loading…'}</h1>
        </div>
      </header>
      {loaded.kind === 'ready' && (
        <div className="version-banner" role="status" data-testid="version-banner">
          <span className="version-banner-text">
            Version <strong>“{loaded.version.name}”</strong> saved by {loaded.version.savedBy} on{' '}
            {formatSavedAt(loaded.version.savedAt)} — <strong>read-only</strong>
          </span>
          <span className="version-banner-actions">
            {!viewer && (
              <button
                type="button"
                className="button primary small"
                data-testid="restore-version"
                disabled={restoring}
                title="Makes an editable copy of this version as a new board; the live board stays as it is"
                onClick={() => void restore()}
              >
                {restoring ? 'Restoring…' : 'Restore as new board'}
              </button>
            )}
            <Link
              href={comparePath(refOf(boardId, versionId), boardId)}
              className="button small"
              data-testid="compare-version-with-live"
            >
              Compare with the live board
            </Link>
            <Link href={boardPath(boardId)} className="button small" data-testid="back-to-live-board">
              Back to the live board
            </Link>
          </span>
          {error && (
            <span className="field-error" role="alert" data-testid="restore-error">
              {error}
            </span>
          )}
        </div>
      )}
      <main className="read-only-body">
        {loaded.kind === 'ready' ? (
          <ReadOnlyMap doc={loaded.doc} label={`Version “${loaded.version.name}”, read-only`} testId="version-map" />
        ) : (
          <p className="muted read-only-loading">Loading the version…</p>
        )}
      </main>
    </div>
  );
}
