/**
 * Exports and imports over HTTP: the board file and the CSV tables, made by
 * the model's own writers (src/model/board-file.ts, csv.ts) so the button,
 * this API and the CLI give the same bytes.
 *
 *   GET  /api/boards/:id/export?format=json|csv-demand|csv-steps|svg|png|pdf
 *   POST /api/boards/import            (body: a board file) → 201 { id, title, role, links }
 *   POST /api/boards/:id/demand/import (body: CSV with a header line)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { nanoid } from 'nanoid';
import {
  BOARD_FILE_MAX_BYTES,
  BoardFileError,
  BoardOperationError,
  DEMAND_CSV_HEADER,
  addDemandRows,
  checkDemandFields,
  countSteps,
  importBoardFile,
  importVersions,
  parseBoardFileBytes,
  parseDemandRows,
  readMeta,
  type DemandRowError,
  type ImportedVersion,
} from '../../src/model';
import { isValidBoardId } from '../../src/protocol';
import type { BoardStorage } from '../storage/storage';
import { SERVER_ORIGIN, type RoomManager } from '../sync/rooms';
import { HttpError, sendJson } from './respond';
import { StudyFileError, storageStudies, storeStudy, studyOfFile } from './study-file';
import type { BoardAccess, RequestContext } from './versions';
import {
  EXPORT_FORMATS,
  EXPORT_TYPES,
  destroyVersions,
  exportBoard as exportBytes,
  storedRoomData,
  isExportFormat,
  storedVersions,
} from '../export/exports';

export { EXPORT_FORMATS, type ExportFormat } from '../export/exports';

/** A demand CSV this size is tens of thousands of rows: more than any workshop counts. */
const MAX_DEMAND_CSV_BYTES = 1024 * 1024;
/** Past this much, an oversized body is no longer read to the end: the connection is dropped. */
const MAX_DRAIN_BYTES = 4 * BOARD_FILE_MAX_BYTES;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Reads a body of at most `limit` bytes, as bytes (the board file checks its own UTF-8). An oversized body is
 * still read to its end (up to MAX_DRAIN_BYTES) before the 413 is sent, so
 * the client, still uploading, receives the answer rather than a reset.
 */
export async function readBodyBytes(request: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAIN_BYTES) {
      request.destroy();
      break;
    }
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  if (size > limit) {
    throw new HttpError(
      413,
      `${what} is larger than ${megabytes(limit)} (${limit} bytes), the most this server accepts`,
    );
  }
  return Buffer.concat(chunks);
}

