/**
 * The one place that says how numbers and times read, for every screen, the
 * exports and the reports (ux.md: "55%", "24 d", "0.7%"; issue 16: two largest units): percentages,
 * counts, times, capability values in their own unit, chart axis ends, short
 * labels and "last changed" times. Pure, so every rule has a unit test.
 */
import {
  MINUTES_PER_DAY,
  MINUTES_PER_HOUR,
  UNIT_MINUTES,
  formatTime,
  formatTimeExact,
  type CapabilityUnit,
} from '../model';

/**
 * A time in minutes, two largest units ("24 d", "54 d 11 h", "45 m"; an
 * estimate "about 27 d"), and the exact form for editing fields ("24 d 10 m").
 * method.md: one day is 1,440 minutes; "—" when missing.
 */
export { formatTime, formatTimeExact };

export const NO_VALUE = '—';

/**
 * A percentage as it reads best: one decimal, with a trailing ".0" dropped
 * ("55%", "11.9%", "0.7%"); 100 and more whole; a tiny non-zero share "<0.1%"
 * rather than a misleading "0%".
 */
export function formatPct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  if (value !== 0 && Math.abs(value) < 0.05) return value > 0 ? '<0.1%' : '>−0.1%';
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  const text = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
  return `${text.replace('-', '−')}%`;
}

/** A count with thousands separators ("1,000"). */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  return Math.round(value).toLocaleString('en-GB');
}

const UNIT_SHORT: Record<CapabilityUnit, string> = { minutes: 'm', hours: 'h', days: 'd' };

/** A capability point or limit in the series' own unit: "12.5 d", "3 h". */
export function formatInUnit(minutes: number, unit: CapabilityUnit): string {
  const value = minutes / UNIT_MINUTES[unit];
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)} ${UNIT_SHORT[unit]}`;
}

export type WordUnit = { minutes: number; one: string; many: string };

/** The unit in which a range up to `upper` reads best: days from a day, hours from an hour. */
export function wordUnitFor(upper: number): WordUnit {
  if (upper >= MINUTES_PER_DAY) return { minutes: MINUTES_PER_DAY, one: 'day', many: 'days' };
  if (upper >= MINUTES_PER_HOUR) return { minutes: MINUTES_PER_HOUR, one: 'hour', many: 'hours' };
  return { minutes: 1, one: 'minute', many: 'minutes' };
}

/** "54 days", "1.5 hours", "1 day"; the unit left off where the sentence says it later ("between 0 and …"). */
export function formatInWords(minutes: number, unit: WordUnit, withUnit: boolean): string {
  const value = minutes / unit.minutes;
  const shown = unit.minutes === 1 || Math.abs(value) >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  const text = String(shown).replace('-', '−');
  return withUnit ? `${text} ${shown === 1 ? unit.one : unit.many}` : text;
}

/**
 * A round upper end for a chart axis: the smallest 1, 2, 2.5 or 5 × 10ⁿ at
 * or above `max` (1 when everything is 0), so gridlines land on round numbers.
 */
export function niceCeiling(max: number): number {
  if (!Number.isFinite(max) || max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * power >= max - 1e-9) return step * power;
  }
  return 10 * power;
}

/** Fits a label into `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "Last changed" in words: "just now", "5 minutes ago", "yesterday", "3 Mar", "3 Mar 2024". */
export function friendlyTime(then: number, now: number = Date.now(), locale?: string): string {
  if (!Number.isFinite(then) || then <= 0) return 'never';
  const ago = now - then;
  if (ago < 45_000) return 'just now';
  if (ago < 90_000) return 'a minute ago';
  if (ago < 45 * MINUTE) return `${Math.round(ago / MINUTE)} minutes ago`;
  if (ago < 90 * MINUTE) return 'an hour ago';
  if (ago < 22 * HOUR) return `${Math.round(ago / HOUR)} hours ago`;
  if (ago < 36 * HOUR) return 'yesterday';
  if (ago < 6.5 * DAY) return `${Math.round(ago / DAY)} days ago`;
  const date = new Date(then);
  const sameYear = date.getFullYear() === new Date(now).getFullYear();
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' });
}

/** When a version was saved, in the reader's own words: "23 Nov 2026, 14:05". */
export function formatSavedAt(savedAt: number): string {
  return new Date(savedAt).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}
