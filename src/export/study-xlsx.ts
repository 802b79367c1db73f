/**
 * The demand study as an Excel workbook (exceljs): every entry on the
 * "Entries" sheet (the same columns as the CSV, study-table.ts), the figures
 * on "Summary", the failure flow as a cross-tab (value demand down, the
 * failure demand it produced across), and entries per collector per day on
 * "Coverage". And the way back: the "Entries" sheet (or the first sheet) of
 * a workbook as rows for the import.
 *
 * Server-side in practice (exceljs is large; nothing in the client imports
 * this module, and src/export/index.ts does not re-export it).
 */
import ExcelJS from 'exceljs';
import { summarizeStudy, type StudyEntry, type StudySettings, type StudySummary } from '../model';
import { formatPct } from './format';
import { STUDY_COLUMNS, StudyTableError, studyImportRows, studyRows, type StudyImportRow } from './study-table';

const ENTRIES_SHEET = 'Entries';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE2E8F0' } };
const WIDTHS: Partial<Record<(typeof STUDY_COLUMNS)[number]['key'], number>> = {
  id: 24,
  at: 26,
  day: 12,
  collector: 14,
  verbatim: 60,
  type: 28,
  handling: 18,
  contactMethod: 14,
  point: 20,
  whatMattersCategory: 20,
  whatMattersNote: 40,
  valueDemandType: 28,
  cause: 36,
};

function headerRow(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.eachCell((cell) => (cell.fill = HEADER_FILL));
}

/** A percentage for a cell: the number (for sums and charts), with the panel's reading beside it. */
function pctCell(value: number | null): number | string {
  return value === null ? formatPct(value) : Math.round(value * 10) / 10;
}

export interface StudyWorkbookInput {
  title: string;
  settings: StudySettings;
  entries: readonly StudyEntry[];
  /** The summary of the whole study, if the caller has it already (else it is worked out here). */
  summary?: StudySummary;
  /** Written as the workbook's created and modified time: the board's last change, so the same study gives the same workbook. */
  date?: Date;
}

function entriesSheet(workbook: ExcelJS.Workbook, input: StudyWorkbookInput): void {
  const sheet = workbook.addWorksheet(ENTRIES_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = STUDY_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: WIDTHS[c.key] ?? 12 }));
  headerRow(sheet.getRow(1));
  // Every cell is text: a spreadsheet must not read "2026-03-02T09:15:00+01:00" as its own time, or an id as a number.
  for (const row of studyRows(input.settings, input.entries)) sheet.addRow(row);
  sheet.getColumn('verbatim').alignment = { wrapText: true, vertical: 'top' };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: STUDY_COLUMNS.length } };
}

function summarySheet(workbook: ExcelJS.Workbook, input: StudyWorkbookInput, summary: StudySummary): void {
  const sheet = workbook.addWorksheet('Summary');
  sheet.columns = [{ width: 42 }, { width: 14 }, { width: 14 }, { width: 16 }, { width: 70 }];
  const title = sheet.addRow([`Demand study: ${input.title}`]);
  title.font = { bold: true, size: 14 };
  sheet.addRow(['Study period', `${input.settings.start} to ${input.settings.end}`]);
  sheet.addRow([]);
  const figures: [string, number | string][] = [
    ['Entries', summary.total],
    ['Value demand', summary.value],
    ['Failure demand', summary.failure],
    ['Not yet classified', summary.unsure],
    ['Failure demand %', pctCell(summary.failureDemandPct)],
    ['Perfect % (value demand handled in one stop)', pctCell(summary.perfectPct)],
  ];
  for (const row of figures) sheet.addRow(row);
  const section = (name: string, header: string[]) => {
    sheet.addRow([]);
    const named = sheet.addRow([name]);
    named.font = { bold: true };
    headerRow(sheet.addRow(header));
  };
  section('Demand by type', ['Type', 'Class', 'Entries', 'Predictable', 'Why']);
  const predictable = new Map(summary.predictable.map((p) => [p.type, p]));
  for (const t of [...summary.byType].sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1))) {
    const p = predictable.get(t.type);
    sheet.addRow([t.name, t.class, t.count, p ? (p.predictable ? 'yes' : 'no') : '', p?.reason ?? '']);
  }
  section('Failure causes, ranked', ['Cause', 'Entries']);
  for (const c of summary.causes) sheet.addRow([c.cause, c.count]);
  section('What matters', ['Category', 'Entries']);
  for (const c of summary.whatMatters.categories) sheet.addRow([c.category, c.count]);
  section('Contact methods', ['Contact method', 'Entries']);
  for (const c of summary.contactMethods) sheet.addRow([c.name, c.count]);
  if (summary.points.length > 0) {
    section('Points of transaction', ['Point', 'Entries']);
    for (const c of summary.points) sheet.addRow([c.name, c.count]);
  }
  section('Demand by week (weeks start on Monday)', ['Week of', 'Value', 'Failure', 'Not yet classified']);
  for (const w of summary.overTime.weekly) sheet.addRow([w.week, w.value, w.failure, w.unsure]);
}

