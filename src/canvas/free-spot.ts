/**
 * Where a new element goes (issue 15: placement that never buries work).
 * Pure, so the rule is tested without a browser.
 *
 * Each kind has its home on the map, and a new element lands there, in the
 * visible part of the map when it can, on top of nothing:
 *   demand     — the demand column (DEMAND_X), in its row grid, the first free row
 *                from the top of the view down;
 *   step       — the lane under the centre of the view (or, with no lanes, the
 *                centre's height), on the step grid, the free column nearest the
 *                centre;
 *   condition  — the row below the last lane (where Tidy up puts them), the free
 *                place nearest the centre;
 *   note       — the free place nearest the centre of the view;
 *   purpose    — above the lanes, at the centre of the view's width.
 * When every place in view is taken the search goes on past the view (right
 * for a row, down for a column): the caller then brings the new element into
 * view. `freeSpot` is the lower-level "next free place to the right".
 */
import { DEMAND_SPACING_Y, DEMAND_X, LANE_HEIGHT, STEP_OFFSET_Y, STEP_SPACING_X, type Position } from '../model';

/**
 * The row of system conditions below the lanes, as Tidy up lays it out
 * (LAYOUT_CONDITION_GAP_Y and LAYOUT_CONDITION_SPACING_X in model/layout.ts;
 * a unit test keeps them equal). Copied, not imported: the layout module
 * brings its layout engine with it, which loads only on Tidy up.
 */
export const CONDITION_ROW_GAP_Y = 80;
export const CONDITION_SPACING_X = 260;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The minimap in the canvas's bottom-left corner (BoardCanvas.tsx): its size and margin, in screen pixels. */
export const MINIMAP_SIZE = { width: 180, height: 120 };
export const MINIMAP_MARGIN = 15;
/** The strip along the bottom of the canvas that the minimap and the zoom buttons cover, in screen pixels. */
export const BOTTOM_STRIP_PX = MINIMAP_SIZE.height + MINIMAP_MARGIN + 12;
/**
 * Fit view (on opening the board, the fit button, after Tidy up): the strip
 * under the minimap stays free, so it covers no card. The open panel is a
 * column beside the canvas, so fitting into the canvas leaves it free too.
 */
export const FIT_VIEW_OPTIONS = {
  padding: { top: '5%', left: '4%', right: '4%', bottom: `${BOTTOM_STRIP_PX}px` },
  maxZoom: 1,
  minZoom: 0.25,
} as const;

/**
 * A step's footprint is taller than its full card: at a fitted zoom its
 * simplified form uses most of the lane's height (SIMPLE_STEP_BOX in
 * StepNode.tsx, about 133 units), and a card placed below it must not be
 * covered then either.
 */
export const STEP_FOOTPRINT_HEIGHT = LANE_HEIGHT - 20;

export type PlacedKind = 'step' | 'note' | 'demand' | 'condition' | 'purpose';

const GAP = 40;
const MAX_TRIES = 50;
/** How far past the view the search goes before it gives up on "free" (a board this full is not a workshop map). */
const MAX_SLOTS = 400;
/** The purpose card's bottom edge stands this far above the first lane. */
const PURPOSE_ABOVE_LANES = 70;

export function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** True when `box` overlaps none of `taken`, with a small margin so cards never touch. */
function isFree(box: Box, taken: readonly Box[], margin = 8): boolean {
  const grown = {
    x: box.x - margin,
    y: box.y - margin,
    width: box.width + 2 * margin,
    height: box.height + 2 * margin,
  };
  return !taken.some((other) => overlaps(grown, other));
}

function inside(box: Box, view: Box): boolean {
  return (
    box.x >= view.x &&
    box.y >= view.y &&
    box.x + box.width <= view.x + view.width &&
    box.y + box.height <= view.y + view.height
  );
}

/** The top-left of a free box of `size`, starting at `at` and moving right past whatever is in the way. */
export function freeSpot(at: Position, size: { width: number; height: number }, taken: readonly Box[]): Position {
  const candidate = { ...at, ...size };
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const blocking = taken.filter((box) => overlaps(candidate, box));
    if (blocking.length === 0) break;
    candidate.x = Math.max(...blocking.map((box) => box.x + box.width)) + GAP;
  }
  return { x: candidate.x, y: candidate.y };
}

