/**
 * Connect… (key K on a card): the cards this one can be linked to, by name,
 * with type-ahead. Enter makes the edge the method gives the two kinds
 * (flow, entry, causes) through the model's `connect`: one undo step, synced
 * like a drag. Escape, or a link made, gives the focus back to the card.
 */
import { useMemo } from 'react';
import { connect, linkTargets, readBoard, type LinkTarget } from '../model';
import { useBoard } from '../collab/board-context';
import { showToast } from '../collab/board-store';
import { reportError } from './node-actions';
import { TargetPicker } from './TargetPicker';

const EDGE_WORDS: Record<string, string> = { flow: 'flow', entry: 'entry', causes: 'causes' };

export function ConnectDialog({ fromId, onClose }: { fromId: string; onClose: (linked: boolean) => void }) {
  const { doc, store } = useBoard();
  const { from, targets } = useMemo(() => {
    const board = readBoard(doc);
    const node = board.nodes.find((n) => n.id === fromId);
    return {
      from: node ? (node.kind === 'note' ? node.text : node.label) : '',
      targets: linkTargets(board, fromId).filter((t) => t.existingEdge === null),
    };
  }, [doc, fromId]);

  const pick = (target: LinkTarget) => {
    try {
      connect(doc, target.source, target.target, target.edgeKind);
      const towards = target.source === fromId ? `to “${target.label}”` : `from “${target.label}”`;
      showToast(store, `Linked “${from}” ${towards} (${EDGE_WORDS[target.edgeKind]}).`);
      onClose(true);
    } catch (error) {
      reportError(store, error);
    }
  };

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose(false)}>
      <div
        className="dialog connect-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="connect-title"
        data-testid="connect-dialog"
      >
        <h2 id="connect-title">Connect “{from}” to…</h2>
        <p className="panel-hint">
          Type part of a name, choose with <kbd>↑</kbd> <kbd>↓</kbd>, <kbd>Enter</kbd> connects, <kbd>Esc</kbd> closes.
          The kind of arrow follows the method: step to step is flow, demand to step is entry, a system condition causes
          a step or a demand.
        </p>
        <TargetPicker
          targets={targets}
          label={`Connect “${from}” to`}
          testid="connect-picker"
          autoFocus
          onPick={pick}
          onEscape={() => onClose(false)}
        />
        <div className="dialog-actions">
          <button type="button" className="button" data-testid="connect-cancel" onClick={() => onClose(false)}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
