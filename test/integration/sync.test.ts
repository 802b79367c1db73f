/**
 * The real server, a real SQLite file, real y-websocket clients: live sync,
 * "saved" meaning stored, and persistence across restarts and crashes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addNote, addStep, connect, deleteElements, moveNodes, readBoard, renameNode } from '../../src/model';
import { connectClient, synced, type TestClient } from '../helpers/clients';
import { createBoard, health, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { storedBoard } from '../helpers/storage';

let servers: ServerProcess[] = [];
let clients: TestClient[] = [];

async function server(options?: Parameters<typeof startServer>[0]) {
  const started = await startServer(options);
  servers.push(started);
  return started;
}
function client(s: ServerProcess, boardId: string) {
  const c = connectClient(s.wsUrl, boardId);
  clients.push(c);
  return c;
}
/** The board as plain data in a fixed order (map iteration order differs between replicas). */
const state = (doc: Y.Doc) => {
  const board = readBoard(doc);
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  return JSON.stringify({ ...board, nodes: [...board.nodes].sort(byId), edges: [...board.edges].sort(byId) });
};
const labels = (doc: Y.Doc) =>
  readBoard(doc)
    .nodes.map((n) => ('label' in n ? n.label : n.text))
    .sort();

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  servers = [];
});

describe('live sync through the server', () => {
  it('three clients converge after concurrent edits', async () => {
    const s = await server();
    const boardId = await createBoard(s, 'Housing repairs');
    const [a, b, c] = [client(s, boardId), client(s, boardId), client(s, boardId)];
    await Promise.all([synced(a), synced(b), synced(c)]);

    // Concurrent: each adds its own steps without waiting for the others.
    const a1 = addStep(a.doc, { position: { x: 0, y: 0 }, label: 'Take repair call' });
    const b1 = addStep(b.doc, { position: { x: 200, y: 0 }, label: 'Code job' });
    addNote(c.doc, { position: { x: 0, y: 300 }, text: 'Why do we pre-inspect?' });
    await waitFor(() => [a, b, c].every((x) => readBoard(x.doc).nodes.length === 3), 5000, 'all three elements');

    // Concurrent edits of the same step: a moves it, b renames it, c connects it.
    moveNodes(a.doc, [{ id: b1, position: { x: 250, y: 40 } }]);
    renameNode(b.doc, b1, 'Code job to schedule of rates');
    connect(c.doc, a1, b1);
    await waitFor(
      () =>
        [a, b, c].every(
          (x) => readBoard(x.doc).edges.length === 1 && labels(x.doc).includes('Code job to schedule of rates'),
        ),
      5000,
      'the rename and the edge everywhere',
    );
    await waitFor(() => [a, b, c].every((x) => state(x.doc) === state(a.doc)), 5000, 'identical boards');
    const step = readBoard(c.doc).nodes.find((n) => n.id === b1);
    expect(step).toMatchObject({ label: 'Code job to schedule of rates', position: { x: 250, y: 40 } });
    expect(readBoard(b.doc).meta.title).toBe('Housing repairs');
  });

  it('a delete reaches everyone with the edges of the deleted step', async () => {
    const s = await server();
    const boardId = await createBoard(s);
    const a = client(s, boardId);
    const b = client(s, boardId);
    await Promise.all([synced(a), synced(b)]);
    const x = addStep(a.doc, { position: { x: 0, y: 0 }, label: 'X' });
    const y = addStep(a.doc, { position: { x: 100, y: 0 }, label: 'Y' });
    connect(a.doc, x, y);
    await waitFor(() => readBoard(b.doc).edges.length === 1);
    deleteElements(b.doc, { nodeIds: [x] });
    await waitFor(() => readBoard(a.doc).nodes.length === 1);
    expect(readBoard(a.doc).edges).toEqual([]);
    expect(a.doc.getMap('edges').size).toBe(0);
  });
});

describe('saved means stored', () => {
  it('after SIGTERM and a restart, a new client’s first sync holds every change', async () => {
    const first = await server();
    const boardId = await createBoard(first, 'Before');
    const a = client(first, boardId);
    await synced(a);
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(addStep(a.doc, { position: { x: i * 10, y: 0 }, label: `Step ${i}` }));
    connect(a.doc, ids[0], ids[1]);
    renameNode(a.doc, ids[2], 'Renamed');
    expect(await a.saved()).toBe(true);
    const expected = readBoard(a.doc);
    a.destroy();

    expect(await first.stop('SIGTERM')).toBe(0);
    const second = await server({ dataDir: first.dataDir });
    const fresh = client(second, boardId);
    // Check on the very first 'sync' event, before anything else can arrive.
    const atFirstSync = await new Promise<ReturnType<typeof readBoard>>((resolve) =>
      fresh.provider.once('sync', () => resolve(readBoard(fresh.doc))),
    );
    expect(atFirstSync).toEqual(expected);
  });

  it('after SIGKILL, nothing the server said was saved is lost', async () => {
    const first = await server();
    const boardId = await createBoard(first);
    const a = client(first, boardId);
    await synced(a);
    for (let i = 0; i < 50; i++) addStep(a.doc, { position: { x: i, y: i }, label: `Saved step ${i}` });
    expect(await a.saved()).toBe(true);
    const expected = labels(a.doc);
    await first.stop('SIGKILL');

    const second = await server({ dataDir: first.dataDir });
    const fresh = client(second, boardId);
    await synced(fresh);
    expect(labels(fresh.doc)).toEqual(expected);
    expect(expected).toHaveLength(50);
  });

  it('compacts a long update log into a snapshot without losing anything', async () => {
    const first = await server({ env: { COMPACT_AFTER_UPDATES: '10' } });
    const boardId = await createBoard(first);
    const a = client(first, boardId);
    await synced(a);
    const id = addStep(a.doc, { position: { x: 0, y: 0 }, label: 'Dragged' });
    for (let i = 1; i <= 35; i++) moveNodes(a.doc, [{ id, position: { x: i, y: i } }]);
    expect(await a.saved()).toBe(true);
    await first.stop('SIGKILL');
    const stored = await storedBoard(first.dataDir, boardId);
    expect(stored.rows).toBeLessThan(10);
    expect(readBoard(stored.doc).nodes[0].position).toEqual({ x: 35, y: 35 });

    const second = await server({ dataDir: first.dataDir });
    const fresh = client(second, boardId);
    await synced(fresh);
    expect(readBoard(fresh.doc).nodes[0].position).toEqual({ x: 35, y: 35 });
  });
});

describe('memory', () => {
  it('unloads a board with no clients and reloads it intact', async () => {
    const s = await server();
    const boardId = await createBoard(s);
    const a = client(s, boardId);
    await synced(a);
    addStep(a.doc, { position: { x: 0, y: 0 }, label: 'Kept' });
    expect(await a.saved()).toBe(true);
    expect(await health(s)).toMatchObject({ boardsLoaded: 1, connections: 1 });
    a.destroy();
    await waitFor(async () => (await health(s)).boardsLoaded === 0, 5000, 'the board to unload');
    expect((await health(s)).connections).toBe(0);

    const b = client(s, boardId);
    await synced(b);
    expect(labels(b.doc)).toEqual(['Kept']);
    expect((await health(s)).boardsLoaded).toBe(1);
  });
});
