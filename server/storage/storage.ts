/**
 * Where boards are kept. The sync server and the HTTP API only know this
 * interface; `sqlite.ts` is the embedded default. A shared engine
 * (PostgreSQL for storage, Redis streams for fan-out between instances) can
 * replace it when one machine is not enough.
 *
 * Every method is synchronous on purpose: an update is on disk before the
 * call returns, so the server can say "saved" right after it.
 */
import type { VersionSummary } from '../../src/model';
import type { Role } from '../../src/protocol';

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

/** `admin` links are made by `npm run admin -- grant`, open once, and give the facilitator role. */
export type LinkKind = 'edit' | 'view' | 'admin';
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

export interface BoardStorage {
  listBoards(): BoardRecord[];
  getBoard(id: string): BoardRecord | null;
  /**
   * Creates the board's record and its first state in one transaction, with
   * its versions when it comes with some (an imported board file).
   */
  createBoard(
    record: BoardRecord,
    initialState: Uint8Array,
    versions?: Array<{ record: VersionRecord; state: Uint8Array }>,
    access?: NewBoardAccess,
  ): void;
  /** Updates the cached title, step count and last-changed time shown in the board list. */
  updateBoardSummary(id: string, summary: { title: string; steps: number; updatedAt: number }): void;
  /** The board's versions, newest first. */
  listVersions(boardId: string): VersionRecord[];
  getVersion(boardId: string, versionId: string): VersionRecord | null;
  /** The version's frozen state (Y.encodeStateAsUpdate), or null when there is no such version. */
  getVersionState(boardId: string, versionId: string): Uint8Array | null;
  createVersion(record: VersionRecord, state: Uint8Array): void;
  /** Removes the board and all of its stored data, versions included. Returns false when there was no such board. */
  deleteBoard(id: string): boolean;
  loadBoardData(id: string): StoredBoardData;
  /** Appends one update; returns the number of updates now stored after the snapshot. */
  appendUpdate(id: string, update: Uint8Array): number;
  /** Replaces the snapshot and every stored update by one state, atomically. */
  compact(id: string, state: Uint8Array): void;

  // Access (issue 12). Keys and link tokens are only ever passed in as hashes.
  createParticipant(record: ParticipantRecord): void;
  getParticipant(keyHash: string): ParticipantRecord | null;
  setParticipantName(keyHash: string, name: string): void;
  /** The boards `keyHash` is a current member of, with the role on each, most recently changed first. */
  boardsOf(keyHash: string): Array<{ board: BoardRecord; role: Role }>;
  /** The membership of `keyHash` on the board, ended or not. */
  getMember(boardId: string, keyHash: string): MemberRecord | null;
  getMemberById(boardId: string, memberId: string): MemberRecord | null;
  /** Current members with their display names, oldest first. */
  listMembers(boardId: string): Array<MemberRecord & { name: string }>;
  /** Inserts a membership, or replaces this key's membership on that board. */
  putMember(record: MemberRecord): void;
  updateMember(
    boardId: string,
    memberId: string,
    changes: Partial<Pick<MemberRecord, 'role' | 'ended' | 'lastSeen'>>,
  ): void;
  createLink(record: LinkRecord): void;
  getLinkByTokenHash(tokenHash: string): LinkRecord | null;
  /** The board's links that still work, newest first. */
  activeLinks(boardId: string): LinkRecord[];
  /**
   * Turns a link off and ends the membership of everyone (but facilitators)
   * who joined through it, in one transaction; returns their member ids.
   */
  turnOffLink(linkId: string, at: number, replacement?: LinkRecord): string[];
  /** Locks the board (by that member) or unlocks it (null). */
  setLock(boardId: string, lockedBy: string | null): void;
  close(): void;
}

/** A storage failure, with the plain words that /healthz shows. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}
