/**
 * The workshop timer in the header (issue 15): everyone sees "Listening to
 * demand · 9:42" counting down; the facilitator sets it from a small popover
 * (Start; then Pause/Resume, +1 min, Stop). At the end the countdown pulses
 * and a polite live region says "Time is up: …" — once, to each screen.
 *
 * The timer is the server's (collab/timer.ts): this only draws it and sends
 * the facilitator's commands, which the server checks.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { formatTimerRemaining, TIMER_LABEL_MAX_CHARS, TIMER_MAX_MINUTES, type TimerCommand } from '../protocol';
import { useBoard, useBoardState } from '../collab/board-context';
import { localRemainingMs, timeIsUp, type LocalTimer } from '../collab/timer';
import { menuStyle, useDismiss } from '../ui/menus';

/** Redrawn this often: often enough that the seconds never skip. */
const TICK_MS = 250;

/** The time left on `timer`, redrawn while it runs. */
function useRemaining(timer: LocalTimer | null): number {
  const [now, setNow] = useState(() => Date.now());
  const running = timer !== null && timer.endsAtLocal !== null;
  useEffect(() => {
    if (!running) return;
    const tick = () => setNow(Date.now());
    // At once too, so a timer that just arrived is not drawn against the clock of the last one.
    const first = setTimeout(tick, 0);
    const interval = setInterval(tick, TICK_MS);
    return () => {
      clearTimeout(first);
      clearInterval(interval);
    };
  }, [running, timer]);
  return timer ? localRemainingMs(timer, now) : 0;
}

function TimerControls({
  timer,
  send,
  close,
}: {
  timer: LocalTimer | null;
  send: (c: TimerCommand) => void;
  close: () => void;
}) {
  const self = useBoardState((s) => s.self.name);
  const [label, setLabel] = useState('');
  const [minutes, setMinutes] = useState('10');
  const [problem, setProblem] = useState<string | null>(null);

  const start = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(minutes.replace(',', '.'));
    if (label.trim() === '') return setProblem('Say what the time is for, for example "Listening to demand".');
    if (!Number.isFinite(value) || value <= 0 || value > TIMER_MAX_MINUTES)
      return setProblem('Give a number of minutes above 0 and up to 480 (8 hours).');
    send({ action: 'start', label: label.trim(), minutes: value, ...(self ? { by: self } : {}) });
    close();
  };

  if (timer) {
    const paused = timer.pausedRemainingMs !== null;
    return (
      <div className="timer-controls" role="group" aria-label="Timer controls">
        <button
          type="button"
          className="button"
          data-testid={paused ? 'timer-resume' : 'timer-pause'}
          onClick={() => send({ action: paused ? 'resume' : 'pause' })}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          className="button"
          data-testid="timer-add-minute"
          onClick={() => send({ action: 'addMinute' })}
        >
          +1 min
        </button>
        <button
          type="button"
          className="button"
          data-testid="timer-stop"
          onClick={() => {
            send({ action: 'stop' });
            close();
          }}
        >
          Stop
        </button>
      </div>
    );
  }
  return (
    <form className="timer-form" onSubmit={start} noValidate>
      <label>
        What the time is for
        <input
          type="text"
          data-testid="timer-label"
          value={label}
          maxLength={TIMER_LABEL_MAX_CHARS}
          placeholder="Listening to demand"
          autoFocus
          onChange={(event) => setLabel(event.target.value)}
        />
      </label>
      <label>
        Minutes
        <input
          type="number"
          data-testid="timer-minutes"
          inputMode="numeric"
          min={1}
          max={TIMER_MAX_MINUTES}
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
        />
      </label>
      {problem && (
        <p className="timer-problem" role="alert" data-testid="timer-problem">
          {problem}
        </p>
      )}
      <button type="submit" className="button primary" data-testid="timer-start">
        Start
      </button>
    </form>
  );
}

/** `compact`: the header is crowded (its tools are folded), so the label gives the title room; it shows in full on hover. */
export function Timer({ compact = false }: { compact?: boolean }) {
  const { sendTimer } = useBoard();
  const timer = useBoardState((s) => s.timer);
  const isFacilitator = useBoardState((s) => s.access?.role === 'facilitator');
  const remaining = useRemaining(timer);
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, wrapper);

  // "Time is up" is said once, when this screen sees a running timer reach 0 — not to someone who joins after the end.
  const [upSaid, setUpSaid] = useState('');
  const wasRunning = useRef(false);
  const up = timer !== null && timer.endsAtLocal !== null && remaining === 0;
  useEffect(() => {
    if (!timer || timer.endsAtLocal === null) {
      wasRunning.current = false;
      return;
    }
    if (!up) wasRunning.current = true;
    else if (wasRunning.current) {
      wasRunning.current = false;
      setUpSaid(timeIsUp(timer));
    }
  }, [timer, up]);
  // Stopped: nothing more to say.
  const announcement = timer ? upSaid : '';

  if (!timer && !(isFacilitator && sendTimer)) {
    return (
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="timer-announcement">
        {announcement}
      </div>
    );
  }
  const paused = timer?.pausedRemainingMs !== null && timer?.pausedRemainingMs !== undefined;
  const display = timer && (
    <span
      className={`timer-display${up ? ' is-up' : ''}${paused ? ' is-paused' : ''}`}
      data-testid="timer-display"
      title={`${timer.label} · set by ${timer.setBy}`}
    >
      <span className="timer-label">{timer.label}</span>
      <span aria-hidden="true">·</span>
      <span className="timer-remaining" data-testid="timer-remaining">
        {up ? 'time is up' : formatTimerRemaining(remaining)}
      </span>
      {paused && <span className="timer-paused">(paused)</span>}
    </span>
  );
  return (
    <div className={compact ? 'timer-area is-compact' : 'timer-area'} ref={wrapper}>
      {isFacilitator && sendTimer ? (
        // The facilitator's countdown is its own button: no second control crowds the title.
        <button
          type="button"
          className={timer ? 'timer-button has-timer' : 'button subtle timer-button'}
          data-testid="timer-button"
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-label={timer ? undefined : 'Timer: set a timer everyone sees'}
          onClick={() => setOpen((was) => !was)}
        >
          {display ?? 'Timer'} ▾
        </button>
      ) : (
        display
      )}
      {open && sendTimer && (
        <div
          className="timer-popover"
          role="dialog"
          aria-label="Timer"
          style={{ ...menuStyle, minWidth: '16rem', padding: '10px' }}
        >
          <TimerControls timer={timer} send={sendTimer} close={close} />
        </div>
      )}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="timer-announcement">
        {announcement}
      </div>
    </div>
  );
}
