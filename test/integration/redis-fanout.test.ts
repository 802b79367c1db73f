/**
 * Several instances on Redis (issue 13): three real server processes on one
 * storage and one real redis-server, with clients spread across them —
 * through a load balancer with no sticky sessions where instances die.
 * Changes, presence and room state cross instances; a Redis restart heals;
 * an instance killed with SIGKILL loses nothing that was reported saved.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { addCondition, addStep, readBoard } from '../../src/model';
import {
  CLOSE_FORBIDDEN,
  MESSAGE_COMMENTS,
  MESSAGE_TIMER,
  MESSAGE_VOTE,
  TIMER_WORDS,
  VOTE_WORDS,
  encodeCommentCommand,
  encodeCommentsRequest,
  encodeTimerCommand,
  encodeTimerRequest,
  encodeVoteCommand,
  encodeVoteRequest,
  readCommentsMessage,
  readTimerMessage,
  readVoteMessage,
  type CommentsMessage,
  type TimerMessage,
  type VoteMessage,
} from '../../src/protocol';
import { startBalancer, type Balancer } from '../helpers/balancer';
import { connectClient, rawSocket, synced, type TestClient } from '../helpers/clients';
import { runConvergence } from '../helpers/convergence';
import {
  api,
  createBoard,
  health,
  makeDataDir,
  newKey,
  startServer,
  waitFor,
  type ServerProcess,
} from '../helpers/server';
import { Redis } from 'ioredis';
import { encodeFanoutMessage } from '../../server/sync/fanout';
import { freePort, redisAvailable, startRedis, type ServiceProcess } from '../helpers/services';

const haveRedis = redisAvailable();

interface RedisHealth {
  mode: string;
  connected: boolean;
  state: string;
  reconnects: number;
  heal: { heals: number; fromStorage: number };
}

async function redisHealth(s: ServerProcess): Promise<RedisHealth> {
  return (await health(s)).redis as RedisHealth;
}

const stepLabels = (doc: Y.Doc) =>
  readBoard(doc)
    .nodes.map((n) => ('label' in n ? n.label : ''))
    .filter(Boolean)
    .sort();

/** Three instances on one storage and one Redis (one data directory: the same SQLite file and link secret). */
async function startCluster(redis: ServiceProcess, count = 3): Promise<ServerProcess[]> {
  const dataDir = makeDataDir();
  const env = { REDIS_URL: redis.url, REDIS_HEAL_INTERVAL_MS: '1000' };
  // The first creates the schema; the others then start together.
  const first = await startServer({ dataDir, env });
  const rest = await Promise.all(Array.from({ length: count - 1 }, () => startServer({ dataDir, env })));
  return [first, ...rest];
}

let clients: TestClient[] = [];
function client(wsUrl: string, boardId: string, key?: string): TestClient {
  const c = connectClient(wsUrl, boardId, key === undefined ? {} : { key });
  clients.push(c);
  return c;
}
let sockets: WebSocket[] = [];
afterEach(() => {
  for (const c of clients) c.destroy();
  clients = [];
  for (const ws of sockets) ws.close();
  sockets = [];
});

/** Someone on a board through a raw socket, hearing timer, vote and comment messages as the app asks for them. */
interface Listener {
  ws: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
  timers: TimerMessage[];
  votes: VoteMessage[];
  comments: CommentsMessage[];
}

async function listen(server: ServerProcess, boardId: string, key: string): Promise<Listener> {
  const { ws, closed } = await rawSocket(server.wsUrl, boardId, key);
  sockets.push(ws);
  const heard: Listener = { ws, closed, timers: [], votes: [], comments: [] };
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_TIMER) {
      const message = readTimerMessage(decoder);
      if (message) heard.timers.push(message);
    } else if (type === MESSAGE_VOTE) {
      const message = readVoteMessage(decoder);
      if (message) heard.votes.push(message);
    } else if (type === MESSAGE_COMMENTS) {
      const message = readCommentsMessage(decoder);
      if (message) heard.comments.push(message);
    }
  });
  ws.send(encodeTimerRequest());
  ws.send(encodeVoteRequest());
  ws.send(encodeCommentsRequest());
  await waitFor(
    () => heard.timers.length > 0 && heard.votes.length > 0 && heard.comments.length > 0,
    10_000,
    'the timer, the vote and the comments on arriving',
  );
  return heard;
}

