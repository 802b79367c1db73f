/**
 * The demand study's exports and import over HTTP (issue 14), beside the
 * study routes of ./study.ts:
 *
 *   GET  /api/boards/:id/study/export?format=csv|xlsx   (editor, facilitator) → the entries as a file
 *   POST /api/boards/:id/study/import                   (editor, facilitator) body: CSV or XLSX, ≤ 20 MB
 *        → 201 { added, existing } (200 when every entry was there already);
 *          400 { error, errors: [{ line, message }] } listing every refused line, and nothing added
 *
 * The files are made and read by the pure writers in src/export/study-*.ts;
 * each row is then checked exactly as a phone's entry is (the capture API's
 * schema and `resolveFields`), so an import can hold nothing the capture
 * page could not have sent. Also here: a board file's study checked and
 * stored (POST /api/boards/import) and an example board's study stored.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BOARD_FILE_MAX_STUDY_ENTRIES, type StudySettings } from '../../src/model';
import { STUDY_LIMITS, STUDY_WORDS } from '../../src/protocol';
import {
  StudyTableError,
  studyCsv,
  studyCsvRows,
  withImportIds,
  type StudyImportRow,
  type StudyLineError,
} from '../../src/export/study-table';
import { looksLikeXlsx, studyWorkbook, studyXlsxRows } from '../../src/export/study-xlsx';
import type { Access } from '../access/access';
import type { RoomStudies } from '../sync/study';
import { attachmentHeader, readBodyBytes, refuseLines } from './export';
import { BOARD_ID_RULE, HttpError, decodeSegment, sendJson } from './respond';
import { checkEntryRows } from './study-file';
import type { BoardAccess, RequestContext } from './versions';

export const STUDY_EXPORT_FORMATS = ['csv', 'xlsx'] as const;

class RefusedLines extends Error {
  constructor(readonly errors: StudyLineError[]) {
    super('refused');
  }
}

/** The first bytes of an old binary Excel file (.xls, OLE2): not something we read. */
function looksLikeOldExcel(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

export function createStudyExportApi(boards: BoardAccess, access: Access, studies: RoomStudies) {
  async function requireStudy(boardId: string): Promise<StudySettings> {
    const settings = await studies.settings(boardId);
    if (!settings) throw new HttpError(409, STUDY_WORDS.noStudy);
    return settings;
  }

  async function exportStudy(ctx: RequestContext, request: IncomingMessage, response: ServerResponse, id: string) {
    const board = await boards.requireBoard(ctx, id, 'editor');
    const format = new URL(request.url ?? '/', 'http://localhost').searchParams.get('format') ?? '';
    if (!(STUDY_EXPORT_FORMATS as readonly string[]).includes(format)) {
      throw new HttpError(400, `"format" must be csv or xlsx${format ? `, not "${format}"` : ''}`);
    }
    const settings = await requireStudy(id);
    const entries = await studies.entries(id);
    let body: Buffer;
    if (format === 'csv') {
      // A byte-order mark, so a spreadsheet opening the file reads the customers' words as UTF-8 (the import skips it).
      body = Buffer.from(`\uFEFF${studyCsv(settings, entries)}`);
    } else {
      const changed = entries.reduce((latest, e) => Math.max(latest, e.updatedAt), board.updatedAt);
      body = await studyWorkbook({
        title: board.title,
        settings,
        entries,
        summary: (await studies.summary(id)) ?? undefined,
        date: new Date(changed),
      });
    }
    response.writeHead(200, {
      'Content-Type':
        format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Length': body.length,
      'Content-Disposition': attachmentHeader(board.title, new Date(), `-study.${format}`),
      'Cache-Control': 'no-store',
    });
    response.end(body);
  }

  async function importStudy(ctx: RequestContext, request: IncomingMessage, response: ServerResponse, id: string) {
    const board = await boards.requireBoard(ctx, id, 'editor', true);
    const me = await access.membership(ctx.caller, board);
    const bytes = await readBodyBytes(request, STUDY_LIMITS.uploadBytes, 'The file');
    if (bytes.length === 0 || (!looksLikeXlsx(bytes) && bytes.toString('utf8').trim() === '')) {
      throw new HttpError(400, 'The request body is empty: send the entries as a CSV or an Excel (.xlsx) file');
    }
    await requireStudy(id);
    let table: { rows: StudyImportRow[]; errors: StudyLineError[] };
    try {
      if (looksLikeXlsx(bytes)) table = await studyXlsxRows(bytes, BOARD_FILE_MAX_STUDY_ENTRIES);
      else if (looksLikeOldExcel(bytes)) {
        throw new StudyTableError(
          'This is an old Excel file (.xls), which we cannot read. Save it as an Excel workbook (.xlsx) or as CSV UTF-8, and import that.',
        );
      } else {
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          throw new StudyTableError(
            'This file is not CSV text in UTF-8 (nor an Excel workbook). Save it as “CSV UTF-8” or as .xlsx, and import that.',
          );
        }
        table = studyCsvRows(text);
        if (table.rows.length + table.errors.length > BOARD_FILE_MAX_STUDY_ENTRIES) {
          throw new StudyTableError(
            `The file has ${table.rows.length + table.errors.length} entries; an import takes at most ${BOARD_FILE_MAX_STUDY_ENTRIES}. Split it into parts.`,
          );
        }
      }
    } catch (error) {
      if (error instanceof StudyTableError)
        return refuseLines(response, [{ line: error.line, message: error.message }]);
      throw error;
    }
    const rows = withImportIds(table.rows);
    const author = { name: ctx.caller.name.trim() || 'Imported', memberId: me.id, now: Date.now() };
    try {
      const result = await studies.exclusive(id, async ({ settings }) => {
        if (!settings) throw new HttpError(409, STUDY_WORDS.noStudy);
        const { entries, errors } = checkEntryRows(settings, rows, author);
        // Every refused line is listed: those the table refused and those the entry checks refused.
        if (table.errors.length + errors.length > 0) throw new RefusedLines([...table.errors, ...errors]);
        return studies.add(id, entries);
      });
      sendJson(response, result.added.length > 0 ? 201 : 200, {
        added: result.added.length,
        existing: result.existing.length,
      });
    } catch (error) {
      if (error instanceof RefusedLines) return refuseLines(response, error.errors);
      throw error;
    }
  }

  /** Handles /api/boards/:id/study/export and /study/import; false for any other path. */
  return async function handleStudyExportApi(
    ctx: RequestContext,
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    const match = /^\/api\/boards\/([^/]+)\/study\/(export|import)$/.exec(pathname);
    if (!match) return false;
    const id = decodeSegment(match[1], BOARD_ID_RULE);
    const method = request.method ?? 'GET';
    if (match[2] === 'export') {
      if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on /api/boards/:id/study/export`);
      await exportStudy(ctx, request, response, id);
    } else {
      if (method !== 'POST') throw new HttpError(405, `${method} is not allowed on /api/boards/:id/study/import`);
      await importStudy(ctx, request, response, id);
    }
    return true;
  };
}
