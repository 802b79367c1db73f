/**
 * Moving a lane up or down the board. A lane is a band at a fixed place
 * (lane-geometry.ts), so reordering lanes alone would leave every step where
 * it was, now inside another department's band. moveLane reorders the lanes
 * and moves the elements of every band whose place changed by the same
 * distance, in one transaction: one update, one undo step.
 *
 * Which elements belong to a band: a step with a lane moves with its lane
 * wherever it is drawn (its lane is what the measures use); any other element
 * — a step in no lane, a note, a condition — moves with the band its top edge
 * is in.
 */
import type * as Y from 'yjs';
import { BoardOperationError, LOCAL_ORIGIN, assertUnlocked, reorderLanes } from './operations';
import { nodesMap } from './schema';
import { laneIndexAt, sortedLanes } from './lane-geometry';
import { LANE_HEIGHT } from './lane-geometry';

export function moveLane(doc: Y.Doc, laneId: string, newIndex: number, origin: unknown = LOCAL_ORIGIN): void {
  const lanes = sortedLanes(doc);
  const from = lanes.findIndex((lane) => lane.id === laneId);
  if (from < 0) throw new BoardOperationError(`No lane with id "${laneId}" on this board`);
  if (!Number.isInteger(newIndex)) throw new BoardOperationError('A lane moves to a whole-number place');
  const to = Math.max(0, Math.min(lanes.length - 1, newIndex));
  if (to === from) return;

  const order = lanes.map((lane) => lane.id);
  order.splice(from, 1);
  order.splice(to, 0, laneId);
  const oldIndex = new Map(lanes.map((lane, index) => [lane.id, index]));
  // Band shift, indexed by a band's old place.
  const shiftOfBand = new Map<number, number>();
  order.forEach((id, index) => {
    const old = oldIndex.get(id)!;
    if (old !== index) shiftOfBand.set(old, (index - old) * LANE_HEIGHT);
  });
  const shiftOfLane = new Map<string, number>();
  for (const [old, shift] of shiftOfBand) shiftOfLane.set(lanes[old].id, shift);

  const shifts = new Map<string, number>();
  nodesMap(doc).forEach((node, id) => {
    const y = node.get('y');
    if (typeof y !== 'number' || !Number.isFinite(y)) return;
    const lane = node.get('lane');
    const shift =
      node.get('kind') === 'step' && typeof lane === 'string' && oldIndex.has(lane)
        ? shiftOfLane.get(lane)
        : shiftOfBand.get(laneIndexAt(y));
    if (shift) shifts.set(id, y + shift);
  });
  // A locked card would have to move with its band: the whole move is refused, before anything is written.
  assertUnlocked(doc, shifts.keys());
  doc.transact(() => {
    reorderLanes(doc, order, origin);
    const nodes = nodesMap(doc);
    for (const [id, y] of shifts) nodes.get(id)?.set('y', y);
  }, origin);
}
