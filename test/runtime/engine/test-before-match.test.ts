import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import type { ActionSpec, ItemSpec } from '../../../runtime/contract.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { item, matcher, memoryLog, moduleOf, RecordingSink } from './helpers.js';

/** An item whose `match` and `test` calls are counted (same regex, as generated modules have it). */
function counted(overrides: Partial<ItemSpec> = {}) {
  const re = /fail from (\S+)/;
  const calls = { match: 0, test: 0 };
  const exec = matcher(re);
  const spec = item({
    match: (line) => {
      calls.match++;
      return exec(line);
    },
    test: (line) => {
      calls.test++;
      return re.test(line);
    },
    ...overrides,
  });
  return { spec, calls };
}

function run(spec: ItemSpec, lines: string[]) {
  const clock = new ManualClock(0);
  const sink = new RecordingSink();
  const engine = new Engine(moduleOf(spec), { clock, actions: sink, log: memoryLog().log });
  engine.start();
  for (const line of lines) {
    clock.advance(1000);
    engine.onLines(0, [line]);
  }
  return { sink, stats: engine.stats().items[0]! };
}

/** `block "$1"`: the action reads capture 1. */
const READS_CAPTURE: ActionSpec = { shell: false, argv: [[{ kind: 'text', text: 'block' }], [{ kind: 'capture', index: 1 }]], source: 'block "$1"' };

const LINES = ['fail from 10.0.0.1', 'ok', 'fail from 10.0.0.2', 'fail from 10.0.0.3', 'x', 'fail from 10.0.0.4', 'fail from 10.0.0.5', 'fail from 10.0.0.6', 'fail from 10.0.0.7'];

describe('test before match', () => {
  it('with one key, tests every line and runs match only for a fire, whose captures are the firing line', () => {
    const { spec, calls } = counted({ upboundAction: READS_CAPTURE });
    const { sink, stats } = run(spec, LINES);
    expect(calls.test).toBe(LINES.length);
    expect(stats.matched).toBe(7);
    // 5/30: the 6th match fires (then counting starts afresh); match ran for that one only.
    expect(stats.upboundFires).toBe(1);
    expect(calls.match).toBe(1);
    expect(sink.requests.map((r) => r.captures)).toEqual([['fail from 10.0.0.6', '10.0.0.6']]);
  });

  it('runs no match at all when the firing action reads no capture', () => {
    const { spec, calls } = counted({ upboundAction: { shell: false, argv: [[{ kind: 'text', text: 'alert' }], [{ kind: 'line' }]], source: 'alert "$@"' } });
    const { sink, stats } = run(spec, LINES);
    expect(stats.upboundFires).toBe(1);
    expect(calls.match).toBe(0);
    expect(sink.requests.map((r) => [r.captures, r.line])).toEqual([[[], 'fail from 10.0.0.6']]);
    // A shell action gets captures as RULEC_n: match runs for it.
    const shell = counted({ upboundAction: { shell: true, command: 'echo "$RULEC_1"', source: 'echo "$RULEC_1"' } });
    expect(run(shell.spec, LINES).sink.requests.map((r) => r.captures)).toEqual([['fail from 10.0.0.6', '10.0.0.6']]);
    expect(shell.calls.match).toBe(1);
  });

  it('with a capture key, uses match on every candidate (the key needs the captures)', () => {
    const { spec, calls } = counted({ key: { kind: 'capture', index: 1 } });
    const { stats } = run(spec, LINES);
    expect(calls.test).toBe(0);
    expect(calls.match).toBe(LINES.length);
    expect(stats.matched).toBe(7);
    expect(stats.keys).toBe(7);
  });

  it('without a test, behaves as before: match on every candidate', () => {
    const { spec, calls } = counted({ test: undefined });
    const { sink } = run(spec, LINES);
    expect(calls.match).toBe(LINES.length);
    expect(sink.requests.map((r) => r.captures[1])).toEqual(['10.0.0.6']);
  });
});
