/**
 * GET /api/compare?before=<ref>&after=<ref>&format=json
 *
 * A ref is `<boardId>` (the live board) or `<boardId>@<versionId>`. The
 * comparison is the model's own `compareBoards`, so the view, this API and the
 * CLI give the same figures. PDF and PNG reports come with the export writers
 * (a later step): until then they answer 501.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import {
  compareBoards,
  comparedSideOfDoc,
  parseRef,
  readMeta,
  type ComparedSide,
  type Comparison,
} from '../../src/model';
import { HttpError, sendJson } from './respond';
import type { BoardAccess } from './versions';

export const COMPARE_FORMATS = ['json', 'pdf', 'png'] as const;
const NOT_YET_FORMATS = ['pdf', 'png'];
const REF_RULE = 'give a board id, or <boardId>@<versionId> for a saved version';

/** The named query parameter as a ref: 400 naming the parameter when it is missing or malformed. */
function refParam(params: URLSearchParams, name: 'before' | 'after'): string {
  const value = params.get(name);
  if (value === null || value.trim() === '') throw new HttpError(400, `"${name}" is missing: ${REF_RULE}`);
  if (!parseRef(value)) throw new HttpError(400, `"${name}" is not a board or version reference: ${REF_RULE}`);
  return value;
}

/** One side of a comparison: the live board, or a version read from its frozen state. 404 naming what is missing. */
export function sideOfRef(boards: BoardAccess, ref: string): ComparedSide {
  const parsed = parseRef(ref);
  if (!parsed) throw new HttpError(400, `"${ref}" is not a board or version reference: ${REF_RULE}`);
  if (parsed.versionId === null) {
    return boards.withLiveDoc(parsed.boardId, (doc) => comparedSideOfDoc(doc, { ref, title: readMeta(doc).title }));
  }
  const version = boards.requireVersion(parsed.boardId, parsed.versionId);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, boards.versionState(parsed.boardId, parsed.versionId));
    return comparedSideOfDoc(doc, { ref, title: readMeta(doc).title, versionName: version.name });
  } finally {
    doc.destroy();
  }
}

export function comparisonOf(boards: BoardAccess, before: string, after: string): Comparison {
  return compareBoards(sideOfRef(boards, before), sideOfRef(boards, after));
}

export function createCompareApi(boards: BoardAccess) {
  return async function handleCompareApi(
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<boolean> {
    if (pathname !== '/api/compare') return false;
    const method = request.method ?? 'GET';
    if (method !== 'GET') throw new HttpError(405, `${method} is not allowed on /api/compare`);
    const params = new URL(request.url ?? '/', 'http://localhost').searchParams;
    const before = refParam(params, 'before');
    const after = refParam(params, 'after');
    const format = params.get('format') ?? 'json';
    if (!(COMPARE_FORMATS as readonly string[]).includes(format)) {
      throw new HttpError(400, `"format" must be one of ${COMPARE_FORMATS.join(', ')}, not "${format}"`);
    }
    const comparison = comparisonOf(boards, before, after);
    if (NOT_YET_FORMATS.includes(format)) {
      throw new HttpError(501, `The comparison as ${format} is not yet available (available: json)`);
    }
    sendJson(response, 200, comparison);
    return true;
  };
}
