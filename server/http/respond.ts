/** Small helpers for answering HTTP requests with JSON and reading JSON bodies. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { isValidBoardId } from '../../src/protocol';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

export function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { error: message });
}

/**
 * Reads a JSON body of at most `limit` bytes; bad JSON is a 400 that says so.
 * An empty body is a 400 too, unless `emptyIs` gives what it stands for.
 */
export async function readJsonBody(
  request: IncomingMessage,
  limit: number,
  options: { emptyIs?: unknown } = {},
): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `The request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    if ('emptyIs' in options) return options.emptyIs;
    throw new HttpError(400, 'The request body is empty: send a JSON object');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON');
  }
}

/** A JSON body checked by `schema`; the first problem becomes a 400 naming its field. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'The request body must be a JSON object');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'body';
    throw new HttpError(400, `"${field}" ${issue.message}`);
  }
  return parsed.data;
}

export const BOARD_ID_RULE = 'A board id is 1 to 64 letters, digits, "_" or "-"';

export function checkBoardId(id: string): void {
  if (!isValidBoardId(id)) throw new HttpError(400, BOARD_ID_RULE);
}

/** A path segment, URL-decoded; a malformed escape is a 400 with `rule`. */
export function decodeSegment(raw: string, rule: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, rule);
  }
}
