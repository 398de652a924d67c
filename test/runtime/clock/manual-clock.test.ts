import { describe, expect, it } from 'vitest';
import { LiveClock } from '../../../runtime/clock/clock.js';
import { ManualClock } from '../../../runtime/clock/manual-clock.js';

describe('ManualClock', () => {
  it('fires due timers in time order with now() at each timer', () => {
    const clock = new ManualClock(1000);
    const seen: string[] = [];
    clock.setTimer(3000, () => seen.push(`b@${clock.now()}`));
    clock.setTimer(2000, () => seen.push(`a@${clock.now()}`));
    clock.setTimer(3000, () => seen.push(`c@${clock.now()}`));
    clock.setTimer(9000, () => seen.push('late'));
    clock.advance(2500);
    expect(seen).toEqual(['a@2000', 'b@3000', 'c@3000']);
    expect(clock.now()).toBe(3500);
    expect(clock.pending()).toBe(1);
  });

  it('fires timers set by timers inside the same advance, and skips cancelled ones', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const chain = (): void => {
      seen.push(clock.now());
      clock.setTimer(clock.now() + 100, chain);
    };
    clock.setTimer(100, chain);
    const dropped = clock.setTimer(150, () => seen.push(-1));
    clock.cancel(dropped);
    clock.advance(350);
    expect(seen).toEqual([100, 200, 300]);
  });

  it('never moves backwards', () => {
    const clock = new ManualClock(500);
    clock.advanceTo(100);
    expect(clock.now()).toBe(500);
  });
});

describe('LiveClock', () => {
  it('fires a timer at its time and honours cancel', async () => {
    const clock = new LiveClock();
    const start = clock.now();
    const fired = await new Promise<number>((resolve) => {
      const cancelled = clock.setTimer(start + 10, () => resolve(-1));
      clock.cancel(cancelled);
      clock.setTimer(start + 30, () => resolve(clock.now()));
    });
    expect(fired).toBeGreaterThanOrEqual(start + 30);
  });
});
