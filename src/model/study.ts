/**
 * The demand study (issue 14): what front-line staff captured, one entry per
 * customer contact, in the customer's words, and what the board and the
 * analysis panel make of it. Pure: no DOM, no Node, no Yjs — entries are
 * stored rows (server/storage), never in the board's document, and reach the
 * board as counts (message 106, src/protocol/study.ts).
 *
 * `summarizeStudy` is ONE pass over the entries (a study holds 50,000 and
 * more) into per-day counts, from which every window's figures are summed;
 * the board's live counts (`countsInWindow`) are those same per-day counts,
 * so the cards, the panel and the API can never disagree.
 *
 * Settled choices (method.md gives the board's demand measures; these are
 * the study's, where it leaves room — the unit tests say so):
 * - An entry's day is the date it was written on, the first ten characters
 *   of its `at` ("2026-03-02T09:15+00:00" → 2026-03-02): the phone's own
 *   calendar, not the server's time zone.
 * - An entry's class is its type's class when it has a type; else the class
 *   the collector chose; "unsure" or none is **unclassified**.
 * - Total = every entry in the window, unclassified ones included.
 *   Failure demand % = failure ÷ (value + failure) × 100: an unclassified
 *   entry is not yet either, so it counts in neither side (— when none is
 *   classified).
 * - Perfect % = value entries handled in one stop ÷ value entries whose
 *   handling is recorded × 100: an entry with no handling yet is unknown,
 *   not "not one stop" (— when none is recorded).
 * - Windows are whole days, both ends included, clipped to the study period.
 * - Predictable: the type's count on every day of the window up to today
 *   (days with no entry count 0), with method.md's XmR limits (`capability`)
 *   over those daily counts; predictable when no day is outside them. It
 *   needs at least MIN_PREDICTABLE_DAYS days: two days say nothing about a
 *   steady rate.
 * - Weeks start on Monday and are named by that Monday's date.
 * - Causes are grouped by their words, ignoring case and surrounding spaces;
 *   the first spelling seen names the group.
 */
import { capability, type DemandItem } from './measures';

export const STUDY_CLASSES = ['value', 'failure'] as const;
export type StudyClass = (typeof STUDY_CLASSES)[number];
export const ENTRY_CLASSES = ['value', 'failure', 'unsure'] as const;
export type EntryClass = (typeof ENTRY_CLASSES)[number];

export interface StudyDemandType {
  /** Stable id (the server gives one); entries name their type by it. */
  id: string;
  name: string;
  class: StudyClass;
  /** The operational definition: "Chasing: the customer asks where something is that we promised". */
  definition?: string;
}

export interface StudyHandlingType {
  name: string;
  /** Handled in one stop: the customer's need met at the first contact. */
  oneStop: boolean;
}

export interface StudyCapture {
  classification: boolean;
  handling: boolean;
  valueLinking: boolean;
}

export interface StudySettings {
  demandTypes: StudyDemandType[];
  handlingTypes: StudyHandlingType[];
  contactMethods: string[];
  defaultContactMethod?: string;
  points?: string[];
  whatMattersCategories?: string[];
  /** First and last day of the study, 'YYYY-MM-DD', both included. */
  start: string;
  end: string;
  capture: StudyCapture;
}

export interface StudyEntry {
  /** Made by the phone (a nanoid), so a retry never makes a duplicate. */
  id: string;
  /** What the customer said, in their words. */
  verbatim: string;
  /** ISO date-time, as written on the phone (its offset kept): the entry's day is its date. */
  at: string;
  /** The collector's name. */
  collector: string;
  class?: EntryClass;
  /** A demand type's id. */
  type?: string;
  /** A handling type's name. */
  handling?: string;
  contactMethod?: string;
  point?: string;
  whatMatters?: { category?: string; note?: string };
  /** For failure demand: the id of the value demand type it stems from. */
  valueDemandType?: string;
  cause?: string;
  createdAt: number;
  updatedAt: number;
  /** The member id of whoever added it. */
  by: string;
}

