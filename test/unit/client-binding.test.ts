/** The Yjs → store binding: only what changed gets a new object; local UI state survives. */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  addCondition,
  addDemand,
  addLane,
  addNote,
  addPurpose,
  addStep,
  connect,
  deleteElements,
  moveLane,
  moveNodes,
  recolourLane,
  removeLane,
  renameLane,
  renameNode,
  setBoardTitle,
  setRework,
  updateCondition,
  updatePurpose,
  updateStep,
} from '../../src/model';
import { bindBoard, patchById } from '../../src/collab/binding';
import { createBoardStore } from '../../src/collab/board-store';

function setup() {
  const doc = new Y.Doc();
  const store = createBoardStore();
  const unbind = bindBoard(doc, store);
  return { doc, store, unbind };
}

describe('bindBoard', () => {
  test('reflects steps, notes, edges and the title', () => {
    const { doc, store } = setup();
    const a = addStep(doc, { position: { x: 10, y: 20 }, label: 'Take call' });
    const b = addStep(doc, { position: { x: 300, y: 20 } });
    addNote(doc, { position: { x: 0, y: 200 }, text: 'Why?', colour: 'pink' });
    connect(doc, a, b);
    setBoardTitle(doc, 'Repairs');
    const { nodes, edges, title } = store.getState();
    expect(nodes.map((n) => [n.type, n.position])).toEqual([
      ['step', { x: 10, y: 20 }],
      ['step', { x: 300, y: 20 }],
      ['note', { x: 0, y: 200 }],
    ]);
    expect(nodes[0].data).toEqual({
      label: 'Take call',
      lane: null,
      stepClass: null,
      wasteType: null,
      pt: null,
      lt: null,
      ca: null,
      customerContact: false,
    });
    expect(nodes[2].data).toEqual({ text: 'Why?', colour: 'pink' });
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({
      type: 'board',
      source: a,
      target: b,
      data: { kind: 'flow', rework: false, handoff: false },
    });
    expect(title).toBe('Repairs');
  });

  test('a move rebuilds only the moved node and keeps local fields', () => {
    const { doc, store } = setup();
    const ids = Array.from({ length: 50 }, (_, i) => addStep(doc, { position: { x: i * 200, y: 0 } }));
    // Local-only state, as React Flow would set it.
    store.setState((s) => ({ nodes: s.nodes.map((n, i) => (i === 3 ? { ...n, selected: true } : n)) }));
    const before = store.getState().nodes;
    moveNodes(doc, [{ id: ids[3], position: { x: 5, y: 6 } }]);
    const after = store.getState().nodes;
    expect(after).not.toBe(before);
    after.forEach((node, i) => (i === 3 ? expect(node).not.toBe(before[i]) : expect(node).toBe(before[i])));
    expect(after[3]).toMatchObject({ position: { x: 5, y: 6 }, selected: true });
  });

  test('an update that changes nothing the store shows leaves the store alone', () => {
    const { doc, store } = setup();
    const id = addStep(doc, { position: { x: 0, y: 0 } });
    // Our own drag frame: the store already has the position when the update comes back.
    store.setState((s) => ({ nodes: s.nodes.map((n) => ({ ...n, position: { x: 40, y: 0 } })) }));
    const before = store.getState().nodes;
    moveNodes(doc, [{ id, position: { x: 40, y: 0 } }]);
    expect(store.getState().nodes).toBe(before);
  });

  test('renames, deletions (with their edges) and remote updates come through', () => {
    const { doc, store } = setup();
    const a = addStep(doc, { position: { x: 0, y: 0 } });
    const b = addStep(doc, { position: { x: 1, y: 0 } });
    connect(doc, a, b);
    renameNode(doc, a, 'Code job');
    expect(store.getState().nodes[0].data).toMatchObject({ label: 'Code job' });

    const remote = new Y.Doc();
    Y.applyUpdate(remote, Y.encodeStateAsUpdate(doc));
    renameNode(remote, b, 'From elsewhere', 'remote');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote, Y.encodeStateVector(doc)), 'provider');
    expect(store.getState().nodes[1].data).toMatchObject({ label: 'From elsewhere' });

    deleteElements(doc, { nodeIds: [a] });
    expect(store.getState().nodes.map((n) => n.id)).toEqual([b]);
    expect(store.getState().edges).toEqual([]);
  });

  test('stops listening when unbound', () => {
    const { doc, store, unbind } = setup();
    unbind();
    addStep(doc, { position: { x: 0, y: 0 } });
    expect(store.getState().nodes).toEqual([]);
  });
});

