/**
 * The board's capability data: one series of end-to-end times, oldest first
 * (method.md). Stored as a top-level Y.Array of minutes, so points two people
 * append at once both stay; the unit people typed them in is kept in meta so
 * the chart speaks it back ("days", "hours", "minutes").
 */
import type * as Y from 'yjs';
import { BoardOperationError, LOCAL_ORIGIN } from './operations';
import { metaMap } from './schema';
import { MINUTES_PER_DAY, MINUTES_PER_HOUR } from './time';

export const CAPABILITY_UNITS = ['minutes', 'hours', 'days'] as const;
export type CapabilityUnit = (typeof CAPABILITY_UNITS)[number];
export const UNIT_MINUTES: Record<CapabilityUnit, number> = {
  minutes: 1,
  hours: MINUTES_PER_HOUR,
  days: MINUTES_PER_DAY,
};
/** More points than any workshop pastes; keeps one paste from bloating the board. */
export const MAX_CAPABILITY_POINTS = 1000;

export function capabilityArray(doc: Y.Doc): Y.Array<number> {
  return doc.getArray<number>('capability');
}

/** Replaces the whole series (a paste) in one transaction. Values are minutes. */
export function setCapabilitySeries(
  doc: Y.Doc,
  minutes: number[],
  unit: CapabilityUnit,
  origin: unknown = LOCAL_ORIGIN,
): void {
  if (!CAPABILITY_UNITS.includes(unit)) throw new BoardOperationError(`Unknown unit "${String(unit)}"`, 'unit');
  if (minutes.length > MAX_CAPABILITY_POINTS) {
    throw new BoardOperationError(`At most ${MAX_CAPABILITY_POINTS} points`, 'series');
  }
  minutes.forEach((value, index) => {
    if (!Number.isFinite(value) || value < 0) {
      throw new BoardOperationError(`Point ${index + 1} is not a time of 0 or more`, 'series');
    }
  });
  doc.transact(() => {
    const series = capabilityArray(doc);
    if (series.length > 0) series.delete(0, series.length);
    series.push(minutes);
    metaMap(doc).set('capabilityUnit', unit);
  }, origin);
}

/**
 * Recomputes the chart's limits from one case on (0-based), or keeps one set
 * of limits (null): when the redesign changed the system, the limits before
 * and after it show on one chart. The measures' capability stays the whole
 * series' (method.md); only the chart and its signals use the break.
 */
export function setCapabilityLimitsFrom(doc: Y.Doc, from: number | null, origin: unknown = LOCAL_ORIGIN): void {
  if (from !== null && (!Number.isInteger(from) || from < 1 || from >= MAX_CAPABILITY_POINTS)) {
    throw new BoardOperationError('The limits can be recomputed from case 2 onwards', 'limitsFrom');
  }
  doc.transact(() => {
    if (from === null) metaMap(doc).delete('capabilityLimitsFrom');
    else metaMap(doc).set('capabilityLimitsFrom', from);
  }, origin);
}

/** The capability editor's save: the series and its break, in one transaction (one undo step). */
export function saveCapability(doc: Y.Doc, series: CapabilitySeries, origin: unknown = LOCAL_ORIGIN): void {
  doc.transact(() => {
    setCapabilitySeries(doc, series.minutes, series.unit, origin);
    setCapabilityLimitsFrom(doc, series.limitsFrom, origin);
  }, origin);
}

export interface CapabilitySeries {
  minutes: number[];
  unit: CapabilityUnit;
  /** The case (0-based) from which the chart's limits are recomputed, or null. */
  limitsFrom: number | null;
}

export function readCapabilitySeries(doc: Y.Doc): CapabilitySeries {
  const meta = metaMap(doc);
  const unit = meta.get('capabilityUnit') as CapabilityUnit;
  const from = meta.get('capabilityLimitsFrom');
  return {
    minutes: capabilityArray(doc)
      .toArray()
      .filter((x) => typeof x === 'number' && Number.isFinite(x)),
    unit: CAPABILITY_UNITS.includes(unit) ? unit : 'days',
    limitsFrom: typeof from === 'number' && Number.isInteger(from) && from >= 1 ? from : null,
  };
}
