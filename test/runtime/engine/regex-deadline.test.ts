import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';
import { Engine } from '../../../runtime/engine/engine.js';
import { RegexDeadline, TURN_BUDGET_MS, WINDOW_MS } from '../../../runtime/engine/regex-deadline.js';
import { item, matcher, memoryLog, moduleOf, RecordingSink } from './helpers.js';

/**
 * A lookahead keeps these off V8's linear-time engine: unguarded, `HOSTILE` takes 2^40 steps
 * (hours), so a test that finishes at all shows the line was given up. No test here measures
 * milliseconds.
 */
const EXPONENTIAL = /^(?=\w)(\w+\s?)*$/;
const HOSTILE = `${'a'.repeat(40)}!`;

describe('RegexDeadline', () => {
  it('abandons a line that runs past the deadline, counts it, and still answers the next lines', () => {
    const abandoned: string[] = [];
    const d = new RegexDeadline(matcher(EXPONENTIAL), (line) => abandoned.push(line));
    const lines = ['hello world', HOSTILE, 'hello again', 'no match!'];
    const all = (): boolean => true;
    const at = (j: number): string => lines[j]!;
    expect(d.exec(lines, 0, lines[0]!, at, all)).toMatchObject({ captures: ['hello world', 'world'] });
    expect(d.exec(lines, 1, lines[1]!, at, all)).toBe('abandoned');
    expect(d.exec(lines, 2, lines[2]!, at, all)).toMatchObject({ captures: ['hello again', 'again'] });
    expect(d.exec(lines, 3, lines[3]!, at, all)).toBeNull();
    expect(abandoned).toEqual([HOSTILE]);
    expect(d.abandoned).toEqual({ deadline: 1, 'turn-budget': 0 });
  });

  it('answers from the window for later lines only when asked about the same text', () => {
    let runs = 0;
    const d = new RegexDeadline((t) => (runs++, matcher(/(?=b)b/)(t)), () => {});
    const lines = ['a', 'b', 'c'];
    const at = (j: number): string => lines[j]!;
    d.exec(lines, 0, 'a', at, () => true);
    // One window ran all three lines.
    expect(runs).toBe(3);
    expect(d.exec(lines, 1, 'b', at, () => true)).toMatchObject({ captures: ['b'] });
    expect(runs).toBe(3);
    // The engine cut the line differently than the window guessed: computed again.
    expect(d.exec(lines, 2, 'b', at, () => true)).toMatchObject({ captures: ['b'] });
    expect(runs).toBe(4);
  });
});

describe('the engine with an item whose regex runs under a deadline', () => {
  it('abandons the hostile lines, logs them escaped, counts them, and keeps matching and firing on the rest', async () => {
    const sink = new RecordingSink();
    const { log, lines } = memoryLog();
    const guarded = item({ name: 'GUARDED', match: matcher(EXPONENTIAL), deadline: true, upbound: { count: 2, seconds: 60 } });
    const engine = new Engine(moduleOf(guarded), { clock: new ManualClock(0), actions: sink, log });
    engine.start();
    const hostileWithEscape = `${'a'.repeat(40)}\x1b[31m!`;
    // Batches in turns of their own, as a tailer delivers them: each turn's guarded time is bounded (see below).
    for (const batch of [['ok one', HOSTILE, 'not ok!'], ['ok two', hostileWithEscape], [HOSTILE, 'ok three']]) {
      engine.onLines(0, batch);
      await new Promise((r) => setImmediate(r));
    }
    const stats = engine.stats();
    expect(stats.items[0]!.matched).toBe(3);
    // All three by the per-line deadline on an idle machine; on a loaded one a turn can pass its
    // 1 s budget first (CPU time lost to others), which abandons the rest of that turn's lines.
    expect(stats.abandoned).toEqual([{ item: 'GUARDED', deadline: expect.any(Number), turnBudget: expect.any(Number) }]);
    expect(stats.abandoned[0]!.deadline).toBeGreaterThanOrEqual(1);
    expect(stats.abandoned[0]!.deadline + stats.abandoned[0]!.turnBudget).toBe(3);
    // The item's own counters carry them too (the daemon's stop line, rulec test's summary).
    expect(stats.items[0]!.abandoned).toBe(3);
    // The third match fires (more than 2): later lines were matched and counted.
    expect(sink.kinds()).toEqual(['upbound']);
    const warnings = lines.filter((l) => l.includes('abandoned a line'));
    // Logged at the 1st and 2nd abandonment (then 4th, 8th...), the control character escaped.
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`${WINDOW_MS} ms deadline`);
    expect(warnings[1]).toContain('\\x1b[31m!');
    expect(warnings.join('')).not.toContain('\x1b');
  });

  it('bounds the guarded time of one event-loop turn: past it, the rest of a flood is abandoned at once, and the next turn starts afresh', async () => {
    const engine = new Engine(moduleOf(item({ name: 'GUARDED', match: matcher(EXPONENTIAL), deadline: true, upbound: null })), {
      clock: new ManualClock(0), actions: new RecordingSink(), log: memoryLog().log,
    });
    // An abandoned line took at least one window of wall time: the budget is spent before the end.
    const flood = Math.ceil(TURN_BUDGET_MS / WINDOW_MS) + 20;
    engine.onLines(0, Array.from({ length: flood }, () => HOSTILE));
    const [first] = engine.stats().abandoned;
    expect(first!.deadline + first!.turnBudget).toBe(flood);
    expect(first!.turnBudget).toBeGreaterThan(0);
    await new Promise((r) => setImmediate(r));
    engine.onLines(0, ['fine line', HOSTILE]);
    expect(engine.stats().items[0]!.matched).toBe(1);
    expect(engine.stats().abandoned[0]!.deadline).toBe(first!.deadline + 1);
  });

  it('runs a long line under the deadline whatever the pattern: one the linear-time fallback would take seconds on is abandoned', () => {
    const sink = new RecordingSink();
    const { log, lines } = memoryLog();
    // Inside V8's linear subset, no deadline flag; quadratic from each start, 1 MiB long.
    const plain = item({ name: 'PLAIN', match: matcher(/(\d+)\.(\d+)\.(\d+)\.(\d+)/), lineMax: 4 << 20, upbound: null });
    const engine = new Engine(moduleOf(plain), { clock: new ManualClock(0), actions: sink, log });
    engine.onLines(0, [`${'1'.repeat(1 << 20)}.`, 'from 10.0.0.1 x', `10.0.0.2 ${'x'.repeat(5000)}`]);
    expect(engine.stats().abandoned).toEqual([{ item: 'PLAIN', deadline: 1, turnBudget: 0 }]);
    expect(engine.stats().items[0]!.abandoned).toBe(1);
    // The short line and the long line that matches at once are matched as before.
    expect(sink.requests.map((r) => r.captures[0])).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(lines.filter((l) => l.includes('abandoned a line'))).toHaveLength(1);
  });

  it('leaves an item without the flag as it was: no runner, nothing abandoned', () => {
    const engine = new Engine(moduleOf(item({ match: matcher(/fail from (\S+)/) })), { clock: new ManualClock(0), actions: new RecordingSink(), log: memoryLog().log });
    engine.onLines(0, ['fail from x']);
    expect(engine.stats().abandoned).toEqual([]);
    expect(engine.stats().items[0]!.matched).toBe(1);
  });
});
