/**
 * Named operations on the board document. They are the only way anything
 * — a component, the server's HTTP API, a template, a test — changes a board.
 *
 * Each operation runs in one `doc.transact`, so it is one Yjs update, one
 * undo step and one message on the wire however many fields it touches.
 * Bad arguments throw a `BoardOperationError` before anything is written.
 */
import * as Y from 'yjs';
import { nanoid } from 'nanoid';
import {
  BOARD_SCHEMA_VERSION,
  NOTE_COLOURS,
  edgesMap,
  lanesMap,
  metaMap,
  nodesMap,
  type EdgeKind,
  type FieldValue,
  type NoteColour,
  type YEdge,
  type YNode,
} from './schema';
import type { Position } from './types';

/**
 * The transaction origin of every change made by this person on this device.
 * The undo manager tracks only this origin, so undo never removes another
 * person's work (their changes arrive with the provider as origin).
 */
export const LOCAL_ORIGIN = 'purposeboard:local';

export const MAX_LABEL_LENGTH = 500;
export const MAX_NOTE_LENGTH = 5000;
export const MAX_TITLE_LENGTH = 200;
export const DEFAULT_STEP_LABEL = 'New step';
export const DEFAULT_BOARD_TITLE = 'Untitled board';

export class BoardOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BoardOperationError';
  }
}

export function newId(): string {
  return nanoid(12);
}

function cleanText(text: string, max: number, what: string): string {
  if (typeof text !== 'string') throw new BoardOperationError(`${what} must be text`);
  const cleaned = text.replace(/\s+/g, ' ').trim();
  if (cleaned.length > max) {
    throw new BoardOperationError(`${what} is too long (${cleaned.length} characters, at most ${max})`);
  }
  return cleaned;
}

/** Note text keeps its line breaks: people write lists on sticky notes. */
function cleanNoteText(text: string): string {
  if (typeof text !== 'string') throw new BoardOperationError('Note text must be text');
  if (text.length > MAX_NOTE_LENGTH) {
    throw new BoardOperationError(`Note text is too long (${text.length} characters, at most ${MAX_NOTE_LENGTH})`);
  }
  return text;
}

function checkPosition(position: Position): Position {
  if (!position || !Number.isFinite(position.x) || !Number.isFinite(position.y)) {
    throw new BoardOperationError('A position needs finite x and y');
  }
  return { x: position.x, y: position.y };
}

function getNode(doc: Y.Doc, id: string): YNode {
  const node = nodesMap(doc).get(id);
  if (!node) throw new BoardOperationError(`No element with id "${id}" on this board`);
  return node;
}

function makeYMap(fields: Record<string, FieldValue>): Y.Map<FieldValue> {
  const map = new Y.Map<FieldValue>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}

/** Gives a new board its title and format version. Safe to call twice. */
export function initBoard(doc: Y.Doc, title: string, origin: unknown = LOCAL_ORIGIN): void {
  const cleaned = cleanText(title, MAX_TITLE_LENGTH, 'The board title') || DEFAULT_BOARD_TITLE;
  doc.transact(() => {
    const meta = metaMap(doc);
    meta.set('title', cleaned);
    if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', BOARD_SCHEMA_VERSION);
  }, origin);
}

export function setBoardTitle(doc: Y.Doc, title: string, origin: unknown = LOCAL_ORIGIN): string {
  const cleaned = cleanText(title, MAX_TITLE_LENGTH, 'The board title');
  if (!cleaned) throw new BoardOperationError('The board title cannot be empty');
  doc.transact(() => metaMap(doc).set('title', cleaned), origin);
  return cleaned;
}

export interface AddStepInput {
  position: Position;
  label?: string;
  lane?: string | null;
}

export function addStep(doc: Y.Doc, input: AddStepInput, origin: unknown = LOCAL_ORIGIN): string {
  const position = checkPosition(input.position);
  const label = cleanText(input.label ?? DEFAULT_STEP_LABEL, MAX_LABEL_LENGTH, 'A step label');
  const lane = input.lane ?? null;
  if (lane !== null && !lanesMap(doc).has(lane)) {
    throw new BoardOperationError(`No lane with id "${lane}" on this board`);
  }
  const id = newId();
  doc.transact(() => {
    nodesMap(doc).set(
      id,
      makeYMap({ id, kind: 'step', x: position.x, y: position.y, label: label || DEFAULT_STEP_LABEL, lane }),
    );
  }, origin);
  return id;
}

export interface AddNoteInput {
  position: Position;
  text?: string;
  colour?: NoteColour;
}