/** Days of counts a type needs before it can be called predictable (a week: every weekday seen once). */
export const MIN_PREDICTABLE_DAYS = 7;
/** The verbatim notes of "what matters" a summary carries, newest first. */
export const MAX_SUMMARY_NOTES = 200;

/** One day's counts: what the board's cards and every window are summed from. */
export interface StudyDay {
  day: string;
  /** Entries of each type (by type id) that day; types with none are left out. */
  byType: Record<string, number>;
  value: number;
  failure: number;
  unsure: number;
  /** Value entries with a handling recorded, and those handled in one stop. */
  valueHandled: number;
  valueOneStop: number;
}

export interface TypeCount {
  type: string;
  name: string;
  class: StudyClass;
  count: number;
}

export interface Predictability {
  type: string;
  predictable: boolean;
  /** Why, in words the panel shows. */
  reason: string;
  /** The XmR limits of the daily counts, when there were enough days. */
  limits?: { mean: number; lower: number; upper: number };
}

export interface StudyWindow {
  from: string;
  to: string;
}

/** A window's figures: what message 106 carries and a demand card shows. */
export interface WindowCounts {
  window: StudyWindow;
  byType: TypeCount[];
  total: number;
  value: number;
  failure: number;
  unsure: number;
  failureDemandPct: number | null;
  perfectPct: number | null;
  predictable: Predictability[];
}

export interface NameCount {
  name: string;
  count: number;
}

export interface StudySummary extends WindowCounts {
  failureFlow: Array<{ from: string; to: string; count: number }>;
  causes: Array<{ cause: string; count: number }>;
  whatMatters: {
    categories: Array<{ category: string; count: number }>;
    notes: Array<{ entryId: string; category: string | null; note: string; at: string }>;
    notesTotal: number;
  };
  contactMethods: NameCount[];
  points: NameCount[];
  coverage: Array<{ collector: string; day: string; count: number }>;
  overTime: {
    daily: Array<{ day: string; value: number; failure: number; unsure: number }>;
    weekly: Array<{ week: string; value: number; failure: number; unsure: number }>;
  };
  /** What the study screen's chips count, in the window. */
  needs: { classification: number; handling: number; valueLink: number };
  /** The per-day counts (days with entries only), for any narrower window: `countsInWindow`. */
  days: StudyDay[];
}

export interface SummaryOptions {
  from?: string;
  to?: string;
  /** Today's date: days after it are not counted as days without demand. Default: the window's end. */
  today?: string;
}

// ---------------------------------------------------------------- days

const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

function dayOfNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' plus `days`. */
export function addDays(day: string, days: number): string {
  return dayOfNumber(dayNumber(day) + days);
}

/** Every day from `from` to `to`, both included (none when `to` is before `from`). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let n = dayNumber(from), last = dayNumber(to); n <= last; n++) days.push(dayOfNumber(n));
  return days;
}

/** The Monday of the day's week. */
export function weekOf(day: string): string {
  const n = dayNumber(day);
  // 1970-01-01 was a Thursday: day 0 → weekday 3 counting Monday as 0.
  const weekday = (((n + 3) % 7) + 7) % 7;
  return dayOfNumber(n - weekday);
}

/** The entry's day: the date it was written on. */
export function entryDay(entry: Pick<StudyEntry, 'at'>): string {
  return entry.at.slice(0, 10);
}

