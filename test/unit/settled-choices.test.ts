/**
 * The choices method.md writes down where the measures' definitions left room
 * ("Settled choices" under Flow, and marked rework edges set aside before the
 * search), each one tested by name; and flow edges told apart by their pair
 * (rework mark included), in the measures, in `connect` and on import.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addStep,
  computeMeasures,
  connect,
  exportBoardFile,
  getTemplate,
  importBoardFile,
  measuresOfDoc,
  parseBoardFile,
  readBoard,
  serialiseBoardFile,
  setRework,
  updateStep,
  type BoardFile,
  type FlowEdge,
  type FlowStep,
  type MeasuresInput,
} from '../../src/model';

const empty: MeasuresInput = { steps: [], flowEdges: [], demand: [], capabilitySeries: [] };
function step(id: string, x: number, fields: Partial<FlowStep> = {}): FlowStep {
  return {
    id,
    label: id,
    x,
    lane: null,
    stepClass: null,
    wasteType: null,
    pt: null,
    lt: null,
    ca: null,
    customerContact: false,
    ...fields,
  };
}
const flow = (id: string, source: string, target: string, rework = false): FlowEdge => ({ id, source, target, rework });
/** The rework mark of every edge of the document, sorted. */
const reworkMarks = (doc: Y.Doc) =>
  [...(doc.getMap('edges') as Y.Map<Y.Map<unknown>>).values()].map((e) => e.get('rework') === true).sort();
const ids = (refs: { id: string }[]) => refs.map((r) => r.id);

