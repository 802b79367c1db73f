/**
 * The board's keys (listed for people in shortcuts.ts): adding elements,
 * renaming, deleting, undo, moving cards with the arrow keys, Connect… (K),
 * going through a card's edges (E), the inspector (I) and Escape back to the
 * canvas. A text field keeps its own keys.
 */
import { useEffect, useRef } from 'react';
import { useReactFlow } from '@xyflow/react';
import { flowOrder, laneAt, moveNodes, updateStep, type NodeMove } from '../model';
import { useBoard, useBoardUndo } from '../collab/board-context';
import { canEditNow, showToast, type BoardFlowNode, type BoardState } from '../collab/board-store';
import { STEP_SIZE } from '../collab/binding';
import { isTyping, useBoardActions } from './board-actions';
import { reportError } from './node-actions';
import { focusCanvas, focusCard, focusEdge, focusedCardId, focusedEdgeId } from './focus';

/** An arrow key moves the selected cards this far (board units); with Shift, a bigger step. */
export const ARROW_STEP = 10;
export const ARROW_BIG_STEP = 50;

const ARROWS: Record<string, { x: number; y: number }> = {
  ArrowLeft: { x: -1, y: 0 },
  ArrowRight: { x: 1, y: 0 },
  ArrowUp: { x: 0, y: -1 },
  ArrowDown: { x: 0, y: 1 },
};

/** The card a key is about: the focused one, else the one selected card. */
function cardInHand(state: BoardState): BoardFlowNode | null {
  const focused = focusedCardId();
  if (focused) return state.nodes.find((n) => n.id === focused) ?? null;
  const selected = state.nodes.filter((n) => n.selected);
  return selected.length === 1 ? selected[0] : null;
}

/** Selects exactly these ids (nodes and edges), nothing else. */
function selectOnly(state: BoardState, ids: ReadonlySet<string>): Partial<BoardState> {
  return {
    nodes: state.nodes.map((n) => (ids.has(n.id) === !!n.selected ? n : { ...n, selected: ids.has(n.id) })),
    edges: state.edges.map((e) => (ids.has(e.id) === !!e.selected ? e : { ...e, selected: ids.has(e.id) })),
  };
}

/** Keys pressed where the board should hear them: the canvas, the page itself, the palette or the panel. */
function onBoard(target: EventTarget | null): boolean {
  if (!(target instanceof Element) || target === document.body) return true;
  if (target.closest('[role="dialog"], [role="alertdialog"], [role="menu"]')) return false;
  return target.closest('.board-canvas, .palette, .right-panel') !== null;
}

/** A button, link or tab keeps Enter and Space: they press it. */
function pressable(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('button, a[href], [role="button"], [role="tab"]') !== null;
}

