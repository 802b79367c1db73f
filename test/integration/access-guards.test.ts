/**
 * The guards around access (issue 12): which pages and hosts the server
 * answers, the headers it sends, the limits on guessing, the words it gives
 * for bad keys, what it stores and logs, and how a data directory from the
 * release before access opens with every board still reachable.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addStep, initBoard, readBoard } from '../../src/model';
import { CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED } from '../../src/protocol';
import { connectClient, rawSocket, synced, type TestClient } from '../helpers/clients';
import {
  ROOT,
  api,
  createBoard,
  health,
  makeDataDir,
  newKey,
  startServer,
  waitFor,
  type ServerProcess,
} from '../helpers/server';
import { STORAGE, storedBytes } from '../helpers/storage';

// ---------------------------------------------------------------- helpers

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request with exactly these headers (lower-case names), Host
 * included: what a browser on a rebound name or another page would send.
 * fetch() cannot set Host, so this goes through node:http.
 */
function rawRequest(
  server: ServerProcess,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${server.port}`, ...options.headers },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** A websocket upgrade with these headers through node:http: 101, or the status the server refused it with. */
function rawUpgrade(server: ServerProcess, boardId: string, key: string, headers: Record<string, string>) {
  return new Promise<number>((resolve, reject) => {
    const request = http.request({
      host: '127.0.0.1',
      port: server.port,
      path: `/ws/${boardId}?key=${encodeURIComponent(key)}`,
      headers: {
        host: `127.0.0.1:${server.port}`,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from('sixteen byte key').toString('base64'),
        ...headers,
      },
    });
    request.on('upgrade', (_response, socket) => {
      socket.destroy();
      resolve(101);
    });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end();
  });
}

type SocketOutcome =
  | { kind: 'open'; firstMessage: boolean; close: () => void }
  | { kind: 'refused'; status: number }
  | { kind: 'error'; message: string };

/**
 * A `ws` client (the library y-websocket runs on in Node) with extra headers:
 * refused before the handshake ('unexpected-response'), or open and then
 * receiving the server's first sync message (a socket that opens only to be
 * closed with 4401 or 4403 does not count as open).
 */
function tryWebSocket(url: string, headers: Record<string, string>): Promise<SocketOutcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('error', (error) => resolve({ kind: 'error', message: error.message }));
    ws.once('unexpected-response', (_request, response) => {
      response.resume();
      resolve({ kind: 'refused', status: response.statusCode ?? 0 });
    });
    ws.once('open', () => {
      ws.once('message', () => resolve({ kind: 'open', firstMessage: true, close: () => ws.close() }));
      ws.once('close', (code) => resolve({ kind: 'error', message: `closed with ${code} before any message` }));
    });
  });
}

function wsUrlOf(server: ServerProcess, boardId: string, key = server.key): string {
  return `${server.wsUrl}/${boardId}?key=${encodeURIComponent(key)}`;
}

async function json(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function boardIdsOf(server: ServerProcess, key = server.key): Promise<string[]> {
  const list = (await (await api(`${server.url}/api/boards`, { key })).json()) as { id: string }[];
  return list.map((b) => b.id).sort();
}

interface MadeBoard {
  id: string;
  links: { edit: string; view: string };
}

async function makeBoard(server: ServerProcess, title: string, key = server.key): Promise<MadeBoard> {
  const response = await api(`${server.url}/api/boards`, {
    key,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as MadeBoard;
}

function join(server: ServerProcess, key: string, link: string): Promise<Response> {
  return api(`${server.url}/api/join`, {
    key,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ link }),
  });
}

/** The link token: the last path segment of a link URL. */
function tokenOf(link: string): string {
  return new URL(link).pathname.split('/').filter(Boolean).pop() ?? '';
}

/** A well-formed key or token (43 base64url characters) that nobody was given. */
function unknownSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The directives of a Content-Security-Policy header, by name. */
function cspDirectives(header: string | null | undefined): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

function expectSecurityHeaders(get: (name: string) => string | null | undefined, where: string) {
  const csp = cspDirectives(get('content-security-policy'));
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
  expect(scriptSrc, `${where}: a CSP with script-src (or default-src)`).toBeDefined();
  expect(scriptSrc, `${where}: no inline script allowed`).not.toContain("'unsafe-inline'");
  expect(csp.get('frame-ancestors'), `${where}: no framing`).toEqual(["'none'"]);
  expect(get('referrer-policy'), where).toBe('no-referrer');
  expect(get('x-content-type-options'), where).toBe('nosniff');
}

/**
 * Each secret found in each file, as text or as its raw bytes: the list must
 * stay empty. `secrets` maps a secret to what it is, for the failure message.
 */
async function secretsIn(dir: string, secrets: Map<string, string>, skip: string[]): Promise<string[]> {
  const found: string[] = [];
  // The data directory's files, and with PostgreSQL every row of its database.
  for (const { name, bytes } of await storedBytes(dir, skip)) {
    for (const [secret, what] of secrets) {
      if (bytes.includes(Buffer.from(secret, 'utf8'))) found.push(`${name}: ${what} as text`);
      if (bytes.includes(Buffer.from(secret, 'base64url'))) found.push(`${name}: ${what} as raw bytes`);
    }
  }
  return found;
}

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- <args>`, as an administrator runs it in a shell on the server. */
function admin(args: string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '--silent', 'admin', '--', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------- the default server

let s: ServerProcess;
let board: MadeBoard;

beforeAll(async () => {
  s = await startServer();
  board = await makeBoard(s, 'Guarded board');
});
afterAll(async () => {
  await s?.stop();
});

describe("Origin and Host: only this server's pages and names get in", () => {
  it("refuses a websocket upgrade from a foreign origin, and opens one from the server's own", async () => {
    const foreign = await tryWebSocket(wsUrlOf(s, board.id), { Origin: 'http://attacker.example' });
    expect(foreign).toEqual({ kind: 'refused', status: 403 });

    const own = await tryWebSocket(wsUrlOf(s, board.id), { Origin: s.url });
    expect(own).toMatchObject({ kind: 'open', firstMessage: true });
    if (own.kind === 'open') own.close();

    // "null" is what a sandboxed frame or a file:// page sends: not this server's page either.
    expect(await tryWebSocket(wsUrlOf(s, board.id), { Origin: 'null' })).toEqual({ kind: 'refused', status: 403 });
  });

  it('refuses state-changing requests from a foreign origin and changes nothing', async () => {
    const before = await boardIdsOf(s);
    const created = await rawRequest(s, {
      method: 'POST',
      path: '/api/boards',
      headers: {
        origin: 'http://attacker.example',
        authorization: `Bearer ${s.key}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ title: 'Planted' }),
    });
    expect(created.status).toBe(403);
    expect(JSON.parse(created.body).error).toMatch(/http:\/\/attacker\.example.*not allowed.*ALLOWED_ORIGINS/);
    expect(await boardIdsOf(s)).toEqual(before);

    const renamed = await rawRequest(s, {
      method: 'PATCH',
      path: `/api/boards/${board.id}`,
      headers: {
        origin: 'http://attacker.example',
        authorization: `Bearer ${s.key}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ title: 'Renamed by a stranger' }),
    });
    const deleted = await rawRequest(s, {
      method: 'DELETE',
      path: `/api/boards/${board.id}`,
      headers: { origin: 'http://attacker.example', authorization: `Bearer ${s.key}` },
    });
    expect([renamed.status, deleted.status]).toEqual([403, 403]);
    const still = (await (await api(`${s.url}/api/boards/${board.id}`)).json()) as { title: string };
    expect(still.title).toBe('Guarded board');
  });

  it("lets the server's own origin and requests with no Origin (a script, the CLI) change a board", async () => {
    const own = await rawRequest(s, {
      method: 'POST',
      path: '/api/boards',
      headers: { origin: s.url, authorization: `Bearer ${s.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'From the app page' }),
    });
    expect(own.status).toBe(201);
    // Node's fetch sends no Origin header.
    const id = await createBoard(s, 'From a script');
    expect(await boardIdsOf(s)).toEqual(expect.arrayContaining([id, JSON.parse(own.body).id]));
  });

  it('answers 421 to a rebound host name, on the app, the API and the websocket', async () => {
    const headers = { host: 'attacker.example', authorization: `Bearer ${s.key}` };
    const page = await rawRequest(s, { path: '/', headers });
    const list = await rawRequest(s, { path: '/api/boards', headers });
    expect([page.status, list.status]).toEqual([421, 421]);
    expect(JSON.parse(list.body).error).toMatch(/"attacker\.example".*ALLOWED_HOSTS/);
    // Nothing leaks with the refusal: no board titles.
    expect(list.body).not.toContain('Guarded board');
    expect(await rawUpgrade(s, board.id, s.key, { host: 'attacker.example' })).toBe(421);
    expect(await rawUpgrade(s, board.id, s.key, { host: 'attacker.example:1234' })).toBe(421);
    // Names that look local but resolve wherever their owner says.
    for (const host of ['localhost.attacker.example', '127.0.0.1.nip.io', `attacker.example:${s.port}`]) {
      const refused = await rawRequest(s, { path: '/api/boards', headers: { host, authorization: `Bearer ${s.key}` } });
      expect(refused.status, host).toBe(421);
    }
  });

  it('works for a LAN address in a workshop room and for localhost', async () => {
    const lan = '192.168.1.20:1234';
    const list = await rawRequest(s, { path: '/api/boards', headers: { host: lan, authorization: `Bearer ${s.key}` } });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toContainEqual(expect.objectContaining({ id: board.id }));

    // A browser on the LAN address: its page's origin is that address, and links name it.
    const created = await rawRequest(s, {
      method: 'POST',
      path: '/api/boards',
      headers: {
        host: lan,
        origin: `http://${lan}`,
        authorization: `Bearer ${s.key}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ title: 'Workshop room' }),
    });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body).links.edit).toMatch(/^http:\/\/192\.168\.1\.20:1234\/join\/[A-Za-z0-9_-]{43}$/);
    expect(await rawUpgrade(s, board.id, s.key, { host: lan, origin: `http://${lan}` })).toBe(101);

    const local = `localhost:${s.port}`;
    const page = await rawRequest(s, {
      path: '/api/boards',
      headers: { host: local, authorization: `Bearer ${s.key}` },
    });
    expect(page.status).toBe(200);
    expect(await rawUpgrade(s, board.id, s.key, { host: local, origin: `http://${local}` })).toBe(101);
    // A LAN page may not pose as another LAN page.
    expect(await rawUpgrade(s, board.id, s.key, { host: lan, origin: 'http://192.168.1.99:1234' })).toBe(403);
  });

  describe('with ALLOWED_HOSTS and ALLOWED_ORIGINS', () => {
    let named: ServerProcess;
    let namedBoard: MadeBoard;
    beforeAll(async () => {
      named = await startServer({
        env: { ALLOWED_HOSTS: 'boards.example.org', ALLOWED_ORIGINS: 'https://app.example.org' },
      });
      namedBoard = await makeBoard(named, 'Named');
    });
    afterAll(async () => {
      await named?.stop();
    });

    it('answers the named host and accepts the named origin, and still refuses others', async () => {
      const auth = { authorization: `Bearer ${named.key}` };
      expect(
        (await rawRequest(named, { path: '/api/boards', headers: { host: 'boards.example.org', ...auth } })).status,
      ).toBe(200);
      expect(
        (await rawRequest(named, { path: '/api/boards', headers: { host: 'other.example.org', ...auth } })).status,
      ).toBe(421);

      const post = (origin: string) =>
        rawRequest(named, {
          method: 'POST',
          path: '/api/boards',
          headers: { origin, ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ title: `From ${origin}` }),
        });
      expect((await post('https://app.example.org')).status).toBe(201);
      expect((await post('https://evil.example.org')).status).toBe(403);

      const allowed = await tryWebSocket(wsUrlOf(named, namedBoard.id), { Origin: 'https://app.example.org' });
      expect(allowed).toMatchObject({ kind: 'open' });
      if (allowed.kind === 'open') allowed.close();
      expect(await tryWebSocket(wsUrlOf(named, namedBoard.id), { Origin: 'https://evil.example.org' })).toEqual({
        kind: 'refused',
        status: 403,
      });
      // The default server does not know that origin.
      expect(await tryWebSocket(wsUrlOf(s, board.id), { Origin: 'https://app.example.org' })).toEqual({
        kind: 'refused',
        status: 403,
      });
    });
  });
});

describe('security headers', () => {
  it('sends a CSP without inline script, no framing, no-referrer and nosniff on the app page and the API', async () => {
    // Without a build the page answers 503 ("build first"); the headers are there all the same.
    const page = await fetch(`${s.url}/`);
    expectSecurityHeaders((name) => page.headers.get(name), 'the app page');
    const boardPage = await fetch(`${s.url}/b/${board.id}`);
    expectSecurityHeaders((name) => boardPage.headers.get(name), 'a board page');
    const list = await api(`${s.url}/api/boards`);
    expect(list.status).toBe(200);
    expectSecurityHeaders((name) => list.headers.get(name), 'GET /api/boards');
    const refused = await api(`${s.url}/api/boards`, { key: null });
    expect(refused.status).toBe(401);
    expectSecurityHeaders((name) => refused.headers.get(name), 'a 401 answer');
  });

  const builtIndex = path.join(ROOT, 'dist', 'index.html');
  it.runIf(fs.existsSync(builtIndex))('the built index.html has no inline script for the CSP to block', async () => {
    const served = await fetch(`${s.url}/`);
    expect(served.status).toBe(200);
    for (const html of [fs.readFileSync(builtIndex, 'utf8'), await served.text()]) {
      const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const attributes of scripts) expect(attributes, 'every <script> has a src').toMatch(/\ssrc\s*=/i);
      expect(html, 'no inline event handler attributes').not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
    }
  });
});

describe('rate limits', () => {
  describe('AUTH_FAILURES_PER_MINUTE=3', () => {
    let limited: ServerProcess;
    let limitedBoard: MadeBoard;
    beforeAll(async () => {
      limited = await startServer({ env: { AUTH_FAILURES_PER_MINUTE: '3' } });
      limitedBoard = await makeBoard(limited, 'Limited');
    });
    afterAll(async () => {
      await limited?.stop();
    });

    it('answers three bad keys with 401, then 429 to everyone at that address, and counts it on /healthz', async () => {
      expect((await api(`${limited.url}/api/boards`)).status).toBe(200);
      for (let i = 0; i < 3; i++) {
        const refused = await json(await api(`${limited.url}/api/boards`, { key: unknownSecret() }));
        expect(refused).toMatchObject({ status: 401, body: { code: 'unknown-key' } });
      }
      const guessing = await json(await api(`${limited.url}/api/boards`, { key: unknownSecret() }));
      expect(guessing.status).toBe(429);
      expect(guessing.body.error).toBe('Too many failed attempts from this address. Wait a minute and try again.');

      // The good key from the same address waits too: the limit is per address, not per key.
      const good = await json(await api(`${limited.url}/api/boards/${limitedBoard.id}`));
      expect(good.status).toBe(429);
      expect(good.body.error).toMatch(/Too many failed attempts/);
      expect((await join(limited, limited.key, limitedBoard.links.edit)).status).toBe(429);
      const socket = await rawSocket(limited.wsUrl, limitedBoard.id, limited.key);
      expect(await socket.closed).toEqual({ code: CLOSE_UNAUTHORIZED, reason: expect.stringMatching(/Too many/) });

      expect((await health(limited)).access).toEqual({ refusedKeys: 3, refusedLinks: 0, rateLimited: 4 });
    });
  });

  describe('KEYS_PER_MINUTE=2', () => {
    let keys: ServerProcess;
    beforeAll(async () => {
      keys = await startServer({ env: { KEYS_PER_MINUTE: '2' } });
    });
    afterAll(async () => {
      await keys?.stop();
    });

    it('gives the third new key in a minute a 429, and keys already given keep working', async () => {
      // startServer asked for the first key (the test's own).
      const second = await fetch(`${keys.url}/api/keys`, { method: 'POST' });
      expect(second.status).toBe(201);
      const secondKey = ((await second.json()) as { key: string }).key;
      const third = await json(await fetch(`${keys.url}/api/keys`, { method: 'POST' }));
      expect(third.status).toBe(429);
      expect(third.body.error).toBe('Too many new keys asked for from this address. Wait a minute and try again.');
      expect(third.body).not.toHaveProperty('key');

      expect((await api(`${keys.url}/api/boards`)).status).toBe(200);
      expect((await api(`${keys.url}/api/boards`, { key: secondKey })).status).toBe(200);
      expect((await health(keys)).access).toEqual({ refusedKeys: 0, refusedLinks: 0, rateLimited: 1 });
    });

    it('counts refused links on /healthz', async () => {
      const unknown = await json(await join(keys, keys.key, `${keys.url}/join/${unknownSecret()}`));
      expect(unknown.status).toBe(404);
      expect(unknown.body.error).toMatch(/does not open any board/);
      const garbled = await json(await join(keys, keys.key, 'not a link at all'));
      expect(garbled.status).toBe(400);
      expect(garbled.body.error).toMatch(/not a Purposeboard board link/);
      expect((await health(keys)).access).toMatchObject({ refusedKeys: 0, refusedLinks: 2 });
    });
  });
});

describe('bad keys', () => {
  const cases: { what: string; header: () => string | null; code: string; words: RegExp }[] = [
    { what: 'no Authorization header', header: () => null, code: 'no-key', words: /no participant key/ },
    {
      what: '"Basic abc"',
      header: () => 'Basic abc',
      code: 'malformed-key',
      words: /must be "Bearer <participant key>"/,
    },
    { what: '"Bearer" with no key', header: () => 'Bearer', code: 'malformed-key', words: /must be "Bearer/ },
    { what: '"Bearer a b"', header: () => 'Bearer a b', code: 'malformed-key', words: /must be "Bearer/ },
    {
      what: 'a 42-character key',
      header: () => `Bearer ${s.key.slice(0, 42)}`,
      code: 'malformed-key',
      words: /not well formed/,
    },
    { what: 'a 44-character key', header: () => `Bearer ${s.key}A`, code: 'malformed-key', words: /not well formed/ },
    {
      what: 'a key with "+"',
      header: () => `Bearer +${s.key.slice(1)}`,
      code: 'malformed-key',
      words: /not well formed/,
    },
    {
      what: 'a key with "/"',
      header: () => `Bearer ${s.key.slice(0, 42)}/`,
      code: 'malformed-key',
      words: /not well formed/,
    },
    {
      what: 'an unknown key',
      header: () => `Bearer ${unknownSecret()}`,
      code: 'unknown-key',
      words: /not known to this server/,
    },
  ];

  it.each(cases)(
    'answers $what with 401 "$code" in plain words, and makes no board',
    async ({ header, code, words }) => {
      const before = await boardIdsOf(s);
      const value = header();
      const response = await fetch(`${s.url}/api/boards`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(value === null ? {} : { Authorization: value }) },
        body: JSON.stringify({ title: 'Should not exist' }),
      });
      const answer = await json(response);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: expect.stringMatching(words), code });
      expect(await boardIdsOf(s)).toEqual(before);
    },
  );

  it("closes a websocket with no key, a malformed key or an unknown key with 4401, and a stranger's with 4403", async () => {
    for (const key of [null, 'short', unknownSecret()]) {
      const socket = await rawSocket(s.wsUrl, board.id, key);
      expect((await socket.closed).code, `key ${String(key)}`).toBe(CLOSE_UNAUTHORIZED);
    }
    const stranger = await rawSocket(s.wsUrl, board.id, await newKey(s));
    expect(await stranger.closed).toEqual({ code: CLOSE_FORBIDDEN, reason: 'not a member' });
  });
});

