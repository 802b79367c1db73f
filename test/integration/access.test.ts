/**
 * Access enforced by the server (issue 12): every HTTP route against every
 * kind of caller, and the websocket with real y-websocket clients. Where a
 * request is refused, the board is byte-identical afterwards; a viewer's or
 * a locked editor's changes never reach the server's document, another
 * client or the stored data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addStep, readBoard } from '../../src/model';
import {
  CLOSE_FORBIDDEN,
  CLOSE_UNAUTHORIZED,
  MESSAGE_ACCESS,
  encodeAccessRequest,
  readAccessState,
  type AccessState,
} from '../../src/protocol';
import { connectClient, synced, type TestClient } from '../helpers/clients';
import { api, newKey, startServer, waitFor, type ServerProcess } from '../helpers/server';

let s: ServerProcess;

interface Answer {
  status: number;
  body: Record<string, unknown> | unknown[] | null;
}

async function call(
  key: string | null,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<Answer> {
  const response = await api(`${s.url}${path}`, {
    key,
    method,
    headers: body === undefined ? undefined : { 'Content-Type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: Answer['body'] = null;
  try {
    parsed = text ? (JSON.parse(text) as Answer['body']) : null;
  } catch {
    parsed = null; // a Yjs state, an export
  }
  return { status: response.status, body: parsed };
}

async function ok<T>(key: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const answer = await call(key, method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as T;
}

/** Everything a refused request could have changed, read as the facilitator. */
async function boardSnapshot(boardId: string): Promise<string> {
  const state = Buffer.from(
    await (await api(`${s.url}/api/boards/${boardId}/state`, { key: s.key })).arrayBuffer(),
  ).toString('base64');
  const [board, versions, members, links, mine] = await Promise.all([
    ok(s.key, 'GET', `/api/boards/${boardId}`),
    ok(s.key, 'GET', `/api/boards/${boardId}/versions`),
    ok(s.key, 'GET', `/api/boards/${boardId}/members`),
    ok(s.key, 'GET', `/api/boards/${boardId}/links`),
    ok<unknown[]>(s.key, 'GET', '/api/boards'),
  ]);
  // lastSeen moves whenever the facilitator (this snapshot) reads the board: everything else must stay.
  const memberships = (members as Array<Record<string, unknown>>).map(({ lastSeen: _seen, ...rest }) => rest);
  return JSON.stringify({ state, board, versions, members: memberships, links, boards: mine.length });
}

type Persona =
  | 'no key'
  | 'unknown key'
  | 'non-member'
  | 'collector'
  | 'viewer'
  | 'editor'
  | 'facilitator'
  | 'removed'
  | 'link turned off';
const PERSONAS: Persona[] = [
  'no key',
  'unknown key',
  'non-member',
  'collector',
  'viewer',
  'editor',
  'facilitator',
  'removed',
  'link turned off',
];

interface Links {
  edit: string;
  view: string;
  collect: string;
}

async function join(key: string, link: string): Promise<{ boardId: string; role: string }> {
  return ok(key, 'POST', '/api/join', { link });
}

async function memberIdOf(boardId: string, key: string): Promise<string> {
  return (await ok<{ memberId: string }>(key, 'GET', `/api/boards/${boardId}`)).memberId;
}

let boardId: string;
let versionId: string;
const keys = {} as Record<Persona, string | null>;

