/**
 * Times as workshop people write and read them. Stored in minutes; one day is
 * 1,440 minutes of elapsed time (method.md).
 */
export const MINUTES_PER_HOUR = 60;
export const MINUTES_PER_DAY = 1440;

const UNIT_MINUTES: Record<string, number> = {
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: MINUTES_PER_HOUR,
  hr: MINUTES_PER_HOUR,
  hrs: MINUTES_PER_HOUR,
  hour: MINUTES_PER_HOUR,
  hours: MINUTES_PER_HOUR,
  d: MINUTES_PER_DAY,
  day: MINUTES_PER_DAY,
  days: MINUTES_PER_DAY,
  w: 7 * MINUTES_PER_DAY,
  wk: 7 * MINUTES_PER_DAY,
  week: 7 * MINUTES_PER_DAY,
  weeks: 7 * MINUTES_PER_DAY,
};

export type ParsedTime = { ok: true; minutes: number } | { ok: false; error: string };

/**
 * Parses "45m", "3h", "2d", "1.5 d", "1d 4h", "24 d 10 m", "2 days" or a bare
 * number (minutes). Decimal commas ("1,5 d") are accepted as people type them.
 */
export function parseTime(text: string): ParsedTime {
  const input = text
    .trim()
    .toLowerCase()
    .replace(/(\d),(\d)/g, '$1.$2');
  if (input === '') return { ok: false, error: 'Enter a time, such as 45m, 3h or 2d' };
  if (/^\d+(\.\d+)?$/.test(input)) return { ok: true, minutes: Number(input) };
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)/g;
  let minutes = 0;
  let consumed = '';
  for (const match of input.matchAll(part)) {
    const unit = UNIT_MINUTES[match[2]];
    if (unit === undefined) return { ok: false, error: `"${match[2]}" is not a unit: use m, h or d` };
    minutes += Number(match[1]) * unit;
    consumed += match[0];
  }
  if (consumed === '' || consumed.replace(/\s/g, '') !== input.replace(/\s/g, '')) {
    return { ok: false, error: `"${text.trim()}" is not a time: write it like 45m, 3h, 2d or 1.5 d` };
  }
  return { ok: true, minutes };
}

/**
 * The exact time, every unit down to the minute ("24 d 10 m", "3 h 20 m"):
 * what an editing field shows, so a stored value reads back as it was typed.
 */
export function formatTimeExact(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  let rest = Math.round(minutes);
  if (rest === 0) return '0 m';
  const sign = rest < 0 ? '−' : '';
  rest = Math.abs(rest);
  const days = Math.floor(rest / MINUTES_PER_DAY);
  rest -= days * MINUTES_PER_DAY;
  const hours = Math.floor(rest / MINUTES_PER_HOUR);
  const mins = rest - hours * MINUTES_PER_HOUR;
  const parts = [];
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (mins) parts.push(`${mins} m`);
  return sign + parts.join(' ');
}

/**
 * A time as people read it (issue 16): the two largest units only, so
 * "54 d 11 h" rather than "54 d 11 h 7 m"; under an hour in minutes ("45 m").
 * Days and hours are rounded to the hour, hours and minutes to the minute.
 * An estimate (a measured average or limit) claims no more than one unit:
 * "about 27 d", "about 1.5 d", "about 3 h".
 */
export function formatTime(minutes: number | null | undefined, options: { estimate?: boolean } = {}): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  if (options.estimate) return formatEstimate(minutes);
  const rounded = Math.round(minutes);
  if (rounded === 0) return '0 m';
  const sign = rounded < 0 ? '−' : '';
  const size = Math.abs(rounded);
  if (size < MINUTES_PER_HOUR) return `${sign}${size} m`;
  const [big, small, bigName, smallName] =
    size < MINUTES_PER_DAY
      ? [Math.floor(size / MINUTES_PER_HOUR), size % MINUTES_PER_HOUR, 'h', 'm']
      : splitDays(Math.round(size / MINUTES_PER_HOUR));
  return sign + (small ? `${big} ${bigName} ${small} ${smallName}` : `${big} ${bigName}`);
}

/** Whole hours as [days, hours, "d", "h"]. */
function splitDays(hours: number): [number, number, string, string] {
  return [Math.floor(hours / 24), hours % 24, 'd', 'h'];
}

/** "about 27 d": the largest unit, one decimal under 10, whole from 10 up. */
function formatEstimate(minutes: number): string {
  const size = Math.abs(minutes);
  if (Math.round(size) === 0) return '0 m';
  const [per, name] =
    size >= MINUTES_PER_DAY ? [MINUTES_PER_DAY, 'd'] : size >= MINUTES_PER_HOUR ? [MINUTES_PER_HOUR, 'h'] : [1, 'm'];
  const value = size / per;
  const shown = per === 1 || value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `about ${minutes < 0 ? '−' : ''}${shown} ${name}`;
}
