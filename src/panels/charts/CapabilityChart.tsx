/**
 * The capability chart (XmR): the end-to-end times in the series' own unit,
 * oldest first, with the mean and the limits drawn (a second set from the
 * case where the team said the system changed) and its signals named.
 */
import type { CapabilitySeries } from '../../model';
import { UNIT_MINUTES } from '../../model';
import { formatInUnit } from '../../export/format';
import { ProcessChart } from '../../ui/ProcessChart';

export function CapabilityChart({ series }: { series: CapabilitySeries }) {
  const { minutes, unit, limitsFrom } = series;
  if (minutes.length < 2) {
    return (
      <p className="panel-empty" data-testid="capability-chart">
        No capability data yet: it needs at least two end-to-end times.
      </p>
    );
  }
  const perUnit = UNIT_MINUTES[unit];
  return (
    <ProcessChart
      testId="capability-chart"
      values={minutes.map((m) => m / perUnit)}
      breaks={limitsFrom === null ? [] : [limitsFrom]}
      format={(value) => formatInUnit(value * perUnit, unit)}
      pointName="case"
      pointLabel={(i) => `Case ${i + 1}`}
      description={`Capability chart of ${minutes.length} end-to-end times in ${unit}, oldest first, with the mean and the limits${
        limitsFrom === null ? '' : ` (new limits from case ${limitsFrom + 1})`
      }`}
    />
  );
}
