import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { item, matcher, memoryLog, moduleOf, RecordingSink } from './helpers.js';

function setup(...items: Parameters<typeof moduleOf>) {
  const clock = new ManualClock(1_000_000);
  const sink = new RecordingSink();
  const engine = new Engine(moduleOf(...items), { clock, actions: sink, log: memoryLog().log });
  engine.start();
  /** Feeds one line `seconds` after the previous one. */
  const feed = (seconds: number, line = 'fail from 192.0.2.1'): number => {
    clock.advance(seconds * 1000);
    const before = sink.requests.length;
    engine.onLines(0, [line]);
    return sink.requests.length - before;
  };
  return { clock, sink, engine, feed };
}

describe('up-bound N/T sliding window', () => {
  it('does not fire on exactly N matches within T, fires on the N+1th, then counts afresh', () => {
    const { feed, engine, sink } = setup(item());
    const fired = [0, 5, 5, 5, 5, 5].map((dt) => feed(dt));
    expect(fired).toEqual([0, 0, 0, 0, 0, 1]);
    // Counting restarted: five more within the window do not fire, the sixth does.
    expect([1, 1, 1, 1, 1].map((dt) => feed(dt))).toEqual([0, 0, 0, 0, 0]);
    expect(feed(1)).toBe(1);
    expect(engine.stats().items[0]).toMatchObject({ matched: 12, upboundFires: 2 });
    expect(sink.requests[0]).toMatchObject({ kind: 'upbound', line: 'fail from 192.0.2.1', env: { RULEC_ITEM: 'ITEM' } });
    expect(sink.requests[0]?.captures).toEqual(['fail from 192.0.2.1', '192.0.2.1']);
  });

  it('does not count a match exactly T old, counts one just inside', () => {
    const edge = setup(item());
    // First match at 0, sixth at exactly 30 s: the first has left the window (t − T, t].
    expect([0, 1, 1, 1, 1, 26].map((dt) => edge.feed(dt))).toEqual([0, 0, 0, 0, 0, 0]);
    const inside = setup(item());
    expect([0, 1, 1, 1, 1, 25.999].map((dt) => inside.feed(dt))).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it('slides: old matches leave the window one by one', () => {
    const { feed } = setup(item({ upbound: { count: 2, seconds: 10 } }));
    expect([0, 6, 6, 6, 3.9].map((dt) => feed(dt))).toEqual([0, 0, 0, 0, 1]);
  });

  it('fires on every match with 0/T and with no frequency', () => {
    for (const upbound of [{ count: 0, seconds: 30 }, null]) {
      const { feed, engine } = setup(item({ upbound }));
      expect([0, 0, 100].map((dt) => feed(dt))).toEqual([1, 1, 1]);
      expect(engine.stats().items[0]?.upboundFires).toBe(3);
    }
  });

  it('does not fire on lines the regex rejects, even when the prefilter passes them', () => {
    const { feed, engine } = setup(item({ upbound: null }));
    expect(feed(0, 'all good')).toBe(0);
    expect(engine.stats().items[0]?.matched).toBe(0);
    expect(engine.stats().lines).toBe(1);
  });

  it('counts several lines of one batch at the same arrival time', () => {
    const { engine, sink } = setup(item({ upbound: { count: 2, seconds: 1 } }));
    engine.onLines(0, ['fail from a', 'fail from b', 'nothing', 'fail from c']);
    expect(sink.requests.map((r) => r.line)).toEqual(['fail from c']);
  });
});

describe('counting keys', () => {
  it('crc: counts per CRC-32 of $0, so only identical matches add up', () => {
    const { feed, engine } = setup(item({ key: { kind: 'crc' }, upbound: { count: 2, seconds: 60 } }));
    expect(['a', 'b', 'a', 'b', 'c', 'a'].map((ip) => feed(1, `fail from ${ip}`))).toEqual([0, 0, 0, 0, 0, 1]);
    expect(engine.stats().items[0]?.keys).toBe(3);
  });

  it('capture: counts per value of $N', () => {
    const match = matcher(/user (\S+) from (\S+)/);
    const { feed, sink } = setup(item({ match, key: { kind: 'capture', index: 2 }, upbound: { count: 1, seconds: 60 } }));
    const lines = ['user a from X', 'user b from Y', 'user c from X', 'user d from Y'];
    expect(lines.map((l) => feed(1, l))).toEqual([0, 0, 1, 1]);
    expect(sink.requests.map((r) => r.captures[2])).toEqual(['X', 'Y']);
  });

  it('an undefined capture counts as the empty-string key', () => {
    const match = matcher(/fail(?: from (\S+))?/);
    const { feed } = setup(item({ match, key: { kind: 'capture', index: 1 }, upbound: { count: 1, seconds: 60 } }));
    expect([feed(1, 'fail'), feed(1, 'fail')]).toEqual([0, 1]);
  });

  it('evicts the least recently used key at maxKeys and counts the eviction', () => {
    const { feed, engine } = setup(item({ key: { kind: 'capture', index: 1 }, maxKeys: 3, upbound: { count: 1, seconds: 60 } }));
    feed(1, 'fail from A');
    feed(1, 'fail from B');
    feed(1, 'fail from C');
    expect(feed(1, 'fail from A')).toBe(1); // A is now the most recently used; B the least.
    feed(1, 'fail from D'); // evicts B
    expect(engine.stats().items[0]).toMatchObject({ keys: 3, evictions: 1 });
    expect(feed(1, 'fail from C')).toBe(1); // C survived with its count
    expect(feed(1, 'fail from B')).toBe(0); // B starts afresh (and evicts A... the LRU)
    expect(engine.stats().items[0]?.evictions).toBe(2);
  });

  it('keeps long capture keys apart by content', () => {
    const { feed } = setup(item({ key: { kind: 'capture', index: 1 }, upbound: { count: 1, seconds: 60 } }));
    const a = 'x'.repeat(1000) + 'a';
    const b = 'x'.repeat(1000) + 'b';
    expect([feed(1, `fail from ${a}`), feed(1, `fail from ${b}`), feed(1, `fail from ${a}`)]).toEqual([0, 0, 1]);
  });
});
