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

export interface BoardRecord {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  steps: number;
  /** An after board (the redesign): the id of the board it was started from. */
  beforeBoardId?: string | null;
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
  close(): void;
}

/** A storage failure, with the plain words that /healthz shows. */
export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageError';
  }
}
