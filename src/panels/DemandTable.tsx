/**
 * The demand table: every demand type on the board as a row, edited in place,
 * with fast capture at the bottom (type, Tab, Enter) and paste from a
 * spreadsheet (words, class, count, predictable). Every change goes through a
 * model operation, so the cards on the canvas and everyone else's table follow.
 */
import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
  type RefObject,
} from 'react';
import type * as Y from 'yjs';
import {
  BoardOperationError,
  addDemand,
  addDemandRows,
  deleteElements,
  nextDemandPosition,
  nodesMap,
  parseDemandRows,
  readPeriod,
  updateDemand,
  type DemandClass,
  type DemandRowError,
} from '../model';
import { useBoard, useBoardState } from '../collab/board-context';
import { canEditNow } from '../collab/board-store';
import { refusalMessage, usePeriodDraft } from './use-period-draft';
import './dialogs.css';
import { DemandCsvReportView, useDemandCsvImport } from './DemandCsvImport';
import { parseRoute } from '../ui/router';
import { useBoardActions } from '../canvas/board-actions';
import { DEMAND_SIZE } from '../collab/binding';

export interface DemandTableRow {
  id: string;
  words: string;
  demandClass: DemandClass | null;
  count: number | null;
  predictable: boolean;
}

/** The demand rows of a board, top to bottom as the cards stand on the canvas. */
export function readDemandTable(doc: Y.Doc): DemandTableRow[] {
  const rows: (DemandTableRow & { x: number; y: number })[] = [];
  nodesMap(doc).forEach((node, id) => {
    if (node.get('kind') !== 'demand') return;
    const demandClass = node.get('demandClass');
    const count = node.get('count');
    const x = node.get('x');
    const y = node.get('y');
    rows.push({
      id,
      words: String(node.get('words') ?? ''),
      demandClass: demandClass === 'value' || demandClass === 'failure' ? demandClass : null,
      count: typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null,
      predictable: node.get('predictable') === true,
      x: typeof x === 'number' ? x : 0,
      y: typeof y === 'number' ? y : 0,
    });
  });
  rows.sort((a, b) => a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows.map(({ id, words, demandClass, count, predictable }) => ({
    id,
    words,
    demandClass,
    count,
    predictable,
  }));
}

/** A count as typed ("1,200" is fine): a whole number of 0 or more, or the reason it is not one. */
export function parseCount(text: string): { ok: true; count: number } | { ok: false; error: string } {
  const cleaned = text.trim().replace(/[\s,]/g, '');
  const count = Number(cleaned);
  if (cleaned === '' || !/^\d+$/.test(cleaned) || !Number.isSafeInteger(count)) {
    return {
      ok: false,
      error: `Count must be a whole number of 0 or more${text.trim() ? `, not "${text.trim()}"` : ''}`,
    };
  }
  return { ok: true, count };
}

export interface DemandTotals {
  total: number;
  failure: number;
  /** Failure demand as a share of all demand, or null when there is none. */
  failurePct: number | null;
}

export function demandTotals(rows: DemandTableRow[]): DemandTotals {
  let total = 0;
  let failure = 0;
  for (const row of rows) {
    if (row.count === null || row.demandClass === null) continue;
    total += row.count;
    if (row.demandClass === 'failure') failure += row.count;
  }
  return { total, failure, failurePct: total > 0 ? (failure * 100) / total : null };
}

/** 55%, 0.7%, 100%: whole numbers from 10% up, one decimal below. */
export function formatPct(pct: number | null): string {
  if (pct === null) return '—';
  const rounded = pct >= 10 || pct === 0 ? Math.round(pct) : Math.round(pct * 10) / 10;
  return `${rounded}%`;
}

/**
 * Whether pasted text is demand rows rather than text for one field: more
 * than one line or a tab always is; one comma-separated line is only when it
 * reads as a complete, valid row (a customer's words may hold commas).
 */
export function isRowsPaste(text: string): boolean {
  const trimmed = text.replace(/\r\n?/g, '\n').replace(/\n+$/, '');
  if (trimmed.includes('\n') || trimmed.includes('\t')) return true;
  if (!trimmed.includes(',')) return false;
  const { rows, errors } = parseDemandRows(trimmed);
  return rows.length === 1 && errors.length === 0;
}

function useDocVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    doc.on('update', bump);
    return () => doc.off('update', bump);
  }, [doc]);
  return version;
}

