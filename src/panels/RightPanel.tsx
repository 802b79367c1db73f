/**
 * The right panel beside the canvas: the analysis, or the inspector of the
 * selected element (selecting an element switches to it; a tab goes back).
 * Collapsible, so the projected map can use the whole width.
 */
import { useEffect } from 'react';
import { useBoard, useBoardState } from '../collab/board-context';
import type { BoardState } from '../collab/board-store';
import { ErrorBoundary } from '../ui/ErrorBoundary';
import { AnalysisPanel } from './AnalysisPanel';
import { Inspector } from './Inspector';
import './panels.css';

/** The id of the one selected element, or null: a new selection opens the inspector. */
function singleSelection(s: BoardState): string | null {
  let found: string | null = null;
  for (const item of [...s.nodes, ...s.edges]) {
    if (!item.selected) continue;
    if (found !== null) return null;
    found = item.id;
  }
  return found;
}

export function RightPanel() {
  const { store } = useBoard();
  const open = useBoardState((s) => s.panelOpen);
  const panel = useBoardState((s) => s.panel);

  // A newly selected element opens the inspector; the Analysis tab goes back until the selection changes.
  useEffect(
    () =>
      store.subscribe((state, previous) => {
        const now = singleSelection(state);
        if (now !== null && now !== singleSelection(previous) && state.panel !== 'inspector') {
          store.setState({ panel: 'inspector' });
        }
      }),
    [store],
  );

  const toggle = (
    <button
      type="button"
      className="panel-toggle"
      data-testid="panel-toggle"
      aria-expanded={open}
      aria-controls="right-panel-body"
      title={open ? 'Hide the panel: the map uses the whole width' : 'Show the analysis and inspector panel'}
      onClick={() => store.setState((s) => ({ panelOpen: !s.panelOpen }))}
    >
      <span aria-hidden="true">{open ? '▸' : '◂'}</span>
      <span className="visually-hidden">{open ? 'Hide panel' : 'Show panel'}</span>
    </button>
  );

  if (!open) {
    return (
      <aside className="right-panel is-collapsed" aria-label="Analysis and inspector (hidden)">
        {toggle}
      </aside>
    );
  }
  const tab = (id: 'analysis' | 'inspector', label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${id}`}
      className="panel-tab"
      data-testid={`tab-${id}`}
      aria-selected={panel === id}
      aria-controls="right-panel-body"
      tabIndex={panel === id ? 0 : -1}
      onClick={() => store.setState({ panel: id })}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          const other = id === 'analysis' ? 'inspector' : 'analysis';
          store.setState({ panel: other });
          document.getElementById(`tab-${other}`)?.focus();
        }
      }}
    >
      {label}
    </button>
  );
  return (
    <aside className="right-panel" aria-label="Analysis and inspector">
      <div className="panel-head">
        <div className="panel-tabs" role="tablist" aria-label="Panel">
          {tab('analysis', 'Analysis')}
          {tab('inspector', 'Inspector')}
        </div>
        {toggle}
      </div>
      <div className="panel-body" id="right-panel-body" role="tabpanel" aria-labelledby={`tab-${panel}`}>
        <ErrorBoundary what={panel === 'analysis' ? 'analysis panel' : 'inspector'}>
          {panel === 'analysis' ? <AnalysisPanel /> : <Inspector />}
        </ErrorBoundary>
      </div>
    </aside>
  );
}
