/**
 * Rules that only PostgreSQL storage has, because several instances share
 * one database: migrations under an advisory lock, compaction that merges
 * and deletes only what it read, and a plain one-line refusal of a bad
 * DATABASE_URL. (The rest of the integration suite runs against PostgreSQL
 * too, in the integration-pg project.)
 */
import { execFile } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import * as Y from 'yjs';
import { addStep, initBoard, readBoard } from '../../src/model';
import { MIGRATIONS, MIGRATION_LOCK, openPostgresStorage } from '../../server/storage/postgres';
import type { BoardStorage } from '../../server/storage/storage';
import { connectClient, synced, type TestClient } from '../helpers/clients';
import { ROOT, createBoard, makeDataDir, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { freePort } from '../helpers/services';
import { STORAGE, createTestDatabase } from '../helpers/storage';

let servers: ServerProcess[] = [];
let clients: TestClient[] = [];
let storages: BoardStorage[] = [];

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  servers = [];
  await Promise.all(storages.map((s) => s.close()));
  storages = [];
});

/** A server on the database `url` (several may share one), with its own data directory. */
async function server(url: string, env: Record<string, string> = {}) {
  const started = await startServer({ env: { DATABASE_URL: url, ...env } });
  servers.push(started);
  return started;
}

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

const labels = (doc: Y.Doc) =>
  readBoard(doc)
    .nodes.map((n) => ('label' in n ? n.label : ''))
    .sort();

