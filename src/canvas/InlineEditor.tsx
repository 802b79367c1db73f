/**
 * Editing a step's label or a note's text in place. Enter (Ctrl/⌘+Enter for
 * multi-line notes) or leaving the field commits, Escape cancels.
 */
import { useEffect, useRef, useState } from 'react';

export function InlineEditor({
  initial,
  multiline = false,
  className,
  label,
  onCommit,
  onCancel,
}: {
  initial: string;
  multiline?: boolean;
  className?: string;
  label: string;
  onCommit: (text: string) => void;
  onCancel: () => void;
}) {
  const [value, setValue] = useState(initial);
  const done = useRef(false);
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  useEffect(() => {
    const field = ref.current;
    field?.focus();
    field?.select();
    // When the editor closes, the focus goes back to its card (or lane, or the canvas), never to the
    // page: a new card named with the keyboard can be connected, moved or renamed straight away.
    const home = field?.closest<HTMLElement>('.react-flow__node') ?? field?.closest<HTMLElement>('.board-canvas');
    return () => {
      requestAnimationFrame(() => {
        if (document.activeElement === null || document.activeElement === document.body) home?.focus();
      });
    };
  }, []);

  const commit = () => {
    if (done.current) return;
    done.current = true;
    onCommit(value);
  };
  const cancel = () => {
    if (done.current) return;
    done.current = true;
    onCancel();
  };
  const onKeyDown = (event: React.KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    } else if (event.key === 'Enter' && (!multiline || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      commit();
    }
  };
  const common = {
    ref,
    value,
    'aria-label': label,
    'data-testid': 'inline-editor',
    className: `inline-editor nodrag nopan nowheel ${className ?? ''}`,
    onKeyDown,
    onBlur: commit,
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setValue(event.target.value),
  };
  return multiline ? <textarea {...common} rows={4} /> : <input {...common} />;
}
