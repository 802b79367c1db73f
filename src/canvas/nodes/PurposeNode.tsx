/** The purpose (ux.md): a wide card at the top of the board, large type, what matters as a bulleted list. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { PurposeFlowNode } from '../../collab/board-store';
import { useBoard, useBoardState } from '../../collab/board-context';
import { InlineEditor } from '../InlineEditor';
import { commitRename } from '../node-actions';
import { RemoteMarkLabel, remoteMarkProps, useRemoteMark } from '../RemoteSelection';
import { CardBadges } from '../CardBadges';
import { SimpleLabel, useSemanticZoom } from '../semantic-zoom';
import { CARD_SIZES } from '../../export/sizes';

const SIMPLE_PURPOSE_BOX = { width: CARD_SIZES.purpose.width - 40, height: CARD_SIZES.purpose.height };

function PurposeNodeView({ id, data, selected }: NodeProps<PurposeFlowNode>) {
  const { doc, store } = useBoard();
  const editing = useBoardState((s) => s.editingId === id);
  const remote = useRemoteMark(id);
  const remoteProps = remoteMarkProps(remote);
  const { zoom, form } = useSemanticZoom();
  const simple = form === 'simple' && !editing;
  return (
    <div
      className={`purpose-node${selected ? ' is-selected' : ''}${remoteProps.className}`}
      style={remoteProps.style}
      data-testid="purpose-node"
      data-id={id}
    >
      <RemoteMarkLabel mark={remote} />
      <CardBadges id={id} />
      <div className="purpose-kind">Purpose</div>
      {editing ? (
        <InlineEditor
          initial={data.statement}
          label="Purpose statement"
          className="purpose-editor"
          onCommit={(text) => commitRename(doc, store, id, data.statement, text)}
          onCancel={() => store.setState({ editingId: null })}
        />
      ) : simple ? (
        <SimpleLabel
          text={data.statement}
          zoom={zoom}
          box={SIMPLE_PURPOSE_BOX}
          className="purpose-statement"
          testId="purpose-statement"
        />
      ) : (
        <div className="purpose-statement" data-testid="purpose-statement">
          {data.statement}
        </div>
      )}
      {!simple && data.whatMatters.length > 0 && (
        <div className="purpose-matters">
          <div className="purpose-matters-title">What matters</div>
          <ul data-testid="purpose-what-matters">
            {data.whatMatters.map((item, index) => (
              <li key={index}>{item}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export const PurposeNode = memo(PurposeNodeView);
