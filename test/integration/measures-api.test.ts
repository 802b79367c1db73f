/** GET /api/boards/:id/measures: the measures of a live board, computed by the model's one function. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDemand, addStep, connect, setRework, updateStep, type Measures } from '../../src/model';
import { connectClient, synced } from '../helpers/clients';
import { api, createBoard, startServer, type ServerProcess } from '../helpers/server';

let s: ServerProcess;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.stop();
});

async function measures(id: string) {
  const response = await api(`${s.url}/api/boards/${id}/measures`);
  return { status: response.status, body: (await response.json()) as Measures & { error?: string } };
}

describe('GET /api/boards/:id/measures', () => {
  it('gives every measure, "—" as null, for a board a client is building', async () => {
    const id = await createBoard(s, 'Small map');
    const empty = await measures(id);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ totalDemand: 0, failureDemandPct: null, endToEndLeadTime: null, steps: 0 });

    const client = connectClient(s.wsUrl, id);
    await synced(client);
    const doc = client.doc;
    addDemand(doc, {
      position: { x: 0, y: 0 },
      words: 'I need a repair',
      demandClass: 'value',
      count: 30,
      predictable: true,
    });
    addDemand(doc, {
      position: { x: 0, y: 0 },
      words: 'When are you coming?',
      demandClass: 'failure',
      count: 10,
      predictable: false,
    });
    const take = addStep(doc, { position: { x: 0, y: 0 }, label: 'Take call' });
    const visit = addStep(doc, { position: { x: 200, y: 0 }, label: 'Visit' });
    const inspect = addStep(doc, { position: { x: 400, y: 0 }, label: 'Inspect' });
    // Lanes arrive with issue 3's lane operations; without lanes there are no handoffs.
    updateStep(doc, take, { stepClass: 'value', pt: 10, lt: 10, ca: 90, customerContact: true });
    updateStep(doc, visit, { stepClass: 'value', pt: 60, lt: 2 * 1440, ca: 80 });
    updateStep(doc, inspect, { stepClass: 'waste', wasteType: 'check', pt: 30, lt: 1440 });
    connect(doc, take, visit);
    connect(doc, visit, inspect);
    setRework(doc, connect(doc, inspect, visit), true);
    expect(await client.saved()).toBe(true);

    const { status, body } = await measures(id);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      totalDemand: 40,
      failureDemandPct: 25,
      valueDemandPct: 75,
      predictablePct: 75,
      endToEndLeadTime: 10 + 3 * 1440,
      processTime: 100,
      steps: 3,
      valueSteps: 2,
      wasteSteps: 1,
      reworkLoops: 1,
      customerContacts: 1,
      handoffs: 0,
      mainPath: [
        { id: take, label: 'Take call' },
        { id: visit, label: 'Visit' },
        { id: inspect, label: 'Inspect' },
      ],
      unconnectedSteps: [],
      capability: null,
    });
    expect(body.rolledCAPct).toBeCloseTo(72, 10);
    expect(body.wasteByType.check).toBe(1);
    expect(body.pareto.map((r) => r.words)).toEqual(['I need a repair', 'When are you coming?']);
    client.destroy();
  });

  it('answers 404 for a board that does not exist and 400 for a bad id', async () => {
    const missing = await measures('noSuchBoard9');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/not found/);
    expect((await measures('bad%20id')).status).toBe(400);
  });
});