describe('storage and the log hold no secrets', () => {
  let store: ServerProcess;
  const clients: TestClient[] = [];
  /** Every key and link token this test saw, with what it is. */
  const secrets = new Map<string, string>();
  const remember = (what: string, ...links: string[]) =>
    links.forEach((l, i) => secrets.set(tokenOf(l), `${what} ${i}`));

  beforeAll(async () => {
    store = await startServer();
  });
  afterAll(async () => {
    for (const client of clients) client.destroy();
    await store?.stop();
  });

  it("keeps keys and link tokens out of the database (SQLite's file and WAL, or PostgreSQL) and the server's output", async () => {
    const editorKey = await newKey(store);
    const viewerKey = await newKey(store);
    secrets.set(store.key, 'facilitator key').set(editorKey, 'editor key').set(viewerKey, 'viewer key');
    for (const [key, name] of [
      [store.key, 'Fran'],
      [editorKey, 'Eddie'],
      [viewerKey, 'Vi'],
    ]) {
      expect(
        (
          await api(`${store.url}/api/me`, {
            key,
            method: 'PUT',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ name }),
          })
        ).status,
      ).toBe(200);
    }

    const first = await makeBoard(store, 'Repairs');
    const second = await makeBoard(store, 'Lettings');
    remember('first board link', first.links.edit, first.links.view);
    remember('second board link', second.links.edit, second.links.view);
    // One joins with the full URL, one with the bare token: both are ways people paste a link.
    expect((await join(store, editorKey, first.links.edit)).status).toBe(200);
    expect((await join(store, viewerKey, tokenOf(first.links.view))).status).toBe(200);
    expect((await join(store, editorKey, second.links.view)).status).toBe(200);

    const facilitator = connectClient(store.wsUrl, first.id);
    const editor = connectClient(store.wsUrl, first.id, { key: editorKey });
    const viewer = connectClient(store.wsUrl, first.id, { key: viewerKey });
    clients.push(facilitator, editor, viewer);
    await Promise.all([synced(facilitator), synced(editor), synced(viewer)]);
    addStep(editor.doc, { position: { x: 10, y: 10 }, label: 'Take the call' });
    expect(await editor.saved()).toBe(true);

    const rotated = (await (
      await api(`${store.url}/api/boards/${first.id}/links/edit/rotate`, { method: 'POST' })
    ).json()) as MadeBoard['links'];
    // Only the edit link is replaced; the view link stays.
    expect(rotated.edit).not.toBe(first.links.edit);
    expect(rotated.view).toBe(first.links.view);
    remember('rotated link', rotated.edit, rotated.view);
    await waitFor(() => editor.closes.some((c) => c.code === CLOSE_FORBIDDEN), 5000, 'the editor to lose access');
    const shown = (await (await api(`${store.url}/api/boards/${second.id}/links`)).json()) as MadeBoard['links'];
    remember('shown link', shown.edit, shown.view);

    // Failed attempts carry secrets too, and those must not be logged either.
    const guessedKey = unknownSecret();
    const guessedToken = unknownSecret();
    secrets.set(guessedKey, 'a guessed key').set(guessedToken, 'a guessed token');
    expect((await api(`${store.url}/api/boards`, { key: guessedKey })).status).toBe(401);
    expect((await join(store, viewerKey, `${store.url}/join/${guessedToken}`)).status).toBe(404);
    expect((await join(store, viewerKey, first.links.edit)).status).toBe(403);
    const refused = await rawSocket(store.wsUrl, first.id, guessedKey);
    expect((await refused.closed).code).toBe(CLOSE_UNAUTHORIZED);
    // Three keys, two links each for two boards, the rotated edit link and the two guesses.
    expect(secrets.size).toBe(10);

    // While the server runs, SQLite's recent writes sit in the WAL.
    if (STORAGE === 'sqlite') {
      const running = fs.readdirSync(store.dataDir);
      expect(running).toEqual(expect.arrayContaining(['purposeboard.sqlite', 'purposeboard.sqlite-wal']));
    }
    expect(await secretsIn(store.dataDir, secrets, ['link-secret'])).toEqual([]);

    for (const client of clients.splice(0)) client.destroy();
    expect(await store.stop()).toBe(0);
    expect(await secretsIn(store.dataDir, secrets, ['link-secret'])).toEqual([]);

    const output = store.output();
    const logged = [...secrets].filter(([secret]) => output.includes(secret)).map(([, what]) => what);
    expect(logged, 'secrets in the server output').toEqual([]);
    expect(output).not.toMatch(/key=[A-Za-z0-9_-]{8,}/);
  });
});

