/**
 * GET /api/compare?before=<ref>&after=<ref>&format=json|pdf|png|results
 *
 * A ref is `<boardId>` (the live board) or `<boardId>@<versionId>`. The
 * comparison is the model's own `compareBoards`, so the view, this API and the
 * CLI give the same figures. format=pdf is the comparison report
 * (server/export/compare-report.ts), format=png the comparison picture
 * (src/export/compare-svg.ts at 2×), format=results the one-slide "Results"
 * PNG (the headline alone, 1280×720 at 2×); every format comes as a download named
 * "Comparison – <before title> to <after title> – <date>.<format>", the date
 * being the later of the two sides' last change (the report's own date).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as Y from 'yjs';
import {
  compareBoards,
  comparedSideOfDoc,
  compareStudies,
  exportBoardFile,
  studyComparedFigures,
  type StudyComparedFigures,
  type StudyEntry,
  type StudySettings,
  parseRef,
  readMeta,
  type BoardFile,
  type ComparedSide,
  type Comparison,
} from '../../src/model';
import { comparePicture, headlineText, resultsSlide } from '../../src/export';
import { compareReportPdf } from '../export/compare-report';
import { pngScaleFor, svgToPng } from '../export/png';
import { attachmentHeader } from './export';
import { HttpError } from './respond';
import type { BoardAccess, RequestContext } from './versions';

/** `results` is the one-slide "Results" picture (PNG): the headline alone, for a deck. */
export const COMPARE_FORMATS = ['json', 'pdf', 'png', 'results'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];
function isCompareFormat(format: string): format is CompareFormat {
  return (COMPARE_FORMATS as readonly string[]).includes(format);
}
const COMPARE_TYPES: Record<CompareFormat, string> = {
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
  png: 'image/png',
  results: 'image/png',
};
const REF_RULE = 'give a board id, or <boardId>@<versionId> for a saved version';

/** The named query parameter as a ref: 400 naming the parameter when it is missing or malformed. */
function refParam(params: URLSearchParams, name: 'before' | 'after'): string {
  const value = params.get(name);
  if (value === null || value.trim() === '') throw new HttpError(400, `"${name}" is missing: ${REF_RULE}`);
  if (!parseRef(value)) throw new HttpError(400, `"${name}" is not a board or version reference: ${REF_RULE}`);
  return value;
}

/** One side of a comparison, its board file (for the maps) and when it last changed (ms epoch). */
export interface LoadedSide {
  side: ComparedSide;
  file: BoardFile;
  changedAt: number;
  /** The live board's demand study, as the comparison reads it (a version has none). */
  study: StudyComparedFigures | null;
}

/** A board's study (settings and entries), or null: how the comparison reads the live boards' studies. */
export type StudyOf = (boardId: string) => Promise<{ settings: StudySettings; entries: StudyEntry[] } | null>;

/** One side of a comparison: the live board, or a version read from its frozen state. 404 naming what is missing. */
export async function loadSide(
  boards: BoardAccess,
  ctx: RequestContext,
  ref: string,
  studyOf: StudyOf = async () => null,
): Promise<LoadedSide> {
  const parsed = parseRef(ref);
  if (!parsed) throw new HttpError(400, `"${ref}" is not a board or version reference: ${REF_RULE}`);
  const read = (doc: Y.Doc, versionName?: string) => ({
    side: comparedSideOfDoc(doc, { ref, title: readMeta(doc).title, versionName }),
    file: exportBoardFile(doc),
  });
  if (parsed.versionId === null) {
    const { updatedAt } = await boards.requireBoard(ctx, parsed.boardId);
    const study = await studyOf(parsed.boardId);
    return {
      ...(await boards.withLiveDoc(parsed.boardId, (doc) => read(doc))),
      changedAt: updatedAt,
      study: study ? studyComparedFigures(study.settings, study.entries) : null,
    };
  }
  const version = await boards.requireVersion(ctx, parsed.boardId, parsed.versionId);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, await boards.versionState(parsed.boardId, parsed.versionId));
    return { ...read(doc, version.name), changedAt: version.savedAt, study: null };
  } finally {
    doc.destroy();
  }
}

/**
 * The bytes of the comparison in `format`, and the date it is of: the later
 * of the two sides' last change, so the same comparison gives the same bytes.
 */
export async function compareExport(
  boards: BoardAccess,
  ctx: RequestContext,
  beforeRef: string,
  afterRef: string,
  format: CompareFormat,
  studyOf?: StudyOf,
): Promise<{ body: Buffer; comparison: Comparison; date: Date }> {
  const before = await loadSide(boards, ctx, beforeRef, studyOf);
  const after = await loadSide(boards, ctx, afterRef, studyOf);
  const comparison = { ...compareBoards(before.side, after.side), study: compareStudies(before.study, after.study) };
  const date = new Date(Math.max(before.changedAt, after.changedAt));
  switch (format) {
    case 'json': {
      // Each headline line also in its words, so a caller shows what the view and the report say.
      const headline = comparison.headline.map((item) => ({ ...item, text: headlineText(item) }));
      return { body: Buffer.from(JSON.stringify({ ...comparison, headline })), comparison, date };
    }
    case 'results': {
      const slide = resultsSlide(comparison);
      return { body: await svgToPng(slide.svg, pngScaleFor(slide.width, slide.height)), comparison, date };
    }
    case 'png': {
      const picture = comparePicture(comparison, before.file, after.file);
      return { body: await svgToPng(picture.svg, pngScaleFor(picture.width, picture.height)), comparison, date };
    }
    case 'pdf':
      return {
        body: await compareReportPdf({ comparison, before: before.file, after: after.file, date }),
        comparison,
        date,
      };
  }
}

export function createCompareApi(boards: BoardAccess, studyOf?: StudyOf) {
  return async function handleCompareApi(
    ctx: RequestContext,
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
    if (!isCompareFormat(format)) {
      throw new HttpError(400, `"format" must be one of ${COMPARE_FORMATS.join(', ')}, not "${format}"`);
    }
    const { body, comparison, date } = await compareExport(boards, ctx, before, after, format, studyOf);
    response.writeHead(200, {
      'Content-Type': COMPARE_TYPES[format],
      'Content-Length': body.length,
      'Content-Disposition': attachmentHeader(
        `${format === 'results' ? 'Results' : 'Comparison'} – ${comparison.before.title} to ${comparison.after.title}`,
        date,
        format === 'results' ? '.png' : `.${format}`,
      ),
      'Cache-Control': 'no-store',
    });
    response.end(body);
    return true;
  };
}
