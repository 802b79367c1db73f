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
import { MarkerType, type EdgeMarker } from '@xyflow/react';
import {
  CONDITION_TYPES,
  WASTE_TYPES,
  edgesMap,
  lanesMap,
  metaMap,
  nodesMap,
  readEdge,
  readLane,
  readMeta,
  readNode,
  whatMattersOf,
  type ConditionType,
  type Lane,
  type WasteType,
  type YEdge,
  type YNode,
} from '../model';
import { CARD_SIZES } from '../export/sizes';
import type { BoardEdgeData, BoardFlowEdge, BoardFlowNode, BoardStore } from './board-store';

/**
 * Sizes React Flow assumes before a node is measured: with
 * `onlyRenderVisibleElements` off-screen nodes are never measured, and fit
 * view and visibility need a size for them. They match the CSS (styles.css)
 * and are the exported map's card sizes, so the picture matches the screen.
 */
export const STEP_SIZE = CARD_SIZES.step;
export const NOTE_SIZE = CARD_SIZES.note;
export const DEMAND_SIZE = CARD_SIZES.demand;
export const PURPOSE_SIZE = CARD_SIZES.purpose;
export const CONDITION_SIZE = CARD_SIZES.condition;

const SIZES = {
  step: STEP_SIZE,
  note: NOTE_SIZE,
  demand: DEMAND_SIZE,
  purpose: PURPOSE_SIZE,
  condition: CONDITION_SIZE,
  other: STEP_SIZE,
} as const;

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Equal field by field; arrays (what matters) compared item by item. */
function sameData(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((item, i) => item === y[i])) continue;
    return false;
  }
  return true;
}

/** The React Flow type and data of a document node: each kind carries the fields its card shows. */
function viewOf(id: string, yNode: YNode): { type: BoardFlowNode['type']; data: Record<string, unknown> } | null {
  const read = readNode(id, yNode);
  if (!read) return null;
  switch (read.kind) {
    case 'step': {
      const stepClass = yNode.get('stepClass');
      const wasteType = yNode.get('wasteType');
      return {
        type: 'step',
        data: {
          label: read.label,
          lane: read.lane,
          stepClass: stepClass === 'value' || stepClass === 'waste' ? stepClass : null,
          wasteType: WASTE_TYPES.includes(wasteType as WasteType) ? (wasteType as WasteType) : null,
          pt: numberOrNull(yNode.get('pt')),
          lt: numberOrNull(yNode.get('lt')),
          ca: numberOrNull(yNode.get('ca')),
          customerContact: yNode.get('customerContact') === true,
        },
      };
    }
    case 'note':
      return { type: 'note', data: { text: read.text, colour: read.colour } };
    case 'demand': {
      const count = numberOrNull(yNode.get('count'));
      return {
        type: 'demand',
        data: {
          words: text(yNode.get('words')),
          demandClass: yNode.get('demandClass') === 'failure' ? 'failure' : 'value',
          count: count ?? 0,
          predictable: yNode.get('predictable') === true,
        },
      };
    }
    case 'purpose':
      return { type: 'purpose', data: { statement: text(yNode.get('label')), whatMatters: whatMattersOf(yNode) } };
    case 'condition': {
      const type = yNode.get('conditionType');
      return {
        type: 'condition',
        data: {
          label: text(yNode.get('label')),
          conditionType: CONDITION_TYPES.includes(type as ConditionType) ? (type as ConditionType) : 'other',
        },
      };
    }
    default:
      return null;
  }
}

function buildNode(id: string, yNode: YNode, previous: BoardFlowNode | undefined): BoardFlowNode | null {
  const view = viewOf(id, yNode);
  if (!view) return null;
  const position = { x: numberOrNull(yNode.get('x')) ?? 0, y: numberOrNull(yNode.get('y')) ?? 0 };
  if (
    previous?.type === view.type &&
    previous.position.x === position.x &&
    previous.position.y === position.y &&
    sameData(previous.data as Record<string, unknown>, view.data)
  ) {
    return previous;
  }
  const size = SIZES[view.type];
  return {
    initialWidth: size.width,
    initialHeight: size.height,
    ...previous,
    id,
    type: view.type,
    position,
    data: view.data,
  } as BoardFlowNode;
}

const MARKERS: Record<string, EdgeMarker> = {
  flow: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: 'var(--edge)', markerUnits: 'userSpaceOnUse' },
  rework: {
    type: MarkerType.ArrowClosed,
    width: 16,
    height: 16,
    color: 'var(--rework)',
    markerUnits: 'userSpaceOnUse',
  },
  entry: { type: MarkerType.ArrowClosed, width: 16, height: 16, color: 'var(--entry)', markerUnits: 'userSpaceOnUse' },
  causes: { type: MarkerType.Arrow, width: 14, height: 14, color: 'var(--causes)', markerUnits: 'userSpaceOnUse' },
};

/** Which handle of each end an edge of this kind is drawn between (see the node components). */
function handlesOf(kind: BoardEdgeData['kind']): { sourceHandle: string; targetHandle: string } {
  return kind === 'causes'
    ? { sourceHandle: 'out', targetHandle: 'cause' }
    : { sourceHandle: 'out', targetHandle: 'in' };
}

