/** New elements added from the palette, the keyboard or the demand table land at home, in view, on nothing (issue 15). */
import { describe, expect, it } from 'vitest';
import {
  CONDITION_ROW_GAP_Y,
  CONDITION_SPACING_X,
  freeSpot,
  overlaps,
  placeNew,
  type Box,
  type PlacedKind,
} from '../../src/canvas/free-spot';
import { DEMAND_X, LANE_HEIGHT, STEP_OFFSET_Y, STEP_SPACING_X } from '../../src/model';
import { LAYOUT_CONDITION_GAP_Y, LAYOUT_CONDITION_SPACING_X } from '../../src/model/layout';

const size = { width: 180, height: 96 };

describe('freeSpot', () => {
  it('takes the asked place when it is free', () => {
    expect(freeSpot({ x: 100, y: 50 }, size, [{ x: 400, y: 50, ...size }])).toEqual({ x: 100, y: 50 });
  });

  it('moves right past what stands there, and past the next one too', () => {
    const taken = [
      { x: 100, y: 50, ...size },
      { x: 320, y: 60, ...size },
    ];
    expect(freeSpot({ x: 100, y: 50 }, size, taken)).toEqual({ x: 540, y: 50 });
  });

  it('ignores elements above or below the new one', () => {
    expect(freeSpot({ x: 0, y: 0 }, size, [{ x: 0, y: 200, ...size }])).toEqual({ x: 0, y: 0 });
  });
});

describe('placeNew: a new element lands at its home on the map, in view, on top of nothing', () => {
  const view = { x: -800, y: -300, width: 3200, height: 1200 };
  const STEP = { width: 180, height: 96 };
  const DEMAND = { width: 260, height: 84 };
  const NOTE = { width: 180, height: 140 };
  const CONDITION = { width: 220, height: 72 };
  const PURPOSE = { width: 560, height: 170 };

  it('adds 20 each of steps, notes, demand and conditions without one overlapping another, in view while there is room', () => {
    const taken: Box[] = [];
    const kinds: Array<[PlacedKind, { width: number; height: number }]> = [
      ['step', STEP],
      ['note', NOTE],
      ['demand', DEMAND],
      ['condition', CONDITION],
    ];
    for (let i = 0; i < 20; i++) {
      for (const [kind, size] of kinds) {
        const at = placeNew({ kind, size, view, taken, laneCount: 3 });
        const box = { ...at, ...size };
        for (const other of taken) expect(overlaps(box, other), `${kind} ${i} on ${JSON.stringify(other)}`).toBe(false);
        // In view while the view has room (later ones go past it, and the canvas brings them into view).
        if (i < 5) {
          expect(box.x).toBeGreaterThanOrEqual(view.x);
          expect(box.y).toBeGreaterThanOrEqual(view.y);
          expect(box.x + box.width).toBeLessThanOrEqual(view.x + view.width);
          expect(box.y + box.height).toBeLessThanOrEqual(view.y + view.height);
        }
        taken.push(box);
      }
    }
  });

  it('puts demand in the demand column, steps in the lane under the view centre, conditions below the lanes', () => {
    const demand = placeNew({ kind: 'demand', size: DEMAND, view, taken: [], laneCount: 3 });
    expect(demand.x).toBe(DEMAND_X);
    // The view's centre is at y = 300: lane 1 (160–320); a step sits STEP_OFFSET_Y below its lane's top.
    const step = placeNew({ kind: 'step', size: STEP, view, taken: [], laneCount: 3 });
    expect(step.y).toBe(LANE_HEIGHT + STEP_OFFSET_Y);
    expect(step.x % STEP_SPACING_X).toBe(0);
    const condition = placeNew({ kind: 'condition', size: CONDITION, view, taken: [], laneCount: 3 });
    expect(condition.y).toBe(3 * LANE_HEIGHT + LAYOUT_CONDITION_GAP_Y);
    const purpose = placeNew({ kind: 'purpose', size: PURPOSE, view, taken: [], laneCount: 3 });
    expect(purpose.y + PURPOSE.height).toBeLessThan(0);
  });

  it('fills a gap in the demand column rather than stacking below the view', () => {
    const taken = [0, 100, 300].map((y) => ({ x: DEMAND_X, y, ...DEMAND }));
    expect(placeNew({ kind: 'demand', size: DEMAND, view: { ...view, y: 0 }, taken, laneCount: 0 })).toEqual({
      x: DEMAND_X,
      y: 200,
    });
  });

  it('goes past the view (for the caller to bring into view) when the view is full, still on nothing', () => {
    const small = { x: 0, y: 40, width: 200, height: 120 };
    const taken = [{ x: 0, y: 40, ...STEP }];
    const at = placeNew({ kind: 'step', size: STEP, view: small, taken, laneCount: 1 });
    expect(overlaps({ ...at, ...STEP }, taken[0])).toBe(false);
    expect(at.y).toBe(STEP_OFFSET_Y);
  });

  it('draws conditions in the row Tidy up uses', () => {
    expect(CONDITION_ROW_GAP_Y).toBe(LAYOUT_CONDITION_GAP_Y);
    expect(CONDITION_SPACING_X).toBe(LAYOUT_CONDITION_SPACING_X);
  });
});
