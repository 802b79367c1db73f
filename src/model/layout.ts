/**
 * Auto-layout ("Tidy up"): puts a purpose map back in the shape method.md
 * reads it in — purpose at the top, demand to the left of the flow, the steps
 * left to right along the flow edges, each inside its lane's band, system
 * conditions in a row below the lanes. Notes stay where people put them.
 *
 * `computeLayout` is pure (plain data in, positions out) so it is tested
 * without a document; `autoLayout` applies it with one `moveNodes`, one
 * transaction: one update for everyone, one undo step.
 *
 * dagre ranks the steps by the flow edges (network simplex) and orders each
 * rank to reduce crossings. Rework edges loop back by nature, so they take no
 * part in the ranking. A step's y is not dagre's: it is fixed by its lane.
 * When two steps of one rank share a lane they would sit on top of each
 * other, so that rank takes as many columns as its fullest lane needs.
 */
import type * as Y from 'yjs';
import dagre from '@dagrejs/dagre';
import { DEMAND_SPACING_Y, DEMAND_X, LANE_HEIGHT, STEP_OFFSET_Y, STEP_SPACING_X } from './lane-geometry';
import { LOCAL_ORIGIN, isLockedForMe, moveNodes, type NodeMove } from './operations';
import { edgesMap, lanesMap, nodesMap, type NodeKind } from './schema';
import type { Position } from './types';

export const LAYOUT_PURPOSE_Y = -240;
export const LAYOUT_PURPOSE_SPACING_X = 520;
export const LAYOUT_CONDITION_GAP_Y = 80;
export const LAYOUT_CONDITION_SPACING_X = 260;

export interface LayoutNode {
  id: string;
  kind: NodeKind;
  position: Position;
  /** A step's lane id, or null (other kinds: ignored). */
  lane?: string | null;
}

export interface LayoutEdge {
  id: string;
  kind: string;
  source: string;
  target: string;
  rework?: boolean;
}

export interface LayoutLane {
  id: string;
  order: number;
}

