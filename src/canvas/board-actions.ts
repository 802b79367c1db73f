/** Adding and deleting elements from the palette, the keyboard and the canvas: model operations at the right place. */
import { useCallback } from 'react';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import {
  addCondition,
  addDemand,
  addLane,
  addNote,
  addPurpose,
  addStep,
  deleteElements,
  LANE_HEIGHT,
  laneAt,
  laneTop,
  lanesMap,
  nodesMap,
  setLocked,
  type Position,
} from '../model';
import { showToast } from '../collab/board-store';
import { useBoard } from '../collab/board-context';
import { CONDITION_SIZE, DEMAND_SIZE, NOTE_SIZE, PURPOSE_SIZE, STEP_SIZE } from '../collab/binding';
import { reportError } from './node-actions';
import { freeSpot } from './free-spot';

export const DEFAULT_DEMAND_WORDS = 'What the customer says';
export const DEFAULT_CONDITION_LABEL = 'System condition';
export const DEFAULT_PURPOSE = "What the service is for, in the customer's terms";

function topLeft(centre: Position, size: { width: number; height: number }): Position {
  return { x: Math.round(centre.x - size.width / 2), y: Math.round(centre.y - size.height / 2) };
}

export function useBoardActions() {
  const { doc, store } = useBoard();
  const { screenToFlowPosition, setCenter, getZoom } = useReactFlow();
  const flowStore = useStoreApi();

  /** The flow position at the centre of the visible canvas. */
  const centreOfView = useCallback((): Position => {
    const dom = flowStore.getState().domNode;
    const rect = dom?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    return screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
  }, [flowStore, screenToFlowPosition]);

  /** Runs an add operation and opens the new element for inline editing; the model's refusals become a toast. */
  const adding = useCallback(
    (add: () => string, edit = true) => {
      try {
        const id = add();
        if (edit) store.setState({ editingId: id });
        return id;
      } catch (error) {
        reportError(store, error);
        return null;
      }
    },
    [store],
  );

  /**
   * Adds a step centred on `at` (flow coordinates, where someone double-clicked),
   * or at the first free place from the centre of the view; in the lane there;
   * and starts naming it.
   */
  const addStepAt = useCallback(
    (at?: Position) => {
      const position = at
        ? topLeft(at, STEP_SIZE)
        : freeSpot(
            topLeft(centreOfView(), STEP_SIZE),
            STEP_SIZE,
            store.getState().nodes.map((node) => ({
              ...node.position,
              width: node.measured?.width ?? STEP_SIZE.width,
              height: node.measured?.height ?? STEP_SIZE.height,
            })),
          );
      const centre = { x: position.x + STEP_SIZE.width / 2, y: position.y + STEP_SIZE.height / 2 };
      adding(() => addStep(doc, { position, lane: laneAt(store.getState().lanes, centre.y, centre.x)?.id ?? null }));
    },
    [doc, store, centreOfView, adding],
  );

  const addNoteAt = useCallback(
    (at?: Position) => {
      adding(() => addNote(doc, { position: topLeft(at ?? centreOfView(), NOTE_SIZE) }));
    },
    [doc, centreOfView, adding],
  );

  const addDemandAt = useCallback(
    (at?: Position) => {
      adding(() =>
        addDemand(doc, {
          position: topLeft(at ?? centreOfView(), DEMAND_SIZE),
          words: DEFAULT_DEMAND_WORDS,
          demandClass: 'value',
          count: 0,
          predictable: false,
        }),
      );
    },
    [doc, centreOfView, adding],
  );

  const addConditionAt = useCallback(
    (at?: Position) => {
      adding(() =>
        addCondition(doc, {
          position: topLeft(at ?? centreOfView(), CONDITION_SIZE),
          label: DEFAULT_CONDITION_LABEL,
          conditionType: 'other',
        }),
      );
    },
    [doc, centreOfView, adding],
  );

  /** Adds "Lane N" below the others, opens its name for editing and brings it into view. */
  const addLaneBelow = useCallback(() => {
    const id = adding(() => addLane(doc, `Lane ${lanesMap(doc).size + 1}`), false);
    if (!id) return;
    store.setState({ editingLaneId: id });
    const index = store.getState().lanes.findIndex((lane) => lane.id === id);
    const dom = flowStore.getState().domNode?.getBoundingClientRect();
    if (index >= 0 && dom) {
      const bandTop = flowStore.getState().transform[1] + laneTop(index) * getZoom();
      if (bandTop < 0 || bandTop > dom.height - 60) {
        const centre = centreOfView();
        void setCenter(centre.x, laneTop(index) + LANE_HEIGHT / 2, { zoom: getZoom() });
      }
    }
  }, [doc, store, adding, flowStore, centreOfView, setCenter, getZoom]);

  /** A board has one purpose: P adds it when there is none and otherwise selects (and shows) it. */
  const addOrSelectPurpose = useCallback(() => {
    let existing: string | null = null;
    nodesMap(doc).forEach((node, id) => {
      if (existing === null && node.get('kind') === 'purpose') existing = id;
    });
    if (existing === null) {
      adding(() =>
        addPurpose(doc, {
          position: topLeft(centreOfView(), PURPOSE_SIZE),
          statement: DEFAULT_PURPOSE,
          whatMatters: [],
        }),
      );
      return;
    }
    const id: string = existing;
    store.setState((s) => ({
      nodes: s.nodes.map((n) =>
        n.id === id ? (n.selected ? n : { ...n, selected: true }) : n.selected ? { ...n, selected: false } : n,
      ),
    }));
    const node = store.getState().nodes.find((n) => n.id === id);
    if (node) {
      const width = node.measured?.width ?? PURPOSE_SIZE.width;
      const height = node.measured?.height ?? PURPOSE_SIZE.height;
      void setCenter(node.position.x + width / 2, node.position.y + height / 2, { zoom: getZoom(), duration: 150 });
    }
  }, [doc, store, adding, centreOfView, setCenter, getZoom]);

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

  /**
   * A facilitator locks a card (or the selection) against everyone else's
   * changes, or unlocks it: unlocked when every one of them is locked.
   */
  const toggleLock = useCallback(
    (cardIds: string[]) => {
      const state = store.getState();
      if (state.access?.role !== 'facilitator') {
        showToast(store, 'Only a facilitator can lock or unlock a card.');
        return;
      }
      if (cardIds.length === 0) {
        showToast(store, 'Select a card first (Tab to it), then press Shift+L to lock it.');
        return;
      }
      const unlock = cardIds.every((id) => state.lockedCards.has(id));
      try {
        setLocked(doc, cardIds, unlock ? null : state.self.name || 'the facilitator');
        showToast(
          store,
          unlock
            ? `Unlocked ${cardIds.length === 1 ? 'the card' : `${cardIds.length} cards`}: everyone can change it again.`
            : `Locked ${cardIds.length === 1 ? 'the card' : `${cardIds.length} cards`}: only a facilitator can change it now.`,
        );
      } catch (error) {
        reportError(store, error);
      }
    },
    [doc, store],
  );

  const editSelected = useCallback(() => {
    const selected = store.getState().nodes.filter((n) => n.selected);
    if (selected.length === 1 && selected[0].type !== 'other') store.setState({ editingId: selected[0].id });
  }, [store]);

  return {
    addStepAt,
    addNoteAt,
    addDemandAt,
    addConditionAt,
    addLaneBelow,
    addOrSelectPurpose,
    deleteSelected,
    editSelected,
    toggleLock,
  };
}

/** True when a key press belongs to a text field, not to the board. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
