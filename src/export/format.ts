/**
 * The one place that says how numbers and times read, for every screen, the
 * exports and the reports (ux.md: "55%", "24 d 10 m", "0.7%"): percentages,
 * counts, times, capability values in their own unit, chart axis ends, short
 * labels and "last changed" times. Pure, so every rule has a unit test.
 */
import { UNIT_MINUTES, formatTime, type CapabilityUnit } from '../model';

/** A time in minutes as "24 d 10 m" (method.md: one day is 1,440 minutes); "—" when missing. */
export { formatTime };

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
