/**
 * The two capability charts of the comparison, drawn on ONE scale (the
 * comparison's scale) so a narrower, lower band after the redesign reads as
 * such, each with its signals named (ProcessChart, as in the analysis panel).
 */
import type { CapabilitySide, CapabilityUnit } from '../model';
import { niceCeiling } from '../export/format';
import { ProcessChart } from '../ui/ProcessChart';

export { spreadLabels } from '../export/charts';

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
  const { mean, upper, lower } = side;
  return (
    <ProcessChart
      testId="compare-capability-chart"
      side={name}
      caption={name === 'before' ? 'Before' : 'After'}
      values={side.series}
      scaleTop={top}
      format={(value) => formatUnitValue(value, unit)}
      pointName="case"
      pointLabel={(i) => `Case ${i + 1}`}
      description={`Capability ${name}: ${side.series.length} end-to-end times, mean ${formatUnitValue(
        mean,
        unit,
      )}, between ${formatUnitValue(lower, unit)} and ${formatUnitValue(upper, unit)}, on a scale of 0 to ${formatUnitValue(niceCeiling(top), unit)}`}
    />
  );
}
