/**
 * The study's analysis in the panel (issue 14): demand over time (value vs
 * failure, stacked, daily or weekly), the failure flow (which value demand
 * produces which failure demand; a click shows that flow's causes and
 * entries), failure causes ranked, what matters, the contact-method and
 * point splits, collection coverage per collector per day, and each type's
 * predictability from its daily counts with the reason. Figures come from
 * GET …/study/summary for the window, fetched again when the live counts
 * (message 106) change.
 */
import { useEffect, useMemo, useState } from 'react';
import { getStudySummary, listEntries, type StudyEntry, type StudySummary } from '../../api';
import { formatCount } from '../../export/format';
import { ChartTable } from '../../ui/ChartTable';

/** A burst of phones makes one fetch, not one per message. */
const REFETCH_AFTER_MS = 800;

export function StudyAnalysis({
  boardId,
  window,
  version,
}: {
  boardId: string;
  window: { from: string; to: string };
  /** Changes with every counts message: the summary is fetched again. */
  version: unknown;
}) {
  const [summary, setSummary] = useState<StudySummary | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const { from, to } = window;
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      getStudySummary(boardId, { from, to }).then(
        (answer) => {
          if (cancelled) return;
          setSummary(answer);
          setFailure(null);
        },
        (error: Error) => !cancelled && setFailure(error.message),
      );
    }, REFETCH_AFTER_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [boardId, from, to, version]);

  if (failure && !summary)
    return (
      <p className="field-error" role="alert">
        The study’s analysis could not be fetched: {failure}
      </p>
    );
  if (!summary)
    return (
      <p className="study-muted" role="status">
        Fetching the study’s analysis…
      </p>
    );
  return <Figures boardId={boardId} summary={summary} />;
}

function Figures({ boardId, summary }: { boardId: string; summary: StudySummary }) {
  const names = useMemo(() => new Map(summary.byType.map((t) => [t.type, t.name])), [summary.byType]);
  const [flow, setFlow] = useState<{ from: string; to: string } | null>(null);
  return (
    <div className="study-analysis" data-testid="study-analysis">
      <OverTime summary={summary} />
      <FailureFlow summary={summary} names={names} onOpen={setFlow} open={flow} />
      {flow && <FlowDetail boardId={boardId} summary={summary} flow={flow} names={names} />}
      <Ranked
        title="Failure causes"
        testId="study-causes"
        rows={summary.causes.map((c) => [c.cause, c.count] as const)}
        empty="No causes recorded yet."
      />
      <Ranked
        title="What matters"
        testId="study-what-matters"
        rows={summary.whatMatters.categories.map((c) => [c.category, c.count] as const)}
        empty="Nothing recorded yet."
      />
      {summary.whatMatters.notes.length > 0 && (
        <ul className="study-notes" aria-label="What matters, in the customers’ words">
          {summary.whatMatters.notes.slice(0, 5).map((n) => (
            <li key={n.entryId}>“{n.note}”</li>
          ))}
        </ul>
      )}
      <Ranked
        title="Contact methods"
        testId="study-contacts"
        rows={summary.contactMethods.map((c) => [c.name, c.count] as const)}
        empty="None recorded yet."
      />
      {summary.points.length > 0 && (
        <Ranked
          title="Points of transaction"
          testId="study-points"
          rows={summary.points.map((c) => [c.name, c.count] as const)}
          empty=""
        />
      )}
      <Coverage summary={summary} />
      <Predictable summary={summary} names={names} />
    </div>
  );
}

