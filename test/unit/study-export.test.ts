/**
 * The study's exports (CSV and XLSX) and the reading of a table back for the
 * import: the housing-repairs example study out and in again with nothing
 * lost, the failure-flow cross-tab adding up, and every bad table refused
 * with the line and what is wrong.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  housingRepairsBeforeStudy,
  parseCsv,
  summarizeStudy,
  type StudyEntry,
  type StudySettings,
} from '../../src/model';
import {
  STUDY_CSV_HEADER,
  StudyTableError,
  importTime,
  studyCsv,
  studyCsvRows,
  studyRows,
  withImportIds,
} from '../../src/export/study-table';
import { failureFlowTable, looksLikeXlsx, studyWorkbook, studyXlsxRows } from '../../src/export/study-xlsx';

function exampleStudy(): { settings: StudySettings; entries: StudyEntry[] } {
  const study = housingRepairsBeforeStudy();
  return {
    settings: study.settings,
    entries: study.entries.map((e) => ({ ...e, createdAt: 1, updatedAt: 1, by: 'member' })),
  };
}

/** What an entry says, as the import gives it back: type names for ids, no derived columns. */
function asImported(settings: StudySettings, entry: StudyEntry): Record<string, unknown> {
  const name = new Map(settings.demandTypes.map((t) => [t.id, t.name]));
  const out: Record<string, unknown> = {
    id: entry.id,
    at: entry.at,
    collector: entry.collector,
    verbatim: entry.verbatim,
  };
  if (entry.class) out.class = entry.class;
  if (entry.type) out.type = name.get(entry.type);
  if (entry.handling) out.handling = entry.handling;
  if (entry.contactMethod) out.contactMethod = entry.contactMethod;
  if (entry.point) out.point = entry.point;
  if (entry.whatMatters) out.whatMatters = { ...entry.whatMatters };
  if (entry.valueDemandType) out.valueDemandType = name.get(entry.valueDemandType);
  if (entry.cause) out.cause = entry.cause;
  return out;
}

function tableError(run: () => unknown): StudyTableError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StudyTableError);
    return error as StudyTableError;
  }
  throw new Error('the table was read');
}

describe('CSV', () => {
  it('one line per entry, oldest first, types by name; reads back to the same entries', () => {
    const { settings, entries } = exampleStudy();
    const csv = studyCsv(settings, [...entries].reverse());
    const records = parseCsv(csv).records;
    expect(records[0].fields).toEqual(STUDY_CSV_HEADER);
    expect(records).toHaveLength(entries.length + 1);
    expect(csv.endsWith('\r\n')).toBe(true);
    // A chasing entry reads "When are you coming?", not its id.
    expect(csv).toContain(',failure,When are you coming?,');
    const { rows, errors } = studyCsvRows(csv);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.fields)).toEqual(entries.map((e) => asImported(settings, e)));
    // The line is the file's own: line 2 is the first entry.
    expect(rows[0].line).toBe(2);
  });

  it('keeps commas, quotes and line breaks inside a verbatim, and counts lines as the file has them', () => {
    const { settings, entries } = exampleStudy();
    const tricky: StudyEntry = {
      ...entries[0],
      id: 'tricky-entry-1',
      verbatim: 'He said "Tuesday", then\r\nnobody came, again',
    };
    const csv = studyCsv(settings, [tricky, entries[1]]);
    const { rows } = studyCsvRows(csv);
    expect(rows[0].fields.verbatim).toBe(tricky.verbatim);
    expect(rows[1].line).toBe(4);
  });

  it('a spreadsheet of a team’s own: other column names, UK dates, no ids (made from the content, the same twice)', () => {
    const csv =
      "Date,Customer's words,Demand type,Collected by\n02/03/2026 09:15,My boiler's broken,I need a repair,Aisha\n2026-03-03,Where's my plumber?,When are you coming?,Dave\n";
    const first = withImportIds(studyCsvRows(csv).rows);
    expect(first.map((r) => r.fields)).toEqual([
      {
        at: '2026-03-02T09:15:00Z',
        verbatim: "My boiler's broken",
        type: 'I need a repair',
        collector: 'Aisha',
        id: first[0].fields.id,
      },
      {
        at: '2026-03-03T00:00:00Z',
        verbatim: "Where's my plumber?",
        type: 'When are you coming?',
        collector: 'Dave',
        id: first[1].fields.id,
      },
    ]);
    expect(first[0].fields.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(first[0].fields.id).not.toBe(first[1].fields.id);
    expect(withImportIds(studyCsvRows(csv).rows).map((r) => r.fields.id)).toEqual(first.map((r) => r.fields.id));
  });

  it('an empty verbatim stays empty, for the entry check to refuse with its line', () => {
    const { rows } = studyCsvRows('verbatim,collector\n,Aisha\n');
    expect(rows).toEqual([{ line: 2, fields: { verbatim: '', collector: 'Aisha' } }]);
  });

  it.each([
    [
      'no verbatim column',
      'date,type\n2026-03-02,x\n',
      /^There is no “verbatim” column \(what the customer said\)\. The first line must name the columns/,
    ],
    ['a column it does not know', 'verbatim,mood\nhello,grumpy\n', /^The column “mood” is not one we know\./],
    [
      'two it does not know',
      'verbatim,mood,colour\nhello,grumpy,red\n',
      /^The columns “mood”, “colour” are not one we know\./,
    ],
    ['a column twice', 'verbatim,words\na,b\n', /^The column “words” is there twice\./],
    ['a header and nothing else', 'verbatim,collector\n', /^The file has a header but no entries/],
    ['nothing at all', '', /^The file is empty/],
    [
      'an unclosed quote',
      'verbatim,collector\n"never closed,Aisha\nnext,Dave\n',
      /^Line 2 opens a quote \("\) that is never closed/,
    ],
  ])('refuses %s', (_name, csv, message) => {
    expect(tableError(() => studyCsvRows(csv)).message).toMatch(message);
  });

  it('a line with more cells than the header is refused with its number, the others read', () => {
    const { rows, errors } = studyCsvRows('verbatim,collector\nfine,Aisha\nnot, fine,Dave\n');
    expect(rows).toHaveLength(1);
    expect(errors).toEqual([
      { line: 3, message: 'Line 3 has 3 cells but the header names 2 columns: is a comma missing its quotes?' },
    ]);
  });

  it('times as people type them', () => {
    expect(importTime('2026-03-02T09:15:00+01:00')).toBe('2026-03-02T09:15:00+01:00');
    expect(importTime('2026-03-02 9:05')).toBe('2026-03-02T09:05:00Z');
    expect(importTime('2/3/2026')).toBe('2026-03-02T00:00:00Z');
    expect(importTime('last Tuesday')).toBe('last Tuesday');
  });
});

