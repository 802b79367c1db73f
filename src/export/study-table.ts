/**
 * The demand study as a table, one row per entry: what the CSV and the XLSX
 * export write (study-xlsx.ts), and what "Import entries" reads back. One
 * column list for both ways, so an exported file always imports again.
 *
 * People read these files in a spreadsheet, so a type is written by its name
 * (the import takes a name or an id), times stay as the phone wrote them (ISO
 * text with its offset, so a spreadsheet never shifts them into its own time
 * zone), and the columns the export works out ("day", "one stop") are there
 * to sort and filter by, and ignored on the way back in.
 *
 * Reading is pure and refuses nothing it can leave to the entry's own checks
 * (the capture API's schema and the study's settings, on the server): it
 * turns each row into the fields of an entry, with its line, and says only
 * what is wrong with the table itself (columns it does not know, a line that
 * has more cells than the header).
 */
import { classOfEntry, parseCsv, toCsv, typesById, type StudyEntry, type StudySettings } from '../model';

/** The columns, in order: the key is the entry's field (or a derived one), the header what people read. */
export const STUDY_COLUMNS = [
  { key: 'id', header: 'id' },
  { key: 'at', header: 'at' },
  { key: 'day', header: 'day', derived: true },
  { key: 'collector', header: 'collector' },
  { key: 'verbatim', header: 'verbatim' },
  { key: 'class', header: 'class' },
  { key: 'type', header: 'type' },
  { key: 'handling', header: 'handling' },
  { key: 'oneStop', header: 'one stop', derived: true },
  { key: 'contactMethod', header: 'contact method' },
  { key: 'point', header: 'point of transaction' },
  { key: 'whatMattersCategory', header: 'what matters' },
  { key: 'whatMattersNote', header: 'what matters note' },
  { key: 'valueDemandType', header: 'value demand' },
  { key: 'cause', header: 'cause' },
] as const;
export type StudyColumnKey = (typeof STUDY_COLUMNS)[number]['key'];
export const STUDY_CSV_HEADER = STUDY_COLUMNS.map((c) => c.header);

/** Other words people put at the top of the column, so a team's own spreadsheet imports without renaming. */
const HEADER_WORDS: Record<string, StudyColumnKey> = {
  id: 'id',
  'entry id': 'id',
  at: 'at',
  time: 'at',
  date: 'at',
  'date and time': 'at',
  when: 'at',
  day: 'day',
  collector: 'collector',
  'collected by': 'collector',
  'written by': 'collector',
  verbatim: 'verbatim',
  words: 'verbatim',
  "customer's words": 'verbatim',
  'customer words': 'verbatim',
  'what the customer said': 'verbatim',
  demand: 'verbatim',
  class: 'class',
  type: 'type',
  'demand type': 'type',
  handling: 'handling',
  'handled by': 'handling',
  'one stop': 'oneStop',
  'contact method': 'contactMethod',
  channel: 'contactMethod',
  point: 'point',
  'point of transaction': 'point',
  'what matters': 'whatMattersCategory',
  'what matters category': 'whatMattersCategory',
  'what matters note': 'whatMattersNote',
  'what matters notes': 'whatMattersNote',
  'value demand': 'valueDemandType',
  'value demand type': 'valueDemandType',
  'stems from': 'valueDemandType',
  cause: 'cause',
  'failure cause': 'cause',
};

/** The cell for each column of one entry (text; empty when not filled in). */
export function studyRowOf(
  entry: StudyEntry,
  typeNames: ReadonlyMap<string, string>,
  oneStop: ReadonlyMap<string, boolean>,
): Record<StudyColumnKey, string> {
  const stop = entry.handling === undefined ? undefined : oneStop.get(entry.handling);
  return {
    id: entry.id,
    at: entry.at,
    day: entry.at.slice(0, 10),
    collector: entry.collector,
    verbatim: entry.verbatim,
    class: entry.class ?? '',
    type: entry.type === undefined ? '' : (typeNames.get(entry.type) ?? entry.type),
    handling: entry.handling ?? '',
    oneStop: stop === undefined ? '' : stop ? 'yes' : 'no',
    contactMethod: entry.contactMethod ?? '',
    point: entry.point ?? '',
    whatMattersCategory: entry.whatMatters?.category ?? '',
    whatMattersNote: entry.whatMatters?.note ?? '',
    valueDemandType:
      entry.valueDemandType === undefined ? '' : (typeNames.get(entry.valueDemandType) ?? entry.valueDemandType),
    cause: entry.cause ?? '',
  };
}

