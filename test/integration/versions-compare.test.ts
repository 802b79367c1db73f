/**
 * Versions, the redesign board and /api/compare on the real server with real
 * SQLite and real y-websocket clients: versions hold the newest edits, survive
 * a restart, restore as new boards and go with their board; the redesign keeps
 * step ids and links back; the comparison of the housing-repairs pair gives
 * method.md's figures; every bad input gets its status, names what is wrong
 * and creates nothing.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  MINUTES_PER_DAY as D,
  addStep,
  countSteps,
  deleteElements,
  lanesMap,
  nodesMap,
  readBeforeBoardId,
  readMeta,
  updateStep,
  type Comparison,
} from '../../src/model';
import { connectClient, synced } from '../helpers/clients';
import { api, ROOT, makeDataDir, startServer, type ServerProcess } from '../helpers/server';
import { STORAGE } from '../helpers/storage';

const run = promisify(execFile);

let s: ServerProcess;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.stop();
});

type Json = Record<string, unknown> & { error?: string };

async function call(server: ServerProcess, method: string, path: string, body?: unknown) {
  const response = await api(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  if (type.startsWith('application/octet-stream')) {
    return { status: response.status, type, bytes: new Uint8Array(await response.arrayBuffer()), body: {} as Json };
  }
  const text = await response.text();
  return { status: response.status, type, bytes: new Uint8Array(), body: (text ? JSON.parse(text) : {}) as Json };
}

async function fromTemplate(server: ServerProcess, template: string, title: string): Promise<string> {
  const { status, body } = await call(server, 'POST', '/api/boards', { title, template });
  expect(status).toBe(201);
  return body.id as string;
}

function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

function stepIds(doc: Y.Doc): string[] {
  const ids: string[] = [];
  nodesMap(doc).forEach((node, id) => {
    if (node.get('kind') === 'step') ids.push(id);
  });
  return ids.sort();
}

function stepId(doc: Y.Doc, label: string): string {
  let found = '';
  nodesMap(doc).forEach((node, id) => {
    if (node.get('kind') === 'step' && node.get('label') === label) found = id;
  });
  return found;
}

async function liveDoc(server: ServerProcess, id: string): Promise<Y.Doc> {
  const { status, bytes } = await call(server, 'GET', `/api/boards/${id}/state`);
  expect(status).toBe(200);
  return docOf(bytes);
}

describe('versions', () => {
  it('a version holds the newest edits of the open board; later edits stay out of it', async () => {
    const id = await fromTemplate(s, 'blank', 'Live board');
    const client = connectClient(s.wsUrl, id);
    await synced(client);
    const first = addStep(client.doc, { position: { x: 0, y: 0 }, label: 'Before the version' });
    expect(await client.saved()).toBe(true);
    const saved = await call(s, 'POST', `/api/boards/${id}/versions`, {
      name: '  Before – workshop 1 ',
      savedBy: 'Ann',
    });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ boardId: id, name: 'Before – workshop 1', savedBy: 'Ann', steps: 1 });
    expect(Math.abs((saved.body.savedAt as number) - Date.now())).toBeLessThan(60_000);
    addStep(client.doc, { position: { x: 200, y: 0 }, label: 'After the version' });
    expect(await client.saved()).toBe(true);
    const frozen = await call(s, 'GET', `/api/boards/${id}/versions/${saved.body.id as string}/state`);
    expect(frozen.type).toBe('application/octet-stream');
    expect(stepIds(docOf(frozen.bytes))).toEqual([first]);
    expect(stepIds(await liveDoc(s, id))).toHaveLength(2);
    const one = await call(s, 'GET', `/api/boards/${id}/versions/${saved.body.id as string}`);
    expect(one.body).toEqual(saved.body);
    client.destroy();
  });

  it('are listed newest first, survive a restart (SIGTERM, same data dir) with the same state', async () => {
    const dataDir = makeDataDir();
    const first = await startServer({ dataDir });
    const id = await fromTemplate(first, 'housing-repairs-before', 'Repairs');
    const a = await call(first, 'POST', `/api/boards/${id}/versions`, { name: 'One', savedBy: 'Ann' });
    const b = await call(first, 'POST', `/api/boards/${id}/versions`, { name: 'Two', savedBy: 'Bob' });
    const listed = await call(first, 'GET', `/api/boards/${id}/versions`);
    expect((listed.body as unknown as Json[]).map((v) => v.name)).toEqual(['Two', 'One']);
    const stateBefore = (await call(first, 'GET', `/api/boards/${id}/versions/${a.body.id as string}/state`)).bytes;
    expect(await first.stop('SIGTERM')).toBe(0);

    const second = await startServer({ dataDir });
    try {
      const again = await call(second, 'GET', `/api/boards/${id}/versions`);
      expect(again.body).toEqual(listed.body);
      expect(again.body).toEqual([b.body, a.body]);
      const stateAfter = (await call(second, 'GET', `/api/boards/${id}/versions/${a.body.id as string}/state`)).bytes;
      expect(Buffer.from(stateAfter).equals(Buffer.from(stateBefore))).toBe(true);
      expect(countSteps(docOf(stateAfter))).toBe(10);
    } finally {
      await second.stop();
    }
  });

  it('restore makes a new board with the version content; the live board is unchanged', async () => {
    const id = await fromTemplate(s, 'housing-repairs-before', 'Repairs');
    const version = await call(s, 'POST', `/api/boards/${id}/versions`, { name: 'Workshop 1', savedBy: 'Ann' });
    const client = connectClient(s.wsUrl, id);
    await synced(client);
    deleteElements(client.doc, { nodeIds: stepIds(client.doc).slice(0, 3) });
    expect(await client.saved()).toBe(true);
    const liveBefore = Y.encodeStateAsUpdate(await liveDoc(s, id));

    const restored = await call(s, 'POST', `/api/boards/${id}/versions/${version.body.id as string}/restore`, {});
    expect(restored.status).toBe(201);
    expect(restored.body.title).toBe('Workshop 1 (restored)');
    expect(restored.body.id).not.toBe(id);
    const copy = await liveDoc(s, restored.body.id as string);
    const frozen = docOf((await call(s, 'GET', `/api/boards/${id}/versions/${version.body.id as string}/state`)).bytes);
    expect(stepIds(copy)).toEqual(stepIds(frozen));
    expect(countSteps(copy)).toBe(10);
    expect(readMeta(copy).title).toBe('Workshop 1 (restored)');
    // The live board: still 7 steps, byte for byte what it was.
    const live = await liveDoc(s, id);
    expect(countSteps(live)).toBe(7);
    expect(Buffer.from(Y.encodeStateAsUpdate(live)).equals(Buffer.from(liveBefore))).toBe(true);
    const titled = await call(s, 'POST', `/api/boards/${id}/versions/${version.body.id as string}/restore`, {
      title: 'My copy',
    });
    expect(titled.body.title).toBe('My copy');
    const summary = await call(s, 'GET', `/api/boards/${titled.body.id as string}`);
    expect(summary.body).toMatchObject({ title: 'My copy', steps: 10 });
    expect(summary.body.beforeBoardId).toBeUndefined();
    client.destroy();
  });

  it('deleting the board removes its versions', async () => {
    const id = await fromTemplate(s, 'housing-repairs-after', 'Gone soon');
    const version = await call(s, 'POST', `/api/boards/${id}/versions`, { name: 'v', savedBy: 'Ann' });
    expect((await call(s, 'DELETE', `/api/boards/${id}`)).status).toBe(204);
    const list = await call(s, 'GET', `/api/boards/${id}/versions`);
    expect(list.status).toBe(404);
    expect(list.body.error).toBe(`Board "${id}" not found`);
    expect((await call(s, 'GET', `/api/boards/${id}/versions/${version.body.id as string}/state`)).status).toBe(404);
    const compared = await call(s, 'GET', `/api/compare?before=${id}@${version.body.id as string}&after=${id}`);
    expect(compared.status).toBe(404);
  });
});

describe('versions in the board file', () => {
  it('export holds them; import recreates them on the new board; a file with a bad version creates nothing', async () => {
    const id = await fromTemplate(s, 'housing-repairs-before', 'Exported');
    const one = await call(s, 'POST', `/api/boards/${id}/versions`, { name: 'One', savedBy: 'Ann' });
    const client = connectClient(s.wsUrl, id);
    await synced(client);
    deleteElements(client.doc, { nodeIds: stepIds(client.doc).slice(0, 2) });
    expect(await client.saved()).toBe(true);
    await call(s, 'POST', `/api/boards/${id}/versions`, { name: 'Two', savedBy: 'Bob' });
    client.destroy();
    const exported = await (await api(`${s.url}/api/boards/${id}/export?format=json`)).text();
    expect(await (await api(`${s.url}/api/boards/${id}/export?format=json`)).text()).toBe(exported);
    const file = JSON.parse(exported) as {
      formatVersion: number;
      versions: Array<{ name: string; board: { nodes: unknown[] } }>;
    };
    expect(file.formatVersion).toBe(4);
    expect(file.versions.map((v) => v.name)).toEqual(['One', 'Two']);

    const imported = await call(s, 'POST', '/api/boards/import', exported);
    expect(imported.status).toBe(201);
    const newId = imported.body.id as string;
    const versions = (await call(s, 'GET', `/api/boards/${newId}/versions`)).body as unknown as Json[];
    expect(versions.map((v) => [v.name, v.savedBy, v.steps])).toEqual([
      ['Two', 'Bob', 8],
      ['One', 'Ann', 10],
    ]);
    expect(versions.map((v) => v.savedAt)).toEqual(
      [...versions.map((v) => v.savedAt)].sort((a, b) => Number(b) - Number(a)),
    );
    const original = (await call(s, 'GET', `/api/boards/${id}/versions/${one.body.id as string}`)).body;
    expect(versions[1].savedAt).toBe(original.savedAt);
    // Export of the imported board: the same bytes, versions included.
    expect(await (await api(`${s.url}/api/boards/${newId}/export?format=json`)).text()).toBe(exported);

    const ids = async () => ((await call(s, 'GET', '/api/boards')).body as unknown as Json[]).map((b) => b.id).sort();
    const before = await ids();
    const broken = JSON.parse(exported) as { versions: Array<{ board: { title: string } }> };
    broken.versions[1].board.title = '';
    const refused = await call(s, 'POST', '/api/boards/import', JSON.stringify(broken));
    expect(refused.status).toBe(400);
    // Plain words for people, the technical path for machines.
    expect(refused.body.error).toBe(
      'The board file was not imported. Saved version 2 (“Two”): the title cannot be empty.',
    );
    expect(refused.body.path).toBe('versions[1].board.title');
    expect(await ids()).toEqual(before);
  });

  // A SQLite file from before versions; PostgreSQL's numbered migrations are tested in postgres.test.ts.
  it.skipIf(STORAGE === 'postgres')(
    'a database from before versions is migrated: the table and the link column are added',
    async () => {
      const dataDir = makeDataDir();
      const first = await startServer({ dataDir });
      const id = await fromTemplate(first, 'housing-repairs-after', 'Old board');
      expect(await first.stop('SIGTERM')).toBe(0);
      // Make the file what an older Purposeboard left: no board_versions table, no before_board_id column.
      const db = new Database(path.join(dataDir, 'purposeboard.sqlite'));
      db.exec('DROP TABLE board_versions; ALTER TABLE boards DROP COLUMN before_board_id;');
      db.close();
      const second = await startServer({ dataDir });
      try {
        expect((await call(second, 'GET', `/api/boards/${id}`)).body).toMatchObject({ title: 'Old board', steps: 4 });
        const saved = await call(second, 'POST', `/api/boards/${id}/versions`, { name: 'v', savedBy: 'Ann' });
        expect(saved.status).toBe(201);
        const after = await call(second, 'POST', `/api/boards/${id}/redesign`, {});
        expect((await call(second, 'GET', `/api/boards/${after.body.id as string}`)).body.beforeBoardId).toBe(id);
      } finally {
        await second.stop();
      }
    },
  );
});

describe('the redesign board', () => {
  it('keeps every step id, is titled "– after" and links back while the before board exists', async () => {
    const before = await fromTemplate(s, 'housing-repairs-before', 'Repairs');
    const made = await call(s, 'POST', `/api/boards/${before}/redesign`, {});
    expect(made.status).toBe(201);
    expect(made.body.title).toBe('Repairs – after');
    const after = made.body.id as string;
    const afterDoc = await liveDoc(s, after);
    expect(stepIds(afterDoc)).toEqual(stepIds(await liveDoc(s, before)));
    expect(readBeforeBoardId(afterDoc)).toBe(before);
    expect((await call(s, 'GET', `/api/boards/${after}`)).body).toMatchObject({
      title: 'Repairs – after',
      steps: 10,
      beforeBoardId: before,
    });
    const list = (await call(s, 'GET', '/api/boards')).body as unknown as Json[];
    expect(list.find((b) => b.id === after)?.beforeBoardId).toBe(before);
    expect(list.find((b) => b.id === before)?.beforeBoardId).toBeUndefined();
    // An empty body is the same as {}; a title of one's own is kept.
    const unnamed = await call(s, 'POST', `/api/boards/${before}/redesign`);
    expect(unnamed.status).toBe(201);
    expect(unnamed.body.title).toBe('Repairs – after');
    const named = await call(s, 'POST', `/api/boards/${before}/redesign`, { title: 'Repairs, redesigned' });
    expect(named.body.title).toBe('Repairs, redesigned');

    await call(s, 'DELETE', `/api/boards/${before}`);
    const after2 = (await call(s, 'GET', '/api/boards')).body as unknown as Json[];
    expect(after2.find((b) => b.id === after)).toBeDefined();
    expect(after2.find((b) => b.id === after)?.beforeBoardId).toBeUndefined();
    expect((await call(s, 'GET', `/api/boards/${after}`)).body.beforeBoardId).toBeUndefined();
  });
});

describe('GET /api/compare', () => {
  it('the housing-repairs template pair: method.md figures, matched by label', async () => {
    const before = await fromTemplate(s, 'housing-repairs-before', 'Repairs – before');
    const after = await fromTemplate(s, 'housing-repairs-after', 'Repairs – after');
    const { status, body } = await call(s, 'GET', `/api/compare?before=${before}&after=${after}&format=json`);
    expect(status).toBe(200);
    const c = body as unknown as Comparison;
    const row = (key: string) => c.measures.find((m) => m.key === key)!;
    expect(c.before).toEqual({
      ref: before,
      boardId: before,
      versionId: null,
      title: 'Repairs – before',
      versionName: null,
    });
    // 24 d 10 m → 5 d 20 m (method.md's tables), −79.1%.
    expect(row('endToEndLeadTime')).toMatchObject({ before: 24 * D + 10, after: 5 * D + 20, changePct: -79.1 });
    expect(row('handoffs')).toMatchObject({ before: 6, after: 1, verdict: 'better' });
    expect(Math.round(row('failureDemandPct').after! * 10) / 10).toBe(16.7);
    expect(row('failureDemandPct').before).toBeCloseTo(55, 9);
    expect(row('steps')).toMatchObject({ before: 10, after: 4 });
    expect(c.matchedBy).toBe('label');
    expect(c.steps.removed).toHaveLength(10);
    expect(c.steps.added).toHaveLength(4);
    // format defaults to json
    expect((await call(s, 'GET', `/api/compare?before=${before}&after=${after}`)).body).toEqual(body);
  });

  it('a redesign pair after two steps deleted and a lane changed; a version as one side', async () => {
    const before = await fromTemplate(s, 'housing-repairs-before', 'Repairs');
    const version = await call(s, 'POST', `/api/boards/${before}/versions`, { name: 'Workshop 1', savedBy: 'Ann' });
    const after = (await call(s, 'POST', `/api/boards/${before}/redesign`, {})).body.id as string;
    const client = connectClient(s.wsUrl, after);
    await synced(client);
    const pre = stepId(client.doc, 'Pre-inspection visit');
    const post = stepId(client.doc, 'Post-inspection');
    const raise = stepId(client.doc, 'Raise works order');
    let contactCentre = '';
    lanesMap(client.doc).forEach((lane, laneId) => {
      if (lane.get('name') === 'Contact centre') contactCentre = laneId;
    });
    deleteElements(client.doc, { nodeIds: [pre, post] });
    updateStep(client.doc, raise, { lane: contactCentre });
    expect(await client.saved()).toBe(true);

    for (const ref of [before, `${before}@${version.body.id as string}`]) {
      const { status, body } = await call(s, 'GET', `/api/compare?before=${encodeURIComponent(ref)}&after=${after}`);
      expect(status).toBe(200);
      const c = body as unknown as Comparison;
      expect(c.matchedBy).toBe('id');
      expect(c.steps.removed.map((r) => r.id)).toEqual([pre, post]);
      expect(c.steps.added).toEqual([]);
      expect(c.steps.changed).toEqual([
        {
          beforeId: raise,
          afterId: raise,
          label: 'Raise works order',
          matchedBy: 'id',
          changes: [{ field: 'lane', before: 'Repairs admin', after: 'Contact centre' }],
        },
      ]);
      expect(c.steps.unchanged).toBe(7);
      expect(c.measures.find((m) => m.key === 'steps')).toMatchObject({ before: 10, after: 8, verdict: 'better' });
    }
    const withVersion = (
      await call(s, 'GET', `/api/compare?before=${before}@${version.body.id as string}&after=${after}`)
    ).body as unknown as Comparison;
    expect(withVersion.before).toMatchObject({
      boardId: before,
      versionId: version.body.id,
      versionName: 'Workshop 1',
    });
    client.destroy();
  });
});

describe('npm run export -- compare (the CLI) against the running server', () => {
  it('gives the same bytes as the API, a version ref included; a bad ref exits 1 with the server message', async () => {
    const before = await fromTemplate(s, 'housing-repairs-before', 'Repairs');
    const version = await call(s, 'POST', `/api/boards/${before}/versions`, { name: 'v', savedBy: 'Ann' });
    const after = (await call(s, 'POST', `/api/boards/${before}/redesign`, {})).body.id as string;
    const beforeRef = `${before}@${version.body.id as string}`;
    const out = path.join(makeDataDir(), 'comparison.json');
    const cli = ['--import', 'tsx', 'scripts/export.ts', 'compare', '--before', beforeRef, '--after', after];
    await run(process.execPath, [...cli, '--format', 'json', '--out', out, '--server', s.url, '--key', s.key], {
      cwd: ROOT,
    });
    const fromApi = await (await api(`${s.url}/api/compare?before=${beforeRef}&after=${after}&format=json`)).text();
    expect(fs.readFileSync(out, 'utf8')).toBe(fromApi);
    await expect(
      run(
        process.execPath,
        [...cli.slice(0, 4), '--before', 'a@b@c', '--after', after, '--server', s.url, '--key', s.key],
        {
          cwd: ROOT,
        },
      ),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('"before" is not a board or version reference'),
    });
  });
});

describe('bad input: its status, a message naming what is wrong, nothing created', () => {
  it('every bad request', async () => {
    const id = await fromTemplate(s, 'housing-repairs-before', 'Target');
    const version = (await call(s, 'POST', `/api/boards/${id}/versions`, { name: 'v', savedBy: 'Ann' })).body
      .id as string;
    // Ids only: an earlier test's board list summary may still be refreshed meanwhile.
    const boardIds = async () =>
      ((await call(s, 'GET', '/api/boards')).body as unknown as Json[]).map((b) => b.id).sort();
    const boardsBefore = await boardIds();
    const versionsBefore = (await call(s, 'GET', `/api/boards/${id}/versions`)).body;
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', `/api/boards/${id}/versions`, {}, 400, /^"name" is missing$/],
      ['POST', `/api/boards/${id}/versions`, { name: '   ', savedBy: 'Ann' }, 400, /^"name" cannot be empty$/],
      [
        'POST',
        `/api/boards/${id}/versions`,
        { name: 'x'.repeat(121), savedBy: 'A' },
        400,
        /^"name" is longer than 120/,
      ],
      ['POST', `/api/boards/${id}/versions`, { name: 'v' }, 400, /^"savedBy" is missing$/],
      ['POST', `/api/boards/${id}/versions`, { name: 'v', savedBy: 7 }, 400, /^"savedBy" must be text$/],
      ['POST', `/api/boards/${id}/versions`, { name: 'v', savedBy: 'x'.repeat(61) }, 400, /^"savedBy" is longer/],
      ['POST', `/api/boards/${id}/versions`, '{ not json', 400, /not valid JSON/],
      ['POST', `/api/boards/${id}/versions`, '[]', 400, /must be a JSON object/],
      ['POST', '/api/boards/nosuch/versions', { name: 'v', savedBy: 'Ann' }, 404, /^Board "nosuch" not found$/],
      ['GET', '/api/boards/nosuch/versions', undefined, 404, /^Board "nosuch" not found$/],
      [
        'GET',
        `/api/boards/${id}/versions/nosuch`,
        undefined,
        404,
        new RegExp(`^Version "nosuch" of board "${id}" not found$`),
      ],
      ['GET', `/api/boards/${id}/versions/nosuch/state`, undefined, 404, /Version "nosuch"/],
      ['GET', `/api/boards/${id}/versions/bad%20id`, undefined, 400, /version id is 1 to 64/],
      ['POST', `/api/boards/${id}/versions/nosuch/restore`, {}, 404, /Version "nosuch"/],
      ['POST', `/api/boards/${id}/versions/${version}/restore`, { title: '' }, 400, /^"title" cannot be empty$/],
      ['POST', `/api/boards/${id}/versions/${version}/restore`, { title: 'x'.repeat(201) }, 400, /^"title" is longer/],
      ['DELETE', `/api/boards/${id}/versions/${version}`, undefined, 405, /DELETE is not allowed/],
      ['GET', '/api/boards/nosuch/state', undefined, 404, /^Board "nosuch" not found$/],
      ['GET', '/api/boards/bad%20id/state', undefined, 400, /board id is 1 to 64/],
      ['POST', '/api/boards/nosuch/redesign', {}, 404, /^Board "nosuch" not found$/],
      ['POST', `/api/boards/${id}/redesign`, { title: 5 }, 400, /^"title" must be text$/],
      ['GET', `/api/boards/${id}/redesign`, undefined, 405, /GET is not allowed/],
      ['GET', `/api/compare?after=${id}`, undefined, 400, /^"before" is missing/],
      ['GET', `/api/compare?before=${id}`, undefined, 400, /^"after" is missing/],
      ['GET', `/api/compare?before=${id}&after=a@b@c`, undefined, 400, /^"after" is not a board or version reference/],
      ['GET', `/api/compare?before=bad%20id&after=${id}`, undefined, 400, /^"before" is not a board or version/],
      [
        'GET',
        `/api/compare?before=${id}&after=${id}&format=docx`,
        undefined,
        400,
        /^"format" must be one of json, pdf, png/,
      ],
      ['GET', `/api/compare?before=nosuch&after=${id}`, undefined, 404, /^Board "nosuch" not found$/],
      ['GET', `/api/compare?before=${id}&after=${id}@nosuch`, undefined, 404, /^Version "nosuch" of board/],
      ['POST', `/api/compare?before=${id}&after=${id}`, {}, 405, /POST is not allowed/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const answer = await call(s, method, path, body);
      expect(answer.status, `${method} ${path}`).toBe(status);
      expect(answer.body.error, `${method} ${path}`).toMatch(message);
    }
    expect(await boardIds()).toEqual(boardsBefore);
    expect((await call(s, 'GET', `/api/boards/${id}/versions`)).body).toEqual(versionsBefore);
  });
});
