import type { Clock, TimerHandle } from './clock.js';

interface ManualTimer extends TimerHandle {
  readonly seq: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to. `advance` fires every due timer in time order (ties in
 * the order they were set), with `now()` reading the timer's own time while it runs, so a timer
 * that sets another timer inside the advanced span sees it fire too.
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(startMs = 0) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(atMs: number, fn: () => void): TimerHandle {
    const timer: ManualTimer = { atMs, fn, seq: this.seq++ };
    this.timers.push(timer);
    return timer;
  }

  cancel(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }

  /** Timers not yet fired or cancelled. */
  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /** Moves time to `atMs` (never backwards), firing due timers in order. */
  advanceTo(atMs: number): void {
    const target = Math.max(atMs, this.current);
    for (;;) {
      const next = this.nextDue(target);
      if (next === null) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.current = Math.max(this.current, next.atMs);
      next.fn();
    }
    this.current = target;
  }

  private nextDue(limit: number): ManualTimer | null {
    let best: ManualTimer | null = null;
    for (const t of this.timers) {
      if (t.atMs > limit) continue;
      if (best === null || t.atMs < best.atMs || (t.atMs === best.atMs && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
