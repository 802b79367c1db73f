/**
 * The study screen (/b/<id>/study, issue 14), for the facilitator and the
 * editors: the entries newest first, filter chips for what still needs
 * doing, a text search, editing each entry in place (a "+ Add new" type
 * without leaving for the settings), and bulk reclassification. The list
 * is virtualised — only the rows on screen are in the DOM — so 50,000
 * entries scroll as smoothly as fifty. Without a study yet, the screen is
 * the form that starts one.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import {
  ApiError,
  ENTRIES_PAGE,
  bulkReclassify,
  getBoardAccess,
  getStudy,
  getStudySummary,
  listEntries,
  patchEntry,
  saveStudySettings,
  type DemandClass,
  type EntryPatch,
  type Need,
  type StudyEntry,
  type StudySettings,
  type StudySummary,
} from '../../api';
import { formatPct } from '../../export/format';
import { classOfEntry, typesById } from '../../model/study';
import { Link } from '../../ui/Link';
import { boardPath } from '../../ui/router';
import { StudySettingsForm, defaultSettings } from './StudySettingsForm';
import './study.css';

type Loaded =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; title: string; settings: StudySettings | null };

const NEW_TYPE = '\u0000new';

const NEEDS: { need: Need; label: string }[] = [
  { need: 'classification', label: 'Needs classification' },
  { need: 'handling', label: 'Needs handling' },
  { need: 'valueLink', label: 'Needs value link' },
];

/** The entry as it reads after `patch` (null clears a field). */
function patched(entry: StudyEntry, patch: EntryPatch): StudyEntry {
  const next: Record<string, unknown> = { ...entry };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete next[key];
    else next[key] = value;
  }
  return next as unknown as StudyEntry;
}

/** Rows still to come before the end of what is loaded when the next page is asked for. */
const LOAD_AHEAD = 200;

export function StudyScreen({ boardId }: { boardId: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [editingSettings, setEditingSettings] = useState(false);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const access = await getBoardAccess(boardId);
        if (cancelled) return;
        document.title = `Demand study · ${access.title} · Purposeboard`;
        if (access.role !== 'facilitator' && access.role !== 'editor') {
          setLoaded({
            kind: 'failed',
            message: 'Only the facilitator and editors of this board see its demand study.',
          });
          return;
        }
        let settings: StudySettings | null = null;
        try {
          settings = (await getStudy(boardId)).settings ?? null;
        } catch (error) {
          if (!(error instanceof ApiError) || error.status !== 404) throw error;
        }
        if (!cancelled) setLoaded({ kind: 'ready', title: access.title, settings });
      } catch (error) {
        if (!cancelled) setLoaded({ kind: 'failed', message: (error as Error).message });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [boardId]);

  const head = (title: string) => (
    <header className="study-header">
      <Link href={boardPath(boardId)} className="back-link" data-testid="back-to-board">
        ◂ Board
      </Link>
      <h1>
        Demand study <span className="study-muted">· {title}</span>
      </h1>
    </header>
  );

  if (loaded.kind === 'loading')
    return (
      <main className="study-screen" data-testid="study-screen">
        {head('Loading…')}
        <p className="study-muted study-pad" role="status">
          Loading the study…
        </p>
      </main>
    );
  if (loaded.kind === 'failed')
    return (
      <main className="study-screen" data-testid="study-screen">
        {head('')}
        <p className="field-error study-pad" role="alert" data-testid="study-failed">
          {loaded.message}
        </p>
      </main>
    );
  const setSettings = (settings: StudySettings) => setLoaded({ ...loaded, settings });
  if (!loaded.settings || editingSettings)
    return (
      <main className="study-screen is-form" data-testid="study-screen">
        {head(loaded.title)}
        <div className="study-pad">
          <StudySettingsForm
            boardId={boardId}
            initial={loaded.settings ?? defaultSettings()}
            starting={!loaded.settings}
            onSaved={(settings) => {
              setSettings(settings);
              setEditingSettings(false);
            }}
            onCancel={loaded.settings ? () => setEditingSettings(false) : undefined}
          />
        </div>
      </main>
    );
  return (
    <main className="study-screen" data-testid="study-screen">
      {head(loaded.title)}
      <StudyEntries
        boardId={boardId}
        settings={loaded.settings}
        onSettings={setSettings}
        onEditSettings={() => setEditingSettings(true)}
      />
    </main>
  );
}

