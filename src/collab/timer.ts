/**
 * The workshop timer on this screen: the server's timer (message 102,
 * src/protocol/timer.ts) turned into a deadline on this device's clock.
 * The server sends its own `now` with each timer, so a laptop whose clock is
 * minutes off still counts down with everyone else: what is left is measured
 * on the server's clock at receipt and counted down on ours from there.
 */
import { timerRemainingMs, type TimerMessage } from '../protocol';

export interface LocalTimer {
  label: string;
  setBy: string;
  /** Running: when it ends on this device's clock (ms). Paused: null. */
  endsAtLocal: number | null;
  /** Paused: the time that was left. Running: null. */
  pausedRemainingMs: number | null;
}

/** The timer of a message received at `receivedAt` (this device's clock), or null when there is none. */
export function toLocalTimer(message: TimerMessage, receivedAt: number): LocalTimer | null {
  const { timer, now } = message;
  if (!timer) return null;
  const paused = timer.pausedRemainingMs !== null;
  return {
    label: timer.label,
    setBy: timer.setBy,
    endsAtLocal: paused ? null : receivedAt + timerRemainingMs(timer, now),
    pausedRemainingMs: timer.pausedRemainingMs,
  };
}

/** The time left at `localNow`, never below 0. */
export function localRemainingMs(timer: LocalTimer, localNow: number): number {
  return Math.max(0, timer.pausedRemainingMs ?? (timer.endsAtLocal ?? localNow) - localNow);
}

/** What a screen reader hears when the time is up, and the header's words then. */
export function timeIsUp(timer: LocalTimer): string {
  return `Time is up: ${timer.label}`;
}
