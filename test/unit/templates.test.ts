/**
 * Board templates: applied to a Y.Doc, each gives the figures its description
 * promises through the same `measuresOfDoc` the panel and the API use; the
 * housing-repairs pair gives exactly the figures of method.md.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  LANE_HEIGHT,
  LOCAL_ORIGIN,
  MINUTES_PER_DAY,
  TEMPLATES,
  TEMPLATE_IDS,
  edgesMap,
  getTemplate,
  lanesMap,
  listTemplates,
  measuresOfDoc,
  metaMap,
  nodesMap,
  readBoard,
  readPeriod,
  whatMattersOf,
  type Measures,
  type TemplateId,
} from '../../src/model';

function applied(id: TemplateId): Y.Doc {
  const doc = new Y.Doc();
  TEMPLATES[id].apply(doc);
  return doc;
}

function labelsOf(doc: Y.Doc, m: Measures): string[] {
  expect(m.mainPath.every((s) => nodesMap(doc).has(s.id))).toBe(true);
  return m.mainPath.map((s) => s.label);
}

describe('housing-repairs-before: the reference example of method.md', () => {
  const doc = applied('housing-repairs-before');
  const m = measuresOfDoc(doc);

  it('end-to-end lead time 24 d 10 m, process time 250 m, activity ratio 0.72%', () => {
    expect(m.endToEndLeadTime).toBe(24 * MINUTES_PER_DAY + 10);
    expect(m.endToEndLeadTime).toBe(34570);
    expect(m.processTime).toBe(250);
    expect(m.activityRatioPct!.toFixed(2)).toBe('0.72');
  });

  it('handoffs 6 in all, 5 on the main path; departments 4; one rework loop; 6 customer contacts', () => {
    expect(m.handoffs).toBe(6);
    expect(m.handoffsOnMainPath).toBe(5);
    expect(m.departmentsTraversed).toBe(4);
    expect(m.reworkLoops).toBe(1);
    expect(m.customerContacts).toBe(6);
  });

  it('3 value steps of 10, rolled %C&A 11.9%, failure demand 55% of 1,000', () => {
    expect(m.steps).toBe(10);
    expect(m.valueSteps).toBe(3);
    expect(m.wasteSteps).toBe(7);
    expect(m.wasteByType).toMatchObject({ check: 3, admin: 2, wait: 1, rework: 1 });
    expect(m.rolledCAPct!.toFixed(1)).toBe('11.9');
    expect(m.totalDemand).toBe(1000);
    expect(m.failureDemandPct).toBeCloseTo(55, 10);
    expect(m.predictablePct).toBe(100);
  });

  it('main path is steps 1 to 10 in order; the rework edge 9→5 is marked and left out of it', () => {
    expect(labelsOf(doc, m)).toEqual([
      'Take repair call',
      'Code job to schedule of rates',
      'Pre-inspection visit',
      'Raise works order',
      'Schedule contractor',
      'Visit and diagnose',
      'Order parts, book return visit',
      'Do the repair',
      'Post-inspection',
      'Close job and invoice',
    ]);
    const rework = [...edgesMap(doc).values()].filter((e) => e.get('rework') === true);
    expect(rework).toHaveLength(1);
    const label = (id: unknown) => nodesMap(doc).get(String(id))!.get('label');
    expect(label(rework[0].get('source'))).toBe('Post-inspection');
    expect(label(rework[0].get('target'))).toBe('Schedule contractor');
    expect(m.unconnectedSteps).toEqual([]);
    // The illustrative series (twenty repairs): mean 24.3 d, limits mean ± 2.66 × average moving range.
    expect(m.capability!.mean / MINUTES_PER_DAY).toBeCloseTo(24.3, 9);
    expect(m.capability!.upper / MINUTES_PER_DAY).toBeCloseTo(41.52, 9);
  });

  it('has the purpose, what matters, period, lanes in order, conditions with their causes, entry edges', () => {
    const board = readBoard(doc);
    expect(board.lanes.map((l) => l.name)).toEqual(['Contact centre', 'Repairs admin', 'Supervisor', 'Contractor']);
    expect(readPeriod(doc)).toBe('one week');
    const purpose = [...nodesMap(doc).values()].filter((n) => n.get('kind') === 'purpose');
    expect(purpose).toHaveLength(1);
    expect(purpose[0].get('label')).toBe('Do the right repair at the right time');
    expect(whatMattersOf(purpose[0])).toEqual(['Fix it first time', "Come when I'm in", "Don't make me chase"]);

    const text = (id: string) => {
      const node = nodesMap(doc).get(id)!;
      return String(node.get('label') ?? node.get('words'));
    };
    const edgesOf = (kind: string) =>
      board.edges
        .filter((e) => e.kind === kind)
        .map((e) => `${text(e.source)} → ${text(e.target)}`)
        .sort();
    expect(edgesOf('causes')).toEqual(
      [
        'Contractor paid per visit → Order parts, book return visit',
        'Schedule-of-rates pricing → Code job to schedule of rates',
        'Schedule-of-rates pricing → Raise works order',
        'Supervisor sign-off rule → Post-inspection',
        'Supervisor sign-off rule → Pre-inspection visit',
      ].sort(),
    );
    expect(edgesOf('entry')).toEqual(
      ['I need a repair → Take repair call', 'I need an adaptation to my home → Take repair call'].sort(),
    );
    const types = [...nodesMap(doc).values()]
      .filter((n) => n.get('kind') === 'condition')
      .map((n) => `${String(n.get('label'))}: ${String(n.get('conditionType'))}`)
      .sort();
    expect(types).toEqual([
      'Contractor paid per visit: target',
      'Schedule-of-rates pricing: procedure',
      'Supervisor sign-off rule: procedure',
    ]);
  });
});

describe('housing-repairs-after: the reference example redesigned', () => {
  const doc = applied('housing-repairs-after');
  const m = measuresOfDoc(doc);

  it('main path 1→2→3→4: lead time 5 d 20 m, process time 195 m', () => {
    expect(m.mainPath).toHaveLength(4);
    expect(m.endToEndLeadTime).toBe(5 * MINUTES_PER_DAY + 20);
    expect(m.endToEndLeadTime).toBe(7220);
    expect(m.processTime).toBe(195);
  });

  it('handoffs 1, departments 2, rework loops 0, rolled %C&A 85.7%, failure demand 16.7%', () => {
    expect(m.handoffs).toBe(1);
    expect(m.handoffsOnMainPath).toBe(1);
    expect(m.departmentsTraversed).toBe(2);
    expect(m.reworkLoops).toBe(0);
    expect(m.rolledCAPct!.toFixed(1)).toBe('85.7');
    expect(m.totalDemand).toBe(540);
    expect(m.failureDemandPct!.toFixed(1)).toBe('16.7');
    expect(m.valueSteps).toBe(4);
    expect(m.customerContacts).toBe(4);
    expect(readBoard(doc).lanes.map((l) => l.name)).toEqual(['Contact centre', 'Repair team']);
  });
});

describe('benefits-claim-before and -after: the second worked example', () => {
  it('before: 42 days, 125 m of work, 2 marked rework loops, 5 handoffs, failure demand 51.2%', () => {
    const m = measuresOfDoc(applied('benefits-claim-before'));
    // LT 3 + 2 + 6 + 14 + 4 + 5 + 3 + 2 + 3 d; PT 10 + 5 + 15 + 10 + 20 + 40 + 5 + 10 + 10 m.
    expect(m.endToEndLeadTime).toBe(42 * MINUTES_PER_DAY);
    expect(m.processTime).toBe(125);
    expect(m.activityRatioPct!.toFixed(2)).toBe('0.21');
    // 0.70 · 0.90 · 0.50 · 0.70 · 0.80 · 0.85 · 0.90 · 0.85 · 0.95
    expect(m.rolledCAPct!.toFixed(1)).toBe('10.9');
    expect(m.reworkLoops).toBe(2);
    // Main path: 2→3, 6→7, 7→8, 8→9; the rework edge 7→6 is the fifth.
    expect(m.handoffs).toBe(5);
    expect(m.handoffsOnMainPath).toBe(4);
    expect(m.departmentsTraversed).toBe(4);
    expect(m.customerContacts).toBe(3);
    expect(m.steps).toBe(9);
    expect(m.valueSteps).toBe(3);
    expect(m.totalDemand).toBe(820);
    expect(m.failureDemandPct!.toFixed(1)).toBe('51.2');
    expect(m.mainPath).toHaveLength(9);
  });

  it('after: 7 d 45 m, 95 m of work, 1 handoff, no loops, failure demand 11.1%', () => {
    const doc = applied('benefits-claim-after');
    const m = measuresOfDoc(doc);
    // Main path through "wait for evidence" (the longer branch): 2 d + 45 m + 3 d + 1 d + 1 d.
    expect(m.endToEndLeadTime).toBe(7 * MINUTES_PER_DAY + 45);
    expect(m.processTime).toBe(95);
    expect(m.mainPath).toHaveLength(5);
    expect(m.rolledCAPct!.toFixed(1)).toBe('73.1');
    expect(m.reworkLoops).toBe(0);
    expect(m.handoffs).toBe(1);
    expect(m.departmentsTraversed).toBe(2);
    expect(m.customerContacts).toBe(4);
    expect(m.totalDemand).toBe(450);
    expect(m.failureDemandPct!.toFixed(1)).toBe('11.1');
    expect(m.unconnectedSteps).toEqual([]);
  });
});

describe('every template', () => {
  it.each(TEMPLATE_IDS.filter((id) => id !== 'blank'))('%s is inserted as one update', (id) => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => origins.push(origin));
    TEMPLATES[id].apply(doc);
    expect(origins).toEqual([LOCAL_ORIGIN]);

    const server = Symbol('server');
    const other = new Y.Doc();
    const seen: unknown[] = [];
    other.on('update', (_update: Uint8Array, origin: unknown) => seen.push(origin));
    TEMPLATES[id].apply(other, server);
    expect(seen).toEqual([server]);
  });

  it('blank leaves the document empty', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    TEMPLATES.blank.apply(doc);
    expect(updates).toBe(0);
    expect(nodesMap(doc).size + edgesMap(doc).size + lanesMap(doc).size + metaMap(doc).size).toBe(0);
  });

  it.each(TEMPLATE_IDS)('%s: every edge joins existing nodes of the right kinds; steps sit inside their lane', (id) => {
    const doc = applied(id);
    const kind = (nodeId: unknown) => nodesMap(doc).get(String(nodeId))?.get('kind');
    const ends = { flow: ['step', 'step'], entry: ['demand', 'step'], causes: ['condition', 'step|demand'] };
    edgesMap(doc).forEach((edge) => {
      const [source, target] = ends[edge.get('kind') as keyof typeof ends];
      expect(source.split('|')).toContain(kind(edge.get('source')));
      expect(target.split('|')).toContain(kind(edge.get('target')));
    });
    // readBoard drops edges with a missing end: none is dropped.
    expect(readBoard(doc).edges).toHaveLength(edgesMap(doc).size);

    const lanes = lanesMap(doc);
    const steps = [...nodesMap(doc).values()].filter((n) => n.get('kind') === 'step');
    for (const step of steps) {
      const lane = lanes.get(String(step.get('lane')));
      expect(lane).toBeDefined();
      const top = Number(lane!.get('order')) * LANE_HEIGHT;
      expect(Number(step.get('y'))).toBeGreaterThanOrEqual(top);
      expect(Number(step.get('y'))).toBeLessThan(top + LANE_HEIGHT);
    }
    // Demand to the left of the flow, conditions below the lanes, the purpose above them.
    const bottom = lanes.size * LANE_HEIGHT;
    nodesMap(doc).forEach((node) => {
      const k = node.get('kind');
      if (k === 'demand') expect(Number(node.get('x'))).toBeLessThan(0);
      if (k === 'condition') expect(Number(node.get('y'))).toBeGreaterThanOrEqual(bottom);
      if (k === 'purpose') expect(Number(node.get('y'))).toBeLessThan(0);
    });
  });

  it('on a board that already has a lane, the template lanes go below it and the steps follow', () => {
    const doc = new Y.Doc();
    TEMPLATES['housing-repairs-after'].apply(doc);
    TEMPLATES['housing-repairs-after'].apply(doc);
    const lanes = readBoard(doc).lanes;
    expect(lanes.map((l) => l.order)).toEqual([0, 1, 2, 3]);
    const steps = [...nodesMap(doc).values()].filter((n) => n.get('kind') === 'step');
    for (const step of steps) {
      const order = lanes.find((l) => l.id === step.get('lane'))!.order;
      expect(Math.floor(Number(step.get('y')) / LANE_HEIGHT)).toBe(order);
    }
  });

  it('listTemplates gives id, title and a one-line description for each, in TEMPLATE_IDS order', () => {
    const list = listTemplates();
    expect(list.map((t) => t.id)).toEqual([...TEMPLATE_IDS]);
    for (const t of list) {
      expect(Object.keys(t).sort()).toEqual(['description', 'id', 'title']);
      expect(t.title.length).toBeGreaterThan(0);
      expect(t.description).not.toMatch(/\n/);
    }
    expect(getTemplate('housing-repairs-before')).toBe(TEMPLATES['housing-repairs-before']);
    expect(getTemplate('toString')).toBeUndefined();
    expect(getTemplate('nope')).toBeUndefined();
  });
});
