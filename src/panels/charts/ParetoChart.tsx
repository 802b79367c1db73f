/**
 * The demand Pareto: demand types by count, descending, value teal and
 * failure amber, with the cumulative % as a line. Colour is never the only
 * signal: each bar carries ✓ or ⚠ and the list below names every type.
 */
import '../../ui/charts.css';
import type { ParetoRow } from '../../model';
import { formatCount, formatPct, shorten } from '../../export/format';
import { ChartTable } from '../../ui/ChartTable';

const WIDTH = 288;
const HEIGHT = 150;
const PAD = { top: 14, right: 30, bottom: 20, left: 30 };
const MAX_BARS = 12;

export function ParetoChart({ rows }: { rows: ParetoRow[] }) {
  if (rows.length === 0) {
    return (
      <p className="panel-empty" data-testid="pareto-chart">
        No demand counted yet.
      </p>
    );
  }
  const shown = rows.slice(0, MAX_BARS);
  const maxCount = Math.max(1, ...shown.map((r) => r.count));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / shown.length;
  const barW = Math.max(4, Math.min(34, slot * 0.72));
  const y = (count: number) => PAD.top + plotH - (count / maxCount) * plotH;
  const yPct = (pct: number) => PAD.top + plotH - (pct / 100) * plotH;
  const cx = (i: number) => PAD.left + slot * i + slot / 2;
  const line = shown.map((r, i) => `${i === 0 ? 'M' : 'L'}${cx(i).toFixed(1)},${yPct(r.cumulativePct).toFixed(1)}`);
  // A summary, not every bar: the table (Show as table) lists every type.
  const first = rows[0];
  const failure = rows.filter((r) => r.class === 'failure').length;
  const description =
    `${rows.length} demand ${rows.length === 1 ? 'type' : 'types'}, ${failure} of them failure demand. ` +
    `The largest: ${first.words}, ${formatCount(first.count)} (${first.class} demand)` +
    (rows.length >= 3 ? `; the three largest make up ${formatPct(rows[2].cumulativePct)}.` : '.');

  return (
    <figure className="chart" data-testid="pareto-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-label={`Pareto of demand by count. ${description}`}
      >
        <title>Demand by count, with cumulative %</title>
        <line className="chart-axis" x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} />
        <text className="chart-tick" x={PAD.left - 4} y={PAD.top + 4} textAnchor="end">
          {formatCount(maxCount)}
        </text>
        <text className="chart-tick" x={PAD.left - 4} y={PAD.top + plotH} textAnchor="end">
          0
        </text>
        <text className="chart-tick" x={WIDTH - PAD.right + 4} y={PAD.top + 4}>
          100%
        </text>
        <text className="chart-tick" x={WIDTH - PAD.right + 4} y={yPct(50) + 4}>
          50%
        </text>
        {shown.map((r, i) => (
          <g key={`${i}-${r.words}`} className={r.class === 'failure' ? 'bar-failure' : 'bar-value'}>
            <rect x={cx(i) - barW / 2} y={y(r.count)} width={barW} height={PAD.top + plotH - y(r.count)} rx={2}>
              <title>{`${r.words}: ${formatCount(r.count)} (${r.class})`}</title>
            </rect>
            <text className="chart-mark" x={cx(i)} y={PAD.top + plotH + 14} textAnchor="middle">
              {r.class === 'failure' ? '⚠' : '✓'}
            </text>
          </g>
        ))}
        <path className="chart-cumulative" d={line.join(' ')} fill="none" />
        {shown.map((r, i) => (
          <circle key={i} className="chart-cumulative-dot" cx={cx(i)} cy={yPct(r.cumulativePct)} r={2.5} />
        ))}
      </svg>
      <ol className="pareto-list">
        {shown.map((r, i) => (
          <li key={`${i}-${r.words}`} className={r.class === 'failure' ? 'is-failure' : 'is-value'}>
            <span className="pareto-mark" aria-hidden="true">
              {r.class === 'failure' ? '⚠' : '✓'}
            </span>
            <span className="pareto-words" title={r.words}>
              {shorten(r.words, 34)}
            </span>
            <span className="pareto-count">{formatCount(r.count)}</span>
            <span className="pareto-cum">{formatPct(r.cumulativePct)}</span>
          </li>
        ))}
      </ol>
      {rows.length > shown.length && (
        <figcaption className="panel-note">and {rows.length - shown.length} more demand types</figcaption>
      )}
      <ChartTable
        caption="Demand types by count, most first, with the cumulative share"
        columns={['Demand', 'Class', 'Count', 'Cumulative']}
        rows={rows.map((r) => [r.words, `${r.class} demand`, formatCount(r.count), formatPct(r.cumulativePct)])}
        testId="pareto-table"
      />
    </figure>
  );
}
