/**
 * Puts the live measures the canvas draws — the main path and the
 * unconnected steps — into the board store as id sets, so that each step and
 * edge subscribes to one boolean and only those whose mark changes re-render.
 * The sets are replaced only when their contents change, not on every
 * recomputation (a drag recomputes the measures every frame).
 */
import { useEffect } from 'react';
import { useMeasures } from '../collab/use-measures';
import { useBoard } from '../collab/board-context';

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const item of a) if (!b.has(item)) return false;
  return true;
}

export function MainPathSync() {
  const { store } = useBoard();
  const { mainPath, unconnectedSteps } = useMeasures();
  useEffect(() => {
    const steps = new Set(mainPath.map((step) => step.id));
    const edges = new Set<string>();
    for (let i = 1; i < mainPath.length; i++) edges.add(`${mainPath[i - 1].id}>${mainPath[i].id}`);
    const unconnected = new Set(unconnectedSteps.map((step) => step.id));
    const state = store.getState();
    const changes: Partial<typeof state> = {};
    if (!sameSet(state.mainPathSteps, steps)) changes.mainPathSteps = steps;
    if (!sameSet(state.mainPathEdges, edges)) changes.mainPathEdges = edges;
    if (!sameSet(state.unconnectedSteps, unconnected)) changes.unconnectedSteps = unconnected;
    if (Object.keys(changes).length > 0) store.setState(changes);
  }, [store, mainPath, unconnectedSteps]);
  return null;
}
