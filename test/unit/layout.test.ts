/**
 * Auto-layout: the flow left to right along its flow edges, each step inside
 * its lane's band, demand to the left, purpose above, conditions below, notes
 * untouched — applied in one transaction.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  LANE_HEIGHT,
  LOCAL_ORIGIN,
  STEP_OFFSET_Y,
  TEMPLATES,
  addCondition,
  addDemand,
  addLane,
  addNote,
  addPurpose,
  addStep,
  autoLayout,
  computeLayout,
  connect,
  lanesMap,
  layoutInputFromDoc,
  nodesMap,
  setRework,
  type LayoutInput,
} from '../../src/model';

function positionOf(doc: Y.Doc, id: string): { x: number; y: number } {
  const node = nodesMap(doc).get(id)!;
  return { x: Number(node.get('x')), y: Number(node.get('y')) };
}

function laneBand(doc: Y.Doc, laneId: string): [number, number] {
  const lanes = [...lanesMap(doc).entries()].sort(
    ([a, x], [b, y]) => Number(x.get('order')) - Number(y.get('order')) || a.localeCompare(b),
  );
  const index = lanes.findIndex(([id]) => id === laneId);
  return [index * LANE_HEIGHT, (index + 1) * LANE_HEIGHT];
}

describe('computeLayout', () => {
  it('puts steps left to right along flow edges, ignoring rework for the ranking, inside their lanes', () => {
    const input: LayoutInput = {
      lanes: [
        { id: 'b', order: 1 },
        { id: 'a', order: 0 },
      ],
      nodes: [
        { id: 's3', kind: 'step', position: { x: -500, y: 900 }, lane: 'a' },
        { id: 's1', kind: 'step', position: { x: 800, y: 0 }, lane: 'b' },
        { id: 's2', kind: 'step', position: { x: 0, y: 0 }, lane: 'a' },
        { id: 'free', kind: 'step', position: { x: 0, y: 0 }, lane: null },
      ],
      edges: [
        { id: 'e1', kind: 'flow', source: 's1', target: 's2' },
        { id: 'e2', kind: 'flow', source: 's2', target: 's3' },
        { id: 'back', kind: 'flow', source: 's3', target: 's1', rework: true },
      ],
    };
    const layout = computeLayout(input);
    const [p1, p2, p3] = ['s1', 's2', 's3'].map((id) => layout.get(id)!);
    expect(p1.x).toBeLessThan(p2.x);
    expect(p2.x).toBeLessThan(p3.x);
    // Lane a (order 0) is the top band, lane b the next; a step sits STEP_OFFSET_Y below its band's top.
    expect(p2.y).toBe(STEP_OFFSET_Y);
    expect(p3.y).toBe(STEP_OFFSET_Y);
    expect(p1.y).toBe(LANE_HEIGHT + STEP_OFFSET_Y);
    // A step in no lane gets the band below the lanes.
    expect(layout.get('free')!.y).toBe(2 * LANE_HEIGHT + STEP_OFFSET_Y);
  });

  it('never puts two steps of one rank and one lane on top of each other', () => {
    const input: LayoutInput = {
      lanes: [{ id: 'a', order: 0 }],
      nodes: ['s', 'x', 'y', 'z'].map((id) => ({ id, kind: 'step' as const, position: { x: 0, y: 0 }, lane: 'a' })),
      edges: [
        { id: '1', kind: 'flow', source: 's', target: 'x' },
        { id: '2', kind: 'flow', source: 's', target: 'y' },
        { id: '3', kind: 'flow', source: 'x', target: 'z' },
        { id: '4', kind: 'flow', source: 'y', target: 'z' },
      ],
    };
    const layout = computeLayout(input);
    const keys = [...layout.values()].map((p) => `${p.x},${p.y}`);
    expect(new Set(keys).size).toBe(4);
    expect(layout.get('s')!.x).toBeLessThan(Math.min(layout.get('x')!.x, layout.get('y')!.x));
    expect(layout.get('z')!.x).toBeGreaterThan(Math.max(layout.get('x')!.x, layout.get('y')!.x));
  });

  it('is the same whatever order the maps iterate in', () => {
    const doc = new Y.Doc();
    TEMPLATES['benefits-claim-before'].apply(doc);
    const input = layoutInputFromDoc(doc);
    const reversed = { nodes: [...input.nodes].reverse(), edges: [...input.edges].reverse(), lanes: input.lanes };
    expect([...computeLayout(reversed)].sort()).toEqual([...computeLayout(input)].sort());
  });
});

describe('autoLayout on a document', () => {
  it('places demand left of the flow, purpose above, conditions below the lanes and leaves notes alone', () => {
    const doc = new Y.Doc();
    const lane = addLane(doc, 'Front office');
    const s1 = addStep(doc, { position: { x: 900, y: 700 }, label: 'Take call', lane });
    const s2 = addStep(doc, { position: { x: -900, y: 300 }, label: 'Fix', lane });
    connect(doc, s1, s2);
    const demand = addDemand(doc, {
      position: { x: 1200, y: 50 },
      words: 'Fix my boiler',
      demandClass: 'value',
      count: 3,
      predictable: true,
    });
    const purpose = addPurpose(doc, { position: { x: 500, y: 900 }, statement: 'Warm homes', whatMatters: [] });
    const condition = addCondition(doc, { position: { x: 0, y: -900 }, label: 'Targets', conditionType: 'target' });
    connect(doc, condition, s2, 'causes');
    const note = addNote(doc, { position: { x: 77, y: 88 }, text: 'hmm' });

    autoLayout(doc);
    const firstX = Math.min(positionOf(doc, s1).x, positionOf(doc, s2).x);
    expect(positionOf(doc, s1).x).toBeLessThan(positionOf(doc, s2).x);
    expect(positionOf(doc, demand).x).toBeLessThan(firstX);
    expect(positionOf(doc, purpose).y).toBeLessThan(0);
    expect(positionOf(doc, condition).y).toBeGreaterThanOrEqual(LANE_HEIGHT);
    expect(positionOf(doc, condition).x).toBe(positionOf(doc, s2).x);
    expect(positionOf(doc, note)).toEqual({ x: 77, y: 88 });
  });

  it('is one update and one undo step, and a second run changes nothing', () => {
    const doc = new Y.Doc();
    TEMPLATES['housing-repairs-before'].apply(doc);
    // Scramble the board.
    doc.transact(() => {
      let i = 0;
      nodesMap(doc).forEach((node) => {
        node.set('x', (i * 7919) % 1000);
        node.set('y', (i * 104729) % 800);
        i++;
      });
    });
    const before = Y.encodeStateVector(doc);
    const undo = new Y.UndoManager([nodesMap(doc)], { trackedOrigins: new Set([LOCAL_ORIGIN]) });
    const scrambled = JSON.stringify(nodesMap(doc).toJSON());
    let updates = 0;
    doc.on('update', () => updates++);
    expect(autoLayout(doc)).toBeGreaterThan(0);
    expect(updates).toBe(1);
    expect(Y.encodeStateVector(doc)).not.toEqual(before);
    expect(autoLayout(doc)).toBe(0);
    expect(updates).toBe(1);
    undo.undo();
    expect(JSON.stringify(nodesMap(doc).toJSON())).toBe(scrambled);
  });

  it('lays out housing-repairs-before: step 1 left of step 10, every step inside its lane band', () => {
    const doc = new Y.Doc();
    TEMPLATES['housing-repairs-before'].apply(doc);
    // Template steps are added in their number order; keep their ids in that order by the template's own x.
    const steps = [...nodesMap(doc).entries()]
      .filter(([, n]) => n.get('kind') === 'step')
      .sort(([, a], [, b]) => Number(a.get('x')) - Number(b.get('x')));
    expect(steps).toHaveLength(10);
    // Move everything away first so the test shows the layout, not the template's own positions.
    doc.transact(() => steps.forEach(([, n]) => n.set('x', 0)));
    autoLayout(doc);
    const step1 = positionOf(doc, steps[0][0]);
    const step10 = positionOf(doc, steps[9][0]);
    expect(step1.x).toBeLessThan(step10.x);
    for (const [id, node] of steps) {
      const [top, bottom] = laneBand(doc, String(node.get('lane')));
      const { y } = positionOf(doc, id);
      expect(y).toBeGreaterThanOrEqual(top);
      expect(y).toBeLessThan(bottom);
      expect(y).toBe(top + STEP_OFFSET_Y);
    }
    // Left to right along every non-rework flow edge.
    doc.getMap<Y.Map<unknown>>('edges').forEach((edge) => {
      if (edge.get('kind') !== 'flow' || edge.get('rework') === true) return;
      expect(positionOf(doc, String(edge.get('source'))).x).toBeLessThan(positionOf(doc, String(edge.get('target'))).x);
    });
  });

  it('keeps a rework loop out of the ranking', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: { x: 0, y: 0 }, label: 'A' });
    const b = addStep(doc, { position: { x: 0, y: 0 }, label: 'B' });
    const c = addStep(doc, { position: { x: 0, y: 0 }, label: 'C' });
    connect(doc, a, b);
    connect(doc, b, c);
    setRework(doc, connect(doc, c, a), true);
    autoLayout(doc);
    expect(positionOf(doc, a).x).toBeLessThan(positionOf(doc, b).x);
    expect(positionOf(doc, b).x).toBeLessThan(positionOf(doc, c).x);
  });
});