describe('method.md, settled choices of Flow', () => {
  it('settled: a path needs at least one flow edge, so a lone step is unconnected and no main path', () => {
    const m = computeMeasures({ ...empty, steps: [step('a', 0, { lt: 10, pt: 5 })] });
    expect(m.mainPath).toEqual([]);
    expect(ids(m.unconnectedSteps)).toEqual(['a']);
    expect(m.endToEndLeadTime).toBeNull();
  });

  it('settled: lead and process time are "—" when any main-path step lacks that time', () => {
    const steps = [step('a', 0, { lt: 60 }), step('b', 100, { lt: 30, pt: 5 })];
    const m = computeMeasures({ ...empty, steps, flowEdges: [flow('e', 'a', 'b')] });
    expect(m.endToEndLeadTime).toBe(90);
    expect(m.processTime).toBeNull();
    expect(m.activityRatioPct).toBeNull();
  });

  it('settled: two flow edges on one pair with the same rework mark count once (connected at the same moment)', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: { x: 0, y: 0 }, label: 'A', lane: null });
    const b = addStep(doc, { position: { x: 100, y: 0 }, label: 'B', lane: null });
    connect(doc, a, b);
    // A second replica drew the same edge before the two met: the document holds two.
    const edges = doc.getMap('edges') as Y.Map<Y.Map<unknown>>;
    const copy = new Y.Map<unknown>();
    for (const [key, value] of [...edges.values()][0].entries()) copy.set(key, key === 'id' ? 'twin' : value);
    edges.set('twin', copy);
    expect(readBoard(doc).edges).toHaveLength(2);
    const m = measuresOfDoc(doc);
    expect(m.reworkLoops).toBe(0);
    expect(ids(m.mainPath)).toEqual([a, b]);
  });

  it('settled: a marked and a plain flow on one pair are two edges, and the plain one carries the main path', () => {
    const steps = [
      step('a', 0, { lt: 10, lane: 'x' }),
      step('b', 100, { lt: 10, lane: 'y' }),
      step('c', 200, { lt: 10, lane: 'y' }),
    ];
    const m = computeMeasures({
      ...empty,
      steps,
      flowEdges: [flow('plain', 'a', 'b'), flow('marked', 'a', 'b', true), flow('bc', 'b', 'c')],
    });
    expect(ids(m.mainPath)).toEqual(['a', 'b', 'c']);
    expect(m.reworkLoops).toBe(1);
    expect(m.handoffs).toBe(2);
    // Only the plain edge is on the main path.
    expect(m.handoffsOnMainPath).toBe(1);
  });

  it('settled: marked edges are set aside before the search, start steps included', () => {
    // Unmarked: c→a, a→b, b→a; marked: b→c. Over the unmarked flow c is the only start step, so the
    // search enters the a⇄b cycle at a and b→a is the back edge: main path c→a→b. Had the marked
    // edge made c a non-start step, the search would start at b (smallest x) and cut a→b instead.
    const steps = [step('b', 0, { lt: 1 }), step('a', 100, { lt: 1 }), step('c', 200, { lt: 1 })];
    const m = computeMeasures({
      ...empty,
      steps,
      flowEdges: [flow('ca', 'c', 'a'), flow('ab', 'a', 'b'), flow('ba', 'b', 'a'), flow('bc', 'b', 'c', true)],
    });
    expect(m.reworkLoops).toBe(2);
    expect(ids(m.mainPath)).toEqual(['c', 'a', 'b']);
  });

  it('settled: a cycle already broken by a marked edge is not counted twice', () => {
    const steps = [step('a', 0, { lt: 1 }), step('b', 100, { lt: 1 }), step('c', 200, { lt: 1 })];
    const m = computeMeasures({
      ...empty,
      steps,
      flowEdges: [flow('ab', 'a', 'b'), flow('bc', 'b', 'c'), flow('ca', 'c', 'a', true)],
    });
    expect(m.reworkLoops).toBe(1);
    expect(ids(m.mainPath)).toEqual(['a', 'b', 'c']);
  });

  it('settled: ties after the smaller x go to the smaller step id (code-unit order)', () => {
    const steps = [
      step('s', 0, { lt: 1 }),
      step('n', 100, { lt: 5 }),
      step('m', 100, { lt: 5 }),
      step('e', 200, { lt: 1 }),
    ];
    const m = computeMeasures({
      ...empty,
      steps,
      flowEdges: [flow('1', 's', 'n'), flow('2', 's', 'm'), flow('3', 'n', 'e'), flow('4', 'm', 'e')],
    });
    expect(ids(m.mainPath)).toEqual(['s', 'm', 'e']);
  });

  it('settled: summed times closer than 0.001 minute are equal, so the float sum never breaks a tie', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in floating point: without the rule the upper branch (larger x)
    // would win on a sum that is not really larger.
    const steps = [
      step('s', 0, { lt: 0.1 }),
      step('hi', 100, { lt: 0.2 }),
      step('lo', 50, { lt: 0.3 }),
      step('e', 200, { lt: 0 }),
    ];
    const m = computeMeasures({
      ...empty,
      steps: [...steps, step('s2', 0, { lt: 0 })],
      flowEdges: [flow('1', 's', 'hi'), flow('2', 'hi', 'e'), flow('3', 's2', 'lo'), flow('4', 'lo', 'e')],
    });
    expect(0.1 + 0.2).toBeGreaterThan(0.3);
    // s→hi→e sums 0.1+0.2 and s2→lo→e sums 0.3: equal, same steps; first differing step s vs s2
    // has the same x, so the smaller id, "s", wins.
    expect(ids(m.mainPath)).toEqual(['s', 'hi', 'e']);
    const flipped = computeMeasures({
      ...empty,
      steps: [
        step('s', 0, { lt: 0 }),
        step('hi', 100, { lt: 0.3 }),
        step('lo', 50, { lt: 0.2 }),
        step('e', 200, { lt: 0 }),
        step('s2', 0, { lt: 0.1 }),
      ],
      flowEdges: [flow('1', 's', 'hi'), flow('2', 'hi', 'e'), flow('3', 's2', 'lo'), flow('4', 'lo', 'e')],
    });
    // Now s2→lo→e is the float sum 0.1+0.2 (a hair larger): still a tie, still "s" first.
    expect(ids(flipped.mainPath)).toEqual(['s', 'hi', 'e']);
  });
});

