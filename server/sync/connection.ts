/**
 * One websocket connection speaking the y-websocket protocol, plus our
 * "saved" message (src/protocol/index.ts).
 *
 * Hostile or broken input costs only the connection that sent it: a bad
 * board id, a missing board, a text frame, an unknown message type, a
 * truncated or malformed update — each closes that connection with its own
 * code before anything reaches the document. The board and every other
 * connection carry on.
 */
import type { IncomingMessage } from 'node:http';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import {
  CLOSE_FORBIDDEN,
  CLOSE_UNAUTHORIZED,
  MESSAGE_ACCESS,
  CLOSE_BOARD_NOT_FOUND,
  CLOSE_INVALID_BOARD_ID,
  CLOSE_MALFORMED_MESSAGE,
  CLOSE_RATE_LIMITED,
  CLOSE_STORAGE_UNAVAILABLE,
  CLOSE_TOO_MANY_BOARDS,
  CLOSE_TOO_MANY_CONNECTIONS,
  CLOSE_TOO_SLOW,
  CLOSE_LOCKED_ELEMENT,
  encodeLockRefusal,
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SAVED,
  MESSAGE_SYNC,
  MESSAGE_TIMER,
  MESSAGE_PRESENTER,
  MESSAGE_VOTE,
  MESSAGE_COMMENTS,
  MESSAGE_STUDY,
  encodeSaveAnswer,
  isValidBoardId,
} from '../../src/protocol';
import { AccessError, type Access } from '../access/access';
import type { BoardStorage } from '../storage/storage';
import type { LiveAccess } from './live-access';
import type { RoomTimers } from './timer';
import type { RoomPresenters } from './presenter';
import type { RoomVotes } from './vote';
import type { RoomComments } from './comments';
import type { RoomStudies } from './study';
import { encodeAwareness, send, type Room, type RoomManager } from './rooms';
import { SentClocks } from './sent-clocks';
import { clientAddress, messageBytes, TooManyBoardsError, watchSendBuffer, type ConnectionLimits } from './limits';
import { lockedChangeIn } from './element-locks';

/**
 * A connection we close for breaking a limit is cut this long after its close
 * frame if it has not finished the close handshake: a flooder stops costing
 * parsing time, a stalled reader stops holding its backlog in memory. The
 * slow one gets longer, so a reader that wakes up still reads its 4504.
 */
const FLOOD_CLOSE_GRACE_MS = 1000;
const SLOW_CLOSE_GRACE_MS = 10_000;
/**
 * Each socket is pinged this often, and one we have heard nothing from (no
 * pong, no message) for SILENT_LIMIT_MS is dropped, and its presence with it:
 * someone whose wifi died disappears for the others within about 3.5 s
 * (issue 4: within 5 s), not after TCP's or y-protocols' 30 s awareness
 * timeout. A ping is a few bytes; browsers answer it without the page.
 */
const PING_INTERVAL_MS = 1000;
const SILENT_LIMIT_MS = 2500;

/** A message we refuse; its text becomes the close reason. */
class MalformedMessage extends Error {}

/**
 * A change refused for what it does, not for its form (a locked card). The
 * connection is closed with `code`: the sender's document now holds a change
 * the server will never take, and every later change of that Yjs client
 * would wait behind it, so its screen starts again from the board as stored.
 */
