import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { item, matcher, memoryLog, moduleOf, RecordingSink } from './helpers.js';

describe('Engine on bad input', () => {
  it('cuts lines to lineMax before matching and counts them', () => {
    const sink = new RecordingSink();
    const engine = new Engine(moduleOf(item({ match: matcher(/^(a+)(b?)$/), upbound: null, lineMax: 10 })), {
      clock: new ManualClock(0), actions: sink, log: memoryLog().log,
    });
    engine.onLines(0, ['a'.repeat(10) + 'b', 'aaab']);
    expect(sink.requests.map((r) => r.captures)).toEqual([['a'.repeat(10), 'a'.repeat(10), ''], ['aaab', 'aaa', 'b']]);
    expect(engine.stats().items[0]?.cutLines).toBe(1);
    expect(engine.stats().sources[0]).toEqual({ path: '/var/log/test.log', lines: 2, cutLines: 1 });
  });

  it('skips only the line a matcher throws on, logs it and counts it', () => {
    const sink = new RecordingSink();
    const { log, lines } = memoryLog();
    const match = (line: string) => {
      if (line.includes('boom')) throw new Error('matcher bug');
      return line.startsWith('ok') ? { captures: [line] } : null;
    };
    const engine = new Engine(moduleOf(item({ match, upbound: null })), { clock: new ManualClock(0), actions: sink, log });
    engine.onLines(0, ['ok 1', 'boom', 'ok 2', 'boom', 'ok 3']);
    expect(sink.requests.map((r) => r.line)).toEqual(['ok 1', 'ok 2', 'ok 3']);
    expect(engine.stats().matchErrors).toBe(2);
    expect(lines.some((l) => l.includes('matcher bug'))).toBe(true);
  });

  it('ignores an unknown source index and candidates out of range', () => {
    const sink = new RecordingSink();
    const module = moduleOf(item({ upbound: null }));
    const odd = { ...module, sources: [{ ...module.sources[0]!, items: [7, 0, -1], literals: [null, null, null] }] };
    const engine = new Engine(odd, { clock: new ManualClock(0), actions: sink, log: memoryLog().log });
    engine.onLines(3, ['fail from x']);
    engine.onLines(0, ['fail from x']);
    expect(sink.requests.length).toBe(1);
  });
});
