/**
 * `npm run bench:load`: sync latency under load, ours against the reference
 * y-websocket server (@y/websocket-server 0.1.1, in memory), in one run and
 * under the same harness: real y-websocket clients in this process, each
 * editing its board 10 (or 1) times a second. Latency is the time from an
 * edit to its arrival at each other client on the board (one clock: same
 * process). Then memory, read from each server process's resident set
 * (/proc/<pid>/status, the same measure for both): per open board, after
 * opening and closing 10,000 boards, and with a 5,000-step board open.
 * Printed and saved to bench/load-results.json, with the load average at the
 * start and end — these machines are shared, so read the ratio, not the ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import * as Y from 'yjs';
import { addStep, readBoard } from '../src/model';
import { connectClient, synced, type TestClient } from '../test/helpers/clients';
import { createBoard, health, ROOT, startServer, waitFor } from '../test/helpers/server';
import { threeInstancesOnRedis } from './load-redis';

const LOADS = [
  { name: '2 clients on 1 board, 10 edits/s each', clients: 2, boards: 1, hz: 10 },
  { name: '50 clients on 5 boards, 10 edits/s each', clients: 50, boards: 5, hz: 10 },
  { name: '200 clients on 20 boards, 10 edits/s each', clients: 200, boards: 20, hz: 10 },
  { name: '1,000 connections on 100 boards, 1 edit/s each', clients: 1000, boards: 100, hz: 1 },
];
/** BENCH_QUICK=1: a smoke run of the harness itself (small sizes, short windows); its figures mean nothing. */
const QUICK = process.env.BENCH_QUICK === '1';
const WARM_UP_MS = QUICK ? 500 : 2000;
const MEASURE_MS = QUICK ? 1500 : 8000;
/** Memory: boards held open at once for the per-board figure, boards opened and closed for the leak check. */
const OPEN_BOARDS = QUICK ? 20 : 200;
const OPEN_AND_CLOSE = QUICK ? 300 : 10_000;
const BIG_BOARD_STEPS = QUICK ? 500 : 5000;
/** The benchmark is many clients from one address, opening many boards: our limits are lifted for it. */
const OUR_ENV = { MAX_CONNECTIONS_PER_ADDRESS: '1000000', MAX_BOARDS_LOADED: '10000000' };

interface Target {
  wsUrl: string;
  /** Several instances (load-redis.ts): the one client i connects to. */
  wsUrlFor?(i: number): string;
  pid: number;
  newBoard(i: number): Promise<string>;
  /** Resolves once the server holds no board in memory (ours: boardsLoaded 0; the reference drops a board with its last client). */
  idle(): Promise<void>;
  /** Resolves once what the client sent has reached the server (ours: stored, "saved"). */
  received(client: TestClient): Promise<unknown>;
  stop(): Promise<unknown>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}

async function ours(): Promise<Target> {
  const s = await startServer({ env: OUR_ENV });
  return {
    wsUrl: s.wsUrl,
    pid: s.pid,
    newBoard: (i) => createBoard(s, `Load ${i}`),
    idle: () => waitFor(async () => (await health(s)).boardsLoaded === 0, 120_000, 'every board to unload'),
    received: (client) => client.saved(),
    stop: () => s.stop(),
  };
}

async function reference(): Promise<Target> {
  // The reference takes its port as given and does not print a chosen one: pick one at random.
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, [path.join(ROOT, 'node_modules/@y/websocket-server/src/server.js')], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout?.on('data', (chunk) => (output += chunk));
  await waitFor(() => output.includes('running at'), 30_000, 'the reference server to start');
  const exited = new Promise((resolve) => server.once('exit', resolve));
  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    pid: server.pid ?? 0,
    newBoard: async (i) => `load-${i}-${Math.random().toString(36).slice(2, 8)}`,
    // It frees a document as its last connection closes (no persistence configured).
    idle: () => new Promise((resolve) => setTimeout(resolve, 500)),
    // It has no "saved" message: sent is as far as a client can tell.
    received: (client) => waitFor(() => client.provider.ws?.bufferedAmount === 0, 30_000, 'the client to send'),
    stop: async () => {
      server.kill('SIGTERM');
      return exited;
    },
  };
}

