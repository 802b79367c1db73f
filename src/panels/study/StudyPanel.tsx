/**
 * The demand study in the analysis panel (issue 14): the window the board's
 * study cards count (whole study, last 7 days, or a custom range), the
 * study's headline figures live from message 106, placing the study's types
 * on the board as cards, and the analysis itself (StudyAnalysis, a chunk of
 * its own, fetched when a board has a study).
 */
import { Suspense, useMemo, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useBoard, useBoardState } from '../../collab/board-context';
import { canEditNow, showToast } from '../../collab/board-store';
import { describeWindow, setStudyWindow, type StudyWindowChoice } from '../../collab/study';
import { formatCount, formatPct } from '../../export/format';
import { placeStudyCards, studyTypesWithoutCards } from '../../model';
import { Loading, lazyComponent } from '../../ui/Loading';
import { Link } from '../../ui/Link';
import { parseRoute, studyPath } from '../../ui/router';
import './study.css';

const StudyAnalysis = lazyComponent(() => import('./StudyAnalysis').then((m) => m.StudyAnalysis));

export function StudyPanel() {
  const { doc, store } = useBoard();
  const study = useBoardState((s) => s.study);
  const counts = useBoardState((s) => s.studyCounts);
  const choice = useBoardState((s) => s.studyWindow);
  const canEdit = useBoardState(canEditNow);
  const role = useBoardState((s) => s.access?.role);
  // Which types still lack a card: re-read whenever the board's cards change.
  const nodes = useBoardState((s) => s.nodes);
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const { fitView } = useReactFlow();
  const missing = useMemo(() => (study && nodes ? studyTypesWithoutCards(doc, study.types) : []), [doc, study, nodes]);
  const route = parseRoute(window.location.pathname);
  const boardId = route.screen === 'board' ? route.boardId : null;
  const mayRunStudy = boardId !== null && (role === 'facilitator' || role === 'editor');
  if (!study || !counts) {
    // No study yet (or its counts not in): the way to one lives here, beside the demand it would
    // count, rather than as one more header button (the header keeps its room for the title).
    if (!mayRunStudy) return null;
    return (
      <section className="panel-section" aria-labelledby="analysis-study" data-testid="analysis-study-start">
        <div className="section-head">
          <h2 id="analysis-study">Demand study</h2>
          <Link href={studyPath(boardId)} className="button small" data-testid="open-study">
            Demand study…
          </Link>
        </div>
        <p className="muted">
          Collectors write down what each customer asks for, in their own words, as it arrives; the demand cards then
          count it live.
        </p>
      </section>
    );
  }

  const choose = (kind: StudyWindowChoice['kind']) => {
    if (kind === 'custom') {
      const range = custom ?? { from: counts.window.from, to: counts.window.to };
      setCustom(range);
      setStudyWindow(store, { kind: 'custom', ...range });
    } else setStudyWindow(store, { kind });
  };
  const setRange = (change: Partial<{ from: string; to: string }>) => {
    const range = { ...(custom ?? counts.window), ...change };
    setCustom(range);
    if (range.from && range.to && range.from <= range.to) setStudyWindow(store, { kind: 'custom', ...range });
  };

  return (
    <section className="panel-section" aria-labelledby="analysis-study" data-testid="analysis-study">
      <div className="section-head">
        <h2 id="analysis-study">Demand study</h2>
        {mayRunStudy && (
          <Link href={studyPath(boardId)} className="button small" data-testid="panel-open-study">
            Entries…
          </Link>
        )}
      </div>
      <label className="study-window">
        Count
        <select
          className="text-input"
          value={choice.kind}
          onChange={(e) => choose(e.target.value as StudyWindowChoice['kind'])}
          data-testid="study-window"
        >
          <option value="whole">the whole study</option>
          <option value="last7">the last 7 days</option>
          <option value="custom">a custom range</option>
        </select>
      </label>
      {choice.kind === 'custom' && (
        <div className="study-window-range">
          <label>
            From
            <input
              type="date"
              className="text-input"
              min={study.start}
              max={study.end}
              value={custom?.from ?? choice.from}
              onChange={(e) => setRange({ from: e.target.value })}
              data-testid="study-window-from"
            />
          </label>
          <label>
            to
            <input
              type="date"
              className="text-input"
              min={study.start}
              max={study.end}
              value={custom?.to ?? choice.to}
              onChange={(e) => setRange({ to: e.target.value })}
              data-testid="study-window-to"
            />
          </label>
        </div>
      )}
      <p className="study-muted study-window-words" data-testid="study-window-words">
        {describeWindow(counts, choice)}
      </p>
      <dl className="study-headline">
        <div>
          <dt>Entries</dt>
          <dd data-testid="panel-study-total">{formatCount(counts.total)}</dd>
        </div>
        <div>
          <dt>Failure demand</dt>
          <dd data-testid="panel-study-failure-pct">{formatPct(counts.failureDemandPct)}</dd>
        </div>
        <div>
          <dt title="Value demand handled in one stop">Perfect</dt>
          <dd data-testid="panel-study-perfect-pct">{formatPct(counts.perfectPct)}</dd>
        </div>
      </dl>
      {canEdit && missing.length > 0 && (
        <button
          type="button"
          className="button small"
          data-testid="place-study-cards"
          onClick={() => {
            const added = placeStudyCards(doc, missing);
            // The new column sits left of the flow, often off screen: show the whole board with it.
            requestAnimationFrame(() => void fitView({ duration: 150 }));
            showToast(
              store,
              `${added.length} study ${added.length === 1 ? 'type is' : 'types are'} on the board, left of the flow; their counts follow the study live.`,
            );
          }}
        >
          Put {missing.length === 1 ? 'its 1 type' : `its ${missing.length} types`} on the board as cards
        </button>
      )}
      {boardId && (
        <Suspense fallback={<Loading what="the study's analysis" />}>
          <StudyAnalysis boardId={boardId} window={counts.window} version={study} />
        </Suspense>
      )}
    </section>
  );
}