export interface Placement {
  kind: PlacedKind;
  size: { width: number; height: number };
  /** The part of the map the person sees, in flow coordinates (without the strip under the minimap). */
  view: Box;
  /** Every element already on the map. */
  taken: readonly Box[];
  /** How many lanes the board has (lane i is the band [i·LANE_HEIGHT, (i+1)·LANE_HEIGHT)). */
  laneCount: number;
}

/** Offsets 0, +1, −1, +2, −2, …: the slots nearest a centre first. */
function* nearestFirst(limit: number): Generator<number> {
  yield 0;
  for (let i = 1; i <= limit; i++) {
    yield i;
    yield -i;
  }
}

/** The first free box along a row at height `y`, on a grid of `spacing` from x = `origin`, nearest `centreX` first; in view if possible. */
function inRow(p: Placement, y: number, spacing: number, origin: number, centreX: number): Position {
  const { size, view, taken } = p;
  const centreSlot = Math.round((centreX - size.width / 2 - origin) / spacing);
  const xOf = (slot: number) => origin + slot * spacing;
  let pastView: Position | null = null;
  for (const offset of nearestFirst(MAX_SLOTS)) {
    const box = { x: xOf(centreSlot + offset), y, ...size };
    const beyondRight = box.x + box.width > view.x + view.width;
    const beyondLeft = box.x < view.x;
    // Both sides past the view and a place found to the right: the search is over.
    if (pastView && beyondRight && xOf(centreSlot - Math.abs(offset)) < view.x) break;
    if (!isFree(box, taken)) continue;
    if (inside(box, view)) return { x: box.x, y: box.y };
    // Past the view, the nearest free place to the right is kept (the caller brings it into view).
    if (offset > 0 && beyondRight && !beyondLeft && pastView === null) pastView = { x: box.x, y: box.y };
  }
  return pastView ?? freeSpot({ x: xOf(centreSlot), y }, size, taken);
}

/** Where a new element of `p.kind` goes (its top-left corner). */
export function placeNew(p: Placement): Position {
  const { kind, size, view, taken, laneCount } = p;
  const centre = { x: view.x + view.width / 2, y: view.y + view.height / 2 };
  switch (kind) {
    case 'demand': {
      // The column's rows from the view's top down; the first free one (in view when there is one).
      const first = Math.max(0, Math.floor(view.y / DEMAND_SPACING_Y));
      for (let row = first; row < first + MAX_SLOTS; row++) {
        const box = { x: DEMAND_X, y: row * DEMAND_SPACING_Y, ...size };
        if (isFree(box, taken)) return { x: box.x, y: box.y };
      }
      return { x: DEMAND_X, y: (first + MAX_SLOTS) * DEMAND_SPACING_Y };
    }
    case 'step': {
      if (laneCount === 0) {
        return inRow(p, Math.round(centre.y - size.height / 2), STEP_SPACING_X, 0, centre.x);
      }
      // The lane under the centre of the view, or the nearest lane when the centre is above or below them all.
      const lane = Math.max(0, Math.min(laneCount - 1, Math.floor(centre.y / LANE_HEIGHT)));
      return inRow(p, lane * LANE_HEIGHT + STEP_OFFSET_Y, STEP_SPACING_X, 0, centre.x);
    }
    case 'condition': {
      const y = Math.max(1, laneCount) * LANE_HEIGHT + CONDITION_ROW_GAP_Y;
      return inRow(p, y, CONDITION_SPACING_X, 0, centre.x);
    }
    case 'purpose': {
      const y = -size.height - PURPOSE_ABOVE_LANES;
      return inRow(p, y, size.width + GAP, 0, centre.x);
    }
    case 'note': {
      // Rings of places around the centre, nearest first; the first free one in view.
      const stepX = size.width + GAP;
      const stepY = size.height + GAP;
      const origin = { x: Math.round(centre.x - size.width / 2), y: Math.round(centre.y - size.height / 2) };
      for (let ring = 0; ring < 12; ring++) {
        for (let dy = -ring; dy <= ring; dy++) {
          for (let dx = -ring; dx <= ring; dx++) {
            if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
            const box = { x: origin.x + dx * stepX, y: origin.y + dy * stepY, ...size };
            if (inside(box, view) && isFree(box, taken)) return { x: box.x, y: box.y };
          }
        }
      }
      return freeSpot(origin, size, taken);
    }
  }
}
