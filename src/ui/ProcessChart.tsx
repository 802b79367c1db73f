/**
 * A process-behaviour (XmR) chart for the panel: the points in order, each
 * segment's mean and limits (limits recomputed from a chosen point show as a
 * second set), points that take part in a signal ringed, and every signal
 * named in plain words under the chart, where it is drawn. The capability
 * chart, each result's series and the comparison's two capability charts use
 * it, so a signal reads the same everywhere.
 */
import './charts.css';
import { describeSignal, findSignals, limitSegments, signalPoints } from '../model';
import { niceCeiling } from '../export/format';
import { ChartTable } from './ChartTable';

const WIDTH = 288;
const HEIGHT = 150;
const PAD = { top: 10, right: 62, bottom: 14, left: 34 };
/** The panel is narrow: more signals than this are counted, not listed. */
const MAX_LISTED = 3;

export interface ProcessChartProps {
  /** The points in the chart's own unit, oldest first. */
  values: number[];
  /** Points from which the limits are recomputed (0-based). */
  breaks?: number[];
  /** A value as people read it, with its unit ("24 d", "10.9%"). */
  format: (value: number) => string;
  /** "case" for end-to-end times, "point" for a series of results. */
  pointName: string;
  /** Each point's own label in its tooltip ("Case 3", "14 Nov 2026"). */
  pointLabel: (index: number) => string;
  /** What the chart shows, for screen readers. */
  description: string;
  testId: string;
  /** The scale's least upper end, in the values' unit: two charts given the same one compare at a glance. */
  scaleTop?: number;
  /** A caption above the chart ("Before"), and the side it shows (the comparison's data-side). */
  caption?: string;
  side?: string;
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function ProcessChart({
  values,
  breaks = [],
  format,
  pointName,
  pointLabel,
  description,
  testId,
  scaleTop = 0,
  caption,
  side,
}: ProcessChartProps) {
  const segments = limitSegments(values, breaks);
  const signals = findSignals(values, segments);
  const marked = signalPoints(signals);
  const top = niceCeiling(Math.max(scaleTop, ...values, ...segments.map((s) => s.limits.upper)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (values.length === 1 ? plotW / 2 : (i / (values.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const path = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const last = segments.length - 1;
  // A segment's lines run from half a step before its first point to half a step after its last.
  const step = values.length > 1 ? plotW / (values.length - 1) : plotW;
  const left = (from: number) => (from === 0 ? PAD.left : x(from) - step / 2);
  const right = (to: number) => (to === values.length - 1 ? PAD.left + plotW : x(to) + step / 2);
  // Fewer than two points have no limits (model/signals.ts): the summary and table then say the values only.
  const now = segments.length > 0 ? segments[last].limits : null;
  // The picture in one sentence: what a glance at the chart tells a sighted reader.
  const summary =
    `${description}. ${values.length} ${values.length === 1 ? pointName : `${pointName}s`}` +
    (now ? `; mean ${format(now.mean)}, limits ${format(now.lower)} to ${format(now.upper)}` : '') +
    `; ${signals.length === 0 ? 'no signals' : `${signals.length} ${signals.length === 1 ? 'signal' : 'signals'}`}.`;
  const segmentOf = (i: number) => segments.find((s) => i >= s.from && i <= s.to)?.limits ?? now;
  const tableRows = values.map((v, i) => {
    const limits = segmentOf(i);
    return [
      pointLabel(i),
      format(v),
      limits ? format(limits.mean) : '—',
      limits ? `${format(limits.lower)} to ${format(limits.upper)}` : '—',
      marked.has(i) ? 'yes' : '',
    ];
  });

  return (
    <figure className="chart" data-testid={testId} data-side={side} data-top={top}>
      {caption && <figcaption className="chart-caption">{caption}</figcaption>}
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-label={summary}>
        <title>{description}</title>
        <line className="chart-axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} />
        <line className="chart-axis" x1={PAD.left} x2={PAD.left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} />
        <text className="chart-tick" x={PAD.left - 4} y={PAD.top + 4} textAnchor="end">
          {format(top)}
        </text>
        <text className="chart-tick" x={PAD.left - 4} y={PAD.top + plotH} textAnchor="end">
          0
        </text>
        {segments.map(({ from, to, limits }, index) => (
          <g key={from} data-testid="chart-limits">
            {(
              [
                ['chart-limit', limits.upper, 'UL'],
                ['chart-mean', limits.mean, 'x̄'],
                ['chart-limit', limits.lower, 'LL'],
              ] as const
            ).map(([className, value, name]) => (
              <g key={name} className={className}>
                <line x1={left(from)} x2={right(to)} y1={y(value)} y2={y(value)} />
                {/* Only the latest limits are labelled at the right edge: they say what the system does now. */}
                {index === last && (
                  <text className="chart-label" x={PAD.left + plotW + 4} y={y(value) + 4}>
                    {name} {format(value)}
                  </text>
                )}
              </g>
            ))}
            {from > 0 && (
              <line className="chart-break" x1={left(from)} x2={left(from)} y1={PAD.top} y2={PAD.top + plotH} />
            )}
          </g>
        ))}
        <path className="chart-series" d={path} fill="none" />
        {values.map((v, i) => (
          <circle
            key={i}
            className={marked.has(i) ? 'chart-point is-signal' : 'chart-point'}
            cx={x(i)}
            cy={y(v)}
            r={marked.has(i) ? 3.5 : 2.5}
          >
            <title>{`${pointLabel(i)}: ${format(v)}`}</title>
          </circle>
        ))}
      </svg>
      {signals.length > 0 && (
        <div>
          <ul className="chart-signals" data-testid="chart-signals">
            {signals.slice(0, MAX_LISTED).map((signal) => (
              <li key={`${signal.rule}-${signal.side}-${signal.points[0]}`} data-rule={signal.rule}>
                {describeSignal(signal, pointName)}
              </li>
            ))}
            {signals.length > MAX_LISTED && (
              <li className="muted">
                …and {signals.length - MAX_LISTED} more {signals.length - MAX_LISTED === 1 ? 'signal' : 'signals'},
                marked red on the chart.
              </li>
            )}
          </ul>
        </div>
      )}
      <ChartTable
        caption={`${description}: every ${pointName}`}
        columns={[capitalised(pointName), 'Value', 'Mean', 'Limits', 'Signal']}
        rows={tableRows}
        testId={`${testId}-table`}
      />
    </figure>
  );
}