async function run(target: Omit<Target, 'pid' | 'idle' | 'received'>, load: (typeof LOADS)[number]) {
  const boards = await Promise.all(Array.from({ length: load.boards }, (_, i) => target.newBoard(i)));
  const clients: { c: TestClient; boardId: string; id: string; sent: number }[] = [];
  for (let i = 0; i < load.clients; i++) {
    const boardId = boards[i % load.boards];
    clients.push({ c: connectClient(target.wsUrlFor?.(i) ?? target.wsUrl, boardId), boardId, id: `c${i}`, sent: 0 });
  }
  await Promise.all(clients.map(({ c }) => synced(c, 60_000)));

  const samples: number[] = [];
  let measuring = false;
  for (const me of clients) {
    const map = me.c.doc.getMap<{ t: number; n: number }>('bench');
    map.observe((event, transaction) => {
      if (transaction.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const value = map.get(key);
        if (measuring && value) samples.push(now - value.t);
      }
    });
  }
  const timers = clients.map((me) => {
    const map = me.c.doc.getMap<{ t: number; n: number }>('bench');
    // Spread the clients' ticks over the interval, as real people's would be.
    const start = Math.random() * (1000 / load.hz);
    let interval: NodeJS.Timeout | undefined;
    const first = setTimeout(() => {
      interval = setInterval(() => map.set(me.id, { t: performance.now(), n: ++me.sent }), 1000 / load.hz);
    }, start);
    return () => {
      clearTimeout(first);
      clearInterval(interval);
    };
  });
  await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS));
  measuring = true;
  await new Promise((resolve) => setTimeout(resolve, MEASURE_MS));
  measuring = false;
  for (const stop of timers) stop();

  // Lost: an edit some client on the board never receives.
  let lost = 0;
  try {
    await waitFor(
      () =>
        clients.every((me) =>
          clients.every(
            (other) =>
              other.boardId !== me.boardId ||
              other.sent === 0 ||
              me.c.doc.getMap<{ n: number }>('bench').get(other.id)?.n === other.sent,
          ),
        ),
      30_000,
      'every edit to arrive',
    );
  } catch {
    for (const me of clients)
      for (const other of clients)
        if (other.boardId === me.boardId && me.c.doc.getMap<{ n: number }>('bench').get(other.id)?.n !== other.sent)
          lost += 1;
  }
  for (const { c } of clients) c.destroy();
  const sorted = samples.sort((a, b) => a - b);
  return {
    samples: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: Math.round((sorted.at(-1) ?? NaN) * 10) / 10,
    lost,
  };
}

/** The resident set of a process, in bytes (the same measure for ours and the reference). */
function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const kib = (bytes: number) => Math.round(bytes / 1024);
const settle = () => new Promise((resolve) => setTimeout(resolve, 2000));

/** What each board adds: the same 20 steps, made by its client. */
function fillBoard(doc: Y.Doc, steps: number): void {
  doc.transact(() => {
    for (let i = 0; i < steps; i++)
      addStep(doc, { position: { x: (i % 50) * 200, y: Math.floor(i / 50) * 120 }, label: `Step ${i}` });
  });
}

/** Connects a client to each board in batches (the machine is small), keeps them unless `close`. */
async function openBoards(target: Target, boardIds: string[], steps: number, close: boolean): Promise<TestClient[]> {
  const kept: TestClient[] = [];
  for (let i = 0; i < boardIds.length; i += 50) {
    const batch = boardIds.slice(i, i + 50).map((boardId) => connectClient(target.wsUrl, boardId));
    await Promise.all(batch.map((c) => synced(c, 60_000)));
    if (steps > 0) {
      for (const c of batch) fillBoard(c.doc, steps);
      await Promise.all(batch.map((c) => target.received(c)));
    }
    if (close) for (const c of batch) c.destroy();
    else kept.push(...batch);
  }
  return kept;
}

/** Server memory per open board: OPEN_BOARDS boards with 20 steps each and one client each. */
async function memoryPerBoard(target: Target) {
  const boardIds = await Promise.all(Array.from({ length: OPEN_BOARDS }, (_, i) => target.newBoard(i)));
  await settle();
  const before = rssOf(target.pid);
  const clients = await openBoards(target, boardIds, 20, false);
  await settle();
  const after = rssOf(target.pid);
  for (const c of clients) c.destroy();
  await target.idle();
  return {
    boards: OPEN_BOARDS,
    rssBeforeMiB: mib(before),
    rssOpenMiB: mib(after),
    perBoardKiB: kib((after - before) / OPEN_BOARDS),
  };
}

/** Opens and closes OPEN_AND_CLOSE boards, a client each: memory must come back to within 10% of the start. */
async function memoryAfterOpenAndClose(target: Target) {
  const boardIds: string[] = [];
  for (let i = 0; i < OPEN_AND_CLOSE; i += 50) {
    boardIds.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(50, OPEN_AND_CLOSE - i) }, (_, j) => target.newBoard(i + j)),
      )),
    );
  }
  // Warm up first (code paths compiled, pools allocated): the start is a server that has opened boards before.
  await openBoards(target, boardIds.slice(0, 200), 0, true);
  await target.idle();
  await settle();
  const start = rssOf(target.pid);
  await openBoards(target, boardIds, 0, true);
  await target.idle();
  await settle();
  const end = rssOf(target.pid);
  return {
    boards: OPEN_AND_CLOSE,
    rssStartMiB: mib(start),
    rssEndMiB: mib(end),
    growth: Math.round((end / start - 1) * 1000) / 1000,
  };
}

