/**
 * The analysis: every measure of method.md, live, in three groups (demand,
 * flow, capability), each with its formula in one line on hover or focus,
 * and the charts that go with them.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import { useReactFlow } from '@xyflow/react';
import { outcomeFigure, readCapabilitySeries, readOutcomes, readPeriod, type Measures, type Outcome } from '../model';
import { formatOutcomeValue } from '../export/compare-text';
import { ResultsEditor } from './ResultsEditor';
import { useBoard, useBoardState } from '../collab/board-context';
import { canEditNow } from '../collab/board-store';
import { useMeasures } from '../collab/use-measures';
import { usePeriodDraft } from './use-period-draft';
import {
  MEASURE_TEXTS,
  capabilitySentence,
  measureValueText,
  periodPhrase,
  type MeasureGroup,
} from '../export/measure-text';
import { sameJson, useDocValue } from './use-doc-value';
import { StudyPanel } from './study/StudyPanel';
import { ParetoChart } from './charts/ParetoChart';
import { WasteChart } from './charts/WasteChart';
import { CapabilityChart } from './charts/CapabilityChart';
import { ProcessChart } from '../ui/ProcessChart';
import { VOTE_KIND_NAMES, voteRecordTitle } from '../protocol';
import './panels.css';

function MeasureRows({ measures, group }: { measures: Measures; group: MeasureGroup }) {
  const base = useId();
  return (
    <dl className="measure-list">
      {MEASURE_TEXTS.filter((m) => m.group === group).map((m) => {
        const explainId = `${base}-${m.key}`;
        const value = measureValueText(measures, m.key);
        return (
          <div key={m.key} className="measure-row" tabIndex={0} aria-describedby={explainId}>
            <dt className="measure-label">{m.label}</dt>
            <dd
              className={value === '—' ? 'measure-value is-missing' : 'measure-value'}
              data-testid={`measure-${m.key}`}
            >
              {value}
            </dd>
            <dd id={explainId} className="measure-explain">
              {m.explanation}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function PeriodLine() {
  const { doc } = useBoard();
  const period = useDocValue(readPeriod);
  const { draft, setDraft, error, commit, cancel } = usePeriodDraft(doc);
  const canEdit = useBoardState(canEditNow);
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') commit();
    else if (event.key === 'Escape') cancel();
  };
  if (draft !== null) {
    return (
      <div className="period-line">
        <label>
          Counts per{' '}
          <input
            autoFocus
            className="field-input period-input"
            data-testid="field-period"
            value={draft}
            placeholder="one week"
            aria-invalid={error !== null}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={commit}
            onKeyDown={onKeyDown}
          />
        </label>
        {error && (
          <p className="field-error" role="alert" data-testid="field-error-period">
            {error}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="period-line">
      <span data-testid="period">{periodPhrase(period)}</span>
      {canEdit && (
        <button
          type="button"
          className="link-button"
          aria-label="Change the counting period"
          onClick={() => setDraft(period ?? '')}
        >
          ✎
        </button>
      )}
    </div>
  );
}

function UnconnectedSteps({ steps }: { steps: Measures['unconnectedSteps'] }) {
  const { store } = useBoard();
  const { fitView } = useReactFlow();
  if (steps.length === 0) return null;
  const show = (id: string) => {
    store.setState((s) => ({
      nodes: s.nodes.map((n) =>
        n.id === id ? (n.selected ? n : { ...n, selected: true }) : n.selected ? { ...n, selected: false } : n,
      ),
      edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
    }));
    void fitView({ nodes: [{ id }], duration: 150, maxZoom: 1, padding: 0.6 });
  };
  return (
    <div className="panel-warning" role="note" data-testid="unconnected-steps">
      <p>
        <span aria-hidden="true">⚠ </span>
        {steps.length === 1 ? '1 step is' : `${steps.length} steps are`} on no path from a start to an end:
      </p>
      <ul>
        {steps.map((s) => (
          <li key={s.id}>
            <button type="button" className="link-button" onClick={() => show(s.id)}>
              {s.label || 'Unnamed step'}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The board's results (outcome measures): each one's figure, and the editor to add or change one. */
