/**
 * Reading the board document into plain objects (see types.ts). Readers are
 * forgiving: a field that is missing or of the wrong type (an older client, a
 * hand-edited import) gets a safe default instead of crashing the board.
 */
import type * as Y from 'yjs';
import {
  BOARD_SCHEMA_VERSION,
  EDGE_KINDS,
  NODE_KINDS,
  NOTE_COLOURS,
  edgesMap,
  lanesMap,
  metaMap,
  nodesMap,
  type EdgeKind,
  type NodeKind,
  type NoteColour,
  type YEdge,
  type YLane,
  type YNode,
} from './schema';
import type { Board, BoardEdge, BoardMeta, BoardNode, Lane } from './types';
import { DEFAULT_BOARD_TITLE, textFieldOf } from './operations';

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export function readNode(id: string, node: YNode): BoardNode | null {
  const kind = node.get('kind') as NodeKind;
  if (!NODE_KINDS.includes(kind)) return null;
  const position = { x: num(node.get('x')), y: num(node.get('y')) };
  if (kind === 'step') {
    const lane = node.get('lane');
    return { id, kind, position, label: str(node.get('label')), lane: typeof lane === 'string' ? lane : null };
  }
  if (kind === 'note') {
    const colour = node.get('colour') as NoteColour;
    return {
      id,
      kind,
      position,
      text: str(node.get('text')),
      colour: NOTE_COLOURS.includes(colour) ? colour : 'yellow',
    };
  }
  return { id, kind, position, label: str(node.get(textFieldOf(kind))) };
}

export function readEdge(id: string, edge: YEdge): BoardEdge | null {
  const kind = edge.get('kind') as EdgeKind;
  const source = edge.get('source');
  const target = edge.get('target');
  if (!EDGE_KINDS.includes(kind) || typeof source !== 'string' || typeof target !== 'string') return null;
  return { id, kind, source, target };
}

export function readLane(id: string, lane: YLane): Lane {
  return { id, name: str(lane.get('name')), order: num(lane.get('order')), colour: str(lane.get('colour'), '#e2e8f0') };
}

export function readMeta(doc: Y.Doc): BoardMeta {
  const meta = metaMap(doc);
  return {
    title: str(meta.get('title'), DEFAULT_BOARD_TITLE) || DEFAULT_BOARD_TITLE,
    schemaVersion: num(meta.get('schemaVersion'), BOARD_SCHEMA_VERSION),
  };
}

/** The whole board as plain data. Edges whose ends are gone are left out. */
export function readBoard(doc: Y.Doc): Board {
  const nodes: BoardNode[] = [];
  nodesMap(doc).forEach((node, id) => {
    const read = readNode(id, node);
    if (read) nodes.push(read);
  });
  const present = new Set(nodes.map((n) => n.id));
  const edges: BoardEdge[] = [];
  edgesMap(doc).forEach((edge, id) => {
    const read = readEdge(id, edge);
    if (read && present.has(read.source) && present.has(read.target)) edges.push(read);
  });
  const lanes: Lane[] = [];
  lanesMap(doc).forEach((lane, id) => lanes.push(readLane(id, lane)));
  lanes.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { meta: readMeta(doc), nodes, edges, lanes };
}

/** The number of steps, for the board list. Cheaper than reading the board. */
export function countSteps(doc: Y.Doc): number {
  let steps = 0;
  nodesMap(doc).forEach((node) => {
    if (node.get('kind') === 'step') steps += 1;
  });
  return steps;
}
