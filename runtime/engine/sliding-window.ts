/**
 * The exact sliding window rule `N/T` on one key's ring of its last match times, shared by
 * `SlidingWindow` (an item without keys) and `WindowTable` (many keys in one store).
 *
 * A ring holds at most N times, and only as many as the window has needed: it starts small and
 * its owner grows it (up to N) when it is full of times still inside the window, so memory
 * follows the matches a key really has within T, not N.
 */

/**
 * Called when window storage could not be allocated: what was asked (bytes), the error, and
 * how the window made do; the callback logs.
 */
export type AllocationFailure = (bytes: number, error: unknown, outcome: string) => void;

/** How windows get their storage, and whom they tell when they cannot. */
export interface WindowMemory {
  /** Makes the storage for `length` times; throws (a RangeError) when the memory is not there. */
  readonly allocate?: (length: number) => Float64Array;
  readonly onAllocationFailure?: AllocationFailure;
}

/** `new Float64Array(length)`: V8 throws `RangeError: Array buffer allocation failed` when it cannot. */
export const allocateTimes = (length: number): Float64Array => new Float64Array(length);

/** `ringHit`'s answer: more than N matches fell in the window. */
export const FIRE = -1;
/** `ringHit`'s answer: the ring (smaller than N) is full of times inside the window; grow it and hit again. */
export const GROW = -2;
/** Times a ring holds before it first grows, when N is above INLINE_UP_TO. */
export const FIRST_RING = 8;
/**
 * Up to this N a key's ring holds all N times from the start (256 bytes at most): a grown ring
 * is a typed array of its own, one more indirection on every match of a busy key (measured with
 * 20,000 keys all inside the window: 20/60 at 385 against 295 ns a match), worth it only where
 * N times a key would be a lot of memory.
 */
export const INLINE_UP_TO = 32;

/** Times a key's first ring holds for an up-bound of `n`: all of them up to INLINE_UP_TO, else FIRST_RING. */
export const firstRing = (n: number): number => (n <= INLINE_UP_TO ? n : FIRST_RING);

/**
 * The ring is `times[base, base + cap)`, holding `len` times, the next written at `at` (when
 * full, `at` is the oldest). Records a match at `t` ms and returns where the next one goes; or
 * FIRE when more than N matches fell in the last T ms (the window is (t − T, t]: the caller then
 * clears the key's window); or GROW, recording nothing, when the ring is smaller than N and
 * every time in it is inside the window. A time before the ring's newest counts as the newest,
 * so log time running backwards cannot corrupt it.
 */
export function ringHit(times: Float64Array, base: number, cap: number, n: number, windowMs: number, len: number, at: number, t: number): number {
  if (len > 0) {
    const newest = times[base + (at === 0 ? cap - 1 : at - 1)] ?? t;
    if (t < newest) t = newest;
  }
  if (len === cap && (times[base + at] ?? 0) > t - windowMs) return cap === n ? FIRE : GROW;
  times[base + at] = t;
  return at + 1 === cap ? 0 : at + 1;
}

/** The next ring size after `cap`, at most `n`. */
export function grownSize(cap: number, n: number): number {
  return Math.min(n, Math.max(cap * 2, 2 * FIRST_RING));
}

/** A full ring's times, oldest first, copied into the start of `into` (which is larger). */
export function unroll(times: Float64Array, base: number, cap: number, at: number, into: Float64Array): void {
  into.set(times.subarray(base + at, base + cap), 0);
  into.set(times.subarray(base, base + at), cap - at);
}

/**
 * Exact sliding window `N/T` of an item that counts under one key: a ring of its own, so a
 * match reads two small objects instead of a table's map, lists and typed arrays. It grows on
 * demand up to N times; when it cannot (the allocation fails) the window counts afresh from
 * that match, counted in `allocationFailures` and told to `onAllocationFailure`, and the line
 * goes on; from then on it keeps its size and counts afresh whenever it is full.
 */
export class SlidingWindow {
  /** Growths that failed for want of memory, since start. */
  allocationFailures = 0;
  private readonly n: number;
  private readonly windowMs: number;
  private times: Float64Array;
  private len = 0;
  private at = 0;
  /** An allocation failed: the ring stays at its size, and counts afresh whenever it is full. */
  private stuck = false;
  private readonly allocate: (length: number) => Float64Array;
  private readonly onAllocationFailure: AllocationFailure;

  constructor(count: number, seconds: number, memory: WindowMemory = {}) {
    this.n = Math.max(1, Math.floor(count));
    this.windowMs = seconds * 1000;
    this.allocate = memory.allocate ?? allocateTimes;
    this.onAllocationFailure = memory.onAllocationFailure ?? (() => {});
    this.times = this.allocate(firstRing(this.n));
  }

  /** Bytes of its ring. */
  get bytes(): number {
    return this.times.byteLength;
  }

  /** Records a match at `t` ms; true, and the window cleared, when more than N fell in the last T seconds. */
  hit(t: number): boolean {
    let next = ringHit(this.times, 0, this.times.length, this.n, this.windowMs, this.len, this.at, t);
    if (next === GROW) {
      const cap = this.times.length;
      const size = grownSize(cap, this.n);
      try {
        // After a failure, do not ask again: each failed request costs V8 a full GC.
        if (this.stuck) throw new RangeError('window memory: no growth since an allocation failed');
        const grown = this.allocate(size);
        unroll(this.times, 0, cap, this.at, grown);
        this.times = grown;
        this.at = cap;
      } catch (error) {
        this.allocationFailures++;
        this.stuck = true;
        this.onAllocationFailure(size * 8, error, 'the window counts afresh from this match');
        this.len = 0;
        this.at = 0;
      }
      next = ringHit(this.times, 0, this.times.length, this.n, this.windowMs, this.len, this.at, t);
    }
    if (next === FIRE) {
      this.len = 0;
      this.at = 0;
      return true;
    }
    this.at = next;
    if (this.len < this.times.length) this.len++;
    return false;
  }
}
