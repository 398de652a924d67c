import { describe, expect, it } from 'vitest';
import { Automaton } from '../../../runtime/prefilter/automaton.js';

function found(automaton: Automaton, size: number, line: string): number[] {
  const out = new Int32Array(size);
  const n = automaton.scan(line, out);
  return Array.from(out.subarray(0, n)).sort((a, b) => a - b);
}

describe('Automaton', () => {
  it('reports each literal once however often it occurs, overlapping and nested ones included', () => {
    const automaton = new Automaton(['aa', 'a', 'aaa', null, 'ab']);
    expect(found(automaton, 5, 'aaaaaa')).toEqual([0, 1, 2]);
    expect(found(automaton, 5, 'a a')).toEqual([1]);
    expect(found(automaton, 5, 'xaab')).toEqual([0, 1, 4]);
    expect(found(automaton, 5, '')).toEqual([]);
  });

  it('folds ASCII case, U+017F to s and U+212A to k, and nothing else', () => {
    const automaton = new Automaton(['user', 'kernel', 'straße', 'ünï']);
    expect(found(automaton, 4, 'USER \u212aERNEL')).toEqual([0, 1]);
    expect(found(automaton, 4, 'U\u017fer')).toEqual([0]);
    expect(found(automaton, 4, 'STRASSE ÜNÏ')).toEqual([]);
    expect(found(automaton, 4, 'STRAßE ünï')).toEqual([2, 3]);
  });

  it('keeps its seen-marks apart between lines over many lines', () => {
    const automaton = new Automaton(['foo', 'bar', 'baz', 'qux', 'quux']);
    for (let i = 0; i < 20_000; i++) {
      const line = i % 3 === 0 ? 'foo' : i % 3 === 1 ? 'bar foo quux' : 'none';
      const expected = i % 3 === 0 ? [0] : i % 3 === 1 ? [0, 1, 4] : [];
      if (found(automaton, 5, line).join() !== expected.join()) throw new Error(`line ${i}: ${line}`);
    }
  });
});