function OverTime({ summary }: { summary: StudySummary }) {
  const [weekly, setWeekly] = useState(false);
  const rows = weekly
    ? summary.overTime.weekly.map((w) => ({ label: w.week, value: w.value, failure: w.failure, unsure: w.unsure }))
    : summary.overTime.daily.map((d) => ({ label: d.day, value: d.value, failure: d.failure, unsure: d.unsure }));
  const max = Math.max(1, ...rows.map((r) => r.value + r.failure + r.unsure));
  const width = 300;
  const height = 110;
  const bar = rows.length > 0 ? width / rows.length : width;
  const totalValue = rows.reduce((sum, r) => sum + r.value, 0);
  const totalFailure = rows.reduce((sum, r) => sum + r.failure, 0);
  return (
    <div className="study-block-figure">
      <div className="section-head">
        <h3>Demand over time</h3>
        <button
          type="button"
          className="toggle-button"
          aria-pressed={weekly}
          onClick={() => setWeekly((was) => !was)}
          data-testid="study-over-time-weekly"
        >
          {weekly ? 'Daily' : 'Weekly'}
        </button>
      </div>
      <svg
        className="study-over-time"
        viewBox={`0 0 ${width} ${height + 14}`}
        role="img"
        aria-label={`${weekly ? 'Weekly' : 'Daily'} demand over ${rows.length} ${weekly ? 'weeks' : 'days'}: ${totalValue} value, ${totalFailure} failure`}
        data-testid="study-over-time"
      >
        {rows.map((r, i) => {
          const x = i * bar + 1;
          const w = Math.max(1, bar - 2);
          const hValue = (r.value / max) * height;
          const hFailure = (r.failure / max) * height;
          const hUnsure = (r.unsure / max) * height;
          return (
            <g key={r.label}>
              <title>{`${r.label}: ${r.value} value, ${r.failure} failure, ${r.unsure} not classified`}</title>
              <rect x={x} y={height - hValue} width={w} height={hValue} className="bar-value" />
              <rect x={x} y={height - hValue - hFailure} width={w} height={hFailure} className="bar-failure" />
              <rect x={x} y={height - hValue - hFailure - hUnsure} width={w} height={hUnsure} className="bar-unsure" />
            </g>
          );
        })}
        <line x1={0} x2={width} y1={height} y2={height} className="axis" />
      </svg>
      <p className="study-legend">
        <span className="key key-value" /> value <span className="key key-failure" /> failure{' '}
        <span className="key key-unsure" /> not classified
      </p>
      <ChartTable
        caption={`Demand ${weekly ? 'per week' : 'per day'}`}
        columns={[weekly ? 'Week of' : 'Day', 'Value', 'Failure', 'Not classified']}
        rows={rows.map((r) => [r.label, String(r.value), String(r.failure), String(r.unsure)])}
        testId="study-over-time-table"
      />
    </div>
  );
}

