/**
 * The one way the client talks HTTP to the server (README "Public
 * interfaces"): every call goes through `apiFetch`, so what every request
 * carries is said once, and a refusal always becomes an ApiError with the
 * server's own words (its JSON `{ error }`), whatever the call.
 */
export class ApiError extends Error {
  readonly status: number;
  /** The server's whole JSON answer, for callers that read more than its `error` (the demand CSV's lines). */
  readonly body: Record<string, unknown>;
  constructor(message: string, status: number, body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
  }
}

export const UNREACHABLE = 'Could not reach the server. Check your connection and try again.';

/** Fetches `path`; a network failure or a non-2xx answer throws an ApiError in plain words. */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(UNREACHABLE, 0);
  }
  if (!response.ok) {
    let message = `The server answered ${response.status} ${response.statusText}`.trim();
    let body: Record<string, unknown> = {};
    try {
      const answer = (await response.json()) as unknown;
      if (typeof answer === 'object' && answer !== null) body = answer as Record<string, unknown>;
      if (typeof body.error === 'string' && body.error) message = body.error;
    } catch {
      // Not JSON (a proxy's error page): keep the status line.
    }
    throw new ApiError(message, response.status, body);
  }
  return response;
}

/** One JSON request to the HTTP API; the answer's JSON (undefined for 204). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await apiFetch(path, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Sends a raw body (a board file's text or bytes, a CSV) and reads the JSON answer. */
export async function sendText<T>(path: string, body: string | Blob, contentType: string): Promise<T> {
  const response = await apiFetch(path, { method: 'POST', headers: { 'Content-Type': contentType }, body });
  return (await response.json()) as T;
}

/** Fetches a binary answer (a Yjs state, an export). */
export async function fetchBytes(path: string): Promise<ArrayBuffer> {
  return (await apiFetch(path)).arrayBuffer();
}