beforeAll(async () => {
  // The matrix makes many refused calls from one address on purpose.
  s = await startServer({ env: { AUTH_FAILURES_PER_MINUTE: '100000', KEYS_PER_MINUTE: '100000' } });
  const created = await ok<{ id: string; links: Links }>(s.key, 'POST', '/api/boards', {
    title: 'Housing repairs – before',
    template: 'housing-repairs-before',
  });
  boardId = created.id;
  versionId = (await ok<{ id: string }>(s.key, 'POST', `/api/boards/${boardId}/versions`, { name: 'v1', savedBy: 'F' }))
    .id;
  keys['no key'] = null;
  keys['unknown key'] = 'A'.repeat(43);
  keys['non-member'] = await newKey(s);
  keys.facilitator = s.key;
  keys.editor = await newKey(s);
  await join(keys.editor, created.links.edit);
  keys.removed = await newKey(s);
  await join(keys.removed, created.links.edit);
  const removedId = await memberIdOf(boardId, keys.removed);
  expect((await call(s.key, 'DELETE', `/api/boards/${boardId}/members/${removedId}`)).status).toBe(204);
  keys['link turned off'] = await newKey(s);
  await join(keys['link turned off'], created.links.view);
  const rotated = await ok<Links>(s.key, 'POST', `/api/boards/${boardId}/links/view/rotate`);
  expect(rotated.view).not.toBe(created.links.view);
  expect(rotated.edit).toBe(created.links.edit);
  keys.viewer = await newKey(s);
  expect(await join(keys.viewer, rotated.view)).toEqual({ boardId, role: 'viewer' });
  // A collector (issue 14) joined through the Collect demand link: the capture page's routes only.
  keys.collector = await newKey(s);
  expect(await join(keys.collector, created.links.collect)).toEqual({ boardId, role: 'collector' });
});
afterAll(async () => {
  await s?.stop();
});

const CSV = 'words,class,count,predictable\nWhere is my repair?,failure,3,yes\n';

/** Each route, the weakest role it allows, and its request. */
const ROUTES: Array<{
  name: string;
  needs: 'viewer' | 'editor' | 'facilitator';
  run: (key: string | null) => Promise<Answer>;
}> = [
  { name: 'GET /api/boards/:id', needs: 'viewer', run: (k) => call(k, 'GET', `/api/boards/${boardId}`) },
  { name: 'GET …/measures', needs: 'viewer', run: (k) => call(k, 'GET', `/api/boards/${boardId}/measures`) },
  { name: 'GET …/state', needs: 'viewer', run: (k) => call(k, 'GET', `/api/boards/${boardId}/state`) },
  { name: 'GET …/versions', needs: 'viewer', run: (k) => call(k, 'GET', `/api/boards/${boardId}/versions`) },
  {
    name: 'GET …/versions/:v',
    needs: 'viewer',
    run: (k) => call(k, 'GET', `/api/boards/${boardId}/versions/${versionId}`),
  },
  {
    name: 'GET …/versions/:v/state',
    needs: 'viewer',
    run: (k) => call(k, 'GET', `/api/boards/${boardId}/versions/${versionId}/state`),
  },
  {
    name: 'GET …/export',
    needs: 'viewer',
    run: (k) => call(k, 'GET', `/api/boards/${boardId}/export?format=csv-steps`),
  },
  {
    name: 'GET /api/compare',
    needs: 'viewer',
    run: (k) => call(k, 'GET', `/api/compare?before=${boardId}@${versionId}&after=${boardId}`),
  },
  {
    name: 'POST …/versions',
    needs: 'editor',
    run: (k) => call(k, 'POST', `/api/boards/${boardId}/versions`, { name: 'by matrix', savedBy: 'M' }),
  },
  {
    name: 'POST …/versions/:v/restore',
    needs: 'editor',
    run: (k) => call(k, 'POST', `/api/boards/${boardId}/versions/${versionId}/restore`, {}),
  },
  { name: 'POST …/redesign', needs: 'editor', run: (k) => call(k, 'POST', `/api/boards/${boardId}/redesign`, {}) },
  {
    name: 'POST …/demand/import',
    needs: 'editor',
    run: (k) => call(k, 'POST', `/api/boards/${boardId}/demand/import`, CSV, 'text/csv'),
  },
  {
    name: 'PATCH /api/boards/:id',
    needs: 'editor',
    run: (k) => call(k, 'PATCH', `/api/boards/${boardId}`, { title: 'Housing repairs – before' }),
  },
  { name: 'GET …/links', needs: 'facilitator', run: (k) => call(k, 'GET', `/api/boards/${boardId}/links`) },
  { name: 'GET …/members', needs: 'facilitator', run: (k) => call(k, 'GET', `/api/boards/${boardId}/members`) },
  {
    name: 'PATCH …/members/:m',
    needs: 'facilitator',
    run: async (k) =>
      call(k, 'PATCH', `/api/boards/${boardId}/members/${await memberIdOf(boardId, keys.editor!)}`, { role: 'editor' }),
  },
  {
    name: 'PUT …/lock',
    needs: 'facilitator',
    run: (k) => call(k, 'PUT', `/api/boards/${boardId}/lock`, { locked: false }),
  },
];

