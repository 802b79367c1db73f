/**
 * How a before/after comparison says things: values with their units, changes
 * with a sign, verdicts in words as well as colour, and each changed field of
 * a step. Pure: the comparison view, its SVG picture and its PDF report all
 * say them in these words.
 */
import {
  MINUTES_PER_DAY,
  MINUTES_PER_HOUR,
  formatTime,
  type Comparison,
  type HeadlineItem,
  type MeasureUnit,
  type OutcomeUnit,
  type StepChange,
  type StepField,
  type Verdict,
} from '../model';
import type { Highlight } from './board-svg';
import { NO_VALUE, formatCount, formatInUnit, formatPct } from './format';

/** A measure's value: "24 d 10 m", "55%", "6"; "—" when the side lacks the data. */
export function formatValue(unit: MeasureUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  if (unit === 'minutes') return formatTime(value);
  if (unit === 'percent') return formatPct(value);
  return Number.isInteger(value) ? formatCount(value) : String(Math.round(value * 10) / 10);
}

/**
 * The change after − before, signed: "−19 d 10 m", "+2", "−38.3 points" (a
 * change of a percentage is in percentage points, not a percent of a percent).
 */
export function formatChange(unit: MeasureUnit, change: number | null): string {
  if (change === null || !Number.isFinite(change)) return NO_VALUE;
  if (change === 0) return unit === 'minutes' ? '0 m' : unit === 'percent' ? '0 points' : '0';
  const sign = change > 0 ? '+' : '−';
  const size = Math.abs(change);
  if (unit === 'minutes') return `${sign}${formatTime(size)}`;
  if (unit === 'percent') return `${sign}${points(size)}`;
  return `${sign}${formatValue('count', size)}`;
}

/** A size in percentage points: "38.3 points", "1 point", "<0.1 points". */
function points(size: number): string {
  const number = formatPct(size).replace('%', '');
  return `${number} ${number === '1' ? 'point' : 'points'}`;
}

/** The relative change: "−79.1%", "+12%"; "—" when it has no meaning (before is 0 or missing). */
export function formatChangePct(changePct: number | null): string {
  if (changePct === null || !Number.isFinite(changePct)) return NO_VALUE;
  if (changePct === 0) return '0%';
  return `${changePct > 0 ? '+' : ''}${formatPct(changePct)}`;
}

/** A number as people write a result: at most one decimal, thousands separated ("1,240", "9.7"). */
function plainNumber(value: number): string {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return rounded.toLocaleString('en-GB', { maximumFractionDigits: 1 }).replace('-', '−');
}

/** A result's value in its unit: "24.1%", "480", "9.7 h", "12 d", "£1,240"; "—" when the board lacks it. */
export function formatOutcomeValue(unit: OutcomeUnit, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  switch (unit) {
    case 'percent':
      return formatPct(value);
    case 'count':
      return plainNumber(value);
    case 'hours':
      return `${plainNumber(value)} h`;
    case 'days':
      return `${plainNumber(value)} d`;
    case 'pounds':
      return value < 0 ? `−£${plainNumber(-value)}` : `£${plainNumber(value)}`;
  }
}

/** A result's change, signed, in its unit ("−13.2 points", "−230", "−2.3 h", "+£400"). */
export function formatOutcomeChange(unit: OutcomeUnit, change: number | null): string {
  if (change === null || !Number.isFinite(change)) return NO_VALUE;
  if (change === 0) return unit === 'percent' ? '0 points' : formatOutcomeValue(unit, 0);
  const sign = change > 0 ? '+' : '−';
  if (unit === 'percent') return `${sign}${points(Math.abs(change))}`;
  return `${sign}${formatOutcomeValue(unit, Math.abs(change))}`;
}

/** A percentage in the headline: whole from 10% up ("55%", "17%"), one decimal below ("0.7%"). */
function headlinePct(value: number): string {
  return Math.abs(value) >= 10 ? formatPct(Math.round(value)) : formatPct(value);
}

/**
 * One headline line in its three parts: the measure, its two figures and the
 * size of the change ("−79%", "−38 points"; none for a count, which speaks
 * for itself, nor from 0, which has no percentage).
 */
