/**
 * The board header: back to the list, the title (click to rename), the board
 * tools (demand table, capability, tidy up) and connection and save state in words.
 * When the header is crowded the tools fold into a "Tools ▾" menu before the
 * title is cut (header-fold.ts).
 */
import { Suspense, useCallback, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { setBoardTitle } from '../model';
import { FIT_VIEW_OPTIONS } from '../canvas/free-spot';
import { canEditNow, showToast } from '../collab/board-store';
import { accessBadge } from '../collab/access';
import { navigate, parseRoute, studyPath } from '../ui/router';
import { ShareMenu } from './ShareMenu';
import { useBoard, useBoardState } from '../collab/board-context';
import { describeSaveState } from '../collab/save-tracker';
import { describeConnection } from '../collab/status';
import { InlineEditor } from '../canvas/InlineEditor';
import { reportError } from '../canvas/node-actions';
import { Link } from '../ui/Link';
import { ExportMenu } from './ExportMenu';
import { BeforeAfterMenu } from '../compare/BeforeAfterMenu';
import { BRING_EVERYONE_HINT, HereCount, WhoIsHere, useBringEveryone } from './WhoIsHere';
import { useHeaderFold } from './header-fold';
import { menuStyle, useDismiss } from '../ui/menus';
import { MenuItemButton } from '../ui/MenuItemButton';
import { Loading, lazyComponent } from '../ui/Loading';
import { Timer } from './Timer';
import { VoteButton } from './Vote';
import { CommentsMenu } from './Comments';
import { usePresent } from './present';

// Opened a few times per workshop, so fetched on first use rather than with the board.
const DemandTable = lazyComponent(() => import('../panels/DemandTable').then((m) => m.DemandTable));
const CapabilityEditor = lazyComponent(() => import('../panels/CapabilityEditor').then((m) => m.CapabilityEditor));

/** What a dialog shows while its code arrives: the dialog's frame with the loading line. */
function DialogLoading({ what }: { what: string }) {
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-label={what}>
        <Loading what={what} />
      </div>
    </div>
  );
}

const TIDY_UP_HINT = 'Lay the board out: purpose on top, demand on the left, the flow left to right in its lanes';

interface ToolItem {
  testId: string;
  label: string;
  hint?: string;
  disabled: boolean;
  run: () => void;
}

/** The board tools folded into one menu, for a crowded header or a phone. */
function ToolsMenu({ items }: { items: ToolItem[] }) {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  useDismiss(
    open,
    useCallback(() => setOpen(false), []),
    wrapper,
  );
  return (
    <div ref={wrapper} style={{ position: 'relative' }}>
      <button
        type="button"
        className="button subtle tool-button"
        data-testid="tools-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((was) => !was)}
      >
        Tools ▾
      </button>
      {open && (
        <div role="menu" aria-label="Board tools" style={{ ...menuStyle, left: 0, right: 'auto' }}>
          {items.map((item) => (
            <MenuItemButton
              key={item.testId}
              data-testid={item.testId}
              title={item.hint}
              disabled={item.disabled}
              onClick={() => {
                setOpen(false);
                item.run();
              }}
            >
              {item.label}
            </MenuItemButton>
          ))}
        </div>
      )}
    </div>
  );
}

