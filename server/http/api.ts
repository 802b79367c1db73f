/**
 * The HTTP API: participant keys, joining by link, the board list and its
 * changes, members, links and the lock. Board content changes only through
 * the document (model operations), so a rename here is applied to the live
 * board and reaches everyone on it like any other edit.
 *
 * Every request but POST /api/keys carries `Authorization: Bearer <key>`;
 * every route checks the caller's role on the board it touches before
 * anything is read or changed (README "Public interfaces" lists the roles).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { z } from 'zod';
import {
  EXAMPLE_PAIRS,
  MAX_TITLE_LENGTH,
  TEMPLATES,
  TEMPLATE_IDS,
  afterTitle,
  examplePairOf,
  initBoard,
  listTemplates,
  measuresOfDoc,
  linkToBefore,
  setBoardTitle,
  type TemplateId,
} from '../../src/model';
import { isRole, ROLES } from '../../src/protocol';
import { AccessError, SHARE_LINK_KINDS, type Access, type ShareLinkKind } from '../access/access';
import type { BoardRecord, BoardStorage } from '../storage/storage';
import { SERVER_ORIGIN, type RoomManager } from '../sync/rooms';
import { clientAddress, TooManyBoardsError } from '../sync/limits';
import type { Guard } from './guard';
import { HttpError, decodeSegment, parseBody, readJsonBody, sendError, sendJson, BOARD_ID_RULE } from './respond';
import { createExportApi } from './export';
import { createBoardAccess, createVersionsApi, type RequestContext } from './versions';
import { createCompareApi } from './compare';
import { createStudyApi } from './study';
import { createStudyExportApi } from './study-export';
import { storeStudy, studyOfFile } from './study-file';
import { RoomStudies } from '../sync/study';

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
const MAX_NAME_LENGTH = 80;
const nameSchema = z.object({
  name: z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .trim()
    .max(MAX_NAME_LENGTH, `is longer than ${MAX_NAME_LENGTH} characters`),
});
const joinSchema = z.object({
  link: z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .trim()
    .min(1, 'cannot be empty')
    .max(2000, 'is too long to be a board link'),
});
const roleSchema = z.object({
  role: z.string({ error: 'is missing' }).refine(isRole, `must be one of ${ROLES.join(', ')}`),
});
const lockSchema = z.object({ locked: z.boolean({ error: 'must be true or false' }) });

export function createApi(
  storage: BoardStorage,
  rooms: RoomManager,
  access: Access,
  guard: Guard,
  studies: RoomStudies = new RoomStudies(storage, () => undefined),
  /** Behind a reverse proxy: the caller's address is the last X-Forwarded-For entry (TRUST_PROXY). */
  options: { trustProxy?: boolean } = {},
) {
  const boards = createBoardAccess(storage, rooms, access);
  const handleStudyApi = createStudyApi(boards, access, studies);
  const handleStudyExportApi = createStudyExportApi(boards, access, studies);
  const handleExportApi = createExportApi(storage, rooms, boards);
  const handleVersionsApi = createVersionsApi(storage, boards);
  const handleCompareApi = createCompareApi(boards);
  /** An after board's link, shown only while its before board still exists. */
  function beforeLink(record: BoardRecord, existing: (id: string) => boolean): { beforeBoardId?: string } {
    return record.beforeBoardId && existing(record.beforeBoardId) ? { beforeBoardId: record.beforeBoardId } : {};
  }

  async function boardRoutes(
    ctx: RequestContext,
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    const method = request.method ?? 'GET';
    const match = /^\/api\/boards\/([^/]*)(?:\/(measures|members|links|lock)(?:\/([^/]*)(?:\/(rotate))?)?)?$/.exec(
      pathname,
    );
    if (!match) return false;
    const [, rawId, part, rawSub, rotate] = match;
    const id = decodeSegment(rawId, BOARD_ID_RULE);
    const allow = (expected: string, route: string) => {
      if (method !== expected) throw new HttpError(405, `${method} is not allowed on ${route}`);
    };
    if (part === 'measures') {
      if (rawSub !== undefined) return false;
      allow('GET', '/api/boards/:id/measures');
      await boards.requireBoard(ctx, id);
      // The demand study's counts are the board's demand, beside the hand-made cards (issue 14).
      const study = await studies.summary(id);
      sendJson(response, 200, await boards.withLiveDoc(id, (doc) => measuresOfDoc(doc, study)));
      return true;
    }
    if (part === 'links') {
      if (rawSub === undefined) {
        allow('GET', '/api/boards/:id/links');
        await boards.requireBoard(ctx, id, 'facilitator');
        sendJson(response, 200, await access.links(id, ctx.baseUrl));
        return true;
      }
      if (rotate === undefined) return false;
      allow('POST', '/api/boards/:id/links/:kind/rotate');
      await boards.requireBoard(ctx, id, 'facilitator');
      const kind = decodeSegment(rawSub, 'A link kind is "edit", "view" or "collect"');
      if (!(SHARE_LINK_KINDS as readonly string[]).includes(kind)) {
        throw new HttpError(404, `There is no "${kind}" link: a board has an "edit", a "view" and a "collect" link`);
      }
      sendJson(response, 200, await access.rotate(id, kind as ShareLinkKind, ctx.baseUrl));
      return true;
    }
    if (part === 'lock') {
      if (rawSub !== undefined) return false;
      allow('PUT', '/api/boards/:id/lock');
      const board = await boards.requireBoard(ctx, id, 'facilitator');
      const input = parseBody(lockSchema, await readJsonBody(request, MAX_BODY_BYTES));
      const me = await access.membership(ctx.caller, board);
      sendJson(response, 200, await access.setLock(board, input.locked ? me : null));
      return true;
    }
    if (part === 'members') {
      if (rotate !== undefined) return false;
      if (rawSub === undefined) {
        allow('GET', '/api/boards/:id/members');
        await boards.requireBoard(ctx, id, 'facilitator');
        sendJson(response, 200, await access.members(id, ctx.caller));
        return true;
      }
      const memberId = decodeSegment(rawSub, 'A member id is letters, digits, "_" or "-"');
      await boards.requireBoard(ctx, id, 'facilitator');
      if (method === 'PATCH') {
        const input = parseBody(roleSchema, await readJsonBody(request, MAX_BODY_BYTES));
        await access.requireMember(id, memberId);
        await access.setRole(id, memberId, input.role as (typeof ROLES)[number]);
        const member = (await access.members(id, ctx.caller)).find((m) => m.memberId === memberId);
        sendJson(response, 200, member);
        return true;
      }
      if (method === 'DELETE') {
        await access.remove(id, memberId);
        response.writeHead(204).end();
        return true;
      }
      throw new HttpError(405, `${method} is not allowed on /api/boards/:id/members/:memberId`);
    }

    if (method === 'GET') {
      const record = await boards.requireBoard(ctx, id);
      const me = await access.membership(ctx.caller, record);
      await access.seen(me);
      const { title, updatedAt, steps } = record;
      const beforeExists = record.beforeBoardId ? (await storage.getBoard(record.beforeBoardId)) !== null : false;
      const link = beforeLink(record, () => beforeExists);
      const { role, locked, lockedBy } = await access.stateOf(me, record);
      return (
        sendJson(response, 200, { id, title, updatedAt, steps, ...link, role, locked, lockedBy, memberId: me.id }),
        true
      );
    }
    if (method === 'PATCH') {
      await boards.requireBoard(ctx, id, 'editor', true);
      const input = parseBody(renameSchema, await readJsonBody(request, MAX_BODY_BYTES));
      const room = await rooms.open(id);
      if (!room) throw new HttpError(404, `Board "${id}" not found`);
      const title = setBoardTitle(room.doc, input.title, SERVER_ORIGIN);
      await rooms.writeSummaryNow(room);
      rooms.scheduleUnloadIfIdle(room);
      return (sendJson(response, 200, { id, title }), true);
    }
    if (method === 'DELETE') {
      await boards.requireBoard(ctx, id, 'facilitator');
      rooms.boardDeleted(id);
      await storage.deleteBoard(id);
      studies.forget(id);
      response.writeHead(204).end();
      return true;
    }
    throw new HttpError(405, `${method} is not allowed on /api/boards/:id`);
  }

  /**
   * A new board, from a template when given, stored whole before any client can connect, the
   * caller its facilitator; an after board when `beforeBoardId`.
   */
  async function createBoard(ctx: RequestContext, title: string, template?: TemplateId, beforeBoardId?: string) {
    const doc = new Y.Doc();
    try {
      initBoard(doc, title, SERVER_ORIGIN);
      // The template goes into the board's first stored state, before any client can connect:
      // stricter than "seed after the first sync", and nobody can ever receive it twice.
      if (template) TEMPLATES[template].apply(doc, SERVER_ORIGIN);
      if (beforeBoardId) linkToBefore(doc, beforeBoardId, SERVER_ORIGIN);
      // An example's demand study is checked before the board is made (a constant, but checked as entries are).
      const example = template ? TEMPLATES[template].study?.() : undefined;
      const study = example ? studyOfFile(example, { name: 'Example', memberId: '', now: Date.now() }) : null;
      const created = await boards.createBoardFrom(ctx, doc);
      if (study) await storeStudy(studies, created.id, study);
      return created;
    } finally {
      doc.destroy();
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    const method = request.method ?? 'GET';
    const address = clientAddress(request, options.trustProxy ?? false);
    if (pathname === '/api/keys') {
      if (method !== 'POST') throw new HttpError(405, `${method} is not allowed on /api/keys`);
      return sendJson(response, 201, { key: await access.issueKey(address) });
    }
    const ctx: RequestContext = {
      caller: await access.keyFromHeader(request.headers.authorization, address),
      baseUrl: guard.baseUrl(request),
      ourHosts: guard.ourHosts(request),
    };
    if (pathname === '/api/me') {
      if (method === 'GET') return sendJson(response, 200, { name: ctx.caller.name });
      if (method !== 'PUT') throw new HttpError(405, `${method} is not allowed on /api/me`);
      const input = parseBody(nameSchema, await readJsonBody(request, MAX_BODY_BYTES));
      await access.setName(ctx.caller, input.name);
      return sendJson(response, 200, { name: input.name });
    }
    if (pathname === '/api/join') {
      if (method !== 'POST') throw new HttpError(405, `${method} is not allowed on /api/join`);
      const input = parseBody(joinSchema, await readJsonBody(request, MAX_BODY_BYTES));
      return sendJson(response, 200, await access.join(ctx.caller, input.link, address, ctx.ourHosts));
    }
    if (await handleExportApi(ctx, request, response, pathname)) return;
    if (await handleVersionsApi(ctx, request, response, pathname)) return;
    if (await handleCompareApi(ctx, request, response, pathname)) return;
    if (await handleStudyExportApi(ctx, request, response, pathname)) return;
    if (await handleStudyApi(ctx, request, response, pathname)) return;
    if (pathname === '/api/boards') {
      if (method === 'GET') {
        const mine = await storage.boardsOf(ctx.caller.keyHash);
        const ids = new Set(mine.map((m) => m.board.id));
        const list = mine.map(({ board, role }) => ({
          id: board.id,
          title: board.title,
          updatedAt: board.updatedAt,
          steps: board.steps,
          ...beforeLink(board, (before) => ids.has(before)),
          role,
          locked: !!board.lockedBy,
        }));
        return sendJson(response, 200, list);
      }
      if (method === 'POST') {
        const input = parseBody(createSchema, await readJsonBody(request, MAX_BODY_BYTES));
        const pair = input.pair ? examplePairOf(input.template ?? '') : undefined;
        if (input.pair && !pair) throw new HttpError(400, PAIR_RULE);
        const before = await createBoard(ctx, input.title, input.template);
        if (!pair) return sendJson(response, 201, before);
        const after = await createBoard(ctx, afterTitle(before.title), pair.after, before.id);
        return sendJson(response, 201, { ...before, after });
      }
      throw new HttpError(405, `${method} is not allowed on /api/boards`);
    }

    if (pathname === '/api/templates') {
      if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on /api/templates`);
      return sendJson(response, 200, listTemplates());
    }
    if (await boardRoutes(ctx, request, response, pathname)) return;
    throw new HttpError(404, `No such API: ${method} ${pathname}`);
  }

  return async function handleApi(request: IncomingMessage, response: ServerResponse, pathname: string) {
    try {
      await route(request, response, pathname);
    } catch (error) {
      if (error instanceof HttpError) return sendError(response, error.status, error.message);
      if (error instanceof TooManyBoardsError) return sendError(response, 503, error.message);
      if (error instanceof AccessError) {
        return sendJson(response, error.status, { error: error.message, ...(error.code ? { code: error.code } : {}) });
      }
      const message = error instanceof Error ? error.message : String(error);
      sendError(response, 500, `The server could not do that: ${message}`);
    }
  };
}