describe('bindBoard: the purpose map', () => {
  test('each kind carries its fields; an unchanged field set keeps the object', () => {
    const { doc, store } = setup();
    const step = addStep(doc, { position: { x: 0, y: 40 }, label: 'Inspect' });
    updateStep(doc, step, { stepClass: 'waste', wasteType: 'check', pt: 45, lt: 2880, ca: 80, customerContact: true });
    const demand = addDemand(doc, {
      position: { x: -360, y: 0 },
      words: 'Nobody came',
      demandClass: 'failure',
      count: 90,
      predictable: true,
    });
    const purpose = addPurpose(doc, { position: { x: 0, y: -240 }, statement: 'Fix it', whatMatters: ['a', 'b'] });
    const condition = addCondition(doc, { position: { x: 0, y: 400 }, label: 'Targets', conditionType: 'target' });
    const byId = () => new Map(store.getState().nodes.map((n) => [n.id, n]));
    expect(byId().get(step)).toMatchObject({
      type: 'step',
      data: { stepClass: 'waste', wasteType: 'check', pt: 45, lt: 2880, ca: 80, customerContact: true },
    });
    expect(byId().get(demand)).toMatchObject({
      type: 'demand',
      data: { words: 'Nobody came', demandClass: 'failure', count: 90, predictable: true },
    });
    expect(byId().get(purpose)).toMatchObject({
      type: 'purpose',
      data: { statement: 'Fix it', whatMatters: ['a', 'b'] },
    });
    expect(byId().get(condition)).toMatchObject({
      type: 'condition',
      data: { label: 'Targets', conditionType: 'target' },
    });

    const before = store.getState().nodes;
    updatePurpose(doc, purpose, { whatMatters: ['a', 'b'] }); // the same list: nothing written
    updateCondition(doc, condition, { conditionType: 'it' });
    const after = byId();
    expect(after.get(purpose)).toBe(before.find((n) => n.id === purpose));
    expect(after.get(step)).toBe(before.find((n) => n.id === step));
    expect(after.get(condition)).toMatchObject({ data: { conditionType: 'it' } });
  });

  test('lanes are in the store in order; handoff and rework marks follow the document', () => {
    const { doc, store } = setup();
    const l1 = addLane(doc, 'Contact centre');
    const l2 = addLane(doc, 'Supervisor');
    expect(store.getState().lanes.map((l) => l.name)).toEqual(['Contact centre', 'Supervisor']);
    const a = addStep(doc, { position: { x: 0, y: 40 }, lane: l1 });
    const b = addStep(doc, { position: { x: 240, y: 200 }, lane: l1 });
    const edge = connect(doc, a, b);
    const data = () => store.getState().edges.find((e) => e.id === edge)!.data;
    expect(data()).toEqual({ kind: 'flow', rework: false, handoff: false });
    updateStep(doc, b, { lane: l2 });
    expect(data()).toEqual({ kind: 'flow', rework: false, handoff: true });
    expect(store.getState().edges[0].domAttributes).toMatchObject({ 'data-handoff': 'true', 'data-kind': 'flow' });
    setRework(doc, edge, true);
    expect(data()).toMatchObject({ rework: true });

    // A drag frame of a step leaves the edges alone.
    const edgesBefore = store.getState().edges;
    moveNodes(doc, [{ id: a, position: { x: 10, y: 50 } }]);
    expect(store.getState().edges).toBe(edgesBefore);

    const lanesBefore = store.getState().lanes;
    renameLane(doc, l2, 'Supervisors');
    recolourLane(doc, l2, '#dcfce7');
    const lanesAfter = store.getState().lanes;
    expect(lanesAfter[0]).toBe(lanesBefore[0]);
    expect(lanesAfter[1]).toMatchObject({ name: 'Supervisors', colour: '#dcfce7' });
    moveLane(doc, l2, 0);
    expect(store.getState().lanes.map((l) => l.id)).toEqual([l2, l1]);
    removeLane(doc, l2);
    expect(store.getState().lanes.map((l) => l.id)).toEqual([l1]);
    expect(data()).toMatchObject({ handoff: false });
  });
});

describe('patchById', () => {
  test('returns the same array when nothing changed', () => {
    const items = [{ id: 'a' }, { id: 'b' }];
    const source = new Map([['a', 1]]);
    expect(patchById(items, new Set(['a']), source, (_id, _v, prev) => prev ?? null)).toBe(items);
  });
});
