/**
 * PostgreSQL storage (DATABASE_URL=postgres://…), for several server
 * instances sharing one database. The tables are SQLite's (sqlite.ts), in
 * PostgreSQL types, so a board is its record plus a snapshot and the log of
 * updates stored after it.
 *
 * Rules that only matter with several instances:
 * - Migrations are numbered and run on start under one advisory lock, so two
 *   instances starting together never run the same one twice.
 * - Compaction takes a per-board advisory lock for its transaction, merges the
 *   stored snapshot and log with the state it was given, and deletes only the
 *   log rows it read: an update another instance stored meanwhile stays in the
 *   log, and a second compaction of the same board waits for the first and
 *   starts from its result.
 * - A board is read in one statement, so a compaction committed between
 *   reading the snapshot and reading the log can never hide rows.
 */
import pg from 'pg';
import * as Y from 'yjs';
import type { StudyEntry, StudySettings } from '../../src/model';
import { toStudyEntry, type StudyEntryRow } from './study-rows';
import type { CardComment, Role, VoteState } from '../../src/protocol';
import type {
  BoardRecord,
  BoardStorage,
  CommitBatch,
  JoinedWith,
  LinkKind,
  LinkRecord,
  MemberRecord,
  MembershipEnded,
  StoredBoardData,
  VersionRecord,
} from './storage';
import { StorageError } from './storage';

/**
 * Numbered migrations, applied in order, each once, in its own transaction.
 * Append new ones; never change one that has shipped. Timestamps are
 * milliseconds, so BIGINT; `ord` columns keep insertion order where SQLite
 * orders by rowid.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'boards, updates, versions, access, votes and comments',
    sql: `
CREATE TABLE boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  steps INTEGER NOT NULL DEFAULT 0,
  before_board_id TEXT,
  locked_by TEXT
);
CREATE TABLE board_snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  state BYTEA NOT NULL
);
CREATE TABLE board_updates (
  seq BIGSERIAL PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  data BYTEA NOT NULL
);
CREATE INDEX board_updates_by_board ON board_updates(board_id, seq);
CREATE TABLE board_versions (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  saved_by TEXT NOT NULL,
  saved_at BIGINT NOT NULL,
  steps INTEGER NOT NULL DEFAULT 0,
  state BYTEA NOT NULL,
  ord BIGSERIAL
);
CREATE INDEX board_versions_by_board ON board_versions(board_id, saved_at);
CREATE TABLE participants (
  key_hash TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE TABLE board_links (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  turned_off_at BIGINT,
  ord BIGSERIAL
);
CREATE INDEX board_links_by_board ON board_links(board_id);
CREATE TABLE board_members (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  joined_with TEXT NOT NULL,
  link_id TEXT,
  joined_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  ended TEXT,
  ord BIGSERIAL,
  UNIQUE (board_id, key_hash)
);
CREATE INDEX board_members_by_key ON board_members(key_hash);
CREATE INDEX board_members_by_link ON board_members(link_id);
CREATE TABLE board_votes (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  started_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  data TEXT NOT NULL,
  ord BIGSERIAL
);
CREATE INDEX board_votes_by_board ON board_votes(board_id, started_at);
CREATE TABLE board_comments (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  card_id TEXT NOT NULL,
  thread_id TEXT,
  author TEXT NOT NULL,
  author_id TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by TEXT,
  orphaned BOOLEAN NOT NULL DEFAULT FALSE,
  ord BIGSERIAL
);
CREATE INDEX board_comments_by_board ON board_comments(board_id, created_at);
CREATE TABLE board_comment_settings (
  board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  viewers_may_comment BOOLEAN NOT NULL DEFAULT FALSE
);
`,
  },
  {
    version: 2,
    name: 'the demand study: settings and entries',
    sql: `
CREATE TABLE study_settings (
  board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  data TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE study_entries (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  verbatim TEXT NOT NULL,
  at TEXT NOT NULL,
  day TEXT NOT NULL,
  collector TEXT NOT NULL,
  class TEXT,
  type TEXT,
  handling TEXT,
  contact_method TEXT,
  point TEXT,
  what_matters_category TEXT,
  what_matters_note TEXT,
  value_demand_type TEXT,
  cause TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  by_member TEXT NOT NULL,
  ord BIGSERIAL,
  PRIMARY KEY (board_id, id)
);
CREATE INDEX study_entries_by_day ON study_entries(board_id, day);
`,
  },
];

/** Advisory lock keys: one for migrations, and a class for compaction (with the board id's hash). */
export const MIGRATION_LOCK = 7_346_001;
const COMPACTION_LOCK_CLASS = 7_346_002;

