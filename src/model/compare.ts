/**
 * Before and after (method.md, "Before / after"): two boards — or two saved
 * versions — compared measure by measure, step by step, demand type by demand
 * type, and on one capability scale. Pure: the server's /api/compare, the
 * comparison view and the CLI all call `compareBoards` on two sides built by
 * `comparedSideOfDoc`, so they show the same figures.
 *
 * Each measure carries its own direction: whether a fall is an improvement
 * (lead time), a rise is (activity ratio), or the method gives no direction
 * (neutral — the reason is written next to each one below).
 */
import { daysBetween, summarizeStudy, type StudyEntry, type StudySettings } from './study';
import type * as Y from 'yjs';
import { UNIT_MINUTES, readCapabilitySeries, type CapabilityUnit } from './capability-series';
import { WASTE_TYPES, computeMeasures, type DemandClass, type Measures, type WasteType } from './measures';
import { measuresInputFromDoc } from './measures-input';
import { pickHeadline, type HeadlineItem } from './headline';
import {
  OUTCOME_UNIT_WORDS,
  outcomeFigure,
  outcomeKey,
  readOutcomes,
  type Outcome,
  type OutcomeDirection,
  type OutcomeUnit,
} from './outcomes';
import { lanesMap } from './schema';

// ---------------------------------------------------------------- refs

/** A board id or a version id: what the server accepts (letters, digits, "_", "-"; 1–64). */
const REF_PART = /^[A-Za-z0-9_-]{1,64}$/;

/** True for text that can be a board id or a version id. */
export function isValidRefPart(part: string): boolean {
  return typeof part === 'string' && REF_PART.test(part);
}

export interface ParsedRef {
  boardId: string;
  versionId: string | null;
}

/**
 * `<boardId>` (the live board) or `<boardId>@<versionId>` (a saved version).
 * Null when the text is neither.
 */
export function parseRef(ref: string): ParsedRef | null {
  if (typeof ref !== 'string') return null;
  const parts = ref.split('@');
  if (parts.length > 2 || !REF_PART.test(parts[0])) return null;
  if (parts.length === 2 && !REF_PART.test(parts[1])) return null;
  return { boardId: parts[0], versionId: parts.length === 2 ? parts[1] : null };
}

// ---------------------------------------------------------------- one side

export interface ComparedStep {
  id: string;
  label: string;
  /** The lane's NAME (lanes of two boards compare by name; their ids differ). */
  lane: string | null;
  stepClass: 'value' | 'waste' | null;
  wasteType: WasteType | null;
  pt: number | null;
  lt: number | null;
  ca: number | null;
  x: number;
}

export interface ComparedDemand {
  words: string;
  demandClass: DemandClass;
  count: number;
}

/** Everything the comparison reads from one board or version, as plain data. */
export interface ComparedSide {
  ref: string;
  boardId: string;
  versionId: string | null;
  title: string;
  versionName: string | null;
  measures: Measures;
  steps: ComparedStep[];
  demand: ComparedDemand[];
  capability: { unit: CapabilityUnit; minutes: number[] };
  /** The board's results (outcome measures), by name. */
  outcomes: Outcome[];
}

export function comparedSideOfDoc(
  doc: Y.Doc,
  side: { ref: string; title: string; versionName?: string | null },
): ComparedSide {
  const parsed = parseRef(side.ref);
  if (!parsed) throw new Error(`"${side.ref}" is not a board or version reference`);
  const input = measuresInputFromDoc(doc);
  const laneNames = new Map<string, string>();
  lanesMap(doc).forEach((lane, id) => {
    const name = lane.get('name');
    laneNames.set(id, typeof name === 'string' ? name : '');
  });
  return {
    ref: side.ref,
    boardId: parsed.boardId,
    versionId: parsed.versionId,
    title: side.title,
    versionName: side.versionName ?? null,
    measures: computeMeasures(input),
    steps: input.steps.map((s) => ({
      id: s.id,
      label: s.label,
      lane: s.lane === null ? null : (laneNames.get(s.lane) ?? null),
      stepClass: s.stepClass,
      // A value step has no waste type, whatever an old client left in the field.
      wasteType: s.stepClass === 'waste' ? s.wasteType : null,
      pt: s.pt,
      lt: s.lt,
      ca: s.ca,
      x: s.x,
    })),
    demand: input.demand.map((d) => ({ words: d.words, demandClass: d.demandClass, count: d.count })),
    capability: readCapabilitySeries(doc),
    outcomes: readOutcomes(doc),
  };
}

