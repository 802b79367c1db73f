/**
 * The HTTP API of versions, the redesign board and the comparison
 * (/work contract of issue 6, README "Public interfaces"). Errors carry the server's words.
 */
import * as Y from 'yjs';
import { ApiError } from '../panels/boards-api';
import type { Comparison } from '../model';

export interface VersionSummary {
  id: string;
  boardId: string;
  name: string;
  savedBy: string;
  /** ms since 1970 */
  savedAt: number;
  steps: number;
}

export interface BoardInfo {
  id: string;
  title: string;
  /** Present on an after board whose before board still exists. */
  beforeBoardId?: string;
}

async function answer<T>(response: Response): Promise<T> {
  if (!response.ok) {
    let message = `The server answered ${response.status} ${response.statusText}`.trim();
    try {
      const body = (await response.json()) as { error?: unknown };
      if (typeof body.error === 'string' && body.error) message = body.error;
    } catch {
      // Not JSON (a proxy's error page): keep the status line.
    }
    throw new ApiError(message, response.status);
  }
  return (await response.json()) as T;
}

async function send(method: string, path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError('Could not reach the server. Check your connection and try again.', 0);
  }
}

const boardUrl = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`;
const versionUrl = (boardId: string, versionId: string) =>
  `${boardUrl(boardId)}/versions/${encodeURIComponent(versionId)}`;

export async function getBoard(boardId: string): Promise<BoardInfo> {
  return answer<BoardInfo>(await send('GET', boardUrl(boardId)));
}
export async function listVersions(boardId: string): Promise<VersionSummary[]> {
  return answer<VersionSummary[]>(await send('GET', `${boardUrl(boardId)}/versions`));
}
export async function getVersion(boardId: string, versionId: string): Promise<VersionSummary> {
  return answer<VersionSummary>(await send('GET', versionUrl(boardId, versionId)));
}
export async function saveVersion(boardId: string, name: string, savedBy: string): Promise<VersionSummary> {
  return answer<VersionSummary>(await send('POST', `${boardUrl(boardId)}/versions`, { name, savedBy }));
}
/** A NEW editable board from a version; the live board is never changed. */
export async function restoreVersion(boardId: string, versionId: string): Promise<{ id: string; title: string }> {
  return answer(await send('POST', `${versionUrl(boardId, versionId)}/restore`, {}));
}
/** The linked "after" board: a copy of the live board that keeps its step ids. */
export async function startRedesign(boardId: string): Promise<{ id: string; title: string }> {
  return answer(await send('POST', `${boardUrl(boardId)}/redesign`, {}));
}
export async function getComparison(before: string, after: string): Promise<Comparison> {
  const query = new URLSearchParams({ before, after, format: 'json' });
  return answer<Comparison>(await send('GET', `/api/compare?${query.toString()}`));
}

/** A board or version as a Y.Doc of its own, loaded once from the state endpoint: nothing goes back to the server. */
export async function loadDoc(boardId: string, versionId: string | null): Promise<Y.Doc> {
  const url = versionId === null ? `${boardUrl(boardId)}/state` : `${versionUrl(boardId, versionId)}/state`;
  const response = await send('GET', url);
  if (!response.ok) await answer<never>(response);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
  return doc;
}
