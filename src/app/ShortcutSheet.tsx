/**
 * The shortcut sheet: every key of the board (canvas/shortcuts.ts), opened
 * with `?` or the palette's Keys button. Escape or Close gives the focus back
 * where it was.
 */
import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { create } from 'zustand';
import { isTyping } from '../canvas/board-actions';
import { SHORTCUT_GROUPS, SHORTCUT_SHEET_KEY } from '../canvas/shortcuts';
import './shortcut-sheet.css';

export const useShortcutSheet = create<{ open: boolean }>(() => ({ open: false }));

export function openShortcutSheet(): void {
  useShortcutSheet.setState({ open: true });
}

export function ShortcutSheet() {
  const open = useShortcutSheet((s) => s.open);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== SHORTCUT_SHEET_KEY || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('[aria-modal="true"]')) return;
      event.preventDefault();
      openShortcutSheet();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  if (!open) return null;
  return <Sheet />;
}

function Sheet() {
  const dialog = useRef<HTMLDivElement>(null);
  const close = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    close.current?.focus();
    return () => {
      if (before?.isConnected) before.focus();
      else document.querySelector<HTMLElement>('.board-canvas')?.focus();
    };
  }, []);

  const hide = () => useShortcutSheet.setState({ open: false });
  // Escape closes; Tab stays inside the sheet while it is open.
  const onKeyDown = (event: ReactKeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      hide();
      return;
    }
    if (event.key !== 'Tab' || !dialog.current) return;
    const focusable = [...dialog.current.querySelectorAll<HTMLElement>('button, [tabindex="0"]')];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && hide()}>
      <div
        ref={dialog}
        className="dialog shortcut-sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-title"
        data-testid="shortcut-sheet"
        onKeyDown={onKeyDown}
      >
        <div className="shortcut-head">
          <h2 id="shortcut-title">Keys</h2>
          <button ref={close} type="button" className="button" data-testid="shortcut-close" onClick={hide}>
            Close
          </button>
        </div>
        {/* Scrolls on a small screen; reachable and scrollable by keyboard. */}
        <div className="shortcut-groups" tabIndex={0} aria-label="All keys">
          {SHORTCUT_GROUPS.map((group) => (
            <section key={group.title} className="shortcut-group" aria-labelledby={`keys-${group.title}`}>
              <h3 id={`keys-${group.title}`}>{group.title}</h3>
              <dl>
                {group.shortcuts.map((shortcut) => (
                  <div key={`${shortcut.keys.join('+')} ${shortcut.does}`} className="shortcut-row">
                    <dt>
                      {shortcut.keys.map((key, index) => (
                        <span key={key}>
                          {index > 0 && <span className="shortcut-plus"> + </span>}
                          <kbd>{key}</kbd>
                        </span>
                      ))}
                    </dt>
                    <dd>{shortcut.does}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}