/** A new participant who joined the board through its edit link; their key. */
async function editorOf(server: ServerProcess, editLink: string): Promise<string> {
  const key = await newKey(server);
  const response = await api(`${server.url}/api/join`, {
    key,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ link: editLink }),
  });
  expect(response.status).toBe(200);
  return key;
}

async function boardWithLinks(server: ServerProcess, title: string) {
  const response = await api(`${server.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; links: { edit: string; view: string } };
}

describe.skipIf(!haveRedis)('three instances on Redis', () => {
  let redis: ServiceProcess;
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    servers = await startCluster(redis);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await redis?.stop();
  });

  it('shows the Redis link in /healthz, and a change on one instance reaches clients on the others', async () => {
    for (const s of servers) {
      const links = await redisHealth(s);
      expect(links).toMatchObject({ mode: 'redis', connected: true, state: 'ready' });
      expect((await health(s)).status).toBe('ok');
    }
    const boardId = await createBoard(servers[0], 'Across instances');
    const [a, b, c] = servers.map((s) => client(s.wsUrl, boardId));
    for (const x of [a, b, c]) await synced(x);
    addStep(a.doc, { position: { x: 0, y: 0 }, label: 'from instance one' });
    addStep(c.doc, { position: { x: 0, y: 100 }, label: 'from instance three' });
    const both = ['from instance one', 'from instance three'];
    for (const x of [a, b, c])
      await waitFor(
        () => stepLabels(x.doc).join() === both.join(),
        10_000,
        () => `every copy: ${stepLabels(x.doc)}`,
      );
    expect(await a.saved()).toBe(true);
    expect(await c.saved()).toBe(true);
    // A client's first sync on any instance holds everything saved anywhere.
    const late = client(servers[1].wsUrl, boardId);
    await synced(late);
    expect(stepLabels(late.doc)).toEqual(both);
  });

  it('a board opened on one instance after changes on another starts from everything saved', async () => {
    const boardId = await createBoard(servers[0], 'Opened later');
    const a = client(servers[0].wsUrl, boardId);
    await synced(a);
    for (let i = 0; i < 5; i++) addStep(a.doc, { position: { x: i * 10, y: 0 }, label: `step ${i}` });
    expect(await a.saved()).toBe(true);
    const b = client(servers[2].wsUrl, boardId);
    await synced(b);
    expect(stepLabels(b.doc)).toEqual(stepLabels(a.doc));
    // And the other way at once: b's change reaches a through Redis.
    addStep(b.doc, { position: { x: 0, y: 50 }, label: 'back again' });
    await waitFor(() => stepLabels(a.doc).includes('back again'), 10_000, 'the change from instance three');
  });

  it('awareness (cursors, presence) crosses instances, for a late joiner too, and leaving is seen', async () => {
    const boardId = await createBoard(servers[0], 'Presence');
    const ann = client(servers[0].wsUrl, boardId);
    const bob = client(servers[1].wsUrl, boardId);
    await Promise.all([synced(ann), synced(bob)]);
    ann.provider.awareness.setLocalState({ user: { name: 'Ann' }, cursor: { x: 10, y: 20 } });
    bob.provider.awareness.setLocalState({ user: { name: 'Bob' }, cursor: { x: 5, y: 5 } });
    const names = (c: TestClient) =>
      [...c.provider.awareness.getStates().values()]
        .map((s) => (s as { user?: { name?: string } }).user?.name)
        .filter(Boolean)
        .sort();
    await waitFor(
      () => names(bob).join() === 'Ann,Bob',
      10_000,
      () => `Bob to see Ann: ${names(bob)}`,
    );
    await waitFor(
      () => names(ann).join() === 'Ann,Bob',
      10_000,
      () => `Ann to see Bob: ${names(ann)}`,
    );
    // A cursor move crosses.
    ann.provider.awareness.setLocalStateField('cursor', { x: 300, y: 400 });
    const annSeenByBob = () =>
      [...bob.provider.awareness.getStates().values()].find(
        (s) => (s as { user?: { name?: string } }).user?.name === 'Ann',
      ) as { cursor?: { x: number } } | undefined;
    await waitFor(() => annSeenByBob()?.cursor?.x === 300, 10_000, 'Ann’s cursor move on instance two');
    // Someone arriving on the third instance (where the board was not open) sees both at once.
    const cat = client(servers[2].wsUrl, boardId);
    await synced(cat);
    await waitFor(
      () => names(cat).join() === 'Ann,Bob',
      10_000,
      () => `the late joiner to see both: ${names(cat)}`,
    );
    // Ann leaves: the others, on other instances, see her go.
    ann.destroy();
    await waitFor(
      () => names(bob).join() === 'Bob',
      10_000,
      () => `Ann gone for Bob: ${names(bob)}`,
    );
    await waitFor(
      () => names(cat).join() === 'Bob',
      10_000,
      () => `Ann gone for Cat: ${names(cat)}`,
    );
  });

  it('ignores junk on a board’s Redis channel: the board and everyone on it carry on', async () => {
    const boardId = await createBoard(servers[0], 'Junk on the channel');
    const a = client(servers[0].wsUrl, boardId);
    const b = client(servers[1].wsUrl, boardId);
    await Promise.all([synced(a), synced(b)]);
    addStep(a.doc, { position: { x: 0, y: 0 }, label: 'before the junk' });
    await waitFor(() => stepLabels(b.doc).includes('before the junk'), 10_000, 'the first change');
    const before = Buffer.from(Y.encodeStateAsUpdate(b.doc)).toString('base64');
    const intruder = new Redis(redis.url);
    try {
      const channel = `purposeboard:board:${boardId}`;
      // Not a fan-out message at all; a garbled update; garbled presence; a topic nobody knows; a timer that is not one.
      await intruder.publish(channel, Buffer.from([0xff, 0xff, 0xff]));
      for (const topic of ['doc', 'awareness', 'no-such-topic', 'timer', 'vote'])
        await intruder.publish(
          channel,
          Buffer.from(encodeFanoutMessage('intruder', topic, new Uint8Array([9, 9, 9, 9]))),
        );
    } finally {
      intruder.disconnect();
    }
    // Fan-out still works both ways afterwards, and nothing of the junk reached a client.
    addStep(b.doc, { position: { x: 0, y: 100 }, label: 'after the junk' });
    await waitFor(() => stepLabels(a.doc).includes('after the junk'), 10_000, 'a change after the junk');
    expect(Buffer.from(Y.encodeStateAsUpdate(b.doc)).toString('base64')).not.toBe(before);
    expect(stepLabels(b.doc)).toEqual(['after the junk', 'before the junk']);
    expect(await b.saved()).toBe(true);
    expect(servers[1].output()).toContain('a "doc" message from another instance failed');
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
  });

  it('the timer crosses instances: set on one, heard on the others and by a late joiner; a refusal stays with its sender', async () => {
    const board = await boardWithLinks(servers[0], 'Timer');
    const editorKey = await editorOf(servers[1], board.links.edit);
    const facilitator = await listen(servers[0], board.id, servers[0].key);
    const editor = await listen(servers[1], board.id, editorKey);
    expect(editor.timers.at(-1)!.timer).toBeNull();

    facilitator.ws.send(encodeTimerCommand({ action: 'start', label: 'Listening to demand', minutes: 10, by: 'Sam' }));
    await waitFor(
      () => editor.timers.at(-1)?.timer?.label === 'Listening to demand',
      10_000,
      'the editor on instance two to hear the timer',
    );
    const started = editor.timers.at(-1)!;
    const remaining = started.timer!.endsAt - started.now;
    expect(remaining).toBeGreaterThan(9 * 60_000);
    expect(remaining).toBeLessThanOrEqual(10 * 60_000);

    // A late joiner on the third instance gets the same timer at once.
    const late = await listen(servers[2], board.id, editorKey);
    expect(late.timers[0].timer).toMatchObject({ label: 'Listening to demand', setBy: 'Sam', pausedRemainingMs: null });
    expect(late.timers[0].timer!.endsAt).toBe(started.timer!.endsAt);

    // The editor may not stop it: told so, and nobody else hears anything.
    const facilitatorHeard = facilitator.timers.length;
    const lateHeard = late.timers.length;
    editor.ws.send(encodeTimerCommand({ action: 'stop' }));
    await waitFor(() => editor.timers.at(-1)?.error === TIMER_WORDS.notFacilitator, 10_000, 'the refusal');
    // The facilitator pauses from instance one: that is the next thing everyone else hears.
    facilitator.ws.send(encodeTimerCommand({ action: 'pause' }));
    await waitFor(() => late.timers.length > lateHeard, 10_000, 'the pause on instance three');
    expect(late.timers[lateHeard].timer!.pausedRemainingMs).toBeGreaterThan(0);
    expect(late.timers[lateHeard].error).toBeUndefined();
    await waitFor(() => facilitator.timers.length > facilitatorHeard, 10_000, 'the pause on instance one');
    expect(facilitator.timers.slice(facilitatorHeard).every((m) => m.error === undefined)).toBe(true);
    expect(facilitator.timers.at(-1)!.timer!.pausedRemainingMs).not.toBeNull();

    // Stopped on instance three (the facilitator there): gone everywhere.
    const facilitatorThere = await listen(servers[2], board.id, servers[0].key);
    facilitatorThere.ws.send(encodeTimerCommand({ action: 'stop' }));
    for (const who of [facilitator, editor, late])
      await waitFor(() => who.timers.at(-1)?.timer === null, 10_000, 'the stop to reach everyone');
  });

  it('a dot vote crosses instances: seen open everywhere, one budget across instances, revealed everywhere', async () => {
    const board = await boardWithLinks(servers[0], 'Vote');
    const maker = client(servers[0].wsUrl, board.id);
    await synced(maker);
    const cards = ['Targets', 'IT system', 'Specialists'].map((label, i) =>
      addCondition(maker.doc, { position: { x: 0, y: i * 200 }, label, conditionType: 'other' }),
    );
    expect(await maker.saved()).toBe(true);
    const editorKey = await editorOf(servers[0], board.links.edit);
    const facilitator = await listen(servers[0], board.id, servers[0].key);
    // The same editor on two instances at once (a laptop and a phone, through the balancer).
    const onTwo = await listen(servers[1], board.id, editorKey);
    const onThree = await listen(servers[2], board.id, editorKey);

    facilitator.ws.send(encodeVoteCommand({ action: 'start', question: 'Which first?', kind: 'condition', dots: 2 }));
    for (const who of [onTwo, onThree])
      await waitFor(() => who.votes.at(-1)?.vote?.status === 'open', 10_000, 'the open vote on the other instances');

    // Six dots sent to two instances at once against a budget of two: exactly two are placed.
    const before = [onTwo.votes.length, onThree.votes.length];
    for (let i = 0; i < 3; i++) {
      onTwo.ws.send(encodeVoteCommand({ action: 'dot', cardId: cards[i] }));
      onThree.ws.send(encodeVoteCommand({ action: 'dot', cardId: cards[(i + 1) % 3] }));
    }
    const refusals = () =>
      [...onTwo.votes.slice(before[0]), ...onThree.votes.slice(before[1])].filter(
        (m) => m.error === VOTE_WORDS.noDotsLeft(2),
      ).length;
    const dots = (who: Listener) => Object.values(who.votes.at(-1)!.vote!.mine).reduce((a, b) => a + b, 0);
    await waitFor(
      () => refusals() >= 4 && dots(onTwo) === 2 && dots(onThree) === 2,
      15_000,
      () => `four refusals and two dots on both connections (${refusals()}, ${dots(onTwo)}, ${dots(onThree)})`,
    );
    expect(refusals()).toBe(4);
    expect(onThree.votes.at(-1)!.vote!.mine).toEqual(onTwo.votes.at(-1)!.vote!.mine);
    // The facilitator, on another instance, was told nothing of the editor's dots (as on one instance).
    expect(facilitator.votes.every((m) => Object.keys(m.vote?.mine ?? {}).length === 0)).toBe(true);

    facilitator.ws.send(encodeVoteCommand({ action: 'reveal' }));
    for (const who of [facilitator, onTwo, onThree])
      await waitFor(() => who.votes.at(-1)?.vote?.status === 'revealed', 10_000, 'the reveal on the other instances');
    const results = onThree.votes.at(-1)!.vote!.results!;
    expect(results.reduce((sum, r) => sum + r.dots, 0)).toBe(2);
  });

  it('comments and access changes cross instances: a comment is seen, a removed member is closed', async () => {
    const board = await boardWithLinks(servers[0], 'Comments and access');
    const maker = client(servers[0].wsUrl, board.id);
    await synced(maker);
    const card = addCondition(maker.doc, { position: { x: 0, y: 0 }, label: 'Targets', conditionType: 'target' });
    expect(await maker.saved()).toBe(true);
    const editorKey = await editorOf(servers[0], board.links.edit);
    const facilitator = await listen(servers[0], board.id, servers[0].key);
    const editor = await listen(servers[2], board.id, editorKey);

    facilitator.ws.send(encodeCommentCommand({ action: 'add', cardId: card, text: 'Where do targets come from?' }));
    await waitFor(
      () => editor.comments.at(-1)?.comments.some((c) => c.text === 'Where do targets come from?') === true,
      10_000,
      'the comment on instance three',
    );

    // The facilitator removes the editor through instance one's API: their socket on instance three closes.
    const members = (await (await api(`${servers[0].url}/api/boards/${board.id}/members`)).json()) as Array<{
      memberId: string;
      role: string;
    }>;
    const editorMember = members.find((m) => m.role === 'editor')!;
    const removed = await api(`${servers[0].url}/api/boards/${board.id}/members/${editorMember.memberId}`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(204);
    expect(await editor.closed).toEqual({ code: CLOSE_FORBIDDEN, reason: 'removed' });
  });

  it.each([1, 2, 3])(
    'seed %i: six clients spread over three instances converge, with the stored board',
    async (seed) => {
      const boardId = await createBoard(servers[0], `Convergence ${seed}`);
      const result = await runConvergence({
        wsUrl: servers[0].wsUrl,
        httpUrl: servers[0].url,
        wsUrls: servers.map((s) => s.wsUrl),
        boardId,
        seed,
        clients: 6,
        ops: 200,
      });
      expect(result.applied).toBeGreaterThan(result.refused);
      expect(result.nodes + result.edges).toBeGreaterThan(0);
    },
    120_000,
  );

  it('a change made while Redis is down reaches the other instances once it is back (the heal)', async () => {
    const boardId = await createBoard(servers[0], 'Redis restart');
    const a = client(servers[0].wsUrl, boardId);
    const b = client(servers[1].wsUrl, boardId);
    await Promise.all([synced(a), synced(b)]);
    addStep(a.doc, { position: { x: 0, y: 0 }, label: 'before' });
    await waitFor(() => stepLabels(b.doc).includes('before'), 10_000, 'the first change on instance two');
    const reconnectsBefore = (await redisHealth(servers[1])).reconnects;

    await redis.stop('SIGKILL');
    await waitFor(async () => !(await redisHealth(servers[0])).connected, 10_000, 'instance one to see Redis gone');
    const down = await health(servers[0]);
    expect(down.status).toBe('degraded');
    addStep(a.doc, { position: { x: 0, y: 100 }, label: 'during the outage' });
    // Saved means written to storage, which is up: Redis being away does not change that.
    expect(await a.saved()).toBe(true);
    // A client arriving on instance two meanwhile still gets everything saved (the room heals before greeting it).
    const meanwhile = client(servers[1].wsUrl, boardId);
    await synced(meanwhile, 10_000);
    expect(stepLabels(meanwhile.doc)).toContain('during the outage');

    redis = await startRedis(redis.port);
    for (const s of servers)
      await waitFor(async () => (await redisHealth(s)).connected, 15_000, 'every instance to reconnect to Redis');
    // b never heard the change over Redis; the heal on reconnect brings it.
    await waitFor(() => stepLabels(b.doc).includes('during the outage'), 15_000, 'the heal to reach instance two');
    expect((await redisHealth(servers[1])).reconnects).toBeGreaterThan(reconnectsBefore);
    // And fan-out works again.
    addStep(b.doc, { position: { x: 0, y: 200 }, label: 'after' });
    await waitFor(() => stepLabels(a.doc).includes('after'), 10_000, 'a change after the restart');
  });
});

describe.skipIf(!haveRedis)('a server told to use Redis', () => {
  it('does not start when Redis cannot be reached, and says which address it tried', async () => {
    const port = await freePort();
    const failed = await startServer({ env: { REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` } }).then(
      () => null,
      (error: unknown) => String(error),
    );
    expect(failed).toContain(`Cannot reach Redis at REDIS_URL (redis://:***@127.0.0.1:${port}`);
    expect(failed).toContain('ECONNREFUSED');
    // The password never reaches the log.
    expect(failed).not.toContain('hunter2');
  });

  it('refuses a REDIS_URL that is not a Redis address', async () => {
    const failed = await startServer({ env: { REDIS_URL: 'http://127.0.0.1:6379' } }).then(
      () => null,
      (error: unknown) => String(error),
    );
    expect(failed).toContain('REDIS_URL: must be like redis://localhost:6379');
  });
});

