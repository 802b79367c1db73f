/**
 * The components React Flow draws each kind of board element with: one list,
 * shared by the live canvas and the read-only maps (versions, comparison),
 * so a card looks the same wherever it appears.
 */
import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { StepNode } from './nodes/StepNode';
import { NoteNode } from './nodes/NoteNode';
import { OtherNode } from './nodes/OtherNode';
import { DemandNode } from './nodes/DemandNode';
import { PurposeNode } from './nodes/PurposeNode';
import { ConditionNode } from './nodes/ConditionNode';
import { BoardEdge } from './edges/BoardEdge';

export const BOARD_NODE_TYPES: NodeTypes = {
  step: StepNode,
  note: NoteNode,
  demand: DemandNode,
  purpose: PurposeNode,
  condition: ConditionNode,
  other: OtherNode,
};

export const BOARD_EDGE_TYPES: EdgeTypes = { board: BoardEdge };