/** Routes whose success changes the board for good: only refusals are tried here, the facilitator's success below. */
const DESTRUCTIVE: Array<{ name: string; run: (key: string | null) => Promise<Answer> }> = [
  { name: 'POST …/links/edit/rotate', run: (k) => call(k, 'POST', `/api/boards/${boardId}/links/edit/rotate`) },
  {
    name: 'DELETE …/members/:m',
    run: async (k) => call(k, 'DELETE', `/api/boards/${boardId}/members/${await memberIdOf(boardId, keys.viewer!)}`),
  },
  { name: 'DELETE /api/boards/:id', run: (k) => call(k, 'DELETE', `/api/boards/${boardId}`) },
];

const RANK = { collector: -1, viewer: 0, editor: 1, facilitator: 2 } as const;

function expectedStatus(persona: Persona, needs: keyof typeof RANK): number | 'ok' {
  if (persona === 'no key' || persona === 'unknown key') return 401;
  if (persona === 'non-member' || persona === 'removed' || persona === 'link turned off') return 403;
  return RANK[persona] >= RANK[needs] ? 'ok' : 403;
}

describe('every route × every caller gives the documented answer', () => {
  it.each(PERSONAS)('%s', async (persona) => {
    for (const route of [...ROUTES, ...DESTRUCTIVE.map((d) => ({ ...d, needs: 'facilitator' as const }))]) {
      const expected = expectedStatus(persona, route.needs);
      if (expected === 'ok' && DESTRUCTIVE.some((d) => d.name === route.name)) continue;
      const before = expected === 'ok' ? null : await boardSnapshot(boardId);
      const answer = await route.run(keys[persona]);
      if (expected === 'ok') {
        expect(answer.status, `${persona}: ${route.name}`).toBeLessThan(300);
        continue;
      }
      expect(answer.status, `${persona}: ${route.name}`).toBe(expected);
      expect((answer.body as { error?: string }).error, `${persona}: ${route.name} says why`).toMatch(/\w{3,}/);
      if (persona === 'collector')
        expect(answer.body, `${persona}: ${route.name} says it is the capture page's`).toMatchObject({
          code: 'collects demand only',
        });
      expect(await boardSnapshot(boardId), `${persona}: ${route.name} changed nothing`).toBe(before);
    }
  });

  it('lists only the caller’s boards, each with its role; the board-wide routes need a key', async () => {
    const roleIn = async (key: string | null) =>
      (await ok<Array<{ id: string; role: string }>>(key, 'GET', '/api/boards')).find((b) => b.id === boardId)?.role ??
      null;
    expect(await roleIn(keys.facilitator)).toBe('facilitator');
    expect(await roleIn(keys.editor)).toBe('editor');
    expect(await roleIn(keys.viewer)).toBe('viewer');
    // Listed, so the person finds the board again, with the role that sends them to the capture page.
    expect(await roleIn(keys.collector)).toBe('collector');
    for (const persona of ['non-member', 'removed', 'link turned off'] as const)
      expect(await roleIn(keys[persona])).toBeNull();
    for (const path of ['/api/boards', '/api/templates', '/api/me']) {
      expect((await call(null, 'GET', path)).status).toBe(401);
      expect((await call(keys['unknown key'], 'GET', path)).status).toBe(401);
    }
    expect((await call(null, 'POST', '/api/boards', { title: 'x' })).status).toBe(401);
    expect((await call(null, 'POST', '/api/join', { link: 'x' })).status).toBe(401);
  });

  it('makes whoever creates a board its facilitator, whatever the route', async () => {
    const someone = await newKey(s);
    const viewerOfIt = await newKey(s);
    const made = await ok<{ id: string; role: string; links: Links }>(someone, 'POST', '/api/boards', {
      title: 'Mine',
    });
    expect(made.role).toBe('facilitator');
    await join(viewerOfIt, made.links.view);
    const file = await (await api(`${s.url}/api/boards/${made.id}/export?format=json`, { key: someone })).text();
    const imported = await ok<{ id: string; role: string }>(viewerOfIt, 'POST', '/api/boards/import', file);
    expect(imported.role).toBe('facilitator');
    const editor = await newKey(s);
    await join(editor, made.links.edit);
    const after = await ok<{ id: string; role: string; links: Links }>(
      editor,
      'POST',
      `/api/boards/${made.id}/redesign`,
      {},
    );
    expect(after.role).toBe('facilitator');
    expect((await ok<{ role: string }>(editor, 'GET', `/api/boards/${after.id}`)).role).toBe('facilitator');
    // The before board's facilitator has no role on the editor's new board until invited.
    expect((await call(someone, 'GET', `/api/boards/${after.id}`)).status).toBe(403);
  });

  it('lets the facilitator rotate a link, remove a member and delete the board', async () => {
    const made = await ok<{ id: string; links: Links }>(s.key, 'POST', '/api/boards', { title: 'To delete' });
    const guest = await newKey(s);
    await join(guest, made.links.view);
    const rotated = await ok<Links>(s.key, 'POST', `/api/boards/${made.id}/links/edit/rotate`);
    expect(rotated.edit).not.toBe(made.links.edit);
    expect((await call(guest, 'GET', `/api/boards/${made.id}`)).status).toBe(200);
    const guestId = await memberIdOf(made.id, guest);
    expect((await call(s.key, 'DELETE', `/api/boards/${made.id}/members/${guestId}`)).status).toBe(204);
    expect((await call(guest, 'GET', `/api/boards/${made.id}`)).body).toMatchObject({ code: 'removed' });
    expect((await call(s.key, 'DELETE', `/api/boards/${made.id}`)).status).toBe(204);
    expect((await call(s.key, 'GET', `/api/boards/${made.id}`)).status).toBe(404);
    // A link of a deleted board opens nothing.
    const joinDeleted = await call(guest, 'POST', '/api/join', { link: rotated.view });
    expect(joinDeleted.status).toBe(404);
    expect((joinDeleted.body as { error: string }).error).toMatch(/does not open any board/);
  });
});

