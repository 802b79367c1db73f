/**
 * Process-behaviour signals on an XmR chart: the three usual tests (as
 * Xmrit and Wheeler apply them) that say "the system changed here", and
 * limits that can be recomputed from a chosen point, so that the limits
 * before and after a redesign show on one chart.
 *
 * Pure: the capability chart, the results' series charts, the report and
 * the comparison all ask this module, so a signal reads the same everywhere.
 */
import { capability, type Capability } from './measures';

export type SignalRule = 'beyond-limit' | 'near-limit' | 'long-run';
export type SignalSide = 'above' | 'below';

export interface Signal {
  rule: SignalRule;
  side: SignalSide;
  /** The points (0-based, oldest first) that make the signal. */
  points: number[];
}

/** Limits that hold from point `from` to point `to` (both included). */
export interface LimitSegment {
  from: number;
  to: number;
  limits: Capability;
}

/** The run length of the third rule: this many points in a row on one side of the mean. */
export const LONG_RUN = 8;

/**
 * XmR limits per segment. `breaks` are the points from which the limits are
 * recomputed (the first point of the after-redesign period, say); a break
 * that would leave a segment of fewer than two points is ignored, because
 * limits need a moving range.
 */
export function limitSegments(values: readonly number[], breaks: readonly number[] = []): LimitSegment[] {
  const starts = [0];
  for (const at of [...new Set(breaks)].filter(Number.isInteger).sort((a, b) => a - b)) {
    const previous = starts[starts.length - 1];
    if (at - previous >= 2 && values.length - at >= 2) starts.push(at);
  }
  const segments: LimitSegment[] = [];
  starts.forEach((from, i) => {
    const to = (i + 1 < starts.length ? starts[i + 1] : values.length) - 1;
    const limits = capability(values.slice(from, to + 1) as number[]);
    if (limits) segments.push({ from, to, limits });
  });
  return segments;
}

/**
 * The signals in `values` against the limits of their segment. Each rule
 * looks only inside one segment: a shift that the redesign explains by
 * recomputing the limits is not counted again against the old ones.
 *
 * 1. beyond-limit: a point above the upper or below the lower limit (points
 *    beyond the same limit one after another make one signal).
 * 2. near-limit: 3 of 4 consecutive points on one side, each closer to that
 *    limit than to the mean.
 * 3. long-run: 8 or more points in a row on one side of the mean (a point on
 *    the mean ends a run).
 */
export function findSignals(values: readonly number[], segments: readonly LimitSegment[]): Signal[] {
  const signals: Signal[] = [];
  for (const { from, to, limits } of segments) {
    const { mean, upper, lower } = limits;
    const side = (v: number): SignalSide | null => (v > mean ? 'above' : v < mean ? 'below' : null);
    const near = (v: number): SignalSide | null => {
      // Closer to the limit than to the mean: past the midline between them.
      if (v > mean && v - mean > upper - v) return 'above';
      if (v < mean && mean - v > v - lower) return 'below';
      return null;
    };

    // Points beyond the same limit one after another are one signal: one shift, said once.
    let beyond: Signal | null = null;
    for (let i = from; i <= to; i++) {
      const out: SignalSide | null = values[i] > upper ? 'above' : values[i] < lower ? 'below' : null;
      if (out === null) {
        beyond = null;
      } else if (beyond && beyond.side === out) {
        beyond.points.push(i);
      } else {
        beyond = { rule: 'beyond-limit', side: out, points: [i] };
        signals.push(beyond);
      }
    }

    // Windows of four that overlap are one signal: merge them while they touch.
    for (const wanted of ['above', 'below'] as const) {
      let open: Signal | null = null;
      let lastWindow = -Infinity;
      for (let start = from; start + 3 <= to; start++) {
        const hits = [start, start + 1, start + 2, start + 3].filter((i) => near(values[i]) === wanted);
        if (hits.length < 3) continue;
        if (!open || start > lastWindow + 3) {
          open = { rule: 'near-limit', side: wanted, points: [] };
          signals.push(open);
        }
        open.points = [...new Set([...open.points, ...hits])].sort((a, b) => a - b);
        lastWindow = start;
      }
    }

    let runStart = from;
    for (let i = from; i <= to + 1; i++) {
      const here = i <= to ? side(values[i]) : null;
      if (i <= to && here !== null && here === side(values[runStart])) continue;
      const runSide = side(values[runStart]);
      if (runSide && i - runStart >= LONG_RUN) {
        signals.push({
          rule: 'long-run',
          side: runSide,
          points: Array.from({ length: i - runStart }, (_, k) => runStart + k),
        });
      }
      runStart = i;
    }
  }
  return signals.sort((a, b) => a.points[0] - b.points[0] || a.rule.localeCompare(b.rule));
}

/** The points that take part in any signal, for drawing them marked. */
export function signalPoints(signals: readonly Signal[]): Set<number> {
  return new Set(signals.flatMap((s) => s.points));
}

/**
 * A signal in plain words, naming the points as people count them (from 1)
 * and what it means. `pointName` is "case" for end-to-end times, "point"
 * for a results series.
 */
export function describeSignal(signal: Signal, pointName = 'point'): string {
  const first = signal.points[0] + 1;
  const last = signal.points[signal.points.length - 1] + 1;
  const span = first === last ? `${capitalise(pointName)} ${first}` : `${capitalise(pointName)}s ${first}–${last}`;
  const limit = signal.side === 'above' ? 'upper' : 'lower';
  switch (signal.rule) {
    case 'beyond-limit':
      return `${span} ${first === last ? 'is' : 'are'} beyond the ${limit} limit: something special happened, or the system changed here.`;
    case 'near-limit':
      return `${span}: 3 of 4 points closer to the ${limit} limit than to the mean — the system has probably shifted ${signal.side === 'above' ? 'up' : 'down'}.`;
    case 'long-run':
      return `${span}: ${signal.points.length} in a row ${signal.side} the mean — the system changed here.`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