function StudyEntries({
  boardId,
  settings,
  onSettings,
  onEditSettings,
}: {
  boardId: string;
  settings: StudySettings;
  onSettings: (settings: StudySettings) => void;
  onEditSettings: () => void;
}) {
  const [entries, setEntries] = useState<StudyEntry[] | null>(null);
  const [total, setTotal] = useState(0);
  const [needCounts, setNeedCounts] = useState<Record<Need, number>>({ classification: 0, handling: 0, valueLink: 0 });
  const [summary, setSummary] = useState<StudySummary | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [need, setNeed] = useState<Need | null>(null);
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const [addingTypeFor, setAddingTypeFor] = useState<StudyEntry | null>(null);
  const [bulk, setBulk] = useState(false);
  const loading = useRef(false);
  // Each reload starts a generation: a page of an older filter arriving late is dropped.
  const generation = useRef(0);

  // Typing searches once the typing pauses, not on every key.
  useEffect(() => {
    const timer = setTimeout(() => setSearch(query.trim()), 250);
    return () => clearTimeout(timer);
  }, [query]);

  const refreshSummary = useCallback(() => {
    getStudySummary(boardId).then(setSummary, () => {});
  }, [boardId]);

  const filters = useMemo(() => ({ needs: need ?? undefined, q: search || undefined }), [need, search]);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    loading.current = true;
    listEntries(boardId, { ...filters, offset: 0, limit: ENTRIES_PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        loading.current = false;
        setEntries(page.entries);
        setTotal(page.total);
        setNeedCounts(page.needs);
        setFailure(null);
      },
      (error: Error) => {
        if (mine !== generation.current) return;
        loading.current = false;
        setFailure(error.message);
        setEntries((was) => was ?? []);
      },
    );
    refreshSummary();
  }, [boardId, filters, refreshSummary]);

  const loadMore = useCallback(() => {
    if (loading.current || !entries || entries.length >= total) return;
    const mine = generation.current;
    loading.current = true;
    listEntries(boardId, { ...filters, offset: entries.length, limit: ENTRIES_PAGE }).then(
      (page) => {
        if (mine !== generation.current) return;
        loading.current = false;
        setEntries((was) => {
          const seen = new Set((was ?? []).map((e) => e.id));
          return [...(was ?? []), ...page.entries.filter((e) => !seen.has(e.id))];
        });
        setTotal(page.total);
      },
      (error: Error) => {
        loading.current = false;
        setFailure(error.message);
      },
    );
  }, [boardId, entries, filters, total]);

  useEffect(() => {
    reload();
    // New entries arrive from the phones: coming back to the tab shows them.
    const onFocus = () => reload();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, [reload]);

  /** The chips' counts after an edit (one small request, the list stays where it is). */
  const refreshCounts = useCallback(() => {
    listEntries(boardId, { q: search || undefined, limit: 1 }).then(
      (page) => setNeedCounts(page.needs),
      () => {},
    );
  }, [boardId, search]);

  const change = useCallback(
    async (entry: StudyEntry, patch: EntryPatch) => {
      // Shown at once; the server's answer (or the old entry, on a refusal) replaces it.
      setEntries((list) => list?.map((e) => (e.id === entry.id ? patched(e, patch) : e)) ?? null);
      try {
        const saved = await patchEntry(boardId, entry.id, patch);
        if (saved && typeof saved === 'object' && 'id' in saved)
          setEntries((list) => list?.map((e) => (e.id === entry.id ? saved : e)) ?? null);
        setFailure(null);
        refreshSummary();
        refreshCounts();
      } catch (error) {
        setEntries((list) => list?.map((e) => (e.id === entry.id ? entry : e)) ?? null);
        setFailure((error as Error).message);
      }
    },
    [boardId, refreshSummary, refreshCounts],
  );

  const addType = async (name: string, demandClass: DemandClass, definition: string) => {
    const saved = await saveStudySettings(boardId, {
      ...settings,
      demandTypes: [...settings.demandTypes, { name, class: demandClass, definition: definition || undefined }],
    });
    onSettings(saved);
    // The server gave the new type its id; the entry takes it (the class follows from the type).
    const added = saved.demandTypes.find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (addingTypeFor && added) await change(addingTypeFor, { type: added.id, class: null });
    setAddingTypeFor(null);
  };

  return (
    <>
      <div className="study-toolbar">
        <div className="study-figures" data-testid="study-figures">
          <span>
            <strong data-testid="study-total">{(summary?.total ?? total).toLocaleString('en')}</strong> entries
          </span>
          <span>
            Failure demand{' '}
            <strong data-testid="study-failure-pct">
              {summary?.failureDemandPct == null ? '–' : formatPct(summary.failureDemandPct)}
            </strong>
          </span>
          <span>
            Perfect{' '}
            <strong data-testid="study-perfect-pct">
              {summary?.perfectPct == null ? '–' : formatPct(summary.perfectPct)}
            </strong>
          </span>
        </div>
        <div className="study-toolbar-actions">
          <button type="button" className="button small" onClick={reload} data-testid="study-refresh">
            Refresh
          </button>
          <button type="button" className="button small" onClick={() => setBulk(true)} data-testid="study-bulk-open">
            Reclassify…
          </button>
          <button type="button" className="button small" onClick={onEditSettings} data-testid="study-edit-settings">
            Settings
          </button>
        </div>
      </div>
      <div className="study-filters">
        <div className="study-chips" role="group" aria-label="Show only">
          {NEEDS.map(({ need: chip, label }) => (
            <button
              key={chip}
              type="button"
              className={`study-chip${need === chip ? ' is-on' : ''}`}
              aria-pressed={need === chip}
              data-testid={`study-need-${chip}`}
              onClick={() => setNeed((was) => (was === chip ? null : chip))}
            >
              {label} ({needCounts[chip].toLocaleString('en')})
            </button>
          ))}
        </div>
        <input
          type="search"
          className="text-input study-search"
          placeholder="Search the entries"
          aria-label="Search the entries"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="study-search"
        />
      </div>
      {failure && (
        <p className="field-error study-pad" role="alert" data-testid="study-error">
          {failure}
        </p>
      )}
      {entries === null ? (
        <p className="study-muted study-pad" role="status">
          Loading the entries…
        </p>
      ) : entries.length === 0 ? (
        <p className="study-muted study-pad" data-testid="study-empty">
          {need === null && !search
            ? 'No entries yet. Share the Collect demand link (Share ▾ on the board) with the people who take the calls.'
            : 'No entries match.'}
        </p>
      ) : (
        <EntryList
          entries={entries}
          total={Math.max(total, entries.length)}
          onNearEnd={loadMore}
          settings={settings}
          onChange={(entry, patch) => void change(entry, patch)}
          onAddType={setAddingTypeFor}
        />
      )}
      {addingTypeFor && (
        <AddTypeDialog
          existing={settings.demandTypes.map((t) => t.name)}
          onAdd={addType}
          onCancel={() => setAddingTypeFor(null)}
        />
      )}
      {bulk && (
        <BulkDialog
          settings={settings}
          onDone={async (fromType, toType) => {
            const answer = await bulkReclassify(boardId, fromType, toType);
            setBulk(false);
            reload();
            return answer;
          }}
          onCancel={() => setBulk(false)}
        />
      )}
    </>
  );
}

