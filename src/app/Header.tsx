/** The board header: back to the list, the title (click to rename), connection and save state in words. */
import { useState } from 'react';
import { setBoardTitle } from '../model';
import { useBoard, useBoardState } from '../collab/board-context';
import { describeSaveState } from '../collab/save-tracker';
import type { ConnectionState } from '../collab/board-store';
import { InlineEditor } from '../canvas/InlineEditor';
import { reportError } from '../canvas/node-actions';
import { Link } from './Link';

function describeConnection(connection: ConnectionState): string {
  switch (connection.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return 'Live';
    case 'offline':
      return 'Offline — reconnecting…';
    case 'closed':
      return `Disconnected — ${connection.message}`;
  }
}

export function Header() {
  const { doc, store } = useBoard();
  const title = useBoardState((s) => s.title);
  const loaded = useBoardState((s) => s.loaded);
  const connection = useBoardState((s) => s.connection);
  const save = useBoardState((s) => s.save);
  const [editing, setEditing] = useState(false);

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
      <div className="status-area">
        <span
          className={`connection-status is-${connection.kind}`}
          data-testid="connection-status"
          role="status"
          aria-live="polite"
        >
          <span className="status-dot" aria-hidden="true" />
          {describeConnection(connection)}
        </span>
        <span className={`save-status is-${save.kind}`} data-testid="save-status" role="status" aria-live="polite">
          {describeSaveState(save)}
        </span>
      </div>
    </header>
  );
}
