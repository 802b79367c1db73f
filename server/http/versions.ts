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

/** Boards, their live documents and their versions: what both this API and /api/compare read. */
export function createBoardAccess(storage: BoardStorage, rooms: RoomManager) {
  function requireBoard(id: string): BoardRecord {
    checkBoardId(id);
    const board = storage.getBoard(id);
    if (!board) throw new HttpError(404, `Board "${id}" not found`);
    return board;
  }

  /** Runs `read` on the board's live document (loaded if it was not), then lets an idle room unload. */
  function withLiveDoc<T>(id: string, read: (doc: Y.Doc) => T): T {
    requireBoard(id);
    const room = rooms.open(id);
    if (!room) throw new HttpError(404, `Board "${id}" not found`);
    try {
      return read(room.doc);
    } finally {
      rooms.scheduleUnloadIfIdle(room);
    }
  }

  function requireVersion(boardId: string, versionId: string): VersionRecord {
    requireBoard(boardId);
    if (!isValidRefPart(versionId)) throw new HttpError(400, VERSION_ID_RULE);
    const version = storage.getVersion(boardId, versionId);
    if (!version) throw new HttpError(404, `Version "${versionId}" of board "${boardId}" not found`);
    return version;
  }

  function versionState(boardId: string, versionId: string): Uint8Array {
    requireVersion(boardId, versionId);
    const state = storage.getVersionState(boardId, versionId);
    if (!state) throw new HttpError(404, `Version "${versionId}" of board "${boardId}" not found`);
    return state;
  }

  /** Stores `doc` as a new board's first state; returns its id and title. */
  function createBoardFrom(doc: Y.Doc): { id: string; title: string } {
    const now = Date.now();
    const id = nanoid(10);
    const title = readMeta(doc).title;
    storage.createBoard(
      { id, title, createdAt: now, updatedAt: now, steps: countSteps(doc), beforeBoardId: readBeforeBoardId(doc) },
      Y.encodeStateAsUpdate(doc),
    );
    return { id, title };
  }

  return { requireBoard, withLiveDoc, requireVersion, versionState, createBoardFrom };
}
export type BoardAccess = ReturnType<typeof createBoardAccess>;

export function createVersionsApi(storage: BoardStorage, boards: BoardAccess) {
  async function saveVersion(request: IncomingMessage, response: ServerResponse, boardId: string) {
    boards.requireBoard(boardId);
    const input = parseBody(versionSchema, await readOptionalJsonBody(request));
    const { state, steps } = boards.withLiveDoc(boardId, (doc) => ({
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
    storage.createVersion(record, state);
    sendJson(response, 201, summary(record));
  }

  async function restore(request: IncomingMessage, response: ServerResponse, boardId: string, versionId: string) {
    const version = boards.requireVersion(boardId, versionId);
    const input = parseBody(newBoardSchema, await readOptionalJsonBody(request));
    const doc = restoredDoc(
      boards.versionState(boardId, versionId),
      input.title ?? `${version.name} (restored)`,
      SERVER_ORIGIN,
    );
    try {
      sendJson(response, 201, boards.createBoardFrom(doc));
    } finally {
      doc.destroy();
    }
  }

  async function redesign(request: IncomingMessage, response: ServerResponse, boardId: string) {
    boards.requireBoard(boardId);
    const input = parseBody(newBoardSchema, await readOptionalJsonBody(request));
    const doc = boards.withLiveDoc(boardId, (source) => redesignDoc(source, boardId, input.title, SERVER_ORIGIN));
    try {
      sendJson(response, 201, boards.createBoardFrom(doc));
    } finally {
      doc.destroy();
    }
  }

  /** Answers the request when it is one of these routes; false to let the rest of the API try. */
  return async function handleVersionsApi(
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
        sendState(
          response,
          boards.withLiveDoc(boardId, (doc) => Y.encodeStateAsUpdate(doc)),
        );
      } else {
        allow('POST', '/api/boards/:id/redesign');
        await redesign(request, response, boardId);
      }
      return true;
    }
    if (rawVersion === undefined) {
      if (method === 'GET') {
        boards.requireBoard(boardId);
        sendJson(response, 200, storage.listVersions(boardId).map(summary));
      } else if (method === 'POST') await saveVersion(request, response, boardId);
      else throw new HttpError(405, `${method} is not allowed on /api/boards/:id/versions`);
      return true;
    }
    const versionId = decodeSegment(rawVersion, VERSION_ID_RULE);
    if (versionPart === undefined) {
      allow('GET', '/api/boards/:id/versions/:versionId');
      sendJson(response, 200, summary(boards.requireVersion(boardId, versionId)));
    } else if (versionPart === 'state') {
      allow('GET', '/api/boards/:id/versions/:versionId/state');
      sendState(response, boards.versionState(boardId, versionId));
    } else {
      allow('POST', '/api/boards/:id/versions/:versionId/restore');
      await restore(request, response, boardId, versionId);
    }
    return true;
  };
}
