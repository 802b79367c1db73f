/** When the board may say "All changes saved". */
import { describe, expect, test } from 'vitest';
import { SaveTracker, describeSaveState } from '../../src/collab/save-tracker';

describe('SaveTracker', () => {
  test('saved only once an ok answer covers every change', () => {
    const t = new SaveTracker();
    expect(t.state(true)).toEqual({ kind: 'saved' });
    t.localChange();
    expect(t.state(true)).toEqual({ kind: 'saving' });
    const first = t.nextRequest();
    t.localChange(); // changed again while the request was in flight
    t.answer(first, true);
    expect(t.state(true)).toEqual({ kind: 'saving' });
    const second = t.nextRequest();
    t.answer(second, true);
    expect(t.state(true)).toEqual({ kind: 'saved' });
    expect(t.pending).toBe(false);
  });

  test('a failed answer is shown until a later ok', () => {
    const t = new SaveTracker();
    t.localChange();
    t.answer(t.nextRequest(), false);
    expect(describeSaveState(t.state(true))).toBe('Not saved — the server could not store changes');
    expect(t.pending).toBe(true);
    t.answer(t.nextRequest(), true);
    expect(t.state(true)).toEqual({ kind: 'saved' });
  });

  test('answers to unknown or lost requests are ignored; offline changes say so', () => {
    const t = new SaveTracker();
    t.localChange();
    const lost = t.nextRequest();
    t.connectionLost();
    t.answer(lost, true);
    t.answer(999, true);
    expect(t.state(false)).toEqual({ kind: 'offline' });
    expect(describeSaveState(t.state(false))).toBe('Not on the server yet — will save when reconnected');
  });
});
