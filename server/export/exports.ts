/**
 * Every export of a board, in one place: the HTTP API and the CLI (both its
 * modes) call `exportBoard`, so the button, the API and the CLI give the
 * same bytes. Everything is made from the board model; nothing from a screen.
 */
import type * as Y from 'yjs';
import { demandCsvOf, exportBoardFile, measuresOfDoc, serialiseBoardFile, stepsCsvOf } from '../../src/model';
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
 * The bytes of one export of a board document. `lastChanged` is the board's
 * last change (its record's updatedAt): the report's date, so the same board
 * gives the same PDF.
 */
export async function exportBoard(doc: Y.Doc, format: ExportFormat, lastChanged: Date): Promise<Buffer> {
  const file = exportBoardFile(doc);
  switch (format) {
    case 'json':
      return Buffer.from(serialiseBoardFile(file));
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
      return reportPdf({ file, measures: measuresOfDoc(doc), date: lastChanged });
  }
}
