/**
 * The Yjs → store binding: keeps the store's React Flow nodes and edges in
 * step with the board document. Remote and local changes take this same path.
 *
 * Only the elements an event touched are rebuilt; every other node and edge
 * keeps its object identity, so React Flow and the memoised node components
 * skip them. A rebuilt element whose document fields did not actually change
 * (our own drag frame coming back) also keeps its identity. Local-only fields
 * (selected, measured, dragging…) are carried over from the previous object.
 *
 * Each card and edge also carries its accessible name (ariaLabel, from
 * export/accessible-names.ts), so a card is rebuilt when its lane is renamed
 * or the counting period changes, and an edge when one of its ends is renamed.
 */
import type * as Y from 'yjs';
import { MarkerType, type EdgeMarker } from '@xyflow/react';
import {
  CONDITION_TYPES,
  WASTE_TYPES,
  edgesMap,
  lanesMap,
  metaMap,
  lockedByOf,
  nodesMap,
  readEdge,
  readLane,
  readMeta,
  readNode,
  readPeriod,
  whatMattersOf,
  type ConditionType,
  type Lane,
  type WasteType,
  type YEdge,
  type YNode,
} from '../model';
import { CARD_SIZES } from '../export/sizes';
import {
  CARD_ROLE_DESCRIPTION,
  EDGE_ROLE_DESCRIPTION,
  cardName,
  cardShortName,
  edgeName,
  type CardForName,
} from '../export/accessible-names';
import type {
  BoardEdgeData,
  BoardFlowEdge,
  BoardFlowNode,
  BoardStore,
  ConditionNodeData,
  DemandNodeData,
  NoteNodeData,
  PurposeNodeData,
  StepNodeData,
} from './board-store';

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
      const studyType = yNode.get('studyType');
      return {
        type: 'demand',
        data: {
          words: text(yNode.get('words')),
          demandClass: yNode.get('demandClass') === 'failure' ? 'failure' : 'value',
          count: count ?? 0,
          predictable: yNode.get('predictable') === true,
          ...(typeof studyType === 'string' && studyType ? { studyType } : {}),
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

/** A lane's name by its id, as the document says now. */
function laneNameOf(doc: Y.Doc, laneId: string | null): string | null {
  if (laneId === null) return null;
  const name = lanesMap(doc).get(laneId)?.get('name');
  return typeof name === 'string' ? name : null;
}

/** The card as its accessible name reads it (export/accessible-names.ts): lane by name, demand with the period. */
function cardFor(doc: Y.Doc, view: NonNullable<ReturnType<typeof viewOf>>): CardForName | null {
  const data = view.data;
  switch (view.type) {
    case 'step': {
      const step = data as StepNodeData;
      return { kind: 'step', ...step, laneName: laneNameOf(doc, step.lane) };
    }
    case 'demand':
      return { kind: 'demand', ...(data as DemandNodeData), period: readPeriod(doc) };
    case 'purpose':
      return { kind: 'purpose', ...(data as PurposeNodeData) };
    case 'condition':
      return { kind: 'condition', ...(data as ConditionNodeData) };
    case 'note':
      return { kind: 'note', text: (data as NoteNodeData).text };
    default:
      return null;
  }
}

/** A card's own words as an edge names its ends, or null when the card is not (or no longer) there. */
function shortNameOf(doc: Y.Doc, id: string): string | null {
  const yNode = nodesMap(doc).get(id);
  const view = yNode ? viewOf(id, yNode) : null;
  const card = view ? cardFor(doc, view) : null;
  return card ? cardShortName(card) : null;
}

const CARD_DOM_ATTRIBUTES = { 'aria-roledescription': CARD_ROLE_DESCRIPTION } as BoardFlowNode['domAttributes'];

function nodeBuilder(doc: Y.Doc) {
  return (id: string, yNode: YNode, previous: BoardFlowNode | undefined): BoardFlowNode | null => {
    const view = viewOf(id, yNode);
    if (!view) return null;
    const position = { x: numberOrNull(yNode.get('x')) ?? 0, y: numberOrNull(yNode.get('y')) ?? 0 };
    const card = cardFor(doc, view);
    // React Flow reads this on the card's focusable wrapper; without it a card has no name at all.
    const ariaLabel = card ? cardName(card) : undefined;
    if (
      previous?.type === view.type &&
      previous.position.x === position.x &&
      previous.position.y === position.y &&
      previous.ariaLabel === ariaLabel &&
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
      ariaLabel,
      // A group, focusable or not (the read-only maps): a named element needs a role.
      ariaRole: 'group',
      domAttributes: CARD_DOM_ATTRIBUTES,
    } as BoardFlowNode;
  };
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

function edgeBuilder(doc: Y.Doc) {
  const nodes = nodesMap(doc);
  return (id: string, yEdge: YEdge, previous: BoardFlowEdge | undefined): BoardFlowEdge | null => {
    const read = readEdge(id, yEdge);
    if (!read) return null;
    const rework = read.kind === 'flow' && yEdge.get('rework') === true;
    const sourceLane = read.kind === 'flow' ? laneOf(nodes, read.source) : null;
    const targetLane = read.kind === 'flow' ? laneOf(nodes, read.target) : null;
    const handoff = sourceLane !== null && targetLane !== null && sourceLane !== targetLane;
    const data: BoardEdgeData = { kind: read.kind, rework, handoff };
    // Set always: React Flow's fallback name is "Edge from <id> to <id>".
    const ariaLabel = edgeName(data, shortNameOf(doc, read.source), shortNameOf(doc, read.target));
    if (
      previous &&
      previous.ariaLabel === ariaLabel &&
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
      ariaLabel,
      domAttributes: {
        'aria-roledescription': EDGE_ROLE_DESCRIPTION,
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

const STEP_TYPES: ReadonlySet<BoardFlowNode['type']> = new Set(['step']);
const DEMAND_TYPES: ReadonlySet<BoardFlowNode['type']> = new Set(['demand']);

/** Starts the binding; returns the function that stops it. */
export function bindBoard(doc: Y.Doc, store: BoardStore): () => void {
  const nodes = nodesMap(doc);
  const edges = edgesMap(doc);
  const lanes = lanesMap(doc);
  const meta = metaMap(doc);
  const buildNode = nodeBuilder(doc);
  const buildEdge = edgeBuilder(doc);

  const locked = new Map<string, string>();
  nodes.forEach((node, id) => {
    const by = lockedByOf(node);
    if (by !== null) locked.set(id, by);
  });
  store.setState((s) => ({
    lockedCards: locked,
    nodes: patchById(s.nodes, new Set(nodes.keys()), nodes, buildNode),
    edges: patchById(s.edges, new Set(edges.keys()), edges, buildEdge),
    lanes: readLanes(doc, s.lanes),
    title: readMeta(doc).title,
  }));

  /** Edges whose handoff mark or name may change because a card changed lane or name (or went). */
  const edgesTouching = (stepIds: Set<string>): Set<string> => {
    const ids = new Set<string>();
    if (stepIds.size === 0) return ids;
    for (const edge of store.getState().edges) {
      if (stepIds.has(edge.source) || stepIds.has(edge.target)) ids.add(edge.id);
    }
    return ids;
  };

  /** Locks of the touched cards; a new map only when one changed (a drag frame changes none). */
  const updateLocks = (touched: Set<string>) => {
    const current = store.getState().lockedCards;
    let next: Map<string, string> | null = null;
    for (const id of touched) {
      const by = lockedByOf(nodes.get(id));
      if ((current.get(id) ?? null) === by) continue;
      next ??= new Map(current);
      if (by === null) next.delete(id);
      else next.set(id, by);
    }
    if (next) store.setState({ lockedCards: next });
  };

  const onNodes = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const current = store.getState().nodes;
    const touched = touchedIds(nodes as Y.Map<unknown>, events);
    updateLocks(touched);
    const next = patchById(current, touched, nodes, buildNode);
    if (next === current) return;
    // A drag frame changes a position only: look for lane and name changes among the touched cards alone.
    const changedEnds = new Set<string>();
    const before = new Map<string, BoardFlowNode>();
    const after = new Map<string, BoardFlowNode>();
    for (const node of current) if (touched.has(node.id)) before.set(node.id, node);
    for (const node of next) if (touched.has(node.id)) after.set(node.id, node);
    for (const id of touched) {
      const old = before.get(id);
      const oldLane = old?.type === 'step' ? old.data.lane : null;
      if (oldLane !== laneOf(nodes, id) || old?.ariaLabel !== after.get(id)?.ariaLabel) changedEnds.add(id);
    }
    store.setState({ nodes: next });
    if (changedEnds.size > 0) {
      const currentEdges = store.getState().edges;
      const nextEdges = patchById(currentEdges, edgesTouching(changedEnds), edges, buildEdge);
      if (nextEdges !== currentEdges) store.setState({ edges: nextEdges });
    }
  };
  const onEdges = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
    const current = store.getState().edges;
    const next = patchById(current, touchedIds(edges as Y.Map<unknown>, events), edges, buildEdge);
    if (next !== current) store.setState({ edges: next });
  };
  /** Rebuilds the cards of some types: their names read a lane's name or the counting period. */
  const renameCards = (types: ReadonlySet<BoardFlowNode['type']>) => {
    const current = store.getState().nodes;
    const ids = new Set(current.filter((node) => types.has(node.type)).map((node) => node.id));
    const next = patchById(current, ids, nodes, buildNode);
    if (next !== current) store.setState({ nodes: next });
  };
  const onLanes = () => {
    const current = store.getState().lanes;
    const next = readLanes(doc, current);
    if (next !== current) {
      store.setState({ lanes: next });
      renameCards(STEP_TYPES);
    }
  };
  let period = readPeriod(doc);
  const onMeta = () => {
    const title = readMeta(doc).title;
    if (title !== store.getState().title) store.setState({ title });
    const nextPeriod = readPeriod(doc);
    if (nextPeriod !== period) {
      period = nextPeriod;
      renameCards(DEMAND_TYPES);
    }
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
