/**
 * Versions, the live state, copies and the redesign board over HTTP
 * (contract: /work/issue6-contract.md).
 *
 *   POST /api/boards/:id/versions                      { name, savedBy } → 201 VersionSummary
 *   GET  /api/boards/:id/versions                      → VersionSummary[], newest first
 *   GET  /api/boards/:id/versions/:versionId           → VersionSummary
 *   GET  /api/boards/:id/versions/:versionId/state     → the frozen Yjs state (octet-stream)
 *   POST /api/boards/:id/versions/:versionId/restore   { title? } → 201 { id, title }, a NEW board
 *   GET  /api/boards/:id/state                         → the live Yjs state (octet-stream)
 *   POST /api/boards/:id/redesign                      { title? } → 201 { id, title }, the after board
 *
 * A version is the board's whole Yjs state at the moment of saving, taken
 * from the live room when the board is open, so the newest edits are in it.
 * New boards (restore, redesign) are made in a scratch document and stored as
 * their first state in one transaction, as templates and imports are: an
 * error stores nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import { z } from 'zod';
import { nanoid } from 'nanoid';
import {
  MAX_SAVED_BY_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_VERSION_NAME_LENGTH,
  countSteps,
  isValidRefPart,
  readBeforeBoardId,
  readMeta,
  redesignDoc,
  restoredDoc,
} from '../../src/model';
import type { Role } from '../../src/protocol';
import type { Access, BoardLinks, Participant } from '../access/access';
import type { BoardRecord, BoardStorage, VersionRecord } from '../storage/storage';
import { SERVER_ORIGIN, type RoomManager } from '../sync/rooms';
import { BOARD_ID_RULE, HttpError, checkBoardId, decodeSegment, parseBody, readJsonBody, sendJson } from './respond';

const MAX_BODY_BYTES = 64 * 1024;
const VERSION_ID_RULE = 'A version id is 1 to 64 letters, digits, "_" or "-"';

const requiredText = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be text') })
    .trim()
    .min(1, 'cannot be empty')
    .max(max, `is longer than ${max} characters`);

const versionSchema = z.object({
  name: requiredText(MAX_VERSION_NAME_LENGTH),
  savedBy: requiredText(MAX_SAVED_BY_LENGTH),
});
const newBoardSchema = z.object({ title: requiredText(MAX_TITLE_LENGTH).optional() });

/** What the API says about a version: its stored record, fields listed so storage details never leak. */
export type VersionSummary = VersionRecord;

function summary(v: VersionRecord): VersionSummary {
  return { id: v.id, boardId: v.boardId, name: v.name, savedBy: v.savedBy, savedAt: v.savedAt, steps: v.steps };
}

/** A body that may be left empty (then it is `{}`): "redesign this board" needs nothing more. */
function readOptionalJsonBody(request: IncomingMessage): Promise<unknown> {
  return readJsonBody(request, MAX_BODY_BYTES, { emptyIs: {} });
}

function sendState(response: ServerResponse, state: Uint8Array): void {
  response.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': state.byteLength,
    'Cache-Control': 'no-store',
  });
  response.end(Buffer.from(state.buffer, state.byteOffset, state.byteLength));
}

/** Who is asking, and the address their links are made for (server/http/guard.ts). */
export interface RequestContext {
  caller: Participant;
  baseUrl: string;
  ourHosts: string[];
}

/** What every route that makes a board answers: the caller is its facilitator. */
export interface CreatedBoard {
  id: string;
  title: string;
  role: 'facilitator';
  links: BoardLinks;
}

/**
 * Boards, their live documents and their versions: what this API, the export
 * API and /api/compare read. Every board a route touches comes through
 * `requireBoard`, which checks the caller's role on it.
 */
export function createBoardAccess(storage: BoardStorage, rooms: RoomManager, access: Access) {
  /**
   * The board, when it exists (404) and the caller has at least `needed` on
   * it (403); with `change`, also not while it is locked (but for the facilitator).
   */
  async function requireBoard(
    ctx: RequestContext,
    id: string,
    needed: Role = 'viewer',
    change = false,
  ): Promise<BoardRecord> {
    checkBoardId(id);
    const board = await storage.getBoard(id);
    if (!board) throw new HttpError(404, `Board "${id}" not found`);
    await access.require(ctx.caller, board, needed, change);
    return board;
  }

  /** Runs `read` on the board's live document (loaded if it was not), then lets an idle room unload. */
  async function withLiveDoc<T>(id: string, read: (doc: Y.Doc) => T): Promise<T> {
    const room = await rooms.open(id);
    if (!room) throw new HttpError(404, `Board "${id}" not found`);
    try {
      return read(room.doc);
    } finally {
      rooms.scheduleUnloadIfIdle(room);
    }
  }

  async function requireVersion(ctx: RequestContext, boardId: string, versionId: string): Promise<VersionRecord> {
    await requireBoard(ctx, boardId);
    if (!isValidRefPart(versionId)) throw new HttpError(400, VERSION_ID_RULE);
    const version = await storage.getVersion(boardId, versionId);
    if (!version) throw new HttpError(404, `Version "${versionId}" of board "${boardId}" not found`);
    return version;
  }

  /** A version's frozen state; call after `requireVersion`. */
  async function versionState(boardId: string, versionId: string): Promise<Uint8Array> {
    const state = await storage.getVersionState(boardId, versionId);
    if (!state) throw new HttpError(404, `Version "${versionId}" of board "${boardId}" not found`);
    return state;
  }

  /**
   * Stores `doc` as a new board's first state, with its versions when it
   * comes with some, the caller as its facilitator and its two links, all in
   * one transaction.
   */
  async function createBoardFrom(
    ctx: RequestContext,
    doc: Y.Doc,
    versions: Array<{ record: Omit<VersionRecord, 'boardId'>; state: Uint8Array }> = [],
  ): Promise<CreatedBoard> {
    const now = Date.now();
    const id = nanoid(10);
    const title = readMeta(doc).title;
    await storage.createBoard(
      { id, title, createdAt: now, updatedAt: now, steps: countSteps(doc), beforeBoardId: readBeforeBoardId(doc) },
      Y.encodeStateAsUpdate(doc),
      versions.map((v) => ({ record: { ...v.record, boardId: id }, state: v.state })),
      access.newBoard(ctx.caller, id, now),
    );
    return { id, title, role: 'facilitator', links: await access.links(id, ctx.baseUrl) };
  }

  return { requireBoard, withLiveDoc, requireVersion, versionState, createBoardFrom };
}
export type BoardAccess = ReturnType<typeof createBoardAccess>;

