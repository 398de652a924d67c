import { describe, expect, it } from 'vitest';
import { DryRun, type DryRunEvent } from '../../../runtime/daemon/dry-run.js';
import { cap, item, markerAction, ruleModule } from './helpers.js';

const LINES = [
  '2024-05-01T10:00:00Z login failed from 10.0.0.1',
  '2024-05-01T10:00:01Z login failed from 10.0.0.2',
  '2024-05-01T10:00:02Z login failed from 10.0.0.1',
  '2024-05-01T10:00:03Z all good',
  '2024-05-01T10:00:04Z login failed from 10.0.0.1',
  '2024-05-01T10:00:30Z login failed from 10.0.0.1',
];

function run(replay: boolean): { events: DryRunEvent[]; result: ReturnType<DryRun['finish']> } {
  const failed = item('FAILED', '/var/log/auth.log', /login failed from (\S+)/, {
    key: { kind: 'capture', index: 1 },
    upbound: { count: 2, seconds: 10 },
    upboundAction: markerAction('/nonexistent', [cap(1)]),
  });
  const events: DryRunEvent[] = [];
  const dry = new DryRun(ruleModule([failed]), { replay, startMs: Date.UTC(2024, 4, 2), matches: true, onEvent: (e) => events.push(e) });
  dry.feed({ lines: LINES.slice(0, 3), endOffset: 0 });
  dry.feed({ lines: LINES.slice(3), endOffset: 0 });
  return { events, result: dry.finish() };
}

describe('DryRun', () => {
  it('reports every match with its key and line number, and what would fire', () => {
    const { events, result } = run(true);
    const matches = events.filter((e) => e.type === 'match');
    expect(matches.map((m) => [m.line, m.key])).toEqual([[1, '10.0.0.1'], [2, '10.0.0.2'], [3, '10.0.0.1'], [5, '10.0.0.1'], [6, '10.0.0.1']]);
    const fires = events.filter((e) => e.type === 'fire');
    // 2/10 fires on the third match of one key within 10 s of log time: line 5, not line 6 (26 s later).
    expect(fires).toHaveLength(1);
    expect(fires[0]).toMatchObject({ item: 'FAILED', kind: 'upbound', line: 5, key: '10.0.0.1', time: Date.UTC(2024, 4, 1, 10, 0, 4) });
    expect(fires[0]?.argv.slice(2)).toEqual(['/nonexistent', '10.0.0.1']);
    expect(result).toMatchObject({ lines: 6, missed: 1 });
    expect(result.items[0]).toMatchObject({ matched: 5, upboundFires: 1 });
  });

  it('without replay counts all lines as arriving at once and reports no time', () => {
    const { events } = run(false);
    const fires = events.filter((e) => e.type === 'fire');
    // Arrival time: the 30 s gap in the log does not count, so line 6 is the next third match.
    expect(fires.map((f) => [f.line, f.time])).toEqual([[5, null]]);
  });
});
