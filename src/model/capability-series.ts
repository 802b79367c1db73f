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

export function readCapabilitySeries(doc: Y.Doc): { minutes: number[]; unit: CapabilityUnit } {
  const unit = metaMap(doc).get('capabilityUnit') as CapabilityUnit;
  return {
    minutes: capabilityArray(doc)
      .toArray()
      .filter((x) => typeof x === 'number' && Number.isFinite(x)),
    unit: CAPABILITY_UNITS.includes(unit) ? unit : 'days',
  };
}