export function createVersionsApi(storage: BoardStorage, boards: BoardAccess) {
  async function saveVersion(ctx: RequestContext, request: IncomingMessage, response: ServerResponse, boardId: string) {
    await boards.requireBoard(ctx, boardId, 'editor', true);
    const input = parseBody(versionSchema, await readOptionalJsonBody(request));
    const { state, steps } = await boards.withLiveDoc(boardId, (doc) => ({
      state: Y.encodeStateAsUpdate(doc),
      steps: countSteps(doc),
    }));
    const record: VersionRecord = {
      id: nanoid(10),
      boardId,
      name: input.name,
      savedBy: input.savedBy,
      savedAt: Date.now(),
      steps,
    };
    await storage.createVersion(record, state);
    sendJson(response, 201, summary(record));
  }

  async function restore(
    ctx: RequestContext,
    request: IncomingMessage,
    response: ServerResponse,
    boardId: string,
    versionId: string,
  ) {
    await boards.requireBoard(ctx, boardId, 'editor');
    const version = await boards.requireVersion(ctx, boardId, versionId);
    const input = parseBody(newBoardSchema, await readOptionalJsonBody(request));
    const doc = restoredDoc(
      await boards.versionState(boardId, versionId),
      input.title ?? `${version.name} (restored)`,
      SERVER_ORIGIN,
    );
    try {
      sendJson(response, 201, await boards.createBoardFrom(ctx, doc));
    } finally {
      doc.destroy();
    }
  }

  async function redesign(ctx: RequestContext, request: IncomingMessage, response: ServerResponse, boardId: string) {
    await boards.requireBoard(ctx, boardId, 'editor');
    const input = parseBody(newBoardSchema, await readOptionalJsonBody(request));
    const doc = await boards.withLiveDoc(boardId, (source) => redesignDoc(source, boardId, input.title, SERVER_ORIGIN));
    try {
      sendJson(response, 201, await boards.createBoardFrom(ctx, doc));
    } finally {
      doc.destroy();
    }
  }

  /** Answers the request when it is one of these routes; false to let the rest of the API try. */
  return async function handleVersionsApi(
    ctx: RequestContext,
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    const method = request.method ?? 'GET';
    const match = /^\/api\/boards\/([^/]*)\/(state|redesign|versions)(?:\/([^/]*)(?:\/(state|restore))?)?$/.exec(
      pathname,
    );
    if (!match) return false;
    const [, rawBoard, what, rawVersion, versionPart] = match;
    const boardId = decodeSegment(rawBoard, BOARD_ID_RULE);
    checkBoardId(boardId);
    const allow = (expected: string, route: string) => {
      if (method !== expected) throw new HttpError(405, `${method} is not allowed on ${route}`);
    };
    if (what !== 'versions') {
      if (rawVersion !== undefined) return false;
      if (what === 'state') {
        allow('GET', '/api/boards/:id/state');
        await boards.requireBoard(ctx, boardId);
        sendState(response, await boards.withLiveDoc(boardId, (doc) => Y.encodeStateAsUpdate(doc)));
      } else {
        allow('POST', '/api/boards/:id/redesign');
        await redesign(ctx, request, response, boardId);
      }
      return true;
    }
    if (rawVersion === undefined) {
      if (method === 'GET') {
        await boards.requireBoard(ctx, boardId);
        sendJson(response, 200, (await storage.listVersions(boardId)).map(summary));
      } else if (method === 'POST') await saveVersion(ctx, request, response, boardId);
      else throw new HttpError(405, `${method} is not allowed on /api/boards/:id/versions`);
      return true;
    }
    const versionId = decodeSegment(rawVersion, VERSION_ID_RULE);
    if (versionPart === undefined) {
      allow('GET', '/api/boards/:id/versions/:versionId');
      sendJson(response, 200, summary(await boards.requireVersion(ctx, boardId, versionId)));
    } else if (versionPart === 'state') {
      allow('GET', '/api/boards/:id/versions/:versionId/state');
      await boards.requireVersion(ctx, boardId, versionId);
      sendState(response, await boards.versionState(boardId, versionId));
    } else {
      allow('POST', '/api/boards/:id/versions/:versionId/restore');
      await restore(ctx, request, response, boardId, versionId);
    }
    return true;
  };
}
