/**
 * `upbound_holdoff`: after an up-bound fire a key's matches are counted (`heldOff`), not
 * actioned, for the hold-off; then it counts afresh. Its state lives and dies with the key.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import type { ItemSpec } from '../../../runtime/contract.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { item, memoryLog, moduleOf, RecordingSink } from './helpers.js';

function setup(spec: ItemSpec) {
  const clock = new ManualClock(1_000_000);
  const sink = new RecordingSink();
  const engine = new Engine(moduleOf(spec), { clock, actions: sink, log: memoryLog().log });
  engine.start();
  /** Feeds one line `seconds` after the previous one; returns how many actions it fired. */
  const feed = (seconds: number, line = 'fail from 192.0.2.1'): number => {
    clock.advance(seconds * 1000);
    const before = sink.requests.length;
    engine.onLines(0, [line]);
    return sink.requests.length - before;
  };
  return { sink, engine, feed };
}

const keyed = (overrides: Partial<ItemSpec> = {}): ItemSpec => item({ key: { kind: 'capture', index: 1 }, ...overrides });

describe('up-bound hold-off', () => {
  it('holds a key off for upbound_holdoff after it fired, counting its matches, then counts afresh', () => {
    const { feed, engine } = setup(keyed({ upbound: { count: 2, seconds: 60 }, upboundHoldoff: 600 }));
    expect([0, 1, 1].map((dt) => feed(dt))).toEqual([0, 0, 1]);
    // 597 s of matches, one a second: the hold-off runs until 600 s after the fire.
    expect(Array.from({ length: 597 }, () => feed(1)).reduce((a, b) => a + b)).toBe(0);
    expect(engine.stats().items[0]).toMatchObject({ upboundFires: 1, heldOff: 597 });
    // 599.5 s after the fire: still held; from 600 s the key counts afresh and needs 3 again.
    expect(feed(2.5)).toBe(0);
    expect([1, 0.5, 0.5].map((dt) => feed(dt))).toEqual([0, 0, 1]);
    expect(engine.stats().items[0]).toMatchObject({ matched: 604, upboundFires: 2, heldOff: 598 });
  });

  it('holds each key off on its own: another key still fires', () => {
    const { feed, sink } = setup(keyed({ upbound: { count: 1, seconds: 60 }, upboundHoldoff: 600 }));
    expect([0, 1, 1, 1].map((dt) => feed(dt, 'fail from A'))).toEqual([0, 1, 0, 0]);
    expect([0, 1].map((dt) => feed(dt, 'fail from B'))).toEqual([0, 1]);
    expect(sink.requests.map((r) => r.captures[1])).toEqual(['A', 'B']);
  });

  it('turns a persistent source\'s flood into one action per hold-off: 5/60 with one match a second for an hour', () => {
    const fires = (upboundHoldoff: number | undefined): number => {
      const { feed, engine } = setup(keyed({ upbound: { count: 5, seconds: 60 }, upboundHoldoff }));
      for (let s = 0; s < 3600; s++) feed(1);
      return engine.stats().items[0]!.upboundFires;
    };
    // Counting afresh (logNOT, or a module built before hold-offs): every 6th match.
    expect(fires(0)).toBe(600);
    expect(fires(undefined)).toBe(600);
    // Held off for T = 60 s after each fire, then 6 more: one fire every 65 s.
    expect(fires(60)).toBe(56);
    expect(fires(600)).toBe(6);
  });

  it('holds off an item without keys as one key', () => {
    const { feed, engine } = setup(item({ upbound: { count: 1, seconds: 10 }, upboundHoldoff: 30 }));
    expect([0, 1, 1, 28, 1, 1].map((dt) => feed(dt))).toEqual([0, 1, 0, 0, 0, 1]);
    expect(engine.stats().items[0]).toMatchObject({ upboundFires: 2, heldOff: 2 });
  });

  it('with every match firing (0/T, no frequency), fires on a key\'s first match, then holds it off', () => {
    for (const upbound of [{ count: 0, seconds: 30 }, null]) {
      const { feed, engine } = setup(keyed({ upbound, upboundHoldoff: 10 }));
      expect([0, 1, 1, 0].map((dt) => feed(dt, 'fail from A'))).toEqual([1, 0, 0, 0]);
      expect(feed(0, 'fail from B')).toBe(1);
      expect(feed(8.5, 'fail from A')).toBe(1);
      expect(engine.stats().items[0]).toMatchObject({ upboundFires: 3, heldOff: 3, keys: 2 });
    }
    const keyless = setup(item({ upbound: null, upboundHoldoff: 10 }));
    expect([0, 5, 5].map((dt) => keyless.feed(dt))).toEqual([1, 0, 1]);
  });

  it('evicts a key\'s hold-off with the key: the state stays within max_keys', () => {
    const { feed, engine } = setup(keyed({ upbound: { count: 0, seconds: 0 }, upboundHoldoff: 600, maxKeys: 2 }));
    expect(['A', 'A', 'B', 'C', 'A'].map((k) => feed(1, `fail from ${k}`))).toEqual([1, 0, 1, 1, 1]);
    // C evicted A (the least recently used), so A's next match fired again.
    expect(engine.stats().items[0]).toMatchObject({ keys: 2, evictions: 2, heldOff: 1, upboundFires: 4 });
  });

  it('counts in log time under replay, as the item\'s window does', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const sink = new RecordingSink();
    const spec = keyed({ upbound: { count: 0, seconds: 0 }, upboundHoldoff: 60, clock: 'log', timestamp: { format: 'iso8601', zone: 'UTC' } });
    const engine = new Engine(moduleOf(spec), { clock, actions: sink, log: memoryLog().log, replay: true });
    engine.start();
    const lines = ['00:00:00', '00:00:59', '00:01:00', '00:01:30', '00:02:00'].map((t) => `2025-06-01T${t}Z fail from A`);
    engine.onLines(0, lines);
    expect(sink.requests.map((r) => r.line.slice(11, 19))).toEqual(['00:00:00', '00:01:00', '00:02:00']);
    expect(engine.stats().items[0]).toMatchObject({ heldOff: 2 });
  });
});
