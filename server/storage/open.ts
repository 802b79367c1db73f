/**
 * The storage the configuration asks for: PostgreSQL when DATABASE_URL is
 * set, else the SQLite file in DATA_DIR (the embedded default).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openPostgresStorage } from './postgres';
import { DATABASE_FILE, openSqliteStorage } from './sqlite';
import type { BoardStorage } from './storage';

export function openStorage(config: { dataDir: string; databaseUrl: string | null }): Promise<BoardStorage> {
  if (config.databaseUrl) return openPostgresStorage(config.databaseUrl);
  return Promise.resolve(openSqliteStorage(config.dataDir));
}

/**
 * The storage of a data directory for the command-line tools (`npm run
 * export -- --data`, `npm run admin`): PostgreSQL when DATABASE_URL is set,
 * as for the server; else the SQLite file, which must exist. Rejects with a
 * message in plain words.
 */
export async function openDataStorage(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<BoardStorage> {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (!databaseUrl && !fs.existsSync(path.join(dataDir, DATABASE_FILE))) {
    throw new Error(`No Purposeboard data in ${dataDir} (no ${DATABASE_FILE}). Use --data with the server's DATA_DIR.`);
  }
  return openStorage({ dataDir, databaseUrl });
}

/** Where the boards are kept, for the start-up line (no password). */
export function describeStorage(config: { dataDir: string; databaseUrl: string | null }): string {
  if (!config.databaseUrl) return `data in ${config.dataDir}`;
  try {
    const url = new URL(config.databaseUrl);
    return `boards in PostgreSQL at ${url.hostname}:${url.port || '5432'}${url.pathname}, link secret in ${config.dataDir}`;
  } catch {
    return `boards in PostgreSQL, link secret in ${config.dataDir}`;
  }
}
