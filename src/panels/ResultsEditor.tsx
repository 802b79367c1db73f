/**
 * The results editor: one outcome measure of the whole system — its name,
 * unit, direction and a value or a series of dated values (typed, or a
 * column pasted from a spreadsheet). Unreadable lines are reported by number
 * and nothing is saved until they are fixed; a refusal of the model (a name
 * the board already has, a percentage over 100) is said in place.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  BoardOperationError,
  OUTCOME_DIRECTIONS,
  OUTCOME_UNITS,
  OUTCOME_UNIT_WORDS,
  formatOutcomeValues,
  parseOutcomeValues,
  removeOutcome,
  setOutcome,
  type Outcome,
  type OutcomeDirection,
  type OutcomeUnit,
} from '../model';
import { useBoard } from '../collab/board-context';
import './dialogs.css';

const DIRECTION_WORDS: Record<OutcomeDirection, string> = {
  'lower-is-better': 'Lower is better',
  'higher-is-better': 'Higher is better',
};

export function ResultsEditor({ editing, onClose }: { editing: Outcome | null; onClose: () => void }) {
  const { doc } = useBoard();
  const [name, setName] = useState(editing?.name ?? '');
  const [unit, setUnit] = useState<OutcomeUnit>(editing?.unit ?? 'percent');
  const [direction, setDirection] = useState<OutcomeDirection>(editing?.direction ?? 'lower-is-better');
  const [text, setText] = useState(() => (editing ? formatOutcomeValues(editing.points) : ''));
  const [saveError, setSaveError] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const parsed = useMemo(() => parseOutcomeValues(text), [text]);

  useEffect(() => {
    nameRef.current?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
    // The board's shortcuts must not act on the canvas behind the dialog.
    event.stopPropagation();
  };
  const attempt = (action: () => void) => {
    try {
      action();
      onClose();
    } catch (error) {
      setSaveError(
        error instanceof BoardOperationError ? error.message : 'Something went wrong; the result was not saved.',
      );
    }
  };
  const save = () => {
    if (parsed.errors.length > 0) return;
    attempt(() => setOutcome(doc, { id: editing?.id, name, unit, direction, points: parsed.points }));
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        className="dialog capability-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="results-title"
        data-testid="results-editor"
        onKeyDown={onKeyDown}
      >
        <div className="wide-dialog-head">
          <h2 id="results-title">{editing ? 'Edit a result' : 'Add a result'}</h2>
          <button
            type="button"
            className="button subtle close-button"
            aria-label="Close the results editor"
            onClick={onClose}
          >
            ✕
          </button>
        </div>
        <p className="dialog-hint">
          An outcome of the whole system, measured outside the map — “Referrals leading to a funded care package, %”. A
          before and an after board compare results of the same name.
        </p>
        <label className="dialog-field">
          Name
          <input
            ref={nameRef}
            className="text-input"
            data-testid="result-name"
            value={name}
            maxLength={120}
            onChange={(e) => {
              setName(e.target.value);
              setSaveError(null);
            }}
          />
        </label>
        <div className="results-choices">
          <label className="dialog-field">
            Unit
            <select
              className="text-input"
              data-testid="result-unit"
              value={unit}
              onChange={(e) => setUnit(e.target.value as OutcomeUnit)}
            >
              {OUTCOME_UNITS.map((u) => (
                <option key={u} value={u}>
                  {OUTCOME_UNIT_WORDS[u]}
                </option>
              ))}
            </select>
          </label>
          <label className="dialog-field">
            Direction
            <select
              className="text-input"
              data-testid="result-direction"
              value={direction}
              onChange={(e) => setDirection(e.target.value as OutcomeDirection)}
            >
              {OUTCOME_DIRECTIONS.map((d) => (
                <option key={d} value={d}>
                  {DIRECTION_WORDS[d]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="dialog-field">
          A value, or one per line with its date (oldest first)
          <textarea
            className="text-input capability-input"
            data-testid="result-values"
            rows={6}
            spellCheck={false}
            placeholder={'24.1\nor\n2026-01-05 24.1\n2026-01-12 22.8'}
            value={text}
            aria-invalid={parsed.errors.length > 0 ? true : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setSaveError(null);
            }}
          />
        </label>
        <p className="capability-preview" role="status" data-testid="result-preview">
          <strong>{parsed.points.length}</strong> {parsed.points.length === 1 ? 'value' : 'values'} read
        </p>
        {parsed.errors.length > 0 && (
          <ul className="error-list" data-testid="result-errors" aria-label="Lines that could not be read">
            {parsed.errors.slice(0, 8).map((error, index) => (
              <li key={index}>{error.message}</li>
            ))}
            {parsed.errors.length > 8 && <li>…and {parsed.errors.length - 8} more</li>}
          </ul>
        )}
        {saveError && (
          <p className="field-error" role="alert" data-testid="result-error">
            {saveError}
          </p>
        )}
        <div className="dialog-actions">
          {editing && (
            <button
              type="button"
              className="button"
              data-testid="result-remove"
              onClick={() => attempt(() => removeOutcome(doc, editing.id))}
            >
              Remove
            </button>
          )}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button primary"
            data-testid="result-save"
            disabled={parsed.errors.length > 0}
            onClick={save}
          >
            Save
          </button>
        </div>
      </div>
    </div>
  );
}
