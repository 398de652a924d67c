import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { DownboundWindow } from '../../../runtime/engine/downbound-window.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { ACTION, item, memoryLog, moduleOf, RecordingSink } from './helpers.js';

function setup(overrides: Parameters<typeof item>[0]) {
  const clock = new ManualClock(0);
  const sink = new RecordingSink();
  const engine = new Engine(moduleOf(item({ upbound: null, upboundAction: null, ...overrides })), { clock, actions: sink, log: memoryLog().log });
  engine.start();
  return { clock, sink, engine };
}

describe('down-bound N/T', () => {
  it('fires one window after start when nothing matched, and again every T while silent', () => {
    const { clock, sink } = setup({ downbound: { count: 1, seconds: 10 }, downboundAction: ACTION });
    clock.advance(9_999);
    expect(sink.requests).toEqual([]);
    clock.advance(1);
    expect(sink.kinds()).toEqual(['downbound']);
    expect(sink.requests[0]?.env).toEqual({ RULEC_ITEM: 'ITEM', RULEC_COUNT: '0', RULEC_WINDOW: '10' });
    expect(sink.requests[0]?.captures).toEqual([]);
    clock.advance(30_000);
    expect(sink.requests.length).toBe(4);
  });

  it('a match resets the silence: the next fire is T after the last match', () => {
    const { clock, sink, engine } = setup({ downbound: { count: 1, seconds: 10 }, downboundAction: ACTION });
    clock.advance(5_000);
    engine.onLines(0, ['fail from x']);
    clock.advance(9_999); // t = 14.999 s
    expect(sink.requests).toEqual([]);
    clock.advance(1); // 15 s: the match at 5 s has left the window
    expect(sink.requests.length).toBe(1);
    clock.advance(3_000);
    engine.onLines(0, ['fail from x']); // 18 s
    clock.advance(9_999);
    expect(sink.requests.length).toBe(1);
    clock.advance(1); // 28 s
    expect(sink.requests.length).toBe(2);
    expect(engine.stats().items[0]?.downboundFires).toBe(2);
  });

  it('with N > 1 fires when fewer than N fell in the last T, reporting the count', () => {
    const { clock, sink, engine } = setup({ downbound: { count: 3, seconds: 10 }, downboundAction: ACTION });
    for (let i = 0; i < 3; i++) {
      clock.advance(2_000);
      engine.onLines(0, ['fail from x']); // 2, 4, 6 s
    }
    clock.advance(4_000); // 10 s: three in (0, 10]
    expect(sink.requests).toEqual([]);
    clock.advance(1_999); // 11.999 s: still three in window
    expect(sink.requests).toEqual([]);
    clock.advance(1); // 12 s: the 2 s match left
    expect(sink.requests.map((r) => r.env.RULEC_COUNT)).toEqual(['2']);
  });

  it('stop() cancels the timers', () => {
    const { clock, sink, engine } = setup({ downbound: { count: 1, seconds: 10 }, downboundAction: ACTION });
    engine.stop();
    expect(clock.pending()).toBe(0);
    clock.advance(60_000);
    expect(sink.requests).toEqual([]);
  });

  it('is off without a down-bound action or with 0/T', () => {
    const { clock, sink } = setup({ downbound: { count: 0, seconds: 10 }, downboundAction: ACTION });
    clock.advance(60_000);
    expect(sink.requests).toEqual([]);
    expect(clock.pending()).toBe(0);
  });
});

describe('DownboundWindow with times out of order (log time of interleaved sources)', () => {
  it('keeps the N newest: an older time never pushes out a newer one', () => {
    const w = new DownboundWindow(2, 60);
    for (const t of [50_000, 60_000, 30_000]) w.record(t);
    // 50 s and 60 s are the two newest; both are in (40 s, 100 s].
    expect(w.countAt(100_000)).toBe(2);
    expect(w.nextShortfall(100_000)).toBe(110_000);
  });

  it('puts a late time in its place, so the next shortfall is T after the oldest of the N newest', () => {
    const w = new DownboundWindow(3, 60);
    for (const t of [50_000, 40_000, 45_000]) w.record(t);
    expect(w.nextShortfall(60_000)).toBe(100_000);
    w.record(70_000);
    expect(w.nextShortfall(80_000)).toBe(105_000);
    expect(w.countAt(104_000)).toBe(3);
    expect(w.countAt(105_000)).toBe(2);
  });
});

describe('size thresholds', () => {
  it('fires once per multiple reached, once for a jump over several, and re-arms after truncation', () => {
    const { sink, engine } = setup({ size: 100, sizeAction: ACTION });
    const fires = (bytes: number): string[] => {
      const before = sink.requests.length;
      engine.onSize(0, bytes);
      return sink.requests.slice(before).map((r) => r.env.RULEC_THRESHOLD ?? '?');
    };
    expect(fires(0)).toEqual([]);
    expect(fires(99)).toEqual([]);
    expect(fires(100)).toEqual(['100']);
    expect(fires(150)).toEqual([]);
    expect(fires(199)).toEqual([]);
    expect(fires(420)).toEqual(['400']);
    expect(fires(420)).toEqual([]);
    expect(fires(0)).toEqual([]); // truncated: re-armed
    expect(fires(120)).toEqual(['100']);
    expect(fires(50)).toEqual([]);
    expect(fires(60)).toEqual([]);
    expect(fires(200)).toEqual(['200']);
    expect(sink.requests[0]).toMatchObject({
      kind: 'size', line: '', captures: [],
      env: { RULEC_ITEM: 'ITEM', RULEC_PATH: '/var/log/test.log', RULEC_SIZE: '100', RULEC_THRESHOLD: '100' },
    });
    expect(engine.stats().items[0]?.sizeFires).toBe(4);
  });

  it('reports a file already past the size at the first observation', () => {
    const { sink, engine } = setup({ size: 100, sizeAction: ACTION });
    engine.onSize(0, 250);
    expect(sink.requests.map((r) => r.env.RULEC_THRESHOLD)).toEqual(['200']);
  });

  it('ignores sizes for an unknown source and after stop()', () => {
    const { sink, engine } = setup({ size: 100, sizeAction: ACTION });
    engine.onSize(5, 1000);
    engine.stop();
    engine.onSize(0, 1000);
    expect(sink.requests).toEqual([]);
  });
});
