/**
 * The capability editor: the board's series of end-to-end times, typed or
 * pasted (a spreadsheet column, a comma-separated list), oldest first. Bare
 * numbers are read in the chosen unit; a value may carry its own ("3d",
 * "4 h", "1d 4h"). Unreadable values are reported by line and nothing is
 * saved until they are fixed: nothing is guessed. The analysis panel draws
 * the chart from what is saved.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  BoardOperationError,
  CAPABILITY_UNITS,
  MAX_CAPABILITY_POINTS,
  UNIT_MINUTES,
  parseTime,
  readCapabilitySeries,
  saveCapability,
  type CapabilityUnit,
} from '../model';
import { useBoard, useBoardState } from '../collab/board-context';
import { canEditNow } from '../collab/board-store';
import './dialogs.css';

export interface CapabilityParse {
  minutes: number[];
  errors: { line: number; message: string }[];
}

const NUMBER = /^\d+(\.\d+)?$/;
const UNIT_WORD = /^[a-z]+$/i;

/** Minutes in one of the last unit a value is written in ("1d 4h" → an hour), or null for a bare number. */
function lastUnitSize(item: string): number | null {
  const units = item.toLowerCase().match(/[a-z]+/g);
  if (!units) return null;
  const one = parseTime(`1${units[units.length - 1]}`);
  return one.ok ? one.minutes : null;
}

/**
 * Splits one line into values: commas, semicolons, tabs and spaces separate;
 * "2 days" and "1d 4h" stay whole. A smaller unit straight after a bigger one
 * continues the same time ("1d 4h"); the same or a bigger unit starts a new
 * one ("3d 4d" is two points).
 */
function valuesOf(line: string): string[] {
  const values: string[] = [];
  for (const chunk of line.split(/[,;\t]+/)) {
    const tokens = chunk.trim().split(/\s+/).filter(Boolean);
    let size: number | null = null;
    for (let i = 0; i < tokens.length; i++) {
      let item = tokens[i];
      if (NUMBER.test(item) && i + 1 < tokens.length && UNIT_WORD.test(tokens[i + 1])) {
        item = `${item} ${tokens[i + 1]}`;
        i++;
      }
      const itemSize = lastUnitSize(item);
      const first = item.toLowerCase().match(/[a-z]+/);
      const firstSize = first ? lastUnitSize(first[0]) : null;
      if (size !== null && firstSize !== null && firstSize < size) {
        values[values.length - 1] += ` ${item}`;
      } else values.push(item);
      size = itemSize;
    }
  }
  return values;
}

/** Reads a series of end-to-end times, oldest first, into minutes; bad values are reported by line. */
export function parseCapabilityText(text: string, unit: CapabilityUnit): CapabilityParse {
  const minutes: number[] = [];
  const errors: CapabilityParse['errors'] = [];
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((raw, index) => {
      const line = index + 1;
      for (const value of valuesOf(raw)) {
        if (NUMBER.test(value)) {
          minutes.push(Number(value) * UNIT_MINUTES[unit]);
          continue;
        }
        const parsed = parseTime(value);
        if (parsed.ok) minutes.push(parsed.minutes);
        else errors.push({ line, message: `Line ${line}: ${parsed.error}.` });
      }
    });
  if (minutes.length > MAX_CAPABILITY_POINTS) {
    errors.push({ line: 0, message: `${minutes.length} points: at most ${MAX_CAPABILITY_POINTS} can be kept` });
  }
  return { minutes, errors };
}

/** A stored series written back in a unit, one value a line, as people would type it. */
export function formatSeries(minutes: number[], unit: CapabilityUnit): string {
  return minutes.map((m) => String(Math.round((m / UNIT_MINUTES[unit]) * 100) / 100)).join('\n');
}

/** The "new limits from case" field: blank for one set of limits, else a case with two on each side. */
export function readLimitsFrom(text: string, points: number): { index: number | null; error: string | null } {
  const trimmed = text.trim();
  if (trimmed === '') return { index: null, error: null };
  const caseNumber = Number(trimmed);
  if (!Number.isInteger(caseNumber)) {
    return { index: null, error: `New limits from case: write a case number, such as 11 (you wrote “${trimmed}”).` };
  }
  if (caseNumber < 3 || caseNumber > points - 1) {
    return {
      index: null,
      error:
        points < 4
          ? 'New limits need at least two cases before and two after: add more times first.'
          : `New limits from case: pick a case from 3 to ${points - 1}, so that two or more cases are on each side.`,
    };
  }
  return { index: caseNumber - 1, error: null };
}

