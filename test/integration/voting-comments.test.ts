/**
 * Dot voting (message 104) and comments (message 105) on the real server
 * (issue 15). Raw sockets, so the test sees exactly what each person's client
 * receives: before the reveal nobody gets anyone else's dots; refused
 * commands reach neither storage nor anyone else; comments survive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { addCondition, addNote, deleteElements } from '../../src/model';
import {
  COMMENT_WORDS,
  MESSAGE_COMMENTS,
  MESSAGE_VOTE,
  VOTE_WORDS,
  encodeCommentCommand,
  encodeCommentsRequest,
  encodeVoteCommand,
  encodeVoteRequest,
  readCommentsMessage,
  readVoteMessage,
  type CommentCommand,
  type CommentsMessage,
  type VoteCommand,
  type VoteMessage,
} from '../../src/protocol';
import { connectClient, rawSocket, synced } from '../helpers/clients';
import { api, makeDataDir, newKey, startServer, waitFor, type ServerProcess } from '../helpers/server';

let s: ServerProcess;
const sockets: WebSocket[] = [];

interface Person {
  ws: WebSocket;
  votes: VoteMessage[];
  comments: CommentsMessage[];
  /** Every raw frame received, to prove what never arrived. */
  frames: Uint8Array[];
  vote(command: VoteCommand): Promise<VoteMessage>;
  comment(command: CommentCommand): Promise<CommentsMessage>;
}

async function join(server: ServerProcess, key: string, link: string): Promise<void> {
  const response = await api(`${server.url}/api/join`, {
    key,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ link }),
  });
  expect(response.status).toBe(200);
}

async function arrive(server: ServerProcess, boardId: string, key: string): Promise<Person> {
  const { ws } = await rawSocket(server.wsUrl, boardId, key);
  sockets.push(ws);
  const votes: VoteMessage[] = [];
  const comments: CommentsMessage[] = [];
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => {
    const bytes = new Uint8Array(data);
    frames.push(bytes);
    const decoder = decoding.createDecoder(bytes);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_VOTE) {
      const message = readVoteMessage(decoder);
      if (message) votes.push(message);
    } else if (type === MESSAGE_COMMENTS) {
      const message = readCommentsMessage(decoder);
      if (message) comments.push(message);
    }
  });
  ws.send(encodeVoteRequest());
  ws.send(encodeCommentsRequest());
  await waitFor(() => votes.length > 0 && comments.length > 0, 10_000, 'the vote and comments on connecting');
  return {
    ws,
    votes,
    comments,
    frames,
    async vote(command) {
      const count = votes.length;
      ws.send(encodeVoteCommand(command));
      await waitFor(() => votes.length > count, 10_000, 'a vote answer');
      return votes[count];
    },
    async comment(command) {
      const count = comments.length;
      ws.send(encodeCommentCommand(command));
      await waitFor(() => comments.length > count, 10_000, 'a comments answer');
      return comments[count];
    },
  };
}

async function makeBoard(server: ServerProcess) {
  const response = await api(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Workshop board' }),
  });
  const created = (await response.json()) as { id: string; links: { edit: string; view: string } };
  const client = connectClient(server.wsUrl, created.id);
  await synced(client);
  const a = addCondition(client.doc, {
    position: { x: 0, y: 0 },
    label: 'Targets on call time',
    conditionType: 'target',
  });
  const b = addCondition(client.doc, { position: { x: 0, y: 200 }, label: 'IT system', conditionType: 'it' });
  const c = addCondition(client.doc, {
    position: { x: 0, y: 400 },
    label: 'Specialist teams',
    conditionType: 'specialisation',
  });
  const note = addNote(client.doc, { position: { x: 400, y: 0 }, text: 'Ask the callers' });
  expect(await client.saved()).toBe(true);
  return { id: created.id, links: created.links, client, cards: { a, b, c, note } };
}

beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  for (const ws of sockets) ws.close();
  await s?.stop();
});

