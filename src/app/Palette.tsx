/**
 * The left palette: one click adds an element at the centre of the view.
 * Letters are the shortcuts. At the bottom, undo and redo of this person's
 * own changes.
 */
import { useBoardActions } from '../canvas/board-actions';
import { ADD_KEYS, REDO_KEYS, SHORTCUT_SHEET_KEY, UNDO_KEYS } from '../canvas/shortcuts';
import { useBoardState, useBoardUndo } from '../collab/board-context';
import { openShortcutSheet } from './ShortcutSheet';

interface Tool {
  testid: string;
  label: string;
  key: string;
  title: string;
  icon: string;
  run: () => void;
}

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
      key: ADD_KEYS.step,
      title: `Add a step (${ADD_KEYS.step})`,
      icon: 'palette-step',
      run: () => addStepAt(),
    },
    {
      testid: 'add-demand',
      label: 'Demand',
      key: ADD_KEYS.demand,
      title: `Add a demand type, in the customer’s words (${ADD_KEYS.demand})`,
      icon: 'palette-demand',
      run: () => addDemandAt(),
    },
    {
      testid: 'add-lane',
      label: 'Lane',
      key: ADD_KEYS.lane,
      title: `Add a lane (${ADD_KEYS.lane})`,
      icon: 'palette-lane',
      run: addLaneBelow,
    },
    {
      testid: 'add-condition',
      label: 'Condition',
      key: ADD_KEYS.condition,
      title: `Add a system condition (${ADD_KEYS.condition})`,
      icon: 'palette-condition',
      run: () => addConditionAt(),
    },
    {
      testid: 'add-note',
      label: 'Note',
      key: ADD_KEYS.note,
      title: `Add a sticky note (${ADD_KEYS.note})`,
      icon: 'palette-note',
      run: () => addNoteAt(),
    },
    {
      testid: 'add-purpose',
      label: 'Purpose',
      key: ADD_KEYS.purpose,
      title: `${hasPurpose ? 'Show' : 'Add'} the purpose (${ADD_KEYS.purpose})`,
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
      <button
        type="button"
        className="palette-button palette-keys"
        data-testid="show-keys"
        title={`Show every key (${SHORTCUT_SHEET_KEY})`}
        onClick={openShortcutSheet}
      >
        <span className="palette-icon palette-keys-icon" aria-hidden="true">
          ⌨
        </span>
        <span className="palette-label">Keys</span>
        <kbd>{SHORTCUT_SHEET_KEY}</kbd>
      </button>
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