/** A local date as 'YYYY-MM-DD' (the server's "today"). */
export function localDay(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The window: the asked-for days clipped to the study period. */
export function studyWindow(settings: Pick<StudySettings, 'start' | 'end'>, from?: string, to?: string): StudyWindow {
  return {
    from: from && from > settings.start ? from : settings.start,
    to: to && to < settings.end ? to : settings.end,
  };
}

/** The last seven days up to today, within the study: the board's "last 7 days" window. */
export function lastSevenDays(settings: Pick<StudySettings, 'start' | 'end'>, today: string): StudyWindow {
  return studyWindow(settings, addDays(today, -6), today);
}

// ---------------------------------------------------------------- classes

/** The entry's class as the measures count it: its type's, else the collector's choice, else unsure. */
export function classOfEntry(
  entry: Pick<StudyEntry, 'type' | 'class'>,
  types: ReadonlyMap<string, StudyDemandType>,
): EntryClass {
  const type = entry.type === undefined ? undefined : types.get(entry.type);
  if (type) return type.class;
  return entry.class === 'value' || entry.class === 'failure' ? entry.class : 'unsure';
}

export function typesById(settings: Pick<StudySettings, 'demandTypes'>): Map<string, StudyDemandType> {
  return new Map(settings.demandTypes.map((t) => [t.id, t]));
}

/** What an entry still needs, for the study screen's chips. */
export function entryNeeds(
  entry: Pick<StudyEntry, 'type' | 'class' | 'handling' | 'valueDemandType'>,
  types: ReadonlyMap<string, StudyDemandType>,
): { classification: boolean; handling: boolean; valueLink: boolean } {
  const known = entry.type !== undefined && types.has(entry.type);
  return {
    classification: !known,
    handling: !entry.handling,
    valueLink: classOfEntry(entry, types) === 'failure' && !entry.valueDemandType,
  };
}

// ---------------------------------------------------------------- windows

function pct(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}

function predictability(type: StudyDemandType, daily: number[], total: number): Predictability {
  if (total === 0) return { type: type.id, predictable: false, reason: 'No entries of this type yet.' };
  if (daily.length < MIN_PREDICTABLE_DAYS) {
    return {
      type: type.id,
      predictable: false,
      reason: `Needs at least ${MIN_PREDICTABLE_DAYS} days of counts to tell (has ${daily.length}).`,
    };
  }
  const limits = capability(daily);
  if (!limits) return { type: type.id, predictable: false, reason: 'Not enough days of counts to tell.' };
  const { mean, lower, upper } = limits;
  const round = (x: number) => (Math.round(x * 10) / 10).toString();
  // A hair of tolerance, so a float sum never puts a day on the wrong side of its limit.
  const outside = daily.filter((x) => x > upper + 1e-9 || x < lower - 1e-9).length;
  if (outside === 0) {
    return {
      type: type.id,
      predictable: true,
      reason: `Its daily count stayed within its limits (${round(lower)} to ${round(upper)}, on average ${round(mean)}) on all ${daily.length} days.`,
      limits,
    };
  }
  return {
    type: type.id,
    predictable: false,
    reason: `Its daily count went outside its limits (${round(lower)} to ${round(upper)}, on average ${round(mean)}) on ${outside} of ${daily.length} days.`,
    limits,
  };
}

/**
 * A window's counts from the per-day counts: what the board's demand cards
 * show for "whole study", "last 7 days" or a custom range. `today` ends the
 * run of daily counts predictability reads (days to come are not days
 * without demand).
 */
export function countsInWindow(
  settings: Pick<StudySettings, 'demandTypes' | 'start' | 'end'>,
  days: readonly StudyDay[],
  window: StudyWindow,
  today: string = window.to,
): WindowCounts {
  const { from, to } = studyWindow(settings, window.from, window.to);
  const byTypeCount = new Map<string, number>();
  const perDay = new Map<string, StudyDay>();
  let value = 0;
  let failure = 0;
  let unsure = 0;
  let valueHandled = 0;
  let valueOneStop = 0;
  for (const d of days) {
    if (d.day < from || d.day > to) continue;
    perDay.set(d.day, d);
    value += d.value;
    failure += d.failure;
    unsure += d.unsure;
    valueHandled += d.valueHandled;
    valueOneStop += d.valueOneStop;
    for (const type in d.byType) byTypeCount.set(type, (byTypeCount.get(type) ?? 0) + d.byType[type]);
  }
  const counted = daysBetween(from, to < today ? to : today);
  const byType = settings.demandTypes.map((t) => ({
    type: t.id,
    name: t.name,
    class: t.class,
    count: byTypeCount.get(t.id) ?? 0,
  }));
  return {
    window: { from, to },
    byType,
    total: value + failure + unsure,
    value,
    failure,
    unsure,
    failureDemandPct: pct(failure, value + failure),
    perfectPct: pct(valueOneStop, valueHandled),
    predictable: settings.demandTypes.map((t) =>
      predictability(
        t,
        counted.map((day) => perDay.get(day)?.byType[t.id] ?? 0),
        byTypeCount.get(t.id) ?? 0,
      ),
    ),
  };
}

// ---------------------------------------------------------------- the summary

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

function ranked(map: Map<string, number>): NameCount[] {
  return [...map]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** One day while summing: counts per type by the type's place in the settings (an array, not keyed text). */
interface DayTally {
  day: string;
  types: Int32Array;
  value: number;
  failure: number;
  unsure: number;
  valueHandled: number;
  valueOneStop: number;
  collectors: Map<string, number>;
}

/** Everything the analysis panel and the report show of the study, for one window, in one pass. */
export function summarizeStudy(
  settings: StudySettings,
  entries: readonly StudyEntry[],
  options: SummaryOptions = {},
): StudySummary {
  const { from, to } = studyWindow(settings, options.from, options.to);
  const typeCount = settings.demandTypes.length;
  // Per entry, the work is a few map look-ups and additions: 50,000 entries in well under 50 ms.
  const typeIndex = new Map(settings.demandTypes.map((t, i) => [t.id, i]));
  const typeIsFailure = settings.demandTypes.map((t) => t.class === 'failure');
  const oneStop = new Map(settings.handlingTypes.map((h) => [h.name, h.oneStop]));
  const days = new Map<string, DayTally>();
  const flow = new Map<string, Int32Array>();
  const causes = new Map<string, { cause: string; count: number }>();
  const categories = new Map<string, number>();
  const notes: Array<{ entryId: string; category: string | null; note: string; at: string }> = [];
  const contactMethods = new Map<string, number>();
  const points = new Map<string, number>();
  const needs = { classification: 0, handling: 0, valueLink: 0 };
  let d: DayTally | null = null;

  for (const entry of entries) {
    const at = entry.at;
    // Entries come mostly in time order: the day before is usually the day again, found without a look-up.
    if (d === null || !at.startsWith(d.day)) {
      const day = at.slice(0, 10);
      if (day < from || day > to) {
        d = null;
        continue;
      }
      d = days.get(day) ?? null;
      if (d === null) {
        d = {
          day,
          types: new Int32Array(typeCount),
          value: 0,
          failure: 0,
          unsure: 0,
          valueHandled: 0,
          valueOneStop: 0,
          collectors: new Map(),
        };
        days.set(day, d);
      }
    }
    const t = entry.type === undefined ? undefined : typeIndex.get(entry.type);
    let failure = false;
    let value = false;
    if (t !== undefined) {
      d.types[t]++;
      failure = typeIsFailure[t];
      value = !failure;
    } else {
      needs.classification++;
      failure = entry.class === 'failure';
      value = entry.class === 'value';
    }
    if (value) d.value++;
    else if (failure) d.failure++;
    else d.unsure++;
    const handling = entry.handling;
    if (!handling) needs.handling++;
    else if (value) {
      const stop = oneStop.get(handling);
      if (stop !== undefined) {
        d.valueHandled++;
        if (stop) d.valueOneStop++;
      }
    }
    if (failure) {
      const source = entry.valueDemandType;
      if (!source) needs.valueLink++;
      else if (t !== undefined) {
        let row = flow.get(source);
        if (!row) flow.set(source, (row = new Int32Array(typeCount)));
        row[t]++;
      }
      if (entry.cause) {
        const cause = entry.cause.trim();
        if (cause) {
          const key = cause.toLowerCase();
          const known = causes.get(key);
          if (known) known.count++;
          else causes.set(key, { cause, count: 1 });
        }
      }
    }
    const wm = entry.whatMatters;
    if (wm) {
      if (wm.category) bump(categories, wm.category);
      const note = wm.note?.trim();
      if (note) notes.push({ entryId: entry.id, category: wm.category ?? null, note, at });
    }
    if (entry.contactMethod) bump(contactMethods, entry.contactMethod);
    if (entry.point) bump(points, entry.point);
    bump(d.collectors, entry.collector);
  }

  const tallies = [...days.values()].sort((a, b) => (a.day < b.day ? -1 : 1));
  const dayList: StudyDay[] = tallies.map((t) => {
    const byType: Record<string, number> = {};
    t.types.forEach((count, i) => {
      if (count > 0) byType[settings.demandTypes[i].id] = count;
    });
    const { day, value, failure, unsure, valueHandled, valueOneStop } = t;
    return { day, byType, value, failure, unsure, valueHandled, valueOneStop };
  });
  const counts = countsInWindow(settings, dayList, { from, to }, options.today ?? to);
  const daily = dayList.map(({ day, value, failure, unsure }) => ({ day, value, failure, unsure }));
  const weeks = new Map<string, { week: string; value: number; failure: number; unsure: number }>();
  for (const day of daily) {
    const week = weekOf(day.day);
    const w = weeks.get(week) ?? { week, value: 0, failure: 0, unsure: 0 };
    w.value += day.value;
    w.failure += day.failure;
    w.unsure += day.unsure;
    weeks.set(week, w);
  }
  // Newest first: a note's time is its `at` (ISO, so text order is time order within one offset).
  notes.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    ...counts,
    failureFlow: [...flow]
      .flatMap(([source, row]) =>
        [...row].flatMap((count, i) => (count > 0 ? [{ from: source, to: settings.demandTypes[i].id, count }] : [])),
      )
      .sort((a, b) => b.count - a.count || byText(a.from, b.from) || byText(a.to, b.to)),
    causes: [...causes.values()].sort((a, b) => b.count - a.count || byText(a.cause, b.cause)),
    whatMatters: {
      categories: ranked(categories).map(({ name, count }) => ({ category: name, count })),
      notes: notes.slice(0, MAX_SUMMARY_NOTES),
      notesTotal: notes.length,
    },
    contactMethods: ranked(contactMethods),
    points: ranked(points),
    coverage: tallies
      .flatMap((t) => [...t.collectors].map(([collector, count]) => ({ collector, day: t.day, count })))
      .sort((a, b) => byText(a.collector, b.collector) || byText(a.day, b.day)),
    overTime: { daily, weekly: [...weeks.values()] },
    needs,
    days: dayList,
  };
}

// ---------------------------------------------------------------- the board's demand

/** The study's counts as the board's measures read them: per type, in one window. */
export interface StudyDemand {
  byType: ReadonlyArray<Pick<TypeCount, 'type' | 'name' | 'class' | 'count'>>;
  predictable: ReadonlyArray<Pick<Predictability, 'type' | 'predictable'>>;
}

/**
 * The board's demand with the study's: every hand-made demand card, plus
 * one item per study type (its count the study's, its predictability from
 * the data). A card that shows a study type (its `studyType` set) is the
 * study's count on the board, so its own count is not added again.
 */
export function demandWithStudy(handMade: readonly DemandItem[], study: StudyDemand | null): DemandItem[] {
  if (!study) return [...handMade];
  const shown = new Set(handMade.map((d) => d.studyType).filter((t): t is string => !!t));
  const predictable = new Map(study.predictable.map((p) => [p.type, p.predictable]));
  return [
    ...handMade.filter((d) => !d.studyType),
    ...study.byType
      .filter((t) => t.count > 0 || shown.has(t.type))
      .map((t) => ({
        id: `study:${t.type}`,
        words: t.name,
        demandClass: t.class,
        count: t.count,
        predictable: predictable.get(t.type) ?? false,
        studyType: t.type,
      })),
  ];
}
