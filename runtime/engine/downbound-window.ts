/**
 * The last N match times of one item, for its down-bound `N/T`: enough to know whether fewer
 * than N fell in the last T seconds and, when not, the moment that will next be true.
 */
export class DownboundWindow {
  readonly count: number;
  readonly windowMs: number;
  private readonly times: Float64Array;
  private pos = 0;
  private len = 0;

  constructor(count: number, seconds: number) {
    this.count = Math.max(1, Math.floor(count));
    this.windowMs = seconds * 1000;
    this.times = new Float64Array(this.count);
  }

  record(t: number): void {
    this.times[this.pos] = t;
    this.pos = this.pos + 1 === this.count ? 0 : this.pos + 1;
    if (this.len < this.count) this.len++;
  }

  /** Matches in (now − T, now]. */
  countAt(now: number): number {
    const from = now - this.windowMs;
    let c = 0;
    for (let i = 0; i < this.len; i++) {
      const t = this.times[i] ?? 0;
      if (t > from && t <= now) c++;
    }
    return c;
  }

  /**
   * When the window (checked at `now` with at least N inside) next holds fewer than N: T after
   * the oldest of the last N matches.
   */
  nextShortfall(now: number): number {
    if (this.len < this.count) return now;
    return (this.times[this.pos] ?? now) + this.windowMs;
  }
}
