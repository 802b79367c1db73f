/**
 * Purposeboard's one addition to the y-websocket protocol, shared by the
 * client (src/collab) and the sync server (server/sync). Pure: no DOM, no Node.
 *
 * Standard y-websocket messages start with a varuint type: 0 sync, 1 awareness,
 * 2 auth, 3 query-awareness. We add type 100, "saved":
 *
 *   client → server  [100, seq]       "tell me once everything I sent before
 *                                      this message is stored on disk"
 *   server → client  [100, seq, ok]   ok = 1: stored; ok = 0: storage failed,
 *                                      nothing after the last ok is safe yet
 *
 * The server answers only clients that ask, so a plain y-websocket client never
 * sees a message type it does not know. Type 101 "access" is below; type 102
 * "timer" is in timer.ts. Because one connection's messages are
 * handled in order, the answer to `seq` covers every update sent before it.
 *
 * "Saved" means written. An update whose Yjs dependencies the server lacks (a
 * clock gap: earlier updates lost in a crash and not yet re-sent) is parked by
 * Yjs as pending and not stored. The server then holds the answer back until
 * everything the connection sent is in the document and stored — it does not
 * store pending updates themselves, because compaction (encodeStateAsUpdate)
 * would drop them again. A request is never answered ok for a change held only
 * in memory; a client that never sends the missing update gets no answer and
 * keeps showing "not saved yet", which is true.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const MESSAGE_SAVED = 100;
/**
 * Type 101, "access": what this connection may do on the board.
 *
 *   client → server  [101]               "tell me my access, now and whenever it changes"
 *   server → client  [101, json]         json = AccessState (varString)
 *
 * Like "saved", only clients that ask get it. The server enforces access
 * whatever the client shows: for a connection that may not edit, sync step 2
 * and update messages are dropped unread (never applied, stored or forwarded).
 */
export const MESSAGE_ACCESS = 101;

/**
 * A member's role on a board, weakest first. A collector (issue 14) joined
 * through the board's Collect demand link: they may add demand-study
 * entries, undo their own latest and read the capture settings — never open
 * the board (its websocket closes 4403, its routes answer 403).
 */
export const ROLES = ['collector', 'viewer', 'editor', 'facilitator'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is at least `needed`. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export interface AccessState {
  role: Role;
  /** Locked by the facilitator: everyone else is view-only until it is unlocked. */
  locked: boolean;
  /** Who locked it (their display name), or null. */
  lockedBy: string | null;
  /** What the server lets this connection do now. */
  canEdit: boolean;
}

/** Whether a member with `role` may change the board, given its lock. */
export function canEditWith(role: Role, locked: boolean): boolean {
  return role === 'facilitator' || (role === 'editor' && !locked);
}

/** Close codes: 44xx = do not retry (the y-websocket client stops), 45xx = retry later. */
export const CLOSE_INVALID_BOARD_ID = 4400;
export const CLOSE_MALFORMED_MESSAGE = 4402;
/** No participant key, or one this server does not know. */
export const CLOSE_UNAUTHORIZED = 4401;
/** Not (or no longer) a member: the reason is one of ACCESS_ENDED. */
export const CLOSE_FORBIDDEN = 4403;

/** Why someone has no access to a board: the close reason of 4403 and the API's `reason`. */
export const ACCESS_ENDED = {
  linkTurnedOff: 'link turned off',
  removed: 'removed',
  notMember: 'not a member',
  /** Not ended: a collector's access is the capture page, never the board. */
  collector: 'collects demand only',
} as const;
export const CLOSE_BOARD_NOT_FOUND = 4404;
/**
 * A change to a card a facilitator locked (or to a lock) from someone else:
 * refused whole, never applied, stored or forwarded. The reason is
 * `locked:<nodeId>` or `lock:<nodeId>` (encodeLockRefusal). The client
 * does not retry: it opens the board afresh from the server, which undoes
 * the change on its screen, and says why.
 */
export const CLOSE_LOCKED_ELEMENT = 4409;

export interface LockRefusalReason {
  nodeId: string;
  kind: 'locked' | 'lock';
}

export function encodeLockRefusal({ nodeId, kind }: LockRefusalReason): string {
  // A close reason fits in 123 bytes; node ids are short (nanoid 12), a hostile one is cut.
  return `${kind}:${nodeId}`.slice(0, 120);
}

export function readLockRefusal(reason: string): LockRefusalReason | null {
  const match = /^(locked|lock):(.+)$/.exec(reason);
  return match ? { kind: match[1] as 'locked' | 'lock', nodeId: match[2] } : null;
}
export const CLOSE_BOARD_DELETED = 4410;
export const CLOSE_MESSAGE_TOO_BIG = 1009;
export const CLOSE_SERVER_SHUTTING_DOWN = 4503;
/** Storage could not be read: retry later. */
export const CLOSE_STORAGE_UNAVAILABLE = 4500;
/** More messages or bytes a second than MAX_MESSAGES_PER_SECOND / MAX_BYTES_PER_SECOND: do not retry. */
export const CLOSE_RATE_LIMITED = 4429;
/** The client read too slowly and its backlog passed MAX_SEND_BUFFER_BYTES: retry, and resync. */
export const CLOSE_TOO_SLOW = 4504;
/** The server has MAX_BOARDS_LOADED boards open: retry later. */
export const CLOSE_TOO_MANY_BOARDS = 4507;
/** The address has MAX_CONNECTIONS_PER_ADDRESS connections open: retry later. */
export const CLOSE_TOO_MANY_CONNECTIONS = 4529;

/** A board id: letters, digits, '_' and '-', 1 to 64 of them. */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidBoardId(id: string): boolean {
  return BOARD_ID_PATTERN.test(id);
}

export function encodeAccessRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_ACCESS);
  return encoding.toUint8Array(encoder);
}

