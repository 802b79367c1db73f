/**
 * A step in the flow: a rectangle with its label. Room is left (the top
 * strip) for the value/waste class and lane that a later issue adds.
 */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { StepFlowNode } from '../../collab/board-store';
import { useBoard, useBoardState } from '../../collab/board-context';
import { InlineEditor } from '../InlineEditor';
import { commitRename } from '../node-actions';

function StepNodeView({ id, data, selected }: NodeProps<StepFlowNode>) {
  const { doc, store } = useBoard();
  const editing = useBoardState((s) => s.editingId === id);
  return (
    <div className={`step-node${selected ? ' is-selected' : ''}`} data-testid="step-node" data-id={id}>
      <Handle type="target" position={Position.Left} className="step-handle" data-testid="step-handle-in" />
      {editing ? (
        <InlineEditor
          initial={data.label}
          label="Step name"
          className="step-editor"
          onCommit={(text) => commitRename(doc, store, id, data.label, text)}
          onCancel={() => store.setState({ editingId: null })}
        />
      ) : (
        <div className="step-label" data-testid="step-label">
          {data.label}
        </div>
      )}
      <Handle type="source" position={Position.Right} className="step-handle" data-testid="step-handle-out" />
    </div>
  );
}

export const StepNode = memo(StepNodeView);
