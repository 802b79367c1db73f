/**
 * Where boards are kept. The sync server and the HTTP API only know this
 * interface; `sqlite.ts` is the embedded default, and `postgres.ts`
 * (DATABASE_URL) the shared one for several instances (open.ts picks). A new
 * method needs both.
 *
 * Every method is asynchronous, so that a networked database can stand
 * behind it and no write blocks the event loop's forwarding of updates. The
 * sync server writes board updates through a commit queue
 * (server/sync/commit-queue.ts) that groups the updates of all rooms into one
 * `commit` transaction and says "saved" only once that promise resolves.
 */
import type { StudyEntry, StudySettings, VersionSummary } from '../../src/model';
import type { CardComment, Role, VoteState } from '../../src/protocol';

export interface BoardRecord {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  steps: number;
  /** An after board (the redesign): the id of the board it was started from. */
  beforeBoardId?: string | null;
  /** The member id of the facilitator who locked the board, or null when it is not locked. */
  lockedBy?: string | null;
}

/** A browser's participant key, known only by its hash, and the display name its person chose. */
export interface ParticipantRecord {
  keyHash: string;
  name: string;
  createdAt: number;
}

/**
 * `admin` links are made by `npm run admin -- grant`, open once, and give the
 * facilitator role; `collect` links make collectors (the demand study).
 */
export type LinkKind = 'edit' | 'view' | 'collect' | 'admin';
export type JoinedWith = 'created' | LinkKind;
/** Why a membership ended; null while it lasts. */
export type MembershipEnded = 'link turned off' | 'removed';

export interface LinkRecord {
  /** Public id; the link's token is derived from it (server/access/secrets.ts) and stored only as a hash. */
  id: string;
  boardId: string;
  kind: LinkKind;
  tokenHash: string;
  createdAt: number;
  /** When it was turned off (replaced, or an admin link used); null while it works. */
  turnedOffAt: number | null;
}

export interface MemberRecord {
  id: string;
  boardId: string;
  keyHash: string;
  role: Role;
  joinedWith: JoinedWith;
  /** The edit or view link they joined through: turning it off ends their access. */
  linkId: string | null;
  joinedAt: number;
  lastSeen: number;
  ended: MembershipEnded | null;
}

/** Who may do what on a new board, stored in the board's own creating transaction. */
export interface NewBoardAccess {
  facilitator: MemberRecord;
  links: LinkRecord[];
}

/** A saved version: the board frozen under a name, with who saved it and when (the API's shape). */
export type VersionRecord = VersionSummary;

export interface StoredBoardData {
  /** The compacted state, or null when the board has never been compacted. */
  snapshot: Uint8Array | null;
  /** Updates stored after the snapshot, oldest first. */
  updates: Uint8Array[];
}

/** What one group commit writes (server/sync/commit-queue.ts). */
export interface CommitBatch {
  /** Updates appended to their boards' logs, oldest first. */
  updates: Array<{ boardId: string; update: Uint8Array }>;
  /**
   * Boards whose snapshot and whole log are replaced by one state
   * (compaction, or the whole state after a failed write). A board is never
   * in both lists: its snapshot covers its updates.
   */
  snapshots: Array<{
    boardId: string;
    state: Uint8Array;
    /**
     * Several instances write this board (REDIS_URL): the new snapshot is
     * `state` merged with the stored snapshot and log, read in the same
     * transaction, so an update another instance stored but this one has not
     * heard of yet is never compacted away.
     */
    mergeStored?: boolean;
  }>;
}

export interface BoardStorage {
  listBoards(): Promise<BoardRecord[]>;
  getBoard(id: string): Promise<BoardRecord | null>;
  /**
   * Creates the board's record and its first state in one transaction, with
   * its versions when it comes with some (an imported board file).
   */
  createBoard(
    record: BoardRecord,
    initialState: Uint8Array,
    versions?: Array<{ record: VersionRecord; state: Uint8Array }>,
    access?: NewBoardAccess,
  ): Promise<void>;
  /** Updates the cached title, step count and last-changed time shown in the board list. */
  updateBoardSummary(id: string, summary: { title: string; steps: number; updatedAt: number }): Promise<void>;
  /** The board's versions, newest first. */
  listVersions(boardId: string): Promise<VersionRecord[]>;
  getVersion(boardId: string, versionId: string): Promise<VersionRecord | null>;
  /** The version's frozen state (Y.encodeStateAsUpdate), or null when there is no such version. */
  getVersionState(boardId: string, versionId: string): Promise<Uint8Array | null>;
  createVersion(record: VersionRecord, state: Uint8Array): Promise<void>;
  /** Removes the board and all of its stored data, versions included. Returns false when there was no such board. */
  deleteBoard(id: string): Promise<boolean>;
  loadBoardData(id: string): Promise<StoredBoardData>;
  /**
   * Writes a batch of the sync server's commit queue in ONE transaction:
   * all of it is stored, or none of it. Returns, for each board in the
   * batch, the number of updates now stored after its snapshot.
   */
  commit(batch: CommitBatch): Promise<Map<string, number>>;

