/** A pattern's analysis is remembered between checks; its findings still point into each file where it stands. */
import { describe, expect, it } from 'vitest';
import { BASE, checkText, item } from './check-helper.js';

describe('remembered regex analyses', () => {
  it('report a repeated bad pattern at each place it is written, in every check', () => {
    const pattern = 'user (x from (\\d+)\\.';
    const first = checkText(`${item(`regex = ${pattern}\n${BASE}`, 'A')}\n${item(`regex = ${pattern}\n${BASE}`, 'B')}`);
    const again = checkText(`# moved down\n\n${item(`${BASE}regex = ${pattern}\n`, 'C')}`);
    expect(first.diagnostics.map((d) => [d.code, first.where(d), first.text(d)])).toEqual([
      ['R307', 'main.rules:2:14', '(x from (\\d+)\\.'],
      ['R307', 'main.rules:7:14', '(x from (\\d+)\\.'],
    ]);
    expect(again.diagnostics.map((d) => [d.code, again.where(d), again.text(d)])).toEqual([['R307', 'main.rules:6:14', '(x from (\\d+)\\.']]);
  });
});