/** Oldest first (by when it was said, then id): the same study gives the same file. */
export function entriesInOrder(entries: readonly StudyEntry[]): StudyEntry[] {
  return [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Every entry as rows of cells, oldest first, with the class as the measures count it when the entry has a type. */
export function studyRows(settings: StudySettings, entries: readonly StudyEntry[]): Record<StudyColumnKey, string>[] {
  const types = typesById(settings);
  const typeNames = new Map(settings.demandTypes.map((t) => [t.id, t.name]));
  const oneStop = new Map(settings.handlingTypes.map((h) => [h.name, h.oneStop]));
  return entriesInOrder(entries).map((entry) => {
    const row = studyRowOf(entry, typeNames, oneStop);
    // A typed entry is of its type's class, whatever was stored before the type was renamed or moved.
    if (entry.type !== undefined && types.has(entry.type)) row.class = classOfEntry(entry, types);
    return row;
  });
}

/** The entries as CSV (RFC 4180, CRLF), the header first. */
export function studyCsv(settings: StudySettings, entries: readonly StudyEntry[]): string {
  return toCsv(
    STUDY_CSV_HEADER,
    studyRows(settings, entries).map((row) => STUDY_COLUMNS.map((c) => row[c.key])),
  );
}

// ---------------------------------------------------------------- reading a table back

/** One row of an imported table as the fields of an entry (strings, left out when empty), with its line. */
export interface StudyImportRow {
  /** The line (CSV) or row number (XLSX) people see in their file. */
  line: number;
  fields: Record<string, unknown>;
}

/** A refused line: its number and why, in words. */
export interface StudyLineError {
  line: number;
  message: string;
}

/** What went wrong with the table as a whole, before any row is read: no header, columns it does not know. */
export class StudyTableError extends Error {
  constructor(
    message: string,
    readonly line = 1,
  ) {
    super(message);
    this.name = 'StudyTableError';
  }
}

function normalHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[_\s-]+/g, ' ');
}

/**
 * The column each header cell names; refuses a header without a verbatim
 * column, a column named twice and a column it does not know (its data
 * would otherwise be dropped without a word).
 */
export function studyColumnsOf(header: readonly string[]): (StudyColumnKey | null)[] {
  const seen = new Set<StudyColumnKey>();
  const unknown: string[] = [];
  const keys = header.map((cell) => {
    const words = normalHeader(cell);
    if (words === '') return null;
    const key = HEADER_WORDS[words];
    if (!key) {
      unknown.push(cell.trim());
      return null;
    }
    if (seen.has(key)) throw new StudyTableError(`The column “${cell.trim()}” is there twice. Keep one of them.`);
    seen.add(key);
    return key;
  });
  const expected = `The first line must name the columns, such as: ${STUDY_CSV_HEADER.join(', ')}.`;
  if (unknown.length > 0) {
    const list = unknown.map((u) => `“${u}”`).join(', ');
    throw new StudyTableError(
      `${unknown.length === 1 ? 'The column' : 'The columns'} ${list} ${unknown.length === 1 ? 'is' : 'are'} not one we know. ${expected}`,
    );
  }
  if (!seen.has('verbatim')) {
    throw new StudyTableError(`There is no “verbatim” column (what the customer said). ${expected}`);
  }
  return keys;
}

/**
 * A time as people type it in a spreadsheet, as the ISO text the entry
 * schema reads: ISO with an offset stays as it is; a date alone, or a date
 * and time without an offset ("2026-03-02 09:15"), is taken as written (its
 * day kept) and marked Z; a UK date ("02/03/2026 09:15", day first, as the
 * councils this is for write it) likewise. Anything else is left for the
 * schema to refuse in words.
 */
