import { ownCopy } from './own-copy.js';
import { ringHit } from './sliding-window.js';

/** A counting key: a CRC-32 number or a capture's text. */
export type WindowKey = string | number;

/** Longer capture keys are stored shortened (prefix, CRC-32 and length) so keys stay small. */
const KEY_MAX = 256;
/** Ring storage allocated before any key arrives. */
const INITIAL_BYTES = 1 << 20;

/**
 * Exact sliding windows `N/T` for up to `maxKeys` keys, and each key's hold-off after it fired.
 * Each key owns a ring of its last N match times in one shared Float64Array (8·N bytes per key);
 * keys form an LRU list in Int32Arrays so the least recently used is evicted when a new key
 * arrives at the cap, its hold-off with it. Storage doubles as keys arrive, up to the cap.
 * With N = 0 every match exceeds the window: the table then only keeps the keys' hold-offs.
 */
export class WindowTable {
  /** Keys evicted to make room, since start. */
  evictions = 0;
  private readonly n: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly index = new Map<WindowKey, number>();
  private keys: WindowKey[] = [];
  private times: Float64Array;
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

  constructor(count: number, seconds: number, maxKeys: number, private readonly hashLong: (text: string) => number, holdoff = false) {
    this.n = Math.max(0, Math.floor(count));
    this.windowMs = seconds * 1000;
    this.maxKeys = Math.max(1, Math.floor(maxKeys));
    // 16 keys to start, fewer when N is large (8·N bytes each): about 1 MB at most up front.
    this.capacity = Math.min(this.maxKeys, 16, Math.max(1, Math.floor(INITIAL_BYTES / (8 * Math.max(1, this.n)))));
    this.times = new Float64Array(this.capacity * this.n);
    this.len = new Int32Array(this.capacity);
    this.pos = new Int32Array(this.capacity);
    this.prev = new Int32Array(this.capacity);
    this.next = new Int32Array(this.capacity);
    this.held = holdoff ? new Float64Array(this.capacity) : null;
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
    const next = ringHit(this.times, slot * n, n, this.windowMs, len, this.pos[slot] ?? 0, t);
    if (next < 0) {
      this.len[slot] = 0;
      this.pos[slot] = 0;
      return true;
    }
    this.pos[slot] = next;
    if (len < n) this.len[slot] = len + 1;
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

  private insert(key: WindowKey): number {
    let slot: number;
    if (this.used < this.maxKeys) {
      if (this.used === this.capacity) this.grow();
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
    this.len[slot] = 0;
    this.pos[slot] = 0;
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

  private grow(): void {
    const capacity = Math.min(this.maxKeys, this.capacity * 2);
    const widen = <T extends Float64Array | Int32Array>(old: T, make: (size: number) => T, per: number): T => {
      const fresh = make(capacity * per);
      fresh.set(old);
      return fresh;
    };
    this.times = widen(this.times, (s) => new Float64Array(s), this.n);
    this.len = widen(this.len, (s) => new Int32Array(s), 1);
    this.pos = widen(this.pos, (s) => new Int32Array(s), 1);
    this.prev = widen(this.prev, (s) => new Int32Array(s), 1);
    this.next = widen(this.next, (s) => new Int32Array(s), 1);
    if (this.held !== null) this.held = widen(this.held, (s) => new Float64Array(s), 1);
    this.capacity = capacity;
  }
}
