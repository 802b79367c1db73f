/**
 * The Yjs → store binding: keeps the store's React Flow nodes and edges in
 * step with the board document. Remote and local changes take this same path.
 *
 * Only the elements an event touched are rebuilt; every other node and edge
 * keeps its object identity, so React Flow and the memoised node components
 * skip them. A rebuilt element whose document fields did not actually change
 * (our own drag frame coming back) also keeps its identity. Local-only fields
 * (selected, measured, dragging…) are carried over from the previous object.
 */
import type * as Y from 'yjs';
import { MarkerType } from '@xyflow/react';
import { edgesMap, metaMap, nodesMap, readEdge, readMeta, readNode, type YEdge, type YNode } from '../model';
import type { BoardFlowEdge, BoardFlowNode, BoardStore } from './board-store';

/**
 * Sizes React Flow assumes before a node is measured: with
 * `onlyRenderVisibleElements` off-screen nodes are never measured, and fit
 * view and visibility need a size for them. Match the CSS (styles.css).
 */
export const STEP_SIZE = { width: 180, height: 64 };
export const NOTE_SIZE = { width: 180, height: 140 };

function buildNode(id: string, yNode: YNode, previous: BoardFlowNode | undefined): BoardFlowNode | null {
  const read = readNode(id, yNode);
  if (!read) return null;
  const position = read.position;
  const samePosition =
    previous !== undefined && previous.position.x === position.x && previous.position.y === position.y;
  if (read.kind === 'step') {
    if (previous?.type === 'step' && samePosition) {
      if (previous.data.label === read.label && previous.data.lane === read.lane) return previous;
    }
    return {
      initialWidth: STEP_SIZE.width,
      initialHeight: STEP_SIZE.height,
      ...previous,
      id,
      type: 'step',
      position,
      data: { label: read.label, lane: read.lane },
    } as BoardFlowNode;
  }
  if (read.kind === 'note') {
    if (previous?.type === 'note' && samePosition) {
      if (previous.data.text === read.text && previous.data.colour === read.colour) return previous;
    }
    return {
      initialWidth: NOTE_SIZE.width,
      initialHeight: NOTE_SIZE.height,
      ...previous,
      id,
      type: 'note',
      position,
      data: { text: read.text, colour: read.colour },
    } as BoardFlowNode;
  }
  if (previous?.type === 'other' && samePosition) {
    if (previous.data.label === read.label && previous.data.kind === read.kind) return previous;
  }
  return {
    initialWidth: STEP_SIZE.width,
    initialHeight: STEP_SIZE.height,
    ...previous,
    id,
    type: 'other',
    position,
    data: { label: read.label, kind: read.kind },
  } as BoardFlowNode;
}

const FLOW_MARKER = { type: MarkerType.ArrowClosed, width: 18, height: 18, color: 'var(--edge)' };

function buildEdge(id: string, yEdge: YEdge, previous: BoardFlowEdge | undefined): BoardFlowEdge | null {
  const read = readEdge(id, yEdge);
  if (!read) return null;
  if (
    previous &&
    previous.source === read.source &&
    previous.target === read.target &&
    previous.data?.kind === read.kind
  ) {
    return previous;
  }
  return {
    ...previous,
    id,
    source: read.source,
    target: read.target,
    data: { kind: read.kind },
    markerEnd: FLOW_MARKER,
  };
}

/**
 * Rebuilds the listed ids of `items` from `source`: changed ones get new
 * objects, deleted ones go, new ones are appended. Returns `items` itself
 * when nothing changed, so the store is not touched.
 */
export function patchById<T extends { id: string }, Y>(
  items: T[],
  ids: Set<string>,
  source: { get(id: string): Y | undefined },
  build: (id: string, value: Y, previous: T | undefined) => T | null,
): T[] {
  if (ids.size === 0) return items;
  let changed = false;
  const seen = new Set<string>();
  const next: T[] = [];
  for (const item of items) {
    if (!ids.has(item.id)) {
      next.push(item);
      continue;
    }
    seen.add(item.id);
    const value = source.get(item.id);
    const built = value === undefined ? null : build(item.id, value, item);
    if (built !== item) changed = true;
    if (built) next.push(built);
  }
  for (const id of ids) {
    if (seen.has(id)) continue;
    const value = source.get(id);
    const built = value === undefined ? null : build(id, value, undefined);
    if (built) {
      next.push(built);
      changed = true;
    }
  }
  return changed ? next : items;
}

/** Which top-level ids a batch of deep events under `root` touched. */
function touchedIds(root: Y.Map<unknown>, events: Y.YEvent<Y.AbstractType<unknown>>[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    if (event.target === root) {
      for (const key of event.changes.keys.keys()) ids.add(key);
    } else {
      const id = event.path[0];
      if (typeof id === 'string') ids.add(id);
    }
  }
  return ids;
}

/** Starts the binding; returns the function that stops it. */
export function bindBoard(doc: Y.Doc, store: BoardStore): () => void {
  const nodes = nodesMap(doc);
  const edges = edgesMap(doc);
  const meta = metaMap(doc);

  store.setState((s) => ({
    nodes: patchById(s.nodes, new Set(nodes.keys()), nodes, buildNode),
    edges: patchById(s.edges, new Set(edges.keys()), edges, buildEdge),
    title: readMeta(doc).title,
  }));

  const onNodes = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const current = store.getState().nodes;
    const next = patchById(current, touchedIds(nodes as Y.Map<unknown>, events), nodes, buildNode);
    if (next !== current) store.setState({ nodes: next });
  };
  const onEdges = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const current = store.getState().edges;
    const next = patchById(current, touchedIds(edges as Y.Map<unknown>, events), edges, buildEdge);
    if (next !== current) store.setState({ edges: next });
  };
  const onMeta = () => {
    const title = readMeta(doc).title;
    if (title !== store.getState().title) store.setState({ title });
  };
  nodes.observeDeep(onNodes);
  edges.observeDeep(onEdges);
  meta.observe(onMeta);
  return () => {
    nodes.unobserveDeep(onNodes);
    edges.unobserveDeep(onEdges);
    meta.unobserve(onMeta);
  };
}
