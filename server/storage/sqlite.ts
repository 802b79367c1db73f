/**
 * The embedded default storage: one SQLite file (better-sqlite3, WAL) in
 * DATA_DIR. A board is its record plus a snapshot and the log of updates
 * stored since that snapshot; loading applies the snapshot, then the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StudyEntry, StudySettings } from '../../src/model';
import * as Y from 'yjs';
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
  NewBoardAccess,
  StoredBoardData,
  VersionRecord,
} from './storage';
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
-- Access (issue 12): keys and link tokens are stored only as SHA-256 hashes.
CREATE TABLE IF NOT EXISTS participants (
  key_hash TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS board_links (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  turned_off_at INTEGER
);
CREATE INDEX IF NOT EXISTS board_links_by_board ON board_links(board_id);
CREATE TABLE IF NOT EXISTS board_members (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  joined_with TEXT NOT NULL,
  link_id TEXT,
  joined_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  ended TEXT,
  UNIQUE (board_id, key_hash)
);
CREATE INDEX IF NOT EXISTS board_members_by_key ON board_members(key_hash);
CREATE INDEX IF NOT EXISTS board_members_by_link ON board_members(link_id);
-- Dot voting (issue 15): a vote's settings and the people's dots (ballots, JSON), which
-- only the server reads before the reveal; a revealed vote keeps its ranked result.
CREATE TABLE IF NOT EXISTS board_votes (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  started_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS board_votes_by_board ON board_votes(board_id, started_at);
-- Comments on cards (issue 15): stored rows, not the document, so they never change a card.
CREATE TABLE IF NOT EXISTS board_comments (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  card_id TEXT NOT NULL,
  thread_id TEXT,
  author TEXT NOT NULL,
  author_id TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  resolved_at INTEGER,
  resolved_by TEXT,
  orphaned INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS board_comments_by_board ON board_comments(board_id, created_at);
CREATE TABLE IF NOT EXISTS board_comment_settings (
  board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  viewers_may_comment INTEGER NOT NULL DEFAULT 0
);
-- The demand study (issue 14): its settings (one JSON document per board: short lists the
-- facilitator edits whole) and its entries, one row each, weeks of them, never in the document.
CREATE TABLE IF NOT EXISTS study_settings (
  board_id TEXT PRIMARY KEY REFERENCES boards(id) ON DELETE CASCADE,
  data TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS study_entries (
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
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  by_member TEXT NOT NULL,
  PRIMARY KEY (board_id, id)
);
CREATE INDEX IF NOT EXISTS study_entries_by_day ON study_entries(board_id, day);
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
  if (!columns.some((c) => c.name === 'locked_by')) {
    db.exec('ALTER TABLE boards ADD COLUMN locked_by TEXT');
  }
}

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

function toMember(row: MemberRow): MemberRecord {
  return {
    id: row.id,
    boardId: row.board_id,
    keyHash: row.key_hash,
    role: row.role,
    joinedWith: row.joined_with,
    linkId: row.link_id,
    joinedAt: row.joined_at,
    lastSeen: row.last_seen,
    ended: row.ended,
  };
}

function toLink(row: LinkRow): LinkRecord {
  return {
    id: row.id,
    boardId: row.board_id,
    kind: row.kind,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    turnedOffAt: row.turned_off_at,
  };
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
    lockedBy: row.locked_by,
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
  orphaned: number;
}

interface StudyEntryRow {
  board_id: string;
  id: string;
  verbatim: string;
  at: string;
  day: string;
  collector: string;
  class: StudyEntry['class'] | null;
  type: string | null;
  handling: string | null;
  contact_method: string | null;
  point: string | null;
  what_matters_category: string | null;
  what_matters_note: string | null;
  value_demand_type: string | null;
  cause: string | null;
  created_at: number;
  updated_at: number;
  by_member: string;
}

/** A row as an entry: empty columns are left out, as the model has them (absent, not null). */
function toStudyEntry(row: StudyEntryRow): StudyEntry {
  const entry: StudyEntry = {
    id: row.id,
    verbatim: row.verbatim,
    at: row.at,
    collector: row.collector,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    by: row.by_member,
  };
  if (row.class !== null) entry.class = row.class;
  if (row.type !== null) entry.type = row.type;
  if (row.handling !== null) entry.handling = row.handling;
  if (row.contact_method !== null) entry.contactMethod = row.contact_method;
  if (row.point !== null) entry.point = row.point;
  if (row.what_matters_category !== null || row.what_matters_note !== null) {
    entry.whatMatters = {};
    if (row.what_matters_category !== null) entry.whatMatters.category = row.what_matters_category;
    if (row.what_matters_note !== null) entry.whatMatters.note = row.what_matters_note;
  }
  if (row.value_demand_type !== null) entry.valueDemandType = row.value_demand_type;
  if (row.cause !== null) entry.cause = row.cause;
  return entry;
}

