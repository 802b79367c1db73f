/**
 * The embedded default storage: one SQLite file (better-sqlite3, WAL) in
 * DATA_DIR. A board is its record plus a snapshot and the log of updates
 * stored since that snapshot; loading applies the snapshot, then the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BoardRecord, BoardStorage, StoredBoardData, VersionRecord } from './storage';
import { StorageError } from './storage';

const SCHEMA = `
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

/**
 * Changes to tables that older databases already have. `CREATE TABLE IF NOT
 * EXISTS` adds new tables (board_versions) to an existing file; a new column
 * needs an ALTER TABLE, run once when the column is missing.
 */
function migrate(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(boards)').all();
  if (!columns.some((c) => c.name === 'before_board_id')) {
    db.exec('ALTER TABLE boards ADD COLUMN before_board_id TEXT');
  }
}

interface BoardRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  steps: number;
  before_board_id: string | null;
}

interface VersionRow {
  id: string;
  board_id: string;
  name: string;
  saved_by: string;
  saved_at: number;
  steps: number;
}

function toRecord(row: BoardRow): BoardRecord {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    steps: row.steps,
    beforeBoardId: row.before_board_id,
  };
}

function toVersion(row: VersionRow): VersionRecord {
  return {
    id: row.id,
    boardId: row.board_id,
    name: row.name,
    savedBy: row.saved_by,
    savedAt: row.saved_at,
    steps: row.steps,
  };
}

export const DATABASE_FILE = 'purposeboard.sqlite';

export function openSqliteStorage(dataDir: string): BoardStorage {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DATABASE_FILE));
  db.pragma('journal_mode = WAL');
  // FULL: with WAL this makes each commit durable before better-sqlite3
  // returns, which is what lets the server say "saved" right after a write
  // and keep that promise through a power cut or SIGKILL.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 2000');
  db.exec(SCHEMA);
  migrate(db);

  const statements = {
    list: db.prepare<[], BoardRow>('SELECT * FROM boards ORDER BY updated_at DESC, id'),
    get: db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
    insert: db.prepare(
      'INSERT INTO boards (id, title, created_at, updated_at, steps, before_board_id) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    versions: db.prepare<[string], VersionRow>(
      'SELECT id, board_id, name, saved_by, saved_at, steps FROM board_versions WHERE board_id = ? ORDER BY saved_at DESC, rowid DESC',
    ),
    version: db.prepare<[string, string], VersionRow>(
      'SELECT id, board_id, name, saved_by, saved_at, steps FROM board_versions WHERE board_id = ? AND id = ?',
    ),
    versionState: db.prepare<[string, string], { state: Buffer }>(
      'SELECT state FROM board_versions WHERE board_id = ? AND id = ?',
    ),
    insertVersion: db.prepare(
      'INSERT INTO board_versions (id, board_id, name, saved_by, saved_at, steps, state) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ),
    deleteVersions: db.prepare('DELETE FROM board_versions WHERE board_id = ?'),
    summary: db.prepare('UPDATE boards SET title = ?, steps = ?, updated_at = ? WHERE id = ?'),
    delete: db.prepare('DELETE FROM boards WHERE id = ?'),
    snapshot: db.prepare<[string], { state: Buffer }>('SELECT state FROM board_snapshots WHERE board_id = ?'),
    updates: db.prepare<[string], { data: Buffer }>('SELECT data FROM board_updates WHERE board_id = ? ORDER BY seq'),
    append: db.prepare('INSERT INTO board_updates (board_id, data) VALUES (?, ?)'),
    count: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM board_updates WHERE board_id = ?'),
    putSnapshot: db.prepare(
      'INSERT INTO board_snapshots (board_id, state) VALUES (?, ?) ON CONFLICT(board_id) DO UPDATE SET state = excluded.state',
    ),
    clearUpdates: db.prepare('DELETE FROM board_updates WHERE board_id = ?'),
  };

  /** Runs a storage call and turns a driver error into a StorageError naming the operation. */
  function guarded<T>(what: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (error instanceof StorageError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StorageError(`Could not ${what}: ${reason}`, { cause: error });
    }
  }

  const insertVersion = (record: VersionRecord, state: Uint8Array) =>
    statements.insertVersion.run(
      record.id,
      record.boardId,
      record.name,
      record.savedBy,
      record.savedAt,
      record.steps,
      Buffer.from(state),
    );
  const createTx = db.transaction(
    (record: BoardRecord, state: Uint8Array, versions: Array<{ record: VersionRecord; state: Uint8Array }>) => {
      statements.insert.run(
        record.id,
        record.title,
        record.createdAt,
        record.updatedAt,
        record.steps,
        record.beforeBoardId ?? null,
      );
      statements.putSnapshot.run(record.id, Buffer.from(state));
      for (const version of versions) insertVersion(version.record, version.state);
    },
  );
  // The versions go explicitly too: a database whose foreign keys were ever off must not keep orphans.
  const deleteTx = db.transaction((id: string) => {
    statements.deleteVersions.run(id);
    return statements.delete.run(id).changes > 0;
  });
  const compactTx = db.transaction((id: string, state: Uint8Array) => {
    statements.putSnapshot.run(id, Buffer.from(state));
    statements.clearUpdates.run(id);
  });
  // Counting after each append would be a scan; keep a running count per board instead.
  const updateCounts = new Map<string, number>();

  return {
    listBoards: () => guarded('list the boards', () => statements.list.all().map(toRecord)),
    getBoard: (id) =>
      guarded('read a board', () => {
        const row = statements.get.get(id);
        return row ? toRecord(row) : null;
      }),
    createBoard: (record, state, versions = []) => guarded('create a board', () => createTx(record, state, versions)),
    listVersions: (boardId) => guarded('list the versions', () => statements.versions.all(boardId).map(toVersion)),
    getVersion: (boardId, versionId) =>
      guarded('read a version', () => {
        const row = statements.version.get(boardId, versionId);
        return row ? toVersion(row) : null;
      }),
    getVersionState: (boardId, versionId) =>
      guarded('read a version', () => {
        const row = statements.versionState.get(boardId, versionId);
        return row ? new Uint8Array(row.state) : null;
      }),
    createVersion: (record, state) => guarded('save a version', () => void insertVersion(record, state)),
    updateBoardSummary: (id, s) =>
      guarded('update the board list', () => void statements.summary.run(s.title, s.steps, s.updatedAt, id)),
    deleteBoard: (id) =>
      guarded('delete a board', () => {
        updateCounts.delete(id);
        return deleteTx(id);
      }),
    loadBoardData: (id): StoredBoardData =>
      guarded('load a board', () => {
        const snapshot = statements.snapshot.get(id);
        const updates = statements.updates.all(id).map((row) => new Uint8Array(row.data));
        updateCounts.set(id, updates.length);
        return { snapshot: snapshot ? new Uint8Array(snapshot.state) : null, updates };
      }),
    appendUpdate: (id, update) =>
      guarded('store a change', () => {
        statements.append.run(id, Buffer.from(update));
        const known = updateCounts.get(id);
        const count = known === undefined ? (statements.count.get(id)?.n ?? 1) : known + 1;
        updateCounts.set(id, count);
        return count;
      }),
    compact: (id, state) =>
      guarded('compact a board', () => {
        compactTx(id, state);
        updateCounts.set(id, 0);
      }),
    close: () => db.close(),
  };
}
