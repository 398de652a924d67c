/**
 * `rulec check` bounds the counting windows' worst case by `window_memory` (R335), with the
 * issue's two cases, and the bound is the runtime's: a window table filled to its limit
 * holds exactly the times the check counted.
 */
import { describe, expect, it } from 'vitest';
import { windowWorstCase } from '../../../compiler/check/memory.js';
import { crcOf } from '../../../runtime/engine/item-state.js';
import { WindowTable } from '../../../runtime/engine/window-table.js';
import { BASE, checkText, item, marked } from './check-helper.js';

const keyed = (name: string, freq: string, maxKeys: number, extra = ''): string =>
  item(`${BASE}regex = from (\\S+)\nkey = $1\nupbound_freq = ${freq}\nmax_keys = ${maxKeys}\n${extra}`, name);

describe('window_memory (R335)', () => {
  it('refuses 1000/60 on 200,000 keys (1.25 GB in the issue), pointing at the frequency, naming the item', () => {
    const m = marked(`[BIG]\n${BASE}regex = from (\\S+)\nkey = $1\n<|upbound_freq = 1000/60|>\nmax_keys = 200000\n`);
    const c = checkText(m.text);
    const d = c.only('R335');
    expect(d.severity).toBe('error');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(d.message).toBe('the counting windows may need up to 1.50 GiB (every key at its limit), more than `window_memory` (1.00 GiB, the default)');
    // 8 first times + a ring grown to 1,000 + the hold-off's time, per key.
    expect(d.notes?.[0]).toBe('`BIG`: 200,000 key(s) × 1,009 time(s) × 8 bytes = 1.50 GiB');
    expect(d.notes?.at(-1)).toContain('e.g. `window_memory = 2G`');
  });

  it('refuses 1000000/60 on 5,000 keys (11.8 GB and failing allocations in the issue) unless window_memory allows it', () => {
    const text = keyed('HUGE', '1000000/60', 5000);
    expect(checkText(text).only('R335').message).toContain('up to 37.3 GiB');
    const allowed = checkText(`[general]\nwindow_memory = 40G\n\n${text}`);
    expect(allowed.codes()).toEqual([]);
  });

  it('sums the items: each alone fits, together they do not; the notes list the largest first', () => {
    const one = keyed('A', '300/60', 200_000);
    expect(checkText(one).codes()).toEqual([]);
    const c = checkText(`${one}${keyed('B', '400/60', 200_000)}${keyed('C', '5/60', 1000)}`);
    const d = c.only('R335');
    expect(d.notes?.slice(0, 3).map((n) => n.slice(0, 4))).toEqual(['`B`:', '`A`:', '`C`:']);
  });

  it('accepts the shipped defaults at scale: 200 keyed items at 5/60 with 100,000 keys each', () => {
    const items = Array.from({ length: 200 }, (_, i) => keyed(`I${i}`, '5/60', 100_000)).join('');
    expect(checkText(items).codes()).toEqual([]);
  });

  it('counts a down-bound\'s times and a keyed hold-off without a frequency', () => {
    const c = checkText(`[general]\nwindow_memory = 100K\n\n${item('path = /var/log/x\ndownbound_freq = 20000/60\ndownbound_action = /bin/true\n', 'DOWN')}`);
    expect(c.only('R335').notes?.[0]).toBe('`DOWN`: 20,000 down-bound time(s) × 8 bytes = 156 KiB');
    const held = checkText(`[general]\nwindow_memory = 100K\n\n${keyed('HELD', '0/60', 20_000, 'upbound_holdoff = 10m\n')}`);
    expect(held.only('R335').notes?.[0]).toBe('`HELD`: 20,000 key(s) × 1 time(s) × 8 bytes = 156 KiB');
  });

  it('reads window_memory as a size, in [general] only', () => {
    const bad = marked('[general]\nwindow_memory = <|lots|>\n');
    expect(checkText(bad.text).only('R304').span).toMatchObject(bad.marks[0]!);
    expect(checkText(item(`${BASE}window_memory = 1G\n`)).codes()).toEqual(['R320']);
  });

  it('is what the runtime holds: a table filled to its limit holds exactly the times counted', () => {
    // 20 times a key are kept from the start; 40 start at 8 and grow.
    for (const [n, perKey] of [[20, 20 + 1], [40, 8 + 40 + 1]] as const) {
      const c = checkText(keyed('FULL', `${n}/60`, 50));
      const worst = windowWorstCase(c.model.items[0]!);
      expect(worst).toMatchObject({ keys: 50, timesPerKey: perKey });
      const table = new WindowTable(n, 60, 50, crcOf, true);
      // Every key N times within the window: one short of firing, its ring at N.
      for (let k = 0; k < 50; k++) {
        const slot = table.slotFor(`k${k}`);
        for (let i = 0; i < n; i++) expect(table.hit(slot, i)).toBe(false);
      }
      const lruList = 50 * 16;
      expect(table.bytes - lruList).toBe(worst.bytes);
    }
  });
});
