/** Asks for this person's display name: on first opening a board, and when they click their own avatar. */
import { useState, type FormEvent } from 'react';
import { MAX_NAME_LENGTH, cleanName } from '../collab/presence';
import '../ui/presence.css';

export function NameDialog({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (name: string) => void;
  /** Absent the first time: a name is needed to go on. */
  onCancel?: () => void;
}) {
  const [value, setValue] = useState(initial);
  const name = cleanName(value);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name) onSave(name);
  };
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel?.()}>
      <form
        className="dialog name-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="name-dialog-title"
        data-testid="name-dialog"
        onSubmit={submit}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape' && onCancel) onCancel();
        }}
      >
        <h2 id="name-dialog-title">{onCancel ? 'Your name on this board' : 'What should others call you?'}</h2>
        <p className="dialog-hint">Others on the board see it next to your pointer and in the header.</p>
        <input
          className="name-input"
          data-testid="name-input"
          aria-label="Your display name"
          autoFocus
          maxLength={MAX_NAME_LENGTH}
          value={value}
          placeholder="e.g. Sam Taylor"
          onChange={(e) => setValue(e.target.value)}
        />
        <div className="dialog-actions">
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              Cancel
            </button>
          )}
          <button type="submit" className="button primary" data-testid="name-save" disabled={!name}>
            {onCancel ? 'Save' : 'Join the board'}
          </button>
        </div>
      </form>
    </div>
  );
}
