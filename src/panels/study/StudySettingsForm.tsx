/**
 * Starting (or changing) a board's demand study (issue 14): the demand types,
 * each value or failure with its operational definition; the handling types,
 * one of them one stop; the contact methods, one the default; the points of
 * transaction and what-matters categories (optional); the period; and which
 * questions the capture page asks beyond the verbatim. The server validates
 * again and its words are shown in place.
 */
import { useState, type FormEvent } from 'react';
import { saveStudySettings, type DemandClass, type StudySettings, type StudySettingsInput } from '../../api';

function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A starting point a team edits: the method's usual handling types, two weeks from today. */
export function defaultSettings(now = new Date()): StudySettingsInput {
  const end = new Date(now);
  end.setDate(end.getDate() + 13);
  return {
    demandTypes: [
      { name: 'Report a repair', class: 'value', definition: 'The customer tells us something needs fixing' },
      { name: 'Chasing', class: 'failure', definition: 'The customer asks where something is that we promised' },
    ],
    handlingTypes: [
      { name: 'One stop', oneStop: true },
      { name: 'Pass-on', oneStop: false },
      { name: 'Pass-back', oneStop: false },
    ],
    contactMethods: ['Phone', 'Email', 'In person'],
    defaultContactMethod: 'Phone',
    points: [],
    whatMattersCategories: [],
    start: isoDay(now),
    end: isoDay(end),
    // The method starts with the verbatim only; the team switches these on when ready.
    capture: { classification: false, handling: false, valueLinking: false },
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** What the form can tell before asking the server; null when it looks sendable. */
export function settingsProblem(settings: StudySettingsInput): string | null {
  const names = settings.demandTypes.map((t) => t.name.trim().toLowerCase());
  if (names.some((name) => !name)) return 'Every demand type needs a name.';
  if (new Set(names).size !== names.length) return 'Two demand types have the same name.';
  if (settings.handlingTypes.some((h) => !h.name.trim())) return 'Every handling type needs a name.';
  if (settings.handlingTypes.length > 0 && settings.handlingTypes.filter((h) => h.oneStop).length !== 1)
    return 'Mark exactly one handling type as one stop.';
  if (!settings.start || !settings.end) return 'Give the study a start and an end date.';
  if (settings.end < settings.start) return 'The study ends before it starts.';
  return null;
}

export function StudySettingsForm({
  boardId,
  initial,
  starting,
  onSaved,
  onCancel,
}: {
  boardId: string;
  initial: StudySettingsInput;
  starting: boolean;
  onSaved: (settings: StudySettings) => void;
  onCancel?: () => void;
}) {
  const [settings, setSettings] = useState<StudySettingsInput>(initial);
  const [points, setPoints] = useState((initial.points ?? []).join('\n'));
  const [categories, setCategories] = useState((initial.whatMattersCategories ?? []).join('\n'));
  const [contacts, setContacts] = useState(initial.contactMethods.join('\n'));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const update = (change: Partial<StudySettingsInput>) => setSettings((was) => ({ ...was, ...change }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const contactMethods = lines(contacts);
    const next: StudySettingsInput = {
      ...settings,
      demandTypes: settings.demandTypes.map((t) => ({
        ...t,
        name: t.name.trim(),
        definition: t.definition?.trim() || undefined,
      })),
      handlingTypes: settings.handlingTypes.map((h) => ({ ...h, name: h.name.trim() })),
      contactMethods,
      defaultContactMethod:
        settings.defaultContactMethod && contactMethods.includes(settings.defaultContactMethod)
          ? settings.defaultContactMethod
          : contactMethods[0],
      points: lines(points),
      whatMattersCategories: lines(categories),
    };
    const why = settingsProblem(next);
    if (why) {
      setProblem(why);
      return;
    }
    setBusy(true);
    try {
      const saved = await saveStudySettings(boardId, next);
      setProblem(null);
      onSaved(saved);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const contactList = lines(contacts);
  return (
    <form className="study-settings" onSubmit={(e) => void submit(e)} data-testid="study-settings" noValidate>
      <h2>{starting ? 'Start a demand study' : 'Study settings'}</h2>
      <p className="study-muted">
        The people who answer the phones, the counter and the inbox write down each demand in the customer’s words. The
        board counts it live.
      </p>

      <fieldset className="study-fieldset">
        <legend>Period</legend>
        <div className="study-row">
          <label>
            Starts
            <input
              type="date"
              className="text-input"
              value={settings.start}
              onChange={(e) => update({ start: e.target.value })}
              data-testid="study-start"
            />
          </label>
          <label>
            Ends
            <input
              type="date"
              className="text-input"
              value={settings.end}
              onChange={(e) => update({ end: e.target.value })}
              data-testid="study-end"
            />
          </label>
        </div>
      </fieldset>

      <fieldset className="study-fieldset" data-testid="study-demand-types">
        <legend>Demand types</legend>
        <p className="study-muted">Each one value or failure, with the definition the team agreed.</p>
        {settings.demandTypes.map((type, index) => (
          <div className="study-type-row" key={index}>
            <input
              className="text-input"
              aria-label={`Demand type ${index + 1}: name`}
              placeholder="Name"
              value={type.name}
              onChange={(e) =>
                update({
                  demandTypes: settings.demandTypes.map((t, i) => (i === index ? { ...t, name: e.target.value } : t)),
                })
              }
            />
            <select
              className="text-input"
              aria-label={`Demand type ${index + 1}: value or failure`}
              value={type.class}
              onChange={(e) =>
                update({
                  demandTypes: settings.demandTypes.map((t, i) =>
                    i === index ? { ...t, class: e.target.value as DemandClass } : t,
                  ),
                })
              }
            >
              <option value="value">Value</option>
              <option value="failure">Failure</option>
            </select>
            <input
              className="text-input study-definition"
              aria-label={`Demand type ${index + 1}: definition`}
              placeholder="Definition (when does an entry count as this?)"
              value={type.definition ?? ''}
              onChange={(e) =>
                update({
                  demandTypes: settings.demandTypes.map((t, i) =>
                    i === index ? { ...t, definition: e.target.value } : t,
                  ),
                })
              }
            />
            <button
              type="button"
              className="button subtle"
              aria-label={`Remove demand type ${type.name || index + 1}`}
              onClick={() => update({ demandTypes: settings.demandTypes.filter((_, i) => i !== index) })}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button small"
          data-testid="study-add-type"
          onClick={() => update({ demandTypes: [...settings.demandTypes, { name: '', class: 'value' }] })}
        >
          + Add a demand type
        </button>
      </fieldset>

      <fieldset className="study-fieldset" data-testid="study-handling-types">
        <legend>Handling types</legend>
        <p className="study-muted">How an entry was dealt with; mark the one that means one stop.</p>
        {settings.handlingTypes.map((handling, index) => (
          <div className="study-type-row" key={index}>
            <input
              className="text-input"
              aria-label={`Handling type ${index + 1}: name`}
              value={handling.name}
              onChange={(e) =>
                update({
                  handlingTypes: settings.handlingTypes.map((h, i) =>
                    i === index ? { ...h, name: e.target.value } : h,
                  ),
                })
              }
            />
            <label className="study-inline">
              <input
                type="radio"
                name="one-stop"
                checked={handling.oneStop}
                onChange={() =>
                  update({ handlingTypes: settings.handlingTypes.map((h, i) => ({ ...h, oneStop: i === index })) })
                }
              />
              One stop
            </label>
            <button
              type="button"
              className="button subtle"
              aria-label={`Remove handling type ${handling.name || index + 1}`}
              onClick={() => update({ handlingTypes: settings.handlingTypes.filter((_, i) => i !== index) })}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button small"
          onClick={() =>
            update({
              handlingTypes: [...settings.handlingTypes, { name: '', oneStop: settings.handlingTypes.length === 0 }],
            })
          }
        >
          + Add a handling type
        </button>
      </fieldset>

      <div className="study-columns">
        <fieldset className="study-fieldset">
          <legend>Contact methods</legend>
          <label className="study-block">
            One a line
            <textarea
              className="text-input"
              rows={3}
              value={contacts}
              onChange={(e) => setContacts(e.target.value)}
              data-testid="study-contacts"
            />
          </label>
          <label className="study-block">
            The default
            <select
              className="text-input"
              value={settings.defaultContactMethod ?? ''}
              onChange={(e) => update({ defaultContactMethod: e.target.value || undefined })}
            >
              {contactList.map((method) => (
                <option key={method} value={method}>
                  {method}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <fieldset className="study-fieldset">
          <legend>Points of transaction (optional)</legend>
          <label className="study-block">
            One a line
            <textarea className="text-input" rows={3} value={points} onChange={(e) => setPoints(e.target.value)} />
          </label>
        </fieldset>
        <fieldset className="study-fieldset">
          <legend>What matters categories (optional)</legend>
          <label className="study-block">
            One a line
            <textarea
              className="text-input"
              rows={3}
              value={categories}
              onChange={(e) => setCategories(e.target.value)}
            />
          </label>
        </fieldset>
      </div>

      <fieldset className="study-fieldset">
        <legend>What the capture page asks besides the customer’s words</legend>
        {(
          [
            ['classification', 'Classification: value or failure, and the type'],
            ['handling', 'Handling: one stop, pass-on…'],
            ['valueLinking', 'For failure demand: the value demand it stems from, and its cause'],
          ] as const
        ).map(([key, label]) => (
          <label className="study-inline study-switch" key={key}>
            <input
              type="checkbox"
              checked={settings.capture[key]}
              data-testid={`study-capture-${key}`}
              onChange={(e) => update({ capture: { ...settings.capture, [key]: e.target.checked } })}
            />
            {label}
          </label>
        ))}
      </fieldset>

      {problem && (
        <p className="field-error" role="alert" data-testid="study-settings-error">
          {problem}
        </p>
      )}
      <div className="study-actions">
        {onCancel && (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="button primary" disabled={busy} data-testid="study-settings-save">
          {busy ? 'Saving…' : starting ? 'Start the study' : 'Save the settings'}
        </button>
      </div>
    </form>
  );
}
