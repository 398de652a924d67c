import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { crcOf } from '../../../runtime/engine/item-state.js';
import { SlidingWindow } from '../../../runtime/engine/sliding-window.js';
import { WindowTable } from '../../../runtime/engine/window-table.js';
import { seededRandom } from '../../../compiler/seeded-random.js';

// For the heap check: a stored key must not keep the segment it was sliced from alive.
setFlagsFromString('--expose-gc');

/** The obvious implementation: every time kept, keys in an array ordered by last use. */
class Reference {
  private readonly times = new Map<string, number[]>();
  private order: string[] = [];
  evictions = 0;
  constructor(private readonly n: number, private readonly ms: number, private readonly max: number) {}

  hit(key: string, t: number): boolean {
    if (!this.times.has(key)) {
      if (this.order.length === this.max) {
        const lru = this.order.shift() as string;
        this.times.delete(lru);
        this.evictions++;
      }
      this.times.set(key, []);
    }
    this.order = [...this.order.filter((k) => k !== key), key];
    const list = this.times.get(key) as number[];
    const inWindow = list.filter((s) => s > t - this.ms).length + 1;
    if (inWindow > this.n) {
      this.times.set(key, []);
      return true;
    }
    list.push(t);
    return false;
  }
}

describe('WindowTable against a brute-force reference', () => {
  for (const [n, seconds, maxKeys, keySpace, seed, step = 2000] of [
    [1, 5, 4, 6, 1],
    [3, 10, 8, 12, 2],
    [5, 30, 50, 40, 3],
    [2, 1, 3, 3, 4],
    // Rings that grow past their first 8 times, up to N, and are given back at fires.
    [20, 30, 8, 6, 5, 400],
    [100, 60, 4, 3, 6, 150],
    [9, 20, 10, 12, 7, 300],
  ] as const) {
    it(`agrees on fires and evictions for ${n}/${seconds}, ${maxKeys} keys max, ${keySpace} keys`, () => {
      const rnd = seededRandom(seed);
      const table = new WindowTable(n, seconds, maxKeys, crcOf);
      const ref = new Reference(n, seconds * 1000, maxKeys);
      let t = 0;
      const mismatches: string[] = [];
      let fires = 0;
      for (let i = 0; i < 20_000; i++) {
        t += Math.floor(rnd() * step);
        const key = `k${Math.floor(rnd() * keySpace)}`;
        const got = table.hit(table.slotFor(key), t);
        const want = ref.hit(key, t);
        if (got) fires++;
        if (got !== want && mismatches.length < 5) mismatches.push(`#${i} ${key}@${t}: ${got} vs ${want}`);
      }
      expect(mismatches).toEqual([]);
      expect(table.evictions).toBe(ref.evictions);
      expect(fires).toBeGreaterThan(0);
      expect(table.size).toBe(Math.min(maxKeys, keySpace));
    });
  }

  it('keeps no read segment alive behind a stored key (stored keys are copies)', () => {
    const keys = 150;
    const segmentBytes = 32 * 1024;
    const table = new WindowTable(1, 60, keys, crcOf);
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < keys; i++) {
      // As the line splitter hands them over: a capture is a view into a flat decoded segment.
      const segment = Buffer.alloc(segmentBytes, `${i} `).toString('latin1');
      table.slotFor(segment.substring(10, 60));
    }
    gc();
    const held = process.memoryUsage().heapUsed - before;
    expect(table.size).toBe(keys);
    // The segments themselves would hold ~4.9 MB; the copies are a few hundred bytes each.
    expect(held).toBeLessThan((keys * segmentBytes) / 4);
    const again = Buffer.alloc(segmentBytes, '0 ').toString('latin1').substring(10, 60);
    expect(table.slotFor(again)).toBe(table.slotFor(`${'0 '.repeat(25)}`));
  });
});

describe('SlidingWindow (one key) against the same reference', () => {
  for (const [n, seconds, seed, step = 2000] of [
    [1, 5, 1],
    [3, 10, 2],
    [5, 30, 3],
    [2, 1, 4],
    // A ring that grows past its first 8 times.
    [40, 30, 5, 300],
  ] as const) {
    it(`agrees on fires for ${n}/${seconds}, with times that sometimes run backwards`, () => {
      const rnd = seededRandom(seed);
      const window = new SlidingWindow(n, seconds);
      const ref = new Reference(n, seconds * 1000, 1);
      let t = 100_000;
      // The newest time in the window since it was last cleared (null: cleared).
      let newest: number | null = null;
      const mismatches: string[] = [];
      let fires = 0;
      for (let i = 0; i < 20_000; i++) {
        // One step in ten goes back in time: it counts as the window's newest time.
        t += rnd() < 0.1 ? -Math.floor(rnd() * 3000) : Math.floor(rnd() * step);
        const counted: number = newest === null ? t : Math.max(newest, t);
        const got = window.hit(t);
        const want = ref.hit('k', counted);
        newest = want ? null : counted;
        if (got) fires++;
        if (got !== want && mismatches.length < 5) mismatches.push(`#${i} @${t}: ${got} vs ${want}`);
      }
      expect(mismatches).toEqual([]);
      expect(fires).toBeGreaterThan(0);
    });
  }
});
