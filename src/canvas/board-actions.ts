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
  isLockedForMe,
  moveNodes,
  LOCAL_ORIGIN,
  type Position,
} from '../model';
import type * as Y from 'yjs';
import { showToast } from '../collab/board-store';
import { useBoard } from '../collab/board-context';
import { CONDITION_SIZE, DEMAND_SIZE, NOTE_SIZE, PURPOSE_SIZE, STEP_SIZE } from '../collab/binding';
import { reportError } from './node-actions';
import { BOTTOM_STRIP_PX, STEP_FOOTPRINT_HEIGHT, placeNew, type Box, type PlacedKind } from './free-spot';

export const DEFAULT_DEMAND_WORDS = 'What the customer says';
export const DEFAULT_CONDITION_LABEL = 'System condition';
export const DEFAULT_PURPOSE = "What the service is for, in the customer's terms";

function topLeft(centre: Position, size: { width: number; height: number }): Position {
  return { x: Math.round(centre.x - size.width / 2), y: Math.round(centre.y - size.height / 2) };
}

/**
 * A purpose card that a lane band would cover (it was placed low on a board
 * with no lanes yet) moves up above the lanes: the purpose is never read as
 * one department's work. Part of the caller's transaction.
 */
function liftPurposeAboveLanes(doc: Y.Doc): void {
  const bottom = laneTop(lanesMap(doc).size);
  nodesMap(doc).forEach((node, id) => {
    const y = node.get('y');
    const x = node.get('x');
    if (node.get('kind') !== 'purpose' || typeof y !== 'number' || typeof x !== 'number') return;
    if (y + PURPOSE_SIZE.height <= 0 || y >= bottom || isLockedForMe(doc, id)) return;
    moveNodes(doc, [{ id, position: { x, y: -PURPOSE_SIZE.height - 70 } }]);
  });
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

  /**
   * The part of the map in view, in flow coordinates, less the strip along the
   * bottom that the minimap and the zoom buttons cover.
   */
  const viewBox = useCallback((): Box => {
    const { width, height, transform } = flowStore.getState();
    const [tx, ty, zoom] = transform;
    const usable = Math.max(height - BOTTOM_STRIP_PX, height / 2);
    return { x: -tx / zoom, y: -ty / zoom, width: width / zoom, height: usable / zoom };
  }, [flowStore]);

  /** Where a new element of this kind lands: its home on the map, in view, on top of nothing (free-spot.ts). */
  const placeFor = useCallback(
    (kind: PlacedKind, size: { width: number; height: number }): Position => {
      const nodes = store.getState().nodes;
      const taken = nodes.map((node) => {
        const height = node.measured?.height ?? node.initialHeight ?? size.height;
        return {
          ...node.position,
          width: node.measured?.width ?? node.initialWidth ?? size.width,
          height: node.type === 'step' ? Math.max(height, STEP_FOOTPRINT_HEIGHT) : height,
        };
      });
      // A card grows with what it shows (a lane name, a warning): the new one is given room for the
      // largest of its kind on the board, so it does not grow into its neighbour once drawn.
      let room = kind === 'step' ? { ...size, height: Math.max(size.height, STEP_FOOTPRINT_HEIGHT) } : { ...size };
      for (const node of nodes) {
        if (node.type !== kind || !node.measured?.width || !node.measured.height) continue;
        room = {
          width: Math.max(room.width, node.measured.width),
          height: Math.max(room.height, node.measured.height),
        };
      }
      return placeNew({ kind, size: room, view: viewBox(), taken, laneCount: store.getState().lanes.length });
    },
    [store, viewBox],
  );

  /** Brings a new element into view when its place was found past the edge of the view. */
  const showPlaced = useCallback(
    (position: Position, size: { width: number; height: number }) => {
      const view = viewBox();
      const visible =
        position.x >= view.x &&
        position.y >= view.y &&
        position.x + size.width <= view.x + view.width &&
        position.y + size.height <= view.y + view.height;
      if (!visible) {
        void setCenter(position.x + size.width / 2, position.y + size.height / 2, { zoom: getZoom(), duration: 150 });
      }
    },
    [viewBox, setCenter, getZoom],
  );

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
      const position = at ? topLeft(at, STEP_SIZE) : placeFor('step', STEP_SIZE);
      const centre = { x: position.x + STEP_SIZE.width / 2, y: position.y + STEP_SIZE.height / 2 };
      const id = adding(() =>
        addStep(doc, { position, lane: laneAt(store.getState().lanes, centre.y, centre.x)?.id ?? null }),
      );
      if (id && !at) showPlaced(position, STEP_SIZE);
    },
    [doc, store, adding, placeFor, showPlaced],
  );

  const addNoteAt = useCallback(
    (at?: Position) => {
      const position = at ? topLeft(at, NOTE_SIZE) : placeFor('note', NOTE_SIZE);
      if (adding(() => addNote(doc, { position })) && !at) showPlaced(position, NOTE_SIZE);
    },
    [doc, adding, placeFor, showPlaced],
  );

  const addDemandAt = useCallback(
    (at?: Position) => {
      const position = at ? topLeft(at, DEMAND_SIZE) : placeFor('demand', DEMAND_SIZE);
      const id = adding(() =>
        addDemand(doc, {
          position,
          words: DEFAULT_DEMAND_WORDS,
          demandClass: 'value',
          count: 0,
          predictable: false,
        }),
      );
      if (id && !at) showPlaced(position, DEMAND_SIZE);
    },
    [doc, adding, placeFor, showPlaced],
  );

  const addConditionAt = useCallback(
    (at?: Position) => {
      const position = at ? topLeft(at, CONDITION_SIZE) : placeFor('condition', CONDITION_SIZE);
      const id = adding(() =>
        addCondition(doc, {
          position,
          label: DEFAULT_CONDITION_LABEL,
          conditionType: 'other',
        }),
      );
      if (id && !at) showPlaced(position, CONDITION_SIZE);
    },
    [doc, adding, placeFor, showPlaced],
  );

  /** Adds "Lane N" below the others, opens its name for editing and brings it into view. */
  const addLaneBelow = useCallback(() => {
    const id = adding(
      () =>
        // One transaction, one undo step: the lane below the others, and the purpose card moved up out of its band.
        doc.transact(() => {
          const laneId = addLane(doc, `Lane ${lanesMap(doc).size + 1}`);
          liftPurposeAboveLanes(doc);
          return laneId;
        }, LOCAL_ORIGIN),
      false,
    );
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
      const position = placeFor('purpose', PURPOSE_SIZE);
      const added = adding(() =>
        addPurpose(doc, {
          position,
          statement: DEFAULT_PURPOSE,
          whatMatters: [],
        }),
      );
      if (added) showPlaced(position, PURPOSE_SIZE);
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
  }, [doc, store, adding, placeFor, showPlaced, setCenter, getZoom]);

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
    showPlaced,
  };
}

/** True when a key press belongs to a text field, not to the board. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