/** `node server/index.ts` with this environment, to its exit. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'server/index.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: makeDataDir(), ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number | null) : 0, stdout, stderr }),
    );
  });
}

describe.runIf(STORAGE === 'postgres')('PostgreSQL storage', () => {
  it('runs its migrations once when two instances start together on a new database, and again finds nothing to do', async () => {
    const url = await createTestDatabase({ blank: true });
    expect(await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'boards'")).toEqual([]);
    const [a, b] = await Promise.all([server(url), server(url)]);
    const applied = await query<{ version: number }>(url, 'SELECT version FROM schema_migrations ORDER BY version');
    expect(applied.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));

    // One database: a board made on one instance is listed by the other.
    const id = await createBoard(a, 'Shared');
    const listed = (await (
      await fetch(`${b.url}/api/boards/${id}`, { headers: { Authorization: `Bearer ${a.key}` } })
    ).json()) as { title: string };
    expect(listed.title).toBe('Shared');

    // A restart (and a third instance) applies nothing again and keeps the board.
    await a.stop('SIGTERM');
    const c = await server(url);
    expect((await query(url, 'SELECT version FROM schema_migrations')).length).toBe(MIGRATIONS.length);
    const again = await fetch(`${c.url}/api/boards/${id}`, { headers: { Authorization: `Bearer ${a.key}` } });
    expect(again.status).toBe(200);
  });

  it('an instance waits for migrations another holds the lock for, however long they take, then starts', async () => {
    const url = await createTestDatabase({ blank: true });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      // Longer than the pool's 2 s lock_timeout for writes: migrations must not give up.
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      let started = false;
      const starting = server(url).then((s) => {
        started = true;
        return s;
      });
      // Once the instance waits for the lock, hold it past the 2 s.
      await waitFor(
        async () =>
          (await holder.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows.length > 0,
        30_000,
        'the instance to wait for the migration lock',
      );
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(started).toBe(false);
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      const s = await starting;
      expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
      expect((await query(url, 'SELECT version FROM schema_migrations')).length).toBe(MIGRATIONS.length);
    } finally {
      await holder.end();
    }
  });

  it('two instances compacting the same board lose nothing either wrote', async () => {
    const url = await createTestDatabase();
    // No Redis here: neither instance hears the other's edits, so each compaction must merge what the
    // other stored, and delete only the rows it read.
    const [a, b] = await Promise.all([
      server(url, { COMPACT_AFTER_UPDATES: '3' }),
      server(url, { COMPACT_AFTER_UPDATES: '3' }),
    ]);
    const boardId = await createBoard(a, 'Compacted twice');
    const onA = connectClient(a.wsUrl, boardId, { key: a.key });
    const onB = connectClient(b.wsUrl, boardId, { key: a.key });
    clients.push(onA, onB);
    await Promise.all([synced(onA, 15_000), synced(onB, 15_000)]);

    const expected: string[] = [];
    for (let i = 0; i < 30; i++) {
      for (const [who, c] of [
        ['a', onA],
        ['b', onB],
      ] as const) {
        const label = `${who} ${i}`;
        addStep(c.doc, { position: { x: i * 10, y: who === 'a' ? 0 : 100 }, label });
        expected.push(label);
      }
      if (i % 5 === 4) expect(await Promise.all([onA.saved(), onB.saved()])).toEqual([true, true]);
    }
    expect(await Promise.all([onA.saved(), onB.saved()])).toEqual([true, true]);

    const storage = await openPostgresStorage(url);
    storages.push(storage);
    const data = await storage.loadBoardData(boardId);
    const doc = new Y.Doc();
    if (data.snapshot) Y.applyUpdate(doc, data.snapshot);
    for (const update of data.updates) Y.applyUpdate(doc, update);
    expect(labels(doc)).toEqual([...expected].sort());
    // It was compacted: far fewer rows than the 60 updates.
    expect(data.updates.length).toBeLessThan(10);

    // And a fresh instance serves all of it.
    await Promise.all([a.stop('SIGKILL'), b.stop('SIGKILL')]);
    const c = await server(url);
    const fresh = connectClient(c.wsUrl, boardId, { key: a.key });
    clients.push(fresh);
    await synced(fresh, 15_000);
    expect(labels(fresh.doc)).toEqual([...expected].sort());
  });

  it('concurrent compactions of one board through two pools keep every update and every state', async () => {
    const url = await createTestDatabase();
    const [one, two] = await Promise.all([openPostgresStorage(url), openPostgresStorage(url)]);
    storages.push(one, two);
    const start = new Y.Doc();
    initBoard(start, 'Raced');
    const now = Date.now();
    await one.createBoard(
      { id: 'raced', title: 'Raced', createdAt: now, updatedAt: now, steps: 0 },
      Y.encodeStateAsUpdate(start),
    );
    // Two writers, each with its own document: updates, then a compaction, again and again, at once.
    const writers = [one, two].map((storage, w) => {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(start));
      return { storage, doc, w };
    });
    const expected: string[] = [];
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        writers.map(async ({ storage, doc, w }) => {
          const updates: Uint8Array[] = [];
          const collect = (u: Uint8Array) => updates.push(u);
          doc.on('update', collect);
          for (let i = 0; i < 3; i++) {
            const label = `writer ${w} round ${round} step ${i}`;
            addStep(doc, { position: { x: i, y: round }, label });
            expected.push(label);
          }
          doc.off('update', collect);
          // The last step goes only into this writer's snapshot, as a compaction's own updates do.
          const logged = updates.slice(0, -1);
          await storage.commit({ updates: logged.map((update) => ({ boardId: 'raced', update })), snapshots: [] });
          await storage.commit({ updates: [], snapshots: [{ boardId: 'raced', state: Y.encodeStateAsUpdate(doc) }] });
        }),
      );
    }
    const data = await one.loadBoardData('raced');
    const doc = new Y.Doc();
    if (data.snapshot) Y.applyUpdate(doc, data.snapshot);
    for (const update of data.updates) Y.applyUpdate(doc, update);
    expect(labels(doc)).toEqual([...expected].sort());
    expect(data.updates).toHaveLength(0);
  });

  it.each([
    [
      'nothing listening there',
      async () => `postgres://postgres@127.0.0.1:${await freePort()}/purposeboard`,
      /nothing is listening at 127\.0\.0\.1:\d+/,
    ],
    [
      'a database that does not exist',
      async () => {
        const url = new URL(process.env.PURPOSEBOARD_TEST_PG_URL ?? '');
        url.pathname = '/no_such_database';
        return url.toString();
      },
      /the database "no_such_database" does not exist/,
    ],
    [
      'a user that does not exist, with a password',
      async () => {
        const url = new URL(process.env.PURPOSEBOARD_TEST_PG_URL ?? '');
        url.username = 'nobody';
        url.password = 'hunter2secret';
        return url.toString();
      },
      /PostgreSQL refused the user "nobody"/,
    ],
    [
      'not a postgres:// address',
      async () => 'mysql://root@127.0.0.1/purposeboard',
      /DATABASE_URL: must be like postgres:\/\//,
    ],
  ])('refuses to start with %s: one plain line, no stack, exit 1', async (_what, makeUrl, message) => {
    const url = await makeUrl();
    const { code, stdout, stderr } = await runServer({ DATABASE_URL: url });
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/listening on/);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(stderr).not.toMatch(/^\s+at /m);
    // A password never reaches the log.
    expect(stderr + stdout).not.toContain('hunter2secret');
  });
});
