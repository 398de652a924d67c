import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

/**
 * Two patterns that backtrack without bound on hostile lines: `^(\w+\s?)*$` exponentially in
 * the length of a run of letters (40 letters: longer than anyone would wait), and the common
 * address pattern quadratically in the length of a run of digits (60,000: seconds per line).
 * The caseless one is compiled without the `i` flag, which V8's linear engine does not take.
 */
const RULES = String.raw`[general]
start = beginning

[ADDRESS]
path = /var/log/unused.log
regex = (\d+)\.(\d+)\.(\d+)\.(\d+)
upbound_action = /bin/true

[WORDS]
path = /var/log/unused.log
regex = ^(\w+\s?)*$
upbound_action = /bin/true

[CASELESS]
path = /var/log/unused.log
regex = (?i)^hello (\w+\s?)*$
upbound_action = /bin/true
`;

interface MatchEvent {
  readonly type: string;
  readonly item: string;
  readonly line: number;
  readonly captures: readonly string[];
}

describe('hostile lines against backtracking patterns', () => {
  it('rulec test gets through them with the right matches: a match that backtracks too long is finished in linear time', async () => {
    const { dir, remove } = tempDir('rulec-hostile-regex-');
    try {
      writeFileSync(join(dir, 'hostile.rules'), RULES);
      writeFileSync(join(dir, 'hostile.log'), `${'a'.repeat(40)}!\n${'1'.repeat(60_000)} 10.2.3.4\nhello world\nHello ${'a'.repeat(40)}!\nHELLO there\n`);
      // Without the linear fallback this does not end: the first line alone needs ~2^40 steps.
      const result = await runCli(['test', 'hostile.rules', '--log', 'hostile.log', '--format', 'json'], { cwd: dir, timeoutMs: 30_000 });
      expect(result.code, result.stderr).toBe(0);
      const events = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as MatchEvent);
      const matches = events.filter((e) => e.type === 'match').map(({ item, line, captures }) => ({ item, line, captures }));
      expect(matches).toEqual([
        { item: 'ADDRESS', line: 2, captures: ['10.2.3.4', '10', '2', '3', '4'] },
        { item: 'WORDS', line: 3, captures: ['hello world', 'world'] },
        { item: 'CASELESS', line: 3, captures: ['hello world', 'world'] },
        { item: 'WORDS', line: 5, captures: ['HELLO there', 'there'] },
        { item: 'CASELESS', line: 5, captures: ['HELLO there', 'there'] },
      ]);
    } finally {
      remove();
    }
  }, 40_000);
});
