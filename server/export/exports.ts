/**
 * Every export of a board, in one place: the HTTP API and the CLI (both its
 * modes) call `exportBoard`, so the button, the API and the CLI give the
 * same bytes. Everything is made from the board model; nothing from a screen.
 */
import * as Y from 'yjs';
import {
  demandCsvOf,
  exportBoardFile,
  measuresOfDoc,
  serialiseBoardFile,
  stepsCsvOf,
  nodesMap,
  type BoardFileComment,
  type BoardFileStudy,
  type BoardFileVoteRecord,
  type VersionToExport,
} from '../../src/model';
import type { BoardStorage } from '../storage/storage';
import { voteRecordOf, type VoteRecord } from '../../src/protocol';
import { boardPicture, boardSvg } from '../../src/export';
import { pngScaleFor, svgToPng } from './png';
import { reportPdf } from './report-pdf';

export const EXPORT_FORMATS = ['json', 'csv-demand', 'csv-steps', 'svg', 'png', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<ExportFormat, { contentType: string; suffix: string }> = {
  json: { contentType: 'application/json; charset=utf-8', suffix: '.json' },
  'csv-demand': { contentType: 'text/csv; charset=utf-8', suffix: '-demand.csv' },
  'csv-steps': { contentType: 'text/csv; charset=utf-8', suffix: '-steps.csv' },
  svg: { contentType: 'image/svg+xml; charset=utf-8', suffix: '.svg' },
  png: { contentType: 'image/png', suffix: '.png' },
  pdf: { contentType: 'application/pdf', suffix: '.pdf' },
};

export function isExportFormat(format: string): format is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(format);
}

/**
 * The board's saved versions as the board file carries them, in the order
 * storage lists them. The caller destroys the documents when done (`destroyVersions`).
 */
export async function storedVersions(storage: BoardStorage, boardId: string): Promise<VersionToExport[]> {
  const versions: VersionToExport[] = [];
  for (const v of await storage.listVersions(boardId)) {
    const state = await storage.getVersionState(boardId, v.id);
    const doc = new Y.Doc();
    if (state) Y.applyUpdate(doc, state);
    versions.push({ name: v.name, savedBy: v.savedBy, savedAt: v.savedAt, doc });
  }
  return versions;
}

/**
 * The board's revealed votes and its comments (issue 15) and its demand
 * study (issue 14), as the board file and the report carry them.
 */
export interface RoomData {
  votes: BoardFileVoteRecord[];
  comments: BoardFileComment[];
  /** The study's settings and every entry; null (or left out) when the board has none. */
  study?: BoardFileStudy | null;
}

/** The board's study as the board file carries it, or null when it has none. */
export async function storedStudyOf(storage: BoardStorage, boardId: string): Promise<BoardFileStudy | null> {
  const settings = await storage.getStudy(boardId);
  if (!settings) return null;
  return { settings, entries: await storage.listStudyEntries(boardId) };
}

export async function storedRoomData(storage: BoardStorage, boardId: string, doc: Y.Doc): Promise<RoomData> {
  const [votes, comments, study] = await Promise.all([
    storage.listVotes(boardId),
    storage.listComments(boardId),
    storedStudyOf(storage, boardId),
  ]);
  const cards = nodesMap(doc);
  return {
    study,
    votes: votes.map(voteRecordOf).filter((r): r is VoteRecord => r !== null),
    // The author's membership id stays on the server; a comment whose card has gone is marked orphaned.
    comments: comments.map((c) => ({
      id: c.id,
      cardId: c.cardId,
      threadId: c.threadId,
      author: c.author,
      text: c.text,
      createdAt: c.createdAt,
      resolvedAt: c.resolvedAt,
      resolvedBy: c.resolvedBy,
      orphaned: c.orphaned || !cards.has(c.cardId),
    })),
  };
}

export function destroyVersions(versions: VersionToExport[]): void {
  for (const version of versions) version.doc.destroy();
}

/**
 * The bytes of one export of a board document. `lastChanged` is the board's
 * last change (its record's updatedAt): the report's date, so the same board
 * gives the same PDF. The board file carries the saved `versions`; the
 * tables, pictures and report are of the board itself.
 */
export async function exportBoard(
  doc: Y.Doc,
  format: ExportFormat,
  lastChanged: Date,
  versions: VersionToExport[] = [],
  room: RoomData = { votes: [], comments: [] },
): Promise<Buffer> {
  if (format === 'json') return Buffer.from(serialiseBoardFile(exportBoardFile(doc, versions, room)));
  const file = exportBoardFile(doc);
  switch (format) {
    case 'csv-demand':
      return Buffer.from(demandCsvOf(file));
    case 'csv-steps':
      return Buffer.from(stepsCsvOf(file));
    case 'svg':
      return Buffer.from(boardSvg(file));
    case 'png': {
      const picture = boardPicture(file);
      return svgToPng(picture.svg, pngScaleFor(picture.width, picture.height));
    }
    case 'pdf':
      return reportPdf({ file, measures: measuresOfDoc(doc), date: lastChanged, room });
  }
}