export function headlineParts(item: HeadlineItem): { label: string; figures: string; change: string | null } {
  const outcome = item.key.startsWith('outcome:');
  let figures: string;
  if (outcome && item.unit !== 'percent') {
    const unit = item.unit as OutcomeUnit;
    figures = `${formatOutcomeValue(unit, item.before)} → ${formatOutcomeValue(unit, item.after)}`;
  } else if (item.unit === 'percent') figures = `${headlinePct(item.before)} → ${headlinePct(item.after)}`;
  else if (item.key.startsWith('capability.')) {
    // A measured average is an estimate: "24.3 d", not "24 d 7 h 12 m"; both sides in the unit of the larger.
    const larger = Math.max(item.before, item.after);
    const unit = larger >= MINUTES_PER_DAY ? 'days' : larger >= MINUTES_PER_HOUR ? 'hours' : 'minutes';
    figures = `${formatInUnit(item.before, unit)} → ${formatInUnit(item.after, unit)}`;
  } else {
    const unit = item.unit as MeasureUnit;
    figures = `${formatValue(unit, item.before)} → ${formatValue(unit, item.after)}`;
  }
  const sign = item.change > 0 ? '+' : '−';
  let change: string | null = null;
  if (item.unit === 'percent') {
    // A change of a percentage is in points, not a percent of a percent.
    const points = Math.abs(item.change);
    const size = points >= 10 ? Math.round(points) : Math.round(points * 10) / 10;
    change = `${sign}${size} ${size === 1 ? 'point' : 'points'}`;
  } else if ((item.unit === 'minutes' || outcome) && item.changePct !== null) {
    // A result's count or amount, like a time, says its size as a share; a count of map elements speaks for itself.
    change = `${sign}${Math.round(Math.abs(item.changePct))}%`;
  }
  return { label: item.label, figures, change };
}

/**
 * One headline line as a manager reads it: "End-to-end time: 24 d 10 m → 5 d
 * 20 m (−79%)", "Failure demand: 55% → 17% (−38 points)", "Handoffs: 6 → 1".
 */
export function headlineText(item: HeadlineItem): string {
  const { label, figures, change } = headlineParts(item);
  return `${label}: ${figures}${change ? ` (${change})` : ''}`;
}

/** The verdict in a symbol and a word, so colour is not the only signal. */
export function verdictText(verdict: Verdict): string {
  switch (verdict) {
    case 'better':
      return '✓ better';
    case 'worse':
      return '✗ worse';
    case 'same':
      return '= same';
    default:
      return NO_VALUE;
  }
}

const FIELD_NAMES: Record<StepField, string> = {
  label: 'name',
  lane: 'lane',
  class: 'class',
  wasteType: 'waste type',
  pt: 'PT',
  lt: 'LT',
  ca: '%C&A',
};

function fieldValue(field: StepField, value: string | number | null): string {
  if (value === null || value === '') return field === 'lane' ? 'no lane' : 'none';
  if (typeof value === 'number') {
    if (field === 'pt' || field === 'lt') return formatTime(value);
    if (field === 'ca') return formatPct(value);
    return String(value);
  }
  return field === 'label' ? `“${value}”` : value;
}

/** One change of a step, as a person says it: "lane: Supervisor → Repairs admin", "PT: 45 m → 30 m". */
export function describeChange(change: StepChange): string {
  return `${FIELD_NAMES[change.field]}: ${fieldValue(change.field, change.before)} → ${fieldValue(
    change.field,
    change.after,
  )}`;
}

/** Which steps each map marks: removed on the before map, added on the after map, changed on both. */
export function highlightsOf(comparison: Comparison): {
  before: Map<string, Highlight>;
  after: Map<string, Highlight>;
} {
  const before = new Map<string, Highlight>();
  const after = new Map<string, Highlight>();
  for (const step of comparison.steps.removed) before.set(step.id, 'removed');
  for (const step of comparison.steps.added) after.set(step.id, 'added');
  for (const step of comparison.steps.changed) {
    before.set(step.beforeId, 'changed');
    after.set(step.afterId, 'changed');
  }
  return { before, after };
}
