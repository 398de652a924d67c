import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { crcOf } from '../../../runtime/engine/item-state.js';
import { WindowTable } from '../../../runtime/engine/window-table.js';
import { item, memoryLog, moduleOf, RecordingSink } from './helpers.js';

describe('windows with a large N', () => {
  it('allocate ring storage for one key per unkeyed item, about 1 MB up front at most', () => {
    const before = process.memoryUsage().arrayBuffers;
    // 1,000,000/60 on 40 items: 16 rings each would be 40 × 128 MB of address space.
    const items = Array.from({ length: 40 }, (_, i) => item({ name: `I${i}`, upbound: { count: 1_000_000, seconds: 60 } }));
    const engine = new Engine(moduleOf(...items), { clock: new ManualClock(0), actions: new RecordingSink(), log: memoryLog().log });
    engine.onLines(0, ['fail from 192.0.2.1']);
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(grown).toBeLessThan(40 * 9_000_000);
    expect(engine.stats().items.every((s) => s.matched === 1)).toBe(true);
  });

  it('still grows to more keys when they arrive, and counts each exactly', () => {
    const table = new WindowTable(100_000, 60, 64, crcOf);
    // Start room is 1 MB / (8 · 100,000) = 1 key; 40 keys force several doublings.
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < 40; k++) expect(table.hit(table.slotFor(`key${k}`), round * 1000 + k)).toBe(false);
    }
    expect(table.size).toBe(40);
    const small = new WindowTable(2, 60, 64, crcOf);
    expect([1, 2, 3].map((t) => small.hit(small.slotFor('a'), t))).toEqual([false, false, true]);
  });
});