// ---------------------------------------------------------------- the comparison

export type Direction = 'lower-is-better' | 'higher-is-better' | 'neutral';
/**
 * 'n/a' when a side lacks the data, and also when a neutral measure changed:
 * the method calls that change neither better nor worse.
 */
export type Verdict = 'better' | 'worse' | 'same' | 'n/a';
export type MeasureUnit = 'minutes' | 'percent' | 'count';

export interface ComparedMeasure {
  key: string;
  label: string;
  unit: MeasureUnit;
  direction: Direction;
  before: number | null;
  after: number | null;
  change: number | null;
  changePct: number | null;
  verdict: Verdict;
}

export interface SideInfo {
  ref: string;
  boardId: string;
  versionId: string | null;
  title: string;
  versionName: string | null;
}

export interface StepRow {
  id: string;
  label: string;
  lane: string | null;
}

export type StepField = 'label' | 'lane' | 'class' | 'wasteType' | 'pt' | 'lt' | 'ca';

export interface StepChange {
  field: StepField;
  before: string | number | null;
  after: string | number | null;
}

export interface ChangedStep {
  beforeId: string;
  afterId: string;
  /** The label on the after board. */
  label: string;
  matchedBy: 'id' | 'label';
  changes: StepChange[];
}

export interface DemandTypeSide {
  count: number;
  demandClass: DemandClass;
}

export interface CapabilitySide {
  /** End-to-end times in `Comparison.capability.unit`, oldest first. */
  series: number[];
  mean: number | null;
  upper: number | null;
  lower: number | null;
}

/** One result (outcome measure) of either board, matched by name. */
export interface ComparedOutcome {
  /** "outcome:<name in lower case>": unique in a comparison. */
  key: string;
  label: string;
  unit: OutcomeUnit;
  direction: OutcomeDirection;
  /** Each side's figure: its one value, or the average of its series; null where the board lacks it. */
  before: number | null;
  after: number | null;
  change: number | null;
  changePct: number | null;
  verdict: Verdict;
  /** Each side's series (oldest first) for its chart; empty where the board lacks the result. */
  beforePoints: Outcome['points'];
  afterPoints: Outcome['points'];
  /** Why the two could not be compared (units or directions differ), in plain words; null when they were. */
  problem: string | null;
}

export interface Comparison {
  before: SideInfo;
  after: SideInfo;
  matchedBy: 'id' | 'label' | 'id-and-label';
  /** The four to six largest changes, most telling first (headline.ts): what the comparison opens with. */
  headline: HeadlineItem[];
  measures: ComparedMeasure[];
  /** The results (outcome measures) of both boards, matched by name: before's order, then after's own. */
  outcomes: ComparedOutcome[];
  steps: { removed: StepRow[]; added: StepRow[]; changed: ChangedStep[]; unchanged: number };
  demand: {
    failurePctBefore: number | null;
    failurePctAfter: number | null;
    types: Array<{ words: string; before: DemandTypeSide | null; after: DemandTypeSide | null }>;
  };
  capability: {
    unit: CapabilityUnit;
    before: CapabilitySide;
    after: CapabilitySide;
    scale: { min: number; max: number };
  };
  /** The two boards' demand studies (failure demand %, Perfect %, entries per week); null when neither has one. */
  study?: { before: StudyComparedFigures | null; after: StudyComparedFigures | null } | null;
}

interface MeasureDefinition {
  key: string;
  label: string;
  unit: MeasureUnit;
  direction: Direction;
  pick: (m: Measures) => number | null;
}

const WASTE_TYPE_WORDS: Record<WasteType, string> = {
  check: 'check',
  approval: 'approval',
  rework: 'rework',
  wait: 'wait',
  duplication: 'duplication',
  chasing: 'chasing',
  admin: 'admin',
  other: 'other',
};

