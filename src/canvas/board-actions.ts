/** Adding and deleting elements from the palette, the keyboard and the canvas: model operations at the right place. */
import { useCallback } from 'react';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { addNote, addStep, deleteElements, type Position } from '../model';
import { useBoard } from '../collab/board-context';
import { NOTE_SIZE, STEP_SIZE } from '../collab/binding';
import { reportError } from './node-actions';

export function useBoardActions() {
  const { doc, store } = useBoard();
  const { screenToFlowPosition } = useReactFlow();
  const flowStore = useStoreApi();

  /** The flow position at the centre of the visible canvas. */
  const centreOfView = useCallback((): Position => {
    const dom = flowStore.getState().domNode;
    const rect = dom?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    return screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
  }, [flowStore, screenToFlowPosition]);

  /** Adds a step centred on `at` (flow coordinates; default the centre of the view) and starts naming it. */
  const addStepAt = useCallback(
    (at?: Position) => {
      const centre = at ?? centreOfView();
      try {
        const position = {
          x: Math.round(centre.x - STEP_SIZE.width / 2),
          y: Math.round(centre.y - STEP_SIZE.height / 2),
        };
        const id = addStep(doc, { position });
        store.setState({ editingId: id });
      } catch (error) {
        reportError(store, error);
      }
    },
    [doc, store, centreOfView],
  );

  const addNoteAt = useCallback(
    (at?: Position) => {
      const centre = at ?? centreOfView();
      try {
        const position = {
          x: Math.round(centre.x - NOTE_SIZE.width / 2),
          y: Math.round(centre.y - NOTE_SIZE.height / 2),
        };
        const id = addNote(doc, { position });
        store.setState({ editingId: id });
      } catch (error) {
        reportError(store, error);
      }
    },
    [doc, store, centreOfView],
  );

  const deleteSelected = useCallback(() => {
    const { nodes, edges } = store.getState();
    const nodeIds = nodes.filter((n) => n.selected).map((n) => n.id);
    const edgeIds = edges.filter((e) => e.selected).map((e) => e.id);
    if (nodeIds.length === 0 && edgeIds.length === 0) return;
    try {
      deleteElements(doc, { nodeIds, edgeIds });
    } catch (error) {
      reportError(store, error);
    }
  }, [doc, store]);

  const editSelected = useCallback(() => {
    const selected = store.getState().nodes.filter((n) => n.selected);
    if (selected.length === 1 && selected[0].type !== 'other') store.setState({ editingId: selected[0].id });
  }, [store]);

  return { addStepAt, addNoteAt, deleteSelected, editSelected };
}

/** True when a key press belongs to a text field, not to the board. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