export function useBoardKeys({
  openConnect,
  openMenu,
}: {
  openConnect: (fromId: string) => void;
  /** The card's menu (Connect…, Rename, Delete), under the card. */
  openMenu: (cardId: string) => void;
}): void {
  const { doc, store } = useBoard();
  const undo = useBoardUndo();
  const {
    addStepAt,
    addNoteAt,
    addDemandAt,
    addConditionAt,
    addLaneBelow,
    addOrSelectPurpose,
    deleteSelected,
    editSelected,
    toggleLock,
  } = useBoardActions();
  const { setCenter, getZoom } = useReactFlow();
  /** The card whose edges E is going through (the focus is on one of its edges meanwhile). */
  const edgesOf = useRef<string | null>(null);

  useEffect(() => {
    /** Puts the focus back on the canvas: on the card in hand when there is one. */
    const backToCanvas = () => {
      const card = edgesOf.current ?? cardInHand(store.getState())?.id ?? null;
      if (card && focusCard(card)) return;
      focusCanvas();
    };

    /** One press of an arrow key: the selected cards move, steps join the lane they land in; one undo step. */
    const moveSelected = (dx: number, dy: number): boolean => {
      const state = store.getState();
      // The selected cards; a focused card that is not selected (just named, say) moves alone.
      const focused = focusedCardId();
      const inFocus = focused ? state.nodes.find((n) => n.id === focused) : undefined;
      const selected = inFocus && !inFocus.selected ? [inFocus] : state.nodes.filter((n) => n.selected);
      if (selected.length === 0) return false;
      const moves: NodeMove[] = selected.map((n) => ({
        id: n.id,
        position: { x: n.position.x + dx, y: n.position.y + dy },
      }));
      undo?.beginDrag();
      try {
        moveNodes(doc, moves);
        for (const node of selected) {
          if (node.type !== 'step') continue;
          const width = node.measured?.width ?? STEP_SIZE.width;
          const height = node.measured?.height ?? STEP_SIZE.height;
          // As at the end of a drag: the step is in the lane of the band its centre is in.
          const lane =
            laneAt(state.lanes, node.position.y + dy + height / 2, node.position.x + dx + width / 2)?.id ?? null;
          if (lane !== node.data.lane) updateStep(doc, node.id, { lane });
        }
      } catch (error) {
        reportError(store, error);
      } finally {
        undo?.endDrag();
      }
      return true;
    };

    /** E: the next edge of the card in hand is selected and focused (Delete then removes it). */
    const nextEdge = () => {
      const state = store.getState();
      const from = focusedEdgeId() && edgesOf.current ? edgesOf.current : (cardInHand(state)?.id ?? null);
      if (!from) return;
      const order = flowOrder(
        state.nodes.map((n) => ({
          id: n.id,
          kind: n.type ?? 'other',
          position: n.position,
          lane: n.type === 'step' ? n.data.lane : null,
        })),
        state.lanes,
      );
      const rank = new Map(order.map((id, index) => [id, index]));
      const other = (e: { source: string; target: string }) => (e.source === from ? e.target : e.source);
      const edges = state.edges
        .filter((e) => e.source === from || e.target === from)
        .sort((a, b) => (rank.get(other(a)) ?? 0) - (rank.get(other(b)) ?? 0) || a.id.localeCompare(b.id));
      if (edges.length === 0) {
        showToast(store, 'This card has no arrows yet. Press K to connect it.');
        return;
      }
      const now = edges.findIndex((e) => e.id === focusedEdgeId());
      const next = edges[(now + 1) % edges.length];
      edgesOf.current = from;
      store.setState((s) => selectOnly(s, new Set([next.id])));
      requestAnimationFrame(() => focusEdge(next.id));
    };

    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const key = event.key;
      const state = store.getState();
      // Escape from the panel or the palette (a field with nothing to cancel) comes back to the canvas.
      if (key === 'Escape' && event.target instanceof Element && event.target.closest('.right-panel, .palette')) {
        backToCanvas();
        event.preventDefault();
        return;
      }
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (key === 'ContextMenu' || (key === 'F10' && event.shiftKey)) {
        const card = focusedCardId();
        if (card && onBoard(event.target)) {
          event.preventDefault();
          openMenu(card);
        }
        return;
      }
      if (state.editingId !== null || state.editingLaneId !== null || !onBoard(event.target)) return;
      const letter = key.length === 1 ? key.toLowerCase() : '';
      const canEdit = canEditNow(state);
      if (key === 'Escape') {
        const onEdge = focusedEdgeId() !== null;
        store.setState((s) => selectOnly(s, new Set()));
        if (onEdge || !focusedCardId()) backToCanvas();
        edgesOf.current = null;
      } else if (letter === 'e') nextEdge();
      else if (letter === 'i') {
        // The inspector shows the card in hand, selected if it was only focused.
        const card = cardInHand(state);
        if (card && !card.selected) store.setState((s) => selectOnly(s, new Set([card.id])));
        store.setState({ panel: 'inspector', panelOpen: true });
        requestAnimationFrame(() =>
          document
            .querySelector<HTMLElement>('[data-testid="inspector"] :is(input, select, textarea, button):not(:disabled)')
            ?.focus(),
        );
      } else if (!canEdit) return;
      // View only: the keys below change the board.
      else if (letter === 'l' && event.shiftKey) {
        // Shift+L: a facilitator locks or unlocks the card in hand (or the selection).
        const focused = focusedCardId();
        const selected = state.nodes.filter((n) => n.selected).map((n) => n.id);
        toggleLock(focused && !selected.includes(focused) ? [focused] : selected);
      } else if (letter === 's') addStepAt();
      else if (letter === 'n') addNoteAt();
      else if (letter === 'd') addDemandAt();
      else if (letter === 'c') addConditionAt();
      else if (letter === 'l') addLaneBelow();
      else if (letter === 'p') addOrSelectPurpose();
      else if (letter === 'k') {
        const card = cardInHand(state);
        if (!card) showToast(store, 'Select a card first (Tab to it), then press K to connect it.');
        else if (card.type === 'note' || card.type === 'purpose' || card.type === 'other')
          showToast(store, `A ${card.type === 'note' ? 'note' : 'purpose'} is not linked to other cards.`);
        else openConnect(card.id);
      } else if (key === 'Delete' || key === 'Backspace') {
        const back = edgesOf.current && focusedEdgeId() ? edgesOf.current : null;
        // A focused card that is not selected (just named, say) is the one deleted, not the selection elsewhere.
        const focused = focusedCardId();
        if (focused && !state.nodes.find((n) => n.id === focused)?.selected) {
          store.setState((s) => selectOnly(s, new Set([focused])));
        }
        deleteSelected();
        edgesOf.current = null;
        if (back) requestAnimationFrame(() => (focusCard(back) ? undefined : focusCanvas()));
        else requestAnimationFrame(() => document.activeElement === document.body && focusCanvas());
      } else if (key === 'Enter' && !pressable(event.target)) {
        const card = cardInHand(state);
        // Enter on a focused card renames that card, selected or not.
        if (card && focusedCardId() === card.id && card.type !== 'other') {
          store.setState((s) => ({ ...selectOnly(s, new Set([card.id])), editingId: card.id }));
        } else editSelected();
      } else return;
      event.preventDefault();
    };

    // Arrow keys (and Escape on a card) are taken before React Flow's own (5 px, one document write per card, lanes left as they were).
    const onArrow = (event: KeyboardEvent) => {
      // Escape on a card clears the selection; React Flow's own handler would select the card instead.
      if (event.key === 'Escape' && event.target instanceof Element && event.target.closest('.react-flow__node')) {
        if (isTyping(event.target) || store.getState().editingId !== null) return;
        store.setState((s) => selectOnly(s, new Set()));
        edgesOf.current = null;
        event.preventDefault();
        event.stopPropagation();
        return;
      }
      const direction = ARROWS[event.key];
      if (!direction || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const state = store.getState();
      if (state.editingId !== null || state.editingLaneId !== null || !canEditNow(state)) return;
      if (
        !(event.target instanceof Element) ||
        (event.target !== document.body && !event.target.closest('.board-canvas'))
      )
        return;
      if (event.target.closest('.react-flow__minimap, .react-flow__controls, .lane-header')) return;
      const size = event.shiftKey ? ARROW_BIG_STEP : ARROW_STEP;
      if (!moveSelected(direction.x * size, direction.y * size)) return;
      event.preventDefault();
      event.stopPropagation();
      // Keep a card moved past the edge of the view in sight.
      const card = cardInHand(store.getState());
      const element = card && document.querySelector(`.react-flow__node[data-id="${CSS.escape(card.id)}"]`);
      const canvas = document.querySelector('.board-canvas')?.getBoundingClientRect();
      const box = element?.getBoundingClientRect();
      if (
        card &&
        canvas &&
        box &&
        (box.right > canvas.right || box.left < canvas.left || box.top < canvas.top || box.bottom > canvas.bottom)
      ) {
        void setCenter(card.position.x + box.width / getZoom() / 2, card.position.y + box.height / getZoom() / 2, {
          zoom: getZoom(),
        });
      }
    };

    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keydown', onArrow, true);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keydown', onArrow, true);
    };
  }, [
    doc,
    store,
    undo,
    addStepAt,
    addNoteAt,
    addDemandAt,
    addConditionAt,
    addLaneBelow,
    addOrSelectPurpose,
    deleteSelected,
    editSelected,
    toggleLock,
    openConnect,
    openMenu,
    setCenter,
    getZoom,
  ]);
}
