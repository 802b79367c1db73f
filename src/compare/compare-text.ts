/**
 * The comparison view's wording. What the picture and the PDF report say too
 * lives in src/export/compare-text.ts; the view's own (refs, when a version
 * was saved in the reader's locale) stays here.
 */
export {
  describeChange,
  formatChange,
  formatChangePct,
  formatValue,
  highlightsOf,
  verdictText,
} from '../export/compare-text';
export type { Highlight } from '../export/board-svg';

/** A ref names a board ("<boardId>") or one of its versions ("<boardId>@<versionId>"); parseRef in src/model takes it apart. */
export function refOf(boardId: string, versionId: string | null): string {
  return versionId === null ? boardId : `${boardId}@${versionId}`;
}

/** When a version was saved, in the reader's own words: "23 Nov 2026, 14:05". */
export function formatSavedAt(savedAt: number): string {
  return new Date(savedAt).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
