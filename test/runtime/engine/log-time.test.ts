import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { Engine } from '../../../runtime/engine/engine.js';
import type { ItemSpec } from '../../../runtime/contract.js';
import { ACTION, item, memoryLog, moduleOf, RecordingSink } from './helpers.js';

function setup(items: ItemSpec[], replay = false) {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const sink = new RecordingSink();
  const engine = new Engine(moduleOf(...items), { clock, actions: sink, log: memoryLog().log, replay });
  engine.start();
  return { clock, sink, engine };
}

const at = (hms: string, rest = 'sshd: fail from 192.0.2.1'): string => `2026-05-01T${hms}Z ${rest}`;

describe('log time', () => {
  it('an item on the log clock counts by the time in the line, not arrival', () => {
    const { sink, engine } = setup([item({ clock: 'log', upbound: { count: 2, seconds: 10 } })]);
    // All arrive at once, but the log says they were 6 s apart: never 3 within 10 s.
    engine.onLines(0, [at('10:00:00'), at('10:00:06'), at('10:00:12'), at('10:00:18')]);
    expect(sink.requests).toEqual([]);
    engine.onLines(0, [at('10:00:30'), at('10:00:31'), at('10:00:32')]);
    expect(sink.requests.map((r) => r.line)).toEqual([at('10:00:32')]);
  });

  it('the same lines on the arrival clock all count at once', () => {
    const { sink, engine } = setup([item({ upbound: { count: 2, seconds: 10 } })]);
    engine.onLines(0, [at('10:00:00'), at('10:00:06'), at('10:00:12')]);
    expect(sink.requests.length).toBe(1);
  });

  it('replay puts every item on the log clock', () => {
    const { sink, engine } = setup([item({ upbound: { count: 2, seconds: 10 } })], true);
    engine.onLines(0, [at('10:00:00'), at('10:00:06'), at('10:00:12')]);
    expect(sink.requests).toEqual([]);
  });

  it('a line without a readable time takes the last known log time, and is counted', () => {
    const { sink, engine } = setup([item({ clock: 'log', upbound: { count: 2, seconds: 10 } })]);
    engine.onLines(0, [at('10:00:00'), 'continuation: fail from 192.0.2.1', at('10:00:30'), 'again fail from x']);
    expect(sink.requests).toEqual([]);
    engine.onLines(0, ['more fail from y']);
    expect(sink.requests.length).toBe(1);
    expect(engine.stats().items[0]?.untimedLines).toBe(3);
  });

  it('replay runs down-bound checks in log time as the log advances', () => {
    const { sink, engine, clock } = setup([item({ upbound: null, upboundAction: null, downbound: { count: 1, seconds: 60 }, downboundAction: ACTION })], true);
    expect(clock.pending()).toBe(0);
    engine.onLines(0, [at('10:00:00'), at('10:00:50'), at('10:01:49')]);
    expect(sink.requests).toEqual([]);
    // Silence from 10:01:49: checks at 10:02:49 and 10:03:49 fire; the line at 10:04:00 comes after.
    engine.onLines(0, [at('10:04:00')]);
    expect(sink.requests.length).toBe(2);
    engine.onLines(0, [at('10:04:30', 'unrelated')]);
    expect(sink.requests.length).toBe(2);
  });

  it('replay bounds the catch-up after a huge leap in log time and counts what it skipped', () => {
    const { sink, engine } = setup([item({ upbound: null, upboundAction: null, downbound: { count: 1, seconds: 1 }, downboundAction: ACTION })], true);
    engine.onLines(0, ['2020-01-01T00:00:00Z fail from a', '2026-01-01T00:00:00Z fail from a']);
    expect(sink.requests.length).toBe(1000);
    expect(engine.stats().items[0]?.downboundSkipped).toBeGreaterThan(100_000_000);
  });
});
