/**
 * The N newest match times of one item, for its down-bound `N/T`: enough to know whether fewer
 * than N fell in the last T seconds and, when not, the moment that will next be true.
 *
 * Kept oldest first in a ring. Times usually come in order (O(1) each); one older than the
 * newest (log time of interleaved sources) is put in its place, and one older than all N is
 * dropped, so the ring never loses a newer time for an older one (which could fire a silence
 * that did not happen).
 */
export class DownboundWindow {
  readonly count: number;
  readonly windowMs: number;
  private readonly times: Float64Array;
  /** Index of the oldest kept time. */
  private start = 0;
  private len = 0;

  constructor(count: number, seconds: number) {
    this.count = Math.max(1, Math.floor(count));
    this.windowMs = seconds * 1000;
    this.times = new Float64Array(this.count);
  }

  record(t: number): void {
    if (this.len === this.count) {
      // Not among the N newest: keeping it would push out a newer one.
      if (t <= this.at(0)) return;
      this.start = this.start + 1 === this.count ? 0 : this.start + 1;
      this.len--;
    }
    let i = this.len;
    for (; i > 0 && this.at(i - 1) > t; i--) this.put(i, this.at(i - 1));
    this.put(i, t);
    this.len++;
  }

  /** Matches in (now − T, now]. */
  countAt(now: number): number {
    const from = now - this.windowMs;
    let c = 0;
    for (let i = 0; i < this.len; i++) {
      const t = this.at(i);
      if (t > from && t <= now) c++;
    }
    return c;
  }

  /**
   * When the window (checked at `now` with at least N inside) next holds fewer than N: T after
   * the oldest of the N newest matches.
   */
  nextShortfall(now: number): number {
    if (this.len < this.count) return now;
    return this.at(0) + this.windowMs;
  }

  /** The i-th kept time, oldest first. */
  private at(i: number): number {
    return this.times[(this.start + i) % this.count] ?? 0;
  }

  private put(i: number, t: number): void {
    this.times[(this.start + i) % this.count] = t;
  }
}