/** A 5,000-step board made by one client, then open with a second one: what it holds in memory. */
async function memoryOfBigBoard(target: Target) {
  const [boardId] = await Promise.all([target.newBoard(0)]);
  await settle();
  const before = rssOf(target.pid);
  const maker = connectClient(target.wsUrl, boardId);
  await synced(maker, 60_000);
  fillBoard(maker.doc, BIG_BOARD_STEPS);
  const reader = connectClient(target.wsUrl, boardId);
  await synced(reader, 120_000);
  await waitFor(() => readBoard(reader.doc).nodes.length >= BIG_BOARD_STEPS, 120_000, 'the big board to arrive');
  await settle();
  const after = rssOf(target.pid);
  const bytes = Y.encodeStateAsUpdate(maker.doc).byteLength;
  maker.destroy();
  reader.destroy();
  await target.idle();
  return {
    steps: BIG_BOARD_STEPS,
    updateBytes: bytes,
    rssBeforeMiB: mib(before),
    rssOpenMiB: mib(after),
    boardMiB: mib(after - before),
  };
}

/** The memory section: each measure on a fresh server of each kind. */
async function memory() {
  const section: Record<string, unknown> = {};
  for (const [name, measure] of [
    ['perOpenBoard', memoryPerBoard],
    ['afterOpeningAndClosing10000Boards', memoryAfterOpenAndClose],
    ['bigBoard5000Steps', memoryOfBigBoard],
  ] as const) {
    const row: Record<string, unknown> = {};
    for (const [who, start] of [
      ['ours', ours],
      ['reference', reference],
    ] as const) {
      const target = await start();
      try {
        row[who] = await measure(target);
      } finally {
        await target.stop();
      }
    }
    section[name] = row;
    console.log(name, JSON.stringify(row));
  }
  const per = section.perOpenBoard as { ours: { perBoardKiB: number }; reference: { perBoardKiB: number } };
  section.perOpenBoardRatio = Math.round((per.ours.perBoardKiB / per.reference.perBoardKiB) * 100) / 100;
  return section;
}

async function main() {
  // Each y-websocket provider in Node listens for the process's exit: thousands of them here.
  process.setMaxListeners(0);
  const loadAtStart = os.loadavg();
  const results = [];
  for (const load of QUICK ? LOADS.slice(0, 2) : LOADS) {
    const row: Record<string, unknown> = { load: load.name };
    for (const [name, start] of [
      ['ours', ours],
      ['reference', reference],
    ] as const) {
      const target = await start();
      try {
        row[name] = await run(target, load);
      } finally {
        await target.stop();
      }
    }
    const o = row.ours as { p99: number };
    const r = row.reference as { p99: number };
    row.p99Ratio = Math.round((o.p99 / r.p99) * 100) / 100;
    results.push(row);
    console.log(JSON.stringify(row));
  }
  // 3 instances on Redis: the same loads, clients spread over the instances (bench/load-redis.ts).
  const threeInstances = process.env.BENCH_SKIP_REDIS ? null : await threeInstancesOnRedis(LOADS, run);
  const memorySection = await memory();
  const output = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg(),
    results,
    threeInstancesOnRedis: threeInstances,
    memory: memorySection,
  };
  console.log(
    '\nload                                         ours p50/p99/max      reference p50/p99/max   p99 ours÷ref',
  );
  for (const row of results) {
    const o = row.ours as { p50: number; p99: number; max: number; lost: number };
    const r = row.reference as { p50: number; p99: number; max: number; lost: number };
    console.log(
      `${String(row.load).padEnd(44)} ${`${o.p50} / ${o.p99} / ${o.max} ms`.padEnd(21)} ${`${r.p50} / ${r.p99} / ${r.max} ms`.padEnd(23)} ${row.p99Ratio}×  (lost: ours ${o.lost}, ref ${r.lost})`,
    );
  }
  const m = memorySection as Record<string, Record<string, Record<string, number>>>;
  console.log(
    `\nmemory per open board (${OPEN_BOARDS} open, 20 steps, a client each): ours ${m.perOpenBoard.ours.perBoardKiB} KiB, reference ${m.perOpenBoard.reference.perBoardKiB} KiB → ${String(memorySection.perOpenBoardRatio)}× (goal ≤ 2×)`,
  );
  const oc = m.afterOpeningAndClosing10000Boards;
  console.log(
    `after opening and closing ${OPEN_AND_CLOSE} boards: ours ${oc.ours.rssStartMiB} → ${oc.ours.rssEndMiB} MiB (${(oc.ours.growth * 100).toFixed(1)}%), reference ${oc.reference.rssStartMiB} → ${oc.reference.rssEndMiB} MiB (${(oc.reference.growth * 100).toFixed(1)}%) (goal ≤ 10%)`,
  );
  const big = m.bigBoard5000Steps;
  console.log(
    `a ${BIG_BOARD_STEPS}-step board open: ours ${big.ours.boardMiB} MiB, reference ${big.reference.boardMiB} MiB (its update: ${kib(big.ours.updateBytes)} KiB)`,
  );
  console.log(
    `load average: start ${loadAtStart.map((l) => l.toFixed(2)).join(' ')}, end ${output.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')}`,
  );
  fs.writeFileSync(path.join(ROOT, 'bench/load-results.json'), `${JSON.stringify(output, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
