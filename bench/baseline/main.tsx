/**
 * The baseline `npm run bench` measures the board against (issue 18): bare
 * @xyflow/react 12 with its default nodes and the controlled-state pattern
 * of its own examples, showing the same graph (positions, edges, labels) as
 * the board under test. The bench hands the graph in as window.__baselineGraph
 * (an init script) so both pages draw exactly the same thing. Built only into
 * dist-bench/ (PURPOSEBOARD_BENCH_BUILD=1), never into the app.
 */
import { StrictMode, useCallback } from 'react';
import { createRoot } from 'react-dom/client';
import {
  Controls,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useEdgesState,
  useNodesState,
  type Edge,
  type Node,
  type OnEdgesChange,
  type OnNodesChange,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';

export interface BaselineGraph {
  nodes: { id: string; x: number; y: number; label: string }[];
  edges: { id: string; source: string; target: string }[];
}

declare global {
  interface Window {
    __baselineGraph?: BaselineGraph;
    /** Set once the first render with every node has committed (the bench waits for it). */
    __baselineReady?: boolean;
  }
}

const graph: BaselineGraph = window.__baselineGraph ?? { nodes: [], edges: [] };
const initialNodes: Node[] = graph.nodes.map((n) => ({
  id: n.id,
  position: { x: n.x, y: n.y },
  data: { label: n.label },
}));
const initialEdges: Edge[] = graph.edges.map((e) => ({ id: e.id, source: e.source, target: e.target }));

function Baseline() {
  const [nodes, setNodes] = useNodesState(initialNodes);
  const [edges, setEdges] = useEdgesState(initialEdges);
  const onNodesChange: OnNodesChange = useCallback(
    (changes) => setNodes((ns) => applyNodeChanges(changes, ns)),
    [setNodes],
  );
  const onEdgesChange: OnEdgesChange = useCallback(
    (changes) => setEdges((es) => applyEdgeChanges(changes, es)),
    [setEdges],
  );
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      onInit={() => (window.__baselineReady = true)}
      // The board's zoom range, so "fit view" frames the same part of the graph on both pages.
      minZoom={0.1}
      maxZoom={2.5}
      fitView
      fitViewOptions={{ padding: 0.08, maxZoom: 1, minZoom: 0.25 }}
    >
      <Controls showInteractive={false} position="bottom-right" />
    </ReactFlow>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('the baseline page has no #root');
createRoot(root).render(
  <StrictMode>
    <Baseline />
  </StrictMode>,
);
