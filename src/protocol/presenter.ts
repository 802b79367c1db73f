/**
 * Presenter mode (issue 15): which section the facilitator is showing, and
 * how they arranged the sections. Room state held by the sync server like
 * the timer (timer.ts), not in the Yjs document: undo and versions never see
 * it. The sections themselves are computed from the board
 * (src/model/presenter-sections.ts); this state names them by id.
 *
 * Type 103, "presenter", on the board's websocket:
 *
 *   client → server  [103]              "send me the presenter state now and whenever it changes"
 *   client → server  [103, json]        json = PresenterCommand (varString); facilitator only
 *   server → client  [103, json]        json = PresenterMessage (varString)
 *
 * Only clients that ask get it, so a late joiner gets the current section at
 * once. A refused or unreadable command is answered to its sender alone, with
 * an `error` in plain words; nobody else hears of it. A message cut short
 * (no readable string after the type) closes only its sender's connection.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_PRESENTER = 103;

/** Section ids are short and plain (`demand`, `lane:<laneId>`); anything else is not one. */
const SECTION_ID = /^[A-Za-z0-9:_-]{1,80}$/;
/** More than any board has sections (one per lane, plus seven). */
export const PRESENTER_MAX_SECTIONS = 200;
const NAME_MAX_CHARS = 60;

export interface PresenterState {
  /** Someone is presenting now; false once stopped (the arrangement is kept for the next start). */
  active: boolean;
  /** The section on screen, by id; null when not presenting. */
  section: string | null;
  /** The facilitator's order of the sections (ids); empty means the method's order. */
  order: string[];
  /** Sections left out of the presentation (ids). */
  hidden: string[];
  /** Who presents (their display name). */
  by: string;
}

export type PresenterCommand =
  | { action: 'start'; section?: string; by?: string }
  | { action: 'go'; section: string }
  | { action: 'arrange'; order: string[]; hidden: string[] }
  | { action: 'stop' };

export interface PresenterMessage {
  /** The board's presenter state; null when nobody has presented or arranged anything. */
  presenter: PresenterState | null;
  /** Only in the answer to a refused command, and only to its sender. */
  error?: string;
}

export const PRESENTER_WORDS = {
  notFacilitator:
    'Only the facilitator can run the presentation (start it, move between sections, hide or reorder them, stop it).',
  unreadable: 'That presenter change could not be read; nothing changed.',
  unknownSection: 'That section is not on this board (it may just have been removed); nothing changed.',
  hiddenSection: 'That section is hidden from the presentation: show it first.',
  notPresenting: 'Nobody is presenting: start the presentation first.',
  nothingToShow: 'There is nothing to present yet: add the purpose, the demand or a step first.',
  allHidden: 'At least one section must stay in the presentation.',
} as const;

function isSectionId(value: unknown): value is string {
  return typeof value === 'string' && SECTION_ID.test(value);
}

function sectionList(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length > PRESENTER_MAX_SECTIONS || !value.every(isSectionId)) return null;
  return [...new Set(value)];
}

/** Reads a command's JSON; an error in plain words when it is not one. */
export function parsePresenterCommand(json: string): PresenterCommand | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { error: PRESENTER_WORDS.unreadable };
  }
  if (typeof value !== 'object' || value === null) return { error: PRESENTER_WORDS.unreadable };
  const command = value as Record<string, unknown>;
  switch (command.action) {
    case 'start': {
      if (command.section !== undefined && !isSectionId(command.section)) return { error: PRESENTER_WORDS.unreadable };
      const by = typeof command.by === 'string' && command.by.trim() !== '' ? command.by.trim() : undefined;
      return {
        action: 'start',
        ...(command.section !== undefined ? { section: command.section } : {}),
        ...(by ? { by: by.slice(0, NAME_MAX_CHARS) } : {}),
      };
    }
    case 'go':
      return isSectionId(command.section)
        ? { action: 'go', section: command.section }
        : { error: PRESENTER_WORDS.unreadable };
    case 'arrange': {
      const order = sectionList(command.order);
      const hidden = sectionList(command.hidden);
      if (!order || !hidden) return { error: PRESENTER_WORDS.unreadable };
      return { action: 'arrange', order, hidden };
    }
    case 'stop':
      return { action: 'stop' };
    default:
      return { error: PRESENTER_WORDS.unreadable };
  }
}

export function encodePresenterRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_PRESENTER);
  return encoding.toUint8Array(encoder);
}

export function encodePresenterCommand(command: PresenterCommand): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_PRESENTER);
  encoding.writeVarString(encoder, JSON.stringify(command));
  return encoding.toUint8Array(encoder);
}

export function encodePresenterMessage(message: PresenterMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_PRESENTER);
  encoding.writeVarString(encoder, JSON.stringify(message));
  return encoding.toUint8Array(encoder);
}

function isPresenterState(value: unknown): value is PresenterState {
  if (typeof value !== 'object' || value === null) return false;
  const state = value as Record<string, unknown>;
  return (
    typeof state.active === 'boolean' &&
    (state.section === null || isSectionId(state.section)) &&
    sectionList(state.order) !== null &&
    sectionList(state.hidden) !== null &&
    typeof state.by === 'string'
  );
}

/** Reads the rest of a server presenter message after its type; null when it is not a PresenterMessage. */
export function readPresenterMessage(decoder: decoding.Decoder): PresenterMessage | null {
  try {
    const value = JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown>;
    if (value.presenter !== null && !isPresenterState(value.presenter)) return null;
    return {
      presenter: value.presenter,
      ...(typeof value.error === 'string' ? { error: value.error } : {}),
    };
  } catch {
    return null;
  }
}
