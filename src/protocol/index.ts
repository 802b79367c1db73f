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
 * sees a message type it does not know. Because one connection's messages are
 * handled in order, the answer to `seq` covers every update sent before it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
export const MESSAGE_SAVED = 100;
/**
 * Type 101, "access": client → server [101] subscribes; server → client
 * [101, varString(JSON)] now and whenever this person's access changes,
 * JSON = AccessState.
 */
export const MESSAGE_ACCESS = 101;

/** Close codes: 44xx = do not retry (the y-websocket client stops), 45xx = retry later. */
export const CLOSE_INVALID_BOARD_ID = 4400;
export const CLOSE_NO_KEY = 4401;
export const CLOSE_MALFORMED_MESSAGE = 4402;
/** No access: reason "link turned off", "removed" or "not a member". */
export const CLOSE_NO_ACCESS = 4403;
export const CLOSE_BOARD_NOT_FOUND = 4404;
export const CLOSE_BOARD_DELETED = 4410;
export const CLOSE_MESSAGE_TOO_BIG = 1009;
export const CLOSE_SERVER_SHUTTING_DOWN = 4503;

/** A board id: letters, digits, '_' and '-', 1 to 64 of them. */
export const BOARD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidBoardId(id: string): boolean {
  return BOARD_ID_PATTERN.test(id);
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

export type Role = 'facilitator' | 'editor' | 'viewer';

/** What this person may do on a board now (GET /api/boards/:id and message 101). */
export interface AccessState {
  role: Role;
  locked: boolean;
  /** The display name of who locked the board, or null. */
  lockedBy: string | null;
  canEdit: boolean;
}

export function encodeAccessSubscribe(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_ACCESS);
  return encoding.toUint8Array(encoder);
}

export function encodeAccessState(access: AccessState): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_ACCESS);
  encoding.writeVarString(encoder, JSON.stringify(access));
  return encoding.toUint8Array(encoder);
}

const ROLES: readonly string[] = ['facilitator', 'editor', 'viewer'];

/** An access state from untrusted JSON, or null when it is not one. */
export function parseAccessState(value: unknown): AccessState | null {
  if (typeof value !== 'object' || value === null) return null;
  const { role, locked, lockedBy, canEdit } = value as Record<string, unknown>;
  if (typeof role !== 'string' || !ROLES.includes(role)) return null;
  if (typeof locked !== 'boolean' || typeof canEdit !== 'boolean') return null;
  if (lockedBy !== null && lockedBy !== undefined && typeof lockedBy !== 'string') return null;
  return { role: role as Role, locked, lockedBy: lockedBy ?? null, canEdit };
}

/** Reads the rest of an access message after its type; null when it is damaged. */
export function readAccessState(decoder: decoding.Decoder): AccessState | null {
  try {
    return parseAccessState(JSON.parse(decoding.readVarString(decoder)));
  } catch {
    return null;
  }
}

/** Reads the rest of a save answer after its type; throws on a truncated message. */
export function readSaveAnswer(decoder: decoding.Decoder): { seq: number; ok: boolean } {
  const seq = decoding.readVarUint(decoder);
  const ok = decoding.readVarUint(decoder) === 1;
  return { seq, ok };
}

/** Why a board connection was closed for good, in words a workshop user understands. */
export function describeCloseCode(code: number): string | null {
  switch (code) {
    case CLOSE_INVALID_BOARD_ID:
      return 'This board address is not valid.';
    case CLOSE_BOARD_NOT_FOUND:
      return 'Board not found.';
    case CLOSE_BOARD_DELETED:
      return 'This board has been deleted.';
    case CLOSE_MALFORMED_MESSAGE:
      return 'The connection was refused after a damaged message. Reload the page to reconnect.';
    case CLOSE_NO_KEY:
      return 'This browser is not known to the server (its data may have been reset). Go back to the board list and open the board from its link again.';
    case CLOSE_NO_ACCESS:
      return 'You no longer have access to this board.';
    case CLOSE_MESSAGE_TOO_BIG:
      return 'A change was too large to send. Reload the page to reconnect.';
    default:
      return null;
  }
}

/** Why access ended, from a 4403's reason, in the facilitator-and-you words the notice shows. */
export function describeNoAccess(reason: string): string {
  if (reason === 'link turned off') return 'The facilitator turned off the link you joined with — ask them for a new one.';
  if (reason === 'removed') return 'The facilitator removed you from this board.';
  return 'You are not on this board. Ask the facilitator for a link.';
}
