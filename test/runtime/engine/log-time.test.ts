import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { Engine } from '../../../runtime/engine/engine.js';
import type { ItemSpec } from '../../../runtime/contract.js';
import { ACTION, item, matcher, memoryLog, moduleOf, RecordingSink } from './helpers.js';

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

  it('replay notices a silence from the times of lines no item matches, check by check', () => {
    const { sink, engine } = setup([item({ upbound: null, upboundAction: null, downbound: { count: 1, seconds: 60 }, downboundAction: ACTION })], true);
    engine.onLines(0, [at('10:00:00'), at('10:00:30')]);
    // The heartbeat stops; only unrelated stamped lines follow, one batch each as rulec test feeds them.
    const fired: string[] = [];
    for (const minute of ['01', '02', '03', '04']) {
      engine.onLines(0, [at(`10:${minute}:45`, 'unrelated')]);
      fired.push(`${minute}:${sink.requests.length}`);
    }
    // Checks at 10:01:30, 10:02:30, 10:03:30, 10:04:30: each fires when a line past it arrives.
    expect(fired).toEqual(['01:1', '02:2', '03:3', '04:4']);
    engine.endReplay();
    expect(sink.requests.length).toBe(4);
  });

  it('replay counts a match at exactly a check time in that check (its window is (t − T, t])', () => {
    const { sink, engine } = setup([item({ upbound: null, upboundAction: null, downbound: { count: 6, seconds: 60 }, downboundAction: ACTION })], true);
    // A steady 6 beats a minute, on whole seconds: every check lands on a beat.
    for (let s = 0; s <= 300; s += 10) engine.onLines(0, [`2026-05-01T10:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}Z fail from x`]);
    engine.endReplay();
    expect(sink.requests).toEqual([]);
  });

  it('in replay, a matched line before the first stamp is an unknown past, not the moment of the replay', () => {
    const { sink, engine } = setup([item({ upbound: { count: 1, seconds: 60 } })], true);
    // Stamped a day apart: never 2 within 60 s. The untimed first line must not pull them together.
    engine.onLines(0, ['continuation: fail from a', '2024-01-01T00:00:00Z fail from a', '2024-01-02T00:00:00Z fail from a']);
    expect(sink.requests).toEqual([]);
    expect(engine.stats().items[0]?.untimedLines).toBe(1);
  });

  it('live on the log clock too, a match before the first stamp is an unknown past, and says so once', () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const sink = new RecordingSink();
    const log = memoryLog();
    const engine = new Engine(moduleOf(item({ clock: 'log', upbound: { count: 2, seconds: 60 } })), { clock, actions: sink, log: log.log });
    engine.start();
    // `start = beginning` over an old log: its stamps are an hour apart, years before now.
    engine.onLines(0, ['continuation: fail from a', '2017-03-01T10:00:00Z fail from a', '2017-03-01T11:00:00Z fail from a', '2017-03-01T12:00:00Z fail from a', 'again: fail from a']);
    expect(sink.requests).toEqual([]);
    expect(log.lines.filter((l) => l.includes('carries no time'))).toHaveLength(1);
  });

  it('reads each item\'s stamps with its own time_year, whatever another item on the file read', () => {
    const early = item({ name: 'EARLY', match: matcher(/nomatch/), timestamp: { format: 'syslog', zone: 'UTC', year: 2020 } });
    const late = item({ name: 'LATE', upbound: null, timestamp: { format: 'syslog', zone: 'UTC', year: 2024 } });
    const { sink, engine } = setup([early, late], true);
    engine.onLines(0, ['Mar  1 10:00:00 host fail from a']);
    expect(sink.requests.map((r) => [r.item.name, new Date(r.at!).toISOString()])).toEqual([['LATE', '2024-03-01T10:00:00.000Z']]);
  });

  it('in replay, an untimed match takes the last stamped line\'s time, whether or not some item has a down-bound', () => {
    const every = item({ name: 'U', upbound: null });
    const heartbeat = item({ name: 'HB', match: matcher(/heartbeat/), upbound: null, upboundAction: null, downbound: { count: 1, seconds: 600 }, downboundAction: ACTION });
    const lines = [at('10:00:00', 'unrelated'), at('10:00:30', 'unrelated'), 'continuation: fail from a'];
    for (const items of [[every], [every, heartbeat], [heartbeat, every]]) {
      const { sink, engine } = setup(items, true);
      engine.onLines(0, lines);
      expect(sink.requests.map((r) => [r.item.name, r.at]), items.map((i) => i.name).join('+')).toEqual([['U', Date.UTC(2026, 4, 1, 10, 0, 30)]]);
    }
  });

  it('in replay, reads a year-less log as one sequence past the day after it is read', () => {
    const { sink, engine } = setup([item({ upbound: { count: 1, seconds: 60 }, timestamp: { format: 'syslog', zone: 'UTC' } })], true);
    // Replayed on 1 June 2026 at 00:00: 40 s apart across the next midnight, so 1/60 fires on the
    // second. Alone, the second stamp is more than a day ahead and would be placed in 2025.
    engine.onLines(0, ['Jun  1 23:59:40 host fail from a', 'Jun  2 00:00:20 host fail from a']);
    expect(sink.requests.map((r) => new Date(r.at!).toISOString())).toEqual(['2026-06-02T00:00:20.000Z']);
  });

  it('replay bounds the catch-up after a huge leap in log time and counts what it skipped', () => {
    const { sink, engine } = setup([item({ upbound: null, upboundAction: null, downbound: { count: 1, seconds: 1 }, downboundAction: ACTION })], true);
    engine.onLines(0, ['2020-01-01T00:00:00Z fail from a', '2026-01-01T00:00:00Z fail from a']);
    expect(sink.requests.length).toBe(1000);
    // Six years of 1 s checks, 189,388,800 of them; the one at the second line's own time is not
    // due yet (it runs after that line): 189,388,799 due, 1000 run.
    expect(engine.stats().items[0]?.downboundSkipped).toBe(189_388_799 - 1000);
  });

  it('replay counts the skipped checks exactly when a gap ends on a check time', () => {
    const { sink, engine } = setup([item({ upbound: null, upboundAction: null, downbound: { count: 1, seconds: 1 }, downboundAction: ACTION })], true);
    engine.onLines(0, ['2026-01-01T00:00:00Z fail from a', '2026-01-01T01:00:00Z fail from a']);
    // Checks at 1 s … 3599 s were due before the second line: 1000 run, 2599 skipped.
    expect(sink.requests.length).toBe(1000);
    expect(engine.stats().items[0]?.downboundSkipped).toBe(2599);
    engine.endReplay();
    // The check at 3600 s counts the second line: no fire, nothing more skipped.
    expect(sink.requests.length).toBe(1000);
    expect(engine.stats().items[0]?.downboundSkipped).toBe(2599);
  });
});
