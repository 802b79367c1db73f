/**
 * The left palette: one click adds an element at the centre of the view.
 * Letters are the shortcuts. At the bottom, undo and redo of this person's
 * own changes.
 */
import { useBoardActions } from '../canvas/board-actions';
import { useBoardState, useBoardUndo } from '../collab/board-context';

interface Tool {
  testid: string;
  label: string;
  key: string;
  title: string;
  icon: string;
  run: () => void;
}

const IS_MAC = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const UNDO_KEYS = IS_MAC ? '⌘Z' : 'Ctrl+Z';
const REDO_KEYS = IS_MAC ? '⇧⌘Z' : 'Ctrl+Shift+Z or Ctrl+Y';

export function Palette() {
  const { addStepAt, addNoteAt, addDemandAt, addConditionAt, addLaneBelow, addOrSelectPurpose } = useBoardActions();
  const hasPurpose = useBoardState((s) => s.nodes.some((n) => n.type === 'purpose'));
  const canUndo = useBoardState((s) => s.canUndo);
  const canRedo = useBoardState((s) => s.canRedo);
  const undo = useBoardUndo();
  const tools: Tool[] = [
    {
      testid: 'add-step',
      label: 'Step',
      key: 'S',
      title: 'Add a step (S)',
      icon: 'palette-step',
      run: () => addStepAt(),
    },
    {
      testid: 'add-demand',
      label: 'Demand',
      key: 'D',
      title: 'Add a demand type, in the customer’s words (D)',
      icon: 'palette-demand',
      run: () => addDemandAt(),
    },
    { testid: 'add-lane', label: 'Lane', key: 'L', title: 'Add a lane (L)', icon: 'palette-lane', run: addLaneBelow },
    {
      testid: 'add-condition',
      label: 'Condition',
      key: 'C',
      title: 'Add a system condition (C)',
      icon: 'palette-condition',
      run: () => addConditionAt(),
    },
    {
      testid: 'add-note',
      label: 'Note',
      key: 'N',
      title: 'Add a sticky note (N)',
      icon: 'palette-note',
      run: () => addNoteAt(),
    },
    {
      testid: 'add-purpose',
      label: 'Purpose',
      key: 'P',
      title: hasPurpose ? 'Show the purpose (P)' : 'Add the purpose (P)',
      icon: 'palette-purpose',
      run: addOrSelectPurpose,
    },
  ];
  return (
    <nav className="palette" aria-label="Add to the board">
      {tools.map((tool) => (
        <button
          key={tool.testid}
          type="button"
          className="palette-button"
          data-testid={tool.testid}
          title={tool.title}
          onClick={tool.run}
        >
          <span className={`palette-icon ${tool.icon}`} aria-hidden="true" />
          <span className="palette-label">{tool.label}</span>
          <kbd>{tool.key}</kbd>
        </button>
      ))}
      {undo && (
        <div className="palette-history" role="group" aria-label="Undo and redo your own changes">
          <button
            type="button"
            className="palette-history-button"
            data-testid="undo"
            title={`Undo your last change (${UNDO_KEYS})`}
            aria-label="Undo"
            disabled={!canUndo}
            onClick={() => undo.undo()}
          >
            <span aria-hidden="true">↶</span>
          </button>
          <button
            type="button"
            className="palette-history-button"
            data-testid="redo"
            title={`Redo (${REDO_KEYS})`}
            aria-label="Redo"
            disabled={!canRedo}
            onClick={() => undo.redo()}
          >
            <span aria-hidden="true">↷</span>
          </button>
        </div>
      )}
    </nav>
  );
}
