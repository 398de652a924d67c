import { ownCopy } from '../text/own-copy.js';
import { allocateTimes, FIRE, firstRing, GROW, grownSize, ringHit, unroll, type AllocationFailure, type WindowMemory } from './sliding-window.js';

/** A counting key: a CRC-32 number or a capture's text. */
export type WindowKey = string | number;

/** Longer capture keys are stored shortened (prefix, CRC-32 and length) so keys stay small. */
const KEY_MAX = 256;
/** Keys the table has room for before the first one arrives. */
const INITIAL_KEYS = 16;

/**
 * Exact sliding windows `N/T` for up to `maxKeys` keys, and each key's hold-off after it fired.
 *
 * Each key's ring of match times lives in one Float64Array shared by the item's keys: all N
 * times when N ≤ 32 (`firstRing`), else 8, growing on demand, doubling up to N, into a
 * Float64Array of its own when all of its times are still inside the window (`ringHit`'s GROW):
 * memory follows the matches a key has within T, so 200,000 keys at `1000/60` that each match
 * a few times take 8 times each, not 1,000. An eviction gives a grown ring back; a key that
 * fired keeps it for its next round. The worst case, every key at N, is what `rulec check`
 * bounds (`window_memory`).
 *
 * Keys form an LRU list in Int32Arrays so the least recently used is evicted when a new key
 * arrives at the cap, its hold-off with it; the shared arrays double as keys arrive, up to the
 * cap. With N = 0 every match exceeds the window: the table then keeps only the hold-offs.
 *
 * An allocation that fails never reaches the line: a key whose ring cannot grow counts afresh
 * from that match, and the table stops growing rings past the memory they hold then (keys
 * that would need more count afresh too); a table that cannot grow for more keys evicts instead.
 * Each is counted in `allocationFailures` and told to `onAllocationFailure`.
 */
export class WindowTable {
  /** Keys evicted to make room, since start. */
  evictions = 0;
  /** Allocations of window storage that failed, and rings that could not grow past the limit one set. */
  allocationFailures = 0;
  private readonly n: number;
  private readonly windowMs: number;
  /** Times each key's first ring holds: N up to 32, else 8 (`firstRing`). */
  private readonly first: number;
  private maxKeys: number;
  private readonly index = new Map<WindowKey, number>();
  private keys: WindowKey[] = [];
  /** The first ring of every slot, `first` times each. */
  private times: Float64Array;
  /**
   * Per slot, the ring it grew into, if it did (then its first ring is unused). Kept as long as
   * the slots, with no holes: a sparse array would turn into a dictionary, read on every match.
   */
  private readonly rings: (Float64Array | undefined)[];
  /** Times held by grown rings, and the most they may hold once an allocation failed. */
  private ringTimes = 0;
  private ringLimit = Infinity;
  private len: Int32Array;
  private pos: Int32Array;
  private prev: Int32Array;
  private next: Int32Array;
  /** Per slot, until when (ms) the key's matches are held off; null when the item has no hold-off. */
  private held: Float64Array | null;
  private used = 0;
  private capacity: number;
  /** Most and least recently used slots, -1 when empty. */
  private head = -1;
  private tail = -1;
  private readonly allocate: (length: number) => Float64Array;
  private readonly onAllocationFailure: AllocationFailure;

  /**
   * @param holdoff whether keys are held off after a fire (`holdUntil`)
   * @param memory where ring storage comes from (`new Float64Array`) and whom a failure is told
   */
  constructor(
    count: number,
    seconds: number,
    maxKeys: number,
    private readonly hashLong: (text: string) => number,
    holdoff = false,
    memory: WindowMemory = {},
  ) {
    this.allocate = memory.allocate ?? allocateTimes;
    this.onAllocationFailure = memory.onAllocationFailure ?? (() => {});
    this.n = Math.max(0, Math.floor(count));
    this.windowMs = seconds * 1000;
    this.first = firstRing(this.n);
    this.maxKeys = Math.max(1, Math.floor(maxKeys));
    this.capacity = Math.min(this.maxKeys, INITIAL_KEYS);
    this.times = this.allocate(this.capacity * this.first);
    this.len = new Int32Array(this.capacity);
    this.pos = new Int32Array(this.capacity);
    this.prev = new Int32Array(this.capacity);
    this.next = new Int32Array(this.capacity);
    this.held = holdoff ? new Float64Array(this.capacity) : null;
    this.rings = this.n > this.first ? Array.from({ length: this.capacity }, () => undefined) : [];
  }

