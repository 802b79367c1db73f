/**
 * The HTTP API of versions, the redesign board and the comparison
 * (/work contract of issue 6, README "Public interfaces"). Errors carry the server's words.
 */
import * as Y from 'yjs';
import { fetchBytes, request } from './http';
import type { Comparison, VersionSummary } from '../model';

export type { VersionSummary } from '../model';

export interface BoardInfo {
  id: string;
  title: string;
  /** Present on an after board whose before board still exists. */
  beforeBoardId?: string;
}

const boardUrl = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}`;
const versionUrl = (boardId: string, versionId: string) =>
  `${boardUrl(boardId)}/versions/${encodeURIComponent(versionId)}`;

export function getBoard(boardId: string): Promise<BoardInfo> {
  return request<BoardInfo>('GET', boardUrl(boardId));
}
export function listVersions(boardId: string): Promise<VersionSummary[]> {
  return request<VersionSummary[]>('GET', `${boardUrl(boardId)}/versions`);
}
export function getVersion(boardId: string, versionId: string): Promise<VersionSummary> {
  return request<VersionSummary>('GET', versionUrl(boardId, versionId));
}
export function saveVersion(boardId: string, name: string, savedBy: string): Promise<VersionSummary> {
  return request<VersionSummary>('POST', `${boardUrl(boardId)}/versions`, { name, savedBy });
}
/** A NEW editable board from a version; the live board is never changed. */
export function restoreVersion(boardId: string, versionId: string): Promise<{ id: string; title: string }> {
  return request('POST', `${versionUrl(boardId, versionId)}/restore`, {});
}
/** The linked "after" board: a copy of the live board that keeps its step ids. */
export function startRedesign(boardId: string): Promise<{ id: string; title: string }> {
  return request('POST', `${boardUrl(boardId)}/redesign`, {});
}
/** The comparison in `format` (json, pdf, png) from GET /api/compare: the view, the API and the CLI ask the same. */
/** `results` is the one-slide "Results" PNG (the headline alone). */
export function compareUrl(before: string, after: string, format: 'json' | 'pdf' | 'png' | 'results'): string {
  return `/api/compare?${new URLSearchParams({ before, after, format }).toString()}`;
}
export function getComparison(before: string, after: string): Promise<Comparison> {
  return request<Comparison>('GET', compareUrl(before, after, 'json'));
}

/** A board or version as a Y.Doc of its own, loaded once from the state endpoint: nothing goes back to the server. */
export async function loadDoc(boardId: string, versionId: string | null): Promise<Y.Doc> {
  const url = versionId === null ? `${boardUrl(boardId)}/state` : `${versionUrl(boardId, versionId)}/state`;
  const doc = new Y.Doc();
  Y.applyUpdate(doc, new Uint8Array(await fetchBytes(url)));
  return doc;
}
