/**
 * Where the lanes are on the canvas. Lane i (in order, top to bottom) is the
 * horizontal band y ∈ [i·LANE_HEIGHT, (i+1)·LANE_HEIGHT) in flow coordinates;
 * above the first band and below the last is "no lane". The canvas draws the
 * bands and assigns a dropped step to a lane with these rules, and templates
 * and lane moves lay steps out by them, so all three always agree.
 */
import type * as Y from 'yjs';
import { lanesMap } from './schema';
import { readLane } from './read';
import type { Lane } from './types';

/** Height of a lane band; a step sits STEP_OFFSET_Y below its lane's top edge. */
export const LANE_HEIGHT = 160;
export const STEP_OFFSET_Y = 40;
/** Horizontal distance between consecutive steps laid out in a row. */
export const STEP_SPACING_X = 240;
/**
 * Where the lane bands begin (flow x). The strip from here to x = 0 holds the
 * lane names (wide enough for them at the 25% zoom of a fitted workshop map); steps are laid out from x = 0. Demand stands to the left of the
 * bands, outside every lane: a demand card inside a band would read as work
 * done by that department.
 */
export const LANE_LEFT = -400;
/** The demand column: its cards are 260 wide and end 60 before the bands. */
export const DEMAND_X = LANE_LEFT - 60 - 260;
export const DEMAND_SPACING_Y = 100;

/** The band index a flow y falls in (may be negative or past the last lane). */
export function laneIndexAt(y: number): number {
  return Math.floor(y / LANE_HEIGHT);
}

/** The top edge of band i in flow coordinates. */
export function laneTop(index: number): number {
  return index * LANE_HEIGHT;
}

/** The lanes of a board, top to bottom (by order, then id, as readBoard sorts them). */
export function sortedLanes(doc: Y.Doc): Lane[] {
  const lanes: Lane[] = [];
  lanesMap(doc).forEach((lane, id) => lanes.push(readLane(id, lane)));
  return lanes.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

/**
 * The lane whose band holds the flow point (x, y), or null above or below all
 * lanes or left of where the bands begin. `lanes` is a document or a list
 * already sorted top to bottom.
 */
export function laneAt(lanes: Y.Doc | readonly Lane[], y: number, x = 0): Lane | null {
  const list = Array.isArray(lanes) ? (lanes as readonly Lane[]) : sortedLanes(lanes as Y.Doc);
  if (!Number.isFinite(y) || x < LANE_LEFT) return null;
  const index = laneIndexAt(y);
  return index >= 0 && index < list.length ? list[index] : null;
}
