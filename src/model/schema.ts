/**
 * The board document: how a purpose map is laid out inside a Y.Doc.
 *
 * Everything lives under four top-level maps keyed by id, never arrays, so
 * that concurrent inserts and deletes merge cleanly:
 *   meta   – board settings (title, counting period, format version)
 *   nodes  – every element placed on the canvas (steps, notes, and later
 *            demand, purpose, system conditions), each a nested Y.Map whose
 *            fields are separate keys: one person moving a step while
 *            another renames it both win.
 *   edges  – flow / entry / causes links, each a nested Y.Map
 *   lanes  – swimlanes (departments or roles)
 *
 * Only document fields are stored here. Selection, dragging and measured
 * sizes are local UI state and never enter the document.
 */
import * as Y from 'yjs';

/** Bumped when the shape of the document changes in a way readers must know. */
export const BOARD_SCHEMA_VERSION = 1;

/** The kinds of element that sit on the canvas. New kinds slot in here. */
export const NODE_KINDS = ['step', 'note', 'demand', 'purpose', 'condition'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export const EDGE_KINDS = ['flow', 'entry', 'causes'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export const NOTE_COLOURS = ['yellow', 'pink', 'blue', 'green', 'purple'] as const;
export type NoteColour = (typeof NOTE_COLOURS)[number];

/** A field value as stored in a node's Y.Map. */
export type FieldValue = string | number | boolean | null;

export type YNode = Y.Map<FieldValue>;
export type YEdge = Y.Map<FieldValue>;
export type YLane = Y.Map<FieldValue>;

export function metaMap(doc: Y.Doc): Y.Map<FieldValue> {
  return doc.getMap<FieldValue>('meta');
}
export function nodesMap(doc: Y.Doc): Y.Map<YNode> {
  return doc.getMap<YNode>('nodes');
}
export function edgesMap(doc: Y.Doc): Y.Map<YEdge> {
  return doc.getMap<YEdge>('edges');
}
export function lanesMap(doc: Y.Doc): Y.Map<YLane> {
  return doc.getMap<YLane>('lanes');
}
