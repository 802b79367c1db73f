/**
 * /compare without two refs: choose any two of the boards and their saved
 * versions, then compare. A board's after board (Start the redesign) is
 * offered as the "after" side when only the before side is given.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { parseRef } from '../model';
import { Link } from '../ui/Link';
import { comparePath, navigate } from '../ui/router';
import { listBoards, type BoardSummary } from '../api/boards';
import { listVersions, type VersionSummary } from '../api/versions';
import { formatSavedAt } from '../export/format';
import { refOf } from './refs';
import './compare.css';

interface Choice {
  boardId: string;
  /** '' = the live board */
  versionId: string;
}

function choiceOf(ref: string | null): Choice {
  const parsed = ref ? parseRef(ref) : null;
  return { boardId: parsed?.boardId ?? '', versionId: parsed?.versionId ?? '' };
}

export function CompareChooser({ before, after }: { before: string | null; after: string | null }) {
  const [boards, setBoards] = useState<BoardSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [left, setLeft] = useState<Choice>(() => choiceOf(before));
  const [right, setRight] = useState<Choice>(() => choiceOf(after));

  useEffect(() => {
    document.title = 'Compare · Purposeboard';
    let cancelled = false;
    listBoards().then(
      (list) => {
        if (cancelled) return;
        setBoards(list);
        // Only the before side given: its redesign, when there is one, is the natural after side.
        if (!after && before) {
          const beforeId = choiceOf(before).boardId;
          const redesign = list.find((b) => b.beforeBoardId === beforeId);
          if (redesign) setRight({ boardId: redesign.id, versionId: '' });
        }
      },
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [before, after]);

  const ready = left.boardId !== '' && right.boardId !== '';
  const same = ready && left.boardId === right.boardId && left.versionId === right.versionId;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready || same) return;
    navigate(comparePath(refOf(left.boardId, left.versionId || null), refOf(right.boardId, right.versionId || null)));
  };

  return (
    <div className="compare-screen" data-testid="compare-chooser">
      <header className="board-header compare-header">
        <Link href="/" className="back-link">
          ◂ Boards
        </Link>
        <h1 className="compare-title">Before &amp; after</h1>
      </header>
      <main className="compare-chooser">
        <h2>Choose what to compare</h2>
        <p className="muted">
          Any two boards or saved versions: the maps side by side, every measure before and after, and what changed.
        </p>
        {error && (
          <p className="field-error" role="alert">
            Could not load the boards: {error}
          </p>
        )}
        {boards && boards.length === 0 && <p className="muted">There are no boards yet.</p>}
        {boards && boards.length > 0 && (
          <form className="chooser-form" onSubmit={submit}>
            <SidePicker name="before" boards={boards} choice={left} onChange={setLeft} />
            <span className="chooser-arrow" aria-hidden="true">
              →
            </span>
            <SidePicker name="after" boards={boards} choice={right} onChange={setRight} />
            <div className="chooser-actions">
              <button type="submit" className="button primary" data-testid="compare-go" disabled={!ready || same}>
                Compare
              </button>
              {same && <span className="field-error">Choose two different boards or versions.</span>}
            </div>
          </form>
        )}
      </main>
    </div>
  );
}

function SidePicker({
  name,
  boards,
  choice,
  onChange,
}: {
  name: 'before' | 'after';
  boards: BoardSummary[];
  choice: Choice;
  onChange: (choice: Choice) => void;
}) {
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  useEffect(() => {
    let cancelled = false;
    if (!choice.boardId) return;
    listVersions(choice.boardId).then(
      (list) => !cancelled && setVersions(list),
      () => !cancelled && setVersions([]),
    );
    return () => {
      cancelled = true;
    };
  }, [choice.boardId]);
  const known = boards.some((b) => b.id === choice.boardId);
  return (
    <fieldset className="chooser-side">
      <legend>{name === 'before' ? 'Before' : 'After'}</legend>
      <label className="dialog-field">
        <span>Board</span>
        <select
          className="text-input"
          data-testid={`choose-${name}-board`}
          value={known ? choice.boardId : ''}
          onChange={(e) => onChange({ boardId: e.target.value, versionId: '' })}
        >
          <option value="">Choose a board…</option>
          {boards.map((board) => (
            <option key={board.id} value={board.id}>
              {board.title}
            </option>
          ))}
        </select>
      </label>
      <label className="dialog-field">
        <span>As</span>
        <select
          className="text-input"
          data-testid={`choose-${name}-version`}
          value={choice.versionId}
          disabled={!known}
          onChange={(e) => onChange({ ...choice, versionId: e.target.value })}
        >
          <option value="">the board as it is now</option>
          {versions.map((version) => (
            <option key={version.id} value={version.id}>
              version “{version.name}” ({version.savedBy}, {formatSavedAt(version.savedAt)})
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
