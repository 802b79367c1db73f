/** The left palette: one click adds an element at the centre of the view. Letters are the shortcuts. */
import { useBoardActions } from '../canvas/board-actions';

export function Palette() {
  const { addStepAt, addNoteAt } = useBoardActions();
  return (
    <nav className="palette" aria-label="Add to the board">
      <button
        type="button"
        className="palette-button"
        data-testid="add-step"
        title="Add a step (S)"
        onClick={() => addStepAt()}
      >
        <span className="palette-icon palette-step" aria-hidden="true" />
        <span className="palette-label">Step</span>
        <kbd>S</kbd>
      </button>
      <button
        type="button"
        className="palette-button"
        data-testid="add-note"
        title="Add a sticky note (N)"
        onClick={() => addNoteAt()}
      >
        <span className="palette-icon palette-note" aria-hidden="true" />
        <span className="palette-label">Note</span>
        <kbd>N</kbd>
      </button>
    </nav>
  );
}