/** BIGINT columns and COUNT(*) come back as numbers: every value here is a millisecond time or a count. */
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

interface BoardRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  steps: number;
  before_board_id: string | null;
  locked_by: string | null;
}

interface MemberRow {
  id: string;
  board_id: string;
  key_hash: string;
  role: Role;
  joined_with: JoinedWith;
  link_id: string | null;
  joined_at: number;
  last_seen: number;
  ended: MembershipEnded | null;
}

interface LinkRow {
  id: string;
  board_id: string;
  kind: LinkKind;
  token_hash: string;
  created_at: number;
  turned_off_at: number | null;
}

interface VersionRow {
  id: string;
  board_id: string;
  name: string;
  saved_by: string;
  saved_at: number;
  steps: number;
}

interface CommentRow {
  id: string;
  board_id: string;
  card_id: string;
  thread_id: string | null;
  author: string;
  author_id: string;
  text: string;
  created_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  orphaned: boolean;
}

/** An entry's columns (after board_id), in STUDY_COLUMNS' order. */
const STUDY_COLUMNS = [
  'id',
  'verbatim',
  'at',
  'day',
  'collector',
  'class',
  'type',
  'handling',
  'contact_method',
  'point',
  'what_matters_category',
  'what_matters_note',
  'value_demand_type',
  'cause',
  'created_at',
  'updated_at',
  'by_member',
] as const;

function studyEntryValues(e: StudyEntry): unknown[] {
  return [
    e.id,
    e.verbatim,
    e.at,
    e.at.slice(0, 10),
    e.collector,
    e.class ?? null,
    e.type ?? null,
    e.handling ?? null,
    e.contactMethod ?? null,
    e.point ?? null,
    e.whatMatters?.category ?? null,
    e.whatMatters?.note ?? null,
    e.valueDemandType ?? null,
    e.cause ?? null,
    e.createdAt,
    e.updatedAt,
    e.by,
  ];
}

const toRecord = (row: BoardRow): BoardRecord => ({
  id: row.id,
  title: row.title,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  steps: row.steps,
  beforeBoardId: row.before_board_id,
  lockedBy: row.locked_by,
});

const toMember = (row: MemberRow): MemberRecord => ({
  id: row.id,
  boardId: row.board_id,
  keyHash: row.key_hash,
  role: row.role,
  joinedWith: row.joined_with,
  linkId: row.link_id,
  joinedAt: row.joined_at,
  lastSeen: row.last_seen,
  ended: row.ended,
});

const toLink = (row: LinkRow): LinkRecord => ({
  id: row.id,
  boardId: row.board_id,
  kind: row.kind,
  tokenHash: row.token_hash,
  createdAt: row.created_at,
  turnedOffAt: row.turned_off_at,
});

const toVersion = (row: VersionRow): VersionRecord => ({
  id: row.id,
  boardId: row.board_id,
  name: row.name,
  savedBy: row.saved_by,
  savedAt: row.saved_at,
  steps: row.steps,
});

const toComment = (row: CommentRow): CardComment => ({
  id: row.id,
  boardId: row.board_id,
  cardId: row.card_id,
  threadId: row.thread_id,
  author: row.author,
  authorId: row.author_id,
  text: row.text,
  createdAt: row.created_at,
  resolvedAt: row.resolved_at,
  resolvedBy: row.resolved_by,
  orphaned: row.orphaned,
});

