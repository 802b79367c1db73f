/**
 * Choosing the card to link to by name: a combobox with type-ahead over the
 * possible targets (src/model/links.ts). ↑/↓ move through the list, Enter
 * picks, so linking needs neither a mouse nor a steady hand. Used by the
 * Connect… dialog and by the inspector's link fields.
 */
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { filterLinkTargets, type LinkTarget } from '../model';

const KIND_WORDS: Record<string, string> = {
  step: 'step',
  demand: 'demand',
  condition: 'system condition',
};

/** How an option reads: the element's words, then what it is and where. */
export function targetDescription(target: LinkTarget): string {
  const what = KIND_WORDS[target.nodeKind] ?? target.nodeKind;
  return target.laneName ? `${what} · ${target.laneName}` : what;
}

export function TargetPicker({
  targets,
  label,
  placeholder,
  autoFocus = false,
  listOnFocus = false,
  testid,
  onPick,
  onEscape,
}: {
  targets: readonly LinkTarget[];
  /** The field's accessible name ("Connect to", "Add a next step"). */
  label: string;
  placeholder?: string;
  autoFocus?: boolean;
  /** The list shows only while the field has the focus (in the inspector, where it would push the rest down). */
  listOnFocus?: boolean;
  testid: string;
  onPick: (target: LinkTarget) => void;
  /** Escape with nothing typed; with something typed Escape first clears it. */
  onEscape?: () => void;
}) {
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  const [typed, setTyped] = useState('');
  const [active, setActive] = useState(0);
  const [focused, setFocused] = useState(false);
  const open = !listOnFocus || focused;
  const shown = open ? filterLinkTargets(targets, typed) : [];
  const current = Math.min(active, shown.length - 1);

  const pick = (target: LinkTarget | undefined) => {
    if (!target) return;
    setTyped('');
    setActive(0);
    onPick(target);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (shown.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + shown.length) % shown.length);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      setActive(event.key === 'Home' ? 0 : shown.length - 1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      pick(shown[current]);
    } else if (event.key === 'Escape') {
      // Escape first clears what was typed; then it closes (a dialog) or goes on to the board.
      if (typed !== '') {
        event.preventDefault();
        event.stopPropagation();
        setTyped('');
        setActive(0);
      } else if (onEscape) {
        event.preventDefault();
        event.stopPropagation();
        onEscape();
      }
    }
  };
  const optionId = (index: number) => `${listId}-option-${index}`;
  return (
    <div className="target-picker" data-testid={testid}>
      <input
        type="text"
        role="combobox"
        className="field-input target-picker-input"
        aria-label={label}
        aria-expanded={shown.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown.length > 0 ? optionId(current) : undefined}
        data-testid={`${testid}-search`}
        value={typed}
        placeholder={placeholder ?? 'Type to search by name'}
        ref={input}
        autoComplete="off"
        onChange={(event) => {
          setTyped(event.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
      />
      <ul className="target-picker-list" id={listId} role="listbox" aria-label={label}>
        {shown.map((target, index) => (
          <li
            key={target.id}
            id={optionId(index)}
            role="option"
            className={index === current ? 'target-option is-active' : 'target-option'}
            aria-selected={index === current}
            data-testid="target-option"
            // The input keeps the focus, so the keyboard goes on working after a click.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(target)}
          >
            <span className="target-option-label">{target.label || '(no name)'}</span>
            <span className="target-option-what">{targetDescription(target)}</span>
          </li>
        ))}
      </ul>
      {open && shown.length === 0 && (
        <p className="panel-hint target-picker-empty" role="status">
          {targets.length === 0 ? 'Nothing on the board can be linked here yet.' : `Nothing is called “${typed}”.`}
        </p>
      )}
    </div>
  );
}