/** The lane of a step as the document says now, or null. */
function laneOf(nodes: Y.Map<YNode>, id: string): string | null {
  const node = nodes.get(id);
  if (!node || node.get('kind') !== 'step') return null;
  const lane = node.get('lane');
  return typeof lane === 'string' ? lane : null;
}

function edgeBuilder(nodes: Y.Map<YNode>) {
  return (id: string, yEdge: YEdge, previous: BoardFlowEdge | undefined): BoardFlowEdge | null => {
    const read = readEdge(id, yEdge);
    if (!read) return null;
    const rework = read.kind === 'flow' && yEdge.get('rework') === true;
    const sourceLane = read.kind === 'flow' ? laneOf(nodes, read.source) : null;
    const targetLane = read.kind === 'flow' ? laneOf(nodes, read.target) : null;
    const handoff = sourceLane !== null && targetLane !== null && sourceLane !== targetLane;
    const data: BoardEdgeData = { kind: read.kind, rework, handoff };
    if (
      previous &&
      previous.source === read.source &&
      previous.target === read.target &&
      previous.data !== undefined &&
      sameData(previous.data, data)
    ) {
      return previous;
    }
    const look = rework ? 'rework' : read.kind;
    return {
      ...previous,
      id,
      type: 'board',
      source: read.source,
      target: read.target,
      ...handlesOf(read.kind),
      data,
      markerEnd: MARKERS[look],
      zIndex: read.kind === 'flow' ? 1 : 0,
      domAttributes: {
        'data-kind': read.kind,
        'data-handoff': String(handoff),
        'data-rework': String(rework),
      } as BoardFlowEdge['domAttributes'],
    };
  };
}

/** The lanes top to bottom; a lane whose fields did not change keeps its object. */
function readLanes(doc: Y.Doc, previous: Lane[]): Lane[] {
  const byId = new Map(previous.map((lane) => [lane.id, lane]));
  const next: Lane[] = [];
  lanesMap(doc).forEach((yLane, id) => {
    const read = readLane(id, yLane);
    const old = byId.get(id);
    next.push(
      old && sameData(old as unknown as Record<string, unknown>, read as unknown as Record<string, unknown>)
        ? old
        : read,
    );
  });
  next.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return next.length === previous.length && next.every((lane, i) => lane === previous[i]) ? previous : next;
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
  const lanes = lanesMap(doc);
  const meta = metaMap(doc);
  const buildEdge = edgeBuilder(nodes);

  store.setState((s) => ({
    nodes: patchById(s.nodes, new Set(nodes.keys()), nodes, buildNode),
    edges: patchById(s.edges, new Set(edges.keys()), edges, buildEdge),
    lanes: readLanes(doc, s.lanes),
    title: readMeta(doc).title,
  }));

  /** Edges whose handoff mark may change because a step changed lane (or went). */
  const edgesTouching = (stepIds: Set<string>): Set<string> => {
    const ids = new Set<string>();
    if (stepIds.size === 0) return ids;
    for (const edge of store.getState().edges) {
      if (stepIds.has(edge.source) || stepIds.has(edge.target)) ids.add(edge.id);
    }
    return ids;
  };

  const onNodes = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const current = store.getState().nodes;
    const touched = touchedIds(nodes as Y.Map<unknown>, events);
    const next = patchById(current, touched, nodes, buildNode);
    if (next === current) return;
    // A drag frame changes a position only: look for lane changes among the touched steps alone.
    const relaned = new Set<string>();
    const before = new Map<string, BoardFlowNode>();
    for (const node of current) if (touched.has(node.id)) before.set(node.id, node);
    for (const id of touched) {
      const old = before.get(id);
      const oldLane = old?.type === 'step' ? old.data.lane : null;
      if (oldLane !== laneOf(nodes, id)) relaned.add(id);
    }
    store.setState({ nodes: next });
    if (relaned.size > 0) {
      const currentEdges = store.getState().edges;
      const nextEdges = patchById(currentEdges, edgesTouching(relaned), edges, buildEdge);
      if (nextEdges !== currentEdges) store.setState({ edges: nextEdges });
    }
  };
  const onEdges = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const current = store.getState().edges;
    const next = patchById(current, touchedIds(edges as Y.Map<unknown>, events), edges, buildEdge);
    if (next !== current) store.setState({ edges: next });
  };
  const onLanes = () => {
    const current = store.getState().lanes;
    const next = readLanes(doc, current);
    if (next !== current) store.setState({ lanes: next });
  };
  const onMeta = () => {
    const title = readMeta(doc).title;
    if (title !== store.getState().title) store.setState({ title });
  };
  nodes.observeDeep(onNodes);
  edges.observeDeep(onEdges);
  lanes.observeDeep(onLanes);
  meta.observe(onMeta);
  return () => {
    nodes.unobserveDeep(onNodes);
    edges.unobserveDeep(onEdges);
    lanes.unobserveDeep(onLanes);
    meta.unobserve(onMeta);
  };
}