/** Every measure of method.md, in the order of the analysis panel, with its direction. */
export const COMPARED_MEASURES: readonly MeasureDefinition[] = [
  // Demand
  // Neutral: total demand is what customers ask for; removing failure demand lowers it, but so would
  // turning customers away. Failure demand % carries the judgement.
  { key: 'totalDemand', label: 'Total demand', unit: 'count', direction: 'neutral', pick: (m) => m.totalDemand },
  {
    key: 'failureDemandPct',
    label: 'Failure demand %',
    unit: 'percent',
    direction: 'lower-is-better',
    pick: (m) => m.failureDemandPct,
  },
  {
    key: 'valueDemandPct',
    label: 'Value demand %',
    unit: 'percent',
    direction: 'higher-is-better',
    pick: (m) => m.valueDemandPct,
  },
  // Neutral: predictability says demand can be designed for, not that the service is better;
  // failure demand is often the most predictable of all (method.md's example is all predictable).
  {
    key: 'predictablePct',
    label: 'Predictable %',
    unit: 'percent',
    direction: 'neutral',
    pick: (m) => m.predictablePct,
  },
  // Flow
  {
    key: 'endToEndLeadTime',
    label: 'End-to-end lead time',
    unit: 'minutes',
    direction: 'lower-is-better',
    pick: (m) => m.endToEndLeadTime,
  },
  // Neutral: process time is hands-on work, value work included; a redesign may rightly put more
  // of it into value steps (doing the repair properly). Lead time and activity ratio judge the flow.
  { key: 'processTime', label: 'Process time', unit: 'minutes', direction: 'neutral', pick: (m) => m.processTime },
  {
    key: 'activityRatioPct',
    label: 'Activity ratio',
    unit: 'percent',
    direction: 'higher-is-better',
    pick: (m) => m.activityRatioPct,
  },
  {
    key: 'rolledCAPct',
    label: 'Rolled %C&A',
    unit: 'percent',
    direction: 'higher-is-better',
    pick: (m) => m.rolledCAPct,
  },
  { key: 'steps', label: 'Steps', unit: 'count', direction: 'lower-is-better', pick: (m) => m.steps },
  // Neutral: the number of value steps is the work the purpose needs; merging two value steps into
  // one is not a loss, and adding one is not a gain. Value step % judges the mix.
  { key: 'valueSteps', label: 'Value steps', unit: 'count', direction: 'neutral', pick: (m) => m.valueSteps },
  { key: 'wasteSteps', label: 'Waste steps', unit: 'count', direction: 'lower-is-better', pick: (m) => m.wasteSteps },
  ...WASTE_TYPES.map((type): MeasureDefinition => ({
    key: `wasteByType.${type}`,
    label: `Waste steps: ${WASTE_TYPE_WORDS[type]}`,
    unit: 'count',
    direction: 'lower-is-better',
    pick: (m) => m.wasteByType[type],
  })),
  {
    key: 'valueStepPct',
    label: 'Value step %',
    unit: 'percent',
    direction: 'higher-is-better',
    pick: (m) => m.valueStepPct,
  },
  { key: 'handoffs', label: 'Handoffs', unit: 'count', direction: 'lower-is-better', pick: (m) => m.handoffs },
  {
    key: 'handoffsOnMainPath',
    label: 'Handoffs on the main path',
    unit: 'count',
    direction: 'lower-is-better',
    pick: (m) => m.handoffsOnMainPath,
  },
  // Each department a case crosses is a handoff and a queue: fewer is better, as for handoffs.
  {
    key: 'departmentsTraversed',
    label: 'Departments traversed',
    unit: 'count',
    direction: 'lower-is-better',
    pick: (m) => m.departmentsTraversed,
  },
  // Neutral: a contact can be the value itself (the visit) or the customer chasing; the count alone
  // cannot say which, and the method gives it no direction.
  {
    key: 'customerContacts',
    label: 'Customer contacts',
    unit: 'count',
    direction: 'neutral',
    pick: (m) => m.customerContacts,
  },
  {
    key: 'reworkLoops',
    label: 'Rework loops',
    unit: 'count',
    direction: 'lower-is-better',
    pick: (m) => m.reworkLoops,
  },
  // Neutral: unconnected steps are a warning about the map (not yet drawn), not about the service.
  {
    key: 'unconnectedSteps',
    label: 'Unconnected steps',
    unit: 'count',
    direction: 'neutral',
    pick: (m) => m.unconnectedSteps.length,
  },
  // Capability: end-to-end time as the customer sees it.
  {
    key: 'capability.mean',
    label: 'Capability: average end-to-end time',
    unit: 'minutes',
    direction: 'lower-is-better',
    pick: (m) => m.capability?.mean ?? null,
  },
  {
    key: 'capability.upper',
    label: 'Capability: upper limit',
    unit: 'minutes',
    direction: 'lower-is-better',
    pick: (m) => m.capability?.upper ?? null,
  },
  // Neutral: a lower lower limit can mean faster best cases or a wider, less predictable spread;
  // the upper limit and the mean carry the judgement.
  {
    key: 'capability.lower',
    label: 'Capability: lower limit',
    unit: 'minutes',
    direction: 'neutral',
    pick: (m) => m.capability?.lower ?? null,
  },
];

