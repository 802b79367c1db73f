/** The workshop timer's rules (src/protocol/timer.ts) and its countdown on a device with a wrong clock (src/collab/timer.ts). */
import { describe, expect, it } from 'vitest';
import {
  TIMER_WORDS,
  applyTimerCommand,
  formatTimerRemaining,
  parseTimerCommand,
  type TimerState,
} from '../../src/protocol';
import { localRemainingMs, toLocalTimer } from '../../src/collab/timer';

const NOW = 1_000_000_000;
const running: TimerState = { label: 'Flow', endsAt: NOW + 5 * 60_000, pausedRemainingMs: null, setBy: 'Sam' };

describe('timer commands', () => {
  it('starts, pauses, resumes, adds a minute and stops for the facilitator', () => {
    const started = applyTimerCommand(
      null,
      { action: 'start', label: 'Flow', minutes: 10, by: 'Sam' },
      'facilitator',
      NOW,
    );
    expect(started).toEqual({ timer: { label: 'Flow', endsAt: NOW + 600_000, pausedRemainingMs: null, setBy: 'Sam' } });
    const paused = applyTimerCommand(running, { action: 'pause' }, 'facilitator', NOW + 60_000);
    expect(paused).toEqual({ timer: { ...running, pausedRemainingMs: 4 * 60_000 } });
    const pausedTimer = (paused as { timer: TimerState }).timer;
    expect(applyTimerCommand(pausedTimer, { action: 'addMinute' }, 'facilitator', NOW + 90_000)).toEqual({
      timer: { ...pausedTimer, pausedRemainingMs: 5 * 60_000 },
    });
    expect(applyTimerCommand(pausedTimer, { action: 'resume' }, 'facilitator', NOW + 120_000)).toEqual({
      timer: { ...running, endsAt: NOW + 120_000 + 4 * 60_000 },
    });
    // A minute more after the end counts from now.
    expect(applyTimerCommand(running, { action: 'addMinute' }, 'facilitator', NOW + 10 * 60_000)).toEqual({
      timer: { ...running, endsAt: NOW + 11 * 60_000 },
    });
    expect(applyTimerCommand(running, { action: 'stop' }, 'facilitator', NOW)).toEqual({ timer: null });
  });

  it('refuses others and impossible changes in plain words', () => {
    for (const role of ['editor', 'viewer'] as const)
      expect(applyTimerCommand(running, { action: 'stop' }, role, NOW)).toEqual({ error: TIMER_WORDS.notFacilitator });
    expect(applyTimerCommand(null, { action: 'pause' }, 'facilitator', NOW)).toEqual({ error: TIMER_WORDS.noTimer });
    expect(applyTimerCommand(running, { action: 'resume' }, 'facilitator', NOW)).toEqual({
      error: TIMER_WORDS.notPaused,
    });
    const nearlyEight = { ...running, endsAt: NOW + 8 * 3_600_000 - 30_000 };
    expect(applyTimerCommand(nearlyEight, { action: 'addMinute' }, 'facilitator', NOW)).toEqual({
      error: TIMER_WORDS.tooLong,
    });
  });

  it('reads only well-formed commands', () => {
    expect(parseTimerCommand('{"action":"start","label":"  Flow ","minutes":5}')).toEqual({
      action: 'start',
      label: 'Flow',
      minutes: 5,
    });
    expect(parseTimerCommand('{"action":"start","label":"Flow","minutes":0}')).toEqual({ error: TIMER_WORDS.duration });
    expect(parseTimerCommand('{"action":"start","label":"Flow","minutes":480.5}')).toEqual({
      error: TIMER_WORDS.duration,
    });
    expect(parseTimerCommand('{"action":"start","minutes":5}')).toEqual({ error: TIMER_WORDS.noLabel });
    expect(parseTimerCommand('null')).toEqual({ error: TIMER_WORDS.unreadable });
    expect(parseTimerCommand('{"action":"stop","extra":1}')).toEqual({ action: 'stop' });
  });
});

describe('the countdown on this device', () => {
  it('counts from the server’s now, whatever this clock says', () => {
    // This device's clock is two hours behind the server's.
    const local = NOW - 7_200_000;
    const timer = toLocalTimer({ timer: running, now: NOW + 18_000 }, local)!;
    expect(localRemainingMs(timer, local)).toBe(5 * 60_000 - 18_000);
    expect(localRemainingMs(timer, local + 60_000)).toBe(4 * 60_000 - 18_000);
    expect(localRemainingMs(timer, local + 3_600_000)).toBe(0);
    const paused = toLocalTimer({ timer: { ...running, pausedRemainingMs: 42_000 }, now: NOW }, local)!;
    expect(localRemainingMs(paused, local + 600_000)).toBe(42_000);
    expect(toLocalTimer({ timer: null, now: NOW }, local)).toBeNull();
  });

  it('shows minutes and seconds, rounding up', () => {
    expect(formatTimerRemaining(582_000)).toBe('9:42');
    expect(formatTimerRemaining(581_001)).toBe('9:42');
    expect(formatTimerRemaining(0)).toBe('0:00');
    expect(formatTimerRemaining(3_900_000)).toBe('1:05:00');
  });
});
