/** Presenter mode on one screen (src/collab/presenter.ts): presenting through a dropped connection, following, breaking away. */
import { describe, expect, it } from 'vitest';
import { followsPresenter, onPresenterMessage, shownSection } from '../../src/collab/presenter';
import type { PresenterState } from '../../src/protocol';

const active: PresenterState = { active: true, section: 'demand', order: [], hidden: [], by: 'Sam' };
const stopped: PresenterState = { ...active, active: false, section: null };

describe('presenter mode on this screen', () => {
  it('shows the server’s section, or its own while the room has not heard of it', () => {
    expect(shownSection({ presenter: active, presentingHere: null })).toBe('demand');
    expect(shownSection({ presenter: active, presentingHere: { section: 'flow', unsent: true } })).toBe('flow');
    expect(shownSection({ presenter: active, presentingHere: { section: 'flow', unsent: false } })).toBe('demand');
    expect(shownSection({ presenter: stopped, presentingHere: { section: null, unsent: false } })).toBeNull();
    expect(shownSection({ presenter: null, presentingHere: null })).toBeNull();
  });

  it('follows unless this is the presenter’s screen or the person broke away', () => {
    expect(followsPresenter({ presenter: active, presentingHere: null, presenterAway: false })).toBe(true);
    expect(followsPresenter({ presenter: active, presentingHere: null, presenterAway: true })).toBe(false);
    expect(
      followsPresenter({ presenter: active, presentingHere: { section: null, unsent: false }, presenterAway: false }),
    ).toBe(false);
    expect(followsPresenter({ presenter: stopped, presentingHere: null, presenterAway: false })).toBe(false);
  });

  it('a new presentation brings back those who broke away from the last one', () => {
    const away = { presenter: stopped, presentingHere: null, presenterAway: true, isFacilitator: false };
    expect(onPresenterMessage(away, active, false).presenterAway).toBe(false);
    // Moving on within the same presentation leaves them where they are.
    expect(
      onPresenterMessage({ ...away, presenter: active }, { ...active, section: 'flow' }, false).presenterAway,
    ).toBe(true);
  });

  it('sends the room what it missed on reconnecting: the section presented offline, or a start the server forgot', () => {
    const offline = {
      presenter: stopped,
      presentingHere: { section: 'flow', unsent: true },
      presenterAway: false,
      isFacilitator: true,
    };
    expect(onPresenterMessage(offline, stopped, true)).toEqual({
      presentingHere: { section: 'flow', unsent: false },
      presenterAway: false,
      send: { action: 'start', section: 'flow' },
    });
    // Presenting online, then the server restarted: the first answer of the new connection has no presentation.
    const online = { ...offline, presenter: active, presentingHere: { section: 'demand', unsent: false } };
    expect(onPresenterMessage(online, null, true).send).toEqual({ action: 'start', section: 'demand' });
  });

  it('leaves the presenter view when the presentation stops or a start is refused, and for someone no longer facilitator', () => {
    const here = {
      presenter: active,
      presentingHere: { section: 'demand', unsent: false },
      presenterAway: false,
      isFacilitator: true,
    };
    expect(onPresenterMessage(here, stopped, false)).toMatchObject({ presentingHere: null, send: null });
    expect(onPresenterMessage({ ...here, presenter: null }, null, false).presentingHere).toBeNull();
    expect(onPresenterMessage({ ...here, isFacilitator: false }, active, false).presentingHere).toBeNull();
    // Moved on (here or by another facilitator): this screen shows it.
    expect(onPresenterMessage(here, { ...active, section: 'flow' }, false).presentingHere).toEqual({
      section: 'flow',
      unsent: false,
    });
  });
});