export function CapabilityEditor({ onClose }: { onClose: () => void }) {
  const { doc } = useBoard();
  const canEdit = useBoardState(canEditNow);
  const [initial] = useState(() => readCapabilitySeries(doc));
  const [text, setText] = useState(() => formatSeries(initial.minutes, initial.unit));
  const [unit, setUnit] = useState<CapabilityUnit>(initial.unit);
  // People count cases from 1; the model keeps the 0-based index.
  const [limitsFromText, setLimitsFromText] = useState(() =>
    initial.limitsFrom === null ? '' : String(initial.limitsFrom + 1),
  );
  const [saveError, setSaveError] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const parsed = useMemo(() => parseCapabilityText(text, unit), [text, unit]);
  const limitsFrom = useMemo(() => readLimitsFrom(limitsFromText, parsed.minutes.length), [limitsFromText, parsed]);
  const blocked = parsed.errors.length > 0 || limitsFrom.error !== null;

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
    // The board's shortcuts must not act on the canvas behind the dialog.
    event.stopPropagation();
  };

  const save = () => {
    if (blocked) return;
    try {
      saveCapability(doc, { minutes: parsed.minutes, unit, limitsFrom: limitsFrom.index });
      onClose();
    } catch (error) {
      setSaveError(
        error instanceof BoardOperationError ? error.message : 'Something went wrong; the series was not saved.',
      );
    }
  };

  const points = parsed.minutes.length;
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog capability-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="capability-title"
        data-testid="capability-editor"
        onKeyDown={onKeyDown}
      >
        <div className="wide-dialog-head">
          <h2 id="capability-title">Capability</h2>
          <button
            type="button"
            className="button subtle close-button"
            aria-label="Close the capability editor"
            data-testid="capability-close"
            onClick={onClose}
          >
            ✕
          </button>
        </div>
        <p className="dialog-hint">
          End-to-end times of real cases, oldest first — one per line, or separated by commas or spaces. Paste a column
          from a spreadsheet. A value may carry its own unit: <em>3d</em>, <em>4 h</em>, <em>1d 4h</em>.
        </p>
        {!canEdit && (
          <p className="panel-hint" data-testid="capability-read-only">
            View only: you can read the series here, not change it.
          </p>
        )}
        <fieldset className="read-only-fields capability-fields" disabled={!canEdit}>
          <label htmlFor="capability-input" className="visually-hidden">
            End-to-end times
          </label>
          <textarea
            id="capability-input"
            ref={inputRef}
            className="text-input capability-input"
            data-testid="capability-input"
            rows={9}
            spellCheck={false}
            placeholder={'12\n19\n8\n31\n…'}
            value={text}
            aria-invalid={parsed.errors.length > 0 ? true : undefined}
            aria-describedby="capability-preview"
            onChange={(e) => {
              setText(e.target.value);
              setSaveError(null);
            }}
          />
          <div className="capability-side">
            <label htmlFor="capability-unit">Numbers are in</label>
            <select
              id="capability-unit"
              className="text-input"
              data-testid="capability-unit"
              value={unit}
              onChange={(e) => setUnit(e.target.value as CapabilityUnit)}
            >
              {[...CAPABILITY_UNITS].reverse().map((u) => (
                <option key={u} value={u}>
                  {u}
                </option>
              ))}
            </select>
            <label htmlFor="capability-limits-from">New limits from case</label>
            <input
              id="capability-limits-from"
              className="text-input"
              data-testid="capability-limits-from"
              inputMode="numeric"
              placeholder="none"
              value={limitsFromText}
              aria-invalid={limitsFrom.error ? true : undefined}
              aria-describedby="capability-limits-hint"
              onChange={(e) => setLimitsFromText(e.target.value)}
            />
            <p id="capability-limits-hint" className={limitsFrom.error ? 'field-error' : 'muted small'}>
              {limitsFrom.error ??
                'Optional: when the system changed (the redesign), the chart works out new limits from that case on.'}
            </p>
            <p id="capability-preview" className="capability-preview" data-testid="capability-preview" role="status">
              <strong>{points}</strong> {points === 1 ? 'point' : 'points'} read
              {parsed.errors.length > 0 && (
                <>
                  , <strong className="bad">{parsed.errors.length}</strong>{' '}
                  {parsed.errors.length === 1 ? 'value' : 'values'} not readable
                </>
              )}
            </p>
          </div>
        </fieldset>
        {parsed.errors.length > 0 && (
          <ul className="error-list" data-testid="capability-errors" aria-label="Values that could not be read">
            {parsed.errors.slice(0, 8).map((error, index) => (
              <li key={index}>{error.message}</li>
            ))}
            {parsed.errors.length > 8 && <li>…and {parsed.errors.length - 8} more</li>}
          </ul>
        )}
        {saveError && (
          <p className="field-error" role="alert">
            {saveError}
          </p>
        )}
        <div className="dialog-actions">
          {blocked && <span className="actions-note">Fix the lines above to save.</span>}
          <button type="button" className="button" onClick={onClose}>
            {canEdit ? 'Cancel' : 'Close'}
          </button>
          {canEdit && (
            <button
              type="button"
              className="button primary"
              data-testid="capability-save"
              disabled={blocked}
              onClick={save}
            >
              {points === 0 && initial.minutes.length > 0 ? 'Clear the series' : 'Save'}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
