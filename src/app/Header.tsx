/**
 * The board header: back to the list, the title (click to rename), the board
 * tools (demand table, capability, tidy up) and connection and save state in words.
 */
import { useState } from 'react';
import { autoLayout, setBoardTitle } from '../model';
import { showToast } from '../collab/board-store';
import { DemandTable } from '../panels/DemandTable';
import { CapabilityEditor } from '../panels/CapabilityEditor';
import { useBoard, useBoardState } from '../collab/board-context';
import { describeSaveState } from '../collab/save-tracker';
import { describeConnection } from '../collab/status';
import { InlineEditor } from '../canvas/InlineEditor';
import { reportError } from '../canvas/node-actions';
import { Link } from '../ui/Link';
import { ExportMenu } from './ExportMenu';
import { BeforeAfterMenu } from '../compare/BeforeAfterMenu';
import { HereCount, WhoIsHere } from './WhoIsHere';

export function Header() {
  const { doc, store } = useBoard();
  const title = useBoardState((s) => s.title);
  const loaded = useBoardState((s) => s.loaded);
  const connection = useBoardState((s) => s.connection);
  const save = useBoardState((s) => s.save);
  const deviceCopy = useBoardState((s) => s.deviceCopy);
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<'demand' | 'capability' | null>(null);

  const tidyUp = () => {
    try {
      const moved = autoLayout(doc);
      showToast(
        store,
        moved === 0
          ? 'The board is already tidy.'
          : `Tidied up ${moved} ${moved === 1 ? 'element' : 'elements'} — undo puts them back.`,
      );
    } catch (error) {
      reportError(store, error);
    }
  };

  const commit = (text: string) => {
    setEditing(false);
    if (text.trim() === title) return;
    try {
      setBoardTitle(doc, text);
    } catch (error) {
      reportError(store, error);
    }
  };

  return (
    <header className="board-header">
      <Link href="/" className="back-link" data-testid="back-to-boards">
        ◂ Boards
      </Link>
      <div className="title-area">
        {editing ? (
          <InlineEditor
            initial={title}
            label="Board title"
            className="title-editor"
            onCommit={commit}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <button
            type="button"
            className="board-title"
            data-testid="board-title"
            title="Click to rename the board"
            disabled={!loaded}
            onClick={() => setEditing(true)}
          >
            <span className="board-title-text">{loaded ? title : 'Loading…'}</span>
          </button>
        )}
      </div>
      <div className="board-tools" role="group" aria-label="Board tools">
        <button
          type="button"
          className="button subtle tool-button"
          data-testid="open-demand-table"
          disabled={!loaded}
          onClick={() => setDialog('demand')}
        >
          Demand table
        </button>
        <button
          type="button"
          className="button subtle tool-button"
          data-testid="open-capability"
          disabled={!loaded}
          onClick={() => setDialog('capability')}
        >
          Capability
        </button>
        <button
          type="button"
          className="button subtle tool-button"
          data-testid="auto-layout"
          title="Lay the board out: purpose on top, demand on the left, the flow left to right in its lanes"
          disabled={!loaded}
          onClick={tidyUp}
        >
          Tidy up
        </button>
        <BeforeAfterMenu />
        <ExportMenu />
      </div>
      {dialog === 'demand' && <DemandTable onClose={() => setDialog(null)} />}
      {dialog === 'capability' && <CapabilityEditor onClose={() => setDialog(null)} />}
      <div className="status-area">
        <span
          className={`connection-status is-${connection.kind}`}
          data-testid="connection-status"
          role="status"
          aria-live="polite"
        >
          <span className="status-dot" aria-hidden="true" />
          {describeConnection(connection, deviceCopy)}
        </span>
        <HereCount />
        <span className={`save-status is-${save.kind}`} data-testid="save-status" role="status" aria-live="polite">
          {describeSaveState(save)}
        </span>
      </div>
      <WhoIsHere />
    </header>
  );
}