function FailureFlow({
  summary,
  names,
  open,
  onOpen,
}: {
  summary: StudySummary;
  names: Map<string, string>;
  open: { from: string; to: string } | null;
  onOpen: (flow: { from: string; to: string } | null) => void;
}) {
  const from = [...new Set(summary.failureFlow.map((f) => f.from))];
  const to = [...new Set(summary.failureFlow.map((f) => f.to))];
  const count = new Map(summary.failureFlow.map((f) => [`${f.from}>${f.to}`, f.count]));
  const max = Math.max(1, ...summary.failureFlow.map((f) => f.count));
  return (
    <div className="study-block-figure">
      <h3>Failure flow</h3>
      {summary.failureFlow.length === 0 ? (
        <p className="study-muted">No failure demand is linked to the value demand it stems from yet.</p>
      ) : (
        <div className="study-matrix-scroll">
          <table className="study-matrix" data-testid="study-failure-flow">
            <caption className="study-muted">Value demand (rows) that produces failure demand (columns)</caption>
            <thead>
              <tr>
                <th scope="col">From value</th>
                {to.map((t) => (
                  <th key={t} scope="col">
                    {names.get(t) ?? t}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {from.map((f) => (
                <tr key={f}>
                  <th scope="row">{names.get(f) ?? f}</th>
                  {to.map((t) => {
                    const n = count.get(`${f}>${t}`) ?? 0;
                    const isOpen = open?.from === f && open.to === t;
                    return (
                      <td key={t}>
                        {n > 0 ? (
                          <button
                            type="button"
                            className={`study-flow-cell${isOpen ? ' is-open' : ''}`}
                            style={{ ['--share' as string]: `${Math.round((n / max) * 100)}%` }}
                            aria-pressed={isOpen}
                            aria-label={`${n} ${names.get(t) ?? t} from ${names.get(f) ?? f}: show causes and entries`}
                            onClick={() => onOpen(isOpen ? null : { from: f, to: t })}
                          >
                            {n}
                          </button>
                        ) : (
                          <span className="study-muted">·</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** One flow's causes and entries (the entries need an editor's access; a viewer sees the causes' words only). */
function FlowDetail({
  boardId,
  summary,
  flow,
  names,
}: {
  boardId: string;
  summary: StudySummary;
  flow: { from: string; to: string };
  names: Map<string, string>;
}) {
  const [entries, setEntries] = useState<StudyEntry[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    listEntries(boardId, { from: summary.window.from, to: summary.window.to, limit: 1000 }).then(
      (page) =>
        !cancelled && setEntries(page.entries.filter((e) => e.type === flow.to && e.valueDemandType === flow.from)),
      (error: Error) => !cancelled && setFailure(error.message),
    );
    return () => {
      cancelled = true;
    };
  }, [boardId, flow.from, flow.to, summary.window.from, summary.window.to]);
  const causes = new Map<string, number>();
  for (const e of entries ?? []) {
    const cause = e.cause?.trim() || 'No cause recorded';
    causes.set(cause, (causes.get(cause) ?? 0) + 1);
  }
  return (
    <div className="study-flow-detail" data-testid="study-flow-detail">
      <h4>
        {names.get(flow.to) ?? flow.to} from {names.get(flow.from) ?? flow.from}
      </h4>
      {failure ? (
        <p className="study-muted">{failure}</p>
      ) : !entries ? (
        <p className="study-muted">Fetching its entries…</p>
      ) : (
        <>
          <ul className="study-ranked">
            {[...causes]
              .sort((a, b) => b[1] - a[1])
              .map(([cause, n]) => (
                <li key={cause}>
                  <span>{cause}</span> <strong>{n}</strong>
                </li>
              ))}
          </ul>
          <ul className="study-notes">
            {entries.slice(0, 8).map((e) => (
              <li key={e.id}>“{e.verbatim}”</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function Ranked({
  title,
  testId,
  rows,
  empty,
}: {
  title: string;
  testId: string;
  rows: ReadonlyArray<readonly [string, number]>;
  empty: string;
}) {
  const max = Math.max(1, ...rows.map((r) => r[1]));
  return (
    <div className="study-block-figure">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="study-muted">{empty}</p>
      ) : (
        <ul className="study-ranked" data-testid={testId}>
          {rows.slice(0, 8).map(([label, n]) => (
            <li key={label} style={{ ['--share' as string]: `${Math.round((n / max) * 100)}%` }}>
              <span>{label}</span> <strong>{formatCount(n)}</strong>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Entries per collector per day (the last 10 days with entries), so a stop in collecting shows. */
function Coverage({ summary }: { summary: StudySummary }) {
  const days = [...new Set(summary.coverage.map((c) => c.day))].sort().slice(-10);
  const collectors = [...new Set(summary.coverage.map((c) => c.collector))].sort();
  const count = new Map(summary.coverage.map((c) => [`${c.collector}|${c.day}`, c.count]));
  return (
    <div className="study-block-figure">
      <h3>Collection coverage</h3>
      {collectors.length === 0 ? (
        <p className="study-muted">Nobody has collected yet.</p>
      ) : (
        <div className="study-matrix-scroll">
          <table className="study-matrix study-coverage" data-testid="study-coverage">
            <caption className="study-muted">Entries per collector per day</caption>
            <thead>
              <tr>
                <th scope="col">Collector</th>
                {days.map((d) => (
                  <th key={d} scope="col">
                    {d.slice(5)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {collectors.map((c) => (
                <tr key={c}>
                  <th scope="row">{c}</th>
                  {days.map((d) => {
                    const n = count.get(`${c}|${d}`) ?? 0;
                    return (
                      <td key={d} className={n === 0 ? 'is-gap' : undefined}>
                        {n === 0 ? '–' : n}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Predictable({ summary, names }: { summary: StudySummary; names: Map<string, string> }) {
  return (
    <div className="study-block-figure">
      <h3>Predictable, from the data</h3>
      <ul className="study-predictable" data-testid="study-predictable">
        {summary.predictable.map((p) => (
          <li key={p.type}>
            <strong>
              {p.predictable ? '✓ ' : '– '}
              {names.get(p.type) ?? p.type}
            </strong>
            : {p.predictable ? 'predictable' : 'not shown predictable'}. <span className="study-muted">{p.reason}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