class RefusedChange extends Error {
  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** The board id from a websocket path `/ws/<boardId>`, or null when the path is not of that form. */
export function boardIdFromPath(url: string | undefined): string | null {
  const pathname = (url ?? '').split('?')[0];
  if (!pathname.startsWith('/ws/')) return null;
  try {
    return decodeURIComponent(pathname.slice('/ws/'.length));
  } catch {
    return null;
  }
}

/** The participant key from a websocket URL's `?key=` (y-websocket's `params`). */
function keyFromUrl(url: string | undefined): string | null {
  const query = (url ?? '').split('?')[1];
  return query === undefined ? null : new URLSearchParams(query).get('key');
}

export interface ConnectionContext {
  rooms: RoomManager;
  storage: BoardStorage;
  access: Access;
  live: LiveAccess;
  /** The workshop timer of each board (message 102). */
  timers: RoomTimers;
  /** Presenter mode's section and arrangement of each board (message 103). */
  presenters: RoomPresenters;
  /** Dot voting (message 104) and comments (message 105) of each board. */
  votes: RoomVotes;
  comments: RoomComments;
  /** The demand study's counts (message 106). */
  studies: RoomStudies;
  limits: ConnectionLimits;
  log: (message: string) => void;
}

/**
 * Closes a connection that broke a limit, and cuts it if it does not finish
 * closing. A flooder's socket stops being read at once (`stopReading`): what
 * it keeps sending is never even parsed, so it costs the others nothing.
 */
function closeForLimit(
  connection: WebSocket,
  code: number,
  reason: string,
  graceMs: number,
  stopReading = false,
): void {
  if (stopReading) connection.pause();
  connection.close(code, reason);
  setTimeout(() => connection.terminate(), graceMs).unref();
}

export function handleConnection(connection: WebSocket, request: IncomingMessage, context: ConnectionContext): void {
  const boardId = boardIdFromPath(request.url);
  if (boardId === null || !isValidBoardId(boardId)) {
    connection.close(CLOSE_INVALID_BOARD_ID, 'invalid board id');
    return;
  }
  const { limits } = context;
  // Counted before anything is read or loaded: a refusal here costs nothing.
  const address = clientAddress(request, limits.options.trustProxy);
  if (!limits.admitAddress(address)) {
    limits.count('tooManyFromAddress');
    const most = limits.options.maxConnectionsPerAddress;
    connection.close(CLOSE_TOO_MANY_CONNECTIONS, `too many connections from your address (at most ${most})`);
    return;
  }
  connection.once('close', () => limits.releaseAddress(address));
  // Storage is asynchronous: what the client sends while its access is checked
  // and the board loaded waits here, in order, and is handled once it is open.
  const early: Array<[WebSocket.RawData, boolean]> = [];
  let closed = false;
  let deliver: (data: WebSocket.RawData, isBinary: boolean) => void = (data, isBinary) =>
    void early.push([data, isBinary]);
  // Every message, early or not, passes the connection's rate limits first.
  const meter = limits.meter();
  let overLimit = false;
  connection.on('message', (data, isBinary) => {
    if (overLimit) return;
    const broken = meter.take(messageBytes(data));
    if (broken) {
      overLimit = true;
      limits.count(broken);
      const what = broken === 'tooManyMessages' ? 'messages' : 'bytes';
      context.log(`board ${boardId}: closing a connection from ${address}: too many ${what} per second`);
      closeForLimit(connection, CLOSE_RATE_LIMITED, `too many ${what} per second`, FLOOD_CLOSE_GRACE_MS, true);
      return;
    }
    deliver(data, isBinary);
  });
  connection.once('close', () => {
    closed = true;
  });
  connection.on('error', (error) => context.log(`board ${boardId}: connection error: ${error.message}`));
  void admitConnection(connection, request, context, boardId, () => closed || overLimit).then((open) => {
    deliver = () => {};
    if (!open) return;
    for (const [data, isBinary] of early.splice(0)) if (!overLimit) open(data, isBinary);
    deliver = open;
  });
}

/**
 * Checks access and loads the board; then wires the connection up and
 * returns its message handler, or null when it was refused or has gone.
 */
async function admitConnection(
  connection: WebSocket,
  request: IncomingMessage,
  context: ConnectionContext,
  boardId: string,
  isClosed: () => boolean,
): Promise<((data: WebSocket.RawData, isBinary: boolean) => void) | null> {
  const { rooms, access, live, log } = context;
  // A storage failure is not a refusal: the client must come back (4500), not give up (44xx).
  const unavailable = (what: string, error: unknown) => {
    log(`board ${boardId}: could not ${what}: ${String(error)}`);
    connection.close(CLOSE_STORAGE_UNAVAILABLE, 'storage unavailable, try again');
    return null;
  };
  const { limits } = context;
  // Access is checked on the stored record, before the board is loaded: a refused
  // connection costs no load.
  let member;
  try {
    const address = clientAddress(request, context.limits.options.trustProxy);
    const participant = await access.resolveKey(keyFromUrl(request.url), address);
    const board = await context.storage.getBoard(boardId);
    if (!board) {
      connection.close(CLOSE_BOARD_NOT_FOUND, 'board not found');
      return null;
    }
    // At least a viewer: a collector's access is the capture page's routes, never the board (4403).
    member = { record: await access.require(participant, board, 'viewer'), board };
  } catch (error) {
    if (!(error instanceof AccessError)) return unavailable('check a key or a membership', error);
    // 401 and 429 alike close with 4401, the words saying why; no membership is 4403 with its reason.
    if (error.status === 403) connection.close(CLOSE_FORBIDDEN, error.code ?? 'not a member');
    else connection.close(CLOSE_UNAUTHORIZED, error.message.slice(0, 120));
    return null;
  }
  let room: Room | null;
  try {
    room = await rooms.open(boardId);
  } catch (error) {
    if (!(error instanceof TooManyBoardsError)) return unavailable('load it', error);
    limits.count('tooManyBoards');
    connection.close(CLOSE_TOO_MANY_BOARDS, `this server has ${error.limit} boards open, its limit; try again later`);
    return null;
  }
  if (!room) {
    connection.close(CLOSE_BOARD_NOT_FOUND, 'board not found');
    return null;
  }
  const openRoom = room;
  if (isClosed()) {
    rooms.scheduleUnloadIfIdle(openRoom);
    return null;
  }
  rooms.addConnection(openRoom, connection);
  const saves = new SaveAnswers(openRoom, connection, rooms, live);
  try {
    await live.admit(connection, member.record, member.board, () => send(connection, encodeSyncStep1(openRoom.doc)));
  } catch (error) {
    rooms.removeConnection(openRoom, connection);
    return unavailable('check a membership', error);
  }
  if (isClosed()) {
    live.leave(connection);
    rooms.removeConnection(openRoom, connection);
    return null;
  }

  let lastHeard = Date.now();
  let lastTick = lastHeard;
  const ping = setInterval(() => {
    const now = Date.now();
    // A late tick means this server was busy (a big export, a slow disk): the
    // answers may be waiting unread, so silence is not held against anyone.
    const late = now - lastTick > PING_INTERVAL_MS * 2;
    lastTick = now;
    if (late) lastHeard = Math.max(lastHeard, now - PING_INTERVAL_MS);
    else if (now - lastHeard > SILENT_LIMIT_MS) {
      limits.count('silent');
      connection.terminate();
      return;
    }
    connection.ping();
  }, PING_INTERVAL_MS);
  connection.on('pong', () => {
    lastHeard = Date.now();
  });
  // A reader too slow for this board leaves the room at once (nobody waits for it, its
  // backlog stops growing) and is told to come back: it resyncs from its state vector.
  watchSendBuffer(connection, limits.options.maxSendBufferBytes, () => {
    limits.count('tooSlow');
    log(
      `board ${boardId}: dropping a connection that reads too slowly (over ${limits.options.maxSendBufferBytes} bytes unsent)`,
    );
    clearInterval(ping);
    rooms.removeConnection(openRoom, connection);
    closeForLimit(connection, CLOSE_TOO_SLOW, 'too slow to keep up; reconnect to catch up', SLOW_CLOSE_GRACE_MS);
  });

  const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
    if (!openRoom.connections.has(connection)) return; // evicted or closing
    lastHeard = Date.now();
    try {
      if (!isBinary) throw new MalformedMessage('text frames are not part of the protocol');
      handleMessage(openRoom, connection, toBytes(data), live, saves, context);
    } catch (error) {
      if (error instanceof RefusedChange) {
        log(`board ${boardId}: refused a change: ${error.message}`);
        connection.close(error.code, error.message);
        rooms.removeConnection(openRoom, connection);
        return;
      }
      const reason = error instanceof MalformedMessage ? error.message : 'malformed message';
      log(
        `board ${boardId}: closing a connection: ${reason}${error instanceof MalformedMessage ? '' : ` (${String(error)})`}`,
      );
      // The reason must fit in a close frame (123 bytes).
      connection.close(CLOSE_MALFORMED_MESSAGE, reason.slice(0, 120));
      rooms.removeConnection(openRoom, connection);
    }
  };
  connection.on('close', () => {
    clearInterval(ping);
    saves.forget();
    live.leave(connection);
    context.timers.leave(boardId, connection);
    context.presenters.leave(boardId, connection);
    context.votes.leave(boardId, connection);
    context.comments.leave(boardId, connection);
    context.studies.leave(boardId, connection);
    rooms.removeConnection(openRoom, connection);
  });

