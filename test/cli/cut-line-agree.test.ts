/**
 * Issue 15 §7: a line cut at line_max never looks whole to a `$`-anchored pattern, and the
 * daemon, `rulec test` and `rulec regex` apply that one rule, so what `test` and `regex` show is
 * what `run` fires on. The daemon is a real process (it reads the file as a tailer does); the
 * other two run in this process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './run-cli.js';
import { runHere } from './run-here.js';
import { itemText, MARKER, read, records, startRun, waitFor, type Daemon } from './run-helpers.js';

/** Both hostile lines are cut at the default line_max (64 KiB): the `!` past the cut, and no end at it. */
const LOG = `${'a'.repeat(70_000)}!\n${'a'.repeat(1_000_000)}!\naaa\nx!\n`;
const PATTERNS = { NESTED: '(a+)+$', BANG: '!' } as const;
/** What every command must find, as [item, $0]: on the short lines only (3 and 4). */
const WANT = [['NESTED', 'aaa'], ['BANG', '!']];
const LINE_OF = { NESTED: 'aaa', BANG: 'x!' } as const;

describe('a line cut at line_max: rulec run, test and regex agree', () => {
  it('none of them lets `(a+)+$` match a cut megabyte of `a`s, nor sees the `!` past 64 KiB; test and regex say how many lines were cut', async () => {
    const { dir, remove } = tempDir('rulec-cut-agree-');
    const d = { current: null as Daemon | null };
    try {
      const log = join(dir, 'app.log');
      const rec = join(dir, 'records');
      const own = join(dir, 'rulec.log');
      writeFileSync(log, LOG);
      const items = Object.entries(PATTERNS).map(([name, regex]) => itemText(name, log, regex, MARKER, rec, `${name} "$0"`, 'upbound_freq = 0/0\n'));
      writeFileSync(join(dir, 'cut.rules'), `[general]\nstart = beginning\n\n${items.join('\n')}`);

      // The daemon: the short lines come last, so once both fired every line was read.
      d.current = startRun([join(dir, 'cut.rules'), '-l', own], dir, 60_000);
      expect(await waitFor(() => records(rec).length >= 2, 20_000), read(own)).toBe(true);
      d.current.child.kill('SIGTERM');
      expect(await d.current.exited).toBe(0);
      expect(read(own)).toMatch(/stopped: 4 line\(s\) read/);
      expect(records(rec).sort()).toEqual([...WANT].sort());

      // rulec test, on the same file.
      const tested = await runHere(['test', 'cut.rules', '--log', 'app.log', '--format', 'json'], { cwd: dir });
      expect(tested.code, tested.stderr).toBe(0);
      const events = tested.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const matches = events.filter((e) => e.type === 'match').map((e) => [e.item, (e.captures as string[])[0]]);
      expect(matches.sort()).toEqual([...WANT].sort());
      expect(events.at(-1)).toMatchObject({ type: 'summary', lines: 4, matched: 2, missed: 2, cut: 2 });
      const text = await runHere(['test', 'cut.rules', '--log', 'app.log'], { cwd: dir });
      expect(text.stdout).toContain(': 4 line(s), 2 matched by some item, 2 missed, 2 cut at line_max\n');

      // rulec regex, each pattern on the same lines.
      for (const [name, regex] of Object.entries(PATTERNS)) {
        const shown = await runHere(['regex', regex], { cwd: dir, input: readFileSync(log) });
        expect(shown.code, shown.stderr).toBe(0);
        const line = LINE_OF[name as keyof typeof LINE_OF];
        const lineNo = LOG.split('\n').indexOf(line) + 1;
        expect(shown.stdout).toMatch(new RegExp(`^${lineNo}: ${line}\\n`));
        // The long lines run under the deadline (as in the daemon): a starved machine may abandon them, never match them.
        expect(shown.stdout).toMatch(/\n1 of 4 line\(s\) matched(, [12] abandoned)?\n2 line\(s\) longer than 65536 bytes cut to that \(line_max\): nothing after the cut is seen, and no end anchor matches at it\n$/);
      }
    } finally {
      d.current?.child.kill('SIGKILL');
      remove();
    }
  }, 90_000);
});
