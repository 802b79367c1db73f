/**
 * Which storage the test servers use, and a storage-neutral way for tests
 * to look at what a server stored.
 *
 * The `integration` project runs with SQLite (the file in each server's data
 * directory); `integration-pg` sets PURPOSEBOARD_TEST_STORAGE=postgres, and
 * its global setup (test/global-setup-pg.ts) starts one real PostgreSQL whose
 * address is in PURPOSEBOARD_TEST_PG_URL. Each data directory then gets its
 * own database, made on first use and named in a file inside the directory,
 * so a restarted server (or a script given --data) finds the same boards.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import * as Y from 'yjs';
import { openPostgresStorage } from '../../server/storage/postgres';
import { DATABASE_FILE, openSqliteStorage } from '../../server/storage/sqlite';
import type { BoardStorage } from '../../server/storage/storage';

export type TestStorage = 'sqlite' | 'postgres';

export const STORAGE: TestStorage = process.env.PURPOSEBOARD_TEST_STORAGE === 'postgres' ? 'postgres' : 'sqlite';

/** The file in a data directory that names its PostgreSQL database (tests only). */
const DATABASE_URL_FILE = 'test-database-url';

/**
 * A new database on the run's PostgreSQL; its URL. It is a copy of the run's
 * migrated template (PURPOSEBOARD_TEST_PG_TEMPLATE, made by the global
 * setup), which spares every test server the migrations, unless `blank`.
 */
export async function createTestDatabase(
  options: { blank?: boolean; name?: string; serverUrl?: string } = {},
): Promise<string> {
  const serverUrl = options.serverUrl ?? process.env.PURPOSEBOARD_TEST_PG_URL;
  if (!serverUrl) throw new Error('PURPOSEBOARD_TEST_PG_URL is not set: run these tests in the integration-pg project');
  const name = options.name ?? `pb_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const template = options.blank ? undefined : process.env.PURPOSEBOARD_TEST_PG_TEMPLATE;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Databases being made, by data directory: instances started together on one directory share one. */
const making = new Map<string, Promise<string>>();

/** The DATABASE_URL of a data directory's database, made on first use (postgres only). */
export function databaseUrlFor(dataDir: string): Promise<string> {
  const file = path.join(dataDir, DATABASE_URL_FILE);
  if (fs.existsSync(file)) return Promise.resolve(fs.readFileSync(file, 'utf8').trim());
  let made = making.get(dataDir);
  if (!made) {
    made = createTestDatabase().then((url) => {
      fs.writeFileSync(file, url);
      return url;
    });
    making.set(dataDir, made);
    void made.finally(() => making.delete(dataDir)).catch(() => {});
  }
  return made;
}

/** The environment that points a server (or a script) at the data directory's storage. */
export async function storageEnv(dataDir: string): Promise<Record<string, string>> {
  return STORAGE === 'postgres' ? { DATABASE_URL: await databaseUrlFor(dataDir) } : {};
}

/**
 * The storage a server on `dataDir` uses, opened beside it (the SQLite file
 * in WAL mode, or a second pool on its database). Close it when done.
 */
export async function openTestStorage(dataDir: string): Promise<BoardStorage> {
  if (STORAGE === 'postgres') return openPostgresStorage(await databaseUrlFor(dataDir));
  return openSqliteStorage(dataDir);
}

/** What a board's stored snapshot and log hold, as a document, and how many log rows there are. */
export async function storedBoard(dataDir: string, boardId: string): Promise<{ doc: Y.Doc; rows: number }> {
  const storage = await openTestStorage(dataDir);
  try {
    const data = await storage.loadBoardData(boardId);
    const doc = new Y.Doc();
    if (data.snapshot) Y.applyUpdate(doc, data.snapshot);
    for (const update of data.updates) Y.applyUpdate(doc, update);
    return { doc, rows: data.updates.length };
  } finally {
    await storage.close();
  }
}

/**
 * Holds the storage locked against writes until the returned function is
 * called: SQLite's file in an exclusive transaction, or PostgreSQL's board
 * tables in EXCLUSIVE mode (reads go on, as with SQLite's WAL).
 */
export async function lockStorage(dataDir: string): Promise<() => Promise<void>> {
  if (STORAGE === 'postgres') {
    const client = new pg.Client({ connectionString: await databaseUrlFor(dataDir) });
    await client.connect();
    await client.query('BEGIN');
    await client.query('LOCK TABLE board_updates, board_snapshots IN EXCLUSIVE MODE');
    return async () => {
      await client.query('COMMIT');
      await client.end();
    };
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  // The server may be writing (a member's last-seen time as earlier clients leave): wait for the
  // file to be free, then hold it.
  db.pragma('busy_timeout = 10000');
  db.exec('BEGIN EXCLUSIVE');
  return async () => {
    db.exec('COMMIT');
    db.close();
  };
}

/**
 * Everything a data directory's storage holds, as bytes to search: the
 * SQLite file's pages (with its WAL), or every row of every table of the
 * PostgreSQL database (text as UTF-8, binary columns raw). Files named in
 * `skip` are left out.
 */
export async function storedBytes(
  dataDir: string,
  skip: string[] = [],
): Promise<Array<{ name: string; bytes: Buffer }>> {
  const files = fs
    .readdirSync(dataDir)
    .filter((name) => !skip.includes(name) && name !== DATABASE_URL_FILE)
    .map((name) => ({ name, bytes: fs.readFileSync(path.join(dataDir, name)) }));
  if (STORAGE !== 'postgres') return files;
  const client = new pg.Client({ connectionString: await databaseUrlFor(dataDir) });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    for (const { table_name: table } of tables.rows) {
      const chunks: Buffer[] = [];
      for (const row of (await client.query(`SELECT * FROM "${table}"`)).rows as Record<string, unknown>[]) {
        for (const value of Object.values(row)) {
          chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(`${String(value)}\n`, 'utf8'));
        }
      }
      files.push({ name: `postgres table ${table}`, bytes: Buffer.concat(chunks) });
    }
  } finally {
    await client.end();
  }
  return files;
}
