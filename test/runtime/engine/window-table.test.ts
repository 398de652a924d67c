import { describe, expect, it } from 'vitest';
import { crcOf } from '../../../runtime/engine/item-state.js';
import { WindowTable } from '../../../runtime/engine/window-table.js';
import { seededRandom } from '../../../compiler/seeded-random.js';

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
  for (const [n, seconds, maxKeys, keySpace, seed] of [
    [1, 5, 4, 6, 1],
    [3, 10, 8, 12, 2],
    [5, 30, 50, 40, 3],
    [2, 1, 3, 3, 4],
  ] as const) {
    it(`agrees on fires and evictions for ${n}/${seconds}, ${maxKeys} keys max, ${keySpace} keys`, () => {
      const rnd = seededRandom(seed);
      const table = new WindowTable(n, seconds, maxKeys, crcOf);
      const ref = new Reference(n, seconds * 1000, maxKeys);
      let t = 0;
      const mismatches: string[] = [];
      let fires = 0;
      for (let i = 0; i < 20_000; i++) {
        t += Math.floor(rnd() * 2000);
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

  it('keeps the key apart from its slice of the line (stored keys are copies)', () => {
    const table = new WindowTable(1, 60, 10, crcOf);
    const line = 'prefix ' + 'x'.repeat(50) + ' suffix';
    const slot = table.slotFor(line.slice(7, 57));
    expect(table.slotFor('x'.repeat(50))).toBe(slot);
  });
});
