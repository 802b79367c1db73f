/** A system condition (ux.md): a grey-purple hexagon with its type; it causes waste steps or failure demand. */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { CONDITION_TYPE_NAMES } from '../../model';
import type { ConditionFlowNode } from '../../collab/board-store';
import { useBoard, useBoardState } from '../../collab/board-context';
import { InlineEditor } from '../InlineEditor';
import { commitRename } from '../node-actions';
import { RemoteMarkLabel, remoteMarkProps, useRemoteMark } from '../RemoteSelection';

function ConditionNodeView({ id, data, selected }: NodeProps<ConditionFlowNode>) {
  const { doc, store } = useBoard();
  const editing = useBoardState((s) => s.editingId === id);
  const remote = useRemoteMark(id);
  const remoteProps = remoteMarkProps(remote);
  return (
    <div
      className={`condition-node${selected ? ' is-selected' : ''}${remoteProps.className}`}
      style={remoteProps.style}
      data-testid="condition-node"
      data-id={id}
      data-type={data.conditionType}
    >
      <RemoteMarkLabel mark={remote} />
      <Handle type="source" id="out" position={Position.Top} className="step-handle" />
      <div className="condition-shape">
        <div className="condition-inner">
          <div className="condition-type" data-testid="condition-type">
            ⬡ {CONDITION_TYPE_NAMES[data.conditionType]}
          </div>
          {editing ? (
            <InlineEditor
              initial={data.label}
              label="System condition"
              className="condition-editor"
              onCommit={(text) => commitRename(doc, store, id, data.label, text)}
              onCancel={() => store.setState({ editingId: null })}
            />
          ) : (
            <div className="condition-label" data-testid="condition-label">
              {data.label}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

export const ConditionNode = memo(ConditionNodeView);