function Results() {
  const outcomes = useDocValue(readOutcomes, sameJson);
  const [editing, setEditing] = useState<Outcome | 'new' | null>(null);
  return (
    <section className="panel-section" aria-labelledby="analysis-results" data-testid="analysis-results">
      <div className="section-head">
        <h2 id="analysis-results">Results</h2>
        <button type="button" className="toggle-button" data-testid="add-result" onClick={() => setEditing('new')}>
          + Add a result
        </button>
      </div>
      {outcomes.length === 0 ? (
        <p className="muted results-empty">
          Outcomes of the whole system, measured outside the map (“Contacts into the service per week”), to compare
          before and after.
        </p>
      ) : (
        <dl className="measure-list">
          {outcomes.map((o) => (
            <div key={o.id} className="measure-row" data-testid="result-row">
              <dt className="measure-label">
                <button type="button" className="link-button" onClick={() => setEditing(o)}>
                  {o.name}
                </button>
                <span className="muted result-detail">
                  {o.points.length > 1 ? ` · average of ${o.points.length}` : ''} ·{' '}
                  {o.direction === 'lower-is-better' ? 'lower is better' : 'higher is better'}
                </span>
              </dt>
              <dd className="measure-value" data-testid="result-value">
                {formatOutcomeValue(o.unit, outcomeFigure(o))}
              </dd>
              {o.points.length >= 2 && (
                <dd className="result-chart">
                  <ProcessChart
                    testId="result-chart"
                    values={o.points.map((p) => p.value)}
                    format={(value) => formatOutcomeValue(o.unit, value)}
                    pointName="point"
                    pointLabel={(i) => o.points[i].date ?? `Point ${i + 1}`}
                    description={`${o.name}: ${o.points.length} values, oldest first, with the mean and the limits`}
                  />
                </dd>
              )}
            </div>
          ))}
        </dl>
      )}
      {editing && <ResultsEditor editing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

export function AnalysisPanel() {
  const { store } = useBoard();
  const measures = useMeasures();
  const series = useDocValue(readCapabilitySeries, sameJson);
  const showMainPath = useBoardState((s) => s.showMainPath);
  return (
    <div className="analysis-panel" data-testid="analysis-panel">
      <section className="panel-section" aria-labelledby="analysis-demand">
        <h2 id="analysis-demand">Demand</h2>
        <PeriodLine />
        <MeasureRows measures={measures} group="demand" />
        <h3>Demand by type</h3>
        <ParetoChart rows={measures.pareto} />
      </section>
      <StudyPanel />
      <section className="panel-section" aria-labelledby="analysis-flow">
        <div className="section-head">
          <h2 id="analysis-flow">Flow</h2>
          <button
            type="button"
            className={showMainPath ? 'toggle-button is-on' : 'toggle-button'}
            aria-pressed={showMainPath}
            data-testid="show-main-path"
            onClick={() => store.setState((s) => ({ showMainPath: !s.showMainPath }))}
          >
            {showMainPath ? 'Hide main path' : 'Show main path'}
          </button>
        </div>
        <UnconnectedSteps steps={measures.unconnectedSteps} />
        <MeasureRows measures={measures} group="flow" />
        <h3>Waste by type</h3>
        <WasteChart byType={measures.wasteByType} />
      </section>
      <section className="panel-section" aria-labelledby="analysis-capability">
        <h2 id="analysis-capability">Capability</h2>
        <MeasureRows measures={measures} group="capability" />
        <CapabilityChart series={series} />
        <p className="capability-sentence" data-testid="capability-sentence">
          {capabilitySentence(measures.capability)}
        </p>
      </section>
      <Results />
      <VoteRecords />
    </div>
  );
}

/** The board's revealed dot votes (issue 15), newest first, each with its ranked list. */
function VoteRecords() {
  const records = useBoardState((s) => s.voteRecords);
  if (records.length === 0) return null;
  return (
    <section className="panel-section" aria-labelledby="analysis-votes" data-testid="analysis-votes">
      <h2 id="analysis-votes">Votes</h2>
      {records.map((record) => (
        <details key={record.id} data-testid="vote-record">
          <summary>{voteRecordTitle(record)}</summary>
          <p className="capability-sentence">
            {record.voters} {record.voters === 1 ? 'person' : 'people'} voted on {VOTE_KIND_NAMES[record.kind]}
          </p>
          <ol>
            {record.results.map((result) => (
              <li key={result.cardId} value={result.rank}>
                {result.label} — {result.dots} {result.dots === 1 ? 'dot' : 'dots'}
              </li>
            ))}
          </ol>
        </details>
      ))}
    </section>
  );
}
