/**
 * The capture page a collector opens from the Collect demand link
 * (/collect/<token>, issue 14): a phone form, not the board. Built for a
 * 360 px screen and thumbs: only the verbatim is required, everything else
 * is one tap (or left for later). Saving puts the entry in the phone's
 * outbox (capture-queue.ts) and clears the form; Undo of the last entry is
 * offered for a few seconds. It keeps working offline: the page and the
 * study's lists are kept on the phone, the entries wait and go when the
 * network is back, and a turned-off link keeps them and says why.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { nanoid } from 'nanoid';
import {
  ApiError,
  MAX_VERBATIM,
  deleteEntry,
  getCaptureSettings,
  joinBoard,
  sendDisplayName,
  sendEntries,
  type CaptureSettings,
  type EntryClass,
  type NewStudyEntry,
  type StudySettings,
} from '../../api';
import { MAX_NAME_LENGTH, cleanName, loadName, saveName } from '../../collab/presence';
import { localDay } from '../../model/study';
import { CaptureQueue, describeQueue, queueKey } from './capture-queue';
import './study.css';

const UNDO_FOR_MS = 8000;
const RETRY_EVERY_MS = 10_000;

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The study's lists and board, kept per link so the page opens offline after one visit. */
const sessionKey = (place: string) => `purposeboard.study.collect.${place}`;

