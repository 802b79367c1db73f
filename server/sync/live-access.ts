/**
 * Access on live connections. Each websocket is admitted as one member of
 * one board; from then on every change of that board's access (a role, the
 * lock, a removal, a link turned off) is applied to its open sockets at once:
 * an ended membership closes its sockets with 4403, and a subscribed client
 * is told its new access (message 101). When a socket may edit again, the
 * server sends it a sync step 1, so the client sends whatever the server
 * dropped while it could not.
 */
import type WebSocket from 'ws';
import { ACCESS_ENDED, CLOSE_FORBIDDEN, encodeAccessState, type AccessState, type Role } from '../../src/protocol';
import type { Access } from '../access/access';
import type { BoardRecord, BoardStorage, MemberRecord } from '../storage/storage';
import { LocalFanout, type Fanout } from './fanout';
import { send } from './rooms';

/** "This board's access changed": the other instances apply it to their own sockets. */
const TOPIC_ACCESS = 'access';

/** A viewer's awareness (cursor, name, selection) is let through within these limits; the rest is dropped. */
const VIEWER_AWARENESS_MAX_BYTES = 8 * 1024;
const VIEWER_AWARENESS_PER_SECOND = 30;

interface LiveMember {
  boardId: string;
  keyHash: string;
  memberId: string;
  state: AccessState;
  subscribed: boolean;
  /** A change was dropped since this socket last could edit: "saved" must not say ok. */
  droppedChanges: boolean;
  awarenessWindow: { start: number; count: number };
  /** Asks the client for what the server lacks (a sync step 1). */
  resync: () => void;
}

export class LiveAccess {
  private readonly members = new Map<WebSocket, LiveMember>();

  constructor(
    private readonly storage: BoardStorage,
    private readonly access: Access,
    private readonly log: (message: string) => void,
    fanout: Fanout = new LocalFanout(),
  ) {
    access.onChange(({ boardId }) => {
      fanout.publish(boardId, TOPIC_ACCESS, new Uint8Array(0));
      return this.refresh(boardId);
    });
    // A removal, a role, the lock or a link turned off on another instance ends or changes access here too.
    fanout.on(TOPIC_ACCESS, (boardId) => {
      this.refresh(boardId).catch((error: unknown) =>
        this.log(`board ${boardId}: could not apply an access change from another instance: ${String(error)}`),
      );
    });
    access.setOnlineCheck((boardId, memberId) => this.isOnline(boardId, memberId));
  }

  isOnline(boardId: string, memberId: string): boolean {
    for (const live of this.members.values()) if (live.boardId === boardId && live.memberId === memberId) return true;
    return false;
  }

  async admit(connection: WebSocket, member: MemberRecord, board: BoardRecord, resync: () => void): Promise<void> {
    const state = await this.access.stateOf(member, board);
    this.members.set(connection, {
      boardId: member.boardId,
      keyHash: member.keyHash,
      memberId: member.id,
      state,
      subscribed: false,
      droppedChanges: false,
      awarenessWindow: { start: 0, count: 0 },
      resync,
    });
    this.quietly(() => this.access.seen(member));
  }

  /** "Last seen" is worth a write, not a failed connection: a storage error here is only logged. */
  private quietly(write: () => Promise<void>): void {
    write().catch((error: unknown) => this.log(`could not note when someone was last seen: ${String(error)}`));
  }

  leave(connection: WebSocket): void {
    const live = this.members.get(connection);
    if (!live) return;
    this.members.delete(connection);
    // Leaving is always noted (the throttle is for requests), so "last seen" says when they left.
    this.quietly(async () => {
      const member = await this.storage.getMemberById(live.boardId, live.memberId);
      if (member && member.ended === null)
        await this.storage.updateMember(member.boardId, member.id, { lastSeen: Date.now() });
    });
  }

  /** Whether the server applies this socket's document updates. */
  canEdit(connection: WebSocket): boolean {
    return this.members.get(connection)?.state.canEdit ?? false;
  }

  /** This socket's role now, or null when it is not (or no longer) admitted. */
  roleOf(connection: WebSocket): Role | null {
    return this.members.get(connection)?.state.role ?? null;
  }

  /** Who this socket is on the board (votes and comments are per person), or null when not admitted. */
  memberOf(connection: WebSocket): { memberId: string; keyHash: string } | null {
    const live = this.members.get(connection);
    return live ? { memberId: live.memberId, keyHash: live.keyHash } : null;
  }

  dropped(connection: WebSocket): void {
    const live = this.members.get(connection);
    if (live) live.droppedChanges = true;
  }

  /** A sync step 2 applied: it carries everything the client had that the server lacked. */
  caughtUp(connection: WebSocket): void {
    const live = this.members.get(connection);
    if (live) live.droppedChanges = false;
  }

  hasDropped(connection: WebSocket): boolean {
    return this.members.get(connection)?.droppedChanges ?? true;
  }

  /** [101] from the client: send its access now and whenever it changes. */
  subscribe(connection: WebSocket): void {
    const live = this.members.get(connection);
    if (!live) return;
    live.subscribed = true;
    send(connection, encodeAccessState(live.state));
  }

  /** False when a viewer's awareness message is over its size or rate. */
  awarenessAllowed(connection: WebSocket, bytes: number, now = Date.now()): boolean {
    const live = this.members.get(connection);
    if (!live) return false;
    if (live.state.role !== 'viewer') return true;
    if (bytes > VIEWER_AWARENESS_MAX_BYTES) return false;
    const window = live.awarenessWindow;
    if (now - window.start >= 1000) {
      window.start = now;
      window.count = 0;
    }
    window.count += 1;
    return window.count <= VIEWER_AWARENESS_PER_SECOND;
  }

  /** Applies the board's stored access to every open socket on it. */
  async refresh(boardId: string): Promise<void> {
    const board = await this.storage.getBoard(boardId);
    for (const [connection, live] of [...this.members]) {
      if (live.boardId !== boardId) continue;
      const member = board ? await this.storage.getMember(boardId, live.keyHash) : null;
      if (this.members.get(connection) !== live) continue; // left meanwhile
      // Made a collector by the facilitator: the board is no longer theirs to see.
      const collector = member?.ended === null && member.role === 'collector';
      if (!board || !member || member.ended !== null || member.id !== live.memberId || collector) {
        const reason = collector ? ACCESS_ENDED.collector : (member?.ended ?? ACCESS_ENDED.notMember);
        this.members.delete(connection);
        this.log(`board ${boardId}: closing a connection: access ended (${reason})`);
        connection.close(CLOSE_FORBIDDEN, reason);
        continue;
      }
      const next = await this.access.stateOf(member, board);
      const before = live.state;
      live.state = next;
      if (
        live.subscribed &&
        (before.role !== next.role ||
          before.locked !== next.locked ||
          before.lockedBy !== next.lockedBy ||
          before.canEdit !== next.canEdit)
      ) {
        send(connection, encodeAccessState(next));
      }
      if (!before.canEdit && next.canEdit) {
        // The client answers with a sync step 2 of everything the server lacks, which covers what was dropped.
        live.resync();
      }
    }
  }
}
