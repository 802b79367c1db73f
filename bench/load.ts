/**
 * `npm run bench:load`: sync latency under load, ours against the reference
 * y-websocket server (@y/websocket-server 0.1.1, in memory), in one run and
 * under the same harness: real y-websocket clients in this process, each
 * editing its board 10 times a second. Latency is the time from an edit to
 * its arrival at each other client on the board (one clock: same process).
 * Printed and saved to bench/load-results.json, with the load average at the
 * start and end — these machines are shared, so read the ratio, not the ms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { connectClient, synced, type TestClient } from '../test/helpers/clients';
import { createBoard, ROOT, startServer, waitFor } from '../test/helpers/server';
import { threeInstancesOnRedis } from './load-redis';

const LOADS = [
  { name: '50 clients on 5 boards, 10 edits/s each', clients: 50, boards: 5 },
  { name: '200 clients on 20 boards, 10 edits/s each', clients: 200, boards: 20 },
];
const EDITS_PER_SECOND = 10;
const WARM_UP_MS = 2000;
const MEASURE_MS = 8000;

interface Target {
  wsUrl: string;
  /** Several instances (load-redis.ts): the one client i connects to. */
  wsUrlFor?(i: number): string;
  newBoard(i: number): Promise<string>;
  stop(): Promise<unknown>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Math.round(sorted[Math.max(0, index)] * 10) / 10;
}

async function ours(): Promise<Target> {
  const s = await startServer();
  return { wsUrl: s.wsUrl, newBoard: (i) => createBoard(s, `Load ${i}`), stop: () => s.stop() };
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
    newBoard: async (i) => `load-${i}-${Math.random().toString(36).slice(2, 8)}`,
    stop: async () => {
      server.kill('SIGTERM');
      return exited;
    },
  };
}

async function run(target: Target, load: (typeof LOADS)[number]) {
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
    const start = Math.random() * (1000 / EDITS_PER_SECOND);
    let interval: NodeJS.Timeout | undefined;
    const first = setTimeout(() => {
      interval = setInterval(() => map.set(me.id, { t: performance.now(), n: ++me.sent }), 1000 / EDITS_PER_SECOND);
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

async function main() {
  const loadAtStart = os.loadavg();
  const results = [];
  for (const load of LOADS) {
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
  const output = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg(),
    results,
    threeInstancesOnRedis: threeInstances,
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
