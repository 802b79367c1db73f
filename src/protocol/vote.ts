/**
 * Dot voting (issue 15): room state the sync server holds and stores, not in
 * the Yjs document, so undo never touches a vote and nobody can read another
 * person's dots out of the board. Pure: shared by the server
 * (server/sync/vote.ts), which applies commands, and the client
 * (src/collab/connection.ts), which draws what it is sent.
 *
 * Type 104, "vote", on the board's websocket:
 *
 *   client → server  [104]              "send me the vote now and whenever it changes"
 *   client → server  [104, json]        json = VoteCommand (varString)
 *   server → client  [104, json]        json = VoteMessage (varString)
 *
 * The votes stay hidden until the reveal (no anchoring): while a vote is open
 * the server sends each connection only its own person's dots, the dots they
 * have left and how many people have voted — never anyone else's dots, not
 * even a total per card. Only after the facilitator reveals it does the
 * message carry the ranked result, which is then kept as a record on the board.
 * Starting, revealing and clearing are the facilitator's; placing dots is
 * everyone's who is on the board, viewers too (people in the room on their
 * phones come in by the view link). A refused or unreadable command is
 * answered to its sender only, with an `error` in plain words.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Role } from './index';

export const MESSAGE_VOTE = 104;

/** What a vote is on: a kind of card, in the method's words. */
export const VOTE_KINDS = ['waste', 'condition', 'failure', 'note'] as const;
export type VoteKind = (typeof VOTE_KINDS)[number];

export const VOTE_KIND_NAMES: Record<VoteKind, string> = {
  waste: 'waste steps',
  condition: 'system conditions',
  failure: 'failure demand types',
  note: 'notes',
};

export const VOTE_QUESTION_MAX_CHARS = 120;
export const VOTE_MAX_DOTS = 20;
const NAME_MAX_CHARS = 60;
/** Card ids are nanoids or template ids: short, plain characters. */
const CARD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** One card's place in a revealed vote. Cards with the same dots share a rank ("1, 1, 3"). */
export interface VoteResult {
  cardId: string;
  /** The card's words when the vote was revealed, so the record reads right after the card changes or goes. */
  label: string;
  dots: number;
  rank: number;
}

/** A revealed vote, kept with the board: "Vote: which system condition first? — 14 Nov". */
export interface VoteRecord {
  id: string;
  question: string;
  kind: VoteKind;
  dotsPerPerson: number;
  startedBy: string;
  startedAt: number;
  revealedAt: number;
  /** How many people placed at least one dot. */
  voters: number;
  results: VoteResult[];
}

/** The vote a connection may see now. */
export interface VoteView {
  id: string;
  question: string;
  kind: VoteKind;
  dotsPerPerson: number;
  startedBy: string;
  startedAt: number;
  status: 'open' | 'revealed';
  /** This person's own dots, by card id. */
  mine: Record<string, number>;
  /** The dots this person has left to place. */
  left: number;
  /** How many people have placed at least one dot (a count, never who or where). */
  voters: number;
  /** Only once revealed: every card with dots, ranked. */
  results?: VoteResult[];
}

export type VoteCommand =
  | { action: 'start'; question: string; kind: VoteKind; dots: number; by?: string }
  | { action: 'dot'; cardId: string }
  | { action: 'undot'; cardId: string }
  | { action: 'reveal' }
  /** Takes the revealed (or abandoned) vote off the board; a revealed vote's record stays. */
  | { action: 'clear' };

export interface VoteMessage {
  vote: VoteView | null;
  /** The board's revealed votes, newest first. */
  records: VoteRecord[];
  /** Only in the answer to a refused command, and only to its sender. */
  error?: string;
}

export const VOTE_WORDS = {
  notFacilitator: 'Only the facilitator can start, reveal or end a vote.',
  unreadable: 'That vote could not be read; nothing changed.',
  noQuestion: 'Say what the vote is about, for example "Which system condition first?".',
  kind: 'Choose what people vote on: waste steps, system conditions, failure demand types or notes.',
  dots: `Give each person from 1 to ${VOTE_MAX_DOTS} dots.`,
  alreadyOpen: 'A vote is already open: reveal or end it before starting another.',
  noVote: 'There is no vote open.',
  closed: 'This vote has closed: its result is shown, and no more dots can be placed.',
  noDotsLeft: (dots: number) => `You have placed all ${dots} of your dots. Take one back to move it.`,
  noDotHere: 'You have no dot on that card to take back.',
  notVotable: (kind: VoteKind) => `That card is not one of the ${VOTE_KIND_NAMES[kind]} this vote is on.`,
  cardGone: 'That card is no longer on the board.',
  notRevealed: 'Reveal the vote first, or end it.',
} as const;

/** The people's dots: member id → card id → dots. Only the server holds it. */
export type Ballots = Record<string, Record<string, number>>;

