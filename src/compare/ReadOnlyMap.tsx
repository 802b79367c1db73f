/**
 * A board's map that can only be looked at: a saved version, or one side of
 * the comparison. It is the board's own look — the canvas's node, edge and
 * lane components over a store filled by the ordinary Yjs binding — from a
 * local Y.Doc that is never connected, so nothing here can reach the board.
 * Dragging, connecting, selecting and editing are switched off; dragging the
 * background pans, the wheel zooms.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  BackgroundVariant,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore as useFlowStore,
  type Viewport,
} from '@xyflow/react';
import { useStore } from 'zustand';
import type * as Y from 'yjs';
import { BoardContext } from '../collab/board-context';
import { createBoardStore, type BoardFlowEdge, type BoardFlowNode } from '../collab/board-store';
import { bindBoard } from '../collab/binding';
import { BOARD_EDGE_TYPES, BOARD_NODE_TYPES } from '../canvas/element-types';
import { LaneBands, LaneHeaders } from '../canvas/lanes/LaneLayer';
import type { Highlight } from '../export/board-svg';
import './compare.css';

const PRO_OPTIONS = { hideAttribution: true };
const NO_HIGHLIGHTS: ReadonlyMap<string, Highlight> = new Map();

/** What a map lets its screen do with its view: read it, set it, fit the board into it. */
export interface MapView {
  getViewport(): Viewport;
  setViewport(viewport: Viewport): void;
  fit(): Promise<void>;
}

export interface ReadOnlyMapProps {
  doc: Y.Doc;
  /** Steps to mark (comparison): removed, added or changed. */
  highlights?: ReadonlyMap<string, Highlight>;
  /** Names the map for screen readers and tests. */
  label: string;
  testId?: string;
  /** Called on every pan or zoom; `byUser` is false when the view was set by the program (a linked map, a fit). */
  onMove?: (viewport: Viewport, byUser: boolean) => void;
  /** Called once the board has been fitted into view. */
  onReady?: (view: MapView) => void;
}

export function ReadOnlyMap(props: ReadOnlyMapProps) {
  const { doc } = props;
  const store = useMemo(() => createBoardStore(), []);
  const [bound, setBound] = useState<Y.Doc | null>(null);
  useEffect(() => {
    const stop = bindBoard(doc, store);
    store.setState({ loaded: true, connection: { kind: 'live' } });
    // The surface mounts once the store holds the board, so its first fit sees every element.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setBound(doc);
    // The node and lane components start inline editing through the store: a read-only map never lets it start.
    const guard = store.subscribe((state) => {
      if (state.editingId !== null || state.editingLaneId !== null)
        store.setState({ editingId: null, editingLaneId: null });
    });
    return () => {
      guard();
      stop();
    };
  }, [doc, store]);
  const context = useMemo(() => ({ doc, store }), [doc, store]);
  return (
    <BoardContext.Provider value={context}>
      <ReactFlowProvider>
        {bound === doc ? (
          <MapSurface {...props} store={store} />
        ) : (
          <div className="board-canvas read-only-map" data-testid={props.testId} />
        )}
      </ReactFlowProvider>
    </BoardContext.Provider>
  );
}

function MapSurface({
  store,
  highlights = NO_HIGHLIGHTS,
  label,
  testId,
  onMove,
  onReady,
}: ReadOnlyMapProps & { store: ReturnType<typeof createBoardStore> }) {
  const nodes = useStore(store, (s) => s.nodes);
  const edges = useStore(store, (s) => s.edges);
  const { fitView, getViewport, setViewport } = useReactFlow();
  // The marks keep one size on screen at any zoom (compare.css divides by it), so they read on a small map.
  const zoom = useFlowStore((s) => s.transform[2]);
  const shown = useMemo<BoardFlowNode[]>(
    () =>
      nodes.map((node) => {
        const mark = highlights.get(node.id);
        // The mark is drawn by CSS (::after), which a screen reader does not read beside the card's name.
        return mark
          ? { ...node, className: `compare-${mark}`, ariaLabel: `${node.ariaLabel ?? ''} (${mark} step)`.trim() }
          : node;
      }),
    [nodes, highlights],
  );

  const fit = useCallback(() => fitView({ padding: 0.06, maxZoom: 1, minZoom: 0.1 }).then(() => undefined), [fitView]);
  const readied = useRef(false);
  const hasNodes = nodes.length > 0;
  useEffect(() => {
    if (readied.current) return;
    const frame = requestAnimationFrame(() => {
      readied.current = true;
      // Ready once the fit has landed, so a linked map copies the fitted view, not the one before it.
      void (hasNodes ? fit() : Promise.resolve()).then(() =>
        onReady?.({ getViewport, setViewport: (viewport) => void setViewport(viewport), fit }),
      );
    });
    return () => cancelAnimationFrame(frame);
  }, [hasNodes, fit, getViewport, setViewport, onReady]);

  return (
    <div
      className={zoom < 0.6 ? 'board-canvas read-only-map is-zoomed-out' : 'board-canvas read-only-map'}
      data-testid={testId}
      aria-label={label}
      role="region"
      style={{ ['--map-zoom' as string]: zoom }}
    >
      <ReactFlow<BoardFlowNode, BoardFlowEdge>
        nodes={shown}
        edges={edges}
        nodeTypes={BOARD_NODE_TYPES}
        edgeTypes={BOARD_EDGE_TYPES}
        nodesDraggable={false}
        nodesConnectable={false}
        nodesFocusable={false}
        edgesFocusable={false}
        elementsSelectable={false}
        deleteKeyCode={null}
        selectionKeyCode={null}
        multiSelectionKeyCode={null}
        zoomOnDoubleClick={false}
        panOnDrag
        onMove={(event, viewport) => onMove?.(viewport, event !== null && event !== undefined)}
        minZoom={0.1}
        maxZoom={2.5}
        colorMode="system"
        proOptions={PRO_OPTIONS}
      >
        <Background variant={BackgroundVariant.Dots} gap={24} size={1.5} />
        <LaneBands />
        <LaneHeaders />
      </ReactFlow>
    </div>
  );
}
