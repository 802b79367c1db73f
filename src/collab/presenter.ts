/**
 * Presenter mode on this screen (issue 15). The room's presenter state is the
 * server's (message 103, src/protocol/presenter.ts); this adds what only this
 * screen knows:
 *
 * - `presentingHere`: this screen shows the presenter view (the facilitator
 *   pressed Present here). It keeps its own section too, so a projector
 *   laptop whose wifi drops goes on presenting; the room catches up when the
 *   connection is back (the connection sends `start` with that section).
 * - `presenterAway`: this person broke away from the presenter (a pan or zoom
 *   of their own, or "Leave"); "Back to presenter" clears it, and so does a
 *   new presentation.
 */
import type { PresenterCommand, PresenterState } from '../protocol';

export interface PresentingHere {
  /** The section this screen shows when the server's is not known (offline); null: the first one. */
  section: string | null;
  /** Started or moved on while not connected: the room has not heard of it yet. */
  unsent: boolean;
}

/** What the facilitator's screen can do; the server checks each command (collab/connection.ts sends them). */
export interface PresenterControls {
  /** Opens the presenter view here and starts the presentation for the room (at `section`, else the first). */
  start(section?: string): void;
  go(section: string): void;
  arrange(order: string[], hidden: string[]): void;
  /** Leaves the presenter view here and ends the presentation for the room. */
  stop(): void;
}

interface Shown {
  presenter: PresenterState | null;
  presentingHere: PresentingHere | null;
}

/** The section this screen presents or follows (null: the first visible one, or nothing when nobody presents). */
export function shownSection({ presenter, presentingHere }: Shown): string | null {
  if (presentingHere && (presentingHere.unsent || !presenter?.active)) return presentingHere.section;
  return presenter?.active ? presenter.section : null;
}

/** Someone presents and this screen follows them (not the presenter's own screen, not broken away). */
export function followsPresenter(state: Shown & { presenterAway: boolean }): boolean {
  return state.presenter?.active === true && state.presentingHere === null && !state.presenterAway;
}

/**
 * What this screen does with a presenter message from the server. `first`:
 * the first on this connection (the answer to the subscription).
 */
export function onPresenterMessage(
  state: Shown & { presenterAway: boolean; isFacilitator: boolean },
  presenter: PresenterState | null,
  first: boolean,
): { presentingHere: PresentingHere | null; presenterAway: boolean; send: PresenterCommand | null } {
  // A new presentation: everyone follows again.
  const presenterAway = presenter?.active && !state.presenter?.active ? false : state.presenterAway;
  const here = state.presentingHere;
  if (!here || !state.isFacilitator) return { presentingHere: null, presenterAway, send: null };
  if (first && (here.unsent || !presenter?.active)) {
    // Presented while offline, or the server forgot (a restart): the room catches up now.
    return {
      presentingHere: { ...here, unsent: false },
      presenterAway,
      send: { action: 'start', ...(here.section !== null ? { section: here.section } : {}) },
    };
  }
  // Stopped (here or on another facilitator's screen), or the start was refused.
  if (!presenter?.active) return { presentingHere: null, presenterAway, send: null };
  return { presentingHere: { section: presenter.section, unsent: false }, presenterAway, send: null };
}
