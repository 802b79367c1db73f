/**
 * The React Flow surface of a board, in controlled mode: nodes and edges come
 * from the board store (the Yjs binding); selection and sizes are applied
 * locally; moves, connections and deletions go to model operations and come
 * back through the binding like everyone else's changes.
 */
import { useCallback, useEffect, useRef, type MouseEvent } from 'react';
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
  type EdgeChange,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { connect, moveNodes, type NodeMove } from '../model';
import { useBoard, useBoardState } from '../collab/board-context';
import type { BoardFlowEdge, BoardFlowNode } from '../collab/board-store';
import { StepNode } from './nodes/StepNode';
import { NoteNode } from './nodes/NoteNode';
import { OtherNode } from './nodes/OtherNode';
import { isTyping, useBoardActions } from './board-actions';
import { reportError } from './node-actions';

const nodeTypes: NodeTypes = { step: StepNode, note: NoteNode, other: OtherNode };

const PAN_BUTTONS = [1, 2]; // middle and right mouse button pan; left drag draws a selection box
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const PRO_OPTIONS = { hideAttribution: true };

function miniMapColour(node: BoardFlowNode): string {
  return node.type === 'note' ? `var(--note-${node.data.colour})` : 'var(--step-accent)';
}

export function BoardCanvas() {
  const { doc, store } = useBoard();
  const nodes = useBoardState((s) => s.nodes);
  const edges = useBoardState((s) => s.edges);
  const loaded = useBoardState((s) => s.loaded);
  const empty = useBoardState((s) => s.nodes.length === 0);
  const { fitView, screenToFlowPosition } = useReactFlow();
  const { addStepAt, addNoteAt, deleteSelected, editSelected } = useBoardActions();

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

  const onConnect = useCallback(
    (connection: Connection) => {
      try {
        connect(doc, connection.source, connection.target, 'flow');
      } catch (error) {
        reportError(store, error);
      }
    },
    [doc, store],
  );

  const onNodeDoubleClick = useCallback(
    (_event: MouseEvent, node: BoardFlowNode) => {
      if (node.type !== 'other') store.setState({ editingId: node.id });
    },
    [store],
  );

  // Double-click on empty canvas adds a step there.
  const onDoubleClick = useCallback(
    (event: MouseEvent) => {
      const target = event.target as HTMLElement;
      if (!target.classList.contains('react-flow__pane')) return;
      addStepAt(screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [addStepAt, screenToFlowPosition],
  );

  // Fit the board into view once, when it has loaded.
  const fitted = useRef(false);
  useEffect(() => {
    if (!loaded || fitted.current) return;
    fitted.current = true;
    if (store.getState().nodes.length > 0) {
      requestAnimationFrame(() => void fitView({ padding: 0.15, maxZoom: 1, minZoom: 0.4 }));
    }
  }, [loaded, fitView, store]);

  // Board shortcuts; a text field keeps its keys.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (store.getState().editingId !== null) return;
      const key = event.key;
      if (key === 's' || key === 'S') addStepAt();
      else if (key === 'n' || key === 'N') addNoteAt();
      else if (key === 'Delete' || key === 'Backspace') deleteSelected();
      else if (key === 'Enter') editSelected();
      else if (key === 'Escape') {
        store.setState((s) => ({
          nodes: s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
          edges: s.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        }));
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, addStepAt, addNoteAt, deleteSelected, editSelected]);

  return (
    <div className="board-canvas" onDoubleClick={onDoubleClick}>
      <ReactFlow<BoardFlowNode, BoardFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onNodeDoubleClick={onNodeDoubleClick}
        onPaneContextMenu={(event) => event.preventDefault()}
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
      >
        <Background variant={BackgroundVariant.Dots} gap={24} size={1.5} />
        <Controls showInteractive={false} position="bottom-right" />
        {!empty && (
          <MiniMap
            position="top-right"
            pannable
            zoomable
            nodeColor={miniMapColour}
            nodeStrokeWidth={0}
            ariaLabel="Overview of the board"
          />
        )}
        <Panel position="bottom-center" className="canvas-hint">
          Drag: select · Shift-click: add to selection · Space+drag or right-drag: pan · Del: delete
        </Panel>
        {!loaded && (
          <Panel position="top-center" className="empty-board-hint" data-testid="board-loading">
            Loading the board…
          </Panel>
        )}
        {loaded && empty && (
          <Panel position="top-center" className="empty-board-hint" data-testid="empty-board-hint">
            <strong>An empty board.</strong> Start with the steps a case really goes through: press <kbd>S</kbd> or
            double-click the canvas to add one, then drag from a step’s right edge to the next to connect them.
          </Panel>
        )}
      </ReactFlow>
    </div>
  );
}