export function encodeAccessState(state: AccessState): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_ACCESS);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

/** Reads the rest of an access message after its type; null when it is not an AccessState. */
export function readAccessState(decoder: decoding.Decoder): AccessState | null {
  try {
    const value = JSON.parse(decoding.readVarString(decoder)) as Partial<AccessState>;
    if (!isRole(value.role) || typeof value.locked !== 'boolean' || typeof value.canEdit !== 'boolean') return null;
    return {
      role: value.role,
      locked: value.locked,
      lockedBy: typeof value.lockedBy === 'string' ? value.lockedBy : null,
      canEdit: value.canEdit,
    };
  } catch {
    return null;
  }
}

export function encodeSaveRequest(seq: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SAVED);
  encoding.writeVarUint(encoder, seq);
  return encoding.toUint8Array(encoder);
}

export function encodeSaveAnswer(seq: number, ok: boolean): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SAVED);
  encoding.writeVarUint(encoder, seq);
  encoding.writeVarUint(encoder, ok ? 1 : 0);
  return encoding.toUint8Array(encoder);
}

/** Reads the rest of a save answer after its type; throws on a truncated message. */
export function readSaveAnswer(decoder: decoding.Decoder): { seq: number; ok: boolean } {
  const seq = decoding.readVarUint(decoder);
  const ok = decoding.readVarUint(decoder) === 1;
  return { seq, ok };
}

/** Why a board connection was closed for good, in words a workshop user understands. */
export function describeCloseCode(code: number, reason = ''): string | null {
  switch (code) {
    case CLOSE_UNAUTHORIZED:
      return 'This browser is not known to the server. Open the board again from a link the facilitator shares.';
    case CLOSE_FORBIDDEN:
      if (reason === ACCESS_ENDED.linkTurnedOff)
        return 'The facilitator turned off the link you joined with — ask them for a new one.';
      if (reason === ACCESS_ENDED.removed) return 'The facilitator removed you from this board.';
      if (reason === ACCESS_ENDED.collector)
        return 'You joined this board to collect demand: open the capture page from the Collect demand link.';
      return 'You are not a member of this board. Ask the facilitator for a link.';
    case CLOSE_INVALID_BOARD_ID:
      return 'This board address is not valid.';
    case CLOSE_BOARD_NOT_FOUND:
      return 'Board not found.';
    case CLOSE_BOARD_DELETED:
      return 'This board has been deleted.';
    case CLOSE_MALFORMED_MESSAGE:
      return 'The connection was refused after a damaged message. Reload the page to reconnect.';
    case CLOSE_LOCKED_ELEMENT:
      return readLockRefusal(reason)?.kind === 'lock'
        ? 'Only a facilitator can lock or unlock a card: your change was undone.'
        : 'That card is locked by the facilitator: your change was undone.';
    case CLOSE_MESSAGE_TOO_BIG:
      return 'A change was too large to send. Reload the page to reconnect.';
    case CLOSE_RATE_LIMITED:
      return 'This browser sent changes faster than the server accepts, so the connection was closed. Reload the page to reconnect.';
    default:
      return null;
  }
}

/**
 * Why the server closed a connection that the client then opens again by
 * itself (45xx codes), in plain words, for a notice beside "Reconnecting…";
 * null for codes that need no words.
 */
export function describeRetryCode(code: number): string | null {
  switch (code) {
    case CLOSE_TOO_SLOW:
      return 'The connection fell behind the changes on this board, so the server restarted it. Reconnecting to catch up — nothing is lost.';
    case CLOSE_TOO_MANY_CONNECTIONS:
      return 'Too many connections from your network address are open right now. Trying again — close other tabs of this board to free one.';
    case CLOSE_TOO_MANY_BOARDS:
      return 'The server has as many boards open as it allows right now. Trying again in a moment.';
    default:
      // 4500 and 4503 (storage, restart) show as "Reconnecting…" alone: they pass by themselves.
      return null;
  }
}

// Type 102, "timer": the workshop timer, room state the server holds (timer.ts).
export * from './timer';
// Type 103, "presenter": presenter mode's section and arrangement, room state the server holds (presenter.ts).
export * from './presenter';
// Type 104, "vote": dot voting, hidden until the reveal (vote.ts).
export * from './vote';
// Type 105, "comments": comment threads on cards, stored rows (comments.ts).
export * from './comments';
// Type 106, "study counts": the demand study's counts, and the study API's schemas (study.ts).
export * from './study';
