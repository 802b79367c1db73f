/**
 * The two capability charts of the comparison, drawn on ONE scale (the
 * comparison's scale) so a narrower, lower band after the redesign reads as
 * such. The analysis panel's chart picks its own scale, hence this one.
 */
import '../ui/charts.css';
import type { CapabilitySide, CapabilityUnit } from '../model';
import { niceCeiling } from '../export/format';
import { spreadLabels } from '../export/charts';

export { spreadLabels } from '../export/charts';

const WIDTH = 300;
const HEIGHT = 150;
const PAD = { top: 10, right: 64, bottom: 14, left: 36 };
const LABEL_GAP = 12;

const UNIT_SHORT: Record<CapabilityUnit, string> = { minutes: 'm', hours: 'h', days: 'd' };

/** A value in the comparison's unit, rounded as the analysis panel does: "12.5 d". */
export function formatUnitValue(value: number, unit: CapabilityUnit): string {
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)} ${UNIT_SHORT[unit]}`;
}

export function CompareCapabilityChart({
  side,
  unit,
  top,
  name,
}: {
  side: CapabilitySide;
  unit: CapabilityUnit;
  /** The shared scale's upper end, in `unit`. */
  top: number;
  name: string;
}) {
  if (side.series.length < 2 || side.mean === null || side.upper === null || side.lower === null) {
    return (
      <p className="compare-chart-empty" data-testid="compare-capability-chart" data-side={name}>
        No capability data on the {name} board: it needs at least two end-to-end times.
      </p>
    );
  }
  const axisTop = niceCeiling(top);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (i / (side.series.length - 1)) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / axisTop) * plotH;
  const path = side.series.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const { mean, upper, lower } = side;
  // Close limits (a narrow, predictable band) would print their labels on top of each other: keep them apart.
  const [ulY, meanY, llY] = spreadLabels([y(upper), y(mean), y(lower)], LABEL_GAP, PAD.top + plotH + 4);
  const limit = (className: string, value: number, label: string, labelY: number) => (
    <g className={className}>
      <line x1={PAD.left} x2={PAD.left + plotW} y1={y(value)} y2={y(value)} />
      <text className="chart-label" x={PAD.left + plotW + 4} y={labelY + 4}>
        {label} {formatUnitValue(value, unit)}
      </text>
    </g>
  );
  return (
    <figure className="chart compare-chart" data-testid="compare-capability-chart" data-side={name} data-top={axisTop}>
      <figcaption className="compare-chart-title">{name === 'before' ? 'Before' : 'After'}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label={`Capability ${name}: ${side.series.length} end-to-end times, mean ${formatUnitValue(
          mean,
          unit,
        )}, between ${formatUnitValue(lower, unit)} and ${formatUnitValue(upper, unit)}, on a scale of 0 to ${formatUnitValue(axisTop, unit)}`}
      >
        <line className="chart-axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} />
        <line className="chart-axis" x1={PAD.left} x2={PAD.left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} />
        <text className="chart-tick" x={PAD.left - 4} y={PAD.top + 4} textAnchor="end">
          {formatUnitValue(axisTop, unit)}
        </text>
        <text className="chart-tick" x={PAD.left - 4} y={PAD.top + plotH} textAnchor="end">
          0
        </text>
        {limit('chart-limit', upper, 'UL', ulY)}
        {limit('chart-mean', mean, 'x̄', meanY)}
        {limit('chart-limit', lower, 'LL', llY)}
        <path className="chart-series" d={path} fill="none" />
        {side.series.map((v, i) => (
          <circle
            key={i}
            className={v > upper || v < lower ? 'chart-point is-outside' : 'chart-point'}
            cx={x(i)}
            cy={y(v)}
            r={2.5}
          >
            <title>{`Case ${i + 1}: ${formatUnitValue(v, unit)}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