describe('dot voting', () => {
  it('keeps the votes hidden from everyone until the facilitator reveals them, then ranks them', async () => {
    const board = await makeBoard(s);
    const editorKey = await newKey(s);
    await join(s, editorKey, board.links.edit);
    const viewerKey = await newKey(s);
    await join(s, viewerKey, board.links.view);
    const facilitator = await arrive(s, board.id, s.key);
    const editor = await arrive(s, board.id, editorKey);
    const viewer = await arrive(s, board.id, viewerKey);

    const started = await facilitator.vote({
      action: 'start',
      question: 'Which system condition first?',
      kind: 'condition',
      dots: 3,
      by: 'Sam',
    });
    expect(started.error).toBeUndefined();
    expect(started.vote).toMatchObject({ status: 'open', dotsPerPerson: 3, left: 3, voters: 0, mine: {} });
    await waitFor(() => editor.votes.at(-1)?.vote?.status === 'open', 10_000, 'the editor to see the vote');
    await waitFor(() => viewer.votes.at(-1)?.vote?.status === 'open', 10_000, 'the viewer to see the vote');

    const { a, b, c } = board.cards;
    const editorFramesBefore = editor.frames.length;
    const viewerFramesBefore = viewer.frames.length;
    await facilitator.vote({ action: 'dot', cardId: a });
    await facilitator.vote({ action: 'dot', cardId: a });
    const mine = await facilitator.vote({ action: 'dot', cardId: b });
    expect(mine.vote).toMatchObject({ mine: { [a]: 2, [b]: 1 }, left: 0 });
    expect(mine.vote!.results).toBeUndefined();

    // The viewer votes too (people in the room come in by the view link).
    const viewerVote = await viewer.vote({ action: 'dot', cardId: c });
    expect(viewerVote.vote).toMatchObject({ mine: { [c]: 1 }, left: 2, voters: 2 });
    expect(JSON.stringify(viewer.votes)).not.toContain(a);
    const editorVote = await editor.vote({ action: 'dot', cardId: c });
    expect(editorVote.vote).toMatchObject({ mine: { [c]: 1 }, voters: 3 });

    // Nothing of anyone else's dots reached the editor or the viewer: no card id of theirs, no totals.
    const editorSaw = editor.votes.map((m) => m.vote);
    for (const view of editorSaw) {
      expect(Object.keys(view?.mine ?? {}).every((id) => id === c)).toBe(true);
      expect(view?.results).toBeUndefined();
    }
    const decoder = new TextDecoder();
    for (const frame of [...editor.frames.slice(editorFramesBefore), ...viewer.frames.slice(viewerFramesBefore)]) {
      const text = decoder.decode(frame);
      if (frame[0] === MESSAGE_VOTE) expect(text).not.toContain(a);
      if (frame[0] === MESSAGE_VOTE) expect(text).not.toContain(b);
    }

    // More dots than the budget, and a card of another kind: refused, to the sender only, nothing changed.
    const over = await facilitator.vote({ action: 'dot', cardId: c });
    expect(over.error).toBe(VOTE_WORDS.noDotsLeft(3));
    expect(over.vote!.mine).toEqual({ [a]: 2, [b]: 1 });
    const wrongKind = await editor.vote({ action: 'dot', cardId: board.cards.note });
    expect(wrongKind.error).toBe(VOTE_WORDS.notVotable('condition'));

    // Only the facilitator reveals.
    for (const refused of [editor, viewer]) {
      const answer = await refused.vote({ action: 'reveal' });
      expect(answer.error).toBe(VOTE_WORDS.notFacilitator);
      expect(answer.vote!.status).toBe('open');
      const start = await refused.vote({ action: 'start', question: 'Mine?', kind: 'note', dots: 1 });
      expect(start.error).toBe(VOTE_WORDS.notFacilitator);
    }

    const viewerHears = viewer.votes.length;
    const revealed = await facilitator.vote({ action: 'reveal' });
    expect(revealed.error).toBeUndefined();
    expect(revealed.vote!.status).toBe('revealed');
    expect(revealed.vote!.results).toEqual([
      // A tie shares its rank and reads in label order, the same on every screen.
      { cardId: c, label: 'Specialist teams', dots: 2, rank: 1 },
      { cardId: a, label: 'Targets on call time', dots: 2, rank: 1 },
      { cardId: b, label: 'IT system', dots: 1, rank: 3 },
    ]);
    await waitFor(() => viewer.votes.length > viewerHears, 10_000, 'the viewer to see the reveal');
    expect(viewer.votes.at(-1)!.vote!.results).toEqual(revealed.vote!.results);
    expect(viewer.votes.at(-1)!.records[0]).toMatchObject({ question: 'Which system condition first?', voters: 3 });

    // A dot after the vote closed: refused in plain words, the result unchanged.
    const late = await editor.vote({ action: 'dot', cardId: b });
    expect(late.error).toBe(VOTE_WORDS.closed);
    expect(late.vote!.results).toEqual(revealed.vote!.results);

    // Ending it takes it off the board; the record stays.
    const ended = await facilitator.vote({ action: 'clear' });
    expect(ended.vote).toBeNull();
    expect(ended.records).toHaveLength(1);
    board.client.destroy();
  });

  it('refuses unreadable and out-of-range votes with plain words', async () => {
    const board = await makeBoard(s);
    const facilitator = await arrive(s, board.id, s.key);
    expect((await facilitator.vote({ action: 'dot', cardId: board.cards.a })).error).toBe(VOTE_WORDS.noVote);
    const noDots = await facilitator.vote({ action: 'start', question: 'Q', kind: 'condition', dots: 0 });
    expect(noDots.error).toBe(VOTE_WORDS.dots);
    const noQuestion = await facilitator.vote({ action: 'start', question: ' ', kind: 'condition', dots: 2 });
    expect(noQuestion.error).toBe(VOTE_WORDS.noQuestion);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_VOTE);
    encoding.writeVarString(encoder, '{not json');
    const count = facilitator.votes.length;
    facilitator.ws.send(encoding.toUint8Array(encoder));
    await waitFor(() => facilitator.votes.length > count, 10_000, 'the answer to an unreadable vote');
    expect(facilitator.votes[count]).toMatchObject({ vote: null, error: VOTE_WORDS.unreadable });
    board.client.destroy();
  });
});