export function Header() {
  const { doc, store } = useBoard();
  const present = usePresent();
  const title = useBoardState((s) => s.title);
  const loaded = useBoardState((s) => s.loaded);
  const connection = useBoardState((s) => s.connection);
  const save = useBoardState((s) => s.save);
  const deviceCopy = useBoardState((s) => s.deviceCopy);
  const canEdit = useBoardState(canEditNow);
  const badge = accessBadge(useBoardState((s) => s.access));
  const route = parseRoute(window.location.pathname);
  const [editing, setEditing] = useState(false);
  const [dialog, setDialog] = useState<'demand' | 'capability' | null>(null);
  const [tidying, setTidying] = useState(false);
  const headerRef = useRef<HTMLElement>(null);
  const titleAreaRef = useRef<HTMLDivElement>(null);
  const titleTextRef = useRef<HTMLSpanElement>(null);
  const toolsRef = useRef<HTMLDivElement>(null);
  const peers = useBoardState((s) => s.peers.length);
  // The timer's words take room from the title too: re-measured when it appears, changes label or goes.
  const timerLabel = useBoardState((s) => s.timer?.label ?? '');
  // The facilitator's Vote button comes and goes with the vote: re-measured too.
  const isFacilitator = useBoardState((s) => s.access?.role === 'facilitator');
  const hasVote = useBoardState((s) => s.vote !== null);
  // The demand study's entries are for the facilitator and editors (a viewer sees its counts on the board).
  const role = useBoardState((s) => s.access?.role);
  const studyShown = (role === 'facilitator' || role === 'editor') && route.screen === 'board';
  const openStudy = () => route.screen === 'board' && navigate(studyPath(route.boardId));
  const folded = useHeaderFold(
    headerRef,
    titleAreaRef,
    titleTextRef,
    toolsRef,
    `${title}|${peers}|${canEdit}|${editing}|${timerLabel}|${isFacilitator}|${hasVote}|${studyShown}|${present.label}`,
  );
  const bringEveryone = useBringEveryone();

  const { fitView } = useReactFlow();
  const tidyUp = async () => {
    setTidying(true);
    try {
      // The layout engine (dagre) is a large library used by one button: fetched on the first click.
      const { autoLayout } = await import('../model/layout');
      const moved = autoLayout(doc);
      // The tidied map in view, clear of the minimap's strip (the panel is beside the canvas).
      if (moved > 0) requestAnimationFrame(() => void fitView({ ...FIT_VIEW_OPTIONS, duration: 150 }));
      showToast(
        store,
        moved === 0
          ? 'The board is already tidy.'
          : `Tidied up ${moved} ${moved === 1 ? 'element' : 'elements'} — undo puts them back.`,
      );
    } catch (error) {
      reportError(store, error);
    } finally {
      setTidying(false);
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
    <header className="board-header" ref={headerRef}>
      <Link href="/" className="back-link" data-testid="back-to-boards">
        ◂ Boards
      </Link>
      <div className="title-area" ref={titleAreaRef}>
        {/* The board's title is the screen's one h1 (issue 16): a screen reader's heading list starts with it. */}
        <h1 className="title-heading">
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
              className={canEdit ? 'board-title' : 'board-title is-read-only'}
              data-testid="board-title"
              title={canEdit ? 'Click to rename the board' : title}
              disabled={!loaded || !canEdit}
              onClick={() => setEditing(true)}
            >
              <span className="board-title-text" ref={titleTextRef}>
                {loaded ? title : 'Loading…'}
              </span>
            </button>
          )}
        </h1>
        {badge && (
          <span className="access-badge" data-testid="access-badge" title="Nothing you do here changes the board">
            {badge}
          </span>
        )}
      </div>
      <div className="board-tools" role="group" aria-label="Board tools" ref={toolsRef}>
        {folded ? (
          <ToolsMenu
            items={[
              { testId: 'open-demand-table', label: 'Demand table', disabled: !loaded, run: () => setDialog('demand') },
              { testId: 'open-capability', label: 'Capability', disabled: !loaded, run: () => setDialog('capability') },
              ...(studyShown ? [{ testId: 'open-study', label: 'Demand study', disabled: false, run: openStudy }] : []),
              ...(canEdit
                ? [
                    {
                      testId: 'auto-layout',
                      label: tidying ? 'Tidying…' : 'Tidy up',
                      hint: TIDY_UP_HINT,
                      disabled: !loaded || tidying,
                      run: () => void tidyUp(),
                    },
                  ]
                : []),
              ...(isFacilitator && !hasVote
                ? [
                    {
                      testId: 'vote-button',
                      label: 'Start a dot vote…',
                      disabled: false,
                      run: () => store.setState({ voteFormOpen: true }),
                    },
                  ]
                : []),
              ...(present.shown
                ? [{ testId: 'present-button', label: present.label, disabled: !loaded, run: present.start }]
                : []),
              {
                testId: 'comments-button',
                label: 'Comments…',
                disabled: false,
                run: () => store.setState({ commentsListOpen: true }),
              },
              ...(bringEveryone.shown
                ? [
                    {
                      testId: 'bring-everyone',
                      label: 'Bring everyone here',
                      hint: BRING_EVERYONE_HINT,
                      disabled: bringEveryone.disabled,
                      run: bringEveryone.bring,
                    },
                  ]
                : []),
            ]}
          />
        ) : (
          <>
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
            {canEdit && (
              <button
                type="button"
                className="button subtle tool-button"
                data-testid="auto-layout"
                title={TIDY_UP_HINT}
                disabled={!loaded || tidying}
                onClick={() => void tidyUp()}
              >
                {tidying ? 'Tidying…' : 'Tidy up'}
              </button>
            )}
          </>
        )}
        <BeforeAfterMenu />
        <ExportMenu />
      </div>
      {dialog === 'demand' && (
        <Suspense fallback={<DialogLoading what="the demand table" />}>
          <DemandTable onClose={() => setDialog(null)} />
        </Suspense>
      )}
      {dialog === 'capability' && (
        <Suspense fallback={<DialogLoading what="the capability editor" />}>
          <CapabilityEditor onClose={() => setDialog(null)} />
        </Suspense>
      )}
      <Timer compact={folded} />
      <VoteButton folded />
      <CommentsMenu folded={folded} />
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
      <WhoIsHere bringEveryoneInline={!folded} />
      {route.screen === 'board' && <ShareMenu boardId={route.boardId} />}
    </header>
  );
}