describe('flow edges are told apart by their pair, never by a joined text key', () => {
  it('two pairs whose ids contain "→" do not collide, and no flow edge vanishes from the measures', () => {
    const doc = new Y.Doc();
    // With a key of source + "→" + target both pairs read "a→→b".
    const a1 = 'a→';
    const b1 = 'b';
    const a2 = 'a';
    const b2 = '→b';
    const nodes = doc.getMap('nodes') as Y.Map<Y.Map<unknown>>;
    doc.transact(() => {
      [a1, b1, a2, b2].forEach((id, i) => {
        const node = new Y.Map<unknown>();
        for (const [k, v] of Object.entries({ id, kind: 'step', x: i * 100, y: 0, label: id, lt: 10 })) node.set(k, v);
        nodes.set(id, node);
      });
    });
    connect(doc, a1, b1);
    connect(doc, a2, b2);
    const m = measuresOfDoc(doc);
    expect(m.unconnectedSteps).toEqual([]);
    expect(m.mainPath).toHaveLength(2);
  });

  it("on the main path too: an edge on a pair whose joined key equals the main path's is no main-path handoff", () => {
    const steps = [
      step('a→', 0, { lt: 100, lane: 'x' }),
      step('b', 100, { lt: 100, lane: 'x' }),
      step('a', 0, { lt: 1, lane: 'x' }),
      step('→b', 100, { lt: 1, lane: 'y' }),
    ];
    const m = computeMeasures({ ...empty, steps, flowEdges: [flow('1', 'a→', 'b'), flow('2', 'a', '→b')] });
    expect(ids(m.mainPath)).toEqual(['a→', 'b']);
    expect(m.handoffs).toBe(1);
    expect(m.handoffsOnMainPath).toBe(0);
  });
});

describe('connect and import keep a marked and a plain flow on one pair apart', () => {
  it('connect with rework makes a second edge beside the plain one, and gives each back again', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: { x: 0, y: 0 }, label: 'A', lane: null });
    const b = addStep(doc, { position: { x: 100, y: 0 }, label: 'B', lane: null });
    const plain = connect(doc, a, b);
    const marked = connect(doc, a, b, 'flow', undefined, { rework: true });
    expect(marked).not.toBe(plain);
    expect(connect(doc, a, b)).toBe(plain);
    expect(connect(doc, a, b, 'flow', undefined, { rework: true })).toBe(marked);
    expect(reworkMarks(doc)).toEqual([false, true]);
  });

  it('connect refuses a rework mark on an edge that is not flow', () => {
    const doc = new Y.Doc();
    getTemplate('housing-repairs-after')!.apply(doc);
    const board = readBoard(doc);
    const demand = board.nodes.find((n) => n.kind === 'demand')!;
    const target = board.nodes.find((n) => n.kind === 'step')!;
    expect(() => connect(doc, demand.id, target.id, 'entry', undefined, { rework: true })).toThrow(
      'Only a flow edge can be rework',
    );
  });

  it('a plain and a marked flow between the same two steps both survive an import: the main path stays', () => {
    const doc = new Y.Doc();
    const a = addStep(doc, { position: { x: 0, y: 0 }, label: 'A', lane: null });
    const b = addStep(doc, { position: { x: 100, y: 0 }, label: 'B', lane: null });
    updateStep(doc, a, { lt: 10 });
    updateStep(doc, b, { lt: 10 });
    connect(doc, a, b);
    const second = connect(doc, b, a);
    setRework(doc, second, true);
    // The marked edge on the same pair as the plain one, as a file written elsewhere may hold it.
    const file = JSON.parse(serialiseBoardFile(exportBoardFile(doc))) as BoardFile;
    const marked = file.edges.find((e) => e.rework)!;
    Object.assign(marked, { source: a, target: b });
    const imported = new Y.Doc();
    importBoardFile(imported, parseBoardFile(file));
    expect(reworkMarks(imported)).toEqual([false, true]);
    const m = measuresOfDoc(imported);
    expect(ids(m.mainPath)).toEqual([a, b]);
    expect(m.unconnectedSteps).toEqual([]);
    expect(m.reworkLoops).toBe(1);
  });
});