describe('comments', () => {
  it('threads with replies and resolve; viewers only when allowed; bad input changes nothing; kept across a restart', async () => {
    const dataDir = makeDataDir();
    const first = await startServer({ dataDir });
    const board = await makeBoard(first);
    const viewerKey = await newKey(first);
    await join(first, viewerKey, board.links.view);
    const facilitator = await arrive(first, board.id, first.key);
    const viewer = await arrive(first, board.id, viewerKey);

    const added = await facilitator.comment({ action: 'add', cardId: board.cards.a, text: 'Who sets this target?' });
    expect(added.error).toBeUndefined();
    expect(added.comments).toHaveLength(1);
    const thread = added.comments[0];
    expect(thread).toMatchObject({ cardId: board.cards.a, threadId: null, resolvedAt: null, orphaned: false });
    await waitFor(() => viewer.comments.at(-1)?.comments.length === 1, 10_000, 'the viewer to see the comment');

    // A viewer may not comment until the facilitator allows it: refused, nothing stored, nobody else told.
    const facilitatorHeard = facilitator.comments.length;
    const refused = await viewer.comment({ action: 'add', cardId: board.cards.a, text: 'Me too' });
    expect(refused.error).toBe(COMMENT_WORDS.viewersNotAllowed);
    expect(refused.comments).toHaveLength(1);
    expect((await viewer.comment({ action: 'resolve', threadId: thread.id })).error).toBe(
      COMMENT_WORDS.viewersNotAllowed,
    );
    expect((await viewer.comment({ action: 'viewers', allow: true })).error).toBe(COMMENT_WORDS.notFacilitator);
    expect(facilitator.comments.length).toBe(facilitatorHeard);

    // Empty and over-long comments.
    expect((await facilitator.comment({ action: 'add', cardId: board.cards.a, text: '   ' })).error).toBe(
      COMMENT_WORDS.empty,
    );
    const long = await facilitator.comment({ action: 'add', cardId: board.cards.a, text: 'x'.repeat(2001) });
    expect(long.error).toBe(COMMENT_WORDS.tooLong(2001));
    expect(long.comments).toHaveLength(1);

    const allowed = await facilitator.comment({ action: 'viewers', allow: true });
    expect(allowed.viewersMayComment).toBe(true);
    const reply = await viewer.comment({
      action: 'add',
      cardId: board.cards.a,
      text: 'The contact centre manager',
      threadId: thread.id,
    });
    expect(reply.error).toBeUndefined();
    expect(reply.comments.find((c) => c.threadId === thread.id)).toMatchObject({ text: 'The contact centre manager' });
    const resolved = await facilitator.comment({ action: 'resolve', threadId: thread.id });
    expect(resolved.comments.find((c) => c.id === thread.id)!.resolvedAt).not.toBeNull();

    // A comment on a card that has been deleted is kept as orphaned, with a notice to its writer.
    deleteElements(board.client.doc, { nodeIds: [board.cards.b] });
    expect(await board.client.saved()).toBe(true);
    const orphan = await facilitator.comment({ action: 'add', cardId: board.cards.b, text: 'Was this the IT one?' });
    expect(orphan.notice).toBe(COMMENT_WORDS.orphaned);
    expect(orphan.comments.find((c) => c.cardId === board.cards.b)).toMatchObject({ orphaned: true });

    const before = orphan.comments;
    board.client.destroy();
    facilitator.ws.close();
    viewer.ws.close();
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await startServer({ dataDir });
    try {
      const again = await arrive(second, board.id, second.key);
      expect(again.comments[0].comments).toEqual(before);
      expect(again.comments[0].viewersMayComment).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('the board file carries the revealed votes and the comments, and importing it brings them back', async () => {
    const board = await makeBoard(s);
    const facilitator = await arrive(s, board.id, s.key);
    await facilitator.vote({ action: 'start', question: 'Which first?', kind: 'condition', dots: 2 });
    await facilitator.vote({ action: 'dot', cardId: board.cards.a });
    await facilitator.vote({ action: 'reveal' });
    const thread = (await facilitator.comment({ action: 'add', cardId: board.cards.a, text: 'Why?' })).comments[0];
    await facilitator.comment({ action: 'add', cardId: board.cards.a, text: 'Because.', threadId: thread.id });

    const exported = await api(`${s.url}/api/boards/${board.id}/export?format=json`);
    expect(exported.status).toBe(200);
    const file = (await exported.json()) as {
      votes: Array<Record<string, unknown>>;
      comments: Array<Record<string, unknown>>;
    };
    expect(file.votes).toHaveLength(1);
    expect(file.votes[0]).toMatchObject({ question: 'Which first?', voters: 1 });
    expect(file.comments.map((c) => c.text)).toEqual(['Why?', 'Because.']);
    expect(JSON.stringify(file)).not.toContain('authorId');
    const pdf = await api(`${s.url}/api/boards/${board.id}/export?format=pdf`);
    expect(pdf.status).toBe(200);

    const imported = await api(`${s.url}/api/boards/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(file),
    });
    expect(imported.status).toBe(201);
    const copy = (await imported.json()) as { id: string };
    const there = await arrive(s, copy.id, s.key);
    expect(there.votes[0].vote).toBeNull();
    expect(there.votes[0].records[0]).toMatchObject({ question: 'Which first?', voters: 1 });
    const comments = there.comments[0].comments;
    expect(comments.map((c) => c.text)).toEqual(['Why?', 'Because.']);
    expect(comments[1].threadId).toBe(comments[0].id);

    // A reply to a thread the file does not hold: refused, no board made.
    const broken = { ...file, comments: [{ ...file.comments[1], threadId: 'nope' }] };
    const refused = await api(`${s.url}/api/boards/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(broken),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toContain('Comment 1 is a reply to a thread');
    board.client.destroy();
  });
});