export function importTime(value: string): string {
  const text = value.trim();
  const pad = (n: string) => n.padStart(2, '0');
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (iso) {
    const [, day, hh, mm, ss, frac, offset] = iso;
    if (hh === undefined) return `${day}T00:00:00${offset ?? 'Z'}`;
    return `${day}T${pad(hh)}:${mm}:${ss ?? '00'}${frac ?? ''}${offset ?? 'Z'}`;
  }
  const uk = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (uk) {
    const [, d, m, y, hh, mm, ss] = uk;
    return `${y}-${pad(m)}-${pad(d)}T${pad(hh ?? '0')}:${mm ?? '00'}:${ss ?? '00'}Z`;
  }
  return text;
}

/** The entry fields of one row of cells; derived columns and empty cells are left out. */
function fieldsOf(keys: readonly (StudyColumnKey | null)[], cells: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const whatMatters: Record<string, string> = {};
  keys.forEach((key, index) => {
    const value = (cells[index] ?? '').trim();
    if (key === null || value === '' || key === 'day' || key === 'oneStop') return;
    if (key === 'whatMattersCategory') whatMatters.category = value;
    else if (key === 'whatMattersNote') whatMatters.note = value;
    else if (key === 'class') fields.class = value.toLowerCase() === 'not sure' ? 'unsure' : value.toLowerCase();
    else if (key === 'at') fields.at = importTime(value);
    else fields[key] = value;
  });
  if (Object.keys(whatMatters).length > 0) fields.whatMatters = whatMatters;
  // The verbatim is kept even when empty, so the entry's own check says "cannot be empty" for the line.
  if (fields.verbatim === undefined) fields.verbatim = '';
  return fields;
}

/** A table's rows (the header first) as entry fields; a row with more cells than the header is refused. */
export function studyImportRows(rows: readonly { line: number; cells: readonly string[] }[]): {
  rows: StudyImportRow[];
  errors: StudyLineError[];
} {
  const [header, ...body] = rows;
  if (!header) throw new StudyTableError('The file is empty: it has no header line and no entries.');
  const keys = studyColumnsOf(header.cells);
  const errors: StudyLineError[] = [];
  const out: StudyImportRow[] = [];
  for (const row of body) {
    if (row.cells.every((c) => c.trim() === '')) continue;
    const extra = row.cells.slice(keys.length).filter((c) => c.trim() !== '');
    if (extra.length > 0) {
      errors.push({
        line: row.line,
        message: `Line ${row.line} has ${row.cells.length} cells but the header names ${keys.length} columns: is a comma missing its quotes?`,
      });
      continue;
    }
    out.push({ line: row.line, fields: fieldsOf(keys, row.cells) });
  }
  if (out.length === 0 && errors.length === 0) {
    throw new StudyTableError('The file has a header but no entries: nothing was added.');
  }
  return { rows: out, errors };
}

/** A CSV's rows as entry fields. */
export function studyCsvRows(text: string): { rows: StudyImportRow[]; errors: StudyLineError[] } {
  const { records, unclosedQuoteLine } = parseCsv(text);
  if (unclosedQuoteLine !== null) {
    throw new StudyTableError(
      `Line ${unclosedQuoteLine} opens a quote (") that is never closed, so the rest of the file cannot be read. Close the quote and import again.`,
      unclosedQuoteLine,
    );
  }
  return studyImportRows(records.map((r) => ({ line: r.line, cells: r.fields })));
}

/**
 * An id for a row that has none (a team's own spreadsheet): made from what
 * the row says and how many identical rows came before it, so importing the
 * same file twice adds nothing the second time.
 */
export function importedEntryId(fields: Record<string, unknown>, occurrence: number): string {
  const text = JSON.stringify([fields.at, fields.collector, fields.verbatim, occurrence]);
  // Two 32-bit FNV-1a hashes with different seeds: 64 bits, plenty for one study's rows.
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return `import-${a.toString(36)}${b.toString(36)}`.padEnd(16, '0');
}

/** Gives every row without an id its content-made id (in place) and returns the rows. */
export function withImportIds(rows: StudyImportRow[]): StudyImportRow[] {
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (typeof row.fields.id === 'string' && row.fields.id !== '') continue;
    const key = JSON.stringify([row.fields.at, row.fields.collector, row.fields.verbatim]);
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    row.fields.id = importedEntryId(row.fields, occurrence);
  }
  return rows;
}
