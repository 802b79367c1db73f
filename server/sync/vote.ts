/**
 * Dot voting on each board (message 104, src/protocol/vote.ts): the server
 * keeps the vote and everyone's dots, stored (so a restart loses no dot), and
 * sends each connection only what its person may see — their own dots and
 * the number of people who voted until the reveal, the ranked result after.
 * A refused command is answered to its sender alone and nothing is stored.
 *
 * Commands of one board are handled one at a time, in order, so two dots sent
 * together never both pass a check that only one of them should.
 *
 * With several instances (fanout.ts) each command runs under a lock shared
 * through Redis, on the votes re-read from storage, and a change is
 * announced to the other instances, which re-read the stored votes and tell
 * their own listeners what each of them may see.
 */
import * as decoding from 'lib0/decoding';
import type * as Y from 'yjs';
import type WebSocket from 'ws';
import { nanoid } from 'nanoid';
import { nodesMap, textFieldOf } from '../../src/model';
import {
  applyVoteCommand,
  encodeVoteMessage,
  parseVoteCommand,
  voteRecordOf,
  voteKindOfCard,
  voteViewFor,
  type Role,
  type VoteKind,
  type VoteRecord,
  type VoteState,
} from '../../src/protocol';
import type { BoardStorage } from '../storage/storage';
import { LocalFanout, type Fanout } from './fanout';
import { send } from './rooms';

const TOPIC_VOTE = 'vote';

interface Listener {
  memberId: string;
}

interface BoardVotes {
  /** Loaded from storage on first use. */
  loaded: Promise<void>;
  open: VoteState | null;
  records: VoteRecord[];
  listeners: Map<WebSocket, Listener>;
  /** The end of the queue of this board's commands. */
  queue: Promise<void>;
}

/** The kind of vote a card can take, read from the board document. */
export function voteKindOf(doc: Y.Doc, cardId: string): VoteKind | null {
  const node = nodesMap(doc).get(cardId);
  return node ? voteKindOfCard(node.get('kind'), node.get('stepClass'), node.get('demandClass')) : null;
}

/** A card's words, for a vote's record and the report. */
export function cardLabelOf(doc: Y.Doc, cardId: string): string {
  const node = nodesMap(doc).get(cardId);
  const words = node?.get(textFieldOf(node.get('kind')));
  return typeof words === 'string' && words.trim() !== '' ? words.trim() : '(a card no longer on the board)';
}

export class RoomVotes {
  private readonly boards = new Map<string, BoardVotes>();

  constructor(
    private readonly storage: BoardStorage,
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
    private readonly fanout: Fanout = new LocalFanout(),
  ) {
    fanout.on(TOPIC_VOTE, (boardId, payload) => {
      const board = this.boards.get(boardId);
      if (!board) return;
      const change = JSON.parse(Buffer.from(payload).toString('utf8')) as { memberId: string; dotOnly: boolean };
      board.queue = board.queue
        .then(() => this.reload(boardId, board))
        .then(() => this.notify(board, change.memberId, change.dotOnly))
        .catch((error: unknown) => this.log(`board ${boardId}: could not re-read the votes: ${String(error)}`));
    });
  }

  /** The board's votes as stored (another instance may have changed them). */
  private async reload(boardId: string, board: BoardVotes): Promise<void> {
    const votes = await this.storage.listVotes(boardId);
    board.open = votes.find((v) => v.ended !== true) ?? null;
    board.records = votes.map(voteRecordOf).filter((r): r is VoteRecord => r !== null);
  }

  /** Tells this instance's listeners of a change; a dot changes only its own person's view. */
  private notify(board: BoardVotes, voterId: string, dotOnly: boolean, sender?: WebSocket): void {
    for (const [listener, { memberId }] of board.listeners)
      if (!dotOnly || memberId === voterId || listener === sender) this.sendTo(listener, board, memberId);
  }

