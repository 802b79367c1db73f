/**
 * Outcome measures ("Results"): what the whole system achieves, measured
 * outside the map — "Referrals leading to a funded care package, %",
 * "Contacts into the service per week". Each has a unit, a direction (is
 * lower or higher better) and a value or, better, a series of dated values.
 * A before and an after board that share a measure's name compare it.
 *
 * Stored in a top-level Y.Map keyed by id, each measure a nested Y.Map whose
 * name, unit, direction and points are separate keys (one person renaming
 * while another pastes the values both win). The points are one value: a
 * paste replaces the whole series, as the capability series' paste does.
 */
import * as Y from 'yjs';
import { BoardOperationError, LOCAL_ORIGIN, newId } from './operations';

export const OUTCOME_UNITS = ['percent', 'count', 'hours', 'days', 'pounds'] as const;
export type OutcomeUnit = (typeof OUTCOME_UNITS)[number];
/** How each unit is named where a person picks it. */
export const OUTCOME_UNIT_WORDS: Record<OutcomeUnit, string> = {
  percent: '%',
  count: 'count',
  hours: 'hours',
  days: 'days',
  pounds: '£',
};
export const OUTCOME_DIRECTIONS = ['lower-is-better', 'higher-is-better'] as const;
export type OutcomeDirection = (typeof OUTCOME_DIRECTIONS)[number];

export const MAX_OUTCOME_NAME_LENGTH = 120;
export const MAX_OUTCOME_POINTS = 1000;
export const MAX_OUTCOMES = 50;

export interface OutcomePoint {
  /** "YYYY-MM-DD", or null for a value with no date. */
  date: string | null;
  value: number;
}

export interface Outcome {
  id: string;
  name: string;
  unit: OutcomeUnit;
  direction: OutcomeDirection;
  /** Oldest first; at least one. */
  points: OutcomePoint[];
}

