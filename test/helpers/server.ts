/**
 * Starts the real Purposeboard server as a child process on a free port with
 * its own SQLite file, as `npm start` would (minus the build). Used by the
 * integration tests, the e2e tests and the benchmark. In the integration-pg
 * project each data directory gets its own PostgreSQL database instead
 * (test/helpers/storage.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storageEnv } from './storage';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  /** The server's process id (the benchmark reads its memory). */
  pid: number;
  port: number;
  url: string;
  wsUrl: string;
  dataDir: string;
  /**
   * This test's participant key on the server (made at start, kept per data
   * directory so a restarted server knows it). `api`, `createBoard` and
   * `connectClient` use it unless told otherwise: the test is the
   * facilitator of the boards it makes.
   */
  key: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Sends a signal and waits for the process to end. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * A fresh data directory. Under vitest they all sit in one folder that
 * test/global-setup.ts removes after the run (restart tests reuse a directory
 * after its server stopped, so a server cannot remove its own).
 */
export function makeDataDir(): string {
  const parent = process.env.PURPOSEBOARD_TEST_TMP ?? os.tmpdir();
  fs.mkdirSync(parent, { recursive: true });
  return fs.mkdtempSync(path.join(parent, 'purposeboard-test-'));
}

/** The test key of each server (by origin) and of each data directory. */
const keysByOrigin = new Map<string, string>();
const keysByDataDir = new Map<string, string>();

/** The test key of the server at `url` (http or ws), if one was started by startServer. */
export function testKeyFor(url: string): string | undefined {
  const parsed = new URL(url);
  const origin = `${parsed.protocol.replace(/^ws/, 'http')}//${parsed.host}`;
  return keysByOrigin.get(origin);
}

/** A new participant key from the server (POST /api/keys). */
export async function newKey(server: { url: string }): Promise<string> {
  const response = await fetch(`${server.url}/api/keys`, { method: 'POST' });
  if (response.status !== 201) throw new Error(`could not get a participant key: ${response.status}`);
  return ((await response.json()) as { key: string }).key;
}

/**
 * fetch() that sends the test key of the server it is addressed to (or
 * `key`, or none with `key: null`), as the app does.
 */
export function api(url: string, init: RequestInit & { key?: string | null } = {}): Promise<Response> {
  const { key = testKeyFor(url), ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key && !headers.has('Authorization')) headers.set('Authorization', `Bearer ${key}`);
  return fetch(url, { ...rest, headers });
}

export async function startServer(
  options: {
    dataDir?: string;
    env?: Record<string, string>;
    /** Test only: every group commit waits this long first (a slow disk or a remote database). */
    commitDelayMs?: number;
  } = {},
): Promise<ServerProcess> {
  const dataDir = options.dataDir ?? makeDataDir();
  // A test that names its own database (several instances on one) gets no database of its own.
  const storage = options.env?.DATABASE_URL ? {} : await storageEnv(dataDir);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      UNLOAD_DELAY_MS: '200',
      ...storage,
      ...(options.commitDelayMs ? { COMMIT_DELAY_MS: String(options.commitDelayMs) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${output}`)), 30_000);
    const onData = () => {
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const key = keysByDataDir.get(dataDir) ?? (await newKey({ url }));
  keysByDataDir.set(dataDir, key);
  keysByOrigin.set(url, key);
  return {
    pid: child.pid ?? 0,
    port,
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    dataDir,
    key,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** A new board, blank or from one of GET /api/templates' examples (the test's key is its facilitator); its id. */
export async function createBoard(server: { url: string }, title = 'Test board', template?: string): Promise<string> {
  const response = await api(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(template === undefined ? { title } : { title, template }),
  });
  if (response.status !== 201) throw new Error(`could not create a board: ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

export async function health(server: { url: string }): Promise<Record<string, unknown>> {
  return (await (await fetch(`${server.url}/healthz`)).json()) as Record<string, unknown>;
}

/**
 * Polls `check` until it returns true (or throws when `timeoutMs` passes).
 * `what` may be a function, read only on failure, so the message can say what was last seen.
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5000,
  what: string | (() => string) = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
}
