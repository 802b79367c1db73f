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

/** One record of a CSV file and the line it starts on (a quoted field may hold line breaks). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/**
 * RFC 4180 text read back: fields split by commas (or by tabs, when the first
 * line has a tab and no comma: a paste from a spreadsheet), "quoted" fields
 * with "" for a quote and line breaks inside them, CRLF or LF line ends, a
 * UTF-8 byte-order mark ignored. Blank lines are skipped. A quote left open
 * at the end of the text is reported with the line it opened on, never guessed.
 */
export function parseCsv(text: string): { records: CsvRecord[]; unclosedQuoteLine: number | null } {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const separator = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  let touched = false;
  const endRecord = () => {
    fields.push(field);
    if (touched || fields.length > 1 || field.trim() !== '') records.push({ line: start, fields });
    fields = [];
    field = '';
    touched = false;
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else {
        if (char === '\n' || (char === '\r' && source[i + 1] !== '\n')) line++;
        field += char;
      }
      continue;
    }
    if (char === '"' && field.trim() === '') {
      quoted = true;
      quoteLine = line;
      touched = true;
      field = '';
    } else if (char === separator) {
      fields.push(field);
      field = '';
    } else if (char === '\r' || char === '\n') {
      if (char === '\r' && source[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += char;
  }
  if (quoted) return { records, unclosedQuoteLine: quoteLine };
  if (field !== '' || fields.length > 0 || touched) endRecord();
  return { records, unclosedQuoteLine: null };
}
