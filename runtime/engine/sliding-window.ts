/**
 * The exact sliding window rule `N/T` on one key's ring of its last N match times, shared by
 * `SlidingWindow` (an item without keys) and `WindowTable` (many keys in one store).
 *
 * The ring is `times[base, base + n)`, holding `len` times, the next written at `at`. Records a
 * match at `t` ms and returns where the next one goes, or -1 when more than N matches fell in
 * the last T ms (the window is (t − T, t]): then the caller clears the key's window. A time
 * before the key's newest counts as the newest, so log time running backwards cannot corrupt
 * the ring.
 */
export function ringHit(times: Float64Array, base: number, n: number, windowMs: number, len: number, at: number, t: number): number {
  if (len > 0) {
    const newest = times[base + (at === 0 ? n - 1 : at - 1)] ?? t;
    if (t < newest) t = newest;
  }
  if (len === n && (times[base + at] ?? 0) > t - windowMs) return -1;
  times[base + at] = t;
  return at + 1 === n ? 0 : at + 1;
}

/**
 * Exact sliding window `N/T` of an item that counts under one key: a ring of its own, so a
 * match reads two small objects instead of a table's map, lists and four typed arrays.
 */
export class SlidingWindow {
  private readonly n: number;
  private readonly windowMs: number;
  private readonly times: Float64Array;
  private len = 0;
  private at = 0;

  constructor(count: number, seconds: number) {
    this.n = Math.max(1, Math.floor(count));
    this.windowMs = seconds * 1000;
    this.times = new Float64Array(this.n);
  }

  /** Records a match at `t` ms; true, and the window cleared, when more than N fell in the last T seconds. */
  hit(t: number): boolean {
    const next = ringHit(this.times, 0, this.n, this.windowMs, this.len, this.at, t);
    if (next < 0) {
      this.len = 0;
      this.at = 0;
      return true;
    }
    this.at = next;
    if (this.len < this.n) this.len++;
    return false;
  }
}
