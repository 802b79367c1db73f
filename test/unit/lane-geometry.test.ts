/** Lane bands on the canvas, and moving a lane with its steps. */
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  LANE_HEIGHT,
  addLane,
  addNote,
  addStep,
  DEMAND_X,
  LANE_LEFT,
  laneAt,
  laneIndexAt,
  laneTop,
  moveLane,
  nodesMap,
  readBoard,
  sortedLanes,
} from '../../src/model';

describe('lane geometry', () => {
  test('band i spans [i·H, (i+1)·H)', () => {
    expect(laneIndexAt(0)).toBe(0);
    expect(laneIndexAt(LANE_HEIGHT - 0.01)).toBe(0);
    expect(laneIndexAt(LANE_HEIGHT)).toBe(1);
    expect(laneIndexAt(-1)).toBe(-1);
    expect(laneTop(0)).toBe(0);
    expect(laneTop(3)).toBe(3 * LANE_HEIGHT);
  });

  test('laneAt finds the lane under a y, or null above and below all lanes', () => {
    const doc = new Y.Doc();
    const a = addLane(doc, 'Contact centre');
    const b = addLane(doc, 'Supervisor');
    expect(laneAt(doc, 10)?.id).toBe(a);
    expect(laneAt(doc, LANE_HEIGHT + 80)?.id).toBe(b);
    expect(laneAt(doc, -5)).toBeNull();
    expect(laneAt(doc, 2 * LANE_HEIGHT)).toBeNull();
    expect(laneAt(doc, Number.NaN)).toBeNull();
    // A sorted list works the same as the document.
    expect(laneAt(sortedLanes(doc), LANE_HEIGHT)?.id).toBe(b);
    expect(laneAt([], 0)).toBeNull();
  });

  test('left of where the bands begin — the demand column — is in no lane', () => {
    const doc = new Y.Doc();
    const a = addLane(doc, 'Contact centre');
    expect(laneAt(doc, 10, LANE_LEFT)?.id).toBe(a);
    expect(laneAt(doc, 10, LANE_LEFT - 1)).toBeNull();
    expect(laneAt(doc, 10, DEMAND_X + 130)).toBeNull();
  });
});

describe('moveLane', () => {
  function board() {
    const doc = new Y.Doc();
    const lanes = ['A', 'B', 'C'].map((name) => addLane(doc, name));
    const steps = lanes.map((lane, i) => addStep(doc, { position: { x: 0, y: laneTop(i) + 40 }, lane }));
    const loose = addStep(doc, { position: { x: 300, y: laneTop(2) + 40 } });
    const note = addNote(doc, { position: { x: 500, y: laneTop(0) + 10 } });
    const below = addNote(doc, { position: { x: 0, y: laneTop(3) + 80 } });
    return { doc, lanes, steps, loose, note, below };
  }
  const y = (doc: Y.Doc, id: string) => nodesMap(doc).get(id)!.get('y');

  test('moving a lane down swaps the bands and moves their elements with them, in one update', () => {
    const { doc, lanes, steps, loose, note, below } = board();
    let updates = 0;
    doc.on('update', () => updates++);
    moveLane(doc, lanes[0], 2);
    expect(updates).toBe(1);
    expect(sortedLanes(doc).map((l) => l.name)).toEqual(['B', 'C', 'A']);
    expect(y(doc, steps[0])).toBe(laneTop(2) + 40);
    expect(y(doc, steps[1])).toBe(laneTop(0) + 40);
    expect(y(doc, steps[2])).toBe(laneTop(1) + 40);
    expect(y(doc, loose)).toBe(laneTop(1) + 40); // in band C by position
    expect(y(doc, note)).toBe(laneTop(2) + 10); // in band A by position
    expect(y(doc, below)).toBe(laneTop(3) + 80); // below all lanes: stays
    // Every step is still inside its lane's band.
    const { nodes } = readBoard(doc);
    for (const node of nodes) {
      if (node.kind === 'step' && node.lane) expect(laneAt(doc, node.position.y)?.id).toBe(node.lane);
    }
  });

  test('moving up one place swaps two neighbours only; the same place or a bad lane changes nothing', () => {
    const { doc, lanes, steps } = board();
    moveLane(doc, lanes[2], 1);
    expect(sortedLanes(doc).map((l) => l.name)).toEqual(['A', 'C', 'B']);
    expect(y(doc, steps[0])).toBe(laneTop(0) + 40);
    expect(y(doc, steps[2])).toBe(laneTop(1) + 40);
    let updates = 0;
    doc.on('update', () => updates++);
    moveLane(doc, lanes[2], 1);
    moveLane(doc, lanes[0], -5); // clamped to 0, where it is
    expect(updates).toBe(0);
    expect(() => moveLane(doc, 'nope', 0)).toThrow(/No lane/);
  });

  test('a step drawn outside its lane band still moves with its lane', () => {
    const doc = new Y.Doc();
    const a = addLane(doc, 'A');
    const b = addLane(doc, 'B');
    const stray = addStep(doc, { position: { x: 0, y: -200 }, lane: b });
    moveLane(doc, a, 1);
    expect(y(doc, stray)).toBe(-200 - LANE_HEIGHT);
  });
});
