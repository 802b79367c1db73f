/**
 * A demand type (ux.md): a speech-bubble card in the customer's words, its
 * count as a big number; value demand calm (teal, ✓), failure demand warm
 * (amber, ⚠) so colour is not the only signal; a small mark when predictable.
 */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { DemandFlowNode } from '../../collab/board-store';
import { useBoard, useBoardState } from '../../collab/board-context';
import { InlineEditor } from '../InlineEditor';
import { commitRename } from '../node-actions';
import { RemoteMarkLabel, remoteMarkProps, useRemoteMark } from '../RemoteSelection';
import { CardBadges } from '../CardBadges';
import { SimpleLabel, simpleMarkSize, useSemanticZoom } from '../semantic-zoom';
import { CARD_SIZES } from '../../export/sizes';

/** The words beside the count, in the rest of the card (the count takes about a third). */
const SIMPLE_DEMAND_BOX = { width: CARD_SIZES.demand.width - 140, height: CARD_SIZES.demand.height - 12 };

function DemandNodeView({ id, data, selected }: NodeProps<DemandFlowNode>) {
  const { doc, store } = useBoard();
  const editing = useBoardState((s) => s.editingId === id);
  const failure = data.demandClass === 'failure';
  const remote = useRemoteMark(id);
  const remoteProps = remoteMarkProps(remote);
  const { zoom, form } = useSemanticZoom();
  const simple = form === 'simple' && !editing;
  // A study type's card counts the study's entries in this person's window, live; a hand-made card its own count.
  const studyType = data.studyType;
  const studyCount = useBoardState((s) =>
    studyType === undefined ? null : (s.studyCounts?.byType.find((t) => t.type === studyType)?.count ?? 0),
  );
  const studyPredictable = useBoardState((s) =>
    studyType === undefined
      ? null
      : (s.studyCounts?.predictable.find((p) => p.type === studyType)?.predictable ?? false),
  );
  const count = studyCount ?? data.count;
  const predictable = studyPredictable ?? data.predictable;
  return (
    <div
      className={`demand-node ${failure ? 'is-failure' : 'is-value'}${selected ? ' is-selected' : ''}${remoteProps.className}`}
      style={remoteProps.style}
      data-testid="demand-node"
      data-id={id}
      data-class={data.demandClass}
      data-study-type={studyType}
    >
      <RemoteMarkLabel mark={remote} />
      <CardBadges id={id} />
      <Handle type="target" id="cause" position={Position.Bottom} className="step-handle cause-handle" />
      <div
        className="demand-count"
        style={simple ? { fontSize: simpleMarkSize(zoom) * 1.1 } : undefined}
        data-testid="demand-count"
        title={studyType === undefined ? `${count} in the period` : `${count} entries in the demand study's window`}
      >
        {simple && (failure ? '⚠ ' : '✓ ')}
        {count.toLocaleString('en-GB')}
      </div>
      {simple ? (
        <SimpleLabel
          text={data.words}
          zoom={zoom}
          box={SIMPLE_DEMAND_BOX}
          className="demand-words"
          testId="demand-words"
        />
      ) : (
        <div className="demand-body">
          <div className="demand-class" data-testid="demand-class">
            {failure ? '⚠ failure demand' : '✓ value demand'}
            {predictable && (
              <span className="demand-predictable" title="predictable: arrives at a steady rate">
                · predictable
              </span>
            )}
            {studyType !== undefined && (
              <span className="demand-study" title="Counted live from the demand study" data-testid="demand-study-mark">
                · study
              </span>
            )}
          </div>
          {editing ? (
            <InlineEditor
              initial={data.words}
              label="The customer's words"
              className="demand-editor"
              onCommit={(text) => commitRename(doc, store, id, data.words, text)}
              onCancel={() => store.setState({ editingId: null })}
            />
          ) : (
            <div className="demand-words" data-testid="demand-words">
              “{data.words}”
            </div>
          )}
        </div>
      )}
      <Handle type="source" id="out" position={Position.Right} className="step-handle" />
    </div>
  );
}

export const DemandNode = memo(DemandNodeView);