describe('the lock', () => {
  it('makes everyone but the facilitator view-only until it is unlocked, and says who locked it', async () => {
    await ok(s.key, 'PUT', '/api/me', { name: 'Fran' });
    expect(await ok(s.key, 'PUT', `/api/boards/${boardId}/lock`, { locked: true })).toEqual({
      locked: true,
      lockedBy: 'Fran',
    });
    expect(await ok(keys.editor, 'GET', `/api/boards/${boardId}`)).toMatchObject({
      role: 'editor',
      locked: true,
      lockedBy: 'Fran',
    });
    const lockedSnapshot = await boardSnapshot(boardId);
    for (const [method, path, body, type] of [
      ['PATCH', `/api/boards/${boardId}`, { title: 'Renamed while locked' }, undefined],
      ['POST', `/api/boards/${boardId}/versions`, { name: 'x', savedBy: 'E' }, undefined],
      ['POST', `/api/boards/${boardId}/demand/import`, CSV, 'text/csv'],
    ] as const) {
      const answer = await call(keys.editor, method, path, body, type);
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect((answer.body as { error: string }).error).toMatch(/locked/);
    }
    expect(await boardSnapshot(boardId)).toBe(lockedSnapshot);
    // The facilitator may still change a locked board.
    expect((await call(s.key, 'PATCH', `/api/boards/${boardId}`, { title: 'Housing repairs – before' })).status).toBe(
      200,
    );
    expect(await ok(s.key, 'PUT', `/api/boards/${boardId}/lock`, { locked: false })).toEqual({
      locked: false,
      lockedBy: null,
    });
    expect(await ok(keys.editor, 'GET', `/api/boards/${boardId}`)).toMatchObject({ locked: false, lockedBy: null });
    expect(
      (await call(keys.editor, 'PATCH', `/api/boards/${boardId}`, { title: 'Housing repairs – before' })).status,
    ).toBe(200);
  });
});

