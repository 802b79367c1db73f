/**
 * Several instances on Redis (issue 13): three real server processes on one
 * storage and one real redis-server, with clients spread across them —
 * through a load balancer with no sticky sessions where instances die.
 * Changes, presence and room state cross instances; a Redis restart heals;
 * an instance killed with SIGKILL loses nothing that was reported saved.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addStep, readBoard } from '../../src/model';
import { startBalancer, type Balancer } from '../helpers/balancer';
import { connectClient, synced, type TestClient } from '../helpers/clients';
import { runConvergence } from '../helpers/convergence';
import { createBoard, health, makeDataDir, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { redisAvailable, startRedis, type ServiceProcess } from '../helpers/services';

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
afterEach(() => {
  for (const c of clients) c.destroy();
  clients = [];
});

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