  // Greet: our state vector (so the client sends what we lack) and who is here.
  send(connection, encodeSyncStep1(openRoom.doc));
  const present = [...openRoom.awareness.getStates().keys()];
  if (present.length > 0) send(connection, encodeAwareness(openRoom.awareness, present));
  return onMessage;
}

function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A connection's save requests and their answers. A request is answered once
 * everything the connection sent before it is in the document (nothing parked
 * as pending for want of a missing update) and stored; answers go in order.
 */
class SaveAnswers {
  readonly sent = new SentClocks();
  private readonly waiting: number[] = [];
  private listening = false;
  private readonly check = () => this.release();

  constructor(
    private readonly room: Room,
    private readonly connection: WebSocket,
    private readonly rooms: RoomManager,
    private readonly live: LiveAccess,
  ) {}

  request(seq: number): void {
    this.waiting.push(seq);
    this.release();
  }

  private release(): void {
    if (this.waiting.length === 0 || !this.sent.integratedIn(this.room.doc)) {
      // Parked updates are integrated in some later transaction (the missing update arrives).
      if (this.waiting.length > 0 && !this.listening) {
        this.room.doc.on('afterTransaction', this.check);
        this.listening = true;
      }
      return;
    }
    this.stopListening();
    const seqs = this.waiting.splice(0);
    // Everything is in the document now; the answer waits for the commit that holds it.
    void this.rooms.whenStored(this.room).then((stored) => {
      // A change dropped for want of access is not stored: say so.
      const ok = stored && !this.live.hasDropped(this.connection);
      for (const seq of seqs) send(this.connection, encodeSaveAnswer(seq, ok));
    });
  }