/** A copy as a plain Uint8Array, as SQLite's storage gives (pg gives Buffers). */
const bytes = (value: Buffer): Uint8Array => new Uint8Array(value);

/** Board ids sort as SQLite sorts text (bytewise), whatever the database's collation. */
const BY_ID = 'id COLLATE "C"';

type Queryable = Pick<pg.PoolClient, 'query'>;

/** DATABASE_URL without its password, for messages. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Why the database could not be reached, in plain words, from the driver's
 * error (network codes and PostgreSQL SQLSTATEs).
 */
export function explainConnectionError(error: unknown, url: string): string {
  const e = error as { code?: string; message?: string };
  let host = 'the database server';
  let database = 'the database';
  let user = 'the user';
  try {
    const parsed = new URL(url);
    host = `${parsed.hostname}:${parsed.port || '5432'}`;
    database = `"${decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.username}"`;
    user = `"${decodeURIComponent(parsed.username) || 'the default user'}"`;
  } catch {
    // An unparsable URL is refused by the configuration check before this.
  }
  switch (e.code) {
    case 'ECONNREFUSED':
      return `nothing is listening at ${host} (is PostgreSQL running there?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host in ${host} could not be found`;
    case 'ETIMEDOUT':
    case 'ECONNRESET':
      return `${host} did not answer`;
    case '3D000':
      return `the database ${database} does not exist (create it with: createdb ${database.replaceAll('"', '')})`;
    case '28P01':
      return `PostgreSQL refused the user ${user}: wrong password`;
    case '28000':
      return `PostgreSQL refused the user ${user} (${e.message ?? 'no access in pg_hba.conf'})`;
    case '42501':
      return `the user ${user} may not create tables in ${database}`;
    default:
      return e.message ?? String(error);
  }
}

export interface PostgresStorageOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/**
 * Connects, runs the migrations this database lacks, and returns the
 * storage. Rejects with a StorageError in plain words when the database
 * cannot be reached or migrated.
 */
export async function openPostgresStorage(url: string, options: PostgresStorageOptions = {}): Promise<BoardStorage> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types,
    connectionTimeoutMillis: 10_000,
    // A TCP keepalive finds a database that vanished without closing the socket.
    keepAlive: true,
    // Like SQLite's busy_timeout: a write kept waiting this long by a lock fails (and is
    // retried whole by the commit queue) rather than stalling every room's commits.
    lock_timeout: 2000,
  });
  // An idle client whose connection drops emits 'error' on the pool; the next query reconnects.
  pool.on('error', () => {});
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw new StorageError(
      `Could not open the PostgreSQL database ${describeDatabaseUrl(url)}: ${explainConnectionError(error, url)}`,
      { cause: error },
    );
  }
  return postgresStorage(pool);
}

/** Applies the migrations this database lacks, under an advisory lock held for the whole run. */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    // Wait as long as another instance's migrations take (the pool's lock_timeout is for writes).
    await client.query('SET lock_timeout = 0');
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const done = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
      );
      for (const migration of MIGRATIONS) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            Date.now(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          const reason = error instanceof Error ? error.message : String(error);
          throw Object.assign(new Error(`migration ${migration.version} (${migration.name}) failed: ${reason}`), {
            code: (error as { code?: string }).code,
          });
        }
        applied.push(migration.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
      await client.query('RESET lock_timeout').catch(() => {});
    }
  } finally {
    client.release();
  }
  return applied;
}