export function DemandTable({ onClose }: { onClose: () => void }) {
  const { doc } = useBoard();
  const { showPlaced } = useBoardActions();
  const canEdit = useBoardState(canEditNow);
  const route = parseRoute(window.location.pathname);
  const demandImport = useDemandCsvImport(route.screen === 'board' ? route.boardId : '');
  // Re-read on every document change: a few dozen rows, cheap, and always what the board says.
  useDocVersion(doc);
  const rows = readDemandTable(doc);
  const totals = demandTotals(rows);
  const [pasteReport, setPasteReport] = useState<{ added: number; errors: DemandRowError[] } | null>(null);
  const newWordsRef = useRef<HTMLInputElement>(null);
  // Shown under the table, where the sticky totals row cannot cover it.
  const [newError, setNewError] = useState<FieldError | null>(null);

  useEffect(() => {
    newWordsRef.current?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
    // The board's shortcuts (Delete, S, N…) must not act on the canvas behind the table.
    event.stopPropagation();
  };

  const onPaste = (event: ClipboardEvent) => {
    const text = event.clipboardData.getData('text/plain');
    if (!text || !isRowsPaste(text)) return;
    event.preventDefault();
    const { rows: good, errors } = parseDemandRows(text);
    try {
      const first = nextDemandPosition(doc);
      addDemandRows(doc, good);
      setPasteReport({ added: good.length, errors });
      // The new cards stand in the demand column below the others: the map behind shows them.
      if (good.length > 0) showPlaced(first, DEMAND_SIZE);
    } catch (error) {
      setPasteReport({ added: 0, errors: [{ line: 0, message: refusalMessage(error) }] });
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog wide-dialog demand-table-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="demand-table-title"
        data-testid="demand-table"
        onKeyDown={onKeyDown}
        onPaste={onPaste}
      >
        <div className="wide-dialog-head">
          <h2 id="demand-table-title">Demand</h2>
          <fieldset className="read-only-fields" disabled={!canEdit}>
            <PeriodField doc={doc} />
          </fieldset>
          <button
            type="button"
            className="button subtle close-button"
            aria-label="Close the demand table"
            data-testid="demand-table-close"
            onClick={onClose}
          >
            ✕
          </button>
        </div>
        {canEdit ? (
          <p className="dialog-hint">
            What customers ask for, in their words, counted over the period. Type a row at the bottom (Tab between
            fields, Enter to add) or paste rows from a spreadsheet: <em>words, class, count, predictable</em>.{' '}
            {demandImport.fileInput}
            <button
              type="button"
              className="button subtle small"
              data-testid="demand-import-csv"
              disabled={demandImport.busy}
              title="Add the rows of a CSV file with a header line: words, class, count, predictable"
              onClick={demandImport.choose}
            >
              {demandImport.busy ? 'Importing…' : 'Import demand (CSV)…'}
            </button>
          </p>
        ) : (
          <p className="dialog-hint" data-testid="demand-read-only">
            What customers ask for, in their words, counted over the period. View only: you can read the table, not
            change it.
          </p>
        )}
        {demandImport.report && <DemandCsvReportView report={demandImport.report} onDismiss={demandImport.dismiss} />}
        {pasteReport && (
          <div
            className={`paste-report${pasteReport.errors.length > 0 ? ' has-errors' : ''}`}
            role="status"
            data-testid="demand-paste-report"
          >
            <p>
              {pasteReport.added === 1 ? 'Added 1 row' : `Added ${pasteReport.added} rows`} from the paste
              {pasteReport.errors.length > 0
                ? `; ${pasteReport.errors.length === 1 ? '1 line was' : `${pasteReport.errors.length} lines were`} left out:`
                : '.'}
            </p>
            {pasteReport.errors.length > 0 && (
              <ul className="error-list" data-testid="demand-paste-errors">
                {pasteReport.errors.map((error) => (
                  <li key={`${error.line}:${error.message}`}>{error.message}</li>
                ))}
              </ul>
            )}
            <button type="button" className="button subtle small" onClick={() => setPasteReport(null)}>
              Dismiss
            </button>
          </div>
        )}
        <fieldset className="read-only-fields table-scroll" disabled={!canEdit}>
          <table className="demand-grid">
            <thead>
              <tr>
                <th scope="col" className="col-words">
                  Customer’s words
                </th>
                <th scope="col" className="col-class">
                  Class
                </th>
                <th scope="col" className="col-count">
                  Count
                </th>
                <th scope="col" className="col-predictable">
                  Predictable
                </th>
                <th scope="col" className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <DemandRowView key={row.id} row={row} doc={doc} />
              ))}
              {canEdit && <NewDemandRow doc={doc} wordsRef={newWordsRef} error={newError} setError={setNewError} />}
            </tbody>
            <tfoot>
              <tr className="totals-row">
                <th scope="row" colSpan={2}>
                  Total{' '}
                  <span className="totals-failure" data-testid="demand-failure-pct">
                    · failure demand {formatPct(totals.failurePct)}
                  </span>
                </th>
                <td className="number" data-testid="demand-total">
                  {totals.total.toLocaleString('en-GB')}
                </td>
                <td colSpan={2} />
              </tr>
            </tfoot>
          </table>
        </fieldset>
        {newError && (
          <p id="demand-new-error" className="field-error" role="alert" data-testid="demand-new-error">
            New row: {newError.message}
          </p>
        )}
      </div>
    </div>
  );
}

