/**
 * "Saved" survives crashes (issue 13): the real server process is killed with
 * SIGKILL at random points 50 times while 20 y-websocket clients on 4 boards
 * each make 10 edits a second. Every `[100, seq, 1]` answer is recorded with
 * the edits that client had sent on that connection before asking; after
 * each kill the SQLite file itself is read (the server is dead, nothing can
 * heal it first) and every edit ever reported saved must be in it. At the end
 * the clients resync with a last server and everything anyone made is there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import { MESSAGE_SAVED, encodeSaveRequest, readSaveAnswer } from '../../src/protocol';
import { createBoard, ROOT, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { STORAGE } from '../helpers/storage';

const KILLS = 50;
const BOARDS = 4;
const CLIENTS_PER_BOARD = 5;
const EDIT_INTERVAL_MS = 100;
/**
 * Where a kill lands, at random: in odd rounds this long after the server
 * listens (before, during or after the clients' resync); in even rounds this
 * long after every client has synced with it (steady editing, saves in flight).
 */
const AFTER_LISTEN_MS = { min: 0, max: 800 };
const AFTER_SYNC_MS = { min: 100, max: 600 };
/** Standbys warming up at once: loading the server's modules takes seconds on a loaded machine. */
const STANDBYS = 3;

interface Editor {
  id: string;
  boardId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Edits made: the numbers 1..made are in the client's own array. */
  made: number;
  /** Every edit up to this one was reported saved. */
  savedUpTo: number;
  /** Save requests in flight: seq → the edits sent on that connection when it was asked. */
  asked: Map<number, number>;
  seq: number;
  okAnswers: number;
  notOk: number;
}

interface Standby {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

let children: ChildProcess[] = [];
let servers: ServerProcess[] = [];
let editors: Editor[] = [];

afterEach(async () => {
  for (const e of editors) {
    e.provider.destroy();
    e.doc.destroy();
  }
  editors = [];
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  servers = [];
});

/** A server process that has loaded its modules and waits for the word to open storage and listen. */
function standby(env: Record<string, string>): Standby {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/warm-server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { child, output: () => output, exited };
}

async function takeOver(s: Standby): Promise<void> {
  await waitFor(
    () => s.output().includes('warm'),
    90_000,
    () => `a standby to load:\n${s.output()}`,
  );
  s.child.stdin?.write('go\n');
  await waitFor(
    () => s.output().includes('listening on') || s.child.exitCode !== null,
    30_000,
    () => `the standby to listen:\n${s.output()}`,
  );
  if (!s.output().includes('listening on')) throw new Error(`the standby did not start:\n${s.output()}`);
}

/** Each client's array of edit numbers, as stored in the SQLite file (read while no server runs). */
function stored(dataDir: string, boardIds: string[]): Map<string, Set<number>> {
  // Not read-only: after a SIGKILL, opening the file replays its write-ahead log, as the next server will.
  const db = new Database(path.join(dataDir, 'purposeboard.sqlite'));
  const result = new Map<string, Set<number>>();
  try {
    for (const boardId of boardIds) {
      const doc = new Y.Doc();
      const snapshot = db.prepare('SELECT state FROM board_snapshots WHERE board_id = ?').get(boardId) as
        { state: Buffer } | undefined;
      if (snapshot) Y.applyUpdate(doc, snapshot.state);
      const rows = db.prepare('SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq').all(boardId) as {
        data: Buffer;
      }[];
      for (const row of rows) Y.applyUpdate(doc, row.data);
      for (const editor of editors.filter((e) => e.boardId === boardId)) {
        result.set(editor.id, new Set(doc.getArray<number>(editor.id).toArray()));
      }
      doc.destroy();
    }
  } finally {
    db.close();
  }
  return result;
}

function editor(wsUrl: string, boardId: string, key: string, id: string): Editor {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    params: { key },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    // Back at once when the next server listens, not after y-websocket's 2.5 s back-off.
    maxBackoffTime: 200,
  });
  const e: Editor = {
    id,
    boardId,
    doc,
    provider,
    made: 0,
    savedUpTo: 0,
    asked: new Map(),
    seq: 0,
    okAnswers: 0,
    notOk: 0,
  };
  provider.messageHandlers[MESSAGE_SAVED] = (_encoder: encoding.Encoder, decoder: decoding.Decoder) => {
    const { seq, ok } = readSaveAnswer(decoder);
    const covered = e.asked.get(seq);
    e.asked.delete(seq);
    if (covered === undefined) return;
    if (ok) {
      e.okAnswers += 1;
      e.savedUpTo = Math.max(e.savedUpTo, covered);
    } else e.notOk += 1;
  };
  return e;
}

/**
 * Asks whether everything sent so far is stored. Only on a synced connection:
 * then every edit made so far has gone out on it (in the sync step 2 the
 * client answered the server's greeting with, or as a live update since).
 */
function ask(e: Editor): void {
  const ws = e.provider.ws;
  if (!e.provider.synced || !e.provider.wsconnected || !ws || ws.readyState !== WebSocket.OPEN) return;
  e.seq += 1;
  e.asked.set(e.seq, e.made);
  ws.send(encodeSaveRequest(e.seq));
}

