/** POST /api/boards with a template, GET /api/templates: the real server, the model's own templates and measures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EXAMPLE_PAIRS, TEMPLATES, TEMPLATE_IDS, measuresOfDoc, readBoard, type Measures } from '../../src/model';
import { connectClient, synced } from '../helpers/clients';
import { api, startServer, type ServerProcess } from '../helpers/server';

let s: ServerProcess;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.stop();
});

async function post(body: unknown) {
  const response = await api(`${s.url}/api/boards`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      id: string;
      title: string;
      error?: string;
      after?: { id: string; title: string };
    },
  };
}

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await api(`${s.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

/** What the template gives when applied locally: the figures the server must report. */
function expectedMeasures(id: (typeof TEMPLATE_IDS)[number]): Measures {
  const doc = new Y.Doc();
  TEMPLATES[id].apply(doc);
  return measuresOfDoc(doc);
}

/** Measures with the random ids taken out: a server-made board has its own ids. */
function withoutIds(m: Measures) {
  return {
    ...m,
    mainPath: m.mainPath.map((s) => s.label),
    unconnectedSteps: m.unconnectedSteps.map((s) => s.label),
  };
}

describe('POST /api/boards with a template', () => {
  it.each(TEMPLATE_IDS)('"%s": the new board measures as the template does', async (template) => {
    const created = await post({ title: `From ${template}`, template });
    expect(created.status).toBe(201);
    expect(created.body.title).toBe(`From ${template}`);
    const { status, body } = await getJson<Measures>(`/api/boards/${created.body.id}/measures`);
    expect(status).toBe(200);
    expect(withoutIds(body)).toEqual(withoutIds(expectedMeasures(template)));
    const summary = await getJson<{ steps: number }>(`/api/boards/${created.body.id}`);
    expect(summary.body.steps).toBe(body.steps);
  });

  it('housing-repairs-before gives the figures of method.md', async () => {
    const { body: created } = await post({ title: 'Repairs', template: 'housing-repairs-before' });
    const { body: m } = await getJson<Measures>(`/api/boards/${created.id}/measures`);
    expect(m).toMatchObject({
      endToEndLeadTime: 34570,
      processTime: 250,
      handoffs: 6,
      handoffsOnMainPath: 5,
      departmentsTraversed: 4,
      reworkLoops: 1,
      customerContacts: 6,
      steps: 10,
      valueSteps: 3,
      totalDemand: 1000,
    });
    expect(m.failureDemandPct).toBeCloseTo(55, 10);
    expect(m.activityRatioPct!.toFixed(2)).toBe('0.72');
    expect(m.rolledCAPct!.toFixed(1)).toBe('11.9');
  });

  it('the template is in the first state a client receives, once: a client that syncs twice sees it once', async () => {
    const { body: created } = await post({ title: 'After', template: 'housing-repairs-after' });
    const first = connectClient(s.wsUrl, created.id);
    await synced(first);
    const second = connectClient(s.wsUrl, created.id);
    await synced(second);
    for (const client of [first, second]) {
      const board = readBoard(client.doc);
      expect(board.nodes.filter((n) => n.kind === 'step')).toHaveLength(4);
      expect(board.lanes.map((l) => l.name)).toEqual(['Contact centre', 'Repair team']);
      expect(measuresOfDoc(client.doc).endToEndLeadTime).toBe(7220);
    }
    first.destroy();
    second.destroy();
  });

  it('an unknown template is 400 naming the known ones, and no board is created', async () => {
    const { body: before } = await getJson<unknown[]>('/api/boards');
    for (const template of ['nope', 'toString', 42, null]) {
      const { status, body } = await post({ title: 'Should not exist', template });
      expect(status).toBe(400);
      expect(body.error).toMatch(/"template" is not a known template/);
      for (const id of TEMPLATE_IDS) expect(body.error).toContain(id);
    }
    const { body: after } = await getJson<unknown[]>('/api/boards');
    expect(after).toHaveLength(before.length);
  });
});

describe('POST /api/boards with "pair": an example as a linked before and after', () => {
  it.each(EXAMPLE_PAIRS.map((p) => [p.before, p.after]))(
    '"%s" makes its after board "%s" too, linked, with its own figures',
    async (before, after) => {
      const made = await post({ title: 'Housing repairs — before', template: before, pair: true });
      expect(made.status).toBe(201);
      expect(made.body.title).toBe('Housing repairs — before');
      // The after board's title by the redesign's rule: "– before" becomes "– after".
      // Both boards are the caller's, each with its own share links.
      expect(made.body.after).toEqual({
        id: expect.any(String),
        title: 'Housing repairs – after',
        role: 'facilitator',
        links: {
          edit: expect.stringMatching(/\/join\//),
          view: expect.stringMatching(/\/join\//),
          collect: expect.stringMatching(/\/join\//),
        },
      });
      const afterId = made.body.after!.id;
      const summary = await getJson<{ beforeBoardId?: string }>(`/api/boards/${afterId}`);
      expect(summary.body.beforeBoardId).toBe(made.body.id);
      const list = await getJson<Array<{ id: string; beforeBoardId?: string }>>('/api/boards');
      expect(list.body.find((b) => b.id === afterId)?.beforeBoardId).toBe(made.body.id);
      expect(list.body.find((b) => b.id === made.body.id)?.beforeBoardId).toBeUndefined();
      const beforeMeasures = await getJson<Measures>(`/api/boards/${made.body.id}/measures`);
      const afterMeasures = await getJson<Measures>(`/api/boards/${afterId}/measures`);
      expect(withoutIds(beforeMeasures.body)).toEqual(withoutIds(expectedMeasures(before)));
      expect(withoutIds(afterMeasures.body)).toEqual(withoutIds(expectedMeasures(after)));
      // Both carry their illustrative capability series.
      expect(beforeMeasures.body.capability).not.toBeNull();
      expect(afterMeasures.body.capability!.mean).toBeLessThan(beforeMeasures.body.capability!.mean);
    },
  );

  it('"pair" without an example’s before template is 400 naming the ones it takes, and nothing is created', async () => {
    const { body: before } = await getJson<unknown[]>('/api/boards');
    for (const body of [
      { title: 'No', pair: true },
      { title: 'No', template: 'housing-repairs-after', pair: true },
      { title: 'No', template: 'blank', pair: true },
    ]) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe(
        '"pair" needs an example\'s before template (housing-repairs-before, benefits-claim-before)',
      );
    }
    const wrongType = await post({ title: 'No', template: 'housing-repairs-before', pair: 'yes' });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toMatch(/"pair" must be true or false/);
    const { body: after } = await getJson<unknown[]>('/api/boards');
    expect(after).toHaveLength(before.length);
  });
});

describe('GET /api/templates', () => {
  it('lists every template: id, title and description', async () => {
    const { status, body } = await getJson<{ id: string; title: string; description: string }[]>('/api/templates');
    expect(status).toBe(200);
    expect(body.map((t) => t.id)).toEqual([...TEMPLATE_IDS]);
    for (const t of body) {
      expect(t).toEqual({
        id: t.id,
        title: TEMPLATES[t.id as keyof typeof TEMPLATES].title,
        description: expect.any(String),
      });
    }
  });

  it('refuses other methods', async () => {
    const response = await api(`${s.url}/api/templates`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
  });
});
