/**
 * Every key of the board, in one list: the shortcut sheet (`?`) shows it and
 * the palette's hints take their letters from it, so the two never disagree
 * with what board-keys.ts does.
 */

export interface Shortcut {
  /** The keys as a person presses them, e.g. ["Shift", "↑"]; alternatives are separate shortcuts. */
  keys: string[];
  does: string;
}

export interface ShortcutGroup {
  title: string;
  shortcuts: Shortcut[];
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const MOD = IS_MAC ? '⌘' : 'Ctrl';

/** The letter that adds each kind of element (the palette shows it on its buttons). */
export const ADD_KEYS = {
  step: 'S',
  demand: 'D',
  lane: 'L',
  condition: 'C',
  note: 'N',
  purpose: 'P',
} as const;

export const UNDO_KEYS = IS_MAC ? '⌘Z' : 'Ctrl+Z';
export const REDO_KEYS = IS_MAC ? '⇧⌘Z' : 'Ctrl+Shift+Z or Ctrl+Y';
export const SHORTCUT_SHEET_KEY = '?';

export const SHORTCUT_GROUPS: ShortcutGroup[] = [
  {
    title: 'Add',
    shortcuts: [
      { keys: [ADD_KEYS.step], does: 'Add a step, and name it' },
      { keys: [ADD_KEYS.demand], does: 'Add a demand type, in the customer’s words' },
      { keys: [ADD_KEYS.lane], does: 'Add a lane below the others' },
      { keys: [ADD_KEYS.condition], does: 'Add a system condition' },
      { keys: [ADD_KEYS.note], does: 'Add a sticky note' },
      { keys: [ADD_KEYS.purpose], does: 'Add the purpose, or show it' },
    ],
  },
  {
    title: 'Move around',
    shortcuts: [
      { keys: ['Tab'], does: 'Next card, in flow order: lane by lane, left to right' },
      { keys: ['Shift', 'Tab'], does: 'Previous card' },
      { keys: ['E'], does: 'Go through the focused card’s arrows, one by one' },
      { keys: ['I'], does: 'Go to the inspector’s fields for the selected card' },
      { keys: ['Esc'], does: 'Back to the board; on the board, clear the selection' },
      { keys: [SHORTCUT_SHEET_KEY], does: 'Show these keys' },
    ],
  },
  {
    title: 'Change the selected card',
    shortcuts: [
      { keys: ['Enter'], does: 'Rename it (Enter again saves, Esc cancels)' },
      { keys: ['K'], does: 'Connect… to another card, chosen by name' },
      { keys: ['← ↑ → ↓'], does: 'Move it (a step joins the lane it lands in)' },
      { keys: ['Shift', '← ↑ → ↓'], does: 'Move it further' },
      { keys: ['Delete'], does: 'Delete it, or the focused arrow' },
      { keys: ['Shift', 'L'], does: 'Lock or unlock it (a facilitator): no one else can move or change it' },
      { keys: ['Shift', 'F10'], does: 'Its menu: Connect…, Rename, Delete (or the Menu key)' },
    ],
  },
  {
    title: 'Undo',
    shortcuts: [
      { keys: [MOD, 'Z'], does: 'Undo your last change (never someone else’s)' },
      { keys: IS_MAC ? ['⇧', '⌘', 'Z'] : ['Ctrl', 'Shift', 'Z'], does: 'Redo' },
      ...(IS_MAC ? [] : [{ keys: ['Ctrl', 'Y'], does: 'Redo' }]),
    ],
  },
  {
    title: 'With the mouse',
    shortcuts: [
      { keys: ['Drag'], does: 'From a card’s dot onto any part of another card: connect them' },
      { keys: ['Double-click'], does: 'On empty board: add a step there; on a card: rename it' },
      { keys: ['Space', 'Drag'], does: 'Pan (or drag with the right button)' },
      { keys: ['Shift', 'Click'], does: 'Add to the selection' },
      { keys: ['Right-click'], does: 'On a card: its menu (Connect…, Rename, Delete)' },
    ],
  },
];
