/** Waste steps by type: a small horizontal bar per type that occurs on the board. */
import '../../ui/charts.css';
import { WASTE_TYPES, type WasteType } from '../../model';

const WIDTH = 288;
const ROW = 20;
const LABEL_W = 86;
const COUNT_W = 26;

export function WasteChart({ byType }: { byType: Record<WasteType, number> }) {
  const present = WASTE_TYPES.filter((t) => byType[t] > 0);
  if (present.length === 0) {
    return (
      <p className="panel-empty" data-testid="waste-chart">
        No waste steps classed yet.
      </p>
    );
  }
  const max = Math.max(...present.map((t) => byType[t]));
  const barMax = WIDTH - LABEL_W - COUNT_W;
  const height = present.length * ROW + 4;
  const description = present.map((t) => `${t}: ${byType[t]}`).join(', ');
  return (
    <figure className="chart" data-testid="waste-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        role="img"
        aria-label={`Waste steps by type: ${description}`}
      >
        <title>Waste steps by type</title>
        {present.map((type, i) => {
          const w = Math.max(2, (byType[type] / max) * barMax);
          const top = i * ROW + 2;
          return (
            <g key={type}>
              <text className="chart-label" x={LABEL_W - 6} y={top + 13} textAnchor="end">
                {type}
              </text>
              <rect className="bar-waste" x={LABEL_W} y={top + 3} width={w} height={ROW - 7} rx={2} />
              <text className="chart-label" x={LABEL_W + w + 4} y={top + 13}>
                {byType[type]}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
