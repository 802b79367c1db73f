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
  EDGE_KINDS,
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
import { WASTE_TYPES, type StepClass, type WasteType } from './measures';

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
  /** The field the message is about, so a form can show it in place. */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.name = 'BoardOperationError';
    this.field = field;
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

/** A node this person is about to change: refused (before anything is written) when a lock stops them. */
function getWritableNode(doc: Y.Doc, id: string): YNode {
  const node = getNode(doc, id);
  assertUnlocked(doc, [id]);
  return node;
}

/**
 * The node field that says a facilitator locked the element: their display
 * name. Absent (or empty) means unlocked. The sync server refuses every
 * change to a locked element, and to this field, from anyone but a
 * facilitator (server/sync/element-locks.ts); the client's guard below
 * refuses them first, so the person sees why instead of a reset.
 */
export const LOCKED_BY_FIELD = 'lockedBy';

/** Who locked this node, or null when it is not locked. */
export function lockedByOf(node: YNode | undefined): string | null {
  const value = node?.get(LOCKED_BY_FIELD);
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Per document on a client: whether locks stop this person (everyone but a
 * facilitator). A document without a guard (the server, a test, the CLI) is
 * never stopped here: the server checks roles itself.
 */
const lockGuards = new WeakMap<Y.Doc, () => boolean>();

export function guardLockedElements(doc: Y.Doc, locksStopMe: (() => boolean) | null): void {
  if (locksStopMe) lockGuards.set(doc, locksStopMe);
  else lockGuards.delete(doc);
}

/** True when `id` is locked and the locks stop this person. */
export function isLockedForMe(doc: Y.Doc, id: string): boolean {
  const stops = lockGuards.get(doc);
  return stops !== undefined && lockedByOf(nodesMap(doc).get(id)) !== null && stops();
}

/** The words of a refused change to a locked element. */
export function lockedMessage(node: YNode): string {
  const text = node.get(textFieldOf(node.get('kind')));
  const name = typeof text === 'string' && text.trim() !== '' ? `“${text.trim().slice(0, 40)}”` : 'This card';
  return `${name} is locked by ${lockedByOf(node) ?? 'the facilitator'}: only a facilitator can change it.`;
}

/** Throws the lock's reason when any of `ids` is locked for this person. */
export function assertUnlocked(doc: Y.Doc, ids: Iterable<string>): void {
  if (!lockGuards.has(doc)) return;
  for (const id of ids) {
    if (isLockedForMe(doc, id)) throw new BoardOperationError(lockedMessage(nodesMap(doc).get(id)!));
  }
}

/**
 * Locks (a facilitator's name) or unlocks (null) elements, in one
 * transaction. Ids already gone are skipped. Only a facilitator's lock is
 * taken by the server.
 */
export function setLocked(doc: Y.Doc, ids: string[], by: string | null, origin: unknown = LOCAL_ORIGIN): void {
  const name = by === null ? null : cleanText(by, MAX_TITLE_LENGTH, 'A name') || 'the facilitator';
  doc.transact(() => {
    const nodes = nodesMap(doc);
    for (const id of ids) {
      const node = nodes.get(id);
      if (!node) continue;
      if (name === null) {
        if (node.has(LOCKED_BY_FIELD)) node.delete(LOCKED_BY_FIELD);
      } else if (node.get(LOCKED_BY_FIELD) !== name) node.set(LOCKED_BY_FIELD, name);
    }
  }, origin);
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

/** The field that holds what an element says: a note's text, a demand's words, anything else's label. */
export function textFieldOf(kind: unknown): 'text' | 'words' | 'label' {
  return kind === 'note' ? 'text' : kind === 'demand' ? 'words' : 'label';
}

/** Renames a step (its label), rewrites a note (its text) or a demand (the customer's words). */
export function renameNode(doc: Y.Doc, id: string, text: string, origin: unknown = LOCAL_ORIGIN): void {
  const node = getWritableNode(doc, id);
  const field = textFieldOf(node.get('kind'));
  if (field === 'text') {
    const cleaned = cleanNoteText(text);
    doc.transact(() => node.set('text', cleaned), origin);
    return;
  }
  const cleaned = cleanText(text, MAX_LABEL_LENGTH, 'A label');
  if (!cleaned) throw new BoardOperationError('A label cannot be empty');
  doc.transact(() => node.set(field, cleaned), origin);
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
  assertUnlocked(
    doc,
    checked.map((m) => m.id),
  );
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
 * the existing edge instead of drawing a second one on top of it. A flow
 * marked rework and a plain flow between the same two steps are two edges
 * (method.md, "Settled choices"): the plain one still carries the main path,
 * so `rework` is part of "the same way".
 */
export function connect(
  doc: Y.Doc,
  source: string,
  target: string,
  kind: EdgeKind = 'flow',
  origin: unknown = LOCAL_ORIGIN,
  options: { rework?: boolean } = {},
): string {
  // Checked against the list, not the object: "toString" is a key of every object.
  if (!EDGE_KINDS.includes(kind)) throw new BoardOperationError(`Unknown kind of edge "${String(kind)}"`);
  const rework = options.rework === true;
  if (rework && kind !== 'flow') throw new BoardOperationError('Only a flow edge can be rework');
  const ends = EDGE_ENDS[kind];
  if (source === target) throw new BoardOperationError('A step cannot be connected to itself');
  const sourceKind = String(getNode(doc, source).get('kind'));
  const targetKind = String(getNode(doc, target).get('kind'));
  if (!ends.source.includes(sourceKind) || !ends.target.includes(targetKind)) {
    throw new BoardOperationError(`A ${kind} edge cannot join a ${sourceKind} to a ${targetKind}`);
  }
  for (const edge of edgesMap(doc).values()) {
    if (
      edge.get('source') === source &&
      edge.get('target') === target &&
      edge.get('kind') === kind &&
      (edge.get('rework') === true) === rework
    ) {
      return String(edge.get('id'));
    }
  }
  const id = newId();
  doc.transact(() => {
    edgesMap(doc).set(id, makeYMap(rework ? { id, kind, source, target, rework } : { id, kind, source, target }));
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
  assertUnlocked(doc, nodeIds);
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

/** The fields of a step the inspector edits. Null clears a field. */
export interface StepFields {
  label?: string;
  lane?: string | null;
  stepClass?: StepClass | null;
  wasteType?: WasteType | null;
  /** Process time in minutes. */
  pt?: number | null;
  /** Lead time in minutes; never less than PT. */
  lt?: number | null;
  /** %C&A, 0–100. */
  ca?: number | null;
  customerContact?: boolean;
}

function checkMinutes(value: number | null | undefined, field: 'pt' | 'lt'): void {
  if (value === null || value === undefined) return;
  if (!Number.isFinite(value) || value < 0) {
    throw new BoardOperationError(`${field === 'pt' ? 'Process time' : 'Lead time'} must be 0 or more`, field);
  }
}

/**
 * Changes any fields of a step in one transaction, after checking the whole
 * result: LT ≥ PT, %C&A within 0–100, a known waste type, an existing lane.
 * Nothing is written when any check fails. Making a step "value" clears its
 * waste type, which only a waste step has.
 */
export function updateStep(doc: Y.Doc, id: string, fields: StepFields, origin: unknown = LOCAL_ORIGIN): void {
  const node = getWritableNode(doc, id);
  if (node.get('kind') !== 'step') throw new BoardOperationError(`"${id}" is not a step`);
  const changes: Record<string, FieldValue> = {};
  if (fields.label !== undefined) {
    const label = cleanText(fields.label, MAX_LABEL_LENGTH, 'A label');
    if (!label) throw new BoardOperationError('A label cannot be empty', 'label');
    changes.label = label;
  }
  if (fields.lane !== undefined) {
    if (fields.lane !== null && !lanesMap(doc).has(fields.lane)) {
      throw new BoardOperationError(`No lane with id "${fields.lane}" on this board`, 'lane');
    }
    changes.lane = fields.lane;
  }
  if (fields.stepClass !== undefined) {
    if (fields.stepClass !== null && fields.stepClass !== 'value' && fields.stepClass !== 'waste') {
      throw new BoardOperationError('A step is value or waste', 'stepClass');
    }
    changes.stepClass = fields.stepClass;
    if (fields.stepClass === 'value') changes.wasteType = null;
  }
  if (fields.wasteType !== undefined) {
    if (fields.wasteType !== null && !WASTE_TYPES.includes(fields.wasteType)) {
      throw new BoardOperationError(
        `"${String(fields.wasteType)}" is not a waste type (${WASTE_TYPES.join(', ')})`,
        'wasteType',
      );
    }
    const stepClass = fields.stepClass !== undefined ? fields.stepClass : node.get('stepClass');
    if (fields.wasteType !== null && stepClass === 'value') {
      throw new BoardOperationError('Only a waste step has a waste type', 'wasteType');
    }
    changes.wasteType = fields.wasteType;
  }
  checkMinutes(fields.pt, 'pt');
  checkMinutes(fields.lt, 'lt');
  if (fields.pt !== undefined) changes.pt = fields.pt;
  if (fields.lt !== undefined) changes.lt = fields.lt;
  const pt = (fields.pt !== undefined ? fields.pt : node.get('pt')) as number | null | undefined;
  const lt = (fields.lt !== undefined ? fields.lt : node.get('lt')) as number | null | undefined;
  if (typeof pt === 'number' && typeof lt === 'number' && lt < pt) {
    throw new BoardOperationError(
      'Lead time cannot be less than process time (LT includes PT)',
      fields.lt !== undefined ? 'lt' : 'pt',
    );
  }
  if (fields.ca !== undefined) {
    if (fields.ca !== null && (!Number.isFinite(fields.ca) || fields.ca < 0 || fields.ca > 100)) {
      throw new BoardOperationError('%C&A must be from 0 to 100', 'ca');
    }
    changes.ca = fields.ca;
  }
  if (fields.customerContact !== undefined) changes.customerContact = fields.customerContact === true;
  doc.transact(() => {
    for (const [key, value] of Object.entries(changes)) if (node.get(key) !== value) node.set(key, value);
  }, origin);
}

/** Marks a flow edge as rework (a loop back), or unmarks it. */
export function setRework(doc: Y.Doc, edgeId: string, rework: boolean, origin: unknown = LOCAL_ORIGIN): void {
  const edge = edgesMap(doc).get(edgeId);
  if (!edge) throw new BoardOperationError(`No edge with id "${edgeId}" on this board`);
  if (edge.get('kind') !== 'flow') throw new BoardOperationError('Only a flow edge can be rework');
  doc.transact(() => edge.set('rework', rework), origin);
}

export interface DemandFields {
  words: string;
  demandClass: 'value' | 'failure';
  count: number;
  predictable: boolean;
}

/** Checks demand fields and gives the changes to write; throws before anything is written. */
export function checkDemandFields(fields: Partial<DemandFields>): Record<string, FieldValue> {
  const changes: Record<string, FieldValue> = {};
  if (fields.words !== undefined) {
    const words = cleanText(fields.words, MAX_LABEL_LENGTH, "The customer's words");
    if (!words) throw new BoardOperationError("The customer's words cannot be empty", 'words');
    changes.words = words;
  }
  if (fields.demandClass !== undefined) {
    if (fields.demandClass !== 'value' && fields.demandClass !== 'failure') {
      throw new BoardOperationError('Demand is value or failure', 'demandClass');
    }
    changes.demandClass = fields.demandClass;
  }
  if (fields.count !== undefined) {
    if (!Number.isInteger(fields.count) || fields.count < 0) {
      throw new BoardOperationError('A count is a whole number of 0 or more', 'count');
    }
    changes.count = fields.count;
  }
  if (fields.predictable !== undefined) changes.predictable = fields.predictable === true;
  return changes;
}

/** Adds a demand type: the customer's words, value or failure, its count over the board's period. */
export function addDemand(
  doc: Y.Doc,
  input: DemandFields & { position: Position },
  origin: unknown = LOCAL_ORIGIN,
): string {
  const position = checkPosition(input.position);
  const fields = checkDemandFields(input);
  const id = newId();
  doc.transact(() => {
    nodesMap(doc).set(id, makeYMap({ id, kind: 'demand', x: position.x, y: position.y, ...fields }));
  }, origin);
  return id;
}

// ---------------------------------------------------------------- lanes

/** Lane colours a team can pick; light enough for dark text, distinct on a projector. */
export const LANE_COLOURS = ['#e0f2fe', '#fef3c7', '#ede9fe', '#dcfce7', '#fee2e2', '#f1f5f9', '#fae8ff', '#ffedd5'];

function checkColour(colour: string): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(colour))
    throw new BoardOperationError(`"${colour}" is not a colour like #e0f2fe`, 'colour');
  return colour.toLowerCase();
}

function getLane(doc: Y.Doc, id: string) {
  const lane = lanesMap(doc).get(id);
  if (!lane) throw new BoardOperationError(`No lane with id "${id}" on this board`);
  return lane;
}

/** Adds a lane (a department or role) below the others. */
export function addLane(doc: Y.Doc, name: string, colour?: string, origin: unknown = LOCAL_ORIGIN): string {
  const cleaned = cleanText(name, MAX_LABEL_LENGTH, 'A lane name');
  if (!cleaned) throw new BoardOperationError('A lane name cannot be empty', 'name');
  const lanes = lanesMap(doc);
  let order = 0;
  lanes.forEach((lane) => (order = Math.max(order, Number(lane.get('order') ?? 0) + 1)));
  const chosen = checkColour(colour ?? LANE_COLOURS[lanes.size % LANE_COLOURS.length]);
  const id = newId();
  doc.transact(() => lanes.set(id, makeYMap({ id, name: cleaned, order, colour: chosen })), origin);
  return id;
}

export function renameLane(doc: Y.Doc, id: string, name: string, origin: unknown = LOCAL_ORIGIN): void {
  const lane = getLane(doc, id);
  const cleaned = cleanText(name, MAX_LABEL_LENGTH, 'A lane name');
  if (!cleaned) throw new BoardOperationError('A lane name cannot be empty', 'name');
  doc.transact(() => lane.set('name', cleaned), origin);
}

export function recolourLane(doc: Y.Doc, id: string, colour: string, origin: unknown = LOCAL_ORIGIN): void {
  const lane = getLane(doc, id);
  const chosen = checkColour(colour);
  doc.transact(() => lane.set('colour', chosen), origin);
}

/**
 * Puts the lanes in the given order (top to bottom). Lanes left out of the
 * list — added by someone else meanwhile — keep their place after the others.
 */
export function reorderLanes(doc: Y.Doc, orderedIds: string[], origin: unknown = LOCAL_ORIGIN): void {
  for (const id of orderedIds) getLane(doc, id);
  doc.transact(() => {
    const lanes = lanesMap(doc);
    const rest = [...lanes.keys()]
      .filter((id) => !orderedIds.includes(id))
      .sort((a, b) => Number(lanes.get(a)!.get('order')) - Number(lanes.get(b)!.get('order')));
    [...orderedIds, ...rest].forEach((id, index) => {
      if (lanes.get(id)!.get('order') !== index) lanes.get(id)!.set('order', index);
    });
  }, origin);
}

/** Removes a lane; its steps stay on the board, in no lane. */
export function removeLane(doc: Y.Doc, id: string, origin: unknown = LOCAL_ORIGIN): void {
  getLane(doc, id);
  const inLane: string[] = [];
  nodesMap(doc).forEach((node, nodeId) => {
    if (node.get('lane') === id) inLane.push(nodeId);
  });
  assertUnlocked(doc, inLane);
  doc.transact(() => {
    nodesMap(doc).forEach((node) => {
      if (node.get('lane') === id) node.set('lane', null);
    });
    lanesMap(doc).delete(id);
  }, origin);
}
