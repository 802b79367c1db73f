/**
 * `npm run bench:load`, the "3 instances on Redis" section (issue 13): the
 * same loads as the single-server rows, against three real server processes
 * on one storage and one real redis-server, with the clients spread over the
 * instances (client i on instance i mod 3), so most peers of a board are on
 * another instance and every edit they see crossed Redis. Latency is still
 * edit → arrival at every other client of the board, one clock; p99 is over
 * all of them, across instances. Goal: p99 ≤ 200 ms.
 *
 * Storage: PostgreSQL when DATABASE_URL is given to this script (each
 * instance gets it), else one SQLite file in a shared data directory.
 */
import { createBoard, makeDataDir, startServer, type ServerProcess } from '../test/helpers/server';
import { redisAvailable, startRedis } from '../test/helpers/services';

export const REDIS_GOAL_P99_MS = 200;
const INSTANCES = 3;

export interface SpreadTarget {
  wsUrl: string;
  /** The instance client i connects to. */
  wsUrlFor(i: number): string;
  newBoard(i: number): Promise<string>;
  stop(): Promise<unknown>;
}

async function threeInstances(): Promise<SpreadTarget> {
  const redis = await startRedis();
  const dataDir = makeDataDir();
  const env: Record<string, string> = { REDIS_URL: redis.url };
  if (process.env.DATABASE_URL) env.DATABASE_URL = process.env.DATABASE_URL;
  const servers: ServerProcess[] = [await startServer({ dataDir, env })];
  servers.push(...(await Promise.all(Array.from({ length: INSTANCES - 1 }, () => startServer({ dataDir, env })))));
  return {
    wsUrl: servers[0].wsUrl,
    wsUrlFor: (i) => servers[i % servers.length].wsUrl,
    newBoard: (i) => createBoard(servers[i % servers.length], `Load ${i}`),
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
      await redis.stop();
    },
  };
}

interface Measured {
  samples: number;
  p50: number;
  p99: number;
  max: number;
  lost: number;
}

/** Runs every load on three fresh instances; prints and returns the rows (null when redis-server is missing). */
export async function threeInstancesOnRedis<L extends { name: string }>(
  loads: readonly L[],
  run: (target: SpreadTarget, load: L) => Promise<Measured>,
): Promise<Array<{ load: string; storage: string } & Measured & { withinGoal: boolean }> | null> {
  if (!redisAvailable()) return null;
  const storage = process.env.DATABASE_URL ? 'postgresql' : 'sqlite (one file, shared)';
  const rows = [];
  for (const load of loads) {
    const target = await threeInstances();
    try {
      const measured = await run(target, load);
      rows.push({ load: load.name, storage, ...measured, withinGoal: measured.p99 <= REDIS_GOAL_P99_MS });
      console.log(JSON.stringify({ threeInstancesOnRedis: rows.at(-1) }));
    } finally {
      await target.stop();
    }
  }
  console.log(`\n3 instances on Redis (${storage}), clients spread over them; goal p99 ≤ ${REDIS_GOAL_P99_MS} ms`);
  for (const row of rows) {
    console.log(
      `${row.load.padEnd(44)} ${`${row.p50} / ${row.p99} / ${row.max} ms`.padEnd(21)} ${row.withinGoal ? 'within goal' : 'OVER GOAL'}  (lost: ${row.lost})`,
    );
  }
  return rows;
}