describe('XLSX', () => {
  it('reopens with the same library: every entry on “Entries”, read back to the same entries', async () => {
    const { settings, entries } = exampleStudy();
    const bytes = await studyWorkbook({ title: 'Housing repairs — before', settings, entries });
    expect(looksLikeXlsx(bytes)).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Entries', 'Summary', 'Failure flow', 'Coverage']);
    const sheet = workbook.getWorksheet('Entries')!;
    expect(sheet.actualRowCount).toBe(entries.length + 1);
    expect(sheet.getRow(1).values).toEqual([undefined, ...STUDY_CSV_HEADER]);
    const ids = new Set<string>();
    sheet.eachRow((row, n) => n > 1 && ids.add(String(row.getCell(1).value)));
    expect(ids).toEqual(new Set(entries.map((e) => e.id)));
    const { rows, errors } = await studyXlsxRows(bytes, 100_000);
    expect(errors).toEqual([]);
    expect(rows.map((r) => r.fields)).toEqual(studyCsvRows(studyCsv(settings, entries)).rows.map((r) => r.fields));
  });

  it('the summary sheet carries the figures the panel shows', async () => {
    const { settings, entries } = exampleStudy();
    const summary = summarizeStudy(settings, entries);
    const bytes = await studyWorkbook({ title: 'Housing repairs', settings, entries, summary });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const values = new Map<string, unknown>();
    workbook.getWorksheet('Summary')!.eachRow((row) => values.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(values.get('Entries')).toBe(entries.length);
    expect(values.get('Failure demand %')).toBe(Math.round(summary.failureDemandPct! * 10) / 10);
    expect(values.get('Perfect % (value demand handled in one stop)')).toBe(Math.round(summary.perfectPct! * 10) / 10);
    expect(values.get('Job closed before the work was finished')).toBe(
      summary.causes.find((c) => c.cause === 'Job closed before the work was finished')!.count,
    );
  });

  it('the failure-flow cross-tab: each failure column adds up to its type’s count', () => {
    const { settings, entries } = exampleStudy();
    const summary = summarizeStudy(settings, entries);
    const table = failureFlowTable(settings, summary);
    expect(table.rows).toEqual(['I need a repair', 'I need an adaptation to my home']);
    expect(table.columns).toHaveLength(4);
    table.columns.forEach((name, j) => {
      const column = table.cells.reduce((sum, row) => sum + row[j], 0) + table.unlinked[j];
      expect(column).toBe(summary.byType.find((t) => t.name === name)!.count);
    });
    // Counted by hand from the entries: repair → chasing.
    const byHand = entries.filter((e) => e.type === 'chasing' && e.valueDemandType === 'repair').length;
    expect(table.cells[0][table.columns.indexOf('When are you coming?')]).toBe(byHand);
  });

  it('a malformed workbook is refused in plain words', async () => {
    const { settings, entries } = exampleStudy();
    const good = await studyWorkbook({ title: 'x', settings, entries: entries.slice(0, 5) });
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    for (const bytes of [truncated, Buffer.from('PK\u0003\u0004 and then nonsense')]) {
      await expect(studyXlsxRows(bytes, 100)).rejects.toThrow(/^This file is not an Excel workbook we can read/);
    }
  });

  it('a sheet with more rows than an import takes is refused before it is read', async () => {
    const { settings, entries } = exampleStudy();
    const bytes = await studyWorkbook({ title: 'x', settings, entries: entries.slice(0, 30) });
    await expect(studyXlsxRows(bytes, 20)).rejects.toThrow(/has 30 rows; an import takes at most 20/);
  });

  it('a workbook of a team’s own: the first sheet, its own column names', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Week 1');
    sheet.addRow(['When', 'What the customer said', 'Type']);
    sheet.addRow([new Date('2026-03-02T09:15:00Z'), 'My boiler has gone', 'I need a repair']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const { rows } = await studyXlsxRows(bytes, 100);
    expect(rows).toEqual([
      { line: 2, fields: { at: '2026-03-02T09:15:00.000Z', verbatim: 'My boiler has gone', type: 'I need a repair' } },
    ]);
  });

  it('rows are text: an id of digits or a time with an offset is written as typed', () => {
    const { settings, entries } = exampleStudy();
    const rows = studyRows(settings, [{ ...entries[0], id: '12345678', at: '2026-03-02T09:15:00+01:00' }]);
    expect(rows[0].id).toBe('12345678');
    expect(rows[0].at).toBe('2026-03-02T09:15:00+01:00');
  });
});