export interface LayoutInput {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  lanes: LayoutLane[];
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Rank of each step along the flow (0 = where the flow starts), and dagre's order inside the rank. */
function rankSteps(steps: LayoutNode[], edges: LayoutEdge[]): Map<string, { rank: number; order: number }> {
  const graph = new dagre.graphlib.Graph({ multigraph: false });
  graph.setGraph({ rankdir: 'LR', ranker: 'network-simplex', nodesep: 20, ranksep: 60 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const step of steps) graph.setNode(step.id, { width: 180, height: 80 });
  const present = new Set(steps.map((s) => s.id));
  for (const edge of edges) {
    if (edge.kind !== 'flow' || edge.rework === true) continue;
    if (!present.has(edge.source) || !present.has(edge.target) || edge.source === edge.target) continue;
    graph.setEdge(edge.source, edge.target);
  }
  dagre.layout(graph);
  const placed = steps.map((step) => {
    const node = graph.node(step.id) as { x: number; y: number; rank?: number };
    return { id: step.id, x: node.x, y: node.y, rank: node.rank };
  });
  // dagre's x is its column centre in LR; its rank is kept on the node too, but x is the stable contract.
  const columns = [...new Set(placed.map((p) => Math.round(p.x)))].sort((a, b) => a - b);
  const result = new Map<string, { rank: number; order: number }>();
  for (const p of placed) result.set(p.id, { rank: columns.indexOf(Math.round(p.x)), order: p.y });
  return result;
}

/**
 * Where every element but the notes goes. Deterministic: the same board gives
 * the same positions on every replica, whatever order its maps iterate in.
 */
export function computeLayout(input: LayoutInput): Map<string, Position> {
  const positions = new Map<string, Position>();
  const nodes = [...input.nodes].sort(byId);
  // Same order as lane-geometry.ts sortedLanes, so the bands are the ones the canvas draws.
  const lanes = [...input.lanes].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const laneIndex = new Map(lanes.map((lane, index) => [lane.id, index]));
  const steps = nodes.filter((n) => n.kind === 'step');
  const hasLaneless = steps.some((s) => s.lane == null || !laneIndex.has(s.lane));
  // Steps in no lane get a band of their own below the lanes.
  const lanelessBand = lanes.length;
  const bandOf = (step: LayoutNode) =>
    step.lane != null && laneIndex.has(step.lane) ? laneIndex.get(step.lane)! : lanelessBand;
  const bands = lanes.length + (hasLaneless ? 1 : 0);

  // Steps: columns by rank; a rank with two steps in one band takes two columns.
  const ranks = rankSteps(steps, input.edges);
  const byRank = new Map<number, LayoutNode[]>();
  for (const step of steps) {
    const rank = ranks.get(step.id)!.rank;
    if (!byRank.has(rank)) byRank.set(rank, []);
    byRank.get(rank)!.push(step);
  }
  let column = 0;
  for (const rank of [...byRank.keys()].sort((a, b) => a - b)) {
    const inRank = byRank.get(rank)!.sort((a, b) => ranks.get(a.id)!.order - ranks.get(b.id)!.order || byId(a, b));
    const usedInBand = new Map<number, number>();
    let width = 1;
    for (const step of inRank) {
      const band = bandOf(step);
      const slot = usedInBand.get(band) ?? 0;
      usedInBand.set(band, slot + 1);
      width = Math.max(width, slot + 1);
      positions.set(step.id, { x: (column + slot) * STEP_SPACING_X, y: band * LANE_HEIGHT + STEP_OFFSET_Y });
    }
    column += width;
  }

  // Purpose above the flow, side by side if a board has more than one.
  nodes
    .filter((n) => n.kind === 'purpose')
    .sort((a, b) => a.position.x - b.position.x || byId(a, b))
    .forEach((purpose, index) =>
      positions.set(purpose.id, { x: index * LAYOUT_PURPOSE_SPACING_X, y: LAYOUT_PURPOSE_Y }),
    );

  // Demand stacked left of the first step, in the order people had it.
  nodes
    .filter((n) => n.kind === 'demand')
    .sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x || byId(a, b))
    .forEach((demand, index) => positions.set(demand.id, { x: DEMAND_X, y: index * DEMAND_SPACING_Y }));

  // System conditions in a row below the lanes, each under the steps it causes, never overlapping.
  const conditionY = Math.max(1, bands) * LANE_HEIGHT + LAYOUT_CONDITION_GAP_Y;
  const wantedX = (id: string): number => {
    const xs = input.edges
      .filter((e) => e.kind === 'causes' && e.source === id && positions.has(e.target))
      .filter((e) => steps.some((s) => s.id === e.target))
      .map((e) => positions.get(e.target)!.x);
    return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.POSITIVE_INFINITY;
  };
  const conditions = nodes
    .filter((n) => n.kind === 'condition')
    .map((n) => ({ node: n, wanted: wantedX(n.id) }))
    .sort((a, b) => a.wanted - b.wanted || a.node.position.x - b.node.position.x || byId(a.node, b.node));
  let lastX = Number.NEGATIVE_INFINITY;
  for (const { node, wanted } of conditions) {
    const x = Math.max(Number.isFinite(wanted) ? wanted : 0, lastX + LAYOUT_CONDITION_SPACING_X);
    lastX = x;
    positions.set(node.id, { x, y: conditionY });
  }
  return positions;
}

/** The layout input of a board document. */
export function layoutInputFromDoc(doc: Y.Doc): LayoutInput {
  const nodes: LayoutNode[] = [];
  nodesMap(doc).forEach((node, id) => {
    const kind = node.get('kind') as NodeKind;
    const x = node.get('x');
    const y = node.get('y');
    const lane = node.get('lane');
    nodes.push({
      id,
      kind,
      position: { x: typeof x === 'number' ? x : 0, y: typeof y === 'number' ? y : 0 },
      lane: typeof lane === 'string' ? lane : null,
    });
  });
  const edges: LayoutEdge[] = [];
  edgesMap(doc).forEach((edge, id) => {
    edges.push({
      id,
      kind: String(edge.get('kind')),
      source: String(edge.get('source')),
      target: String(edge.get('target')),
      rework: edge.get('rework') === true,
    });
  });
  const lanes: LayoutLane[] = [];
  lanesMap(doc).forEach((lane, id) => {
    const order = lane.get('order');
    lanes.push({ id, order: typeof order === 'number' ? order : 0 });
  });
  return { nodes, edges, lanes };
}

/** Lays the whole board out in one transaction (one update, one undo step). Returns how many elements moved. */
export function autoLayout(doc: Y.Doc, origin: unknown = LOCAL_ORIGIN): number {
  const input = layoutInputFromDoc(doc);
  const moves: NodeMove[] = [];
  const current = new Map(input.nodes.map((n) => [n.id, n.position]));
  for (const [id, position] of computeLayout(input)) {
    // A card locked by the facilitator stays where it is; the rest are laid out around the plan.
    if (isLockedForMe(doc, id)) continue;
    const was = current.get(id);
    if (!was || was.x !== position.x || was.y !== position.y) moves.push({ id, position });
  }
  if (moves.length > 0) moveNodes(doc, moves, origin);
  return moves.length;
}
