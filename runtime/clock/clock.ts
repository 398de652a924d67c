/** A pending timer; pass it to `Clock.cancel`. */
export interface TimerHandle {
  readonly atMs: number;
}

/**
 * Time as the engine sees it. Injectable so windows and timers are testable without waiting:
 * `LiveClock` in production, `ManualClock` in tests.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once at `atMs` (or as soon as possible when that is already past). */
  setTimer(atMs: number, fn: () => void): TimerHandle;
  cancel(handle: TimerHandle): void;
}

interface LiveTimer extends TimerHandle {
  timeout: NodeJS.Timeout | null;
}

/** Setting a Node timer beyond this (about 24.8 days) fires it at once, so longer waits hop. */
export const MAX_TIMER_MS = 2_147_483_647;

/** The wall clock with `setTimeout` timers; timers do not keep the process alive. */
export class LiveClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(atMs: number, fn: () => void): TimerHandle {
    const timer: LiveTimer = { atMs, timeout: null };
    const arm = (): void => {
      const delay = atMs - Date.now();
      if (delay > MAX_TIMER_MS) {
        timer.timeout = setTimeout(arm, MAX_TIMER_MS);
      } else {
        timer.timeout = setTimeout(() => {
          // setTimeout runs on the monotonic clock and may fire a millisecond before the wall
          // clock reaches atMs; a window evaluated then would still see the old second.
          if (Date.now() < atMs) return arm();
          timer.timeout = null;
          fn();
        }, Math.max(0, delay));
      }
      timer.timeout.unref();
    };
    arm();
    return timer;
  }

  cancel(handle: TimerHandle): void {
    const timer = handle as LiveTimer;
    if (timer.timeout !== null) clearTimeout(timer.timeout);
    timer.timeout = null;
  }
}
