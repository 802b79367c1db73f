/**
 * The React Flow surface of a board, in controlled mode: nodes and edges come
 * from the board store (the Yjs binding); selection and sizes are applied
 * locally; moves, connections and deletions go to model operations and come
 * back through the binding like everyone else's changes.
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type MouseEvent,
  type PointerEvent,
} from 'react';
import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  SelectionMode,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type FinalConnectionState,
  type OnConnectStartParams,
  type EdgeChange,
  type NodeChange,
  type Viewport,
} from '@xyflow/react';
import {
  BoardOperationError,
  connect,
  deleteElements,
  edgeKindFor,
  flowOrder,
  laneAt,
  lockedMessage,
  moveNodes,
  nodesMap,
  updateStep,
  type NodeMove,
} from '../model';
import { useBoard, useBoardState, useBoardUndo } from '../collab/board-context';
import { mayComment, voteKindOfCard } from '../protocol';
import { canEditNow, locksStopMe, showToast, type BoardFlowEdge, type BoardFlowNode } from '../collab/board-store';
import { STEP_SIZE } from '../collab/binding';
import { BOARD_EDGE_TYPES, BOARD_NODE_TYPES } from './element-types';
import { LaneBands, LaneHeaders } from './lanes/LaneLayer';
import { isTyping, useBoardActions } from './board-actions';
import { useBoardKeys } from './board-keys';
import { focusCanvas, focusCard } from './focus';
import { ConnectDialog } from './ConnectDialog';
import { CardMenu, type CardMenuAt } from './CardMenu';
import './keyboard.css';
import { reportError } from './node-actions';
import { Cursors } from './Cursors';
import { FollowBanner } from './FollowBanner';
import { alignView } from '../collab/presence';
import { followsPresenter } from '../collab/presenter';

const EDGE_OUT_OF_TAB = new WeakMap<BoardFlowEdge, BoardFlowEdge>();
/** The same edge with tabIndex -1; one copy per edge object, so unchanged edges keep their identity. */
function unTabbable(edge: BoardFlowEdge): BoardFlowEdge {
  let copy = EDGE_OUT_OF_TAB.get(edge);
  if (!copy) {
    copy = { ...edge, domAttributes: { ...edge.domAttributes, tabIndex: -1 } };
    EDGE_OUT_OF_TAB.set(edge, copy);
  }
  return copy;
}

const PAN_BUTTONS = [1, 2]; // middle and right mouse button pan; left drag draws a selection box
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const PRO_OPTIONS = { hideAttribution: true };
/** What a screen reader says a card and an arrow can do: this board's keys, not React Flow's defaults. */
const CARD_KEYS =
  'Enter renames it, K connects it to another card, arrow keys move it, E goes through its arrows, Delete removes it, question mark lists every key.';
const ARIA_LABELS = {
  'node.a11yDescription.default': CARD_KEYS,
  'node.a11yDescription.keyboardDisabled': CARD_KEYS,
  'edge.a11yDescription.default':
    'Delete removes this arrow, E goes to the next arrow of the card, Escape goes back to the card.',
};

/**
 * The minimap sits in the bottom-left corner, this size; fitting the board
 * leaves a strip that high free along the bottom, so after fit view the
 * minimap covers no card (the controls share that strip on the right). The
 * analysis panel is a column beside the canvas, so fitting into the canvas
 * already leaves the open panel's width free.
 */
const MINIMAP_SIZE = { width: 180, height: 120 };
const MINIMAP_MARGIN = 15;
const FIT_VIEW_OPTIONS = {
  padding: { top: '5%', left: '4%', right: '4%', bottom: `${MINIMAP_SIZE.height + MINIMAP_MARGIN + 12}px` },
  maxZoom: 1,
  minZoom: 0.25,
} as const;
const MINIMAP_STYLE = { ...MINIMAP_SIZE };