  /** Bytes of window storage allocated now: rings, hold-offs and the LRU list (not the keys' text). */
  get bytes(): number {
    const arrays = [this.times, this.len, this.pos, this.prev, this.next, this.held];
    return arrays.reduce((sum, a) => sum + (a?.byteLength ?? 0), 0) + this.ringTimes * 8;
  }

  /** Live keys. */
  get size(): number {
    return this.used;
  }

  /** The slot of `key`, created (evicting the least recently used at the cap) if new; marks it used. */
  slotFor(key: WindowKey): number {
    // Matches often come in runs of one key: no map lookup then.
    if (this.head !== -1 && this.keys[this.head] === key) return this.head;
    let slot = this.index.get(key);
    if (slot !== undefined) {
      this.touch(slot);
      return slot;
    }
    if (typeof key === 'string' && key.length > KEY_MAX) {
      key = `${key.slice(0, KEY_MAX / 2)}\u0000${this.hashLong(key)}:${key.length}`;
      slot = this.index.get(key);
      if (slot !== undefined) {
        this.touch(slot);
        return slot;
      }
    }
    return this.insert(typeof key === 'number' ? key : ownCopy(key));
  }

  /**
   * Records a match of the key in `slot` at `t` ms. Returns true, and clears the key's window,
   * when more than N matches fell in the last T seconds (see `ringHit`).
   */
  hit(slot: number, t: number): boolean {
    const n = this.n;
    if (n === 0) return true;
    const len = this.len[slot] ?? 0;
    // With N ≤ 8 no ring ever grows: no second array to read on every match.
    let ring = this.n > this.first ? this.rings[slot] : undefined;
    let next = ring === undefined
      ? ringHit(this.times, slot * this.first, this.first, n, this.windowMs, len, this.pos[slot] ?? 0, t)
      : ringHit(ring, 0, ring.length, n, this.windowMs, len, this.pos[slot] ?? 0, t);
    if (next === GROW) {
      ring = this.grownRing(slot, ring);
      next = ring === undefined
        ? ringHit(this.times, slot * this.first, this.first, n, this.windowMs, this.len[slot] ?? 0, this.pos[slot] ?? 0, t)
        : ringHit(ring, 0, ring.length, n, this.windowMs, this.len[slot] ?? 0, this.pos[slot] ?? 0, t);
    }
    if (next === FIRE) {
      // The ring stays: a key that fired is likely to go on (a new ring each round cost a
      // typed array allocation each, 2.8 times the time of a hit at 20/60).
      this.len[slot] = 0;
      this.pos[slot] = 0;
      return true;
    }
    this.pos[slot] = next;
    const count = this.len[slot] ?? 0;
    if (count < (ring?.length ?? this.first)) this.len[slot] = count + 1;
    return false;
  }

  /** True while the key in `slot` is held off at `t` (after a fire, until the time `holdUntil` set). */
  isHeld(slot: number, t: number): boolean {
    return this.held !== null && t < (this.held[slot] ?? 0);
  }

  /** Holds the key in `slot` off until `until` ms. */
  holdUntil(slot: number, until: number): void {
    if (this.held !== null) this.held[slot] = until;
  }