  /**
   * One [104 …] message. `memberId` null: not admitted (nothing is answered).
   * Reads the command at once (a truncated message throws here, for the caller
   * to treat as malformed), then queues its handling behind the board's others.
   */
  handle(
    boardId: string,
    doc: Y.Doc,
    connection: WebSocket,
    decoder: decoding.Decoder,
    who: { role: Role; memberId: string } | null,
  ): void {
    const json = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : null;
    if (!who) return;
    const board = this.board(boardId);
    const run = () => this.run(boardId, board, doc, connection, json, who);
    board.queue = board.queue
      .then(() => board.loaded)
      .then(() =>
        // With other instances: one command of this board at a time across all of them, on the stored votes.
        !this.fanout.shared
          ? run()
          : json === null
            ? this.reload(boardId, board).then(run)
            : this.fanout.exclusive(boardId, TOPIC_VOTE, async () => {
                await this.reload(boardId, board);
                await run();
              }),
      )
      .catch((error: unknown) => {
        this.log(`board ${boardId}: a vote could not be stored: ${String(error)}`);
        this.sendTo(connection, board, who.memberId, 'The vote could not be saved just now; try again.');
      });
  }

  private async run(
    boardId: string,
    board: BoardVotes,
    doc: Y.Doc,
    connection: WebSocket,
    json: string | null,
    who: { role: Role; memberId: string },
  ): Promise<void> {
    if (json === null) {
      board.listeners.set(connection, { memberId: who.memberId });
      this.sendTo(connection, board, who.memberId);
      return;
    }
    const parsed = parseVoteCommand(json);
    const result =
      'error' in parsed
        ? parsed
        : applyVoteCommand(board.open, parsed, {
            role: who.role,
            memberId: who.memberId,
            now: this.now(),
            newId: () => nanoid(),
            kindOf: (cardId) => voteKindOf(doc, cardId),
            labelOf: (cardId) => cardLabelOf(doc, cardId),
          });
    if ('error' in result) {
      this.sendTo(connection, board, who.memberId, result.error);
      return;
    }
    // Stored first: a dot is only shown once it would survive a restart.
    const before = board.open;
    if (result.vote) await this.storage.putVote(boardId, result.vote);
    else if (before && before.status === 'open') await this.storage.deleteVote(boardId, before.id);
    else if (before) await this.storage.putVote(boardId, { ...before, ended: true });
    board.open = result.vote;
    const record = result.vote ? voteRecordOf(result.vote) : null;
    if (record && !board.records.some((r) => r.id === record.id)) board.records = [record, ...board.records];
    // A dot changes only its own person's view: the others are not told (not even that something happened).
    const dotOnly = 'action' in parsed && (parsed.action === 'dot' || parsed.action === 'undot');
    this.notify(board, who.memberId, dotOnly, connection);
    if (!board.listeners.has(connection)) this.sendTo(connection, board, who.memberId);
    this.fanout.publish(
      boardId,
      TOPIC_VOTE,
      new Uint8Array(Buffer.from(JSON.stringify({ memberId: who.memberId, dotOnly }), 'utf8')),
    );
  }

  private sendTo(connection: WebSocket, board: BoardVotes, memberId: string, error?: string, skip = false): void {
    if (skip) return;
    send(
      connection,
      encodeVoteMessage({
        vote: board.open ? voteViewFor(board.open, memberId) : null,
        records: board.records,
        ...(error ? { error } : {}),
      }),
    );
  }

  /** The board's vote records, newest first (the report's and the board file's). */
  async recordsOf(boardId: string): Promise<VoteRecord[]> {
    const votes = await this.storage.listVotes(boardId);
    return votes.map(voteRecordOf).filter((r): r is VoteRecord => r !== null);
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

  private board(boardId: string): BoardVotes {
    let board = this.boards.get(boardId);
    if (!board) {
      const created: BoardVotes = {
        loaded: Promise.resolve(),
        open: null,
        records: [],
        listeners: new Map(),
        queue: Promise.resolve(),
      };
      created.loaded = this.storage.listVotes(boardId).then((votes) => {
        // The open vote, or a revealed one the facilitator has not ended yet; records are all revealed ones.
        created.open = votes.find((v) => v.ended !== true) ?? null;
        created.records = votes.map(voteRecordOf).filter((r): r is VoteRecord => r !== null);
      });
      board = created;
      this.boards.set(boardId, board);
    }
    return board;
  }
}
