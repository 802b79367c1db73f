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

/** Where the next new demand card goes: in the demand column, one row below the lowest demand (y = 0 on a board with none). */
export function nextDemandPosition(doc: Y.Doc): Position {
  let lowest = Number.NEGATIVE_INFINITY;
  nodesMap(doc).forEach((node) => {
    const y = node.get('y');
    if (node.get('kind') === 'demand' && typeof y === 'number' && Number.isFinite(y)) lowest = Math.max(lowest, y);
  });
  return { x: DEMAND_X, y: Number.isFinite(lowest) ? lowest + DEMAND_SPACING_Y : 0 };
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
