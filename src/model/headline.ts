/**
 * The comparison's headline: the four to six changes a manager reads first
 * ("End-to-end time: 24 d 10 m → 5 d 20 m (−79%)"), picked from the compared
 * measures by their own directions and sizes. Pure, so the view, the API, the
 * PDF and the picture all open with the same lines.
 *
 * The rule, in order:
 * 1. Only measures with a direction, a figure on both sides and a change:
 *    "—" against a figure, a neutral measure or no change says nothing.
 * 2. One line per family: handoffs and handoffs on the main path say one
 *    thing; so do failure and value demand %, and the step counts.
 * 3. Sized by the relative change |after − before| ÷ before, so days, counts
 *    and percentages weigh alike; from 0 to anything counts as large. The
 *    sizes fall into bands — large (half or more), medium (a fifth or more),
 *    small — because 79% against 83% is not a difference a reader cares about,
 *    while the measure is: within a band the method's order of importance
 *    decides (the customer's end-to-end time first, then failure demand,
 *    then the flow's handoffs, rework and %C&A).
 * 4. At most six lines; small changes only to make up four.
 */
import type { ComparedMeasure, ComparedOutcome, MeasureUnit, Verdict } from './compare';
import type { OutcomeUnit } from './outcomes';

export interface HeadlineItem {
  /** The measure's key in `Comparison.measures`. */
  key: string;
  /** The measure in the headline's short words ("End-to-end time"), or a result's own name. */
  label: string;
  /** A result's unit for its key "outcome:…", a map measure's otherwise. */
  unit: MeasureUnit | OutcomeUnit;
  before: number;
  after: number;
  change: number;
  changePct: number | null;
  verdict: Extract<Verdict, 'better' | 'worse'>;
}

interface HeadlineMeasure {
  key: string;
  label: string;
  /** Measures of one family say the same thing: the headline takes the first that changed most. */
  family: string;
}

/** The headline's measures in the method's order of importance (rule 3's tie-break). */
export const HEADLINE_MEASURES: readonly HeadlineMeasure[] = [
  { key: 'endToEndLeadTime', label: 'End-to-end time', family: 'lead time' },
  { key: 'capability.mean', label: 'Measured end-to-end time, average', family: 'capability' },
  { key: 'failureDemandPct', label: 'Failure demand', family: 'demand' },
  { key: 'valueDemandPct', label: 'Value demand', family: 'demand' },
  { key: 'handoffs', label: 'Handoffs', family: 'handoffs' },
  { key: 'handoffsOnMainPath', label: 'Handoffs on the main path', family: 'handoffs' },
  { key: 'rolledCAPct', label: 'Rolled C&A', family: 'rolled C&A' },
  { key: 'reworkLoops', label: 'Rework loops', family: 'rework' },
  { key: 'wasteSteps', label: 'Waste steps', family: 'steps' },
  { key: 'steps', label: 'Steps', family: 'steps' },
  { key: 'valueStepPct', label: 'Value steps', family: 'steps' },
  { key: 'departmentsTraversed', label: 'Departments crossed', family: 'departments' },
  { key: 'activityRatioPct', label: 'Activity ratio', family: 'activity ratio' },
  { key: 'capability.upper', label: 'Measured end-to-end time, upper limit', family: 'capability' },
];

export const HEADLINE_MAX = 6;
export const HEADLINE_MIN = 4;
const LARGE = 0.5;
const MEDIUM = 0.2;

type Band = 0 | 1 | 2;

/** Rule 3: 0 large, 1 medium, 2 small. */
export function headlineBand(before: number, change: number): Band {
  if (before === 0) return 0;
  const size = Math.abs(change / before);
  return size >= LARGE ? 0 : size >= MEDIUM ? 1 : 2;
}

/** Results (outcome measures) rank right after the customer's end-to-end times: they are what the service achieves. */
const OUTCOME_ORDER = HEADLINE_MEASURES.findIndex((m) => m.key === 'capability.mean') + 0.5;

/** The headline of a comparison's measures and results (rules 1–4 above). */
export function pickHeadline(
  measures: readonly ComparedMeasure[],
  outcomes: readonly ComparedOutcome[] = [],
): HeadlineItem[] {
  const byKey = new Map(measures.map((m) => [m.key, m]));
  const candidates: Array<{ item: HeadlineItem; band: Band; order: number; family: string }> = [];
  const consider = (
    m: Pick<ComparedMeasure, 'key' | 'before' | 'after' | 'change' | 'changePct' | 'verdict'> & {
      unit: HeadlineItem['unit'];
    },
    label: string,
    order: number,
    family: string,
  ) => {
    if (m.before === null || m.after === null || m.change === null || m.change === 0) return;
    if (m.verdict !== 'better' && m.verdict !== 'worse') return;
    candidates.push({
      item: {
        key: m.key,
        label,
        unit: m.unit,
        before: m.before,
        after: m.after,
        change: m.change,
        changePct: m.changePct,
        verdict: m.verdict,
      },
      band: headlineBand(m.before, m.change),
      order,
      family,
    });
  };
  HEADLINE_MEASURES.forEach((def, order) => {
    const m = byKey.get(def.key);
    if (m) consider(m, def.label, order, def.family);
  });
  // Each result is its own family; among themselves they keep the comparison's order.
  outcomes.forEach((o, index) => {
    if (o.problem === null) consider(o, o.label, OUTCOME_ORDER + index / (outcomes.length + 1) / 2, o.key);
  });
  const ranked = candidates.sort((a, b) => a.band - b.band || a.order - b.order);
  // Rule 2: per family the first in that ranking (its largest band, then the more important measure).
  const families = new Set<string>();
  const picked: HeadlineItem[] = [];
  for (const c of ranked) {
    if (families.has(c.family)) continue;
    families.add(c.family);
    if (picked.length >= HEADLINE_MAX) break;
    if (c.band === 2 && picked.length >= HEADLINE_MIN) break;
    picked.push(c.item);
  }
  return picked;
}