describe.skipIf(!haveRedis)('an instance killed with SIGKILL under load', () => {
  let redis: ServiceProcess;
  let servers: ServerProcess[] = [];
  let balancer: Balancer;

  beforeAll(async () => {
    redis = await startRedis();
    servers = await startCluster(redis);
    balancer = await startBalancer(servers.map((s) => s.port));
  });
  afterAll(async () => {
    await balancer?.close();
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await redis?.stop();
  });

  it('loses nothing reported saved; its clients reconnect to another instance through the balancer', async () => {
    const boardId = await createBoard(servers[0], 'Under load');
    const key = servers[0].key;
    const people = Array.from({ length: 9 }, () => client(balancer.wsUrl, boardId, key));
    for (const p of people) await synced(p, 15_000);
    // Every backend got some of them: the balancer spreads connections.
    expect([...balancer.routed.values()].filter((n) => n > 0).length).toBe(3);

    /** Labels each person has been told are saved. */
    const confirmed = new Set<string>();
    let running = true;
    const work = people.map(async (p, who) => {
      let n = 0;
      while (running) {
        const batch: string[] = [];
        for (let i = 0; i < 3; i++) {
          const label = `p${who}-${n++}`;
          batch.push(label);
          addStep(p.doc, { position: { x: n, y: who * 50 }, label });
        }
        // The answer covers everything sent before the request; a lost connection means no answer.
        try {
          if (p.provider.wsconnected && (await p.saved())) for (const label of batch) confirmed.add(label);
        } catch {
          // no answer within 10 s (the instance died): not confirmed
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    await waitFor(
      () => confirmed.size >= 60,
      30_000,
      () => `some saved changes (${confirmed.size})`,
    );
    const victim = servers[2];
    await victim.stop('SIGKILL');
    const atKill = confirmed.size;
    await waitFor(
      () => confirmed.size >= atKill + 60,
      30_000,
      () => `more saved changes after the kill (${confirmed.size})`,
    );
    running = false;
    await Promise.all(work);

    // Everyone is connected again (to the two survivors) and agrees.
    for (const p of people) await waitFor(() => p.provider.wsconnected && p.provider.synced, 20_000, 'reconnection');
    for (const p of people) expect(await p.saved()).toBe(true);
    const expected = stepLabels(people[0].doc).join();
    for (const p of people) await waitFor(() => stepLabels(p.doc).join() === expected, 20_000, 'every copy to agree');

    // The stored board, read fresh by an instance that had unloaded it, holds everything confirmed.
    for (const p of people) p.destroy();
    clients = [];
    await waitFor(async () => (await health(servers[0])).boardsLoaded === 0, 15_000, 'instance one to unload');
    const fresh = client(servers[0].wsUrl, boardId);
    await synced(fresh, 15_000);
    const stored = new Set(stepLabels(fresh.doc));
    const lost = [...confirmed].filter((label) => !stored.has(label));
    expect(lost).toEqual([]);
    expect(confirmed.size).toBeGreaterThan(atKill);
  }, 120_000);
});
