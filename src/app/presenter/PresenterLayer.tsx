/**
 * Presenter mode on the board screen (issue 15), loaded only when someone
 * presents. Three forms:
 *
 * - the presenter's own screen (the projector): the chrome is hidden (the
 *   board screen's `is-presenting`), the section's title in large type, its
 *   cards framed or its panel shown, ←/→, PageUp/PageDown (what clickers
 *   send) and on-screen buttons to move, "Sections" to hide or reorder them,
 *   Esc or Stop to end the presentation;
 * - everyone else, following: the same section framed on their own screen,
 *   with their own chrome (so a phone can still vote and add a note) and a
 *   banner to leave;
 * - someone who broke away (a pan or zoom of their own, Esc, or Leave): a
 *   "Back to presenter" bar.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PresenterSection } from '../../model';
import { useBoard, useBoardState } from '../../collab/board-context';
import { followsPresenter } from '../../collab/presenter';
import { isTyping } from '../../canvas/board-actions';
import { menuStyle, useDismiss } from '../../ui/menus';
import { Timer } from '../Timer';
import { SectionPanel } from './SectionPanel';
import { useFrameSection } from './use-frame';
import { useSections, type SectionsNow } from './use-sections';
import './presenter.css';

/** A narrow screen puts a section's panel under its cards, not beside them. */
const NARROW_PX = 720;

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => window.innerWidth <= NARROW_PX);
  useEffect(() => {
    const onResize = () => setNarrow(window.innerWidth <= NARROW_PX);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return narrow;
}

type Unit = `${number}px` | `${number}%`;
type FramePadding = { top: Unit; left: Unit; right: Unit; bottom: Unit };

/** Where the framed cards may go: clear of the bars and of the panel beside (or under) them. */
function framePadding(section: PresenterSection | null, presenting: boolean, narrow: boolean): FramePadding {
  const top: Unit = presenting ? '96px' : '64px';
  const bottom: Unit = presenting ? '88px' : narrow ? '24px' : '150px';
  if (section?.panel && section.cardIds.length > 0) {
    return narrow ? { top, left: '4%', right: '4%', bottom: '48%' } : { top, left: '3%', right: '46%', bottom };
  }
  return { top, left: '4%', right: '4%', bottom };
}

function SectionsMenu({ sections, close }: { sections: SectionsNow; close: () => void }) {
  const { presenter } = useBoard();
  const { arranged, arrangement, current } = sections;
  const hidden = new Set(arrangement.hidden);
  const ids = arranged.map((s) => s.id);
  const send = (order: string[], hide: Set<string>) => presenter?.arrange(order, [...hide]);
  const move = (from: number, to: number) => {
    if (to < 0 || to >= ids.length) return;
    const order = [...ids];
    const [id] = order.splice(from, 1);
    order.splice(to, 0, id);
    send(order, hidden);
  };
  return (
    <div
      className="presenter-sections"
      role="dialog"
      aria-label="Sections of the presentation"
      data-testid="presenter-sections"
      style={{ ...menuStyle, minWidth: '24rem', bottom: 'calc(100% + 8px)', top: 'auto', right: 0 }}
    >
      <p className="presenter-sections-hint">Computed from the board. Untick to leave a section out; ↑ ↓ to reorder.</p>
      <ol>
        {arranged.map((section, index) => (
          <li key={section.id} className={section.id === current?.id ? 'is-current' : undefined}>
            <label>
              <input
                type="checkbox"
                checked={!hidden.has(section.id)}
                data-testid={`presenter-show-${section.id}`}
                onChange={(event) => {
                  const next = new Set(hidden);
                  if (event.target.checked) next.delete(section.id);
                  else next.add(section.id);
                  send(ids, next);
                }}
              />
              {section.title}
            </label>
            <button
              type="button"
              className="button subtle small"
              aria-label={`Move ${section.title} earlier`}
              disabled={index === 0}
              onClick={() => move(index, index - 1)}
            >
              ↑
            </button>
            <button
              type="button"
              className="button subtle small"
              aria-label={`Move ${section.title} later`}
              data-testid={`presenter-later-${section.id}`}
              disabled={index === arranged.length - 1}
              onClick={() => move(index, index + 1)}
            >
              ↓
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="button small" onClick={close}>
        Done
      </button>
    </div>
  );
}

/** The presenter's own screen. */
function PresenterView({ sections }: { sections: SectionsNow }) {
  const { presenter } = useBoard();
  const title = useBoardState((s) => s.title);
  const narrow = useNarrow();
  const { visible, current, index } = sections;
  const [menuOpen, setMenuOpen] = useState(false);
  const menuWrapper = useRef<HTMLDivElement>(null);
  const closeMenu = useCallback(() => setMenuOpen(false), []);
  useDismiss(menuOpen, closeMenu, menuWrapper);
  useFrameSection(current, framePadding(current, true, narrow), true);

  const go = useCallback(
    (delta: number) => {
      const next = visible[Math.min(visible.length - 1, Math.max(0, index + delta))];
      if (next && next.id !== current?.id) presenter?.go(next.id);
    },
    [visible, index, current, presenter],
  );
  // Clickers send PageDown / PageUp (some the arrows); captured first, so the board's arrow keys do not move cards.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (document.querySelector('[role="dialog"][aria-modal="true"]')) return;
      let handled = true;
      if (event.key === 'ArrowRight' || event.key === 'PageDown') go(1);
      else if (event.key === 'ArrowLeft' || event.key === 'PageUp') go(-1);
      else if (event.key === 'Home') go(-visible.length);
      else if (event.key === 'End') go(visible.length);
      else if (event.key === 'Escape') {
        if (menuOpen) setMenuOpen(false);
        else presenter?.stop();
      } else handled = false;
      if (!handled) return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [go, presenter, visible.length, menuOpen]);

  const panelOnly = current !== null && current.panel !== null && current.cardIds.length === 0;
  return (
    <>
      <div className="presenter-top" data-testid="presenter-view">
        <div className="presenter-heading">
          <h2 className="presenter-title" data-testid="presenter-title" aria-live="polite">
            {current?.title ?? 'Nothing to present yet'}
          </h2>
          <span className="presenter-board">{title}</span>
        </div>
        <div className="presenter-timer">
          <Timer />
        </div>
      </div>
      {current?.panel && (
        <div
          className={`presenter-panel${panelOnly ? ' is-whole' : ''}${narrow ? ' is-narrow' : ''}`}
          data-testid="presenter-panel"
        >
          <SectionPanel panel={current.panel} />
        </div>
      )}
      <nav className="presenter-bottom" aria-label="Presentation">
        <button
          type="button"
          className="button presenter-nav"
          data-testid="presenter-previous"
          disabled={index <= 0}
          onClick={() => go(-1)}
        >
          ◂ Previous
        </button>
        <span className="presenter-count" data-testid="presenter-count">
          {visible.length === 0 ? '—' : `${index + 1} of ${visible.length}`}
        </span>
        <button
          type="button"
          className="button primary presenter-nav"
          data-testid="presenter-next"
          disabled={index >= visible.length - 1}
          onClick={() => go(1)}
        >
          Next ▸
        </button>
        <span className="presenter-spacer" />
        <div className="presenter-menu-wrapper" ref={menuWrapper}>
          <button
            type="button"
            className="button subtle"
            data-testid="presenter-sections-button"
            aria-haspopup="dialog"
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen((was) => !was)}
          >
            Sections ▾
          </button>
          {menuOpen && <SectionsMenu sections={sections} close={closeMenu} />}
        </div>
        <button type="button" className="button subtle" data-testid="presenter-stop" onClick={() => presenter?.stop()}>
          Stop presenting <kbd>Esc</kbd>
        </button>
      </nav>
    </>
  );
}

/** Everyone else: the presenter's section on this screen, or the way back to it. */
function Follower({ sections }: { sections: SectionsNow }) {
  const { store } = useBoard();
  const by = useBoardState((s) => s.presenter?.by ?? 'The facilitator');
  const following = useBoardState(followsPresenter);
  const narrow = useNarrow();
  const { current, index, visible } = sections;
  // The open analysis panel already shows the Pareto and the measures: the section's panel is for a screen without it (a phone).
  const analysisOpen = useBoardState((s) => s.panelOpen && s.panel === 'analysis');
  const panel = current?.panel && !(analysisOpen && !narrow) ? current.panel : null;
  useFrameSection(current, framePadding(panel ? current : null, false, narrow), following);
  const leave = useCallback(() => store.setState({ presenterAway: true }), [store]);

  useEffect(() => {
    if (!following) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !isTyping(event.target)) leave();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [following, leave]);

  const where = current ? `${current.title} (${index + 1} of ${visible.length})` : 'the board';
  if (!following) {
    return (
      <div className="presenter-banner is-away" role="status" data-testid="presenter-away">
        <span>
          <strong>{by}</strong> is presenting: {where}
        </span>
        <button
          type="button"
          className="button primary small"
          data-testid="presenter-back"
          onClick={() => store.setState({ presenterAway: false })}
        >
          Back to presenter
        </button>
      </div>
    );
  }
  return (
    <>
      <div className="presenter-banner" role="status" data-testid="presenter-following">
        <span className="presenter-live" aria-hidden="true" />
        <span>
          <span className="presenter-banner-verb">Following </span>
          <strong>{by}</strong>: <span data-testid="presenter-follow-section">{where}</span>
        </span>
        <button type="button" className="button subtle small" data-testid="presenter-leave" onClick={leave}>
          Leave
        </button>
      </div>
      {current && panel && (
        <div
          className={`presenter-panel is-follower${current.cardIds.length === 0 ? ' is-whole' : ''}${narrow ? ' is-narrow' : ''}`}
          data-testid="presenter-panel"
        >
          <SectionPanel panel={panel} />
        </div>
      )}
    </>
  );
}

export function PresenterLayer() {
  const here = useBoardState((s) => s.presentingHere !== null);
  const sections = useSections();
  return here ? <PresenterView sections={sections} /> : <Follower sections={sections} />;
}
