/** The HTTP API and /healthz: the board list, its changes, and every bad request. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBoard } from '../../src/model';
import { connectClient, synced } from '../helpers/clients';
import { api as authFetch, startServer, waitFor, type ServerProcess } from '../helpers/server';
import { openTestStorage } from '../helpers/storage';

let s: ServerProcess;

async function api(path: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  const response = await authFetch(`${s.url}${path}`, {
    ...rest,
    headers: json === undefined ? rest.headers : { 'Content-Type': 'application/json' },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.stop();
});

describe('the board list', () => {
  it('creates, lists, renames and deletes a board', async () => {
    const created = await api('/api/boards', { method: 'POST', json: { title: '  Housing repairs – before ' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      title: 'Housing repairs – before',
      role: 'facilitator',
      links: {
        edit: expect.stringMatching(new RegExp(`^${s.url}/join/[A-Za-z0-9_-]{43}$`)),
        view: expect.stringMatching(new RegExp(`^${s.url}/join/[A-Za-z0-9_-]{43}$`)),
        collect: expect.stringMatching(new RegExp(`^${s.url}/join/[A-Za-z0-9_-]{43}$`)),
      },
    });
    const { id } = created.body as { id: string };

    const list = await api('/api/boards');
    expect(list.status).toBe(200);
    expect(list.body).toContainEqual({
      id,
      title: 'Housing repairs – before',
      updatedAt: expect.any(Number),
      steps: 0,
      role: 'facilitator',
      locked: false,
    });

    const renamed = await api(`/api/boards/${id}`, { method: 'PATCH', json: { title: 'Repairs (before)' } });
    expect(renamed).toMatchObject({ status: 200, body: { id, title: 'Repairs (before)' } });
    expect((await api('/api/boards')).body).toContainEqual(expect.objectContaining({ id, title: 'Repairs (before)' }));

    const deleted = await api(`/api/boards/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await api('/api/boards')).body).not.toContainEqual(expect.objectContaining({ id }));
    expect((await api(`/api/boards/${id}`)).status).toBe(404);
  });

  it('a rename reaches the people on the board live, and the step count follows their edits', async () => {
    const { id } = (await api('/api/boards', { method: 'POST', json: { title: 'Old name' } })).body as { id: string };
    const client = connectClient(s.wsUrl, id);
    await synced(client);
    await api(`/api/boards/${id}`, { method: 'PATCH', json: { title: 'New name' } });
    await waitFor(() => readBoard(client.doc).meta.title === 'New name', 5000, 'the new title on the client');

    const { addStep } = await import('../../src/model');
    addStep(client.doc, { position: { x: 0, y: 0 } });
    addStep(client.doc, { position: { x: 0, y: 0 } });
    await waitFor(
      async () =>
        ((await api('/api/boards')).body as { id: string; steps: number }[]).find((b) => b.id === id)?.steps === 2,
      5000,
      'the step count in the list',
    );
    client.destroy();
  });

  it('deleting a board removes its stored data and tells its clients, who stop retrying', async () => {
    const { id } = (await api('/api/boards', { method: 'POST', json: { title: 'Doomed' } })).body as { id: string };
    const client = connectClient(s.wsUrl, id);
    await synced(client);
    const closed = new Promise<{ code: number }>((resolve) => client.provider.once('closed', resolve));
    expect((await api(`/api/boards/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await closed).code).toBe(4410);

    const storage = await openTestStorage(s.dataDir);
    try {
      expect(await storage.getBoard(id)).toBeNull();
      expect(await storage.loadBoardData(id)).toEqual({ snapshot: null, updates: [] });
    } finally {
      await storage.close();
    }
    client.destroy();
  });
});

describe('bad requests', () => {
  it.each([
    ['not JSON', { body: '{title: nope', headers: { 'Content-Type': 'application/json' } }, /not valid JSON/],
    ['an empty body', { body: '' }, /empty/],
    ['a JSON array', { json: [] }, /JSON object/],
    ['no title', { json: {} }, /"title" is missing/],
    ['a title that is not text', { json: { title: 42 } }, /"title" must be text/],
    ['an empty title', { json: { title: '   ' } }, /"title" cannot be empty/],
    ['a title of 201 characters', { json: { title: 'x'.repeat(201) } }, /"title" is longer than 200/],
    ['an unknown template', { json: { title: 'x', template: 'nope' } }, /"template" is not a known template/],
  ])('POST /api/boards with %s → 400 naming the problem, nothing created', async (_name, init, message) => {
    const before = (await api('/api/boards')).body;
    const response = await api('/api/boards', { method: 'POST', ...(init as RequestInit & { json?: unknown }) });
    expect(response.status).toBe(400);
    expect((response.body as { error: string }).error).toMatch(message);
    expect((await api('/api/boards')).body).toEqual(before);
  });

  it('refuses bad and unknown board ids with 400 and 404', async () => {
    expect((await api('/api/boards/bad%20id')).status).toBe(400);
    expect((await api(`/api/boards/${'a'.repeat(65)}`, { method: 'DELETE' })).status).toBe(400);
    expect((await api('/api/boards/%E0%A4%A', { method: 'PATCH', json: { title: 'x' } })).status).toBe(400);
    const missing = await api('/api/boards/doesNotExist1', { method: 'PATCH', json: { title: 'x' } });
    expect(missing).toMatchObject({ status: 404, body: { error: expect.stringMatching(/not found/) } });
    expect((await api('/api/boards/doesNotExist1', { method: 'DELETE' })).status).toBe(404);
  });

  it('a bad rename changes nothing', async () => {
    const { id } = (await api('/api/boards', { method: 'POST', json: { title: 'Stable' } })).body as { id: string };
    expect((await api(`/api/boards/${id}`, { method: 'PATCH', json: { title: '' } })).status).toBe(400);
    expect((await api(`/api/boards/${id}`, { method: 'PATCH', body: 'nope' })).status).toBe(400);
    expect((await api(`/api/boards/${id}`)).body).toMatchObject({ title: 'Stable' });
  });

  it('answers unknown API paths and methods with JSON errors', async () => {
    expect(await api('/api/nothing')).toMatchObject({ status: 404, body: { error: expect.any(String) } });
    expect(await api('/api/boards', { method: 'PUT' })).toMatchObject({ status: 405 });
  });
});

describe('health and the app', () => {
  it('/healthz reports status, loaded boards, connections and uptime', async () => {
    const report = await api('/healthz');
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      status: 'ok',
      boardsLoaded: expect.any(Number),
      connections: expect.any(Number),
      uptimeSeconds: expect.any(Number),
    });
  });

  it('serves the app page for the list and for a board address, and never a file outside the app', async () => {
    for (const path of ['/', '/b/someBoard', '/../../etc/passwd']) {
      const response = await fetch(`${s.url}${path}`);
      const text = await response.text();
      // 503 with advice when the app is not built (unit runs); the page itself when it is.
      if (response.status === 503) expect(text).toMatch(/npm run build/);
      else expect(text).toMatch(/<script/);
      expect(text).not.toMatch(/root:/);
    }
  });
});
