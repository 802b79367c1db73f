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
import { LANE_HEIGHT } from './templates/build';
import type { Lane } from './types';

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
 * The lane whose band holds flow y, or null above or below all lanes.
 * `lanes` is a document or a list already sorted top to bottom.
 */
export function laneAt(lanes: Y.Doc | readonly Lane[], y: number): Lane | null {
  const list = Array.isArray(lanes) ? (lanes as readonly Lane[]) : sortedLanes(lanes as Y.Doc);
  if (!Number.isFinite(y)) return null;
  const index = laneIndexAt(y);
  return index >= 0 && index < list.length ? list[index] : null;
}