/** The vote as the server keeps (and stores) it. */
export interface VoteState {
  id: string;
  question: string;
  kind: VoteKind;
  dotsPerPerson: number;
  startedBy: string;
  startedAt: number;
  status: 'open' | 'revealed';
  ballots: Ballots;
  /** Set at the reveal. */
  revealedAt?: number;
  results?: VoteResult[];
  /** A revealed vote the facilitator took off the board: only its record remains. */
  ended?: boolean;
  /** Set at the reveal (and kept by an imported record, which has no ballots). */
  voters?: number;
}

/** The kind of vote a card can take from its kind and class (server and client alike); null: none. */
export function voteKindOfCard(kind: unknown, stepClass: unknown, demandClass: unknown): VoteKind | null {
  if (kind === 'condition') return 'condition';
  if (kind === 'note') return 'note';
  if (kind === 'step' && stepClass === 'waste') return 'waste';
  if (kind === 'demand' && demandClass === 'failure') return 'failure';
  return null;
}

export function isVoteKind(value: unknown): value is VoteKind {
  return typeof value === 'string' && (VOTE_KINDS as readonly string[]).includes(value);
}

/** Reads a command's JSON; an error in plain words when it is not one. */
export function parseVoteCommand(json: string): VoteCommand | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { error: VOTE_WORDS.unreadable };
  }
  if (typeof value !== 'object' || value === null) return { error: VOTE_WORDS.unreadable };
  const command = value as Record<string, unknown>;
  switch (command.action) {
    case 'start': {
      if (typeof command.question !== 'string' || command.question.trim() === '')
        return { error: VOTE_WORDS.noQuestion };
      if (!isVoteKind(command.kind)) return { error: VOTE_WORDS.kind };
      const dots = command.dots;
      if (typeof dots !== 'number' || !Number.isInteger(dots) || dots < 1 || dots > VOTE_MAX_DOTS)
        return { error: VOTE_WORDS.dots };
      const by = typeof command.by === 'string' && command.by.trim() !== '' ? command.by.trim() : undefined;
      return {
        action: 'start',
        question: command.question.replace(/\s+/g, ' ').trim().slice(0, VOTE_QUESTION_MAX_CHARS),
        kind: command.kind,
        dots,
        ...(by ? { by: by.slice(0, NAME_MAX_CHARS) } : {}),
      };
    }
    case 'dot':
    case 'undot':
      if (typeof command.cardId !== 'string' || !CARD_ID.test(command.cardId)) return { error: VOTE_WORDS.cardGone };
      return { action: command.action, cardId: command.cardId };
    case 'reveal':
    case 'clear':
      return { action: command.action };
    default:
      return { error: VOTE_WORDS.unreadable };
  }
}

/** The dots each card got, over everyone's ballots. */
export function tallyVotes(ballots: Ballots): Map<string, number> {
  const totals = new Map<string, number>();
  for (const ballot of Object.values(ballots))
    for (const [cardId, dots] of Object.entries(ballot))
      if (dots > 0) totals.set(cardId, (totals.get(cardId) ?? 0) + dots);
  return totals;
}

/**
 * The ranked list of a reveal: most dots first; cards with the same dots share
 * a rank (standard competition ranking, "1, 1, 3") and, within it, read in the
 * order of their labels so the list is the same on every screen and in the report.
 */
export function rankVotes(ballots: Ballots, labelOf: (cardId: string) => string): VoteResult[] {
  const rows = [...tallyVotes(ballots)].map(([cardId, dots]) => ({ cardId, dots, label: labelOf(cardId) }));
  rows.sort((a, b) => b.dots - a.dots || a.label.localeCompare(b.label) || a.cardId.localeCompare(b.cardId));
  let rank = 0;
  return rows.map((row, index) => {
    if (index === 0 || rows[index - 1].dots !== row.dots) rank = index + 1;
    return { ...row, rank };
  });
}

/** How many people placed at least one dot. */
export function countVoters(ballots: Ballots): number {
  return Object.values(ballots).filter((ballot) => Object.values(ballot).some((dots) => dots > 0)).length;
}

function dotsPlaced(ballot: Record<string, number> | undefined): number {
  return Object.values(ballot ?? {}).reduce((sum, dots) => sum + dots, 0);
}

/** What one person may see of the vote: their own dots, and the result only once it is revealed. */
export function voteViewFor(vote: VoteState, memberId: string): VoteView {
  const mine = { ...(vote.ballots[memberId] ?? {}) };
  return {
    id: vote.id,
    question: vote.question,
    kind: vote.kind,
    dotsPerPerson: vote.dotsPerPerson,
    startedBy: vote.startedBy,
    startedAt: vote.startedAt,
    status: vote.status,
    mine,
    left: Math.max(0, vote.dotsPerPerson - dotsPlaced(mine)),
    voters: countVoters(vote.ballots),
    ...(vote.status === 'revealed' && vote.results ? { results: vote.results } : {}),
  };
}

