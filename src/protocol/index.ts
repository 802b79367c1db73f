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

/** Close codes: 44xx = do not retry (the y-websocket client stops), 45xx = retry later. */
export const CLOSE_INVALID_BOARD_ID = 4400;
export const CLOSE_MALFORMED_MESSAGE = 4402;
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
    case CLOSE_MESSAGE_TOO_BIG:
      return 'A change was too large to send. Reload the page to reconnect.';
    default:
      return null;
  }
}