function PeriodField({ doc }: { doc: Y.Doc }) {
  const stored = readPeriod(doc) ?? '';
  const { draft, setDraft, error, setError, commit } = usePeriodDraft(doc);

  return (
    <div className="period-field">
      <label htmlFor="demand-period">Counted over</label>
      <input
        id="demand-period"
        className="text-input"
        data-testid="demand-period"
        placeholder="one week"
        value={draft ?? stored}
        maxLength={200}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'demand-period-error' : undefined}
        onChange={(e) => {
          setDraft(e.target.value);
          setError(null);
        }}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      {error && (
        <span id="demand-period-error" className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function DemandRowView({ row, doc }: { row: DemandTableRow; doc: Y.Doc }) {
  const [words, setWords] = useState<string | null>(null);
  const [count, setCount] = useState<string | null>(null);
  const [error, setError] = useState<{ field: string; message: string } | null>(null);

  const apply = (field: string, change: () => void): boolean => {
    try {
      change();
      setError(null);
      return true;
    } catch (e) {
      setError({ field, message: refusalMessage(e) });
      return false;
    }
  };

  const commitWords = () => {
    if (words === null) return;
    if (words.trim() === row.words) {
      setWords(null);
      return;
    }
    if (apply('words', () => updateDemand(doc, row.id, { words }))) setWords(null);
  };
  const commitCount = () => {
    if (count === null) return;
    const parsed = parseCount(count);
    if (!parsed.ok) {
      setError({ field: 'count', message: parsed.error });
      return;
    }
    if (apply('count', () => updateDemand(doc, row.id, { count: parsed.count }))) setCount(null);
  };
  const enterCommits = (commit: () => void, cancel: () => void) => (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    } else if (event.key === 'Escape' && (words !== null || count !== null)) {
      // The first Escape drops the edit; the next one closes the table.
      event.preventDefault();
      event.stopPropagation();
      cancel();
      setError(null);
    }
  };
  const label = row.words || 'this demand';

  return (
    <>
      <tr
        className={`demand-row is-${row.demandClass ?? 'unclassed'}`}
        data-testid="demand-row"
        data-demand-id={row.id}
      >
        <td>
          <input
            className="cell-input"
            aria-label={`Customer’s words of “${label}”`}
            data-testid="demand-row-words"
            value={words ?? row.words}
            maxLength={500}
            aria-invalid={error?.field === 'words' ? true : undefined}
            aria-describedby={error?.field === 'words' ? `demand-row-error-${row.id}` : undefined}
            onChange={(e) => setWords(e.target.value)}
            onBlur={commitWords}
            onKeyDown={enterCommits(commitWords, () => setWords(null))}
          />
        </td>
        <td>
          <select
            className="cell-input"
            aria-label={`Class of “${label}”`}
            data-testid="demand-row-class"
            value={row.demandClass ?? ''}
            onChange={(e) =>
              apply('demandClass', () => updateDemand(doc, row.id, { demandClass: e.target.value as DemandClass }))
            }
          >
            {row.demandClass === null && <option value="">—</option>}
            <option value="value">✓ value</option>
            <option value="failure">⚠ failure</option>
          </select>
        </td>
        <td>
          <input
            className="cell-input number"
            inputMode="numeric"
            aria-label={`Count of “${label}”`}
            data-testid="demand-row-count"
            value={count ?? (row.count === null ? '' : String(row.count))}
            aria-invalid={error?.field === 'count' ? true : undefined}
            aria-describedby={error?.field === 'count' ? `demand-row-error-${row.id}` : undefined}
            onChange={(e) => {
              setCount(e.target.value);
              if (error?.field === 'count') setError(null);
            }}
            onBlur={commitCount}
            onKeyDown={enterCommits(commitCount, () => setCount(null))}
          />
        </td>
        <td className="center">
          <input
            type="checkbox"
            aria-label={`“${label}” is predictable`}
            data-testid="demand-row-predictable"
            checked={row.predictable}
            onChange={(e) => apply('predictable', () => updateDemand(doc, row.id, { predictable: e.target.checked }))}
          />
        </td>
        <td className="center">
          <button
            type="button"
            className="button subtle small danger"
            aria-label={`Delete “${label}”`}
            title="Delete this demand (undo brings it back)"
            data-testid="demand-row-delete"
            onClick={() => apply('delete', () => deleteElements(doc, { nodeIds: [row.id] }))}
          >
            ✕
          </button>
        </td>
      </tr>
      {error && (
        <tr className="row-error">
          <td id={`demand-row-error-${row.id}`} colSpan={5} role="alert" data-testid="demand-row-error">
            {error.message}
          </td>
        </tr>
      )}
    </>
  );
}

interface FieldError {
  field: string;
  message: string;
}

function NewDemandRow({
  doc,
  wordsRef,
  error,
  setError,
}: {
  doc: Y.Doc;
  wordsRef: RefObject<HTMLInputElement | null>;
  error: FieldError | null;
  setError: (error: FieldError | null) => void;
}) {
  const { showPlaced } = useBoardActions();
  const [words, setWords] = useState('');
  const [demandClass, setDemandClass] = useState<DemandClass>('value');
  const [count, setCount] = useState('');
  const [predictable, setPredictable] = useState(true);

  const commit = useCallback(() => {
    if (!words.trim()) {
      setError({ field: 'words', message: 'Write what the customer said first.' });
      wordsRef.current?.focus();
      return;
    }
    const parsed = parseCount(count);
    if (!parsed.ok) {
      setError({ field: 'count', message: parsed.error });
      return;
    }
    try {
      const position = nextDemandPosition(doc);
      addDemand(doc, { words, demandClass, count: parsed.count, predictable, position });
      showPlaced(position, DEMAND_SIZE);
    } catch (e) {
      setError({
        field: e instanceof BoardOperationError ? (e.field ?? 'words') : 'words',
        message: refusalMessage(e),
      });
      return;
    }
    // Class and predictable stay as they were: a run of failure demand is typed one after another.
    setWords('');
    setCount('');
    setError(null);
    wordsRef.current?.focus();
  }, [doc, words, demandClass, count, predictable, wordsRef, setError, showPlaced]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
    }
  };

  return (
    <>
      <tr className="new-demand-row" onKeyDown={onKeyDown}>
        <td>
          <input
            ref={wordsRef}
            className="cell-input"
            aria-label="New demand: the customer’s words"
            placeholder="New demand, in the customer’s words…"
            data-testid="demand-new-words"
            value={words}
            maxLength={500}
            aria-invalid={error?.field === 'words' ? true : undefined}
            aria-describedby={error?.field === 'words' ? 'demand-new-error' : undefined}
            onChange={(e) => {
              setWords(e.target.value);
              if (error?.field === 'words') setError(null);
            }}
          />
        </td>
        <td>
          <select
            className="cell-input"
            aria-label="New demand: class"
            data-testid="demand-new-class"
            value={demandClass}
            onChange={(e) => setDemandClass(e.target.value as DemandClass)}
          >
            <option value="value">✓ value</option>
            <option value="failure">⚠ failure</option>
          </select>
        </td>
        <td>
          <input
            className="cell-input number"
            inputMode="numeric"
            aria-label="New demand: count"
            placeholder="0"
            data-testid="demand-new-count"
            value={count}
            aria-invalid={error?.field === 'count' ? true : undefined}
            aria-describedby={error?.field === 'count' ? 'demand-new-error' : undefined}
            onChange={(e) => {
              setCount(e.target.value);
              if (error?.field === 'count') setError(null);
            }}
          />
        </td>
        <td className="center">
          <input
            type="checkbox"
            aria-label="New demand: predictable"
            data-testid="demand-new-predictable"
            checked={predictable}
            onChange={(e) => setPredictable(e.target.checked)}
          />
        </td>
        <td className="center">
          <button type="button" className="button small" data-testid="demand-new-add" onClick={commit}>
            Add
          </button>
        </td>
      </tr>
    </>
  );
}