  private stopListening(): void {
    if (this.listening) this.room.doc.off('afterTransaction', this.check);
    this.listening = false;
  }

  forget(): void {
    this.waiting.length = 0;
    this.stopListening();
  }
}

function handleMessage(
  room: Room,
  connection: WebSocket,
  message: Uint8Array,
  live: LiveAccess,
  saves: SaveAnswers,
  {
    timers,
    presenters,
    votes,
    comments,
    studies,
  }: Pick<ConnectionContext, 'timers' | 'presenters' | 'votes' | 'comments' | 'studies'>,
): void {
  const decoder = decoding.createDecoder(message);
  const type = readVarUint(decoder);
  switch (type) {
    case MESSAGE_SYNC:
      return handleSync(room, connection, decoder, live, saves);
    case MESSAGE_AWARENESS: {
      const update = readVarUint8Array(decoder);
      if (!live.awarenessAllowed(connection, update.byteLength)) return;
      try {
        awarenessProtocol.applyAwarenessUpdate(room.awareness, update, connection);
      } catch {
        throw new MalformedMessage('malformed awareness update');
      }
      return;
    }
    case MESSAGE_QUERY_AWARENESS:
      send(connection, encodeAwareness(room.awareness, [...room.awareness.getStates().keys()]));
      return;
    case MESSAGE_AUTH:
      return; // y-websocket's auth message: access is the key's (checked at connect) and message 101's
    case MESSAGE_ACCESS:
      live.subscribe(connection);
      return;
    case MESSAGE_TIMER:
      try {
        timers.handle(room.id, connection, decoder, live.roleOf(connection));
      } catch {
        throw new MalformedMessage('truncated timer message');
      }
      return;
    case MESSAGE_PRESENTER:
      try {
        presenters.handle(room.id, room.doc, connection, decoder, live.roleOf(connection));
      } catch {
        throw new MalformedMessage('truncated presenter message');
      }
      return;
    case MESSAGE_VOTE:
    case MESSAGE_COMMENTS: {
      const member = live.memberOf(connection);
      const role = live.roleOf(connection);
      const who = member && role ? { ...member, role } : null;
      try {
        if (type === MESSAGE_VOTE) votes.handle(room.id, room.doc, connection, decoder, who);
        else comments.handle(room.id, room.doc, connection, decoder, who);
      } catch {
        throw new MalformedMessage('truncated vote or comment message');
      }
      return;
    }
    case MESSAGE_STUDY:
      // Only admitted sockets get here, and a collector is never admitted: everyone here may see the counts.
      if (live.roleOf(connection) !== null) studies.subscribe(room.id, connection);
      return;
    case MESSAGE_SAVED:
      // Messages are handled in order, so the answer covers every update sent before it.
      saves.request(readVarUint(decoder));
      return;
    default:
      throw new MalformedMessage(`unknown message type ${type}`);
  }
}

