/**
 * Comments on cards (issue 15): threads with author and time, replies and
 * resolve. They are stored rows the sync server keeps, not part of the Yjs
 * document, so a comment never changes its card, undo never takes one away
 * and a version never freezes one. Pure: shared by the server
 * (server/sync/comments.ts) and the client (src/collab/connection.ts).
 *
 * Type 105, "comments", on the board's websocket:
 *
 *   client → server  [105]              "send me the comments now and whenever they change"
 *   client → server  [105, json]        json = CommentCommand (varString)
 *   server → client  [105, json]        json = CommentsMessage (varString)
 *
 * Editors and the facilitator may always comment; viewers only while the
 * facilitator allows it (a board setting the server checks). A comment on a
 * card that has since been deleted is kept, marked orphaned, and listed —
 * never lost. A refused command is answered to its sender only, with an
 * `error` in plain words, and nothing is stored.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Role } from './index';

export const MESSAGE_COMMENTS = 105;

export const COMMENT_MAX_CHARS = 2000;
const CARD_ID = /^[A-Za-z0-9_-]{1,64}$/;
const COMMENT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface CardComment {
  id: string;
  boardId: string;
  cardId: string;
  /** The thread's first comment: null. A reply: that first comment's id. */
  threadId: string | null;
  /** The author's display name when they wrote it. */
  author: string;
  /** The author's membership on the board. */
  authorId: string;
  text: string;
  createdAt: number;
  /** A thread's first comment only: when it was resolved, and by whom; null while open. */
  resolvedAt: number | null;
  resolvedBy: string | null;
  /** The card was not on the board when this was written (or sent): kept, and listed with the orphans. */
  orphaned: boolean;
}

export interface CommentsMessage {
  comments: CardComment[];
  /** Whether viewers may comment (the facilitator's board setting). */
  viewersMayComment: boolean;
  /** Only to the sender of a refused command. */
  error?: string;
  /** Only to the sender, when the comment was kept but something needs saying (its card is gone). */
  notice?: string;
}

export type CommentCommand =
  | { action: 'add'; cardId: string; text: string; threadId?: string }
  | { action: 'resolve'; threadId: string }
  | { action: 'reopen'; threadId: string }
  | { action: 'viewers'; allow: boolean };

export const COMMENT_WORDS = {
  unreadable: 'That comment could not be read; nothing changed.',
  empty: 'Write something first: an empty comment is not saved.',
  tooLong: (chars: number) =>
    `A comment is at most ${COMMENT_MAX_CHARS} characters; this one has ${chars}. Shorten it or split it into replies.`,
  noCard: 'Say which card the comment is on.',
  noThread: 'That comment thread is not on this board.',
  viewersNotAllowed: 'The facilitator has not allowed viewers to comment on this board.',
  notFacilitator: 'Only the facilitator can choose whether viewers may comment.',
  orphaned: 'That card has been deleted. Your comment is kept under "Comments on deleted cards".',
  alreadyResolved: 'That thread is already resolved.',
  notResolved: 'That thread is open.',
} as const;

/** Reads a command's JSON; an error in plain words when it is not one. */
export function parseCommentCommand(json: string): CommentCommand | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { error: COMMENT_WORDS.unreadable };
  }
  if (typeof value !== 'object' || value === null) return { error: COMMENT_WORDS.unreadable };
  const command = value as Record<string, unknown>;
  switch (command.action) {
    case 'add': {
      if (typeof command.cardId !== 'string' || !CARD_ID.test(command.cardId)) return { error: COMMENT_WORDS.noCard };
      if (typeof command.text !== 'string') return { error: COMMENT_WORDS.empty };
      const text = command.text.trim();
      if (text === '') return { error: COMMENT_WORDS.empty };
      if (text.length > COMMENT_MAX_CHARS) return { error: COMMENT_WORDS.tooLong(text.length) };
      if (
        command.threadId !== undefined &&
        (typeof command.threadId !== 'string' || !COMMENT_ID.test(command.threadId))
      )
        return { error: COMMENT_WORDS.noThread };
      return {
        action: 'add',
        cardId: command.cardId,
        text,
        ...(typeof command.threadId === 'string' ? { threadId: command.threadId } : {}),
      };
    }
    case 'resolve':
    case 'reopen':
      if (typeof command.threadId !== 'string' || !COMMENT_ID.test(command.threadId))
        return { error: COMMENT_WORDS.noThread };
      return { action: command.action, threadId: command.threadId };
    case 'viewers':
      if (typeof command.allow !== 'boolean') return { error: COMMENT_WORDS.unreadable };
      return { action: 'viewers', allow: command.allow };
    default:
      return { error: COMMENT_WORDS.unreadable };
  }
}

/** Whether someone with `role` may write, resolve or reopen comments on the board. */
export function mayComment(role: Role | null, viewersMayComment: boolean): boolean {
  if (role === null || role === 'collector') return false;
  return role !== 'viewer' || viewersMayComment;
}

export interface CommentThread {
  first: CardComment;
  replies: CardComment[];
}

/** The board's threads, oldest first, each with its replies oldest first. */
export function threadsOf(comments: readonly CardComment[]): CommentThread[] {
  const threads = new Map<string, CommentThread>();
  const byTime = [...comments].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  for (const comment of byTime) if (comment.threadId === null) threads.set(comment.id, { first: comment, replies: [] });
  for (const comment of byTime) if (comment.threadId !== null) threads.get(comment.threadId)?.replies.push(comment);
  return [...threads.values()];
}

/** Open threads by card id: the count a card's badge shows. */
export function openThreadCounts(comments: readonly CardComment[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const comment of comments)
    if (comment.threadId === null && comment.resolvedAt === null)
      counts.set(comment.cardId, (counts.get(comment.cardId) ?? 0) + 1);
  return counts;
}

export function encodeCommentsRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_COMMENTS);
  return encoding.toUint8Array(encoder);
}

export function encodeCommentCommand(command: CommentCommand): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_COMMENTS);
  encoding.writeVarString(encoder, JSON.stringify(command));
  return encoding.toUint8Array(encoder);
}

export function encodeCommentsMessage(message: CommentsMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_COMMENTS);
  encoding.writeVarString(encoder, JSON.stringify(message));
  return encoding.toUint8Array(encoder);
}

/** Reads the rest of a server comments message after its type; null when it is not one. */
export function readCommentsMessage(decoder: decoding.Decoder): CommentsMessage | null {
  try {
    const value = JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown>;
    if (!Array.isArray(value.comments) || typeof value.viewersMayComment !== 'boolean') return null;
    return {
      comments: value.comments as CardComment[],
      viewersMayComment: value.viewersMayComment,
      ...(typeof value.error === 'string' ? { error: value.error } : {}),
      ...(typeof value.notice === 'string' ? { notice: value.notice } : {}),
    };
  } catch {
    return null;
  }
}
