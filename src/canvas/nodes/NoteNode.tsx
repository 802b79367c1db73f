/** A workshop sticky note: pastel, slightly rotated (the same way for everyone), free text. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { NoteFlowNode } from '../../collab/board-store';
import { useBoard, useBoardState } from '../../collab/board-context';
import { InlineEditor } from '../InlineEditor';
import { commitRename } from '../node-actions';
import { RemoteMarkLabel, remoteMarkProps, useRemoteMark } from '../RemoteSelection';
import { CardBadges } from '../CardBadges';
import { SimpleLabel, useSemanticZoom } from '../semantic-zoom';
import { CARD_SIZES } from '../../export/sizes';

/** A tilt between -2° and 2° derived from the id, so every screen shows the same. */
function tilt(id: string): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return ((Math.abs(hash) % 9) - 4) / 2;
}

const SIMPLE_NOTE_BOX = { width: CARD_SIZES.note.width - 24, height: CARD_SIZES.note.height - 20 };

function NoteNodeView({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const { doc, store } = useBoard();
  const editing = useBoardState((s) => s.editingId === id);
  const remote = useRemoteMark(id);
  const remoteProps = remoteMarkProps(remote);
  const { zoom, form } = useSemanticZoom();
  const simple = form === 'simple' && !editing && data.text !== '';
  return (
    <div
      className={`note-node note-${data.colour}${selected ? ' is-selected' : ''}${remoteProps.className}`}
      style={{ ...remoteProps.style, transform: editing ? undefined : `rotate(${tilt(id)}deg)` }}
      data-testid="note-node"
      data-id={id}
    >
      <RemoteMarkLabel mark={remote} />
      <CardBadges id={id} />
      {editing ? (
        <InlineEditor
          initial={data.text}
          multiline
          label="Note text (Ctrl+Enter to finish)"
          className="note-editor"
          onCommit={(text) => commitRename(doc, store, id, data.text, text)}
          onCancel={() => store.setState({ editingId: null })}
        />
      ) : simple ? (
        <SimpleLabel text={data.text} zoom={zoom} box={SIMPLE_NOTE_BOX} className="note-text" testId="note-text" />
      ) : (
        <div className={`note-text${data.text ? '' : ' is-empty'}`} data-testid="note-text">
          {data.text || 'Double-click to write'}
        </div>
      )}
    </div>
  );
}

export const NoteNode = memo(NoteNodeView);