function postgresStorage(pool: pg.Pool): BoardStorage {
  /** Runs a storage call and turns a driver error into a StorageError naming the operation. */
  async function guarded<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof StorageError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StorageError(`Could not ${what}: ${reason}`, { cause: error });
    }
  }

  async function rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], on: Queryable = pool) {
    return (await on.query<R>(sql, params)).rows;
  }

  async function first<R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], on: Queryable = pool) {
    return (await rows<R>(sql, params, on))[0];
  }

  /** Runs `work` in one transaction on one connection. */
  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  const insertVersion = (on: Queryable, record: VersionRecord, state: Uint8Array) =>
    on.query(
      'INSERT INTO board_versions (id, board_id, name, saved_by, saved_at, steps, state) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [record.id, record.boardId, record.name, record.savedBy, record.savedAt, record.steps, Buffer.from(state)],
    );
  const putMember = (on: Queryable, m: MemberRecord) =>
    on.query(
      `INSERT INTO board_members (id, board_id, key_hash, role, joined_with, link_id, joined_at, last_seen, ended)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (board_id, key_hash) DO UPDATE SET id = excluded.id, role = excluded.role,
         joined_with = excluded.joined_with, link_id = excluded.link_id, joined_at = excluded.joined_at,
         last_seen = excluded.last_seen, ended = excluded.ended`,
      [m.id, m.boardId, m.keyHash, m.role, m.joinedWith, m.linkId, m.joinedAt, m.lastSeen, m.ended],
    );
  const insertLink = (on: Queryable, l: LinkRecord) =>
    on.query(
      'INSERT INTO board_links (id, board_id, kind, token_hash, created_at, turned_off_at) VALUES ($1, $2, $3, $4, $5, $6)',
      [l.id, l.boardId, l.kind, l.tokenHash, l.createdAt, l.turnedOffAt],
    );
  const putSnapshot = (on: Queryable, boardId: string, state: Uint8Array) =>
    on.query(
      'INSERT INTO board_snapshots (board_id, state) VALUES ($1, $2) ON CONFLICT (board_id) DO UPDATE SET state = excluded.state',
      [boardId, Buffer.from(state)],
    );

  /**
   * Compaction of one board inside the commit's transaction: under the
   * board's advisory lock, the stored snapshot, the stored log and `state`
   * become one snapshot, and exactly the log rows read are deleted (a row
   * another instance stores meanwhile stays in the log). False when the
   * board is gone (deleted while its snapshot waited in the queue).
   */
  async function compact(client: pg.PoolClient, boardId: string, state: Uint8Array): Promise<boolean> {
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [COMPACTION_LOCK_CLASS, boardId]);
    if (!(await first('SELECT 1 FROM boards WHERE id = $1', [boardId], client))) return false;
    const stored = await rows<{ kind: number; seq: number; data: Buffer }>(
      `SELECT 0 AS kind, 0::bigint AS seq, state AS data FROM board_snapshots WHERE board_id = $1
       UNION ALL SELECT 1, seq, data FROM board_updates WHERE board_id = $1 ORDER BY kind, seq`,
      [boardId],
      client,
    );
    // Always merged, whatever the batch's mergeStored says: with PostgreSQL another instance may
    // share the database even without Redis, and the merge costs one board's decode per compaction.
    let merged = state;
    if (stored.length > 0) {
      // Whatever another instance stored (and this one may not have seen yet) joins the snapshot.
      const doc = new Y.Doc({ gc: true });
      Y.applyUpdate(doc, state);
      for (const row of stored) Y.applyUpdate(doc, row.data);
      merged = Y.encodeStateAsUpdate(doc);
      doc.destroy();
    }
    await putSnapshot(client, boardId, merged);
    const read = stored.filter((row) => row.kind === 1).map((row) => row.seq);
    if (read.length > 0) await client.query('DELETE FROM board_updates WHERE seq = ANY($1::bigint[])', [read]);
    return true;
  }

  // Counting after each append would be a scan; keep a running count per board instead.
  const updateCounts = new Map<string, number>();

  return {
    listBoards: () =>
      guarded('list the boards', async () =>
        (await rows<BoardRow>(`SELECT * FROM boards ORDER BY updated_at DESC, ${BY_ID}`)).map(toRecord),
      ),
    getBoard: (id) =>
      guarded('read a board', async () => {
        const row = await first<BoardRow>('SELECT * FROM boards WHERE id = $1', [id]);
        return row ? toRecord(row) : null;
      }),
    createBoard: (record, state, versions = [], access) =>
      guarded('create a board', () =>
        transaction(async (client) => {
          await client.query(
            'INSERT INTO boards (id, title, created_at, updated_at, steps, before_board_id) VALUES ($1, $2, $3, $4, $5, $6)',
            [record.id, record.title, record.createdAt, record.updatedAt, record.steps, record.beforeBoardId ?? null],
          );
          await putSnapshot(client, record.id, state);
          for (const version of versions) await insertVersion(client, version.record, version.state);
          if (access) {
            await putMember(client, access.facilitator);
            for (const link of access.links) await insertLink(client, link);
          }
        }),
      ),
    updateBoardSummary: (id, s) =>
      guarded('update the board list', async () => {
        await pool.query('UPDATE boards SET title = $1, steps = $2, updated_at = $3 WHERE id = $4', [
          s.title,
          s.steps,
          s.updatedAt,
          id,
        ]);
      }),
    listVersions: (boardId) =>
      guarded('list the versions', async () =>
        (
          await rows<VersionRow>(
            'SELECT id, board_id, name, saved_by, saved_at, steps FROM board_versions WHERE board_id = $1 ORDER BY saved_at DESC, ord DESC',
            [boardId],
          )
        ).map(toVersion),
      ),
    getVersion: (boardId, versionId) =>
      guarded('read a version', async () => {
        const row = await first<VersionRow>(
          'SELECT id, board_id, name, saved_by, saved_at, steps FROM board_versions WHERE board_id = $1 AND id = $2',
          [boardId, versionId],
        );
        return row ? toVersion(row) : null;
      }),
    getVersionState: (boardId, versionId) =>
      guarded('read a version', async () => {
        const row = await first<{ state: Buffer }>('SELECT state FROM board_versions WHERE board_id = $1 AND id = $2', [
          boardId,
          versionId,
        ]);
        return row ? bytes(row.state) : null;
      }),
    createVersion: (record, state) =>
      guarded('save a version', async () => {
        await insertVersion(pool, record, state);
      }),
    deleteBoard: (id) =>
      guarded('delete a board', () => {
        updateCounts.delete(id);
        return transaction(async (client) => {
          // Explicit, like SQLite's: the cascades would do it, but nothing may depend on that.
          for (const table of [
            'board_versions',
            'board_members',
            'board_links',
            'board_votes',
            'board_comments',
            'board_comment_settings',
            'study_entries',
            'study_settings',
            'board_updates',
            'board_snapshots',
          ]) {
            await client.query(`DELETE FROM ${table} WHERE board_id = $1`, [id]);
          }
          return ((await client.query('DELETE FROM boards WHERE id = $1', [id])).rowCount ?? 0) > 0;
        });
      }),
    loadBoardData: (id): Promise<StoredBoardData> =>
      guarded('load a board', async () => {
        // One statement, one snapshot of the database: see the file's comment.
        const stored = await rows<{ kind: number; data: Buffer }>(
          `SELECT 0 AS kind, 0::bigint AS seq, state AS data FROM board_snapshots WHERE board_id = $1
           UNION ALL SELECT 1, seq, data FROM board_updates WHERE board_id = $1 ORDER BY kind, seq`,
          [id],
        );
        const snapshot = stored.find((row) => row.kind === 0);
        const updates = stored.filter((row) => row.kind === 1).map((row) => bytes(row.data));
        updateCounts.set(id, updates.length);
        return { snapshot: snapshot ? bytes(snapshot.data) : null, updates };
      }),
    commit: (batch: CommitBatch) =>
      guarded('store changes', async () => {
        const counts = await transaction(async (client) => {
          const counts = new Map<string, number>();
          if (batch.updates.length > 0) {
            // One statement for the whole batch, in order. A board deleted while its last
            // changes waited in the queue: they go with it, not fail the batch.
            const inserted = await rows<{ board_id: string }>(
              `INSERT INTO board_updates (board_id, data)
               SELECT u.board_id, u.data FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS u(board_id, data, i)
               WHERE EXISTS (SELECT 1 FROM boards b WHERE b.id = u.board_id) ORDER BY u.i
               RETURNING board_id`,
              [batch.updates.map((u) => u.boardId), batch.updates.map((u) => Buffer.from(u.update))],
              client,
            );
            const added = new Map<string, number>();
            for (const row of inserted) added.set(row.board_id, (added.get(row.board_id) ?? 0) + 1);
            for (const [boardId, n] of added) {
              const known = updateCounts.get(boardId);
              const total =
                known === undefined
                  ? (await first<{ n: number }>(
                      'SELECT COUNT(*) AS n FROM board_updates WHERE board_id = $1',
                      [boardId],
                      client,
                    ))!.n
                  : known + n;
              counts.set(boardId, total);
            }
          }
          // Locks in one order (by id), so two instances compacting the same boards cannot deadlock.
          const snapshots = [...batch.snapshots].sort((a, b) => (a.boardId < b.boardId ? -1 : 1));
          for (const { boardId, state } of snapshots) {
            if (await compact(client, boardId, state)) counts.set(boardId, 0);
          }
          return counts;
        });
        for (const [id, count] of counts) updateCounts.set(id, count);
        return counts;
      }),
    createParticipant: (p) =>
      guarded('create a participant key', async () => {
        await pool.query('INSERT INTO participants (key_hash, name, created_at) VALUES ($1, $2, $3)', [
          p.keyHash,
          p.name,
          p.createdAt,
        ]);
      }),
    getParticipant: (keyHash) =>
      guarded('read a participant key', async () => {
        const row = await first<{ key_hash: string; name: string; created_at: number }>(
          'SELECT * FROM participants WHERE key_hash = $1',
          [keyHash],
        );
        return row ? { keyHash: row.key_hash, name: row.name, createdAt: row.created_at } : null;
      }),
    setParticipantName: (keyHash, name) =>
      guarded('save a display name', async () => {
        await pool.query('UPDATE participants SET name = $1 WHERE key_hash = $2', [name, keyHash]);
      }),
    boardsOf: (keyHash) =>
      guarded('list the boards', async () =>
        (
          await rows<BoardRow & { role: Role }>(
            `SELECT b.*, m.role AS role FROM board_members m JOIN boards b ON b.id = m.board_id
             WHERE m.key_hash = $1 AND m.ended IS NULL ORDER BY b.updated_at DESC, b.${BY_ID}`,
            [keyHash],
          )
        ).map((row) => ({ board: toRecord(row), role: row.role })),
      ),
    getMember: (boardId, keyHash) =>
      guarded('read a member', async () => {
        const row = await first<MemberRow>('SELECT * FROM board_members WHERE board_id = $1 AND key_hash = $2', [
          boardId,
          keyHash,
        ]);
        return row ? toMember(row) : null;
      }),
    getMemberById: (boardId, memberId) =>
      guarded('read a member', async () => {
        const row = await first<MemberRow>('SELECT * FROM board_members WHERE board_id = $1 AND id = $2', [
          boardId,
          memberId,
        ]);
        return row ? toMember(row) : null;
      }),
    listMembers: (boardId) =>
      guarded('list the members', async () =>
        (
          await rows<MemberRow & { name: string }>(
            `SELECT m.*, COALESCE(p.name, '') AS name FROM board_members m LEFT JOIN participants p ON p.key_hash = m.key_hash
             WHERE m.board_id = $1 AND m.ended IS NULL ORDER BY m.joined_at, m.ord`,
            [boardId],
          )
        ).map((row) => ({ ...toMember(row), name: row.name })),
      ),
    putMember: (record) =>
      guarded('save a member', async () => {
        await putMember(pool, record);
      }),
    updateMember: (boardId, memberId, changes) =>
      guarded('change a member', async () => {
        const sets: string[] = [];
        const params: unknown[] = [boardId, memberId];
        const set = (column: string, value: unknown) => {
          params.push(value);
          sets.push(`${column} = $${params.length}`);
        };
        if (changes.role !== undefined) set('role', changes.role);
        if (changes.ended !== undefined) set('ended', changes.ended);
        if (changes.lastSeen !== undefined) set('last_seen', changes.lastSeen);
        if (sets.length === 0) return;
        await pool.query(`UPDATE board_members SET ${sets.join(', ')} WHERE board_id = $1 AND id = $2`, params);
      }),
    createLink: (record) =>
      guarded('save a link', async () => {
        await insertLink(pool, record);
      }),
    getLinkByTokenHash: (tokenHash) =>
      guarded('read a link', async () => {
        const row = await first<LinkRow>('SELECT * FROM board_links WHERE token_hash = $1', [tokenHash]);
        return row ? toLink(row) : null;
      }),
    activeLinks: (boardId) =>
      guarded('read the links', async () =>
        (
          await rows<LinkRow>(
            'SELECT * FROM board_links WHERE board_id = $1 AND turned_off_at IS NULL ORDER BY created_at DESC, ord DESC',
            [boardId],
          )
        ).map(toLink),
      ),
    turnOffLink: (linkId, at, replacement) =>
      guarded('turn off a link', () =>
        transaction(async (client) => {
          await client.query('UPDATE board_links SET turned_off_at = $1 WHERE id = $2 AND turned_off_at IS NULL', [
            at,
            linkId,
          ]);
          const ended = await rows<{ id: string }>(
            `UPDATE board_members SET ended = $1 WHERE link_id = $2 AND ended IS NULL AND role != 'facilitator'
             RETURNING id`,
            ['link turned off' satisfies MembershipEnded, linkId],
            client,
          );
          if (replacement) await insertLink(client, replacement);
          return ended.map((row) => row.id);
        }),
      ),
    setLock: (boardId, lockedBy) =>
      guarded('lock the board', async () => {
        await pool.query('UPDATE boards SET locked_by = $1 WHERE id = $2', [lockedBy, boardId]);
      }),
    listVotes: (boardId) =>
      guarded('read the votes', async () =>
        (
          await rows<{ data: string }>(
            'SELECT data FROM board_votes WHERE board_id = $1 ORDER BY started_at DESC, ord DESC',
            [boardId],
          )
        ).map((row) => JSON.parse(row.data) as VoteState),
      ),
    putVote: (boardId, vote) =>
      guarded('save a vote', async () => {
        await pool.query(
          `INSERT INTO board_votes (id, board_id, started_at, status, data) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, data = excluded.data`,
          [vote.id, boardId, vote.startedAt, vote.status, JSON.stringify(vote)],
        );
      }),
    deleteVote: (boardId, voteId) =>
      guarded('end a vote', async () => {
        await pool.query('DELETE FROM board_votes WHERE board_id = $1 AND id = $2', [boardId, voteId]);
      }),
    listComments: (boardId) =>
      guarded('read the comments', async () =>
        (
          await rows<CommentRow>('SELECT * FROM board_comments WHERE board_id = $1 ORDER BY created_at, ord', [boardId])
        ).map(toComment),
      ),
    putComment: (c) =>
      guarded('save a comment', async () => {
        await pool.query(
          `INSERT INTO board_comments (id, board_id, card_id, thread_id, author, author_id, text, created_at, resolved_at, resolved_by, orphaned)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (id) DO UPDATE SET text = excluded.text, resolved_at = excluded.resolved_at,
             resolved_by = excluded.resolved_by, orphaned = excluded.orphaned`,
          [
            c.id,
            c.boardId,
            c.cardId,
            c.threadId,
            c.author,
            c.authorId,
            c.text,
            c.createdAt,
            c.resolvedAt,
            c.resolvedBy,
            c.orphaned,
          ],
        );
      }),
    viewersMayComment: (boardId) =>
      guarded('read the comment setting', async () => {
        const row = await first<{ viewers_may_comment: boolean }>(
          'SELECT viewers_may_comment FROM board_comment_settings WHERE board_id = $1',
          [boardId],
        );
        return row?.viewers_may_comment === true;
      }),
    setViewersMayComment: (boardId, allow) =>
      guarded('save the comment setting', async () => {
        await pool.query(
          `INSERT INTO board_comment_settings (board_id, viewers_may_comment) VALUES ($1, $2)
           ON CONFLICT (board_id) DO UPDATE SET viewers_may_comment = excluded.viewers_may_comment`,
          [boardId, allow],
        );
      }),
    getStudy: (boardId) =>
      guarded('read the demand study', async () => {
        const row = await first<{ data: string }>('SELECT data FROM study_settings WHERE board_id = $1', [boardId]);
        return row ? (JSON.parse(row.data) as StudySettings) : null;
      }),
    putStudy: (boardId, settings, at) =>
      guarded('save the demand study', async () => {
        await pool.query(
          `INSERT INTO study_settings (board_id, data, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
          [boardId, JSON.stringify(settings), at],
        );
      }),
    listStudyEntries: (boardId) =>
      guarded('read the study entries', async () =>
        (
          await rows<StudyEntryRow>('SELECT * FROM study_entries WHERE board_id = $1 ORDER BY created_at, ord', [
            boardId,
          ])
        ).map(toStudyEntry),
      ),
    addStudyEntries: (boardId, entries) =>
      guarded('save study entries', async () => {
        if (entries.length === 0) return { added: [], existing: [] };
        // One statement for the whole batch (an import may hold thousands), stored in the batch's
        // order; an id already there (or twice in the batch) is left as it is.
        const inserted = await rows<{ id: string }>(
          `INSERT INTO study_entries (board_id, ${STUDY_COLUMNS.join(', ')})
           SELECT $1, ${STUDY_COLUMNS.map((c) => `x.${c}`).join(', ')}
           FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (${STUDY_COLUMNS.map(
             (c) => `${c} ${c === 'created_at' || c === 'updated_at' ? 'BIGINT' : 'TEXT'}`,
           ).join(', ')})) WITH ORDINALITY AS x(${STUDY_COLUMNS.join(', ')}, i)
           ORDER BY x.i
           ON CONFLICT (board_id, id) DO NOTHING
           RETURNING id`,
          [
            boardId,
            JSON.stringify(
              entries.map((e) => {
                const values = studyEntryValues(e);
                return Object.fromEntries(STUDY_COLUMNS.map((c, k) => [c, values[k]]));
              }),
            ),
          ],
        );
        const fresh = new Set(inserted.map((row) => row.id));
        const added: string[] = [];
        const existing: string[] = [];
        for (const entry of entries) {
          if (fresh.delete(entry.id)) added.push(entry.id);
          else existing.push(entry.id);
        }
        return { added, existing };
      }),
    updateStudyEntries: (boardId, entries) =>
      guarded('change study entries', () =>
        transaction(async (client) => {
          let changed = 0;
          // Who made an entry and when stay; everything else is replaced.
          const kept = new Set(['id', 'created_at', 'by_member']);
          const columns = STUDY_COLUMNS.filter((c) => !kept.has(c));
          for (const entry of entries) {
            const values = studyEntryValues(entry);
            const result = await client.query(
              `UPDATE study_entries SET ${columns.map((c, k) => `${c} = $${k + 3}`).join(', ')}
               WHERE board_id = $1 AND id = $2`,
              [boardId, entry.id, ...columns.map((c) => values[STUDY_COLUMNS.indexOf(c)])],
            );
            changed += result.rowCount ?? 0;
          }
          return changed;
        }),
      ),
    deleteStudyEntries: (boardId, ids) =>
      guarded('remove study entries', async () => {
        if (ids.length === 0) return 0;
        const result = await pool.query('DELETE FROM study_entries WHERE board_id = $1 AND id = ANY($2::text[])', [
          boardId,
          ids,
        ]);
        return result.rowCount ?? 0;
      }),
    close: () => pool.end(),
  };
}
