/**
 * How the analysis panel and the PDF workshop report say each measure: its
 * name, its value with units and rounding (the rules are in format.ts), and a
 * one-line explanation of its formula (method.md). Pure, so it is tested
 * without a browser.
 */
import type { Capability, Measures } from '../model';
import { NO_VALUE, formatCount, formatInWords, formatPct, formatTime, wordUnitFor } from './format';

export type MeasureGroup = 'demand' | 'flow' | 'capability';
type Format = 'count' | 'pct' | 'time';

/** The scalar measures the panel lists, keyed as in `Measures` (capability split in three). */
export type MeasureKey =
  | 'totalDemand'
  | 'failureDemandPct'
  | 'valueDemandPct'
  | 'predictablePct'
  | 'endToEndLeadTime'
  | 'processTime'
  | 'activityRatioPct'
  | 'rolledCAPct'
  | 'steps'
  | 'valueSteps'
  | 'wasteSteps'
  | 'valueStepPct'
  | 'handoffs'
  | 'handoffsOnMainPath'
  | 'departmentsTraversed'
  | 'customerContacts'
  | 'reworkLoops'
  | 'capabilityMean'
  | 'capabilityUpper'
  | 'capabilityLower';

export interface MeasureText {
  key: MeasureKey;
  group: MeasureGroup;
  label: string;
  format: Format;
  /** One line: what the formula is, in the method's words. */
  explanation: string;
}

export const MEASURE_TEXTS: readonly MeasureText[] = [
  {
    key: 'totalDemand',
    group: 'demand',
    label: 'Total demand',
    format: 'count',
    explanation: 'Σ count over all demand types in the counting period.',
  },
  {
    key: 'failureDemandPct',
    group: 'demand',
    label: 'Failure demand',
    format: 'pct',
    explanation: 'Σ count of failure demand ÷ total demand × 100.',
  },
  {
    key: 'valueDemandPct',
    group: 'demand',
    label: 'Value demand',
    format: 'pct',
    explanation: '100 − failure demand %: what the service exists to provide.',
  },
  {
    key: 'predictablePct',
    group: 'demand',
    label: 'Predictable',
    format: 'pct',
    explanation: 'Σ count of demand types marked predictable ÷ total demand × 100.',
  },
  {
    key: 'endToEndLeadTime',
    group: 'flow',
    label: 'End-to-end lead time',
    format: 'time',
    explanation: 'Σ LT over the main path (the start-to-end path with the largest total LT).',
  },
  {
    key: 'processTime',
    group: 'flow',
    label: 'Process time',
    format: 'time',
    explanation: 'Σ PT (hands-on work) over the main path.',
  },
  {
    key: 'activityRatioPct',
    group: 'flow',
    label: 'Activity ratio',
    format: 'pct',
    explanation: 'Σ PT ÷ Σ LT × 100 over the main path: how much of the elapsed time is work.',
  },
  {
    key: 'rolledCAPct',
    group: 'flow',
    label: 'Rolled %C&A',
    format: 'pct',
    explanation: 'Π (%C&A ÷ 100) over main-path steps × 100; a step without %C&A counts as 100.',
  },
  {
    key: 'steps',
    group: 'flow',
    label: 'Steps',
    format: 'count',
    explanation: 'Every step on the board.',
  },
  {
    key: 'valueSteps',
    group: 'flow',
    label: 'Value steps',
    format: 'count',
    explanation: 'Steps classed value: they directly serve the purpose.',
  },
  {
    key: 'wasteSteps',
    group: 'flow',
    label: 'Waste steps',
    format: 'count',
    explanation: 'Steps classed waste, of any waste type.',
  },
  {
    key: 'valueStepPct',
    group: 'flow',
    label: 'Value steps %',
    format: 'pct',
    explanation: 'Value steps ÷ all steps × 100.',
  },
  {
    key: 'handoffs',
    group: 'flow',
    label: 'Handoffs',
    format: 'count',
    explanation: 'Flow edges (rework loops included) between steps in different lanes.',
  },
  {
    key: 'handoffsOnMainPath',
    group: 'flow',
    label: 'Handoffs on main path',
    format: 'count',
    explanation: 'Handoffs among the flow edges of the main path.',
  },
  {
    key: 'departmentsTraversed',
    group: 'flow',
    label: 'Departments traversed',
    format: 'count',
    explanation: 'Distinct lanes among the main-path steps.',
  },
  {
    key: 'customerContacts',
    group: 'flow',
    label: 'Customer contacts',
    format: 'count',
    explanation: 'Main-path steps marked customer contact.',
  },
  {
    key: 'reworkLoops',
    group: 'flow',
    label: 'Rework loops',
    format: 'count',
    explanation: 'Back edges found by a depth-first search from the start steps, plus edges marked rework.',
  },
  {
    key: 'capabilityMean',
    group: 'capability',
    label: 'Mean',
    format: 'time',
    explanation: 'x̄: the mean of the end-to-end times in the capability series.',
  },
  {
    key: 'capabilityUpper',
    group: 'capability',
    label: 'Upper limit',
    format: 'time',
    explanation: 'x̄ + 2.66 × mean moving range (XmR chart).',
  },
  {
    key: 'capabilityLower',
    group: 'capability',
    label: 'Lower limit',
    format: 'time',
    explanation: 'max(0, x̄ − 2.66 × mean moving range) (XmR chart).',
  },
];

/** The raw number of a measure, or null where its inputs are missing. */
export function measureNumber(measures: Measures, key: MeasureKey): number | null {
  switch (key) {
    case 'capabilityMean':
      return measures.capability?.mean ?? null;
    case 'capabilityUpper':
      return measures.capability?.upper ?? null;
    case 'capabilityLower':
      return measures.capability?.lower ?? null;
    default:
      return measures[key];
  }
}

export function formatMeasure(format: Format, value: number | null): string {
  if (format === 'pct') return formatPct(value);
  if (format === 'time') return formatTime(value);
  return formatCount(value);
}

/** The capability figures are a measured mean and limits: estimates, so "about 27 d". */
const ESTIMATES: ReadonlySet<MeasureKey> = new Set(['capabilityMean', 'capabilityUpper', 'capabilityLower']);

/** A measure's value as the panel shows it. */
export function measureValueText(measures: Measures, key: MeasureKey): string {
  const text = MEASURE_TEXTS.find((m) => m.key === key);
  if (!text) return NO_VALUE;
  const value = measureNumber(measures, key);
  if (ESTIMATES.has(key)) return formatTime(value, { estimate: true });
  return formatMeasure(text.format, value);
}

/**
 * method.md: "a case takes between LOWER and UPPER; on average MEAN" — all
 * three in the one unit of the upper limit, as whole numbers from 10 up
 * ("between 0 and 54 days; on average 27 days"): limits and a mean are
 * estimates, and minutes in them would claim a precision they lack.
 */
export function capabilitySentence(capability: Capability | null): string {
  if (!capability) return 'Add at least two end-to-end times to see what the system is capable of.';
  const unit = wordUnitFor(capability.upper);
  const lower = formatInWords(capability.lower, unit, false);
  const upper = formatInWords(capability.upper, unit, true);
  return `A case takes between ${lower} and ${upper}; on average ${formatInWords(capability.mean, unit, true)}.`;
}

/** The line above the demand figures: "Counts per one week", or a prompt to set the period. */
export function periodPhrase(period: string | null): string {
  return period ? `Counts per ${period}` : 'Counting period not set';
}
