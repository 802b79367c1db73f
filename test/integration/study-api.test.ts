/**
 * The demand study's API (issue 14) against the real server and its SQLite
 * file: every route × every kind of caller, the bad inputs (each refused
 * with its reason and nothing stored), idempotent retries and offline
 * batches, the collector's one undo, a turned-off collect link, entries that
 * survive SIGKILL once acknowledged, the board's measures counting the
 * study, and message 106 reaching a real y-websocket client live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import {
  CLOSE_FORBIDDEN,
  MESSAGE_STUDY,
  encodeStudyRequest,
  readStudyCounts,
  type StudyCountsMessage,
} from '../../src/protocol';
import { connectClient, synced } from '../helpers/clients';
import { api, newKey, startServer, waitFor, type ServerProcess } from '../helpers/server';

let s: ServerProcess;

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON answers of many shapes, read field by field
}

async function call(key: string | null, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await api(`${s.url}${path}`, {
    key,
    method,
    headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, body: parsed };
}

async function ok(key: string | null, method: string, path: string, body?: unknown): Promise<Answer['body']> {
  const answer = await call(key, method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const SETTINGS = {
  demandTypes: [
    { name: 'I need a repair', class: 'value' },
    { name: 'When are you coming?', class: 'failure', definition: 'The tenant chases a promised visit' },
    { name: 'Nobody turned up', class: 'failure' },
  ],
  handlingTypes: [
    { name: 'One stop', oneStop: true },
    { name: 'Pass-on', oneStop: false },
  ],
  contactMethods: ['Phone', 'Counter'],
  defaultContactMethod: 'Phone',
  start: '2026-03-02',
  end: '2026-03-29',
  capture: { classification: true, handling: true, valueLinking: true },
};

type Persona = 'no key' | 'non-member' | 'collector' | 'viewer' | 'editor' | 'facilitator';
const keys = {} as Record<Persona, string | null>;
let boardId: string;
let links: { edit: string; view: string; collect: string };
let counter = 0;
const newId = (prefix = 'e') => `${prefix}-${process.pid}-${++counter}`.padEnd(8, 'x');

const entriesPath = () => `/api/boards/${boardId}/study/entries`;
async function storedIds(): Promise<string[]> {
  const listing = await ok(s.key, 'GET', `${entriesPath()}?limit=1000`);
  return (listing.entries as Array<{ id: string }>).map((e) => e.id).sort();
}

beforeAll(async () => {
  s = await startServer({ env: { AUTH_FAILURES_PER_MINUTE: '100000', KEYS_PER_MINUTE: '100000' } });
  const created = await ok(s.key, 'POST', '/api/boards', { title: 'Repairs study' });
  boardId = created.id;
  links = created.links;
  keys['no key'] = null;
  keys['non-member'] = await newKey(s);
  keys.facilitator = s.key;
  for (const [persona, link] of [
    ['editor', links.edit],
    ['viewer', links.view],
    ['collector', links.collect],
  ] as const) {
    keys[persona] = await newKey(s);
    await ok(keys[persona], 'PUT', '/api/me', { name: `The ${persona}` });
    await ok(keys[persona], 'POST', '/api/join', { link });
  }
  await ok(s.key, 'PUT', `/api/boards/${boardId}/study`, SETTINGS);
});
afterAll(async () => {
  await s?.stop();
});

describe('settings', () => {
  it('gives every demand type an id, keeps it when the type is sent again by name, and says what is wrong', async () => {
    const { settings } = await ok(s.key, 'GET', `/api/boards/${boardId}/study`);
    expect(settings.demandTypes.map((t: { id: string }) => t.id)).toEqual([
      expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      expect.stringMatching(/^[A-Za-z0-9_-]+$/),
    ]);
    const again = await ok(keys.editor, 'PUT', `/api/boards/${boardId}/study`, SETTINGS);
    expect(again.demandTypes).toEqual(settings.demandTypes);
    for (const [body, message] of [
      [{ ...SETTINGS, end: '2026-03-01' }, /"end" is before the start/],
      [
        { ...SETTINGS, demandTypes: [{ name: 'x', class: 'maybe' }] },
        /"demandTypes.0.class" must be "value" or "failure"/,
      ],
      [{ ...SETTINGS, defaultContactMethod: 'Fax' }, /not one of the contact methods/],
    ] as const) {
      const answer = await call(s.key, 'PUT', `/api/boards/${boardId}/study`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(message);
    }
    expect((await ok(s.key, 'GET', `/api/boards/${boardId}/study`)).settings).toEqual(settings);
  });
});

describe('every study route × every caller', () => {
  const routes: Array<{ name: string; allowed: Persona[]; run: (key: string | null) => Promise<Answer> }> = [
    {
      name: 'GET study',
      allowed: ['viewer', 'editor', 'facilitator'],
      run: (k) => call(k, 'GET', `/api/boards/${boardId}/study`),
    },
    {
      name: 'PUT study',
      allowed: ['editor', 'facilitator'],
      run: (k) => call(k, 'PUT', `/api/boards/${boardId}/study`, SETTINGS),
    },
    {
      name: 'GET capture',
      allowed: ['collector', 'viewer', 'editor', 'facilitator'],
      run: (k) => call(k, 'GET', `/api/boards/${boardId}/study/capture`),
    },
    {
      name: 'POST entries',
      allowed: ['collector', 'editor', 'facilitator'],
      run: (k) =>
        call(k, 'POST', entriesPath(), { id: newId('m'), verbatim: 'Matrix call', at: '2026-03-05T10:00:00Z' }),
    },
    { name: 'GET entries', allowed: ['editor', 'facilitator'], run: (k) => call(k, 'GET', entriesPath()) },
    {
      name: 'GET summary',
      allowed: ['viewer', 'editor', 'facilitator'],
      run: (k) => call(k, 'GET', `/api/boards/${boardId}/study/summary`),
    },
    {
      name: 'POST bulk-reclassify',
      allowed: ['editor', 'facilitator'],
      run: (k) =>
        call(k, 'POST', `/api/boards/${boardId}/study/bulk-reclassify`, {
          fromType: 'Nobody turned up',
          toType: 'Nobody turned up',
        }),
    },
    {
      name: 'PATCH entry',
      allowed: ['editor', 'facilitator'],
      run: async (k) => {
        const id = newId('p');
        await ok(s.key, 'POST', entriesPath(), { id, verbatim: 'To patch', at: '2026-03-05T10:00:00Z' });
        return call(k, 'PATCH', `${entriesPath()}/${id}`, { handling: 'Pass-on' });
      },
    },
    {
      name: 'DELETE entry (someone else’s)',
      allowed: ['editor', 'facilitator'],
      run: async (k) => {
        const id = newId('d');
        await ok(s.key, 'POST', entriesPath(), { id, verbatim: 'To delete', at: '2026-03-05T10:00:00Z' });
        return call(k, 'DELETE', `${entriesPath()}/${id}`);
      },
    },
  ];
  const personas: Persona[] = ['no key', 'non-member', 'collector', 'viewer', 'editor', 'facilitator'];

  it.each(personas)('%s', async (persona) => {
    for (const route of routes) {
      const before = await storedIds();
      const answer = await route.run(keys[persona]);
      if (route.allowed.includes(persona)) {
        expect(answer.status, `${persona}: ${route.name}`).toBeLessThan(300);
        continue;
      }
      expect(answer.status, `${persona}: ${route.name}`).toBe(persona === 'no key' ? 401 : 403);
      expect(answer.body.error, `${persona}: ${route.name} says why`).toMatch(/\w{3,}/);
      // A refused write stores nothing (the PATCH/DELETE rows made their own entry first, as the facilitator).
      const after = await storedIds();
      if (route.name.startsWith('POST entries')) expect(after).toEqual(before);
    }
  });

  it('a collector opening the board, its websocket, exports or measures is refused as the capture page’s', async () => {
    for (const path of [
      `/api/boards/${boardId}`,
      `/api/boards/${boardId}/state`,
      `/api/boards/${boardId}/measures`,
      `/api/boards/${boardId}/export?format=json`,
    ]) {
      const answer = await call(keys.collector, 'GET', path);
      expect(answer.status, path).toBe(403);
      expect(answer.body.code).toBe('collects demand only');
    }
    const client = connectClient(s.wsUrl, boardId, { key: keys.collector });
    try {
      await waitFor(() => client.closes.length > 0, 5000, 'the collector’s socket to be closed');
      expect(client.closes[0]).toEqual({ code: CLOSE_FORBIDDEN, reason: 'collects demand only' });
      expect(client.provider.synced).toBe(false);
    } finally {
      client.destroy();
    }
  });
});

describe('bad input: a clear reason per entry, and nothing stored', () => {
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an empty verbatim', { verbatim: '   ' }, /"verbatim" cannot be empty/],
    ['over 2,000 characters', { verbatim: 'x'.repeat(2001) }, /"verbatim" is longer than 2000 characters/],
    ['an unknown type', { verbatim: 'x', type: 'Lost cat' }, /"type" is not one of the study's demand types/],
    [
      'a date outside the study',
      { verbatim: 'x', at: '2026-04-01T09:00:00Z' },
      /"at" is outside the study \(2026-03-02 to 2026-03-29\)/,
    ],
    [
      'a class against its type',
      { verbatim: 'x', type: 'I need a repair', class: 'failure' },
      /"class" says "failure"/,
    ],
    [
      'an unknown handling',
      { verbatim: 'x', handling: 'Shrugged' },
      /"handling" is not one of the study's handling types/,
    ],
    ['a value link to a failure type', { verbatim: 'x', valueDemandType: 'Nobody turned up' }, /value demand types/],
    ['a bad id', { id: 'no!', verbatim: 'x' }, /"id" must be 8 to 64/],
  ];
  it.each(bad)('%s', async (_what, fields, message) => {
    const before = await storedIds();
    const answer = await call(keys.collector, 'POST', entriesPath(), {
      id: newId(),
      at: '2026-03-03T09:00:00Z',
      ...fields,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(message);
    expect(answer.body.refused).toHaveLength(1);
    expect(await storedIds()).toEqual(before);
  });

  it('a batch is all or nothing, and lists every refused entry by its place and id', async () => {
    const before = await storedIds();
    const good = { id: newId(), verbatim: 'Fine', at: '2026-03-03T09:00:00Z' };
    const answer = await call(keys.collector, 'POST', entriesPath(), {
      entries: [
        good,
        { id: newId('b1'), verbatim: '' },
        { id: newId('b2'), verbatim: 'x', type: 'Nope', at: good.at },
        'junk',
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(/3 entries were refused, so nothing was stored/);
    expect(answer.body.refused).toEqual([
      expect.objectContaining({ entry: 2, field: 'verbatim', error: expect.stringMatching(/cannot be empty/) }),
      expect.objectContaining({ entry: 3, field: 'type' }),
      expect.objectContaining({ entry: 4, id: null, field: 'entry' }),
    ]);
    expect(await storedIds()).toEqual(before);
  });

  it('refuses a batch of more than 500, an empty batch, and a body that is not JSON', async () => {
    const before = await storedIds();
    const many = Array.from({ length: 501 }, () => ({ id: newId('big'), verbatim: 'x', at: '2026-03-03T09:00:00Z' }));
    const tooMany = await call(keys.collector, 'POST', entriesPath(), { entries: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatch(/more than 500 entries: send them in parts/);
    expect((await call(keys.collector, 'POST', entriesPath(), { entries: [] })).body.error).toMatch(/is empty/);
    expect((await call(keys.collector, 'POST', entriesPath(), '{oops')).status).toBe(400);
    expect(await storedIds()).toEqual(before);
  });

  it('refuses removing a type that entries use, and a period that leaves entries out', async () => {
    const id = newId('use');
    await ok(s.key, 'POST', entriesPath(), {
      id,
      verbatim: 'No show',
      type: 'Nobody turned up',
      at: '2026-03-20T09:00:00Z',
    });
    const without = { ...SETTINGS, demandTypes: SETTINGS.demandTypes.slice(0, 2) };
    const removed = await call(s.key, 'PUT', `/api/boards/${boardId}/study`, without);
    expect(removed.status).toBe(409);
    expect(removed.body.error).toMatch(/"Nobody turned up".*reclassify them first/);
    const shorter = await call(s.key, 'PUT', `/api/boards/${boardId}/study`, { ...SETTINGS, end: '2026-03-10' });
    expect(shorter.status).toBe(409);
    expect(shorter.body.error).toMatch(/dated outside 2026-03-02 to 2026-03-10/);
    expect((await ok(s.key, 'GET', `/api/boards/${boardId}/study`)).settings.end).toBe('2026-03-29');
    await ok(s.key, 'DELETE', `${entriesPath()}/${id}`);
  });
});

describe('idempotent retries and offline batches', () => {
  it('the same id again is 200 and adds nothing; a batch mixing old and new adds only the new', async () => {
    const id = newId('retry');
    const entry = {
      id,
      verbatim: 'I called last week about my boiler and nobody came',
      at: '2026-03-04T11:00:00+00:00',
    };
    const first = await call(keys.collector, 'POST', entriesPath(), entry);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ added: [id], existing: [] });
    const again = await call(keys.collector, 'POST', entriesPath(), entry);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ added: [], existing: [id] });
    const fresh = newId('fresh');
    const mixed = await call(keys.collector, 'POST', entriesPath(), {
      entries: [entry, { id: fresh, verbatim: 'Where is the plumber?', at: '2026-03-04T11:05:00+00:00' }],
    });
    expect(mixed.status).toBe(201);
    expect(mixed.body).toEqual({ added: [fresh], existing: [id] });
    const ids = await storedIds();
    expect(ids.filter((x) => x === id)).toHaveLength(1);
    expect(ids).toContain(fresh);
  });

  it('fifty requests at once, retries among them, store each entry once and answer each its own part', async () => {
    const ids = Array.from({ length: 25 }, () => newId('burst'));
    const before = (await storedIds()).length;
    // Every id is sent twice at the same moment (a phone retrying before its first answer came).
    const answers = await Promise.all(
      [...ids, ...ids].map((id) =>
        call(keys.collector, 'POST', entriesPath(), { id, verbatim: 'At once', at: '2026-03-05T12:00:00Z' }),
      ),
    );
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    const added = answers.flatMap((a) => a.body.added as string[]);
    const existing = answers.flatMap((a) => a.body.existing as string[]);
    expect([...added].sort()).toEqual([...ids].sort());
    expect([...existing].sort()).toEqual([...ids].sort());
    expect(answers.filter((a) => a.status === 201)).toHaveLength(25);
    expect((await storedIds()).length).toBe(before + 25);
  });

  it('an offline batch of 120 entries over three weeks lands whole, and the summary counts it by hand', async () => {
    const made = await ok(s.key, 'POST', '/api/boards', { title: 'Offline study' });
    await ok(s.key, 'PUT', `/api/boards/${made.id}/study`, SETTINGS);
    const collector = await newKey(s);
    await ok(collector, 'POST', '/api/join', { link: made.links.collect });
    // 120 entries: day d (0..19) gets 6: 3 repairs (2 one stop, 1 pass-on), 2 chasing, 1 unclassified.
    const entries = [];
    for (let d = 0; d < 20; d++) {
      const at = `2026-03-${String(2 + d).padStart(2, '0')}T09:00:00Z`;
      entries.push(
        {
          id: newId('o'),
          verbatim: 'Repair',
          at,
          type: 'I need a repair',
          handling: 'One stop',
          contactMethod: 'phone',
        },
        { id: newId('o'), verbatim: 'Repair', at, type: 'I need a repair', handling: 'One stop' },
        { id: newId('o'), verbatim: 'Repair', at, type: 'I need a repair', handling: 'Pass-on' },
        { id: newId('o'), verbatim: 'Chasing', at, type: 'When are you coming?', valueDemandType: 'I need a repair' },
        { id: newId('o'), verbatim: 'Chasing', at, type: 'When are you coming?' },
        { id: newId('o'), verbatim: 'Not sure', at },
      );
    }
    const answer = await call(collector, 'POST', `/api/boards/${made.id}/study/entries`, { entries });
    expect(answer.status).toBe(201);
    expect(answer.body.added).toHaveLength(120);
    const summary = await ok(s.key, 'GET', `/api/boards/${made.id}/study/summary`);
    expect(summary.total).toBe(120);
    expect(summary.failureDemandPct).toBeCloseTo(40, 10); // 40 of the 100 classified
    expect(summary.perfectPct).toBeCloseTo(200 / 3, 10); // 40 one stop of 60 value
    expect(summary.byType.map((t: { count: number }) => t.count)).toEqual([60, 40, 0]);
    expect(summary.contactMethods).toEqual([{ name: 'Phone', count: 20 }]);
    expect(summary.coverage).toHaveLength(20);
    expect(summary.coverage[0]).toEqual({ collector: 'Someone', day: '2026-03-02', count: 6 });
    const week = await ok(s.key, 'GET', `/api/boards/${made.id}/study/summary?from=2026-03-09&to=2026-03-15`);
    expect(week.total).toBe(42);
    const chips = await ok(s.key, 'GET', `/api/boards/${made.id}/study/entries?needs=valueLink&limit=5`);
    expect(chips.total).toBe(20);
    expect(chips.entries).toHaveLength(5);
    expect(chips.needs).toEqual({ classification: 20, handling: 60, valueLink: 20 });
    const found = await ok(s.key, 'GET', `/api/boards/${made.id}/study/entries?q=not%20SURE`);
    expect(found.total).toBe(20);
    // The board's measures count the study's demand: 120 entries, the 20 unclassified in no class.
    const measures = await ok(s.key, 'GET', `/api/boards/${made.id}/measures`);
    expect(measures.totalDemand).toBe(100);
    expect(measures.failureDemandPct).toBeCloseTo(40, 10);
    // Bulk reclassification moves every entry of one type, and the counts follow.
    expect(
      await ok(s.key, 'POST', `/api/boards/${made.id}/study/bulk-reclassify`, {
        fromType: 'When are you coming?',
        toType: 'Nobody turned up',
      }),
    ).toEqual({ changed: 40 });
    const after = await ok(s.key, 'GET', `/api/boards/${made.id}/study/summary`);
    expect(after.byType.map((t: { count: number }) => t.count)).toEqual([60, 0, 40]);
  });
});

describe('editing entries', () => {
  it('classifying an entry moves the failure-demand %; a bad change is refused and changes nothing', async () => {
    const made = await ok(s.key, 'POST', '/api/boards', { title: 'Classify' });
    await ok(s.key, 'PUT', `/api/boards/${made.id}/study`, SETTINGS);
    const path = `/api/boards/${made.id}/study/entries`;
    const editor = await newKey(s);
    await ok(editor, 'POST', '/api/join', { link: made.links.edit });
    const [a, b] = [newId('c'), newId('c')];
    await ok(s.key, 'POST', path, {
      entries: [
        { id: a, verbatim: 'Boiler broken', at: '2026-03-03T09:00:00Z', type: 'I need a repair' },
        { id: b, verbatim: 'Still waiting', at: '2026-03-03T09:05:00Z' },
      ],
    });
    const summary = () => ok(s.key, 'GET', `/api/boards/${made.id}/study/summary`);
    expect((await summary()).failureDemandPct).toBe(0);
    const changed = await ok(editor, 'PATCH', `${path}/${b}`, {
      type: 'when are you coming?',
      cause: 'No date given',
    });
    expect(changed).toMatchObject({ id: b, class: 'failure', cause: 'No date given', verbatim: 'Still waiting' });
    expect((await summary()).failureDemandPct).toBe(50);
    const refused = await call(editor, 'PATCH', `${path}/${b}`, { type: 'Lost cat' });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/"type" is not one of the study's demand types/);
    expect((await call(editor, 'PATCH', `${path}/${b}`, { id: 'x' })).status).toBe(400);
    expect((await call(editor, 'PATCH', `${path}/nosuchentry`, { cause: 'x' })).status).toBe(404);
    const cleared = await ok(editor, 'PATCH', `${path}/${b}`, { type: null, cause: null });
    expect(cleared.type).toBeUndefined();
    expect(cleared.class).toBeUndefined();
    expect(cleared.cause).toBeUndefined();
    expect((await summary()).failureDemandPct).toBe(0);
    expect((await summary()).needs.classification).toBe(1);
  });
});

describe('a collector', () => {
  it('may undo only their own latest entry, and sees the capture settings with their name', async () => {
    const capture = await ok(keys.collector, 'GET', `/api/boards/${boardId}/study/capture`);
    expect(capture).toMatchObject({ boardId, title: 'Repairs study', collector: 'The collector', role: 'collector' });
    expect(capture.study.contactMethods).toEqual(['Phone', 'Counter']);
    const first = newId('mine');
    const second = newId('mine');
    await ok(keys.collector, 'POST', entriesPath(), { id: first, verbatim: 'One', at: '2026-03-06T09:00:00Z' });
    await ok(keys.collector, 'POST', entriesPath(), { id: second, verbatim: 'Two', at: '2026-03-06T09:01:00Z' });
    expect((await ok(keys.collector, 'GET', `/api/boards/${boardId}/study/capture`)).latest).toBe(second);
    const notLatest = await call(keys.collector, 'DELETE', `${entriesPath()}/${first}`);
    expect(notLatest.status).toBe(403);
    expect(notLatest.body.error).toMatch(/only your own latest entry/);
    const someoneElses = newId('theirs');
    await ok(keys.editor, 'POST', entriesPath(), { id: someoneElses, verbatim: 'Theirs', at: '2026-03-06T09:02:00Z' });
    expect((await call(keys.collector, 'DELETE', `${entriesPath()}/${someoneElses}`)).status).toBe(403);
    expect((await call(keys.collector, 'DELETE', `${entriesPath()}/${second}`)).status).toBe(204);
    const ids = await storedIds();
    expect(ids).not.toContain(second);
    expect(ids).toContain(first);
    expect(ids).toContain(someoneElses);
    const listing = await call(keys.collector, 'GET', entriesPath());
    expect(listing.status).toBe(403);
  });

  it('whose collect link is turned off is refused with why, and nothing is stored', async () => {
    const made = await ok(s.key, 'POST', '/api/boards', { title: 'Link off' });
    await ok(s.key, 'PUT', `/api/boards/${made.id}/study`, SETTINGS);
    const phone = await newKey(s);
    await ok(phone, 'POST', '/api/join', { link: made.links.collect });
    await ok(phone, 'POST', `/api/boards/${made.id}/study/entries`, {
      id: newId(),
      verbatim: 'Before',
      at: '2026-03-03T09:00:00Z',
    });
    const rotated = await ok(s.key, 'POST', `/api/boards/${made.id}/links/collect/rotate`);
    expect(rotated.collect).not.toBe(made.links.collect);
    expect(rotated.edit).toBe(made.links.edit);
    const refused = await call(phone, 'POST', `/api/boards/${made.id}/study/entries`, {
      id: newId(),
      verbatim: 'After',
      at: '2026-03-03T09:00:00Z',
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'link turned off' });
    expect(refused.body.error).toMatch(/turned off the link/);
    expect((await ok(s.key, 'GET', `/api/boards/${made.id}/study/entries`)).total).toBe(1);
  });
});

describe('message 106 on the board’s websocket', () => {
  it('reaches a real y-websocket client on asking, and again within a moment of each new entry', async () => {
    const client = connectClient(s.wsUrl, boardId, { key: keys.viewer });
    const seen: StudyCountsMessage[] = [];
    client.provider.messageHandlers[MESSAGE_STUDY] = (_e: encoding.Encoder, decoder: decoding.Decoder) => {
      const message = readStudyCounts(decoder);
      if (message) seen.push(message);
    };
    try {
      await synced(client);
      client.provider.ws!.send(encodeStudyRequest());
      await waitFor(() => seen.length > 0, 5000, 'the first counts');
      const before = seen[seen.length - 1].study!;
      const repair = before.types.find((t) => t.name === 'I need a repair')!;
      const countOf = (m: StudyCountsMessage) => m.study!.byType.find((t) => t.type === repair.id)!.count;
      const at = '2026-03-10T09:00:00Z';
      const started = Date.now();
      await ok(keys.collector, 'POST', entriesPath(), {
        id: newId('live'),
        verbatim: 'Boiler',
        type: 'I need a repair',
        at,
      });
      await waitFor(
        () => seen.length > 1 && countOf(seen[seen.length - 1]) === countOf({ study: before }) + 1,
        5000,
        () => `the new count (saw ${seen.length})`,
      );
      expect(Date.now() - started).toBeLessThan(5000);
      const latest = seen[seen.length - 1].study!;
      expect(latest.total).toBe(before.total + 1);
      expect(latest.days.some((d) => d.day === '2026-03-10')).toBe(true);
      // Fifty entries at once make few messages, not fifty (debounced).
      const count = seen.length;
      await ok(keys.collector, 'POST', entriesPath(), {
        entries: Array.from({ length: 50 }, () => ({ id: newId('burst'), verbatim: 'Burst', at })),
      });
      await waitFor(() => seen[seen.length - 1].study!.total === latest.total + 50, 5000, 'the burst counted');
      expect(seen.length - count).toBeLessThanOrEqual(2);
    } finally {
      client.destroy();
    }
  });

  it('a plain client that does not ask is never sent a type it does not know', async () => {
    const quiet = connectClient(s.wsUrl, boardId, { key: keys.viewer });
    const asking = connectClient(s.wsUrl, boardId, { key: keys.editor });
    const heard = { quiet: 0, asking: [] as StudyCountsMessage[] };
    quiet.provider.messageHandlers[MESSAGE_STUDY] = () => heard.quiet++;
    asking.provider.messageHandlers[MESSAGE_STUDY] = (_e: encoding.Encoder, decoder: decoding.Decoder) => {
      const message = readStudyCounts(decoder);
      if (message) heard.asking.push(message);
    };
    try {
      await synced(quiet);
      await synced(asking);
      asking.provider.ws!.send(encodeStudyRequest());
      await waitFor(() => heard.asking.length > 0, 5000, 'the asking client’s counts');
      const total = heard.asking[0].study!.total;
      await ok(keys.collector, 'POST', entriesPath(), {
        id: newId('quiet'),
        verbatim: 'Quiet',
        at: '2026-03-10T09:00:00Z',
      });
      // The push has gone out to whoever asked: the one that did not ask got nothing, then or before.
      await waitFor(() => heard.asking.at(-1)!.study!.total === total + 1, 5000, 'the push to the asking client');
      expect(heard.quiet).toBe(0);
    } finally {
      quiet.destroy();
      asking.destroy();
    }
  });
});

describe('durability', () => {
  it('entries acknowledged before a SIGKILL are all there after the restart', async () => {
    const server = await startServer();
    try {
      const made = (await (
        await api(`${server.url}/api/boards`, {
          key: server.key,
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ title: 'Kill me' }),
        })
      ).json()) as { id: string };
      const post = (body: unknown, url = server.url) =>
        api(`${url}/api/boards/${made.id}/study${body === SETTINGS ? '' : '/entries'}`, {
          key: server.key,
          method: body === SETTINGS ? 'PUT' : 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post(SETTINGS)).status).toBe(200);
      const acknowledged: string[] = [];
      for (let i = 0; i < 20; i++) {
        const batch = Array.from({ length: 10 }, () => ({
          id: newId('k'),
          verbatim: 'Kept',
          at: '2026-03-12T09:00:00Z',
        }));
        const answer = await post({ entries: batch });
        expect(answer.status).toBe(201);
        acknowledged.push(...batch.map((e) => e.id));
      }
      await server.stop('SIGKILL');
      const again = await startServer({ dataDir: server.dataDir });
      try {
        const listing = (await (
          await api(`${again.url}/api/boards/${made.id}/study/entries?limit=1000`, { key: again.key })
        ).json()) as { total: number; entries: Array<{ id: string }> };
        expect(listing.total).toBe(200);
        expect(listing.entries.map((e) => e.id).sort()).toEqual([...acknowledged].sort());
      } finally {
        await again.stop();
      }
    } finally {
      await server.stop();
    }
  });
});