  /**
   * The slot's full ring (its first ring when `ring` is undefined) moved into one twice its
   * size, oldest time first; or, when that cannot be allocated, the slot's window cleared.
   */
  private grownRing(slot: number, ring: Float64Array | undefined): Float64Array | undefined {
    const cap = ring?.length ?? this.first;
    const size = grownSize(cap, this.n);
    let grown: Float64Array;
    try {
      // Past the limit a failure set, do not ask again: each failed request costs V8 a full GC.
      if (this.ringTimes - (ring?.length ?? 0) + size > this.ringLimit) throw new RangeError('window memory limit reached after an allocation failure');
      grown = this.allocate(size);
    } catch (error) {
      this.allocationFailures++;
      if (this.ringLimit === Infinity) this.ringLimit = this.ringTimes;
      this.clear(slot);
      this.onAllocationFailure(size * 8, error, 'the key counts afresh from this match');
      return undefined;
    }
    if (ring === undefined) unroll(this.times, slot * this.first, cap, this.pos[slot] ?? 0, grown);
    else unroll(ring, 0, cap, this.pos[slot] ?? 0, grown);
    this.ringTimes += size - (ring?.length ?? 0);
    this.rings[slot] = grown;
    this.len[slot] = cap;
    this.pos[slot] = cap;
    return grown;
  }

  /** Empties the slot's window and gives its grown ring back (a new key, an allocation failure). */
  private clear(slot: number): void {
    const ring = this.rings[slot];
    if (ring !== undefined) {
      this.ringTimes -= ring.length;
      this.rings[slot] = undefined;
    }
    this.len[slot] = 0;
    this.pos[slot] = 0;
  }

  private insert(key: WindowKey): number {
    let slot: number;
    if (this.used < this.maxKeys && (this.used < this.capacity || this.grow())) {
      slot = this.used++;
    } else {
      slot = this.tail;
      this.unlink(slot);
      const old = this.keys[slot];
      if (old !== undefined) this.index.delete(old);
      this.evictions++;
    }
    this.keys[slot] = key;
    this.index.set(key, slot);
    this.clear(slot);
    if (this.held !== null) this.held[slot] = -Infinity;
    this.pushHead(slot);
    return slot;
  }

  private touch(slot: number): void {
    if (slot === this.head) return;
    this.unlink(slot);
    this.pushHead(slot);
  }

  private unlink(slot: number): void {
    const p = this.prev[slot] ?? -1;
    const q = this.next[slot] ?? -1;
    if (p === -1) this.head = q;
    else this.next[p] = q;
    if (q === -1) this.tail = p;
    else this.prev[q] = p;
  }

  private pushHead(slot: number): void {
    this.prev[slot] = -1;
    this.next[slot] = this.head;
    if (this.head !== -1) this.prev[this.head] = slot;
    this.head = slot;
    if (this.tail === -1) this.tail = slot;
  }

  /** Doubles the room for keys; false (and no more keys than now, from then on) when that cannot be allocated. */
  private grow(): boolean {
    const capacity = Math.min(this.maxKeys, this.capacity * 2);
    const widen = <T extends Float64Array | Int32Array>(old: T, make: (size: number) => T, per: number): T => {
      const fresh = make(capacity * per);
      fresh.set(old);
      return fresh;
    };
    try {
      // All or nothing: every array is made before any is replaced.
      const times = widen(this.times, this.allocate, this.first);
      const len = widen(this.len, (s) => new Int32Array(s), 1);
      const pos = widen(this.pos, (s) => new Int32Array(s), 1);
      const prev = widen(this.prev, (s) => new Int32Array(s), 1);
      const next = widen(this.next, (s) => new Int32Array(s), 1);
      const held = this.held === null ? null : widen(this.held, (s) => new Float64Array(s), 1);
      this.times = times;
      this.len = len;
      this.pos = pos;
      this.prev = prev;
      this.next = next;
      this.held = held;
      if (this.n > this.first) for (let slot = this.capacity; slot < capacity; slot++) this.rings.push(undefined);
      this.capacity = capacity;
      return true;
    } catch (error) {
      this.allocationFailures++;
      this.maxKeys = this.capacity;
      this.onAllocationFailure((capacity - this.capacity) * (8 * this.first + 16 + (this.held === null ? 0 : 8)), error, `no room for more than ${this.capacity} keys: a new key evicts the least recently used`);
      return false;
    }
  }
}
