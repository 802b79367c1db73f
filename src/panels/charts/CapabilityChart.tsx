/**
 * The capability chart (XmR): the end-to-end times in the series' own unit,
 * oldest first, with the mean and the upper and lower limits drawn.
 */
import '../../ui/charts.css';
import type { Capability, CapabilityUnit } from '../../model';
import { UNIT_MINUTES } from '../../model';
import { formatInUnit, niceCeiling } from '../../export/format';

const WIDTH = 288;
const HEIGHT = 150;
const PAD = { top: 10, right: 62, bottom: 14, left: 34 };

export function CapabilityChart({
  minutes,
  unit,
  capability,
}: {
  minutes: number[];
  unit: CapabilityUnit;
  capability: Capability | null;
}) {
  if (minutes.length < 2 || !capability) {
    return (
      <p className="panel-empty" data-testid="capability-chart">
        No capability data yet: it needs at least two end-to-end times.
      </p>
    );
  }
  const perUnit = UNIT_MINUTES[unit];
  const values = minutes.map((m) => m / perUnit);
  const top = niceCeiling(Math.max(...values, capability.upper / perUnit));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (values.length === 1 ? plotW / 2 : (i / (values.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const path = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const limit = (className: string, valueMinutes: number, name: string) => {
    const ly = y(valueMinutes / perUnit);
    return (
      <g className={className}>
        <line x1={PAD.left} x2={PAD.left + plotW} y1={ly} y2={ly} />
        <text className="chart-label" x={PAD.left + plotW + 4} y={ly + 4}>
          {name} {formatInUnit(valueMinutes, unit)}
        </text>
      </g>
    );
  };
  const outside = (m: number) => m > capability.upper || m < capability.lower;
  return (
    <figure className="chart" data-testid="capability-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label={`Capability chart of ${values.length} end-to-end times in ${unit}: mean ${formatInUnit(
          capability.mean,
          unit,
        )}, upper limit ${formatInUnit(capability.upper, unit)}, lower limit ${formatInUnit(capability.lower, unit)}`}
      >
        <title>End-to-end times with mean and limits</title>
        <line className="chart-axis" x1={PAD.left} x2={PAD.left} y1={PAD.top} y2={PAD.top + plotH} />
        <line className="chart-axis" x1={PAD.left} x2={PAD.left + plotW} y1={PAD.top + plotH} y2={PAD.top + plotH} />
        <text className="chart-tick" x={PAD.left - 4} y={PAD.top + 4} textAnchor="end">
          {formatInUnit(top * perUnit, unit)}
        </text>
        <text className="chart-tick" x={PAD.left - 4} y={PAD.top + plotH} textAnchor="end">
          0
        </text>
        {limit('chart-limit', capability.upper, 'UL')}
        {limit('chart-mean', capability.mean, 'x̄')}
        {limit('chart-limit', capability.lower, 'LL')}
        <path className="chart-series" d={path} fill="none" />
        {minutes.map((m, i) => (
          <circle
            key={i}
            className={outside(m) ? 'chart-point is-outside' : 'chart-point'}
            cx={x(i)}
            cy={y(m / perUnit)}
            r={2.5}
          >
            <title>{`Case ${i + 1}: ${formatInUnit(m, unit)}`}</title>
          </circle>
        ))}
      </svg>
    </figure>
  );
}