/**
 * The failure flow as a cross-tab: one row per value demand type, one column
 * per failure demand type, each cell the failure entries of that type that
 * stem from that value demand. A last row holds the failure entries no one
 * has linked yet, so every column adds up to the type's count.
 */
export function failureFlowTable(
  settings: StudySettings,
  summary: StudySummary,
): { rows: string[]; columns: string[]; cells: number[][]; unlinked: number[] } {
  const value = settings.demandTypes.filter((t) => t.class === 'value');
  const failure = settings.demandTypes.filter((t) => t.class === 'failure');
  const flow = new Map(summary.failureFlow.map((f) => [`${f.from}\u0000${f.to}`, f.count]));
  const cells = value.map((v) => failure.map((f) => flow.get(`${v.id}\u0000${f.id}`) ?? 0));
  const count = new Map(summary.byType.map((t) => [t.type, t.count]));
  const unlinked = failure.map((f, j) => (count.get(f.id) ?? 0) - cells.reduce((sum, row) => sum + row[j], 0));
  return { rows: value.map((t) => t.name), columns: failure.map((t) => t.name), cells, unlinked };
}

function flowSheet(workbook: ExcelJS.Workbook, input: StudyWorkbookInput, summary: StudySummary): void {
  const sheet = workbook.addWorksheet('Failure flow');
  const table = failureFlowTable(input.settings, summary);
  sheet.addRow(['Which value demand produces which failure demand (entries)']).font = { bold: true };
  headerRow(sheet.addRow(['Value demand ↓ / failure demand →', ...table.columns, 'Total']));
  sheet.getColumn(1).width = 40;
  table.columns.forEach((_, j) => (sheet.getColumn(j + 2).width = 22));
  table.rows.forEach((name, i) =>
    sheet.addRow([name, ...table.cells[i], table.cells[i].reduce((sum, n) => sum + n, 0)]),
  );
  sheet.addRow(['(not linked to a value demand yet)', ...table.unlinked, table.unlinked.reduce((s, n) => s + n, 0)]);
  const totals = table.columns.map((_, j) => table.cells.reduce((sum, row) => sum + row[j], 0) + table.unlinked[j]);
  sheet.addRow(['Total', ...totals, totals.reduce((s, n) => s + n, 0)]).font = { bold: true };
}

function coverageSheet(workbook: ExcelJS.Workbook, summary: StudySummary): void {
  const sheet = workbook.addWorksheet('Coverage');
  const days = [...new Set(summary.coverage.map((c) => c.day))].sort();
  const collectors = [...new Set(summary.coverage.map((c) => c.collector))].sort();
  const count = new Map(summary.coverage.map((c) => [`${c.collector}\u0000${c.day}`, c.count]));
  sheet.addRow(['Entries per collector per day']).font = { bold: true };
  headerRow(sheet.addRow(['Collector', ...days, 'Total']));
  sheet.getColumn(1).width = 24;
  for (const collector of collectors) {
    const row = days.map((day) => count.get(`${collector}\u0000${day}`) ?? 0);
    sheet.addRow([collector, ...row, row.reduce((s, n) => s + n, 0)]);
  }
}

/** The study as an .xlsx file: Entries, Summary, Failure flow, Coverage. */
export async function studyWorkbook(input: StudyWorkbookInput): Promise<Buffer> {
  const summary = input.summary ?? summarizeStudy(input.settings, input.entries);
  const workbook = new ExcelJS.Workbook();
  const date = input.date ?? new Date(0);
  workbook.creator = 'Purposeboard';
  workbook.created = date;
  workbook.modified = date;
  entriesSheet(workbook, input);
  summarySheet(workbook, input, summary);
  flowSheet(workbook, input, summary);
  coverageSheet(workbook, summary);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- reading a workbook back

/** A cell as the text people see in it: dates as ISO text, rich text joined, a formula by its result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** The first bytes of every .xlsx (a zip): "PK\x03\x04". */
export function looksLikeXlsx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The rows of a workbook's "Entries" sheet (or its first sheet) as entry
 * fields, each with its row number. A file exceljs cannot open is refused in
 * plain words (StudyTableError), never a stack trace.
 */
export async function studyXlsxRows(
  bytes: Uint8Array,
  maxRows: number,
): Promise<{ rows: StudyImportRow[]; errors: { line: number; message: string }[] }> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new StudyTableError(
      'This file is not an Excel workbook we can read (.xlsx): it may be damaged, or another kind of file. Save it again as .xlsx or as CSV and import that.',
    );
  }
  const sheet = workbook.getWorksheet(ENTRIES_SHEET) ?? workbook.worksheets[0];
  if (!sheet) throw new StudyTableError('The workbook has no sheets: nothing was added.');
  if (sheet.actualRowCount - 1 > maxRows) {
    throw new StudyTableError(
      `The sheet “${sheet.name}” has ${sheet.actualRowCount - 1} rows; an import takes at most ${maxRows}. Split it into parts.`,
    );
  }
  const rows: { line: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= row.cellCount; column++) cells.push(cellText(row.getCell(column).value));
    rows.push({ line: rowNumber, cells });
  });
  return studyImportRows(rows);
}