/** The record a revealed vote leaves on the board. */
export function voteRecordOf(vote: VoteState): VoteRecord | null {
  if (vote.status !== 'revealed' || !vote.results || vote.revealedAt === undefined) return null;
  return {
    id: vote.id,
    question: vote.question,
    kind: vote.kind,
    dotsPerPerson: vote.dotsPerPerson,
    startedBy: vote.startedBy,
    startedAt: vote.startedAt,
    revealedAt: vote.revealedAt,
    voters: vote.voters ?? countVoters(vote.ballots),
    results: vote.results,
  };
}

export interface VoteContext {
  role: Role;
  memberId: string;
  now: number;
  /** A new vote's id. */
  newId: () => string;
  /** The kind of vote the card can take (null: no card of any vote kind, or gone). */
  kindOf: (cardId: string) => VoteKind | null;
  /** The card's words, for the reveal's record. */
  labelOf: (cardId: string) => string;
}

/**
 * The vote after a command, or the words that refuse it (nothing changes).
 * `vote` null: none open. Returns `vote: null` when the vote was cleared.
 */
export function applyVoteCommand(
  vote: VoteState | null,
  command: VoteCommand,
  context: VoteContext,
): { vote: VoteState | null } | { error: string } {
  const facilitator = context.role === 'facilitator';
  switch (command.action) {
    case 'start':
      if (!facilitator) return { error: VOTE_WORDS.notFacilitator };
      if (vote && vote.status === 'open') return { error: VOTE_WORDS.alreadyOpen };
      return {
        vote: {
          id: context.newId(),
          question: command.question,
          kind: command.kind,
          dotsPerPerson: command.dots,
          startedBy: command.by ?? 'The facilitator',
          startedAt: context.now,
          status: 'open',
          ballots: {},
        },
      };
    case 'reveal':
      if (!facilitator) return { error: VOTE_WORDS.notFacilitator };
      if (!vote) return { error: VOTE_WORDS.noVote };
      if (vote.status !== 'open') return { error: VOTE_WORDS.closed };
      return {
        vote: {
          ...vote,
          status: 'revealed',
          revealedAt: context.now,
          results: rankVotes(vote.ballots, context.labelOf),
          voters: countVoters(vote.ballots),
        },
      };
    case 'clear':
      if (!facilitator) return { error: VOTE_WORDS.notFacilitator };
      if (!vote) return { error: VOTE_WORDS.noVote };
      return { vote: null };
    case 'dot':
    case 'undot': {
      if (!vote) return { error: VOTE_WORDS.noVote };
      if (vote.status !== 'open') return { error: VOTE_WORDS.closed };
      const ballot = { ...(vote.ballots[context.memberId] ?? {}) };
      const here = ballot[command.cardId] ?? 0;
      if (command.action === 'undot') {
        if (here === 0) return { error: VOTE_WORDS.noDotHere };
        if (here === 1) delete ballot[command.cardId];
        else ballot[command.cardId] = here - 1;
      } else {
        const kind = context.kindOf(command.cardId);
        if (kind === null) return { error: VOTE_WORDS.cardGone };
        if (kind !== vote.kind) return { error: VOTE_WORDS.notVotable(vote.kind) };
        if (dotsPlaced(ballot) >= vote.dotsPerPerson) return { error: VOTE_WORDS.noDotsLeft(vote.dotsPerPerson) };
        ballot[command.cardId] = here + 1;
      }
      return { vote: { ...vote, ballots: { ...vote.ballots, [context.memberId]: ballot } } };
    }
  }
}

/** "Vote: which system condition first? — 14 Nov", the record's one-line name. */
export function voteRecordTitle(record: Pick<VoteRecord, 'question' | 'revealedAt'>): string {
  const date = new Date(record.revealedAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  return `Vote: ${record.question} — ${date}`;
}

export function encodeVoteRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_VOTE);
  return encoding.toUint8Array(encoder);
}

export function encodeVoteCommand(command: VoteCommand): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_VOTE);
  encoding.writeVarString(encoder, JSON.stringify(command));
  return encoding.toUint8Array(encoder);
}

export function encodeVoteMessage(message: VoteMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_VOTE);
  encoding.writeVarString(encoder, JSON.stringify(message));
  return encoding.toUint8Array(encoder);
}

/** Reads the rest of a server vote message after its type; null when it is not a VoteMessage. */
export function readVoteMessage(decoder: decoding.Decoder): VoteMessage | null {
  try {
    const value = JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown>;
    if (!Array.isArray(value.records)) return null;
    const vote = value.vote as VoteView | null;
    if (vote !== null && (typeof vote !== 'object' || typeof vote.id !== 'string' || !isVoteKind(vote.kind)))
      return null;
    return {
      vote,
      records: value.records as VoteRecord[],
      ...(typeof value.error === 'string' ? { error: value.error } : {}),
    };
  } catch {
    return null;
  }
}