// A SQLite file as the previous release left it; PostgreSQL storage is newer than access, and its
// numbered migrations have tests of their own (postgres.test.ts).
describe.skipIf(STORAGE === 'postgres')('a data directory from the release before access', () => {
  // The previous release's schema and migration (git show main:server/storage/sqlite.ts, before issue 12).
  const PREVIOUS_SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  steps INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS board_snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  state BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS board_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS board_updates_by_board ON board_updates(board_id, seq);
CREATE TABLE IF NOT EXISTS board_versions (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  saved_at INTEGER NOT NULL,
  steps INTEGER NOT NULL DEFAULT 0,
  state BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS board_versions_by_board ON board_versions(board_id, saved_at);
`;
  const OLD = [
    { id: 'oldRepairsBoard01', title: 'Repairs (before access)', steps: ['Log the repair'] },
    { id: 'oldLettingsBoard2', title: 'Lettings (before access)', steps: ['Advertise', 'Hand over keys'] },
  ];
  const FACILITATOR_LINE = /board (\S+) "[^"]*" has no facilitator yet; .*?: (http:\/\/\S+)/g;

  let dataDir: string;
  let old: ServerProcess | undefined;
  let startupLinks: Map<string, string>;
  /** The links printed or granted here and the keys that used them: none may be stored. */
  const seen = new Map<string, string>();

  /** Writes the data directory as the previous release did: snapshots, an update log and a version. */
  function writePreviousRelease(dir: string) {
    const db = new Database(path.join(dir, 'purposeboard.sqlite'));
    db.pragma('journal_mode = WAL');
    db.exec(PREVIOUS_SCHEMA);
    db.exec('ALTER TABLE boards ADD COLUMN before_board_id TEXT');
    const now = Date.now();
    for (const { id, title, steps } of OLD) {
      const doc = new Y.Doc();
      initBoard(doc, title);
      addStep(doc, { position: { x: 0, y: 0 }, label: steps[0] });
      db.prepare(
        'INSERT INTO boards (id, title, created_at, updated_at, steps, before_board_id) VALUES (?, ?, ?, ?, ?, NULL)',
      ).run(id, title, now - 86_400_000, now, steps.length);
      db.prepare('INSERT INTO board_snapshots (board_id, state) VALUES (?, ?)').run(
        id,
        Buffer.from(Y.encodeStateAsUpdate(doc)),
      );
      db.prepare(
        'INSERT INTO board_versions (id, board_id, name, saved_by, saved_at, steps, state) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(`${id}-v1`, id, 'First draft', 'Sam', now - 3_600_000, 1, Buffer.from(Y.encodeStateAsUpdate(doc)));
      // Later edits sit in the update log, after the snapshot.
      for (const label of steps.slice(1)) {
        const before = Y.encodeStateVector(doc);
        addStep(doc, { position: { x: 200, y: 0 }, label });
        db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)').run(
          id,
          Buffer.from(Y.encodeStateAsUpdate(doc, before)),
        );
      }
      doc.destroy();
    }
    db.close();
  }

  async function stepLabels(server: ServerProcess, key: string, boardId: string): Promise<string[]> {
    const response = await api(`${server.url}/api/boards/${boardId}/state`, { key });
    expect(response.status).toBe(200);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()));
    const labels = readBoard(doc)
      .nodes.flatMap((n) => (n.kind === 'step' ? [n.label] : []))
      .sort();
    doc.destroy();
    return labels;
  }

  beforeAll(() => {
    dataDir = makeDataDir();
    writePreviousRelease(dataDir);
  });
  afterAll(async () => {
    await old?.stop();
  });

  it('prints one facilitator link per old board on the first start, and none on a restart', async () => {
    old = await startServer({ dataDir });
    startupLinks = new Map([...old.output().matchAll(FACILITATOR_LINE)].map((m) => [m[1], m[2]]));
    expect([...old.output().matchAll(FACILITATOR_LINE)]).toHaveLength(2);
    expect([...startupLinks.keys()].sort()).toEqual(OLD.map((b) => b.id).sort());
    for (const [id, link] of startupLinks) {
      expect(link).toMatch(new RegExp(`^${old.url}/join/[A-Za-z0-9_-]{43}$`));
      seen.set(tokenOf(link), `the startup link of ${id}`);
    }

    // The same server restarted: same data, same port (the printed links name it).
    const port = old.port;
    expect(await old.stop()).toBe(0);
    old = await startServer({ dataDir, env: { PORT: String(port) } });
    expect(old.output()).not.toMatch(/has no facilitator yet/);
  }, 60_000);

  it('lists both old boards with `npm run admin -- list`', async () => {
    const listed = await admin(['list', '--data', dataDir]);
    expect(listed.code).toBe(0);
    for (const { id, title } of OLD) {
      expect(listed.stdout).toMatch(
        new RegExp(`${id}\\s+${title.replace(/[()]/g, '\\$&')}.*facilitator: none — use grant`),
      );
    }
  }, 60_000);

  it('lets the printed link make a facilitator who finds the old content, once', async () => {
    if (!old) throw new Error('the server did not start');
    const [repairs] = OLD;
    const link = startupLinks.get(repairs.id);
    if (!link) throw new Error('no startup link for the first board');
    const key = await newKey(old);
    seen.set(key, 'the first facilitator key');
    expect(await json(await join(old, key, link))).toEqual({
      status: 200,
      body: { boardId: repairs.id, role: 'facilitator' },
    });
    expect(await stepLabels(old, key, repairs.id)).toEqual(repairs.steps);
    expect((await join(old, await newKey(old), link)).status).toBe(403);
  });

  it('gives a facilitator link with `npm run admin -- grant`, which opens the old board once', async () => {
    if (!old) throw new Error('the server did not start');
    const lettings = OLD[1];
    const granted = await admin(['grant', lettings.id, '--data', dataDir, '--url', old.url]);
    expect(granted.code).toBe(0);
    const link = new RegExp(`${old.url}/join/[A-Za-z0-9_-]{43}`).exec(granted.stdout)?.[0];
    expect(link, granted.stdout + granted.stderr).toBeDefined();
    if (!link) return;
    seen.set(tokenOf(link), 'the granted link');

    const key = await newKey(old);
    seen.set(key, 'the second facilitator key');
    expect(await json(await join(old, key, link))).toEqual({
      status: 200,
      body: { boardId: lettings.id, role: 'facilitator' },
    });
    expect(await stepLabels(old, key, lettings.id)).toEqual([...lettings.steps].sort());
    const mine = (await (await api(`${old.url}/api/boards`, { key })).json()) as { id: string; role: string }[];
    expect(mine).toEqual([expect.objectContaining({ id: lettings.id, title: lettings.title, role: 'facilitator' })]);
    const versions = (await (await api(`${old.url}/api/boards/${lettings.id}/versions`, { key })).json()) as {
      name: string;
    }[];
    expect(versions.map((v) => v.name)).toEqual(['First draft']);
    const links = await json(await api(`${old.url}/api/boards/${lettings.id}/links`, { key }));
    expect(links).toMatchObject({
      status: 200,
      body: { edit: expect.stringMatching(/\/join\/[A-Za-z0-9_-]{43}$/), view: expect.stringMatching(/\/join\//) },
    });

    const again = await json(await join(old, await newKey(old), link));
    expect(again.status).toBe(403);
    expect(again.body.error).toMatch(/used already/);

    // The old board now works like any other: its edit link makes an editor.
    const editorKey = await newKey(old);
    const edit = (links.body as { edit: string }).edit;
    seen.set(editorKey, 'the editor key').set(tokenOf(edit), 'the edit link');
    expect(await json(await join(old, editorKey, edit))).toEqual({
      status: 200,
      body: { boardId: lettings.id, role: 'editor' },
    });
  }, 60_000);

  it('says in plain words when `admin grant` names no board, and exits 1', async () => {
    const missing = await admin(['grant', 'nosuchboard', '--data', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('There is no board "nosuchboard"');
    expect(missing.stdout).not.toMatch(/\/join\//);
  }, 60_000);

  it('stores none of the links it printed or granted, nor the keys that used them', async () => {
    expect(seen.size).toBe(7);
    expect(await old?.stop()).toBe(0);
    old = undefined;
    expect(await secretsIn(dataDir, seen, ['link-secret'])).toEqual([]);
  }, 60_000);
});
