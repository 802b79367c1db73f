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

/** Where this browser keeps its participant key (like an anonymous account: no sign-up). */
export const PARTICIPANT_KEY_STORAGE = 'purposeboard.participantKey';
const KEY_PATH = '/api/keys';

let keyInMemory: string | null = null;
let keyRequest: Promise<string> | null = null;
const keyListeners = new Set<(key: string) => void>();

function keyStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage refused: the key lasts for this visit only
  }
}

function storedKey(): string | null {
  if (keyInMemory) return keyInMemory;
  try {
    keyInMemory = keyStorage()?.getItem(PARTICIPANT_KEY_STORAGE) || null;
  } catch {
    keyInMemory = null;
  }
  return keyInMemory;
}

function forgetKey(stale: string): void {
  if (keyInMemory !== stale) return; // another call already replaced it
  keyInMemory = null;
  try {
    keyStorage()?.removeItem(PARTICIPANT_KEY_STORAGE);
  } catch {
    // nothing stored
  }
}

/** Called with each new key the server issues (the app sends the display name with it). */
export function onNewParticipantKey(listener: (key: string) => void): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

/**
 * This browser's participant key, asking the server for one (POST /api/keys)
 * on first need. Calls that start together share one request.
 */
export function participantKey(): Promise<string> {
  const known = storedKey();
  if (known) return Promise.resolve(known);
  keyRequest ??= (async () => {
    try {
      const response = await send(KEY_PATH, { method: 'POST' });
      const { key } = (await response.json()) as { key?: unknown };
      if (typeof key !== 'string' || !key) throw new ApiError('The server did not give this browser a key.', 0);
      keyInMemory = key;
      try {
        keyStorage()?.setItem(PARTICIPANT_KEY_STORAGE, key);
      } catch {
        // kept in memory only
      }
      for (const listener of keyListeners) listener(key);
      return key;
    } finally {
      keyRequest = null;
    }
  })();
  return keyRequest;
}

/** One request without the key: a network failure or a non-2xx answer throws an ApiError in plain words. */
async function send(path: string, init: RequestInit): Promise<Response> {
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

function withKey(init: RequestInit, key: string): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${key}`);
  return { ...init, headers };
}

/**
 * Fetches `path` with this browser's key; a network failure or a non-2xx
 * answer throws an ApiError in plain words. A key the server no longer knows
 * (its data was reset) is replaced by a new one and the request tried once more.
 */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const key = await participantKey();
  try {
    return await send(path, withKey(init, key));
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || error.body.code !== 'unknown-key') throw error;
    forgetKey(key);
    return send(path, withKey(init, await participantKey()));
  }
}

/** Tells the server the name the facilitator sees in the member list (PUT /api/me). */
export async function sendDisplayName(name: string): Promise<void> {
  await request('PUT', '/api/me', { name });
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