describe('bad input to members, links, the lock and joining: a clear error and nothing changed', () => {
  it.each([
    [
      'a role that does not exist',
      'PATCH',
      'members/EDITOR',
      { role: 'owner' },
      400,
      /"role" must be one of collector, viewer, editor, facilitator/,
    ],
    ['a member that does not exist', 'PATCH', 'members/nosuch', { role: 'viewer' }, 404, /no member "nosuch"/],
    ['removing a member that does not exist', 'DELETE', 'members/nosuch', undefined, 404, /no member/],
    ['demoting the last facilitator', 'PATCH', 'members/ME', { role: 'editor' }, 409, /last facilitator/],
    ['removing the last facilitator', 'DELETE', 'members/ME', undefined, 409, /last facilitator/],
    ['rotating a link that does not exist', 'POST', 'links/admin/rotate', undefined, 404, /no "admin" link/],
    ['a lock that is not true or false', 'PUT', 'lock', { locked: 'yes' }, 400, /"locked" must be true or false/],
    ['a lock with no body', 'PUT', 'lock', undefined, 400, /empty/],
  ] as const)('%s', async (_what, method, rawPath, body, status, message) => {
    const path = rawPath
      .replace('EDITOR', await memberIdOf(boardId, keys.editor!))
      .replace('ME', await memberIdOf(boardId, s.key));
    const before = await boardSnapshot(boardId);
    const answer = await call(s.key, method, `/api/boards/${boardId}/${path}`, body);
    expect(answer.status).toBe(status);
    expect((answer.body as { error: string }).error).toMatch(message);
    expect(await boardSnapshot(boardId)).toBe(before);
  });

  it.each([
    ['a link from another server', 'http://boards.elsewhere.example/join/' + 'B'.repeat(43), 400, /another server/],
    ['a token of the wrong form', 'not-a-token', 400, /not a Purposeboard board link/],
    ['a well-formed token nobody made', 'C'.repeat(43), 404, /does not open any board/],
    ['an empty link', '   ', 400, /"link" cannot be empty/],
  ])('joining with %s', async (_what, link, status, message) => {
    const someone = await newKey(s);
    const answer = await call(someone, 'POST', '/api/join', { link });
    expect(answer.status).toBe(status);
    expect((answer.body as { error: string }).error).toMatch(message);
    expect(await ok(someone, 'GET', '/api/boards')).toEqual([]);
  });

  it('joining with a turned-off link says so and gives nothing', async () => {
    const made = await ok<{ id: string; links: Links }>(s.key, 'POST', '/api/boards', { title: 'Rotated' });
    await ok(s.key, 'POST', `/api/boards/${made.id}/links/edit/rotate`);
    const someone = await newKey(s);
    const answer = await call(someone, 'POST', '/api/join', { link: made.links.edit });
    expect(answer.status).toBe(403);
    expect((answer.body as { error: string }).error).toMatch(/turned off this link/);
    expect(await ok(someone, 'GET', '/api/boards')).toEqual([]);
  });

  it('keeps a stronger role when a member opens a weaker link', async () => {
    const made = await ok<{ id: string; links: Links }>(s.key, 'POST', '/api/boards', { title: 'Stronger role' });
    expect(await join(s.key, made.links.view)).toEqual({ boardId: made.id, role: 'facilitator' });
  });
});