/** `<title> – <YYYY-MM-DD><suffix>`: the name a download gets, safe for every file system. */
export function downloadName(title: string, date: Date, suffix: string): string {
  const day = date.toISOString().slice(0, 10);
  // Control characters become spaces, characters no file system takes become "-".
  const safe =
    title
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, ' ')
      .replace(/[<>:"/\\|?*]/g, '-')
      .replace(/\s+/g, ' ')
      .trim() || 'board';
  return `${safe} – ${day}${suffix}`;
}

/** The download name as a Content-Disposition, with an ASCII fallback and RFC 5987 `filename*`. */
export function attachmentHeader(title: string, date: Date, suffix: string): string {
  const name = downloadName(title, date, suffix);
  const ascii = name
    .replace(/–/g, '-')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/[%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function checkedBoardId(raw: string): string {
  let id: string;
  try {
    id = decodeURIComponent(raw);
  } catch {
    id = '';
  }
  if (!isValidBoardId(id)) throw new HttpError(400, 'A board id is 1 to 64 letters, digits, "_" or "-"');
  return id;
}

/** The line numbers of the rows `parseDemandRows` gave, in order: every non-empty line that is neither the header nor refused. */
function rowLines(text: string, refused: Set<number>): number[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const numbers: number[] = [];
  lines.forEach((raw, index) => {
    if (index === 0 || raw.trim() === '' || refused.has(index + 1)) return;
    numbers.push(index + 1);
  });
  return numbers;
}

/**
 * An import with bad rows adds nothing: 400 with the first problem in
 * words and every refused line, so the screen can list them all (the demand
 * CSV and the study's CSV and XLSX import answer alike).
 */
export function refuseLines(response: ServerResponse, errors: DemandRowError[]): void {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  const more =
    sorted.length > 1 ? ` ${sorted.length - 1} more ${sorted.length === 2 ? 'row has' : 'rows have'} a problem.` : '';
  sendJson(response, 400, {
    error: `${sorted[0].message}${more} Nothing was added: correct the file and import it again.`,
    errors: sorted,
  });
}
const refuseDemand = refuseLines;

export function createExportApi(storage: BoardStorage, rooms: RoomManager, boards: BoardAccess) {
  async function openBoard(id: string) {
    const room = await rooms.open(id);
    if (!room) throw new HttpError(404, `Board "${id}" not found`);
    return room;
  }

  async function exportBoard(
    ctx: RequestContext,
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
  ): Promise<void> {
    await boards.requireBoard(ctx, id);
    const requested = new URL(request.url ?? '/', 'http://localhost').searchParams.get('format') ?? '';
    if (!isExportFormat(requested)) {
      throw new HttpError(
        400,
        `"format" must be one of ${EXPORT_FORMATS.join(', ')}${requested ? `, not "${requested}"` : ''}`,
      );
    }
    const format = requested;
    const record = await storage.getBoard(id);
    const room = await openBoard(id);
    let body: Buffer;
    let title: string;
    // The board file carries the saved versions; the CSV tables are of the live board only.
    const versions = format === 'json' ? await storedVersions(storage, id) : [];
    try {
      title = readMeta(room.doc).title;
      const roomData = format === 'json' || format === 'pdf' ? await storedRoomData(storage, id, room.doc) : undefined;
      body = await exportBytes(room.doc, format, new Date(record?.updatedAt ?? 0), versions, roomData);
    } finally {
      rooms.scheduleUnloadIfIdle(room);
      destroyVersions(versions);
    }
    const { contentType, suffix } = EXPORT_TYPES[format];
    response.writeHead(200, {
      'Content-Type': contentType,
      'Content-Length': body.length,
      'Content-Disposition': attachmentHeader(title, new Date(), suffix),
      'Cache-Control': 'no-store',
    });
    response.end(body);
  }

  async function importBoard(ctx: RequestContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const bytes = await readBodyBytes(request, BOARD_FILE_MAX_BYTES, 'The board file');
    if (bytes.toString('utf8').trim() === '')
      throw new HttpError(400, 'The request body is empty: send a board file (JSON)');
    const doc = new Y.Doc();
    let versions: ImportedVersion[] = [];
    try {
      const file = parseBoardFileBytes(bytes);
      // A reply whose thread is not in the file is refused: a comment is never silently dropped.
      const threads = new Set((file.comments ?? []).filter((c) => c.threadId === null).map((c) => c.id));
      const lost = (file.comments ?? []).findIndex((c) => c.threadId !== null && !threads.has(c.threadId));
      if (lost >= 0)
        return sendJson(response, 400, {
          error: `The board file was not imported. Comment ${lost + 1} is a reply to a thread that is not in the file.`,
          path: `comments.${lost}.threadId`,
        });
      importBoardFile(doc, file, SERVER_ORIGIN);
      versions = importVersions(file, SERVER_ORIGIN);
      // The study is checked as the capture API checks entries before the board is made: a refused study creates nothing.
      const study = file.study
        ? studyOfFile(file.study, { name: ctx.caller.name.trim() || 'Imported', memberId: '', now: Date.now() })
        : null;
      // Stored as the board's first state, with its versions, in one transaction: nobody can see it
      // half-made, and a refused file stores nothing.
      const created = await boards.createBoardFrom(
        ctx,
        doc,
        versions.map((v) => ({
          record: { id: nanoid(10), name: v.name, savedBy: v.savedBy, savedAt: v.savedAt, steps: countSteps(v.doc) },
          state: Y.encodeStateAsUpdate(v.doc),
        })),
      );
      // The board's votes and comments come with it (issue 15); ids are new so two imports never share a row.
      for (const vote of file.votes ?? [])
        await storage.putVote(created.id, { ...vote, id: nanoid(), status: 'revealed', ballots: {}, ended: true });
      const threadIds = new Map<string, string>();
      for (const comment of file.comments ?? []) if (comment.threadId === null) threadIds.set(comment.id, nanoid());
      for (const comment of file.comments ?? []) {
        const threadId = comment.threadId === null ? null : (threadIds.get(comment.threadId) ?? null);
        await storage.putComment({
          ...comment,
          id: comment.threadId === null ? threadIds.get(comment.id)! : nanoid(),
          boardId: created.id,
          threadId,
          authorId: '',
        });
      }
      if (study) await storeStudy(storageStudies(storage), created.id, study);
      sendJson(response, 201, created);
    } catch (error) {
      if (error instanceof StudyFileError) {
        return sendJson(response, 400, {
          error: `The board file was not imported. ${error.message}`,
          path: error.path,
        });
      }
      if (error instanceof BoardFileError) {
        return sendJson(response, 400, {
          // A sentence for people; the path and the check's own words for machines.
          error: `The board file was not imported. ${error.message}`,
          path: error.path,
          problem: error.problem,
        });
      }
      throw error;
    } finally {
      doc.destroy();
      for (const version of versions) version.doc.destroy();
    }
  }

  async function importDemand(
    ctx: RequestContext,
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
  ): Promise<void> {
    await boards.requireBoard(ctx, id, 'editor', true);
    const text = (await readBodyBytes(request, MAX_DEMAND_CSV_BYTES, 'The CSV')).toString('utf8');
    const csv = text.replace(/^\uFEFF/, '');
    const firstLine = csv.split(/\r\n?|\n/, 1)[0] ?? '';
    const [first = '', second = ''] = firstLine.split(/[,\t]/);
    if (!/words|demand|what.*customer/i.test(first) || !/class|type/i.test(second)) {
      const message = `The first line of the file must name the columns: ${DEMAND_CSV_HEADER.join(',')}. Add that line at the top.`;
      return refuseDemand(response, [{ line: 1, message }]);
    }
    const { rows, errors } = parseDemandRows(csv);
    if (errors.length === 0 && rows.length === 0) {
      throw new HttpError(400, 'The CSV has a header but no rows; nothing was added');
    }
    // The operations refuse what the parser lets through (words over 500 characters): check every row first.
    const lines = rowLines(csv, new Set(errors.map((e) => e.line)));
    rows.forEach((row, index) => {
      try {
        checkDemandFields(row);
      } catch (error) {
        if (!(error instanceof BoardOperationError)) throw error;
        const problem = error.message.replace(/^[A-Z](?![A-Z])/, (c) => c.toLowerCase()).replace(/\.$/, '');
        errors.push({ line: lines[index], message: `Demand row ${lines[index]}: ${problem}.` });
      }
    });
    if (errors.length > 0) return refuseDemand(response, errors);
    const room = await openBoard(id);
    try {
      const ids = addDemandRows(room.doc, rows, SERVER_ORIGIN);
      sendJson(response, 200, { added: ids.length });
    } finally {
      rooms.scheduleUnloadIfIdle(room);
    }
  }

  /** Answers the request when it is one of these routes; false to let the rest of the API try. */
  return async function handleExportApi(
    ctx: RequestContext,
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    const method = request.method ?? 'GET';
    if (pathname === '/api/boards/import' && method === 'POST') {
      await importBoard(ctx, request, response);
      return true;
    }
    const match = /^\/api\/boards\/([^/]*)\/(export|demand\/import)$/.exec(pathname);
    if (!match) return false;
    const id = checkedBoardId(match[1]);
    if (match[2] === 'export') {
      if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on /api/boards/:id/export`);
      await exportBoard(ctx, request, response, id);
    } else {
      if (method !== 'POST') throw new HttpError(405, `${method} is not allowed on /api/boards/:id/demand/import`);
      await importDemand(ctx, request, response, id);
    }
    return true;
  };
}
