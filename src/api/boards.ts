/** The board list's HTTP API (see the README's "Public interfaces"). Errors carry the server's words. */
import type { Role } from '../protocol';
import { ApiError, request, sendText } from './http';

export { ApiError } from './http';
export interface BoardSummary {
  id: string;
  title: string;
  /** ms since 1970 */
  updatedAt: number;
  steps: number;
  /** On an "after" board (Start the redesign) whose before board still exists: that board's id. */
  beforeBoardId?: string;
  /** This person's role on the board. */
  role: Role;
  locked: boolean;
}

/**
 * The list with each after board (Start the redesign) placed under its
 * before board, so a pair is seen together; the pair takes the place of its
 * most recently changed board. A redesign of a redesign joins the same group.
 */
export function groupPairs(boards: BoardSummary[]): Array<{ board: BoardSummary; afters: BoardSummary[] }> {
  const byId = new Map(boards.map((b) => [b.id, b]));
  const rootOf = (board: BoardSummary): BoardSummary => {
    let current = board;
    const seen = new Set<string>([board.id]);
    for (;;) {
      const before = current.beforeBoardId === undefined ? undefined : byId.get(current.beforeBoardId);
      if (!before) return current;
      if (seen.has(before.id)) return board; // boards naming each other: no pair rather than a loop
      seen.add(before.id);
      current = before;
    }
  };
  const groups = new Map<string, { board: BoardSummary; afters: BoardSummary[] }>();
  for (const board of boards) {
    const root = rootOf(board);
    const group = groups.get(root.id) ?? { board: root, afters: [] };
    groups.set(root.id, group);
    if (board !== root) group.afters.push(board);
  }
  return [...groups.values()];
}

export function listBoards(): Promise<BoardSummary[]> {
  return request<BoardSummary[]>('GET', '/api/boards');
}
/** Creates a board, empty or from a template ("blank" or none: empty). */
export function createBoard(title: string, template?: string): Promise<{ id: string; title: string }> {
  return request('POST', '/api/boards', template && template !== 'blank' ? { title, template } : { title });
}

/** An example's before board and the after board of its redesign, linked (POST /api/boards with "pair"). */
export function createExamplePair(
  title: string,
  template: string,
): Promise<{ id: string; title: string; after: { id: string; title: string } }> {
  return request('POST', '/api/boards', { title, template, pair: true });
}

/** A template a new board can start from (GET /api/templates). */
export interface TemplateSummary {
  id: string;
  title: string;
  /** One line for the new-board form. */
  description: string;
}

export function listTemplates(): Promise<TemplateSummary[]> {
  return request<TemplateSummary[]>('GET', '/api/templates');
}
export function renameBoard(id: string, title: string): Promise<{ id: string; title: string }> {
  return request('PATCH', `/api/boards/${encodeURIComponent(id)}`, { title });
}
export function deleteBoard(id: string): Promise<void> {
  return request('DELETE', `/api/boards/${encodeURIComponent(id)}`);
}

/** The largest board file the server takes (BOARD_FILE_MAX_BYTES): checked here too, so a huge file is refused before it is sent. */
export const BOARD_FILE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Creates a NEW board from a board file (POST /api/boards/import).
 * The server checks the file; its message says what is wrong and where.
 * A File is sent as its bytes: reading it as text first would turn broken
 * UTF-8 into U+FFFD before the server could refuse it.
 */
export async function importBoardFile(file: string | Blob): Promise<{ id: string; title: string }> {
  const answer = await sendText<{ id: string; title: string }>('/api/boards/import', file, 'application/json');
  return { id: String(answer.id), title: String(answer.title) };
}

/** A refused demand CSV: nothing was added; `errors` names every bad line. */
export class DemandCsvError extends ApiError {
  readonly errors: { line: number; message: string }[];
  constructor(message: string, status: number, errors: { line: number; message: string }[]) {
    super(message, status);
    this.name = 'DemandCsvError';
    this.errors = errors;
  }
}

/** Adds the demand rows of a CSV with a header line to a board (POST /api/boards/:id/demand/import). */
export async function importDemandCsv(boardId: string, text: string): Promise<{ added: number }> {
  try {
    const answer = await sendText<{ added?: number }>(
      `/api/boards/${encodeURIComponent(boardId)}/demand/import`,
      text,
      'text/csv; charset=utf-8',
    );
    return { added: Number(answer.added ?? 0) };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 0) throw error;
    const errors = error.body.errors;
    throw new DemandCsvError(error.message, error.status, Array.isArray(errors) ? errors : []);
  }
}
