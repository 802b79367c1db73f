/**
 * Where a new element goes when it is added from the palette or the keyboard:
 * the centre of the view, or — when something already stands there — the
 * next free place to its right. Pressing S three times gives three steps in
 * a row, not a stack that looks like one.
 */
import type { Position } from '../model';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const GAP = 40;
const MAX_TRIES = 50;

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
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
