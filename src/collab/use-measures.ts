/**
 * Live measures of the open board, computed once for everyone who shows
 * them: the analysis panel reads them whole, the canvas reads the main path
 * and the unconnected steps as id sets (each step and edge subscribes to one
 * boolean, so only those whose mark changes re-render).
 *
 * `measuresOfDoc` — the model's one function, shared with the API and the
 * exports — runs at most every MEASURE_INTERVAL_MS however many updates
 * arrive. A drag sends an update every frame; recomputing a 1,000-step board's
 * measures (and redrawing the panel) every frame halved the drag's frame rate,
 * while a few times a second still reads as live.
 */
import { measuresOfDoc, type Measures } from '../model';
import type * as Y from 'yjs';
import { useBoardState } from './board-context';
import type { BoardState, BoardStore } from './board-store';

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

/** Puts fresh measures (and the canvas's id sets, replaced only when they change) into the store. */
export function publishMeasures(store: BoardStore, measures: Measures): void {
  const { mainPath, unconnectedSteps } = measures;
  const steps = new Set(mainPath.map((step) => step.id));
  const edges = new Set<string>();
  for (let i = 1; i < mainPath.length; i++) edges.add(`${mainPath[i - 1].id}>${mainPath[i].id}`);
  const unconnected = new Set(unconnectedSteps.map((step) => step.id));
  const state = store.getState();
  const changes: Partial<BoardState> = { measures };
  if (!sameSet(state.mainPathSteps, steps)) changes.mainPathSteps = steps;
  if (!sameSet(state.mainPathEdges, edges)) changes.mainPathEdges = edges;
  if (!sameSet(state.unconnectedSteps, unconnected)) changes.unconnectedSteps = unconnected;
  store.setState(changes);
}

/** Keeps the store's measures live; returns the function that stops it. */
export const MEASURE_INTERVAL_MS = 200;

export function bindMeasures(doc: Y.Doc, store: BoardStore): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const publish = () => {
    timer = null;
    last = performance.now();
    // With a demand study, its counts in this person's window are the board's demand beside the hand-made cards.
    publishMeasures(store, measuresOfDoc(doc, store.getState().studyCounts));
  };
  const recompute = () => {
    if (timer !== null) return;
    // The first change after a quiet spell shows at once; a stream of changes at most every interval.
    timer = setTimeout(publish, Math.max(0, last + MEASURE_INTERVAL_MS - performance.now()));
  };
  doc.on('update', recompute);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.studyCounts !== previous.studyCounts) recompute();
  });
  publish();
  return () => {
    unsubscribe();
    doc.off('update', recompute);
    if (timer !== null) clearTimeout(timer);
  };
}

export function useMeasures(): Measures {
  return useBoardState((s) => s.measures);
}