/** A small seeded generator, so a failing run can be told apart (its seed is in the message). */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// It reads the SQLite file after each kill, and its warm standbys start on the SQLite default; in
// integration-pg it would only repeat it (a PostgreSQL commit's durability is PostgreSQL's own).
describe.skipIf(STORAGE === 'postgres')('crash safety of "saved"', () => {
  it(
    `loses nothing reported saved when the server is SIGKILLed ${KILLS} times under 20 clients at 10 edits/s`,
    { timeout: 420_000 },
    async () => {
      const started = Date.now();
      const seed = Date.now() % 100_000;
      const next = random(seed);
      const first = await startServer();
      servers.push(first);
      const boardIds = await Promise.all(Array.from({ length: BOARDS }, (_, i) => createBoard(first, `Crash ${i}`)));
      const env = {
        PORT: String(first.port),
        HOST: '127.0.0.1',
        DATA_DIR: first.dataDir,
        UNLOAD_DELAY_MS: '200',
      };
      const pool = Array.from({ length: STANDBYS }, () => standby(env));
      for (const [b, boardId] of boardIds.entries()) {
        for (let c = 0; c < CLIENTS_PER_BOARD; c++) editors.push(editor(first.wsUrl, boardId, first.key, `b${b}c${c}`));
      }
      await waitFor(() => editors.every((e) => e.provider.synced), 60_000, 'every client to sync');

      // Ten edits a second each, spread over the interval; each edit is followed by a save request.
      const timers = editors.map((e, i) =>
        setTimeout(
          () => {
            const interval = setInterval(() => {
              e.made += 1;
              e.doc.getArray<number>(e.id).push([e.made]);
              ask(e);
            }, EDIT_INTERVAL_MS);
            timers.push(interval);
          },
          (i * EDIT_INTERVAL_MS) / editors.length,
        ),
      );

      let kill: () => Promise<unknown> = () => first.stop('SIGKILL');
      const lost: string[] = [];
      let cyclesWithSaves = 0;
      try {
        for (let round = 1; round <= KILLS; round++) {
          const okBefore = editors.reduce((sum, e) => sum + e.okAnswers, 0);
          // The kill point: a random moment of this server's life (the delay is the point, not a wait for a state).
          const range = round % 2 === 1 ? AFTER_LISTEN_MS : AFTER_SYNC_MS;
          if (round % 2 === 0) {
            await waitFor(() => editors.every((e) => e.provider.synced), 60_000, 'every client to resync');
          }
          await new Promise((resolve) => setTimeout(resolve, range.min + next() * (range.max - range.min)));
          await kill();
          // Every answer the dead server sent is read before the check: each client has seen its socket close.
          await waitFor(() => editors.every((e) => !e.provider.wsconnected), 20_000, 'every client to see the kill');
          const okAfter = editors.reduce((sum, e) => sum + e.okAnswers, 0);
          if (okAfter > okBefore) cyclesWithSaves += 1;

          const inFile = stored(first.dataDir, boardIds);
          for (const e of editors) {
            const have = inFile.get(e.id) ?? new Set<number>();
            for (let n = 1; n <= e.savedUpTo; n++) {
              if (!have.has(n)) lost.push(`kill ${round}: ${e.id}'s edit ${n} (saved up to ${e.savedUpTo})`);
            }
          }
          expect(lost, `seed ${seed}`).toEqual([]);

          const nextServer = pool.shift() as Standby;
          pool.push(standby(env));
          await takeOver(nextServer);
          kill = async () => {
            nextServer.child.kill('SIGKILL');
            await nextServer.exited;
          };
        }
      } finally {
        for (const t of timers) clearInterval(t);
      }

      // The run did what it says: saves were answered between many kills, to every client.
      expect(cyclesWithSaves, `seed ${seed}`).toBeGreaterThanOrEqual(KILLS * 0.4);
      for (const e of editors) expect(e.savedUpTo, e.id).toBeGreaterThan(0);
      expect(editors.reduce((sum, e) => sum + e.notOk, 0)).toBe(0);

      // And once a server stays up, everything anyone made gets in: the clients resync what was lost unsaved.
      await waitFor(() => editors.every((e) => e.provider.synced), 30_000, 'every client to resync');
      await waitFor(
        () => {
          for (const e of editors) if (e.savedUpTo < e.made) ask(e);
          return editors.every((e) => e.savedUpTo === e.made);
        },
        30_000,
        () => `every edit to be saved: ${editors.map((e) => `${e.id} ${e.savedUpTo}/${e.made}`).join(', ')}`,
      );
      const total = editors.reduce((sum, e) => sum + e.made, 0);
      expect(total).toBeGreaterThan(KILLS * 20);
      console.log(
        `crash test: ${KILLS} kills in ${Math.round((Date.now() - started) / 1000)} s, seed ${seed}, ${total} edits, ` +
          `${editors.reduce((sum, e) => sum + e.okAnswers, 0)} saved answers, ${cyclesWithSaves} kills with saves answered since the one before`,
      );
    },
  );
});
