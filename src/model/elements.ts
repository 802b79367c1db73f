/**
 * Named operations for the method's other elements: the purpose (with what
 * matters), system conditions, demand edits and the board's counting period.
 * Same rules as operations.ts: one `doc.transact` each (one update, one undo
 * step), local origin by default, and every check done before anything is
 * written, so a refused change leaves the document exactly as it was.
 *
 * Storage choices:
 * - A purpose statement and a condition's label are stored in `label`, the
 *   field `textFieldOf` gives every kind but notes and demand, so renameNode,
 *   readNode and the canvas show them with no special case.
 * - What matters is a short list (three to six items) that a team edits as a
 *   whole in one text box, so it is one string field `whatMatters` with the
 *   items separated by '\n' (an item's own whitespace, line breaks included,
 *   is collapsed to single spaces, so '\n' never occurs inside one). Two
 *   people editing the list at the same moment: the last writer wins for the
 *   whole list, like any other field. A nested Y.Array would merge item by
 *   item, but reordering and rewording a list of four lines together is what
 *   people do, and a merged list of half of each is worse than either.
 */
import * as Y from 'yjs';
import {
  assertUnlocked,
  BoardOperationError,
  LOCAL_ORIGIN,
  MAX_LABEL_LENGTH,
  MAX_TITLE_LENGTH,
  newId,
  checkDemandFields,
  type DemandFields,
} from './operations';
import { metaMap, nodesMap, type FieldValue, type YNode } from './schema';
import type { Position } from './types';

