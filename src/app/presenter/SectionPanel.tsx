/**
 * The panels a section shows besides or instead of its cards: the demand's
 * Pareto, the measures as large tiles, and on an after board the comparison's
 * headline. The same measures and wording as the analysis panel and the
 * comparison (src/export), in type sized for the back row.
 */
import { useEffect, useState } from 'react';
import { readBeforeBoardId, type PresenterPanel } from '../../model';
import { useBoard, useBoardState } from '../../collab/board-context';
import { MEASURE_TEXTS, measureValueText, type MeasureKey } from '../../export/measure-text';
import { headlineParts } from '../../export/compare-text';
import { ParetoChart } from '../../panels/charts/ParetoChart';
import { getComparison } from '../../api/versions';
import { parseRoute } from '../../ui/router';
import type { Comparison } from '../../model';

/** The measures a room talks about, in the method's order; the analysis panel has the rest. */
const TILES: MeasureKey[] = [
  'totalDemand',
  'failureDemandPct',
  'endToEndLeadTime',
  'processTime',
  'activityRatioPct',
  'rolledCAPct',
  'valueStepPct',
  'handoffs',
  'departmentsTraversed',
  'reworkLoops',
  'customerContacts',
  'capabilityMean',
];

/** The analysis panel's labels are read under their group's heading; alone on a tile some need more words. */
const TILE_LABELS: Partial<Record<MeasureKey, string>> = {
  capabilityMean: 'Measured end-to-end time, mean',
};

function MeasureTiles() {
  const measures = useBoardState((s) => s.measures);
  return (
    <dl className="presenter-tiles" data-testid="presenter-measures">
      {TILES.map((key) => {
        const text = MEASURE_TEXTS.find((m) => m.key === key);
        if (!text) return null;
        const value = measureValueText(measures, key);
        return (
          <div key={key} className="presenter-tile" title={text.explanation}>
            <dt>{TILE_LABELS[key] ?? text.label}</dt>
            <dd className={value === '—' ? 'is-missing' : undefined} data-testid={`presenter-measure-${key}`}>
              {value}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

type Loaded = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; comparison: Comparison };

function ComparisonHeadline() {
  const { doc } = useBoard();
  const route = parseRoute(window.location.pathname);
  const after = route.screen === 'board' ? route.boardId : null;
  const before = readBeforeBoardId(doc);
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  useEffect(() => {
    if (!before || !after) return;
    let cancelled = false;
    getComparison(before, after).then(
      (comparison) => !cancelled && setLoaded({ kind: 'ready', comparison }),
      (error: Error) => !cancelled && setLoaded({ kind: 'error', message: error.message }),
    );
    return () => {
      cancelled = true;
    };
  }, [before, after]);
  if (loaded.kind === 'loading') return <p className="presenter-note">Loading the comparison…</p>;
  if (loaded.kind === 'error')
    return <p className="presenter-note">The comparison could not be loaded: {loaded.message}</p>;
  const { headline } = loaded.comparison;
  if (headline.length === 0) return <p className="presenter-note">No measure changed between before and after.</p>;
  return (
    <ul className="presenter-headline" data-testid="presenter-headline">
      {headline.map((item) => {
        const { label, figures, change } = headlineParts(item);
        return (
          <li key={item.key} className={`verdict-${item.verdict}`}>
            <span className="presenter-headline-label">{label}</span>
            <span className="presenter-headline-figures">{figures}</span>
            {change && (
              <span className="presenter-headline-change">
                {item.verdict === 'better' ? '✓' : '✗'} {change}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function SectionPanel({ panel }: { panel: PresenterPanel }) {
  const pareto = useBoardState((s) => s.measures.pareto);
  if (panel === 'pareto')
    return (
      <div className="presenter-pareto">
        <ParetoChart rows={pareto} />
      </div>
    );
  if (panel === 'measures') return <MeasureTiles />;
  return <ComparisonHeadline />;
}
