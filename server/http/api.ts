/**
 * The HTTP API: the board list and its changes. Board content changes only
 * through the document (model operations), so a rename here is applied to
 * the live board and reaches everyone on it like any other edit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { z } from 'zod';
import { nanoid } from 'nanoid';
import {
  EXAMPLE_PAIRS,
  MAX_TITLE_LENGTH,
  TEMPLATES,
  TEMPLATE_IDS,
  afterTitle,
  countSteps,
  examplePairOf,
  initBoard,
  listTemplates,
  measuresOfDoc,
  linkToBefore,
  readMeta,
  setBoardTitle,
  type TemplateId,
} from '../../src/model';
import { CLOSE_BOARD_DELETED } from '../../src/protocol';
import type { BoardRecord, BoardStorage } from '../storage/storage';
import { SERVER_ORIGIN, type RoomManager } from '../sync/rooms';
import { HttpError, checkBoardId, parseBody, readJsonBody, sendError, sendJson } from './respond';
import { createExportApi } from './export';
import { createBoardAccess, createVersionsApi } from './versions';
import { createCompareApi } from './compare';

const MAX_BODY_BYTES = 64 * 1024;

const titleSchema = z
  .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
  .trim()
  .min(1, 'cannot be empty')
  .max(MAX_TITLE_LENGTH, `is longer than ${MAX_TITLE_LENGTH} characters`);

const createSchema = z.object({
  title: titleSchema,
  template: z.enum(TEMPLATE_IDS, { error: `is not a known template (known: ${TEMPLATE_IDS.join(', ')})` }).optional(),
  /** With an example's before template: its after board too, linked as the before board's redesign. */
  pair: z.boolean({ error: 'must be true or false' }).optional(),
});
const PAIR_RULE = `"pair" needs an example's before template (${EXAMPLE_PAIRS.map((p) => p.before).join(', ')})`;
const renameSchema = z.object({ title: titleSchema });

export function createApi(storage: BoardStorage, rooms: RoomManager) {
  const handleExportApi = createExportApi(storage, rooms);
  const boards = createBoardAccess(storage, rooms);
  const handleVersionsApi = createVersionsApi(storage, boards);
  const handleCompareApi = createCompareApi(boards);
  /** An after board's link, shown only while its before board still exists. */
  function beforeLink(record: BoardRecord, existing: (id: string) => boolean): { beforeBoardId?: string } {
    return record.beforeBoardId && existing(record.beforeBoardId) ? { beforeBoardId: record.beforeBoardId } : {};
  }
  function requireBoard(id: string) {
    checkBoardId(id);
    const board = storage.getBoard(id);
    if (!board) throw new HttpError(404, `Board "${id}" not found`);
    return board;
  }

  /** A new board, from a template when given, stored whole before any client can connect; an after board when `beforeBoardId`. */
  function createBoard(title: string, template?: TemplateId, beforeBoardId?: string): { id: string; title: string } {
    const doc = new Y.Doc();
    initBoard(doc, title, SERVER_ORIGIN);
    // The template goes into the board's first stored state, before any client can connect:
    // stricter than "seed after the first sync", and nobody can ever receive it twice.
    if (template) TEMPLATES[template].apply(doc, SERVER_ORIGIN);
    if (beforeBoardId) linkToBefore(doc, beforeBoardId, SERVER_ORIGIN);
    const now = Date.now();
    const id = nanoid(10);
    const stored = readMeta(doc).title;
    storage.createBoard(
      {
        id,
        title: stored,
        createdAt: now,
        updatedAt: now,
        steps: countSteps(doc),
        beforeBoardId: beforeBoardId ?? null,
      },
      Y.encodeStateAsUpdate(doc),
    );
    doc.destroy();
    return { id, title: stored };
  }

  async function route(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    const method = request.method ?? 'GET';
    if (await handleExportApi(request, response, pathname)) return;
    if (await handleVersionsApi(request, response, pathname)) return;
    if (await handleCompareApi(request, response, pathname)) return;
    if (pathname === '/api/boards') {
      if (method === 'GET') {
        const records = storage.listBoards();
        const ids = new Set(records.map((r) => r.id));
        const list = records.map((r) => ({
          id: r.id,
          title: r.title,
          updatedAt: r.updatedAt,
          steps: r.steps,
          ...beforeLink(r, (before) => ids.has(before)),
        }));
        return sendJson(response, 200, list);
      }
      if (method === 'POST') {
        const input = parseBody(createSchema, await readJsonBody(request, MAX_BODY_BYTES));
        const pair = input.pair ? examplePairOf(input.template ?? '') : undefined;
        if (input.pair && !pair) throw new HttpError(400, PAIR_RULE);
        const before = createBoard(input.title, input.template);
        if (!pair) return sendJson(response, 201, before);
        const after = createBoard(afterTitle(before.title), pair.after, before.id);
        return sendJson(response, 201, { ...before, after });
      }
      throw new HttpError(405, `${method} is not allowed on /api/boards`);
    }

    if (pathname === '/api/templates') {
      if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on /api/templates`);
      return sendJson(response, 200, listTemplates());
    }

    const match = /^\/api\/boards\/([^/]*)(\/measures)?$/.exec(pathname);
    if (match) {
      let id: string;
      try {
        id = decodeURIComponent(match[1]);
      } catch {
        throw new HttpError(400, 'A board id is 1 to 64 letters, digits, "_" or "-"');
      }
      if (match[2]) {
        if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on /api/boards/:id/measures`);
        requireBoard(id);
        const room = rooms.open(id);
        if (!room) throw new HttpError(404, `Board "${id}" not found`);
        const measures = measuresOfDoc(room.doc);
        rooms.scheduleUnloadIfIdle(room);
        return sendJson(response, 200, measures);
      }
      if (method === 'GET') {
        const record = requireBoard(id);
        const { title, updatedAt, steps } = record;
        const link = beforeLink(record, (before) => storage.getBoard(before) !== null);
        return sendJson(response, 200, { id, title, updatedAt, steps, ...link });
      }
      if (method === 'PATCH') {
        requireBoard(id);
        const input = parseBody(renameSchema, await readJsonBody(request, MAX_BODY_BYTES));
        const room = rooms.open(id);
        if (!room) throw new HttpError(404, `Board "${id}" not found`);
        const title = setBoardTitle(room.doc, input.title, SERVER_ORIGIN);
        rooms.writeSummaryNow(room);
        rooms.scheduleUnloadIfIdle(room);
        return sendJson(response, 200, { id, title });
      }
      if (method === 'DELETE') {
        requireBoard(id);
        rooms.evict(id, CLOSE_BOARD_DELETED, 'board deleted');
        storage.deleteBoard(id);
        response.writeHead(204).end();
        return;
      }
      throw new HttpError(405, `${method} is not allowed on /api/boards/:id`);
    }
    throw new HttpError(404, `No such API: ${method} ${pathname}`);
  }

  return async function handleApi(request: IncomingMessage, response: ServerResponse, pathname: string) {
    try {
      await route(request, response, pathname);
    } catch (error) {
      if (error instanceof HttpError) return sendError(response, error.status, error.message);
      const message = error instanceof Error ? error.message : String(error);
      sendError(response, 500, `The server could not do that: ${message}`);
    }
  };
}
