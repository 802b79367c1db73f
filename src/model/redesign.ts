/**
 * The redesign ("after") board and copies of a board: a new document that
 * starts as the whole state of another, so every element keeps its id and
 * the comparison matches steps exactly (method.md: "an 'after' board started
 * as a copy keeps its ids"). The copy is a fork of the Yjs document; the two
 * boards never sync with each other, so sharing history is harmless.
 */
import * as Y from 'yjs';
import { LOCAL_ORIGIN, MAX_TITLE_LENGTH, setBoardTitle } from './operations';
import { readMeta } from './read';
import { metaMap } from './schema';

/** Meta key of an after board: the id of the board it was started from. */
export const BEFORE_BOARD_ID_KEY = 'beforeBoardId';
export const AFTER_SUFFIX = ' – after';

/** The before board an after board was started from, or null. */
export function readBeforeBoardId(doc: Y.Doc): string | null {
  const value = metaMap(doc).get(BEFORE_BOARD_ID_KEY);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A closing "– before" in any dash ("-", "–", "—") and letter case, with the spaces around it. */
const BEFORE_SUFFIX = /\s*[-–—]\s*before\s*$/i;

/**
 * "<title> – after", the title's own "– before" dropped ("Housing repairs –
 * before" → "Housing repairs – after", not "… – before – after"), shortened
 * (with "…") where the whole would be too long.
 */
export function afterTitle(title: string): string {
  const room = MAX_TITLE_LENGTH - AFTER_SUFFIX.length;
  const stripped = title.replace(BEFORE_SUFFIX, '');
  // A title that is only "before" keeps it: "before – after" says more than " – after".
  const own = stripped.trim() === '' ? title.trim() : stripped;
  const base = own.length > room ? `${own.slice(0, room - 1).trimEnd()}…` : own;
  return `${base}${AFTER_SUFFIX}`;
}

/** Marks `doc` as the after board of `beforeId` (what "Start the redesign" and an example pair do). */
export function linkToBefore(doc: Y.Doc, beforeId: string, origin: unknown = LOCAL_ORIGIN): void {
  doc.transact(() => metaMap(doc).set(BEFORE_BOARD_ID_KEY, beforeId), origin);
}

/** A new document holding the whole state of `source` (every id kept). */
export function copyBoardDoc(source: Y.Doc | Uint8Array): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, source instanceof Uint8Array ? source : Y.encodeStateAsUpdate(source));
  return copy;
}

/**
 * The redesign board of `source`: a copy titled "<title> – after" (or
 * `title`) whose meta links back to `sourceId`.
 */
export function redesignDoc(source: Y.Doc, sourceId: string, title?: string, origin: unknown = LOCAL_ORIGIN): Y.Doc {
  const copy = copyBoardDoc(source);
  copy.transact(() => {
    setBoardTitle(copy, title ?? afterTitle(readMeta(source).title), origin);
    linkToBefore(copy, sourceId, origin);
  }, origin);
  return copy;
}

/**
 * A version made into a new, editable board: a copy titled `title`. It is a
 * board of its own, so it does not carry the version's link to a before board.
 */
export function restoredDoc(state: Uint8Array, title: string, origin: unknown = LOCAL_ORIGIN): Y.Doc {
  const copy = copyBoardDoc(state);
  copy.transact(() => {
    setBoardTitle(copy, title, origin);
    metaMap(copy).delete(BEFORE_BOARD_ID_KEY);
  }, origin);
  return copy;
}
