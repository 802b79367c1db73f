/**
 * Group commit: an update reaches the room's peers at once, is written with
 * the updates of every room in one transaction a few milliseconds later, and
 * its sender hears "saved" only once it is in the SQLite file. Nothing that
 * was reported saved is lost to SIGTERM or SIGKILL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addStep, readBoard } from '../../src/model';
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
const labels = (doc: Y.Doc) =>
  readBoard(doc)
    .nodes.map((n) => ('label' in n ? n.label : ''))
    .sort();

/** The step labels stored for a board (the SQLite file or the PostgreSQL database), read beside the server. */
async function storedLabels(dataDir: string, boardId: string): Promise<string[]> {
  return labels((await storedBoard(dataDir, boardId)).doc);
}

async function storageStats(s: ServerProcess) {
  return (await health(s)).storage as { commits: number; updatesCommitted: number; queueDepth: number; ok: boolean };
}

afterEach(async () => {
  for (const c of clients) c.destroy();
  clients = [];
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  servers = [];
});

describe('group commit', () => {
  it('forwards an update to peers before the commit, and says "saved" only once the row is in the file', async () => {
    const s = await server({ commitDelayMs: 200 });
    const boardId = await createBoard(s);
    const a = client(s, boardId);
    const b = client(s, boardId);
    await Promise.all([synced(a), synced(b)]);

    const events: string[] = [];
    let storedWhenSaved: string[] = [];
    b.doc.on('update', () => {
      if (!events.includes('peer has it') && labels(b.doc).includes('Fast')) events.push('peer has it');
    });
    addStep(a.doc, { position: { x: 0, y: 0 }, label: 'Fast' });
    const saved = a.saved().then(async (ok) => {
      // Read the storage the moment the answer arrives: the row must already be there.
      storedWhenSaved = await storedLabels(s.dataDir, boardId);
      events.push(`saved ${ok}`);
    });
    await saved;
    await waitFor(() => events.includes('peer has it'), 10_000, 'the peer to receive the update');
    expect(events.slice(0, 2)).toEqual(['peer has it', 'saved true']);
    expect(storedWhenSaved).toContain('Fast');
  });

  it('writes many clients on several boards in far fewer transactions than updates, and loses nothing saved', async () => {
    const s = await server();
    const boards = await Promise.all([1, 2, 3, 4].map((i) => createBoard(s, `Board ${i}`)));
    const everyone = boards.flatMap((boardId) => [1, 2, 3, 4, 5].map(() => ({ boardId, c: client(s, boardId) })));
    await Promise.all(everyone.map(({ c }) => synced(c, 15_000)));
    const before = await storageStats(s);

    // Everyone edits at once: 20 clients, 10 steps each, each step one update.
    const expected = new Map<string, string[]>(boards.map((id) => [id, []]));
    everyone.forEach(({ boardId, c }, who) => {
      for (let i = 0; i < 10; i++) {
        const label = `client ${who} step ${i}`;
        addStep(c.doc, { position: { x: i * 10, y: who * 10 }, label });
        expected.get(boardId)?.push(label);
      }
    });
    const answers = await Promise.all(everyone.map(({ c }) => c.saved()));
    expect(answers.every(Boolean)).toBe(true);

    const after = await storageStats(s);
    const updates = after.updatesCommitted - before.updatesCommitted;
    const commits = after.commits - before.commits;
    expect(updates).toBeGreaterThanOrEqual(200);
    expect(commits).toBeGreaterThan(0);
    expect(commits * 5).toBeLessThan(updates);

    await s.stop('SIGKILL');
    const restarted = await server({ dataDir: s.dataDir });
    for (const boardId of boards) {
      const fresh = client(restarted, boardId);
      await synced(fresh, 15_000);
      expect(labels(fresh.doc)).toEqual(expect.arrayContaining(expected.get(boardId) ?? []));
      expect(labels(fresh.doc)).toHaveLength(expected.get(boardId)?.length ?? 0);
    }
  });

  it('drains the queue on SIGTERM: an edit the server has, not yet committed, is there after a restart', async () => {
    const s = await server({ commitDelayMs: 3000 });
    const boardId = await createBoard(s);
    const a = client(s, boardId);
    const b = client(s, boardId);
    await Promise.all([synced(a), synced(b)]);
    addStep(a.doc, { position: { x: 0, y: 0 }, label: 'Pending at shutdown' });
    // The peer has it: the server has it too, queued behind a slow commit.
    await waitFor(() => labels(b.doc).includes('Pending at shutdown'), 10_000, 'the peer to receive the edit');
    expect(await storedLabels(s.dataDir, boardId)).not.toContain('Pending at shutdown');

    expect(await s.stop('SIGTERM')).toBe(0);
    expect(await storedLabels(s.dataDir, boardId)).toContain('Pending at shutdown');
    const restarted = await server({ dataDir: s.dataDir });
    const fresh = client(restarted, boardId);
    await synced(fresh);
    expect(labels(fresh.doc)).toContain('Pending at shutdown');
  });

  it('keeps an edit reported saved through kill -9', async () => {
    const s = await server();
    const boardId = await createBoard(s);
    const a = client(s, boardId);
    await synced(a);
    addStep(a.doc, { position: { x: 0, y: 0 }, label: 'Saved then killed' });
    expect(await a.saved()).toBe(true);

    await s.stop('SIGKILL');
    const restarted = await server({ dataDir: s.dataDir });
    const fresh = client(restarted, boardId);
    await synced(fresh);
    expect(labels(fresh.doc)).toContain('Saved then killed');
  });
});
