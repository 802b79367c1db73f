/**
 * Demand captured in the demand table: typed one row at a time or pasted from
 * a spreadsheet. New demand cards stack at the left of the flow, below the
 * lowest demand already there, so a capture session never piles cards on
 * top of each other.
 */
import type * as Y from 'yjs';
import type { DemandRow } from './demand-paste';
import { LOCAL_ORIGIN, addDemand } from './operations';
import { nodesMap } from './schema';
import { DEMAND_SPACING_Y, DEMAND_X } from './lane-geometry';
import type { Position } from './types';

/** Width of a demand card, and the most any card stands below its top edge (a purpose card), in canvas units. */
const DEMAND_WIDTH = 260;
const TALLEST_CARD = 180;
const WIDEST_CARD = 560;

/**
 * Where the next new demand card goes: in the demand column, one row below
 * the lowest card there — a demand, or anything else someone put in the
 * column (a note, say), which it must not cover. y = 0 on a board with none.
 */
export function nextDemandPosition(doc: Y.Doc): Position {
  let below = Number.NEGATIVE_INFINITY;
  nodesMap(doc).forEach((node) => {
    const x = node.get('x');
    const y = node.get('y');
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) return;
    if (node.get('kind') === 'demand') below = Math.max(below, y + DEMAND_SPACING_Y);
    else if (x < DEMAND_X + DEMAND_WIDTH && x + WIDEST_CARD > DEMAND_X && x >= DEMAND_X - WIDEST_CARD) {
      // Another kind of card reaching into the column: the next row starts below its tallest extent.
      below = Math.max(below, Math.ceil((y + TALLEST_CARD) / DEMAND_SPACING_Y) * DEMAND_SPACING_Y);
    }
  });
  return { x: DEMAND_X, y: Number.isFinite(below) ? Math.max(0, below) : 0 };
}

/**
 * Adds every row as a demand type in ONE transaction: one update on the
 * wire, one undo step. The rows come from `parseDemandRows`, which already
 * refused the bad ones, so nothing here is guessed. Returns the new ids.
 */
export function addDemandRows(doc: Y.Doc, rows: DemandRow[], origin: unknown = LOCAL_ORIGIN): string[] {
  const ids: string[] = [];
  if (rows.length === 0) return ids;
  doc.transact(() => {
    for (const row of rows) ids.push(addDemand(doc, { ...row, position: nextDemandPosition(doc) }, origin));
  }, origin);
  return ids;
}