/** Float noise (0.1 + 0.2) is not a change. */
const EPSILON = 1e-9;

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function compareMeasure(def: MeasureDefinition, b: number | null, a: number | null): ComparedMeasure {
  const base = { key: def.key, label: def.label, unit: def.unit, direction: def.direction, before: b, after: a };
  if (b === null || a === null) return { ...base, change: null, changePct: null, verdict: 'n/a' };
  const change = Math.abs(a - b) < EPSILON ? 0 : a - b;
  // Δ% = Δ ÷ before × 100, "—" when before is 0 (method.md). A percentage's
  // change is in points (issue 16: "55% → 17%, −38 points"); a % of a % ("+623%") misleads.
  const changePct = b === 0 || def.unit === 'percent' ? null : round1((change / b) * 100);
  let verdict: Verdict;
  if (change === 0) verdict = 'same';
  else if (def.direction === 'neutral') verdict = 'n/a';
  else verdict = change < 0 === (def.direction === 'lower-is-better') ? 'better' : 'worse';
  return { ...base, change, changePct, verdict };
}

// ---------------------------------------------------------------- outcomes

const DIRECTION_WORDS: Record<OutcomeDirection, string> = {
  'lower-is-better': 'lower is better',
  'higher-is-better': 'higher is better',
};

/**
 * Results matched by name (spacing and letter case aside). Two figures in
 * different units cannot be compared — a count against a percentage says
 * nothing — so such a pair is refused with the reason; so is a pair whose
 * directions differ, since no verdict could be given.
 */
export function compareOutcomes(before: Outcome[], after: Outcome[]): ComparedOutcome[] {
  const afterByKey = new Map(after.map((o) => [outcomeKey(o.name), o]));
  const beforeKeys = new Set(before.map((o) => outcomeKey(o.name)));
  const rows: ComparedOutcome[] = [];
  const row = (b: Outcome | undefined, a: Outcome | undefined): ComparedOutcome => {
    const first = (b ?? a)!;
    const base = {
      key: `outcome:${outcomeKey(first.name)}`,
      label: (a ?? b)!.name,
      unit: first.unit,
      direction: first.direction,
      beforePoints: b?.points ?? [],
      afterPoints: a?.points ?? [],
    };
    const empty = { change: null, changePct: null, verdict: 'n/a' as const };
    if (b && a && b.unit !== a.unit) {
      const problem = `Not compared: “${first.name}” is in ${OUTCOME_UNIT_WORDS[b.unit]} on the before board and in ${OUTCOME_UNIT_WORDS[a.unit]} on the after board. Give both the same unit.`;
      return { ...base, ...empty, before: null, after: null, problem };
    }
    if (b && a && b.direction !== a.direction) {
      const problem = `Not compared: “${first.name}” is “${DIRECTION_WORDS[b.direction]}” on the before board and “${DIRECTION_WORDS[a.direction]}” on the after board.`;
      return { ...base, ...empty, before: null, after: null, problem };
    }
    const compared = compareMeasure(
      {
        key: base.key,
        label: base.label,
        unit: first.unit === 'percent' ? 'percent' : 'count',
        direction: first.direction,
        pick: () => null,
      },
      b ? outcomeFigure(b) : null,
      a ? outcomeFigure(a) : null,
    );
    return {
      ...base,
      before: compared.before,
      after: compared.after,
      change: compared.change,
      changePct: compared.changePct,
      verdict: compared.verdict,
      problem: null,
    };
  };
  for (const b of before) rows.push(row(b, afterByKey.get(outcomeKey(b.name))));
  for (const a of after) if (!beforeKeys.has(outcomeKey(a.name))) rows.push(row(undefined, a));
  return rows;
}

