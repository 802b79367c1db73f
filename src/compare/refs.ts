/**
 * The comparison view's refs. Its wording (what the picture and the PDF report
 * say too) lives in src/export/compare-text.ts and src/export/format.ts.
 */

/** A ref names a board ("<boardId>") or one of its versions ("<boardId>@<versionId>"); parseRef in src/model takes it apart. */
export function refOf(boardId: string, versionId: string | null): string {
  return versionId === null ? boardId : `${boardId}@${versionId}`;
}