  // Access (issue 12). Keys and link tokens are only ever passed in as hashes.
  createParticipant(record: ParticipantRecord): Promise<void>;
  getParticipant(keyHash: string): Promise<ParticipantRecord | null>;
  setParticipantName(keyHash: string, name: string): Promise<void>;
  /** The boards `keyHash` is a current member of, with the role on each, most recently changed first. */
  boardsOf(keyHash: string): Promise<Array<{ board: BoardRecord; role: Role }>>;
  /** The membership of `keyHash` on the board, ended or not. */
  getMember(boardId: string, keyHash: string): Promise<MemberRecord | null>;
  getMemberById(boardId: string, memberId: string): Promise<MemberRecord | null>;
  /** Current members with their display names, oldest first. */
  listMembers(boardId: string): Promise<Array<MemberRecord & { name: string }>>;
  /** Inserts a membership, or replaces this key's membership on that board. */
  putMember(record: MemberRecord): Promise<void>;
  updateMember(
    boardId: string,
    memberId: string,
    changes: Partial<Pick<MemberRecord, 'role' | 'ended' | 'lastSeen'>>,
  ): Promise<void>;
  createLink(record: LinkRecord): Promise<void>;
  getLinkByTokenHash(tokenHash: string): Promise<LinkRecord | null>;
  /** The board's links that still work, newest first. */
  activeLinks(boardId: string): Promise<LinkRecord[]>;
  /**
   * Turns a link off and ends the membership of everyone (but facilitators)
   * who joined through it, in one transaction; returns their member ids.
   */
  turnOffLink(linkId: string, at: number, replacement?: LinkRecord): Promise<string[]>;
  /** Locks the board (by that member) or unlocks it (null). */
  setLock(boardId: string, lockedBy: string | null): Promise<void>;

  // Dot voting and comments (issue 15): rows beside the document, never in it.
  /** The board's votes (the open one, if any, and the revealed ones), newest first. */
  listVotes(boardId: string): Promise<VoteState[]>;
  /** Inserts or replaces a vote, ballots included. */
  putVote(boardId: string, vote: VoteState): Promise<void>;
  /** Removes a vote that was ended before its reveal (a revealed vote is a record and stays). */
  deleteVote(boardId: string, voteId: string): Promise<void>;
  /** The board's comments, oldest first. */
  listComments(boardId: string): Promise<CardComment[]>;
  /** Inserts or replaces a comment. */
  putComment(comment: CardComment): Promise<void>;
  /** Whether viewers may comment on the board (false unless the facilitator allowed it). */
  viewersMayComment(boardId: string): Promise<boolean>;
  setViewersMayComment(boardId: string, allow: boolean): Promise<void>;

  // The demand study (issue 14): relational rows beside the document, never in it, so weeks of
  // entries never bloat a sync. Each write is one transaction, durable once the promise resolves.
  /** The board's study settings, or null when it has no study. */
  getStudy(boardId: string): Promise<StudySettings | null>;
  putStudy(boardId: string, settings: StudySettings, at: number): Promise<void>;
  /** Every entry of the board's study in the order they were stored (a batch in its own order). */
  listStudyEntries(boardId: string): Promise<StudyEntry[]>;
  /**
   * Stores new entries in ONE transaction; an id the board already has is
   * left as it is (a phone's retry). Returns the ids added and those already there.
   */
  addStudyEntries(boardId: string, entries: StudyEntry[]): Promise<{ added: string[]; existing: string[] }>;
  /** Replaces existing entries (by id) in ONE transaction; returns how many there were. */
  updateStudyEntries(boardId: string, entries: StudyEntry[]): Promise<number>;
  /** Removes entries by id in ONE transaction; returns how many there were. */
  deleteStudyEntries(boardId: string, ids: string[]): Promise<number>;
  close(): Promise<void>;
}

/** A storage failure, with the plain words that /healthz shows. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}