function handleSync(
  room: Room,
  connection: WebSocket,
  decoder: decoding.Decoder,
  live: LiveAccess,
  saves: SaveAnswers,
): void {
  const step = readVarUint(decoder);
  if (step === syncProtocol.messageYjsSyncStep1) {
    const stateVector = readVarUint8Array(decoder);
    let reply: Uint8Array;
    try {
      reply = Y.encodeStateAsUpdate(room.doc, stateVector);
    } catch {
      throw new MalformedMessage('malformed state vector');
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, reply);
    send(connection, encoding.toUint8Array(encoder));
    return;
  }
  if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) {
    throw new MalformedMessage(`unknown sync step ${step}`);
  }
  // A viewer, or an editor while the board is locked: the change is dropped
  // unread — never applied, stored or forwarded. That includes the sync
  // step 2 a client sends on reconnecting after editing offline.
  if (!live.canEdit(connection)) {
    live.dropped(connection);
    return;
  }
  const update = readVarUint8Array(decoder);
  // Parse the whole update before it touches the document: a truncated or
  // garbled update is refused here and the board stays exactly as it was.
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw new MalformedMessage('malformed update');
  }
  // A locked card: only a facilitator changes it (or any lock). The whole update is refused, unapplied.
  if (live.roleOf(connection) !== 'facilitator') {
    const refusal = lockedChangeIn(room.doc, decoded);
    if (refusal) {
      live.dropped(connection);
      throw new RefusedChange(CLOSE_LOCKED_ELEMENT, encodeLockRefusal(refusal));
    }
  }
  saves.sent.record(decoded);
  Y.applyUpdate(room.doc, update, connection);
  if (step === syncProtocol.messageYjsSyncStep2) live.caughtUp(connection);
}

function readVarUint(decoder: decoding.Decoder): number {
  try {
    return decoding.readVarUint(decoder);
  } catch {
    throw new MalformedMessage('truncated message');
  }
}

function readVarUint8Array(decoder: decoding.Decoder): Uint8Array {
  try {
    return decoding.readVarUint8Array(decoder);
  } catch {
    throw new MalformedMessage('truncated message');
  }
}
