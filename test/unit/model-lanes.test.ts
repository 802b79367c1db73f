/** Lanes: create, rename, recolour, reorder, remove (keeping their steps), and what the measures see. */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BoardOperationError,
  addLane,
  addStep,
  connect,
  lanesMap,
  measuresOfDoc,
  readBoard,
  recolourLane,
  removeLane,
  renameLane,
  reorderLanes,
  updateStep,
} from '../../src/model';

describe('lanes', () => {
  it('are added below each other with distinct colours, renamed and recoloured', () => {
    const doc = new Y.Doc();
    const contact = addLane(doc, 'Contact centre');
    const admin = addLane(doc, 'Repairs admin');
    renameLane(doc, admin, 'Repairs administration');
    recolourLane(doc, contact, '#DCFCE7');
    const lanes = readBoard(doc).lanes;
    expect(lanes.map((l) => l.name)).toEqual(['Contact centre', 'Repairs administration']);
    expect(lanes[0].colour).toBe('#dcfce7');
    expect(lanes[0].colour).not.toBe(lanes[1].colour);
  });

  it('reorder in one update; lanes added meanwhile keep their place after', () => {
    const doc = new Y.Doc();
    const [a, b, c] = ['A', 'B', 'C'].map((name) => addLane(doc, name));
    let updates = 0;
    doc.on('update', () => updates++);
    reorderLanes(doc, [c, a]);
    expect(updates).toBe(1);
    expect(readBoard(doc).lanes.map((l) => l.id)).toEqual([c, a, b]);
  });

  it('removing a lane keeps its steps, in no lane, in one update', () => {
    const doc = new Y.Doc();
    const lane = addLane(doc, 'Supervisor');
    const other = addLane(doc, 'Contractor');
    const s1 = addStep(doc, { position: { x: 0, y: 0 }, lane });
    const s2 = addStep(doc, { position: { x: 100, y: 0 }, lane: other });
    connect(doc, s1, s2);
    expect(measuresOfDoc(doc).handoffs).toBe(1);
    let updates = 0;
    doc.on('update', () => updates++);
    removeLane(doc, lane);
    expect(updates).toBe(1);
    const board = readBoard(doc);
    expect(board.lanes.map((l) => l.name)).toEqual(['Contractor']);
    expect(board.nodes.find((n) => n.id === s1)).toMatchObject({ kind: 'step', lane: null });
    expect(measuresOfDoc(doc).handoffs).toBe(0);
  });

  it('a step moves between lanes with updateStep, and out of them with null', () => {
    const doc = new Y.Doc();
    const lane = addLane(doc, 'Contact centre');
    const step = addStep(doc, { position: { x: 0, y: 0 } });
    updateStep(doc, step, { lane });
    expect(readBoard(doc).nodes[0]).toMatchObject({ lane });
    updateStep(doc, step, { lane: null });
    expect(readBoard(doc).nodes[0]).toMatchObject({ lane: null });
  });

  it.each([
    ['an empty name', (doc: Y.Doc) => addLane(doc, '  ')],
    ['a bad colour', (doc: Y.Doc) => addLane(doc, 'X', 'red')],
    ['renaming an unknown lane', (doc: Y.Doc) => renameLane(doc, 'ghost', 'X')],
    ['reordering with an unknown lane', (doc: Y.Doc) => reorderLanes(doc, ['ghost'])],
    ['removing an unknown lane', (doc: Y.Doc) => removeLane(doc, 'ghost')],
  ])('refuses %s and changes nothing', (_name, run) => {
    const doc = new Y.Doc();
    addLane(doc, 'Existing');
    const before = Y.encodeStateAsUpdate(doc);
    expect(() => run(doc)).toThrow(BoardOperationError);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(lanesMap(doc).size).toBe(1);
  });
});
