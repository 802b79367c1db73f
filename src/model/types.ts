/**
 * Plain, immutable views of the board document: what the measures, the
 * exports and the UI read. Built from the Y.Doc by `readBoard` / `readNode`.
 */
import type { EdgeKind, NodeKind, NoteColour } from './schema';

export interface Position {
  x: number;
  y: number;
}

interface NodeBase {
  id: string;
  kind: NodeKind;
  position: Position;
}

/** A step in the flow of work: what a case really goes through. */
export interface Step extends NodeBase {
  kind: 'step';
  label: string;
  /** The lane (department or role) the step sits in, or null for none. */
  lane: string | null;
}

/** A workshop sticky note: thinking, questions, anything else. Counts in no measure. */
export interface Note extends NodeBase {
  kind: 'note';
  text: string;
  colour: NoteColour;
}

/**
 * Kinds the next issue fills in (demand, purpose, system condition). They are
 * read generically so that a board holding them still opens today.
 */
export interface OtherNode extends NodeBase {
  kind: Exclude<NodeKind, 'step' | 'note'>;
  label: string;
}

export type BoardNode = Step | Note | OtherNode;

export interface BoardEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
}

export interface Lane {
  id: string;
  name: string;
  order: number;
  colour: string;
}

export interface BoardMeta {
  title: string;
  schemaVersion: number;
}

export interface Board {
  meta: BoardMeta;
  nodes: BoardNode[];
  edges: BoardEdge[];
  lanes: Lane[];
}
