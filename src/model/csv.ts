/**
 * The demand table and the step table as CSV, for spreadsheets (RFC 4180:
 * a header line, CRLF line ends, a field quoted when it holds a comma, a
 * quote or a line break, quotes doubled). Rows run left to right as the map
 * is read — by x, then y, then id — so the same board gives the same bytes.
 * Times are minutes, as the document stores them, for machines, and beside
 * them as text for people ("54 d 11 h", the panel's rounding); a missing
 * value is an empty field, never a made-up number.
 *
 * The demand CSV reads back in through "Import demand (CSV)": its header and
 * columns are the ones `parseDemandRows` understands.
 */
import type * as Y from 'yjs';
import { exportBoardFile, type BoardFile, type BoardFileNode } from './board-file';
import { formatTime } from './time';

export const DEMAND_CSV_HEADER = ['words', 'class', 'count', 'predictable'] as const;
export const STEP_CSV_HEADER = [
  'label',
  'lane',
  'class',
  'waste type',
  'PT minutes',
  'LT minutes',
  'PT',
  'LT',
  '%C&A',
  'customer contact',
] as const;

type Cell = string | number | boolean | null;

function cell(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 text: a header line and one line per row, each ended by CRLF. */
export function toCsv(header: readonly string[], rows: Cell[][]): string {
  return [header, ...rows].map((row) => `${row.map(cell).join(',')}\r\n`).join('');
}

function inReadingOrder<T extends BoardFileNode>(nodes: T[]): T[] {
  return [...nodes].sort(
    (a, b) => a.position.x - b.position.x || a.position.y - b.position.y || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export function demandCsvOf(file: BoardFile): string {
  const demand = inReadingOrder(
    file.nodes.filter((n): n is Extract<BoardFileNode, { kind: 'demand' }> => n.kind === 'demand'),
  );
  return toCsv(
    DEMAND_CSV_HEADER,
    demand.map((d) => [d.words, d.demandClass, d.count, d.predictable]),
  );
}

export function stepsCsvOf(file: BoardFile): string {
  const laneName = new Map(file.lanes.map((l) => [l.id, l.name]));
  const steps = inReadingOrder(
    file.nodes.filter((n): n is Extract<BoardFileNode, { kind: 'step' }> => n.kind === 'step'),
  );
  return toCsv(
    STEP_CSV_HEADER,
    steps.map((s) => [
      s.label,
      s.lane === null ? null : (laneName.get(s.lane) ?? null),
      s.stepClass,
      s.wasteType,
      s.pt,
      s.lt,
      s.pt === null ? null : formatTime(s.pt),
      s.lt === null ? null : formatTime(s.lt),
      s.ca,
      s.customerContact,
    ]),
  );
}

/** The board's demand table as CSV. */
export function exportDemandCsv(doc: Y.Doc): string {
  return demandCsvOf(exportBoardFile(doc));
}

/** The board's step table as CSV. */
export function exportStepsCsv(doc: Y.Doc): string {
  return stepsCsvOf(exportBoardFile(doc));
}