function miniMapColour(node: BoardFlowNode): string {
  switch (node.type) {
    case 'note':
      return `var(--note-${node.data.colour})`;
    case 'demand':
      return node.data.demandClass === 'failure' ? 'var(--failure)' : 'var(--entry)';
    case 'purpose':
      return 'var(--text)';
    case 'condition':
      return 'var(--causes)';
    case 'step':
      return node.data.stepClass === 'waste'
        ? 'var(--waste)'
        : node.data.stepClass === 'value'
          ? 'var(--value)'
          : 'var(--step-border)';
    default:
      return 'var(--step-accent)';
  }
}

export function BoardCanvas() {
  const { doc, store, sendVote } = useBoard();
  const undo = useBoardUndo();
  const nodes = useBoardState((s) => s.nodes);
  const edges = useBoardState((s) => s.edges);
  const lanes = useBoardState((s) => s.lanes);
  const loaded = useBoardState((s) => s.loaded);
  const empty = useBoardState((s) => s.nodes.length === 0);
  const canEdit = useBoardState(canEditNow);
  const presence = useBoardState((s) => s.presence);
  const { fitView, screenToFlowPosition, setViewport, getViewport } = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const { addStepAt, toggleLock } = useBoardActions();
  const lockedCards = useBoardState((s) => s.lockedCards);
  const stoppedByLocks = useBoardState(locksStopMe);

  const onNodesChange = useCallback(
    (changes: NodeChange<BoardFlowNode>[]) => {
      // Additions and removals only ever come from the document.
      const local = changes.filter((c) => c.type === 'position' || c.type === 'select' || c.type === 'dimensions');
      if (local.length === 0) return;
      store.setState((s) => ({ nodes: applyNodeChanges(local, s.nodes) }));
      const moves: NodeMove[] = [];
      for (const change of local) {
        if (change.type === 'position' && change.position) moves.push({ id: change.id, position: change.position });
      }
      if (moves.length > 0) {
        try {
          moveNodes(doc, moves);
        } catch (error) {
          reportError(store, error);
        }
      }
    },
    [doc, store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<BoardFlowEdge>[]) => {
      const local = changes.filter((c) => c.type === 'select');
      if (local.length > 0) store.setState((s) => ({ edges: applyEdgeChanges(local, s.edges) }));
    },
    [store],
  );

  /** Links two cards with the edge their kinds call for, whichever end the drag started from. */
  const connectCards = useCallback(
    (from: string, to: string) => {
      try {
        const nodes = nodesMap(doc);
        const sourceKind = String(nodes.get(from)?.get('kind'));
        const targetKind = String(nodes.get(to)?.get('kind'));
        const chosen = edgeKindFor(sourceKind, targetKind);
        if (!chosen) throw new BoardOperationError(`A ${sourceKind} cannot be connected to a ${targetKind}`);
        if (chosen.reversed) connect(doc, to, from, chosen.kind);
        else connect(doc, from, to, chosen.kind);
      } catch (error) {
        reportError(store, error);
      }
    },
    [doc, store],
  );
  const onConnect = useCallback(
    (connection: Connection) => connectCards(connection.source, connection.target),
    [connectCards],
  );

  // While a connection is dragged the canvas knows where it comes from, so the stylesheet can
  // highlight the card under the pointer when it is one the connection can end on.
  const onConnectStart = useCallback(
    (_event: unknown, params: OnConnectStartParams) => {
      const kind = params.nodeId ? store.getState().nodes.find((n) => n.id === params.nodeId)?.type : undefined;
      if (kind) canvasRef.current?.setAttribute('data-connect-from', kind);
    },
    [store],
  );
  // A connection dropped anywhere on a card connects to it, not only on its 12 px dot.
  const onConnectEnd = useCallback(
    (event: globalThis.MouseEvent | TouchEvent, state: FinalConnectionState) => {
      canvasRef.current?.removeAttribute('data-connect-from');
      if (state.isValid || !state.fromNode) return;
      const point = 'changedTouches' in event ? event.changedTouches[0] : event;
      if (!point) return;
      const card = document
        .elementsFromPoint(point.clientX, point.clientY)
        .map((element) => element.closest('.react-flow__node'))
        .find((element) => element !== null && element.getAttribute('data-id') !== state.fromNode!.id);
      const to = card?.getAttribute('data-id');
      if (to) connectCards(state.fromNode.id, to);
    },
    [connectCards],
  );

  // Tab goes through the cards in flow order (lane by lane, left to right): React Flow draws, and so
  // tabs through, the cards in the order of this list.
  const cardsInFlowOrder = useMemo(() => {
    const order = flowOrder(
      nodes.map((n) => ({
        id: n.id,
        kind: n.type,
        position: n.position,
        lane: n.type === 'step' ? n.data.lane : null,
      })),
      lanes,
    );
    const byId = new Map(nodes.map((n) => [n.id, n]));
    // A card locked for this person does not drag (its menu and the model refuse the rest, with the words).
    return order.map((id) => {
      const node = byId.get(id)!;
      return stoppedByLocks && lockedCards.has(id) ? { ...node, draggable: false } : node;
    });
  }, [nodes, lanes, lockedCards, stoppedByLocks]);
  // Edges are not in the Tab sequence (E reaches them from their cards) but can take the focus.
  const unTabbableEdges = useMemo(() => edges.map(unTabbable), [edges]);

  // A whole drag (a move per frame, then the lane on drop) is one undo step.
  const onDragStart = useCallback(() => {
    if (!undo) return;
    undo.beginDrag();
    // A drag React Flow aborts (its node deleted meanwhile) reports no stop: end it once the pointer is up.
    window.addEventListener('pointerup', () => setTimeout(() => undo.endDrag()), { once: true, capture: true });
  }, [undo]);
  const onSelectionDragStop = useCallback(() => undo?.endDrag(), [undo]);

  // A step dropped in a lane's band joins that lane; above, below or left of all lanes it is in none.
  const onNodeDragStop = useCallback(
    (_event: unknown, _node: BoardFlowNode, dragged: BoardFlowNode[]) => {
      const lanes = store.getState().lanes;
      try {
        for (const node of dragged) {
          if (node.type !== 'step') continue;
          const height = node.measured?.height ?? STEP_SIZE.height;
          const width = node.measured?.width ?? STEP_SIZE.width;
          const lane = laneAt(lanes, node.position.y + height / 2, node.position.x + width / 2)?.id ?? null;
          if (lane === node.data.lane) continue;
          try {
            updateStep(doc, node.id, { lane });
          } catch (error) {
            reportError(store, error);
          }
        }
      } finally {
        // After the lane change, so it belongs to the drag's undo step.
        undo?.endDrag();
      }
    },
    [doc, store, undo],
  );

  const onNodeDoubleClick = useCallback(
    (_event: MouseEvent, node: BoardFlowNode) => {
      if (node.type !== 'other' && canEditNow(store.getState())) store.setState({ editingId: node.id });
    },
    [store],
  );

  // Double-click on empty canvas adds a step there.
  const onDoubleClick = useCallback(
    (event: MouseEvent) => {
      const target = event.target as HTMLElement;
      if (!target.classList.contains('react-flow__pane') || !canEditNow(store.getState())) return;
      addStepAt(screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [addStepAt, screenToFlowPosition, store],
  );

  // Fit the board into view once, when it has loaded. A workshop map (purpose,
  // demand column, ten to thirty steps, conditions) fits whole down to 25%, so
  // the room first sees the whole shape; only a very large board is cut.
  const fitted = useRef(false);
  useEffect(() => {
    if (!loaded || fitted.current) return;
    fitted.current = true;
    // Presenter mode frames the section instead (app/presenter/use-frame.ts).
    const state = store.getState();
    if (state.presentingHere !== null || followsPresenter(state)) return;
    if (state.nodes.length > 0) {
      requestAnimationFrame(() => void fitView(FIT_VIEW_OPTIONS));
    }
  }, [loaded, fitView, store]);

  // The board's keys (board-keys.ts); K opens Connect… for the card in hand.
  const [connectFrom, setConnectFrom] = useState<string | null>(null);
  // The card's menu (right-click, or the Menu key / Shift+F10 on the focused card).
  const [cardMenu, setCardMenu] = useState<CardMenuAt | null>(null);
  const openCardMenu = useCallback(
    (cardId: string, at?: { x: number; y: number }) => {
      const node = store.getState().nodes.find((n) => n.id === cardId);
      if (!node) return;
      const state = store.getState();
      const locked = state.lockedCards.has(cardId);
      // A card locked for this person keeps the menu's room commands (dots, comments), not its edits.
      const editable = canEditNow(state) && !(locked && locksStopMe(state));
      const lockable = state.access?.role === 'facilitator';
      const data = node.data as { stepClass?: unknown; demandClass?: unknown };
      const votable =
        state.vote?.status === 'open' &&
        voteKindOfCard(node.type, data.stepClass, data.demandClass) === state.vote.kind;
      const commentable = mayComment(state.access?.role ?? 'editor', state.viewersMayComment);
      if (!editable && !votable && !commentable) {
        if (locked) showToast(store, lockedMessage(nodesMap(doc).get(cardId)!));
        return;
      }
      const box = document.querySelector(`.react-flow__node[data-id="${CSS.escape(cardId)}"]`)?.getBoundingClientRect();
      setCardMenu({
        cardId,
        x: at?.x ?? box?.left ?? 0,
        y: at?.y ?? box?.bottom ?? 0,
        linkable: editable && (node.type === 'step' || node.type === 'demand' || node.type === 'condition'),
        renamable: editable && node.type !== 'other',
        deletable: editable,
        votable,
        dotsHere: votable ? (state.vote?.mine[cardId] ?? 0) : 0,
        commentable,
        lockable,
        locked,
      });
    },
    [doc, store],
  );
  const closeCardMenu = useCallback(
    (refocus: boolean) => {
      const card = cardMenu?.cardId;
      setCardMenu(null);
      if (refocus && card) requestAnimationFrame(() => (focusCard(card) ? undefined : focusCanvas()));
    },
    [cardMenu],
  );
  // While a vote is open, a click on a card of its kind places one of this person's dots (the server checks the budget).
  const onNodeClick = useCallback(
    (_event: MouseEvent, node: BoardFlowNode) => {
      const vote = store.getState().vote;
      // After the reveal too: the server answers that the vote has closed, so the click is not silently lost.
      if (!vote || !sendVote) return;
      const data = node.data as { stepClass?: unknown; demandClass?: unknown };
      if (voteKindOfCard(node.type, data.stepClass, data.demandClass) === vote.kind)
        sendVote({ action: 'dot', cardId: node.id });
    },
    [store, sendVote],
  );
  const onNodeContextMenu = useCallback(
    (event: MouseEvent, node: BoardFlowNode) => {
      event.preventDefault();
      openCardMenu(node.id, { x: event.clientX, y: event.clientY });
    },
    [openCardMenu],
  );
  useBoardKeys({ openConnect: setConnectFrom, openMenu: openCardMenu });
  const closeConnect = useCallback(() => {
    const from = connectFrom;
    setConnectFrom(null);
    requestAnimationFrame(() => (from && focusCard(from) ? undefined : focusCanvas()));
  }, [connectFrom]);

  // A card reached with Tab is selected, so the inspector shows it and the arrows, Delete and Enter act on it.
  // A click selects by itself (Shift-click adds), and the focus coming back to a card just named leaves
  // the selection (and the panel) as it was: only Tab selects here.
  const tabbing = useRef(false);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      tabbing.current = event.key === 'Tab';
    };
    const onPointer = () => {
      tabbing.current = false;
    };
    window.addEventListener('keydown', onKey, true);
    window.addEventListener('pointerdown', onPointer, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      window.removeEventListener('pointerdown', onPointer, true);
    };
  }, []);
  const onFocusIn = useCallback(
    (event: FocusEvent) => {
      const target = event.target;
      if (!(target instanceof HTMLElement) || !target.classList.contains('react-flow__node')) return;
      if (!tabbing.current) return;
      const id = target.getAttribute('data-id');
      const state = store.getState();
      if (!id || state.nodes.find((n) => n.id === id)?.selected) return;
      store.setState((s) => ({
        nodes: s.nodes.map((n) =>
          n.id === id ? { ...n, selected: true } : n.selected ? { ...n, selected: false } : n,
        ),
        edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
      }));
    },
    [store],
  );

  // Undo and redo of this person's own changes; a text field keeps its own native undo.
  useEffect(() => {
    if (!undo) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || isTyping(event.target)) return;
      const state = store.getState();
      if (state.editingId !== null || state.editingLaneId !== null) return;
      const letter = event.key.toLowerCase();
      if (letter === 'z' && !event.shiftKey) undo.undo();
      else if ((letter === 'z' && event.shiftKey) || (letter === 'y' && !event.shiftKey)) undo.redo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, undo]);

  // Presence: this person's pointer in board coordinates and their view, for the others.
  const onPointerMove = useCallback(
    (event: PointerEvent) => {
      if (event.pointerType === 'touch') return;
      presence?.setCursor(screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [presence, screenToFlowPosition],
  );
  const onPointerLeave = useCallback(() => presence?.setCursor(null), [presence]);
  const publishView = useCallback(
    (viewport: Viewport) => {
      const canvas = canvasRef.current;
      if (presence && canvas) presence.setView({ ...viewport, width: canvas.clientWidth, height: canvas.clientHeight });
    },
    [presence],
  );
  const onMove = useCallback(
    (_event: unknown, viewport: Viewport) => {
      // The dots grow at low zoom (styles.css), so they stay big enough to grab on screen.
      canvasRef.current?.style.setProperty('--zoom', String(viewport.zoom));
      publishView(viewport);
    },
    [publishView],
  );
  // A pan or zoom of this person's own (a user event; following and summons move the view without one) stops following.
  // It breaks away from the presenter the same way ("Back to presenter" brings the view back).
  const onMoveStart = useCallback(
    (event: unknown) => {
      if (!event) return;
      const state = store.getState();
      if (state.following) presence?.follow(null);
      if (followsPresenter(state)) store.setState({ presenterAway: true });
    },
    [presence, store],
  );
  // Panning or zooming in the minimap moves the view without a pan event of the canvas: it stops following too.
  const onMiniMapGesture = useCallback(
    (event: { target: EventTarget | null }) => {
      const inMiniMap = event.target instanceof Element && event.target.closest('.react-flow__minimap') !== null;
      if (!inMiniMap) return;
      const state = store.getState();
      if (state.following) presence?.follow(null);
      if (followsPresenter(state)) store.setState({ presenterAway: true });
    },
    [presence, store],
  );
  // The followed person's view, or a summon, applied to this canvas (same centre and zoom).
  useEffect(() => {
    if (!presence) return;
    publishView(getViewport());
    return presence.onView((view) => {
      const canvas = canvasRef.current;
      if (canvas) void setViewport(alignView(view, canvas.clientWidth, canvas.clientHeight));
    });
  }, [presence, publishView, getViewport, setViewport]);

  return (
    <div
      className="board-canvas"
      ref={canvasRef}
      tabIndex={-1}
      aria-label="The board"
      onFocus={onFocusIn}
      onDoubleClick={onDoubleClick}
      onPointerMove={onPointerMove}
      onPointerLeave={onPointerLeave}
      onPointerDownCapture={onMiniMapGesture}
      onWheelCapture={onMiniMapGesture}
    >
      <FollowBanner />
      {connectFrom !== null && <ConnectDialog fromId={connectFrom} onClose={closeConnect} />}
      {cardMenu !== null && (
        <CardMenu
          at={cardMenu}
          onConnect={() => setConnectFrom(cardMenu.cardId)}
          onRename={() => store.setState({ editingId: cardMenu.cardId })}
          onDelete={() => {
            try {
              deleteElements(doc, { nodeIds: [cardMenu.cardId] });
            } catch (error) {
              reportError(store, error);
            }
            requestAnimationFrame(focusCanvas);
          }}
          onDot={(action) => sendVote?.({ action, cardId: cardMenu.cardId })}
          onComments={() => store.setState({ commentsCardId: cardMenu.cardId })}
          onLock={() => toggleLock([cardMenu.cardId])}
          onClose={closeCardMenu}
        />
      )}
      <ReactFlow<BoardFlowNode, BoardFlowEdge>
        nodes={cardsInFlowOrder}
        edges={unTabbableEdges}
        nodeTypes={BOARD_NODE_TYPES}
        edgeTypes={BOARD_EDGE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectStart={onConnectStart}
        onConnectEnd={onConnectEnd}
        onNodeDragStart={onDragStart}
        onNodeDragStop={onNodeDragStop}
        onSelectionDragStart={onDragStart}
        onSelectionDragStop={onSelectionDragStop}
        onNodeDoubleClick={onNodeDoubleClick}
        onNodeContextMenu={onNodeContextMenu}
        onNodeClick={onNodeClick}
        nodesDraggable={canEdit}
        nodesConnectable={canEdit}
        onPaneContextMenu={(event) => event.preventDefault()}
        onMove={onMove}
        onMoveStart={onMoveStart}
        onlyRenderVisibleElements
        connectionMode={ConnectionMode.Loose}
        connectionRadius={30}
        deleteKeyCode={null}
        selectionKeyCode={null}
        selectionOnDrag
        selectionMode={SelectionMode.Partial}
        panOnDrag={PAN_BUTTONS}
        panActivationKeyCode="Space"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        zoomOnDoubleClick={false}
        minZoom={0.1}
        maxZoom={2.5}
        colorMode="system"
        proOptions={PRO_OPTIONS}
        ariaLabelConfig={ARIA_LABELS}
      >
        <Background variant={BackgroundVariant.Dots} gap={24} size={1.5} />
        <LaneBands />
        <LaneHeaders />
        <Cursors />
        <Controls showInteractive={false} position="bottom-right" fitViewOptions={FIT_VIEW_OPTIONS} />
        {!empty && (
          <MiniMap
            position="bottom-left"
            style={MINIMAP_STYLE}
            pannable
            zoomable
            nodeColor={miniMapColour}
            nodeStrokeWidth={0}
            ariaLabel="Overview of the board"
          />
        )}
        <Panel position="bottom-center" className="canvas-hint">
          {canEdit
            ? 'Drag: select · Shift-click: add · K: connect · arrows: move · Del: delete · ?: all keys'
            : 'View only · Space+drag or right-drag: pan · scroll: zoom · ?: all keys'}
        </Panel>
        {!loaded && (
          <Panel position="top-center" className="empty-board-hint" data-testid="board-loading">
            Loading the board…
          </Panel>
        )}
        {loaded && empty && !canEdit && (
          <Panel position="top-center" className="empty-board-hint" data-testid="empty-board-hint">
            <strong>An empty board.</strong> Nothing has been mapped yet; what others add appears here as they add it.
          </Panel>
        )}
        {loaded && empty && canEdit && (
          <Panel position="top-center" className="empty-board-hint" data-testid="empty-board-hint">
            <strong>An empty board.</strong> Map it in the method’s order: the customer’s purpose (<kbd>P</kbd>), what
            they ask for (<kbd>D</kbd>, or the Demand table), then the steps a case really goes through (<kbd>S</kbd> or
            double-click) in a lane per department (<kbd>L</kbd>); drag from a step’s right edge to the next to connect
            them. Ready-made examples are on the board list.
          </Panel>
        )}
      </ReactFlow>
    </div>
  );
}