function studyEntryParams(boardId: string, e: StudyEntry) {
  return {
    boardId,
    id: e.id,
    verbatim: e.verbatim,
    at: e.at,
    day: e.at.slice(0, 10),
    collector: e.collector,
    class: e.class ?? null,
    type: e.type ?? null,
    handling: e.handling ?? null,
    contactMethod: e.contactMethod ?? null,
    point: e.point ?? null,
    category: e.whatMatters?.category ?? null,
    note: e.whatMatters?.note ?? null,
    valueDemandType: e.valueDemandType ?? null,
    cause: e.cause ?? null,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    by: e.by,
  };
}

function toComment(row: CommentRow): CardComment {
  return {
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
    orphaned: row.orphaned === 1,
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
    insertParticipant: db.prepare('INSERT INTO participants (key_hash, name, created_at) VALUES (?, ?, ?)'),
    participant: db.prepare<[string], { key_hash: string; name: string; created_at: number }>(
      'SELECT * FROM participants WHERE key_hash = ?',
    ),
    participantName: db.prepare('UPDATE participants SET name = ? WHERE key_hash = ?'),
    boardsOf: db.prepare<[string], BoardRow & { role: Role }>(
      `SELECT b.*, m.role AS role FROM board_members m JOIN boards b ON b.id = m.board_id
       WHERE m.key_hash = ? AND m.ended IS NULL ORDER BY b.updated_at DESC, b.id`,
    ),
    member: db.prepare<[string, string], MemberRow>('SELECT * FROM board_members WHERE board_id = ? AND key_hash = ?'),
    memberById: db.prepare<[string, string], MemberRow>('SELECT * FROM board_members WHERE board_id = ? AND id = ?'),
    members: db.prepare<[string], MemberRow & { name: string }>(
      `SELECT m.*, COALESCE(p.name, '') AS name FROM board_members m LEFT JOIN participants p ON p.key_hash = m.key_hash
       WHERE m.board_id = ? AND m.ended IS NULL ORDER BY m.joined_at, m.rowid`,
    ),
    putMember: db.prepare(
      `INSERT INTO board_members (id, board_id, key_hash, role, joined_with, link_id, joined_at, last_seen, ended)
       VALUES (@id, @boardId, @keyHash, @role, @joinedWith, @linkId, @joinedAt, @lastSeen, @ended)
       ON CONFLICT(board_id, key_hash) DO UPDATE SET id = excluded.id, role = excluded.role,
         joined_with = excluded.joined_with, link_id = excluded.link_id, joined_at = excluded.joined_at,
         last_seen = excluded.last_seen, ended = excluded.ended`,
    ),
    memberRole: db.prepare('UPDATE board_members SET role = ? WHERE board_id = ? AND id = ?'),
    memberEnded: db.prepare('UPDATE board_members SET ended = ? WHERE board_id = ? AND id = ?'),
    memberSeen: db.prepare('UPDATE board_members SET last_seen = ? WHERE board_id = ? AND id = ?'),
    insertLink: db.prepare(
      'INSERT INTO board_links (id, board_id, kind, token_hash, created_at, turned_off_at) VALUES (@id, @boardId, @kind, @tokenHash, @createdAt, @turnedOffAt)',
    ),
    linkByToken: db.prepare<[string], LinkRow>('SELECT * FROM board_links WHERE token_hash = ?'),
    activeLinks: db.prepare<[string], LinkRow>(
      'SELECT * FROM board_links WHERE board_id = ? AND turned_off_at IS NULL ORDER BY created_at DESC, rowid DESC',
    ),
    turnOffLink: db.prepare('UPDATE board_links SET turned_off_at = ? WHERE id = ? AND turned_off_at IS NULL'),
    membersOfLink: db.prepare<[string], { id: string }>(
      "SELECT id FROM board_members WHERE link_id = ? AND ended IS NULL AND role != 'facilitator'",
    ),
    endMembersOfLink: db.prepare(
      "UPDATE board_members SET ended = ? WHERE link_id = ? AND ended IS NULL AND role != 'facilitator'",
    ),
    lock: db.prepare('UPDATE boards SET locked_by = ? WHERE id = ?'),
    deleteMembers: db.prepare('DELETE FROM board_members WHERE board_id = ?'),
    deleteLinks: db.prepare('DELETE FROM board_links WHERE board_id = ?'),
    votes: db.prepare<[string], { data: string }>(
      'SELECT data FROM board_votes WHERE board_id = ? ORDER BY started_at DESC, rowid DESC',
    ),
    putVote: db.prepare(
      `INSERT INTO board_votes (id, board_id, started_at, status, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET status = excluded.status, data = excluded.data`,
    ),
    deleteVote: db.prepare('DELETE FROM board_votes WHERE board_id = ? AND id = ?'),
    deleteVotes: db.prepare('DELETE FROM board_votes WHERE board_id = ?'),
    comments: db.prepare<[string], CommentRow>(
      'SELECT * FROM board_comments WHERE board_id = ? ORDER BY created_at, rowid',
    ),
    putComment: db.prepare(
      `INSERT INTO board_comments (id, board_id, card_id, thread_id, author, author_id, text, created_at, resolved_at, resolved_by, orphaned)
       VALUES (@id, @boardId, @cardId, @threadId, @author, @authorId, @text, @createdAt, @resolvedAt, @resolvedBy, @orphaned)
       ON CONFLICT(id) DO UPDATE SET text = excluded.text, resolved_at = excluded.resolved_at,
         resolved_by = excluded.resolved_by, orphaned = excluded.orphaned`,
    ),
    deleteComments: db.prepare('DELETE FROM board_comments WHERE board_id = ?'),
    commentSettings: db.prepare<[string], { viewers_may_comment: number }>(
      'SELECT viewers_may_comment FROM board_comment_settings WHERE board_id = ?',
    ),
    putCommentSettings: db.prepare(
      `INSERT INTO board_comment_settings (board_id, viewers_may_comment) VALUES (?, ?)
       ON CONFLICT(board_id) DO UPDATE SET viewers_may_comment = excluded.viewers_may_comment`,
    ),
    deleteCommentSettings: db.prepare('DELETE FROM board_comment_settings WHERE board_id = ?'),
    study: db.prepare<[string], { data: string }>('SELECT data FROM study_settings WHERE board_id = ?'),
    putStudy: db.prepare(
      `INSERT INTO study_settings (board_id, data, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(board_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
    ),
    deleteStudy: db.prepare('DELETE FROM study_settings WHERE board_id = ?'),
    studyEntries: db.prepare<[string], StudyEntryRow>(
      'SELECT * FROM study_entries WHERE board_id = ? ORDER BY created_at, rowid',
    ),
    addStudyEntry: db.prepare(
      `INSERT INTO study_entries (board_id, id, verbatim, at, day, collector, class, type, handling, contact_method,
         point, what_matters_category, what_matters_note, value_demand_type, cause, created_at, updated_at, by_member)
       VALUES (@boardId, @id, @verbatim, @at, @day, @collector, @class, @type, @handling, @contactMethod, @point,
         @category, @note, @valueDemandType, @cause, @createdAt, @updatedAt, @by)
       ON CONFLICT(board_id, id) DO NOTHING`,
    ),
    updateStudyEntry: db.prepare(
      `UPDATE study_entries SET verbatim = @verbatim, at = @at, day = @day, collector = @collector, class = @class,
         type = @type, handling = @handling, contact_method = @contactMethod, point = @point,
         what_matters_category = @category, what_matters_note = @note, value_demand_type = @valueDemandType,
         cause = @cause, updated_at = @updatedAt
       WHERE board_id = @boardId AND id = @id`,
    ),
    deleteStudyEntry: db.prepare('DELETE FROM study_entries WHERE board_id = ? AND id = ?'),
    deleteStudyEntries: db.prepare('DELETE FROM study_entries WHERE board_id = ?'),
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
  const putMember = (m: MemberRecord) => statements.putMember.run({ ...m });
  const insertLink = (l: LinkRecord) => statements.insertLink.run({ ...l });
  const createTx = db.transaction(
    (
      record: BoardRecord,
      state: Uint8Array,
      versions: Array<{ record: VersionRecord; state: Uint8Array }>,
      access: NewBoardAccess | undefined,
    ) => {
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
      if (access) {
        putMember(access.facilitator);
        for (const link of access.links) insertLink(link);
      }
    },
  );
  const turnOffTx = db.transaction((linkId: string, at: number, replacement: LinkRecord | undefined) => {
    const ended = statements.membersOfLink.all(linkId).map((row) => row.id);
    statements.turnOffLink.run(at, linkId);
    statements.endMembersOfLink.run('link turned off' satisfies MembershipEnded, linkId);
    if (replacement) insertLink(replacement);
    return ended;
  });
  // The versions go explicitly too: a database whose foreign keys were ever off must not keep orphans.
  const deleteTx = db.transaction((id: string) => {
    statements.deleteVersions.run(id);
    statements.deleteMembers.run(id);
    statements.deleteLinks.run(id);
    statements.deleteVotes.run(id);
    statements.deleteComments.run(id);
    statements.deleteCommentSettings.run(id);
    statements.deleteStudyEntries.run(id);
    statements.deleteStudy.run(id);
    return statements.delete.run(id).changes > 0;
  });
  const addEntriesTx = db.transaction((boardId: string, entries: StudyEntry[]) => {
    const added: string[] = [];
    const existing: string[] = [];
    for (const entry of entries) {
      if (statements.addStudyEntry.run(studyEntryParams(boardId, entry)).changes > 0) added.push(entry.id);
      else existing.push(entry.id);
    }
    return { added, existing };
  });
  const updateEntriesTx = db.transaction((boardId: string, entries: StudyEntry[]) =>
    entries.reduce((n, e) => n + statements.updateStudyEntry.run(studyEntryParams(boardId, e)).changes, 0),
  );
  const deleteEntriesTx = db.transaction((boardId: string, ids: string[]) =>
    ids.reduce((n, id) => n + statements.deleteStudyEntry.run(boardId, id).changes, 0),
  );
  // Counting after each append would be a scan; keep a running count per board instead.
  const updateCounts = new Map<string, number>();
  /** `state` with the board's stored snapshot and log folded in (read inside the commit's transaction). */
  const withStored = (boardId: string, state: Uint8Array): Uint8Array => {
    const doc = new Y.Doc({ gc: true });
    try {
      const snapshot = statements.snapshot.get(boardId);
      if (snapshot) Y.applyUpdate(doc, new Uint8Array(snapshot.state));
      for (const row of statements.updates.all(boardId)) Y.applyUpdate(doc, new Uint8Array(row.data));
      Y.applyUpdate(doc, state);
      return Y.encodeStateAsUpdate(doc);
    } finally {
      doc.destroy();
    }
  };
  const commitTx = db.transaction((batch: CommitBatch) => {
    const counts = new Map<string, number>();
    // A board deleted while its last changes waited in the queue: they go with it, not fail the batch.
    const exists = new Map<string, boolean>();
    const live = (boardId: string) => {
      if (!exists.has(boardId)) exists.set(boardId, statements.get.get(boardId) !== undefined);
      return exists.get(boardId) === true;
    };
    for (const { boardId, update } of batch.updates) {
      if (!live(boardId)) continue;
      statements.append.run(boardId, Buffer.from(update));
      const known = counts.get(boardId) ?? updateCounts.get(boardId);
      counts.set(boardId, known === undefined ? (statements.count.get(boardId)?.n ?? 1) : known + 1);
    }
    for (const { boardId, state, mergeStored } of batch.snapshots) {
      if (!live(boardId)) continue;
      statements.putSnapshot.run(boardId, Buffer.from(mergeStored ? withStored(boardId, state) : state));
      statements.clearUpdates.run(boardId);
      counts.set(boardId, 0);
    }
    return counts;
  });

  const sync: SyncStorage = {
    listBoards: () => guarded('list the boards', () => statements.list.all().map(toRecord)),
    getBoard: (id) =>
      guarded('read a board', () => {
        const row = statements.get.get(id);
        return row ? toRecord(row) : null;
      }),
    createBoard: (record, state, versions = [], access) =>
      guarded('create a board', () => createTx(record, state, versions, access)),
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
    commit: (batch) =>
      guarded('store changes', () => {
        // IMMEDIATE: the write lock is taken before the first read. A deferred transaction that reads
        // first fails at once with SQLITE_BUSY when another process (another instance on the same
        // file) wrote in between; waiting for the lock (busy_timeout) is what we want.
        const counts = commitTx.immediate(batch);
        for (const [id, count] of counts) updateCounts.set(id, count);
        return counts;
      }),
    createParticipant: (p) =>
      guarded('create a participant key', () => void statements.insertParticipant.run(p.keyHash, p.name, p.createdAt)),
    getParticipant: (keyHash) =>
      guarded('read a participant key', () => {
        const row = statements.participant.get(keyHash);
        return row ? { keyHash: row.key_hash, name: row.name, createdAt: row.created_at } : null;
      }),
    setParticipantName: (keyHash, name) =>
      guarded('save a display name', () => void statements.participantName.run(name, keyHash)),
    boardsOf: (keyHash) =>
      guarded('list the boards', () =>
        statements.boardsOf.all(keyHash).map((row) => ({ board: toRecord(row), role: row.role })),
      ),
    getMember: (boardId, keyHash) =>
      guarded('read a member', () => {
        const row = statements.member.get(boardId, keyHash);
        return row ? toMember(row) : null;
      }),
    getMemberById: (boardId, memberId) =>
      guarded('read a member', () => {
        const row = statements.memberById.get(boardId, memberId);
        return row ? toMember(row) : null;
      }),
    listMembers: (boardId) =>
      guarded('list the members', () =>
        statements.members.all(boardId).map((row) => ({ ...toMember(row), name: row.name })),
      ),
    putMember: (record) => guarded('save a member', () => void putMember(record)),
    updateMember: (boardId, memberId, changes) =>
      guarded('change a member', () => {
        if (changes.role !== undefined) statements.memberRole.run(changes.role, boardId, memberId);
        if (changes.ended !== undefined) statements.memberEnded.run(changes.ended, boardId, memberId);
        if (changes.lastSeen !== undefined) statements.memberSeen.run(changes.lastSeen, boardId, memberId);
      }),
    createLink: (record) => guarded('save a link', () => void insertLink(record)),
    getLinkByTokenHash: (tokenHash) =>
      guarded('read a link', () => {
        const row = statements.linkByToken.get(tokenHash);
        return row ? toLink(row) : null;
      }),
    activeLinks: (boardId) => guarded('read the links', () => statements.activeLinks.all(boardId).map(toLink)),
    turnOffLink: (linkId, at, replacement) => guarded('turn off a link', () => turnOffTx(linkId, at, replacement)),
    setLock: (boardId, lockedBy) => guarded('lock the board', () => void statements.lock.run(lockedBy, boardId)),
    listVotes: (boardId) =>
      guarded('read the votes', () => statements.votes.all(boardId).map((row) => JSON.parse(row.data) as VoteState)),
    putVote: (boardId, vote) =>
      guarded(
        'save a vote',
        () => void statements.putVote.run(vote.id, boardId, vote.startedAt, vote.status, JSON.stringify(vote)),
      ),
    deleteVote: (boardId, voteId) => guarded('end a vote', () => void statements.deleteVote.run(boardId, voteId)),
    listComments: (boardId) => guarded('read the comments', () => statements.comments.all(boardId).map(toComment)),
    putComment: (c) =>
      guarded('save a comment', () => void statements.putComment.run({ ...c, orphaned: c.orphaned ? 1 : 0 })),
    viewersMayComment: (boardId) =>
      guarded('read the comment setting', () => statements.commentSettings.get(boardId)?.viewers_may_comment === 1),
    setViewersMayComment: (boardId, allow) =>
      guarded('save the comment setting', () => void statements.putCommentSettings.run(boardId, allow ? 1 : 0)),
    getStudy: (boardId) =>
      guarded('read the demand study', () => {
        const row = statements.study.get(boardId);
        return row ? (JSON.parse(row.data) as StudySettings) : null;
      }),
    putStudy: (boardId, settings, at) =>
      guarded('save the demand study', () => void statements.putStudy.run(boardId, JSON.stringify(settings), at)),
    listStudyEntries: (boardId) =>
      guarded('read the study entries', () => statements.studyEntries.all(boardId).map(toStudyEntry)),
    addStudyEntries: (boardId, entries) => guarded('save study entries', () => addEntriesTx(boardId, entries)),
    updateStudyEntries: (boardId, entries) => guarded('change study entries', () => updateEntriesTx(boardId, entries)),
    deleteStudyEntries: (boardId, ids) => guarded('remove study entries', () => deleteEntriesTx(boardId, ids)),
    close: () => void db.close(),
  };
  // better-sqlite3 is synchronous inside; the interface is not, so a networked database can stand in.
  return asynchronous(sync);
}

/** BoardStorage with plain return values: what the SQLite driver gives. */
type SyncStorage = {
  [K in keyof BoardStorage]: (...args: Parameters<BoardStorage[K]>) => Awaited<ReturnType<BoardStorage[K]>>;
};

function asynchronous(sync: SyncStorage): BoardStorage {
  const wrapped: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, method] of Object.entries(sync) as [string, (...args: unknown[]) => unknown][]) {
    // A throw becomes a rejection, like a networked driver's.
    wrapped[name] = (...args) => new Promise((resolve) => resolve(method(...args)));
  }
  return wrapped as unknown as BoardStorage;
}