/** Row height in px: one line of controls on a wide screen, stacked on a phone. */
function useRowHeight(): number {
  const narrow = useSyncExternalStore(
    (change) => {
      const query = window.matchMedia('(max-width: 760px)');
      query.addEventListener('change', change);
      return () => query.removeEventListener('change', change);
    },
    () => window.matchMedia('(max-width: 760px)').matches,
  );
  return narrow ? 196 : 76;
}

const OVERSCAN = 6;

function EntryList({
  entries,
  total,
  onNearEnd,
  settings,
  onChange,
  onAddType,
}: {
  entries: StudyEntry[];
  /** Every entry matching the filters; those past `entries` are fetched as the list nears them. */
  total: number;
  onNearEnd: () => void;
  settings: StudySettings;
  onChange: (entry: StudyEntry, patch: EntryPatch) => void;
  onAddType: (entry: StudyEntry) => void;
}) {
  const rowHeight = useRowHeight();
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const measure = () => setView({ top: element.scrollTop, height: element.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const first = Math.max(0, Math.floor(view.top / rowHeight) - OVERSCAN);
  const last = Math.min(total, Math.ceil((view.top + view.height) / rowHeight) + OVERSCAN);
  useEffect(() => {
    if (last > entries.length - LOAD_AHEAD && entries.length < total) onNearEnd();
  }, [last, entries.length, total, onNearEnd]);
  const rows = [];
  for (let index = first; index < last; index++) {
    const entry = entries[index];
    if (!entry) {
      rows.push(
        <div
          key={`loading-${index}`}
          className="study-row-entry is-loading"
          style={{ top: index * rowHeight, height: rowHeight }}
        >
          <span className="study-muted">Loading…</span>
        </div>,
      );
      continue;
    }
    rows.push(
      <EntryRow
        key={entry.id}
        entry={entry}
        settings={settings}
        top={index * rowHeight}
        height={rowHeight}
        position={index + 1}
        setSize={total}
        onChange={onChange}
        onAddType={onAddType}
      />,
    );
  }
  return (
    <div
      className="study-list"
      ref={scroller}
      role="list"
      aria-label={`${total} entries, newest first`}
      data-testid="study-list"
      onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
    >
      <div style={{ height: total * rowHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}

function when(at: string): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return date.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function EntryRow({
  entry,
  settings,
  top,
  height,
  position,
  setSize,
  onChange,
  onAddType,
}: {
  entry: StudyEntry;
  settings: StudySettings;
  top: number;
  height: number;
  position: number;
  setSize: number;
  onChange: (entry: StudyEntry, patch: EntryPatch) => void;
  onAddType: (entry: StudyEntry) => void;
}) {
  const [editingWords, setEditingWords] = useState(false);
  const byId = useMemo(() => typesById(settings), [settings]);
  // The class the analysis counts: the type's when it has one, else the collector's choice.
  const entryClass = classOfEntry(entry, byId);
  const short = entry.verbatim.length > 40 ? `${entry.verbatim.slice(0, 40)}…` : entry.verbatim;
  const types =
    entry.class === 'value' || entry.class === 'failure'
      ? settings.demandTypes.filter((t) => t.class === entry.class || t.id === entry.type)
      : settings.demandTypes;
  const knownType = byId.has(entry.type ?? '');
  const valueTypes = settings.demandTypes.filter((t) => t.class === 'value');
  return (
    <div
      className={`study-row-entry${entryClass === 'failure' ? ' is-failure' : entryClass === 'value' ? ' is-value' : ''}`}
      role="listitem"
      aria-setsize={setSize}
      aria-posinset={position}
      style={{ top, height }}
      data-testid="study-entry"
      data-id={entry.id}
    >
      <div className="study-entry-meta">
        <span>{when(entry.at)}</span>
        <span className="study-muted">{entry.collector}</span>
      </div>
      <div className="study-entry-words">
        {editingWords ? (
          <WordsEditor
            initial={entry.verbatim}
            onCommit={(text) => {
              setEditingWords(false);
              if (text !== entry.verbatim) onChange(entry, { verbatim: text });
            }}
            onCancel={() => setEditingWords(false)}
          />
        ) : (
          <button
            type="button"
            className="study-words-button"
            title="Click to edit the customer’s words"
            onClick={() => setEditingWords(true)}
            data-testid="study-entry-words"
          >
            “{entry.verbatim}”
          </button>
        )}
      </div>
      <div className="study-entry-fields">
        <select
          className="text-input study-select"
          aria-label={`Value or failure: ${short}`}
          value={entry.type && knownType ? entryClass : (entry.class ?? '')}
          data-testid="study-entry-class"
          onChange={(e) => {
            const value = e.target.value as NonNullable<StudyEntry['class']> | '';
            const type = byId.get(entry.type ?? '');
            // A type of the other class no longer fits: it is cleared with the change.
            const keepType = !type || type.class === value;
            onChange(entry, { class: value || null, ...(keepType ? {} : { type: null }) });
          }}
        >
          <option value="">Class…</option>
          <option value="value">Value</option>
          <option value="failure">Failure</option>
          <option value="unsure">Not sure</option>
        </select>
        <select
          className="text-input study-select"
          aria-label={`Type: ${short}`}
          value={entry.type ?? ''}
          data-testid="study-entry-type"
          onChange={(e) => {
            if (e.target.value === NEW_TYPE) {
              onAddType(entry);
              return;
            }
            // The class follows from the type (the server refuses a class that contradicts it).
            onChange(entry, e.target.value ? { type: e.target.value, class: null } : { type: null });
          }}
        >
          <option value="">Type…</option>
          {!knownType && entry.type && <option value={entry.type}>{entry.type}</option>}
          {types.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
          <option value={NEW_TYPE}>+ Add new…</option>
        </select>
        <select
          className="text-input study-select"
          aria-label={`Handling: ${short}`}
          value={entry.handling ?? ''}
          data-testid="study-entry-handling"
          onChange={(e) => onChange(entry, { handling: e.target.value || null })}
        >
          <option value="">Handling…</option>
          {settings.handlingTypes.map((h) => (
            <option key={h.name} value={h.name}>
              {h.name}
            </option>
          ))}
        </select>
        {entryClass === 'failure' ? (
          <select
            className="text-input study-select"
            aria-label={`Stems from which value demand: ${short}`}
            value={entry.valueDemandType ?? ''}
            data-testid="study-entry-value-link"
            onChange={(e) => onChange(entry, { valueDemandType: e.target.value || null })}
          >
            <option value="">Stems from…</option>
            {valueTypes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="study-select-gap" />
        )}
        {entryClass === 'failure' ? (
          // Keyed by the stored cause: a change from elsewhere starts the field afresh.
          <CauseField key={entry.cause ?? ''} entry={entry} short={short} onChange={onChange} />
        ) : (
          <span className="study-select-gap" />
        )}
      </div>
    </div>
  );
}

function CauseField({
  entry,
  short,
  onChange,
}: {
  entry: StudyEntry;
  short: string;
  onChange: (entry: StudyEntry, patch: EntryPatch) => void;
}) {
  const [value, setValue] = useState(entry.cause ?? '');
  const commit = () => {
    const next = value.trim();
    if (next !== (entry.cause ?? '')) onChange(entry, { cause: next || null });
  };
  return (
    <input
      className="text-input study-select"
      aria-label={`Cause: ${short}`}
      placeholder="Cause…"
      value={value}
      onChange={(e) => setValue(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit();
      }}
    />
  );
}

function WordsEditor({
  initial,
  onCommit,
  onCancel,
}: {
  initial: string;
  onCommit: (text: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const commit = () => {
    const text = value.trim();
    if (!text) return setProblem('The customer’s words cannot be empty.');
    if (text.length > 2000) return setProblem('At most 2,000 characters.');
    onCommit(text);
  };
  return (
    <>
      <textarea
        className="text-input study-words-editor"
        aria-label="The customer’s words"
        aria-invalid={problem !== null}
        autoFocus
        rows={2}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onCancel();
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            commit();
          }
        }}
      />
      {problem && <span className="field-error">{problem}</span>}
    </>
  );
}

function AddTypeDialog({
  existing,
  onAdd,
  onCancel,
}: {
  existing: string[];
  onAdd: (name: string, demandClass: DemandClass, definition: string) => Promise<void>;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const [demandClass, setDemandClass] = useState<DemandClass>('failure');
  const [definition, setDefinition] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const clean = name.trim();
    if (!clean) return setProblem('Give the new type a name.');
    if (existing.some((t) => t.toLowerCase() === clean.toLowerCase()))
      return setProblem(`“${clean}” is already a type.`);
    setBusy(true);
    try {
      await onAdd(clean, demandClass, definition.trim());
    } catch (error) {
      setProblem((error as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <form
        className="dialog study-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="study-add-type-title"
        onSubmit={(e) => void submit(e)}
        data-testid="study-add-type-dialog"
      >
        <h2 id="study-add-type-title">New demand type</h2>
        <label className="study-block">
          Name
          <input
            className="text-input"
            autoFocus
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="study-new-type-name"
          />
        </label>
        <fieldset className="study-fieldset">
          <legend>Value or failure</legend>
          {(['value', 'failure'] as const).map((c) => (
            <label key={c} className="study-inline">
              <input
                type="radio"
                name="new-type-class"
                checked={demandClass === c}
                onChange={() => setDemandClass(c)}
              />
              {c === 'value' ? 'Value' : 'Failure'}
            </label>
          ))}
        </fieldset>
        <label className="study-block">
          Definition (optional)
          <input className="text-input" value={definition} onChange={(e) => setDefinition(e.target.value)} />
        </label>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <div className="study-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy} data-testid="study-new-type-save">
            Add the type
          </button>
        </div>
      </form>
    </div>
  );
}

function BulkDialog({
  settings,
  onDone,
  onCancel,
}: {
  settings: StudySettings;
  onDone: (fromType: string, toType: string) => Promise<unknown>;
  onCancel: () => void;
}) {
  const names = settings.demandTypes.map((t) => t.name);
  const [fromType, setFromType] = useState(names[0] ?? '');
  const [toType, setToType] = useState(names[1] ?? names[0] ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!fromType || !toType) return setProblem('Choose both types.');
    if (fromType === toType) return setProblem('Choose two different types.');
    setBusy(true);
    try {
      await onDone(fromType, toType);
    } catch (error) {
      setProblem((error as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <form
        className="dialog study-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="study-bulk-title"
        onSubmit={(e) => void submit(e)}
        data-testid="study-bulk-dialog"
      >
        <h2 id="study-bulk-title">Reclassify entries</h2>
        <p className="study-muted">Every entry of the first type becomes the second type (and takes its class).</p>
        <label className="study-block">
          All entries of type
          <select
            className="text-input"
            value={fromType}
            onChange={(e) => setFromType(e.target.value)}
            data-testid="study-bulk-from"
          >
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="study-block">
          become type
          <select
            className="text-input"
            value={toType}
            onChange={(e) => setToType(e.target.value)}
            data-testid="study-bulk-to"
          >
            {names.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        {problem && (
          <p className="field-error" role="alert">
            {problem}
          </p>
        )}
        <div className="study-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy} data-testid="study-bulk-save">
            Reclassify
          </button>
        </div>
      </form>
    </div>
  );
}
