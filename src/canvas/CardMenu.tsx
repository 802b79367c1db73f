/**
 * A card's own menu: right-click on it, or the Menu key (Shift+F10) on the
 * focused card. Connect…, Rename, Lock (a facilitator) and Delete, so every card command is one a
 * mouse user can find and a keyboard user can reach. ↑/↓ move, Enter or Space
 * choose, Escape closes and gives the focus back to the card.
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { menuStyle, useDismiss } from '../ui/menus';
import { MenuItemButton } from '../ui/MenuItemButton';

export interface CardMenuAt {
  cardId: string;
  /** Where it opens, in the page's pixels. */
  x: number;
  y: number;
  linkable: boolean;
  renamable: boolean;
  deletable: boolean;
  /** A vote is open on this kind of card: place or take back a dot. */
  votable: boolean;
  dotsHere: number;
  commentable: boolean;
  /** A facilitator may lock or unlock it; `locked` says which the item offers. */
  lockable: boolean;
  locked: boolean;
}

export function CardMenu({
  at,
  onConnect,
  onRename,
  onDelete,
  onDot,
  onComments,
  onLock,
  onClose,
}: {
  at: CardMenuAt;
  onConnect: () => void;
  onRename: () => void;
  onDelete: () => void;
  onDot: (action: 'dot' | 'undot') => void;
  onComments: () => void;
  onLock: () => void;
  /** `refocus`: give the focus back to the card (not when the chosen command takes it elsewhere). */
  onClose: (refocus: boolean) => void;
}) {
  const menu = useRef<HTMLDivElement>(null);
  useDismiss(true, () => onClose(true), menu);
  useEffect(() => {
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, []);

  const onKeyDown = (event: KeyboardEvent) => {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const now = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      items[(now + step + items.length) % items.length]?.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose(true);
    } else if (event.key === 'Tab') {
      event.preventDefault();
    }
    // The board's letter keys do not reach the board while its menu is open.
    if (event.key.length === 1 && event.key !== ' ') event.stopPropagation();
  };
  const choose = (run: () => void) => () => {
    onClose(false);
    run();
  };
  const left = Math.min(at.x, window.innerWidth - 250);
  const top = Math.min(at.y, window.innerHeight - 150);
  return (
    <div
      ref={menu}
      role="menu"
      aria-label="This card"
      data-testid="card-menu"
      className="card-menu"
      style={{ ...menuStyle, position: 'fixed', left, top, right: 'auto', minWidth: '13rem' }}
      onKeyDown={onKeyDown}
    >
      {at.linkable && (
        <MenuItemButton data-testid="card-menu-connect" onClick={choose(onConnect)}>
          Connect… <kbd>K</kbd>
        </MenuItemButton>
      )}
      {at.renamable && (
        <MenuItemButton data-testid="card-menu-rename" onClick={choose(onRename)}>
          Rename <kbd>Enter</kbd>
        </MenuItemButton>
      )}
      {at.votable && (
        <MenuItemButton data-testid="card-menu-dot" onClick={choose(() => onDot('dot'))}>
          Place a dot here
        </MenuItemButton>
      )}
      {at.votable && at.dotsHere > 0 && (
        <MenuItemButton data-testid="card-menu-undot" onClick={choose(() => onDot('undot'))}>
          Take a dot back ({at.dotsHere} here)
        </MenuItemButton>
      )}
      {at.commentable && (
        <MenuItemButton data-testid="card-menu-comments" onClick={choose(onComments)}>
          Comments…
        </MenuItemButton>
      )}
      {at.lockable && (
        <MenuItemButton data-testid="card-menu-lock" onClick={choose(onLock)}>
          {at.locked ? 'Unlock' : 'Lock'} <kbd>Shift+L</kbd>
        </MenuItemButton>
      )}
      {at.deletable && (
        <MenuItemButton data-testid="card-menu-delete" onClick={choose(onDelete)}>
          Delete <kbd>Delete</kbd>
        </MenuItemButton>
      )}
    </div>
  );
}
