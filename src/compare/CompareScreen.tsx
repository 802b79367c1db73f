/**
 * The before/after comparison (/compare?before=<ref>&after=<ref>): first the
 * headline (the four to six largest changes, in words), then the two
 * maps side by side with pan and zoom kept in step, the removed, added and
 * changed steps marked on them, the measures table, the list of structural
 * changes, the demand comparison and the two capability charts on one scale.
 * Everything shown comes from GET /api/compare (src/model's compareBoards);
 * the maps are the two sides' documents, read-only.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { Viewport } from '@xyflow/react';
import { parseRef, type Comparison } from '../model';
import { Link } from '../ui/Link';
import { boardPath, comparePath, versionPath } from '../ui/router';
import { NO_VALUE, formatPct } from '../export/format';
import { getComparison, loadDoc } from '../api/versions';
import {
  describeChange,
  formatChange,
  formatChangePct,
  formatOutcomeChange,
  formatOutcomeValue,
  formatValue,
  headlineParts,
  headlineText,
  highlightsOf,
  verdictText,
} from '../export/compare-text';
import { ReadOnlyMap, type MapView } from './ReadOnlyMap';
import { CompareCapabilityChart } from './CompareCharts';
import { CompareChooser } from './CompareChooser';
import { CompareExportMenu } from './CompareExportMenu';
import { sideName } from '../export/compare-svg';
import './compare.css';

type Loaded =
  | { kind: 'loading' }
  | { kind: 'missing'; message: string }
  | { kind: 'ready'; comparison: Comparison; beforeDoc: Y.Doc; afterDoc: Y.Doc };

export function CompareScreen({
  before,
  after,
  choose,
}: {
  before: string | null;
  after: string | null;
  choose: boolean;
}) {
  if (choose || before === null || after === null) return <CompareChooser before={before} after={after} />;
  return <Compared key={`${before} ${after}`} before={before} after={after} />;
}

function sideDoc(ref: string): Promise<Y.Doc> {
  const parsed = parseRef(ref);
  if (!parsed) return Promise.reject(new Error(`“${ref}” is not a board or a version.`));
  return loadDoc(parsed.boardId, parsed.versionId);
}

function sidePath(side: Comparison['before']): string {
  return side.versionId ? versionPath(side.boardId, side.versionId) : boardPath(side.boardId);
}

function Compared({ before, after }: { before: string; after: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });

  useEffect(() => {
    let cancelled = false;
    document.title = 'Before & after · Purposeboard';
    // The comparison first: its 404 names the board or version that is missing.
    getComparison(before, after)
      .then(async (comparison) => {
        const [beforeDoc, afterDoc] = await Promise.all([sideDoc(before), sideDoc(after)]);
        if (!cancelled) setLoaded({ kind: 'ready', comparison, beforeDoc, afterDoc });
      })
      .catch((e: Error) => !cancelled && setLoaded({ kind: 'missing', message: e.message }));
    return () => {
      cancelled = true;
    };
  }, [before, after]);

  if (loaded.kind === 'missing') {
    return (
      <main className="not-found" data-testid="compare-not-found">
        <h1>Nothing to compare</h1>
        <p>{loaded.message}</p>
        <div className="not-found-actions">
          <Link href="/" className="button primary" data-testid="back-to-list">
            ◂ Go to the board list
          </Link>
          <Link href={comparePath()} className="button">
            Choose two boards
          </Link>
        </div>
      </main>
    );
  }
  if (loaded.kind === 'loading') {
    return (
      <div className="compare-screen">
        <CompareHeader />
        <p className="muted compare-loading">Loading the comparison…</p>
      </div>
    );
  }
  return <ComparisonView {...loaded} />;
}

function CompareHeader({ children }: { children?: React.ReactNode }) {
  return (
    <header className="board-header compare-header">
      <Link href="/" className="back-link">
        ◂ Boards
      </Link>
      <h1 className="compare-title">Before &amp; after</h1>
      {children}
    </header>
  );
}

function ComparisonView({
  comparison,
  beforeDoc,
  afterDoc,
}: {
  comparison: Comparison;
  beforeDoc: Y.Doc;
  afterDoc: Y.Doc;
}) {
  const [linked, setLinked] = useState(true);
  // Side by side is the comparison; one above the other gives each map the whole width (a wide flow reads larger).
  const [stacked, setStacked] = useState(false);
  const linkedRef = useRef(linked);
  const views = useRef<{ before: MapView | null; after: MapView | null }>({ before: null, after: null });
  const highlights = useMemo(() => highlightsOf(comparison), [comparison]);

  // Both maps show the same board coordinates (an after board keeps its ids and places): one view for both.
  // At first it is the wider of the two fitted views, so each board is whole; later the before map's view.
  const align = useCallback((first: boolean) => {
    const { before, after } = views.current;
    if (!linkedRef.current || !before || !after) return;
    if (first && after.getViewport().zoom < before.getViewport().zoom) before.setViewport(after.getViewport());
    else after.setViewport(before.getViewport());
  }, []);
  const onBeforeReady = useCallback(
    (view: MapView) => {
      views.current.before = view;
      align(true);
    },
    [align],
  );
  const onAfterReady = useCallback(
    (view: MapView) => {
      views.current.after = view;
      align(true);
    },
    [align],
  );
  // Only a person's own pan or zoom is passed on, so the map that follows does not echo it back.
  const onBeforeMove = useCallback((viewport: Viewport, byUser: boolean) => {
    if (byUser && linkedRef.current) views.current.after?.setViewport(viewport);
  }, []);
  const onAfterMove = useCallback((viewport: Viewport, byUser: boolean) => {
    if (byUser && linkedRef.current) views.current.before?.setViewport(viewport);
  }, []);
  const toggleLinked = (next: boolean) => {
    linkedRef.current = next;
    setLinked(next);
    if (next) align(false);
  };
  const fitBoth = () => {
    const { before, after } = views.current;
    if (!before || !after) return;
    void Promise.all([before.fit(), after.fit()]).then(() => align(true));
  };

  const changeLayout = (next: boolean) => {
    setStacked(next);
    // Fit again once the maps have their new size (React Flow measures them on the next frames).
    requestAnimationFrame(() => requestAnimationFrame(fitBoth));
  };

  const { steps } = comparison;
  return (
    <div className="compare-screen" data-testid="compare-screen">
      <CompareHeader>
        <span className="compare-sides">
          <Link href={sidePath(comparison.before)} className="compare-side-link" data-testid="compare-before-title">
            <span className="compare-side-tag">before</span> {sideName(comparison.before)}
          </Link>
          <span aria-hidden="true" className="compare-arrow">
            →
          </span>
          <Link href={sidePath(comparison.after)} className="compare-side-link" data-testid="compare-after-title">
            <span className="compare-side-tag is-after">after</span> {sideName(comparison.after)}
          </Link>
        </span>
        <Link
          href={comparePath(comparison.before.ref, comparison.after.ref, true)}
          className="button subtle tool-button"
          data-testid="change-compared"
        >
          Change…
        </Link>
        <CompareExportMenu before={comparison.before.ref} after={comparison.after.ref} />
      </CompareHeader>
      <main className="compare-body">
        <Headline comparison={comparison} />
        <div className="compare-toolbar">
          <label className="compare-link-toggle">
            <input
              type="checkbox"
              data-testid="link-views"
              checked={linked}
              onChange={(e) => toggleLinked(e.target.checked)}
            />
            Pan and zoom together
          </label>
          <button type="button" className="button small" data-testid="fit-maps" onClick={fitBoth}>
            Fit to view
          </button>
          <button
            type="button"
            className="button small"
            data-testid="stack-maps"
            aria-pressed={stacked}
            onClick={() => changeLayout(!stacked)}
          >
            {stacked ? 'Side by side' : 'One above the other'}
          </button>
          <span className="compare-legend" data-testid="compare-legend">
            <span className="legend-item legend-removed">− removed</span> on the before map ·{' '}
            <span className="legend-item legend-added">+ added</span> on the after map ·{' '}
            <span className="legend-item legend-changed">~ changed</span> on both
          </span>
        </div>
        {comparison.matchedBy === 'label' && (
          <p className="compare-note" role="note" data-testid="matched-by-label">
            These boards share no step ids; steps are matched by their labels.
          </p>
        )}
        <div className={stacked ? 'compare-maps is-stacked' : 'compare-maps'}>
          <section className="compare-map" aria-label="Before map">
            <h2 className="compare-map-title">Before</h2>
            <ReadOnlyMap
              doc={beforeDoc}
              highlights={highlights.before}
              label="The before map, read-only"
              testId="compare-map-before"
              onMove={onBeforeMove}
              onReady={onBeforeReady}
            />
          </section>
          <section className="compare-map" aria-label="After map">
            <h2 className="compare-map-title">After</h2>
            <ReadOnlyMap
              doc={afterDoc}
              highlights={highlights.after}
              label="The after map, read-only"
              testId="compare-map-after"
              onMove={onAfterMove}
              onReady={onAfterReady}
            />
          </section>
        </div>
        <div className="compare-details">
          <section className="compare-card compare-measures-card" aria-labelledby="compare-measures-title">
            <h2 id="compare-measures-title">Measures</h2>
            <MeasuresTable comparison={comparison} />
          </section>
          <section
            className="compare-card compare-measures-card"
            aria-labelledby="compare-outcomes-title"
            data-testid="compare-outcomes"
          >
            <h2 id="compare-outcomes-title">Results</h2>
            <OutcomesTable comparison={comparison} />
          </section>
          <section className="compare-card" aria-labelledby="compare-steps-title" data-testid="compare-steps">
            <h2 id="compare-steps-title">Steps</h2>
            <p className="muted compare-steps-summary">
              {steps.removed.length} removed · {steps.added.length} added · {steps.changed.length} changed ·{' '}
              {steps.unchanged} unchanged
            </p>
            <StepGroup
              title="Removed"
              kind="removed"
              rows={steps.removed.map((s) => ({ id: s.id, label: s.label, lane: s.lane }))}
            />
            <StepGroup
              title="Added"
              kind="added"
              rows={steps.added.map((s) => ({ id: s.id, label: s.label, lane: s.lane }))}
            />
            {steps.changed.length > 0 && (
              <div className="step-group">
                <h3 className="step-group-title legend-changed">~ Changed</h3>
                <ul className="step-group-list">
                  {steps.changed.map((step) => (
                    <li key={`${step.beforeId} ${step.afterId}`} data-testid="changed-step" data-id={step.afterId}>
                      <span className="step-group-label">{step.label}</span>
                      {step.matchedBy === 'label' && <span className="muted"> (matched by label)</span>}
                      <ul className="step-changes">
                        {step.changes.map((change) => (
                          <li key={change.field} data-testid="step-change" data-field={change.field}>
                            {describeChange(change)}
                          </li>
                        ))}
                      </ul>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>
          <section className="compare-card" aria-labelledby="compare-demand-title" data-testid="compare-demand">
            <h2 id="compare-demand-title">Demand</h2>
            <DemandComparison comparison={comparison} />
          </section>
          <section className="compare-card" aria-labelledby="compare-capability-title">
            <h2 id="compare-capability-title">Capability</h2>
            <p className="muted compare-card-hint">End-to-end times, both charts on one scale.</p>
            <div className="compare-charts">
              <CompareCapabilityChart
                side={comparison.capability.before}
                unit={comparison.capability.unit}
                top={comparison.capability.scale.max}
                name="before"
              />
              <CompareCapabilityChart
                side={comparison.capability.after}
                unit={comparison.capability.unit}
                top={comparison.capability.scale.max}
                name="after"
              />
            </div>
          </section>
        </div>
      </main>
    </div>
  );
}

/** The headline: each line a tile, its verdict in a symbol and a word as well as a colour. */
function Headline({ comparison }: { comparison: Comparison }) {
  if (comparison.headline.length === 0) {
    return (
      <p className="muted compare-headline-empty" data-testid="compare-headline">
        No measure changed that both boards have the data for: the table below shows each side.
      </p>
    );
  }
  return (
    <section className="compare-headline" aria-label="The largest changes" data-testid="compare-headline">
      <ul className="headline-items">
        {comparison.headline.map((item) => {
          const { label, figures, change } = headlineParts(item);
          return (
            <li
              key={item.key}
              className={`headline-item verdict-${item.verdict}`}
              data-testid="headline-item"
              data-key={item.key}
              aria-label={`${headlineText(item)}, ${item.verdict}`}
            >
              <span className="headline-label" data-testid="headline-label">
                {label}
              </span>
              <span className="headline-figures" data-testid="headline-figures">
                {figures}
              </span>
              <span className="headline-verdict" data-testid="headline-change">
                {change ? `${change} · ` : ''}
                {verdictText(item.verdict)}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A row that says nothing: unchanged, and 0 on both sides ("Waste steps: approval 0 → 0"). */
function isUnchangedZero(row: Comparison['measures'][number]): boolean {
  return row.change === 0 && row.before === 0 && row.after === 0;
}

function MeasureRow({ row }: { row: Comparison['measures'][number] }) {
  return (
    <tr className={`verdict-${row.verdict}`} data-testid="measure-row" data-key={row.key}>
      <th scope="row">{row.label}</th>
      <td data-testid="measure-before">{formatValue(row.unit, row.before)}</td>
      <td data-testid="measure-after">{formatValue(row.unit, row.after)}</td>
      <td data-testid="measure-change">{formatChange(row.unit, row.change)}</td>
      <td data-testid="measure-change-pct">{formatChangePct(row.changePct)}</td>
      <td data-testid="measure-verdict" className="verdict-cell">
        {verdictText(row.verdict)}
      </td>
    </tr>
  );
}

function MeasuresTable({ comparison }: { comparison: Comparison }) {
  const [unfolded, setUnfolded] = useState(false);
  const folded = comparison.measures.filter(isUnchangedZero);
  const shown = unfolded ? comparison.measures : comparison.measures.filter((m) => !isUnchangedZero(m));
  return (
    <>
      <table className="compare-table" data-testid="measures-table">
        <thead>
          <tr>
            <th scope="col">Measure</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
            <th scope="col">Change</th>
            <th scope="col">Change %</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <MeasureRow key={row.key} row={row} />
          ))}
        </tbody>
      </table>
      {folded.length > 0 && (
        <button
          type="button"
          className="button subtle small compare-fold"
          data-testid="unfold-measures"
          aria-expanded={unfolded}
          onClick={() => setUnfolded(!unfolded)}
        >
          {unfolded
            ? `Hide the ${folded.length} unchanged ▴`
            : `${folded.length} more ${folded.length === 1 ? 'measure' : 'measures'} unchanged ▸`}
        </button>
      )}
    </>
  );
}

/** The results (outcome measures) matched by name; a pair that cannot be compared says why in its row. */
function OutcomesTable({ comparison }: { comparison: Comparison }) {
  if (comparison.outcomes.length === 0) {
    return (
      <p className="muted" data-testid="no-outcomes">
        Neither board has results yet: add them under Results in a board’s analysis panel. Results of the same name are
        compared.
      </p>
    );
  }
  return (
    <table className="compare-table" data-testid="outcomes-table">
      <thead>
        <tr>
          <th scope="col">Result</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
          <th scope="col">Change</th>
          <th scope="col">Change %</th>
          <th scope="col">Verdict</th>
        </tr>
      </thead>
      <tbody>
        {comparison.outcomes.map((row) => (
          <tr key={row.key} className={`verdict-${row.verdict}`} data-testid="outcome-row" data-key={row.key}>
            <th scope="row">
              {row.label}
              {row.beforePoints.length > 1 || row.afterPoints.length > 1 ? (
                <span className="muted"> (average of each series)</span>
              ) : null}
            </th>
            {row.problem ? (
              <td colSpan={5} className="outcome-problem" data-testid="outcome-problem">
                {row.problem}
              </td>
            ) : (
              <>
                <td data-testid="outcome-before">{formatOutcomeValue(row.unit, row.before)}</td>
                <td data-testid="outcome-after">{formatOutcomeValue(row.unit, row.after)}</td>
                <td data-testid="outcome-change">{formatOutcomeChange(row.unit, row.change)}</td>
                <td>{formatChangePct(row.changePct)}</td>
                <td data-testid="outcome-verdict" className="verdict-cell">
                  {verdictText(row.verdict)}
                </td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StepGroup({
  title,
  kind,
  rows,
}: {
  title: string;
  kind: 'removed' | 'added';
  rows: Array<{ id: string; label: string; lane: string | null }>;
}) {
  if (rows.length === 0) return null;
  return (
    <div className="step-group">
      <h3 className={`step-group-title legend-${kind}`}>
        {kind === 'removed' ? '−' : '+'} {title}
      </h3>
      <ul className="step-group-list">
        {rows.map((row) => (
          <li key={row.id} data-testid={`${kind}-step`} data-id={row.id}>
            <span className="step-group-label">{row.label}</span>
            {row.lane && <span className="muted"> · {row.lane}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DemandComparison({ comparison }: { comparison: Comparison }) {
  const { demand } = comparison;
  const cell = (side: { count: number; demandClass: 'value' | 'failure' } | null) =>
    side ? (
      <span className={`demand-side is-${side.demandClass}`}>
        {side.count} <span className="demand-class">{side.demandClass === 'failure' ? '⚠ failure' : '✓ value'}</span>
      </span>
    ) : (
      NO_VALUE
    );
  return (
    <>
      <p className="compare-failure" data-testid="failure-demand-pct">
        Failure demand: <strong>{formatPct(demand.failurePctBefore)}</strong> before →{' '}
        <strong>{formatPct(demand.failurePctAfter)}</strong> after
      </p>
      {demand.types.length === 0 ? (
        <p className="muted">No demand on either board.</p>
      ) : (
        <table className="compare-table demand-compare-table">
          <thead>
            <tr>
              <th scope="col">In the customer’s words</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {demand.types.map((type) => (
              <tr key={type.words} data-testid="demand-type-row">
                <th scope="row">“{type.words}”</th>
                <td>{cell(type.before)}</td>
                <td>{cell(type.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
