/** A system condition (ux.md): a grey-purple hexagon with its type; it causes waste steps or failure demand. */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { CONDITION_TYPE_NAMES } from '../../model';
import type { ConditionFlowNode } from '../../collab/board-store';
import { useBoard, useBoardState } from '../../collab/board-context';
import { InlineEditor } from '../InlineEditor';
import { commitRename } from '../node-actions';
import { RemoteMarkLabel, remoteMarkProps, useRemoteMark } from '../RemoteSelection';
import { CardBadges } from '../CardBadges';
import { SimpleLabel, useSemanticZoom } from '../semantic-zoom';
import { CARD_SIZES } from '../../export/sizes';

const SIMPLE_CONDITION_BOX = { width: CARD_SIZES.condition.width - 48, height: CARD_SIZES.condition.height + 40 };

function ConditionNodeView({ id, data, selected }: NodeProps<ConditionFlowNode>) {
  const { doc, store } = useBoard();
  const editing = useBoardState((s) => s.editingId === id);
  const remote = useRemoteMark(id);
  const remoteProps = remoteMarkProps(remote);
  const { zoom, form } = useSemanticZoom();
  const simple = form === 'simple' && !editing;
  return (
    <div
      className={`condition-node${selected ? ' is-selected' : ''}${remoteProps.className}`}
      style={remoteProps.style}
      data-testid="condition-node"
      data-id={id}
      data-type={data.conditionType}
    >
      <RemoteMarkLabel mark={remote} />
      <CardBadges id={id} />
      <Handle type="source" id="out" position={Position.Top} className="step-handle" />
      <div className="condition-shape">
        <div className="condition-inner">
          {simple ? (
            <SimpleLabel
              text={data.label}
              zoom={zoom}
              box={SIMPLE_CONDITION_BOX}
              className="condition-label"
              testId="condition-label"
            />
          ) : (
            <>
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
            </>
          )}
        </div>
      </div>
    </div>
  );
}

export const ConditionNode = memo(ConditionNodeView);