export function addNote(doc: Y.Doc, input: AddNoteInput, origin: unknown = LOCAL_ORIGIN): string {
  const position = checkPosition(input.position);
  const text = cleanNoteText(input.text ?? '');
  const colour = input.colour ?? 'yellow';
  if (!NOTE_COLOURS.includes(colour)) throw new BoardOperationError(`Unknown note colour "${String(colour)}"`);
  const id = newId();
  doc.transact(() => {
    nodesMap(doc).set(id, makeYMap({ id, kind: 'note', x: position.x, y: position.y, text, colour }));
  }, origin);
  return id;
}

/** Renames a step (its label) or rewrites a note (its text). */
export function renameNode(doc: Y.Doc, id: string, text: string, origin: unknown = LOCAL_ORIGIN): void {
  const node = getNode(doc, id);
  if (node.get('kind') === 'note') {
    const cleaned = cleanNoteText(text);
    doc.transact(() => node.set('text', cleaned), origin);
    return;
  }
  const cleaned = cleanText(text, MAX_LABEL_LENGTH, 'A label');
  if (!cleaned) throw new BoardOperationError('A label cannot be empty');
  doc.transact(() => node.set('label', cleaned), origin);
}

export interface NodeMove {
  id: string;
  position: Position;
}

/**
 * Moves one or several elements at once. Elements deleted meanwhile by
 * someone else are skipped rather than recreated: a late drag frame must
 * never bring back a step another person removed.
 */
export function moveNodes(doc: Y.Doc, moves: NodeMove[], origin: unknown = LOCAL_ORIGIN): void {
  const checked = moves.map((m) => ({ id: m.id, position: checkPosition(m.position) }));
  doc.transact(() => {
    const nodes = nodesMap(doc);
    for (const { id, position } of checked) {
      const node = nodes.get(id);
      if (!node) continue;
      if (node.get('x') !== position.x) node.set('x', position.x);
      if (node.get('y') !== position.y) node.set('y', position.y);
    }
  }, origin);
}

/** Which kinds of element each kind of edge may join (source → target). */
const EDGE_ENDS: Record<EdgeKind, { source: string[]; target: string[] }> = {
  flow: { source: ['step'], target: ['step'] },
  entry: { source: ['demand'], target: ['step'] },
  causes: { source: ['condition'], target: ['step', 'demand'] },
};

/**
 * Joins two elements. Connecting the same pair the same way twice gives back
 * the existing edge instead of drawing a second one on top of it.
 */
export function connect(
  doc: Y.Doc,
  source: string,
  target: string,
  kind: EdgeKind = 'flow',
  origin: unknown = LOCAL_ORIGIN,
): string {
  const ends = EDGE_ENDS[kind];
  if (!ends) throw new BoardOperationError(`Unknown kind of edge "${String(kind)}"`);
  if (source === target) throw new BoardOperationError('A step cannot be connected to itself');
  const sourceKind = String(getNode(doc, source).get('kind'));
  const targetKind = String(getNode(doc, target).get('kind'));
  if (!ends.source.includes(sourceKind) || !ends.target.includes(targetKind)) {
    throw new BoardOperationError(`A ${kind} edge cannot join a ${sourceKind} to a ${targetKind}`);
  }
  for (const edge of edgesMap(doc).values()) {
    if (edge.get('source') === source && edge.get('target') === target && edge.get('kind') === kind) {
      return String(edge.get('id'));
    }
  }
  const id = newId();
  doc.transact(() => {
    edgesMap(doc).set(id, makeYMap({ id, kind, source, target }));
  }, origin);
  return id;
}

export interface ElementIds {
  nodeIds?: string[];
  edgeIds?: string[];
}

/**
 * Deletes elements and every edge that touches a deleted element, in one
 * transaction, so no one ever sees (or undoes into) a dangling edge.
 * Ids that are already gone are ignored: two people deleting the same step
 * at once is not an error.
 */
export function deleteElements(doc: Y.Doc, ids: ElementIds, origin: unknown = LOCAL_ORIGIN): void {
  const nodeIds = new Set(ids.nodeIds ?? []);
  const edgeIds = new Set(ids.edgeIds ?? []);
  doc.transact(() => {
    const nodes = nodesMap(doc);
    const edges = edgesMap(doc);
    edges.forEach((edge: YEdge, id: string) => {
      if (nodeIds.has(String(edge.get('source'))) || nodeIds.has(String(edge.get('target')))) edgeIds.add(id);
    });
    for (const id of edgeIds) if (edges.has(id)) edges.delete(id);
    for (const id of nodeIds) if (nodes.has(id)) nodes.delete(id);
  }, origin);
}