function loadSession(place: string): CaptureSettings | null {
  try {
    const raw = localStore()?.getItem(sessionKey(place));
    const parsed = raw ? (JSON.parse(raw) as CaptureSettings) : null;
    return parsed && typeof parsed.boardId === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function saveSession(place: string, session: CaptureSettings): void {
  try {
    localStore()?.setItem(sessionKey(place), JSON.stringify(session));
  } catch {
    // Not kept: the page needs the network to open next time.
  }
}

/** Why the page cannot take entries, in plain words; null while it can. */
type LinkState = { kind: 'opening' } | { kind: 'ready' } | { kind: 'off'; message: string };

export function CapturePage({ token, boardId }: { token: string | null; boardId: string | null }) {
  // Kept per link, or per board when opened from the board list.
  const place = token ?? `board:${boardId}`;
  const [session, setSession] = useState<CaptureSettings | null>(() => loadSession(place));
  const [link, setLink] = useState<LinkState>({ kind: 'opening' });
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Collect demand · Purposeboard';
    let cancelled = false;
    (async () => {
      try {
        const board = token ? (await joinBoard(token)).boardId : boardId;
        if (!board) throw new ApiError('This address does not name a board.', 404);
        const fresh = await getCaptureSettings(board);
        if (cancelled) return;
        const next = { ...fresh, boardId: fresh.boardId ?? board };
        saveSession(place, next);
        setSession(next);
        setLink({ kind: 'ready' });
      } catch (error) {
        if (cancelled) return;
        const apiError = error as ApiError;
        // Offline with the lists kept from an earlier visit: capture goes on, the entries wait.
        if (apiError.status === 0) setLink({ kind: 'ready' });
        else setLink({ kind: 'off', message: apiError.message });
        setFailure(apiError.message);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [token, boardId, place]);

  if (!session) {
    if (link.kind === 'opening')
      return (
        <main className="capture-page" data-testid="capture-opening">
          <h1>Opening the demand study…</h1>
        </main>
      );
    return (
      <main className="capture-page" data-testid="capture-failed">
        <h1>This link does not open a demand study</h1>
        <p data-testid="capture-failed-message">{failure}</p>
        <p>Ask the facilitator for the Collect demand link.</p>
      </main>
    );
  }
  if (!session.study)
    return (
      <main className="capture-page" data-testid="capture-no-study">
        <h1>Collect demand</h1>
        <p className="capture-board">{session.title}</p>
        <p>This board has no demand study yet. When the facilitator starts it, reload this page.</p>
      </main>
    );
  return <CaptureForm key={session.boardId} session={session} settings={session.study} link={link} />;
}

function useQueue(boardId: string): CaptureQueue {
  const queue = useMemo(
    () => new CaptureQueue(localStore(), queueKey(boardId), (entries) => sendEntries(boardId, entries)),
    [boardId],
  );
  // Send whenever the network may be back: at once, on the browser's "online", and every few seconds.
  useEffect(() => {
    void queue.flush();
    const retry = () => void queue.flush();
    window.addEventListener('online', retry);
    const timer = setInterval(() => {
      if (queue.state().waiting > 0) retry();
    }, RETRY_EVERY_MS);
    return () => {
      window.removeEventListener('online', retry);
      clearInterval(timer);
    };
  }, [queue]);
  return queue;
}

interface Draft {
  verbatim: string;
  class?: EntryClass;
  type?: string;
  handling?: string;
  contactMethod?: string;
  point?: string;
  whatMattersCategory?: string;
  whatMattersNote: string;
  valueDemandType?: string;
  cause: string;
}

function emptyDraft(settings: StudySettings): Draft {
  return {
    verbatim: '',
    contactMethod: settings.defaultContactMethod,
    whatMattersNote: '',
    cause: '',
  };
}

/** Checks the verbatim on the phone, in the words the collector reads; null when it can be saved. */
export function verbatimProblem(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed) return 'Write what the customer asked for, in their own words.';
  if (trimmed.length > MAX_VERBATIM)
    return `That is ${trimmed.length.toLocaleString('en')} characters; at most ${MAX_VERBATIM.toLocaleString('en')} fit. Shorten it.`;
  return null;
}

/**
 * The phone's local time with its offset ("2026-03-02T09:15:00+01:00"): an
 * entry's day is the date written in it, so it must be the phone's own
 * calendar day, not UTC's (a call at 00:30 in Madrid is that day's call).
 */
export function localTimestamp(date = new Date()): string {
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${localDay(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`
  );
}

function CaptureForm({
  session,
  settings,
  link,
}: {
  session: CaptureSettings;
  settings: StudySettings;
  link: LinkState;
}) {
  const { boardId } = session;
  const queue = useQueue(boardId);
  const queueState = useSyncExternalStore(queue.subscribe, queue.state);
  const [name, setName] = useState(() => loadName(localStore()) || session.collector || '');
  const [editingName, setEditingName] = useState(() => !(loadName(localStore()) || session.collector));
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(settings));
  const [problem, setProblem] = useState<string | null>(null);
  const [lastSaved, setLastSaved] = useState<{ id: string; at: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const verbatimRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (!lastSaved) return;
    const timer = setTimeout(() => setLastSaved(null), UNDO_FOR_MS);
    return () => clearTimeout(timer);
  }, [lastSaved]);

  const set = useCallback(<K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((was) => ({ ...was, [key]: value }));
  }, []);

  const saveNameNow = (event: FormEvent) => {
    event.preventDefault();
    const clean = cleanName(name);
    if (!clean) return;
    saveName(localStore(), clean);
    setName(clean);
    setEditingName(false);
    void sendDisplayName(clean).catch(() => {});
    verbatimRef.current?.focus();
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const why = verbatimProblem(draft.verbatim);
    if (why) {
      setProblem(why);
      verbatimRef.current?.focus();
      return;
    }
    const entry: NewStudyEntry = {
      id: nanoid(),
      verbatim: draft.verbatim.trim(),
      // The phone's time: an entry sent hours later still counts on the day of the call.
      at: localTimestamp(),
      collector: cleanName(name) || undefined,
    };
    if (draft.class) entry.class = draft.class;
    if (draft.type) entry.type = draft.type;
    if (draft.handling) entry.handling = draft.handling;
    if (draft.contactMethod) entry.contactMethod = draft.contactMethod;
    if (draft.point) entry.point = draft.point;
    if (draft.whatMattersCategory || draft.whatMattersNote.trim())
      entry.whatMatters = {
        ...(draft.whatMattersCategory ? { category: draft.whatMattersCategory } : {}),
        ...(draft.whatMattersNote.trim() ? { note: draft.whatMattersNote.trim() } : {}),
      };
    if (draft.class === 'failure' && draft.valueDemandType) entry.valueDemandType = draft.valueDemandType;
    if (draft.class === 'failure' && draft.cause.trim()) entry.cause = draft.cause.trim();
    queue.add(entry);
    void queue.flush();
    setProblem(null);
    setNotice(null);
    setDraft(emptyDraft(settings));
    setLastSaved({ id: entry.id, at: Date.now() });
    verbatimRef.current?.focus();
  };

  const undo = async () => {
    if (!lastSaved) return;
    const { id } = lastSaved;
    setLastSaved(null);
    try {
      if (await queue.takeBack(id)) {
        setNotice('The last entry was taken back before it was sent.');
        return;
      }
      await deleteEntry(boardId, id);
      setNotice('The last entry was taken back.');
    } catch (error) {
      setNotice(`The last entry could not be taken back: ${(error as Error).message}`);
    }
  };

  const capture = settings.capture;
  const valueTypes = settings.demandTypes.filter((t) => t.class === 'value');
  const typeChoices =
    draft.class === 'value' || draft.class === 'failure'
      ? settings.demandTypes.filter((t) => t.class === draft.class)
      : settings.demandTypes;
  const day = localDay();
  const outside = day < settings.start || day > settings.end;
  const statusText = describeQueue(queueState);
  const linkOff = link.kind === 'off' || queueState.problem?.kind === 'refused';
  const linkOffMessage =
    link.kind === 'off' ? link.message : queueState.problem?.kind === 'refused' ? queueState.problem.message : '';
  const length = draft.verbatim.trim().length;

  return (
    <main className="capture-page" data-testid="capture-page">
      <header className="capture-head">
        <h1>Collect demand</h1>
        <p className="capture-board" data-testid="capture-board-title">
          {session.title}
        </p>
      </header>

      <p
        className={`capture-status${queueState.waiting > 0 ? ' is-waiting' : ' is-sent'}`}
        role="status"
        aria-live="polite"
        data-testid="capture-queue-status"
      >
        {statusText}
      </p>

      {linkOff && (
        <div className="capture-alert" role="alert" data-testid="capture-link-off">
          <strong>Entries cannot be sent with this link.</strong> {linkOffMessage}{' '}
          {queueState.waiting > 0 &&
            `The ${queueState.waiting} waiting ${queueState.waiting === 1 ? 'entry stays' : 'entries stay'} on this phone: open the new Collect demand link from the facilitator and they go.`}
        </div>
      )}
      {outside && (
        <p className="capture-alert is-warning" data-testid="capture-outside">
          The study runs from {settings.start} to {settings.end}; today is outside it, so the server will refuse
          today&apos;s entries.
        </p>
      )}

      {editingName ? (
        <form className="capture-name" onSubmit={saveNameNow} data-testid="capture-name-form">
          <label htmlFor="capture-name">Your name (shown to the team with your entries)</label>
          <div className="capture-row">
            <input
              id="capture-name"
              className="capture-input"
              autoComplete="name"
              maxLength={MAX_NAME_LENGTH}
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="capture-name"
            />
            <button
              type="submit"
              className="button primary capture-small-button"
              disabled={!cleanName(name)}
              data-testid="capture-name-save"
            >
              Save name
            </button>
          </div>
        </form>
      ) : (
        <p className="capture-who">
          Collecting as <strong data-testid="capture-collector">{name}</strong>{' '}
          <button type="button" className="button subtle capture-link-button" onClick={() => setEditingName(true)}>
            Change
          </button>
        </p>
      )}

      <form className="capture-form" onSubmit={save} noValidate aria-label="New entry">
        <label htmlFor="capture-verbatim" className="capture-label">
          What did the customer ask for? <span className="capture-muted">In their words</span>
        </label>
        <textarea
          id="capture-verbatim"
          ref={verbatimRef}
          className="capture-input capture-verbatim"
          rows={4}
          value={draft.verbatim}
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'capture-problem' : 'capture-count'}
          placeholder="I called last week about my boiler and nobody came"
          onChange={(e) => {
            set('verbatim', e.target.value);
            if (problem) setProblem(null);
          }}
          data-testid="capture-verbatim"
        />
        <div className="capture-under">
          {problem ? (
            <p id="capture-problem" className="field-error" role="alert" data-testid="capture-problem">
              {problem}
            </p>
          ) : (
            <span />
          )}
          <span
            id="capture-count"
            className={`capture-count${length > MAX_VERBATIM ? ' is-over' : ''}`}
            aria-label={`${length} of ${MAX_VERBATIM} characters`}
          >
            {length.toLocaleString('en')}/{MAX_VERBATIM.toLocaleString('en')}
          </span>
        </div>

        {capture.classification && (
          <Choices
            legend="Value or failure?"
            name="class"
            value={draft.class}
            options={[
              { value: 'value', label: 'Value' },
              { value: 'failure', label: 'Failure' },
              { value: 'unsure', label: 'Not sure' },
            ]}
            onChange={(value) => {
              setDraft((was) => {
                const keepType = settings.demandTypes.some(
                  (t) => t.id === was.type && (value === undefined || value === 'unsure' || t.class === value),
                );
                return { ...was, class: value as EntryClass | undefined, type: keepType ? was.type : undefined };
              });
            }}
          />
        )}
        {capture.classification && typeChoices.length > 0 && (
          <Choices
            legend="Type"
            name="type"
            value={draft.type}
            options={typeChoices.map((t) => ({ value: t.id, label: t.name, hint: t.definition }))}
            onChange={(value) => {
              const type = settings.demandTypes.find((t) => t.id === value);
              setDraft((was) => ({
                ...was,
                type: value,
                // Choosing a type says its class too: one tap, not two.
                class: type && (was.class === undefined || was.class === 'unsure') ? type.class : was.class,
              }));
            }}
          />
        )}
        {capture.valueLinking && draft.class === 'failure' && valueTypes.length > 0 && (
          <Choices
            legend="It stems from which value demand?"
            name="value-link"
            value={draft.valueDemandType}
            options={valueTypes.map((t) => ({ value: t.id, label: t.name }))}
            onChange={(value) => set('valueDemandType', value)}
          />
        )}
        {capture.valueLinking && draft.class === 'failure' && (
          <div className="capture-field">
            <label htmlFor="capture-cause" className="capture-label">
              Cause <span className="capture-muted">(optional)</span>
            </label>
            <input
              id="capture-cause"
              className="capture-input"
              value={draft.cause}
              onChange={(e) => set('cause', e.target.value)}
              data-testid="capture-cause"
            />
          </div>
        )}
        {capture.handling && settings.handlingTypes.length > 0 && (
          <Choices
            legend="How was it handled?"
            name="handling"
            value={draft.handling}
            options={settings.handlingTypes.map((h) => ({
              value: h.name,
              label: h.name,
              hint: h.oneStop ? 'One stop: dealt with at the first contact' : undefined,
            }))}
            onChange={(value) => set('handling', value)}
          />
        )}
        {settings.contactMethods.length > 1 && (
          <Choices
            legend="Contact method"
            name="contact"
            value={draft.contactMethod}
            options={settings.contactMethods.map((m) => ({ value: m, label: m }))}
            onChange={(value) => set('contactMethod', value)}
          />
        )}
        {(settings.points?.length ?? 0) > 0 && (
          <Choices
            legend="Point of transaction"
            name="point"
            value={draft.point}
            options={(settings.points ?? []).map((p) => ({ value: p, label: p }))}
            onChange={(value) => set('point', value)}
          />
        )}
        {(settings.whatMattersCategories?.length ?? 0) > 0 && (
          <Choices
            legend="What matters to the customer"
            name="what-matters"
            value={draft.whatMattersCategory}
            options={(settings.whatMattersCategories ?? []).map((c) => ({ value: c, label: c }))}
            onChange={(value) => set('whatMattersCategory', value)}
          />
        )}
        {(settings.whatMattersCategories?.length ?? 0) > 0 && (
          <div className="capture-field">
            <label htmlFor="capture-what-matters-note" className="capture-label">
              What matters, in their words <span className="capture-muted">(optional)</span>
            </label>
            <input
              id="capture-what-matters-note"
              className="capture-input"
              value={draft.whatMattersNote}
              onChange={(e) => set('whatMattersNote', e.target.value)}
              data-testid="capture-what-matters-note"
            />
          </div>
        )}

        <div className="capture-actions">
          <button type="submit" className="button primary capture-save" data-testid="capture-save">
            Save entry
          </button>
        </div>
      </form>

      {lastSaved && (
        <div className="capture-toast" role="status" data-testid="capture-saved">
          <span>Entry saved.</span>
          <button type="button" className="button capture-undo" onClick={() => void undo()} data-testid="capture-undo">
            Undo
          </button>
        </div>
      )}
      {notice && !lastSaved && (
        <p className="capture-notice" role="status" data-testid="capture-notice">
          {notice}
        </p>
      )}

      {queueState.refused.length > 0 && (
        <section className="capture-refused" aria-label="Entries the server refused" data-testid="capture-refused">
          <h2>Not accepted by the server</h2>
          <ul>
            {queueState.refused.map((item) => (
              <li key={item.entry.id}>
                <q>{item.entry.verbatim}</q>
                <span className="field-error">{item.refused}</span>
                <button type="button" className="button small" onClick={() => queue.discard(item.entry.id)}>
                  Discard
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}

interface Choice {
  value: string;
  label: string;
  hint?: string;
}

/** One question as a row of big toggle buttons: one tap chooses, a second tap on the same clears. */
function Choices({
  legend,
  name,
  value,
  options,
  onChange,
}: {
  legend: string;
  name: string;
  value: string | undefined;
  options: Choice[];
  onChange: (value: string | undefined) => void;
}) {
  // The chosen type's definition, so the collector sees what they picked means.
  const chosenHint = options.find((option) => option.value === value)?.hint;
  return (
    <fieldset className="capture-choices" data-testid={`capture-${name}`}>
      <legend className="capture-label">{legend}</legend>
      <div className="capture-chips">
        {options.map((option) => (
          <button
            key={option.value}
            type="button"
            className={`capture-chip${value === option.value ? ' is-chosen' : ''}`}
            aria-pressed={value === option.value}
            title={option.hint}
            onClick={() => onChange(value === option.value ? undefined : option.value)}
          >
            {option.label}
          </button>
        ))}
      </div>
      {chosenHint && <p className="capture-hint">{chosenHint}</p>}
    </fieldset>
  );
}