export function outcomesMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>('outcomes');
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written "YYYY-MM-DD". */
export function isOutcomeDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** The name as a key: spacing and letter case do not make another measure. */
export function outcomeKey(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** The figure a board's measure is compared by: its one value, or the average of its series. */
export function outcomeFigure(outcome: Pick<Outcome, 'points'>): number | null {
  if (outcome.points.length === 0) return null;
  return outcome.points.reduce((sum, p) => sum + p.value, 0) / outcome.points.length;
}

function checkOutcome(input: Omit<Outcome, 'id'>): Omit<Outcome, 'id'> {
  const name = typeof input.name === 'string' ? input.name.replace(/\s+/g, ' ').trim() : '';
  if (name === '') throw new BoardOperationError('A result needs a name', 'name');
  if (name.length > MAX_OUTCOME_NAME_LENGTH) {
    throw new BoardOperationError(`The name is longer than ${MAX_OUTCOME_NAME_LENGTH} characters`, 'name');
  }
  if (!OUTCOME_UNITS.includes(input.unit)) {
    throw new BoardOperationError(`Unknown unit "${String(input.unit)}" (${OUTCOME_UNITS.join(', ')})`, 'unit');
  }
  if (!OUTCOME_DIRECTIONS.includes(input.direction)) {
    throw new BoardOperationError(`Unknown direction "${String(input.direction)}"`, 'direction');
  }
  if (!Array.isArray(input.points) || input.points.length === 0) {
    throw new BoardOperationError('A result needs a value, or a series of dated values', 'points');
  }
  if (input.points.length > MAX_OUTCOME_POINTS) {
    throw new BoardOperationError(`At most ${MAX_OUTCOME_POINTS} values`, 'points');
  }
  const points = input.points.map((point, index) => {
    const n = index + 1;
    if (!Number.isFinite(point?.value)) throw new BoardOperationError(`Value ${n} is not a number`, 'points');
    if (input.unit === 'percent' && (point.value < 0 || point.value > 100)) {
      throw new BoardOperationError(`Value ${n} is not a percentage from 0 to 100`, 'points');
    }
    if (input.unit !== 'pounds' && point.value < 0) {
      throw new BoardOperationError(`Value ${n} is below 0`, 'points');
    }
    if (point.date !== null && (typeof point.date !== 'string' || !isOutcomeDate(point.date))) {
      throw new BoardOperationError(`Value ${n}: "${String(point.date)}" is not a date (YYYY-MM-DD)`, 'points');
    }
    return { date: point.date, value: point.value };
  });
  return { name, unit: input.unit, direction: input.direction, points };
}

/**
 * Adds a result, or replaces the one with `id`. Refuses a name another
 * result of the board already has (two "Contacts per week" could not both
 * be compared), in any spacing or letter case. Returns the id.
 */
export function setOutcome(
  doc: Y.Doc,
  input: Omit<Outcome, 'id'> & { id?: string },
  origin: unknown = LOCAL_ORIGIN,
): string {
  const checked = checkOutcome(input);
  const map = outcomesMap(doc);
  const id = input.id ?? newId();
  const clash = readOutcomes(doc).find((o) => o.id !== id && outcomeKey(o.name) === outcomeKey(checked.name));
  if (clash) throw new BoardOperationError(`This board already has a result named “${clash.name}”`, 'name');
  if (!map.has(id) && map.size >= MAX_OUTCOMES) {
    throw new BoardOperationError(`A board holds at most ${MAX_OUTCOMES} results`, 'name');
  }
  doc.transact(() => {
    const existing = map.get(id);
    const entry = existing ?? new Y.Map<unknown>();
    if (!existing) map.set(id, entry);
    entry.set('name', checked.name);
    entry.set('unit', checked.unit);
    entry.set('direction', checked.direction);
    entry.set('points', checked.points);
  }, origin);
  return id;
}

export function removeOutcome(doc: Y.Doc, id: string, origin: unknown = LOCAL_ORIGIN): void {
  if (!outcomesMap(doc).has(id)) throw new BoardOperationError('No such result', 'id');
  doc.transact(() => outcomesMap(doc).delete(id), origin);
}

/** The board's results, by name; entries an old or broken client left unreadable are skipped. */
export function readOutcomes(doc: Y.Doc): Outcome[] {
  const out: Outcome[] = [];
  outcomesMap(doc).forEach((entry, id) => {
    if (!(entry instanceof Y.Map)) return;
    const name = entry.get('name');
    const unit = entry.get('unit') as OutcomeUnit;
    const direction = entry.get('direction') as OutcomeDirection;
    const points = entry.get('points');
    if (typeof name !== 'string' || !OUTCOME_UNITS.includes(unit) || !OUTCOME_DIRECTIONS.includes(direction)) return;
    if (!Array.isArray(points)) return;
    const readable = points.filter(
      (p): p is OutcomePoint =>
        typeof p === 'object' &&
        p !== null &&
        Number.isFinite((p as OutcomePoint).value) &&
        ((p as OutcomePoint).date === null || typeof (p as OutcomePoint).date === 'string'),
    );
    if (readable.length === 0) return;
    out.push({ id, name, unit, direction, points: readable.map((p) => ({ date: p.date, value: p.value })) });
  });
  return out.sort((a, b) =>
    outcomeKey(a.name) < outcomeKey(b.name) ? -1 : outcomeKey(a.name) > outcomeKey(b.name) ? 1 : 0,
  );
}

export interface OutcomeValuesParse {
  points: OutcomePoint[];
  errors: { line: number; message: string }[];
}

/**
 * Values as typed or pasted from a spreadsheet, one a line: "24.1", or a date
 * and a value ("2026-01-05 24.1", "2026-01-05,24.1", a tab between). "%", "£"
 * and thousands separators are allowed. A bad line is reported by its
 * number and nothing is guessed; blank lines are skipped.
 */
export function parseOutcomeValues(text: string): OutcomeValuesParse {
  const points: OutcomePoint[] = [];
  const errors: OutcomeValuesParse['errors'] = [];
  text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .forEach((raw, index) => {
      const line = index + 1;
      const trimmed = raw.trim();
      if (trimmed === '') return;
      const match = /^(\d{4}-\d{2}-\d{2})?[\s,;\t]*(.*)$/.exec(trimmed)!;
      const date = match[1] ?? null;
      if (date !== null && !isOutcomeDate(date)) {
        errors.push({ line, message: `Line ${line}: "${date}" is not a date: write it like 2026-01-05.` });
        return;
      }
      const number = match[2].replace(/[£%\s]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
      if (!/^-?\d+(\.\d+)?$/.test(number)) {
        errors.push({
          line,
          message: `Line ${line}: "${match[2] || trimmed}" is not a number: write a value like 24.1, or a date and a value.`,
        });
        return;
      }
      points.push({ date, value: Number(number) });
    });
  if (points.length > MAX_OUTCOME_POINTS) {
    errors.push({
      line: 0,
      message: `There are ${points.length} values, but a result keeps at most ${MAX_OUTCOME_POINTS}: paste fewer.`,
    });
  }
  return { points, errors };
}

/** A series written back as people type it: "2026-01-05 24.1", one a line. */
export function formatOutcomeValues(points: OutcomePoint[]): string {
  return points.map((p) => (p.date ? `${p.date} ${p.value}` : String(p.value))).join('\n');
}