// ---------------------------------------------------------------- websocket

/** A client that also asks for its access (message 101) and keeps the latest. */
function accessClient(boardKey: string | null, board = boardId): TestClient & { access: () => AccessState | null } {
  const client = connectClient(s.wsUrl, board, { key: boardKey });
  let latest: AccessState | null = null;
  client.provider.messageHandlers[MESSAGE_ACCESS] = (_encoder, decoder) => {
    latest = readAccessState(decoder);
  };
  const ask = () => client.provider.ws?.send(encodeAccessRequest());
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status === 'connected') ask();
  });
  if (client.provider.wsconnected) ask();
  return Object.assign(client, { access: () => latest });
}

function stepLabels(doc: Y.Doc): string[] {
  return readBoard(doc)
    .nodes.flatMap((n) => (n.kind === 'step' ? [n.label] : []))
    .sort();
}

async function serverLabels(board = boardId): Promise<string[]> {
  const doc = new Y.Doc();
  Y.applyUpdate(
    doc,
    new Uint8Array(await (await api(`${s.url}/api/boards/${board}/state`, { key: s.key })).arrayBuffer()),
  );
  return stepLabels(doc);
}

describe('the websocket, with real y-websocket clients', () => {
  it('refuses a connection without a key (4401) or with no membership (4403), and does not retry', async () => {
    for (const [key, code] of [
      [null, CLOSE_UNAUTHORIZED],
      ['D'.repeat(43), CLOSE_UNAUTHORIZED],
      [keys['non-member'], CLOSE_FORBIDDEN],
      [keys.removed, CLOSE_FORBIDDEN],
      [keys['link turned off'], CLOSE_FORBIDDEN],
      [keys.collector, CLOSE_FORBIDDEN],
    ] as const) {
      const client = connectClient(s.wsUrl, boardId, { key });
      try {
        await waitFor(() => client.closes.length > 0, 5000, `a close for ${String(key)}`);
        expect(client.closes[0].code).toBe(code);
        if (key === keys.collector) expect(client.closes[0].reason).toBe('collects demand only');
        expect(client.provider.synced).toBe(false);
        expect(client.provider.shouldConnect).toBe(false);
      } finally {
        client.destroy();
      }
    }
  });

  it("never lets a viewer's edits in — online, or offline then reconnecting — and says so when asked 'saved'", async () => {
    const editor = accessClient(keys.editor);
    const viewer = accessClient(keys.viewer);
    try {
      await synced(editor);
      await synced(viewer);
      await waitFor(() => viewer.access()?.role === 'viewer', 5000, 'the viewer to be told its access');
      expect(viewer.access()).toMatchObject({ role: 'viewer', canEdit: false });
      expect(editor.access()).toMatchObject({ role: 'editor', canEdit: true });

      addStep(viewer.doc, { label: 'Viewer online', position: { x: 0, y: 0 } });
      expect(await viewer.saved()).toBe(false);
      // The editor's change reaches the viewer: the connection works, only the viewer's changes are dropped.
      addStep(editor.doc, { label: 'Editor marker 1', position: { x: 0, y: 0 } });
      await waitFor(() => stepLabels(viewer.doc).includes('Editor marker 1'), 5000, 'the viewer to see the editor');
      expect(await editor.saved()).toBe(true);
      expect(stepLabels(editor.doc)).not.toContain('Viewer online');
      expect(await serverLabels()).not.toContain('Viewer online');

      viewer.provider.disconnect();
      addStep(viewer.doc, { label: 'Viewer offline', position: { x: 0, y: 0 } });
      viewer.provider.connect();
      await synced(viewer);
      addStep(editor.doc, { label: 'Editor marker 2', position: { x: 0, y: 0 } });
      await waitFor(
        () => stepLabels(viewer.doc).includes('Editor marker 2'),
        5000,
        'the viewer to see the editor again',
      );
      expect(await editor.saved()).toBe(true);
      expect(stepLabels(editor.doc)).not.toContain('Viewer offline');
      expect(await serverLabels()).not.toEqual(expect.arrayContaining(['Viewer online']));
      expect(await serverLabels()).not.toContain('Viewer offline');
    } finally {
      editor.destroy();
      viewer.destroy();
    }
    // Nor are they in the stored data.
    await s.stop();
    s = await startServer({
      dataDir: s.dataDir,
      env: { AUTH_FAILURES_PER_MINUTE: '100000', KEYS_PER_MINUTE: '100000' },
    });
    const stored = await serverLabels();
    expect(stored).toContain('Editor marker 2');
    expect(stored).not.toContain('Viewer online');
    expect(stored).not.toContain('Viewer offline');
  });

  it('refuses editors while the board is locked, tells everyone, and takes their changes again once unlocked', async () => {
    const editor = accessClient(keys.editor);
    const other = accessClient(keys.facilitator);
    try {
      await synced(editor);
      await synced(other);
      await waitFor(() => editor.access()?.canEdit === true, 5000, 'the editor to be told it may edit');
      await ok(s.key, 'PUT', `/api/boards/${boardId}/lock`, { locked: true });
      await waitFor(() => editor.access()?.locked === true, 5000, 'the editor to be told of the lock');
      expect(editor.access()).toMatchObject({ role: 'editor', locked: true, canEdit: false });
      expect(other.access()).toMatchObject({ role: 'facilitator', locked: true, canEdit: true });

      addStep(editor.doc, { label: 'Typed while locked', position: { x: 0, y: 0 } });
      expect(await editor.saved()).toBe(false);
      addStep(other.doc, { label: 'Facilitator while locked', position: { x: 0, y: 0 } });
      await waitFor(
        () => stepLabels(editor.doc).includes('Facilitator while locked'),
        5000,
        'the editor to see the facilitator',
      );
      expect(stepLabels(other.doc)).not.toContain('Typed while locked');
      expect(await serverLabels()).not.toContain('Typed while locked');

      await ok(s.key, 'PUT', `/api/boards/${boardId}/lock`, { locked: false });
      await waitFor(() => editor.access()?.canEdit === true, 5000, 'the editor to be told of the unlock');
      // The server asks the editor for what it lacks: the change typed during the lock now arrives.
      await waitFor(
        () => stepLabels(other.doc).includes('Typed while locked'),
        5000,
        'the held change to arrive after unlock',
      );
      expect(await editor.saved()).toBe(true);
    } finally {
      editor.destroy();
      other.destroy();
    }
  });

  it('closes a connected editor with 4403 within a second of removal or of their link being turned off; the reconnect is refused', async () => {
    const made = await ok<{ id: string; links: Links }>(s.key, 'POST', '/api/boards', { title: 'Closing' });
    const byLink = await newKey(s);
    const removedLater = await newKey(s);
    await join(byLink, made.links.edit);
    await join(removedLater, made.links.edit);
    const promoted = await newKey(s);
    await join(promoted, made.links.edit);
    await ok(s.key, 'PATCH', `/api/boards/${made.id}/members/${await memberIdOf(made.id, promoted)}`, {
      role: 'facilitator',
    });

    const a = accessClient(removedLater, made.id);
    const b = accessClient(byLink, made.id);
    const c = accessClient(promoted, made.id);
    try {
      await Promise.all([synced(a), synced(b), synced(c)]);

      const removedId = await memberIdOf(made.id, removedLater);
      let started = Date.now();
      await ok(s.key, 'DELETE', `/api/boards/${made.id}/members/${removedId}`);
      await waitFor(() => a.closes.length > 0, 1000, 'the removed editor to be closed within 1 s');
      expect(Date.now() - started).toBeLessThan(1000);
      expect(a.closes[0]).toEqual({ code: CLOSE_FORBIDDEN, reason: 'removed' });

      started = Date.now();
      const rotated = await ok<Links>(s.key, 'POST', `/api/boards/${made.id}/links/edit/rotate`);
      await waitFor(() => b.closes.length > 0, 1000, 'the editor whose link was turned off to be closed within 1 s');
      expect(Date.now() - started).toBeLessThan(1000);
      expect(b.closes[0]).toEqual({ code: CLOSE_FORBIDDEN, reason: 'link turned off' });
      // A facilitator who joined through that link keeps access.
      expect(c.closes).toEqual([]);
      expect(c.provider.wsconnected).toBe(true);

      // Neither may come back, by socket or by HTTP; the new link works for someone else.
      for (const key of [removedLater, byLink]) {
        const again = connectClient(s.wsUrl, made.id, { key });
        try {
          await waitFor(() => again.closes.length > 0, 5000, 'the reconnect to be refused');
          expect(again.closes[0].code).toBe(CLOSE_FORBIDDEN);
        } finally {
          again.destroy();
        }
        expect((await call(key, 'GET', `/api/boards/${made.id}`)).status).toBe(403);
      }
      expect(await join(await newKey(s), rotated.edit)).toEqual({ boardId: made.id, role: 'editor' });
    } finally {
      a.destroy();
      b.destroy();
      c.destroy();
    }
  });

  it('closes a connected viewer with 4403 the moment the facilitator makes them a collector; their reconnect is refused', async () => {
    const made = await ok<{ id: string; links: Links }>(s.key, 'POST', '/api/boards', { title: 'Demoted' });
    const guest = await newKey(s);
    await join(guest, made.links.view);
    const client = connectClient(s.wsUrl, made.id, { key: guest });
    try {
      await synced(client);
      await ok(s.key, 'PATCH', `/api/boards/${made.id}/members/${await memberIdOf(made.id, guest)}`, {
        role: 'collector',
      });
      await waitFor(() => client.closes.length > 0, 5000, 'the new collector to be closed');
      expect(client.closes[0]).toEqual({ code: CLOSE_FORBIDDEN, reason: 'collects demand only' });
    } finally {
      client.destroy();
    }
    const again = connectClient(s.wsUrl, made.id, { key: guest });
    try {
      await waitFor(() => again.closes.length > 0, 5000, 'the reconnect to be refused');
      expect(again.closes[0]).toEqual({ code: CLOSE_FORBIDDEN, reason: 'collects demand only' });
      expect(again.provider.synced).toBe(false);
    } finally {
      again.destroy();
    }
    expect((await call(guest, 'GET', `/api/boards/${made.id}`)).status).toBe(403);
  });

  it('tells a connected member of a new role at once: a viewer made editor may edit, without reconnecting', async () => {
    const made = await ok<{ id: string; links: Links }>(s.key, 'POST', '/api/boards', { title: 'Promotion' });
    const guest = await newKey(s);
    await join(guest, made.links.view);
    const client = accessClient(guest, made.id);
    try {
      await synced(client);
      await waitFor(() => client.access()?.role === 'viewer', 5000, 'the viewer role');
      await ok(s.key, 'PATCH', `/api/boards/${made.id}/members/${await memberIdOf(made.id, guest)}`, {
        role: 'editor',
      });
      await waitFor(() => client.access()?.canEdit === true, 5000, 'the new role to arrive');
      addStep(client.doc, { label: 'Now an editor', position: { x: 0, y: 0 } });
      expect(await client.saved()).toBe(true);
      expect(await serverLabels(made.id)).toContain('Now an editor');
    } finally {
      client.destroy();
    }
  });
});