/** The kinds of system condition (method.md: the causes of waste). */
export const CONDITION_TYPES = [
  'target',
  'it',
  'procedure',
  'specialisation',
  'eligibility',
  'structure',
  'other',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

/** How each kind of system condition reads on its card, on the canvas and in the exports alike. */
export const CONDITION_TYPE_NAMES: Record<ConditionType, string> = {
  target: 'target',
  it: 'IT system',
  procedure: 'procedure',
  specialisation: 'specialisation',
  eligibility: 'eligibility',
  structure: 'structure',
  other: 'system condition',
};

/** At most this many what-matters items on one purpose: it is a short list by nature. */
export const MAX_WHAT_MATTERS = 20;
/** The counting period is a phrase ("one week", "4 weeks in March"). */
export const MAX_PERIOD_LENGTH = MAX_TITLE_LENGTH;

// ---------------------------------------------------------------- small checks (operations.ts keeps its own private)

function cleanText(text: unknown, max: number, what: string, field: string): string {
  if (typeof text !== 'string') throw new BoardOperationError(`${what} must be text`, field);
  const cleaned = text.replace(/\s+/g, ' ').trim();
  if (cleaned.length > max) {
    throw new BoardOperationError(`${what} is too long (${cleaned.length} characters, at most ${max})`, field);
  }
  return cleaned;
}

function requiredText(text: unknown, what: string, field: string): string {
  const cleaned = cleanText(text, MAX_LABEL_LENGTH, what, field);
  if (!cleaned) throw new BoardOperationError(`${what} cannot be empty`, field);
  return cleaned;
}

function checkPosition(position: Position): Position {
  if (!position || !Number.isFinite(position.x) || !Number.isFinite(position.y)) {
    throw new BoardOperationError('A position needs finite x and y', 'position');
  }
  return { x: position.x, y: position.y };
}

function getNodeOfKind(doc: Y.Doc, id: string, kind: string, what: string): YNode {
  const node = nodesMap(doc).get(id);
  if (!node) throw new BoardOperationError(`No element with id "${id}" on this board`);
  if (node.get('kind') !== kind) throw new BoardOperationError(`"${id}" is not ${what}`);
  // Every caller changes the element: a lock that stops this person refuses it here.
  assertUnlocked(doc, [id]);
  return node;
}

function makeYMap(fields: Record<string, FieldValue>): YNode {
  const map = new Y.Map<FieldValue>();
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
  return map;
}

/** Writes only the fields that differ, so an edit that changes nothing sends nothing. */
function writeChanges(doc: Y.Doc, node: YNode, changes: Record<string, FieldValue>, origin: unknown): void {
  doc.transact(() => {
    for (const [key, value] of Object.entries(changes)) if (node.get(key) !== value) node.set(key, value);
  }, origin);
}

// ---------------------------------------------------------------- purpose

/** Cleans a what-matters list: each item on one line, empty items dropped. */
function checkWhatMatters(items: unknown): string {
  if (!Array.isArray(items)) throw new BoardOperationError('What matters is a list of items', 'whatMatters');
  const cleaned = items
    .map((item) => cleanText(item, MAX_LABEL_LENGTH, 'A what-matters item', 'whatMatters'))
    .filter((item) => item !== '');
  if (cleaned.length > MAX_WHAT_MATTERS) {
    throw new BoardOperationError(
      `What matters has ${cleaned.length} items; keep it to ${MAX_WHAT_MATTERS} or fewer`,
      'whatMatters',
    );
  }
  return cleaned.join('\n');
}

/** The what-matters items of a purpose node (empty when it has none or the field is not text). */
export function whatMattersOf(node: YNode): string[] {
  const value = node.get('whatMatters');
  return typeof value === 'string' ? value.split('\n').filter((item) => item !== '') : [];
}

export interface PurposeFields {
  /** What the service is for, in customer terms. */
  statement: string;
  /** What matters to the customer, one item each. */
  whatMatters: string[];
}

export function addPurpose(
  doc: Y.Doc,
  input: PurposeFields & { position: Position },
  origin: unknown = LOCAL_ORIGIN,
): string {
  const position = checkPosition(input.position);
  const label = requiredText(input.statement, 'The purpose statement', 'statement');
  const whatMatters = checkWhatMatters(input.whatMatters);
  const id = newId();
  doc.transact(() => {
    nodesMap(doc).set(id, makeYMap({ id, kind: 'purpose', x: position.x, y: position.y, label, whatMatters }));
  }, origin);
  return id;
}

export function updatePurpose(
  doc: Y.Doc,
  id: string,
  fields: Partial<PurposeFields>,
  origin: unknown = LOCAL_ORIGIN,
): void {
  const node = getNodeOfKind(doc, id, 'purpose', 'a purpose');
  const changes: Record<string, FieldValue> = {};
  if (fields.statement !== undefined)
    changes.label = requiredText(fields.statement, 'The purpose statement', 'statement');
  if (fields.whatMatters !== undefined) changes.whatMatters = checkWhatMatters(fields.whatMatters);
  writeChanges(doc, node, changes, origin);
}

// ---------------------------------------------------------------- system conditions

function checkConditionType(type: unknown): ConditionType {
  if (!CONDITION_TYPES.includes(type as ConditionType)) {
    throw new BoardOperationError(
      `"${String(type)}" is not a kind of system condition (${CONDITION_TYPES.join(', ')})`,
      'conditionType',
    );
  }
  return type as ConditionType;
}

export interface ConditionFields {
  label: string;
  conditionType: ConditionType;
}

export function addCondition(
  doc: Y.Doc,
  input: ConditionFields & { position: Position },
  origin: unknown = LOCAL_ORIGIN,
): string {
  const position = checkPosition(input.position);
  const label = requiredText(input.label, 'A system condition', 'label');
  const conditionType = checkConditionType(input.conditionType);
  const id = newId();
  doc.transact(() => {
    nodesMap(doc).set(id, makeYMap({ id, kind: 'condition', x: position.x, y: position.y, label, conditionType }));
  }, origin);
  return id;
}

export function updateCondition(
  doc: Y.Doc,
  id: string,
  fields: Partial<ConditionFields>,
  origin: unknown = LOCAL_ORIGIN,
): void {
  const node = getNodeOfKind(doc, id, 'condition', 'a system condition');
  const changes: Record<string, FieldValue> = {};
  if (fields.label !== undefined) changes.label = requiredText(fields.label, 'A system condition', 'label');
  if (fields.conditionType !== undefined) changes.conditionType = checkConditionType(fields.conditionType);
  writeChanges(doc, node, changes, origin);
}

// ---------------------------------------------------------------- demand

/**
 * Changes any fields of a demand type, with addDemand's rules: the customer's
 * words are not empty, the class is value or failure, a count is a whole
 * number of 0 or more.
 */
export function updateDemand(
  doc: Y.Doc,
  id: string,
  fields: Partial<DemandFields>,
  origin: unknown = LOCAL_ORIGIN,
): void {
  const node = getNodeOfKind(doc, id, 'demand', 'a demand type');
  const changes = checkDemandFields(fields);
  writeChanges(doc, node, changes, origin);
}

// ---------------------------------------------------------------- counting period

/**
 * Sets the period the demand counts cover ("one week"), a board setting in
 * meta key `period`. An empty period clears it: the counts then cover no
 * stated period, and the demand card says so.
 */
export function setPeriod(doc: Y.Doc, period: string, origin: unknown = LOCAL_ORIGIN): void {
  const cleaned = cleanText(period, MAX_PERIOD_LENGTH, 'The counting period', 'period');
  doc.transact(() => {
    const meta = metaMap(doc);
    if (cleaned === '') {
      if (meta.has('period')) meta.delete('period');
    } else if (meta.get('period') !== cleaned) meta.set('period', cleaned);
  }, origin);
}

/** The board's counting period, or null when none is set. */
export function readPeriod(doc: Y.Doc): string | null {
  const period = metaMap(doc).get('period');
  return typeof period === 'string' && period !== '' ? period : null;
}
