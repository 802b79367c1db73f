/**
 * Comments on the cards of each board (message 105, src/protocol/comments.ts):
 * stored rows, sent whole to everyone who asked on every change. The server
 * checks who may write (viewers only when the facilitator allows it) before
 * anything is stored; a refusal is answered to its sender alone. A comment on
 * a card that is not on the board is kept, marked orphaned, and the sender is
 * told where to find it.
 *
 * With several instances (fanout.ts) a change is announced to the others,
 * which send the stored comments to their own listeners.
 */
import * as decoding from 'lib0/decoding';
import type * as Y from 'yjs';
import type WebSocket from 'ws';
import { nanoid } from 'nanoid';
import { nodesMap } from '../../src/model';
import {
  COMMENT_WORDS,
  encodeCommentsMessage,
  mayComment,
  parseCommentCommand,
  type CardComment,
  type CommentCommand,
  type Role,
} from '../../src/protocol';
import type { BoardStorage } from '../storage/storage';
import { LocalFanout, type Fanout } from './fanout';
import { send } from './rooms';

const TOPIC_COMMENTS = 'comments';

export interface Commenter {
  role: Role;
  memberId: string;
  keyHash: string;
}

interface BoardComments {
  listeners: Set<WebSocket>;
  queue: Promise<void>;
}

export class RoomComments {
  private readonly boards = new Map<string, BoardComments>();

  constructor(
    private readonly storage: BoardStorage,
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
    private readonly fanout: Fanout = new LocalFanout(),
  ) {
    fanout.on(TOPIC_COMMENTS, (boardId) => {
      const board = this.boards.get(boardId);
      if (!board) return;
      board.queue = board.queue
        .then(() => this.sendTo(boardId, [...board.listeners]))
        .catch((error: unknown) => this.log(`board ${boardId}: could not re-read the comments: ${String(error)}`));
    });
  }

  /** One [105 …] message; reads it at once (a truncated one throws), then queues it behind the board's others. */
  handle(boardId: string, doc: Y.Doc, connection: WebSocket, decoder: decoding.Decoder, who: Commenter | null): void {
    const json = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : null;
    if (!who) return;
    const board = this.board(boardId);
    board.queue = board.queue
      .then(() => this.run(boardId, board, doc, connection, json, who))
      .catch((error: unknown) => {
        this.log(`board ${boardId}: a comment could not be stored: ${String(error)}`);
        void this.sendTo(boardId, [connection], { error: 'The comment could not be saved just now; try again.' });
      });
  }

  private async run(
    boardId: string,
    board: BoardComments,
    doc: Y.Doc,
    connection: WebSocket,
    json: string | null,
    who: Commenter,
  ): Promise<void> {
    if (json === null) {
      board.listeners.add(connection);
      await this.sendTo(boardId, [connection]);
      return;
    }
    const parsed = parseCommentCommand(json);
    const outcome = 'error' in parsed ? parsed : await this.apply(boardId, doc, parsed, who);
    if ('error' in outcome) {
      await this.sendTo(boardId, [connection], { error: outcome.error });
      return;
    }
    this.fanout.publish(boardId, TOPIC_COMMENTS, new Uint8Array(0));
    const others = [...board.listeners].filter((listener) => listener !== connection);
    await this.sendTo(boardId, others);
    await this.sendTo(boardId, [connection], outcome.notice ? { notice: outcome.notice } : {});
  }

  private async apply(
    boardId: string,
    doc: Y.Doc,
    command: CommentCommand,
    who: Commenter,
  ): Promise<{ notice?: string } | { error: string }> {
    if (command.action === 'viewers') {
      if (who.role !== 'facilitator') return { error: COMMENT_WORDS.notFacilitator };
      await this.storage.setViewersMayComment(boardId, command.allow);
      return {};
    }
    if (!mayComment(who.role, await this.storage.viewersMayComment(boardId)))
      return { error: COMMENT_WORDS.viewersNotAllowed };
    const comments = await this.storage.listComments(boardId);
    if (command.action === 'add') {
      const thread = command.threadId ? comments.find((c) => c.id === command.threadId && c.threadId === null) : null;
      if (command.threadId && !thread) return { error: COMMENT_WORDS.noThread };
      const cardId = thread ? thread.cardId : command.cardId;
      const orphaned = !nodesMap(doc).has(cardId);
      const participant = await this.storage.getParticipant(who.keyHash);
      const comment: CardComment = {
        id: nanoid(),
        boardId,
        cardId,
        threadId: thread ? thread.id : null,
        author: participant?.name.trim() || 'Someone',
        authorId: who.memberId,
        text: command.text,
        createdAt: this.now(),
        resolvedAt: null,
        resolvedBy: null,
        orphaned,
      };
      await this.storage.putComment(comment);
      if (orphaned && thread && !thread.orphaned) await this.storage.putComment({ ...thread, orphaned: true });
      return orphaned ? { notice: COMMENT_WORDS.orphaned } : {};
    }
    const thread = comments.find((c) => c.id === command.threadId && c.threadId === null);
    if (!thread) return { error: COMMENT_WORDS.noThread };
    if (command.action === 'resolve') {
      if (thread.resolvedAt !== null) return { error: COMMENT_WORDS.alreadyResolved };
      const participant = await this.storage.getParticipant(who.keyHash);
      await this.storage.putComment({
        ...thread,
        resolvedAt: this.now(),
        resolvedBy: participant?.name.trim() || 'Someone',
      });
      return {};
    }
    if (thread.resolvedAt === null) return { error: COMMENT_WORDS.notResolved };
    await this.storage.putComment({ ...thread, resolvedAt: null, resolvedBy: null });
    return {};
  }

  private async sendTo(
    boardId: string,
    connections: WebSocket[],
    extra: { error?: string; notice?: string } = {},
  ): Promise<void> {
    if (connections.length === 0) return;
    const [comments, viewersMayComment] = await Promise.all([
      this.storage.listComments(boardId),
      this.storage.viewersMayComment(boardId),
    ]);
    const message = encodeCommentsMessage({ comments, viewersMayComment, ...extra });
    for (const connection of connections) send(connection, message);
  }

  leave(boardId: string, connection: WebSocket): void {
    const board = this.boards.get(boardId);
    if (!board) return;
    board.listeners.delete(connection);
    if (board.listeners.size === 0)
      void board.queue.then(() => {
        if (board.listeners.size === 0 && this.boards.get(boardId) === board) this.boards.delete(boardId);
      });
  }

  private board(boardId: string): BoardComments {
    let board = this.boards.get(boardId);
    if (!board) {
      board = { listeners: new Set(), queue: Promise.resolve() };
      this.boards.set(boardId, board);
    }
    return board;
  }
}
