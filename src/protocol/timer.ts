/**
 * The workshop timer: room state held by the sync server, not in the Yjs
 * document, so undo never touches it and versions never keep it. Pure: shared
 * by the server (server/sync/timer.ts), which applies commands, and the client
 * (src/collab/timer.ts), which counts down.
 *
 * Type 102, "timer", on the board's websocket:
 *
 *   client → server  [102]              "send me the timer now and whenever it changes"
 *   client → server  [102, json]        json = TimerCommand (varString); facilitator only
 *   server → client  [102, json]        json = TimerMessage (varString)
 *
 * Like "saved" and "access", only clients that ask get it. The server's `now`
 * in each message lets a client with a wrong clock count down correctly:
 * remaining = endsAt − now at receipt, then counted down on the local clock.
 * A refused or unreadable command is answered to its sender only, with an
 * `error` in plain words; nobody else hears of it.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Role } from './index';

export const MESSAGE_TIMER = 102;

/** The bad input: "a timer of 0 or over 8 hours". */
export const TIMER_MAX_MINUTES = 8 * 60;
export const TIMER_LABEL_MAX_CHARS = 80;
const NAME_MAX_CHARS = 60;
const MINUTE_MS = 60_000;

export interface TimerState {
  /** What the time is for: "Listening to demand". */
  label: string;
  /** When it ends, on the server's clock (ms); meaningless while paused. */
  endsAt: number;
  /** Paused: the time that was left. Running: null. */
  pausedRemainingMs: number | null;
  /** The facilitator's display name. */
  setBy: string;
}

export type TimerCommand =
  | { action: 'start'; label: string; minutes: number; by?: string }
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'addMinute' }
  | { action: 'stop' };

export interface TimerMessage {
  /** The board's timer now; null when there is none. */
  timer: TimerState | null;
  /** The server's clock when it sent this. */
  now: number;
  /** Only in the answer to a refused command, and only to its sender. */
  error?: string;
}

export const TIMER_WORDS = {
  notFacilitator: 'Only the facilitator can set the timer.',
  unreadable: 'That timer change could not be read; nothing changed.',
  noLabel: 'Say what the time is for, for example "Listening to demand".',
  duration: 'A timer runs from 1 second to 8 hours: give a number of minutes up to 480.',
  tooLong: 'A timer runs for at most 8 hours: nothing was added.',
  noTimer: 'There is no timer running.',
  alreadyPaused: 'The timer is already paused.',
  notPaused: 'The timer is not paused.',
} as const;

/** Reads a command's JSON; an error in plain words when it is not one. */
export function parseTimerCommand(json: string): TimerCommand | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { error: TIMER_WORDS.unreadable };
  }
  if (typeof value !== 'object' || value === null) return { error: TIMER_WORDS.unreadable };
  const command = value as Record<string, unknown>;
  switch (command.action) {
    case 'start': {
      if (typeof command.label !== 'string' || command.label.trim() === '') return { error: TIMER_WORDS.noLabel };
      const minutes = command.minutes;
      if (
        typeof minutes !== 'number' ||
        !Number.isFinite(minutes) ||
        minutes * MINUTE_MS < 1000 ||
        minutes > TIMER_MAX_MINUTES
      )
        return { error: TIMER_WORDS.duration };
      const by = typeof command.by === 'string' && command.by.trim() !== '' ? command.by.trim() : undefined;
      return {
        action: 'start',
        label: command.label.trim().slice(0, TIMER_LABEL_MAX_CHARS),
        minutes,
        ...(by ? { by: by.slice(0, NAME_MAX_CHARS) } : {}),
      };
    }
    case 'pause':
    case 'resume':
    case 'addMinute':
    case 'stop':
      return { action: command.action };
    default:
      return { error: TIMER_WORDS.unreadable };
  }
}

/** The time left at `now` (server clock), never below 0. */
export function timerRemainingMs(timer: TimerState, now: number): number {
  return Math.max(0, timer.pausedRemainingMs ?? timer.endsAt - now);
}

/**
 * The timer after a command from someone with `role`, at `now` on the
 * server's clock; or the words that refuse it (nothing changes).
 */
export function applyTimerCommand(
  timer: TimerState | null,
  command: TimerCommand,
  role: Role,
  now: number,
): { timer: TimerState | null } | { error: string } {
  if (role !== 'facilitator') return { error: TIMER_WORDS.notFacilitator };
  if (command.action === 'start') {
    const durationMs = Math.round((command.minutes * MINUTE_MS) / 1000) * 1000;
    return {
      timer: {
        label: command.label,
        endsAt: now + durationMs,
        pausedRemainingMs: null,
        setBy: command.by ?? 'The facilitator',
      },
    };
  }
  if (!timer) return { error: TIMER_WORDS.noTimer };
  switch (command.action) {
    case 'stop':
      return { timer: null };
    case 'pause':
      if (timer.pausedRemainingMs !== null) return { error: TIMER_WORDS.alreadyPaused };
      return { timer: { ...timer, pausedRemainingMs: timerRemainingMs(timer, now) } };
    case 'resume':
      if (timer.pausedRemainingMs === null) return { error: TIMER_WORDS.notPaused };
      return { timer: { ...timer, endsAt: now + timer.pausedRemainingMs, pausedRemainingMs: null } };
    case 'addMinute': {
      // A minute more after the end counts from now: "one more minute, please".
      const left = timerRemainingMs(timer, now) + MINUTE_MS;
      if (left > TIMER_MAX_MINUTES * MINUTE_MS) return { error: TIMER_WORDS.tooLong };
      return timer.pausedRemainingMs !== null
        ? { timer: { ...timer, pausedRemainingMs: left } }
        : { timer: { ...timer, endsAt: now + left } };
    }
  }
}

/** "9:42", or "1:05:00" from an hour; rounds up, so "0:00" shows only at the end. */
export function formatTimerRemaining(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

export function encodeTimerRequest(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TIMER);
  return encoding.toUint8Array(encoder);
}

export function encodeTimerCommand(command: TimerCommand): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TIMER);
  encoding.writeVarString(encoder, JSON.stringify(command));
  return encoding.toUint8Array(encoder);
}

export function encodeTimerMessage(message: TimerMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TIMER);
  encoding.writeVarString(encoder, JSON.stringify(message));
  return encoding.toUint8Array(encoder);
}

function isTimerState(value: unknown): value is TimerState {
  if (typeof value !== 'object' || value === null) return false;
  const timer = value as Record<string, unknown>;
  return (
    typeof timer.label === 'string' &&
    typeof timer.endsAt === 'number' &&
    (timer.pausedRemainingMs === null || typeof timer.pausedRemainingMs === 'number') &&
    typeof timer.setBy === 'string'
  );
}

/** Reads the rest of a server timer message after its type; null when it is not a TimerMessage. */
export function readTimerMessage(decoder: decoding.Decoder): TimerMessage | null {
  try {
    const value = JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown>;
    if (typeof value.now !== 'number' || (value.timer !== null && !isTimerState(value.timer))) return null;
    return {
      timer: value.timer,
      now: value.now,
      ...(typeof value.error === 'string' ? { error: value.error } : {}),
    };
  } catch {
    return null;
  }
}
