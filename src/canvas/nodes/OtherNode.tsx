/** Element kinds a later issue draws properly (demand, purpose, condition): shown plainly so the board still opens. */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { OtherFlowNode } from '../../collab/board-store';

function OtherNodeView({ data, selected }: NodeProps<OtherFlowNode>) {
  return (
    <div className={`other-node${selected ? ' is-selected' : ''}`} data-testid="other-node">
      <Handle type="target" position={Position.Left} className="step-handle" />
      <div className="other-kind">{data.kind}</div>
      <div className="step-label">{data.label}</div>
      <Handle type="source" position={Position.Right} className="step-handle" />
    </div>
  );
}

export const OtherNode = memo(OtherNodeView);