// ---------------------------------------------------------------- steps

function byPosition(a: ComparedStep, b: ComparedStep): number {
  return a.x - b.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function stepChanges(before: ComparedStep, after: ComparedStep): StepChange[] {
  const pairs: Array<[StepField, string | number | null, string | number | null]> = [
    ['label', before.label, after.label],
    ['lane', before.lane, after.lane],
    ['class', before.stepClass, after.stepClass],
    ['wasteType', before.wasteType, after.wasteType],
    ['pt', before.pt, after.pt],
    ['lt', before.lt, after.lt],
    ['ca', before.ca, after.ca],
  ];
  return pairs.filter(([, b, a]) => b !== a).map(([field, b, a]) => ({ field, before: b, after: a }));
}

function row(step: ComparedStep): StepRow {
  return { id: step.id, label: step.label, lane: step.lane };
}

/**
 * Steps matched by id (an after board started as a copy keeps its ids), then
 * the rest by identical label, as method.md says. Two steps with the same
 * label on one side pair up left to right.
 */
function diffSteps(before: ComparedStep[], after: ComparedStep[]) {
  const afterById = new Map(after.map((s) => [s.id, s]));
  const pairs: Array<{ b: ComparedStep; a: ComparedStep; matchedBy: 'id' | 'label' }> = [];
  const leftBefore: ComparedStep[] = [];
  const usedAfter = new Set<string>();
  for (const b of [...before].sort(byPosition)) {
    const a = afterById.get(b.id);
    if (a) {
      pairs.push({ b, a, matchedBy: 'id' });
      usedAfter.add(a.id);
    } else leftBefore.push(b);
  }
  const afterByLabel = new Map<string, ComparedStep[]>();
  for (const a of [...after].sort(byPosition)) {
    if (usedAfter.has(a.id)) continue;
    const list = afterByLabel.get(a.label) ?? [];
    list.push(a);
    afterByLabel.set(a.label, list);
  }
  const removed: StepRow[] = [];
  for (const b of leftBefore) {
    const a = afterByLabel.get(b.label)?.shift();
    if (a) {
      pairs.push({ b, a, matchedBy: 'label' });
      usedAfter.add(a.id);
    } else removed.push(row(b));
  }
  const added = [...after]
    .sort(byPosition)
    .filter((a) => !usedAfter.has(a.id))
    .map(row);
  const changed: ChangedStep[] = [];
  let unchanged = 0;
  for (const { b, a, matchedBy } of pairs) {
    const changes = stepChanges(b, a);
    if (changes.length === 0) unchanged += 1;
    else changed.push({ beforeId: b.id, afterId: a.id, label: a.label, matchedBy, changes });
  }
  const byId = pairs.some((p) => p.matchedBy === 'id');
  const byLabel = pairs.some((p) => p.matchedBy === 'label');
  const matchedBy: Comparison['matchedBy'] = !byId ? 'label' : byLabel ? 'id-and-label' : 'id';
  return { matchedBy, steps: { removed, added, changed, unchanged } };
}

// ---------------------------------------------------------------- demand

/** The customer's words as a key: spacing and letter case are not different words. */
function wordsKey(words: string): string {
  return words.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Demand per type: items with the same words add up; the class is that of the larger count. */
function demandTypes(items: ComparedDemand[]) {
  const types = new Map<string, { words: string; count: number; value: number; failure: number }>();
  for (const item of items) {
    const key = wordsKey(item.words);
    const type = types.get(key) ?? { words: item.words, count: 0, value: 0, failure: 0 };
    type.count += item.count;
    type[item.demandClass] += item.count;
    types.set(key, type);
  }
  return types;
}

function diffDemand(before: ComparedSide, after: ComparedSide): Comparison['demand'] {
  const b = demandTypes(before.demand);
  const a = demandTypes(after.demand);
  const side = (t: { count: number; value: number; failure: number } | undefined): DemandTypeSide | null =>
    t ? { count: t.count, demandClass: t.failure > t.value ? 'failure' : 'value' } : null;
  // Before's types by count (the Pareto order), then types only the after board has.
  const order = (m: typeof b) =>
    [...m.entries()].sort(
      ([ka, x], [kb, y]) => y.count - x.count || (x.words < y.words ? -1 : x.words > y.words ? 1 : ka < kb ? -1 : 1),
    );
  const types: Comparison['demand']['types'] = [];
  for (const [key, t] of order(b)) types.push({ words: t.words, before: side(t), after: side(a.get(key)) });
  for (const [key, t] of order(a)) if (!b.has(key)) types.push({ words: t.words, before: null, after: side(t) });
  return {
    failurePctBefore: before.measures.failureDemandPct,
    failurePctAfter: after.measures.failureDemandPct,
    types,
  };
}

// ---------------------------------------------------------------- capability

const UNIT_ORDER: CapabilityUnit[] = ['minutes', 'hours', 'days'];

function diffCapability(before: ComparedSide, after: ComparedSide): Comparison['capability'] {
  // One unit for both charts: the larger of the two, so neither chart shows thousands of minutes.
  const unit =
    UNIT_ORDER[Math.max(UNIT_ORDER.indexOf(before.capability.unit), UNIT_ORDER.indexOf(after.capability.unit))];
  const per = UNIT_MINUTES[unit];
  const sideOf = (s: ComparedSide): CapabilitySide => {
    const c = s.measures.capability;
    return {
      series: s.capability.minutes.map((m) => m / per),
      mean: c ? c.mean / per : null,
      upper: c ? c.upper / per : null,
      lower: c ? c.lower / per : null,
    };
  };
  const b = sideOf(before);
  const a = sideOf(after);
  const values = [...b.series, ...a.series, b.upper, a.upper].filter((v): v is number => v !== null);
  return { unit, before: b, after: a, scale: { min: 0, max: values.length > 0 ? Math.max(...values) : 0 } };
}

// ---------------------------------------------------------------- all

function info(side: ComparedSide): SideInfo {
  return {
    ref: side.ref,
    boardId: side.boardId,
    versionId: side.versionId,
    title: side.title,
    versionName: side.versionName,
  };
}

export function compareBoards(before: ComparedSide, after: ComparedSide): Comparison {
  const { matchedBy, steps } = diffSteps(before.steps, after.steps);
  const measures = COMPARED_MEASURES.map((def) =>
    compareMeasure(def, def.pick(before.measures), def.pick(after.measures)),
  );
  const outcomes = compareOutcomes(before.outcomes, after.outcomes);
  return {
    before: info(before),
    after: info(after),
    matchedBy,
    headline: pickHeadline(measures, outcomes),
    measures,
    outcomes,
    steps,
    demand: diffDemand(before, after),
    capability: diffCapability(before, after),
  };
}

// ---------------------------------------------------------------- the demand studies (issue 14)

/** One side's demand study, as the comparison reads it: a study run after the redesign against the one before. */
export interface StudyComparedFigures {
  entries: number;
  /** The study's length in weeks (its days ÷ 7): what "entries per week" divides by. */
  weeks: number;
  entriesPerWeek: number;
  failureDemandPct: number | null;
  perfectPct: number | null;
}

/** The comparison's study figures of one side's study (its whole period). */
export function studyComparedFigures(settings: StudySettings, entries: readonly StudyEntry[]): StudyComparedFigures {
  const summary = summarizeStudy(settings, entries);
  const weeks = daysBetween(settings.start, settings.end).length / 7;
  return {
    entries: summary.total,
    weeks,
    entriesPerWeek: weeks > 0 ? summary.total / weeks : 0,
    failureDemandPct: summary.failureDemandPct,
    perfectPct: summary.perfectPct,
  };
}

/** Both sides' study figures, or null when neither board has a study (a version has none: the study is the live board's). */
export function compareStudies(
  before: StudyComparedFigures | null,
  after: StudyComparedFigures | null,
): { before: StudyComparedFigures | null; after: StudyComparedFigures | null } | null {
  return before || after ? { before, after } : null;
}
