import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempDir } from './run-cli.js';
import { runHere } from './run-here.js';
import { itemText, MARKER, read, records, startRun, waitFor, type Daemon } from './run-helpers.js';

/**
 * Two patterns that backtrack without bound on hostile lines: `^(\w+\s?)*$` exponentially in
 * the length of a run of letters (40 letters: longer than anyone would wait), and the common
 * address pattern quadratically in the length of a run of digits.
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
      // 4,000 digits: under 4 KiB, where lines are not put under the regex deadline (longer ones may be abandoned).
      writeFileSync(join(dir, 'hostile.log'), `${'a'.repeat(40)}!\n${'1'.repeat(4000)} 10.2.3.4\nhello world\nHello ${'a'.repeat(40)}!\nHELLO there\n`);
      // Without the linear fallback this does not end: the first line alone needs ~2^40 steps.
      const result = await runHere(['test', 'hostile.rules', '--log', 'hostile.log', '--format', 'json'], { cwd: dir });
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

describe('lines abandoned past the regex deadline are counted and shown, never dropped silently', () => {
  // The lookahead keeps it off V8's linear engine: 40 letters and a `!` take hours unguarded.
  const WORDS = '^(?=\\w)(\\w+\\s?)*$';
  const input = `${'a'.repeat(40)}!\nhello world\n${'b'.repeat(40)}!\n`;

  // The hostile lines are always abandoned; on a loaded machine `hello world` may be too (its
  // windows starved, or the turn's budget spent on the hostile ones), and then it is counted so.
  it('rulec regex prints the lines it abandoned and the count', async () => {
    const result = await runHere(['regex', WORDS], { cwd: REPO, input });
    expect(result.code, result.stderr).toBe(0);
    const abandoned = (n: number): string => `${n}: abandoned: the regex ran past its 25 ms deadline on this line\n`;
    const hello = result.stdout.includes('2: hello world\n') ? 1 : 0;
    expect(result.stdout).toBe(`${abandoned(1)}${hello === 1 ? '2: hello world\n  $0 = "hello world"\n  $1 = "world"\n' : abandoned(2)}${abandoned(3)}${hello} of 3 line(s) matched, ${3 - hello} abandoned\n`);
  }, 40_000);

  it('rulec regex abandons a long line as the engine does, whatever the pattern: rulec test agrees', async () => {
    // Inside V8's linear subset, but ~0.5 s on 64 KiB of digits even there: over 4 KiB, lines run under the deadline.
    const address = String.raw`(\d+)\.(\d+)\.(\d+)\.(\d+)`;
    const lines = `${'1'.repeat(65_000)}.\nfrom 10.0.0.1 x\n`;
    const shown = await runHere(['regex', address], { cwd: REPO, input: lines });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^1: abandoned: the regex ran past its 25 ms deadline on this line\n2: from 10\.0\.0\.1 x\n/);
    expect(shown.stdout).toMatch(/\n1 of 2 line\(s\) matched, 1 abandoned\n$/);
    const { dir, remove } = tempDir('rulec-abandoned-long-');
    try {
      writeFileSync(join(dir, 'a.rules'), `[ADDRESS]\npath = /var/log/unused.log\nregex = ${address}\nkey = $1\nupbound_action = /bin/true\n`);
      writeFileSync(join(dir, 'a.log'), lines);
      const tested = await runHere(['test', 'a.rules', '--log', 'a.log', '--format', 'json'], { cwd: dir });
      const item = tested.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e.type === 'item');
      expect(item).toMatchObject({ item: 'ADDRESS', matched: 1, missed: 1, abandoned: 1 });
    } finally {
      remove();
    }
  }, 40_000);

  it('rulec test gives each item\'s abandoned lines in its summary, text and JSON', async () => {
    const { dir, remove } = tempDir('rulec-abandoned-test-');
    try {
      writeFileSync(join(dir, 'w.rules'), `[WORDS]\npath = /var/log/unused.log\nregex = ${WORDS}\nupbound_action = /bin/true\n\n[HELLO]\npath = /var/log/unused.log\nregex = hello\nupbound_action = /bin/true\n`);
      writeFileSync(join(dir, 'w.log'), input);
      const text = await runHere(['test', 'w.rules', '--log', 'w.log'], { cwd: dir });
      expect(text.code, text.stderr).toBe(0);
      const words = /\nWORDS: (\d) line\(s\) matched, (\d) missed, .*; (\d) line\(s\) abandoned: the regex ran past its 25 ms deadline \(counted as missed\)\n/.exec(text.stdout);
      expect(words, text.stdout).not.toBeNull();
      const [, matched, missed, abandoned] = words!.map(Number);
      expect([matched! + abandoned!, missed, abandoned! >= 2]).toEqual([3, 3 - matched!, true]);
      // Its regex is inside the linear engine and the lines are short: no deadline.
      expect(text.stdout).toContain('\nHELLO: 1 line(s) matched, 2 missed, 1 distinct key(s), 1 fire(s) (upbound 1)\n');
      const json = await runHere(['test', 'w.rules', '--log', 'w.log', '--format', 'json'], { cwd: dir });
      const items = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>).filter((e) => e.type === 'item');
      expect(items.map((e) => e.item)).toEqual(['WORDS', 'HELLO']);
      const [w, h] = items as Record<string, number>[];
      expect([w!.matched! + w!.abandoned!, w!.missed, w!.abandoned! >= 2]).toEqual([3, 3 - w!.matched!, true]);
      expect([h!.matched, h!.missed, h!.abandoned]).toEqual([1, 2, 0]);
    } finally {
      remove();
    }
  }, 40_000);
});

describe('rulec run on lines that would stall a pattern outside the linear-time engine', () => {
  it('abandons them (logged, counted), matches the lines after them, and stops promptly on SIGTERM in the middle of a flood', async () => {
    const { dir, remove } = tempDir('rulec-hostile-run-');
    const d = { current: null as Daemon | null };
    try {
      const log = join(dir, 'app.log');
      const own = join(dir, 'rulec.log');
      const rec = join(dir, 'records');
      writeFileSync(log, '');
      // The lookahead keeps it off V8's linear engine: 29 characters took 6.3 s, 40 take hours.
      writeFileSync(join(dir, 'app.rules'), itemText('WORDS', log, '^(?=\\w)(\\w+\\s?)*$', MARKER, rec, '"$1"', 'upbound_freq = 0/0\n'));
      d.current = startRun([join(dir, 'app.rules'), '-l', own], dir, 60_000);
      expect(await waitFor(() => read(own).includes('running 1 item(s)'), 30_000)).toBe(true);
      const hostile = `${'a'.repeat(40)}!\n`;
      appendFileSync(log, hostile.repeat(3));
      expect(await waitFor(() => read(own).includes('(2 abandoned so far)'), 30_000)).toBe(true);
      expect(read(own)).toMatch(/WORDS.*abandoned a line of .*app\.log.*\(1 abandoned so far\): a{40}!/);
      // Lines after them are matched and fire.
      appendFileSync(log, 'hello world\n');
      expect(await waitFor(() => records(rec).length === 1, 30_000)).toBe(true);
      expect(records(rec)).toEqual([['world']]);
      // A flood: unbounded, hours; SIGTERM once the engine is in it.
      const before = read(own).length;
      appendFileSync(log, hostile.repeat(5000));
      expect(await waitFor(() => read(own).slice(before).includes('abandoned a line'), 30_000)).toBe(true);
      const started = Date.now();
      d.current.child.kill('SIGTERM');
      const code = await d.current.exited;
      // The docs promise 5 s; generous for a busy machine: the point is that it ends at all (a flood is hours).
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(code).toBe(0);
      // The stop line counts them per item: 3 + 5,000 hostile lines, and none of them dropped silently.
      const stopped = /stopped: (\d+) line\(s\) read, (\d+) line\(s\) abandoned past the regex deadline \(WORDS (\d+)\), 1 action\(s\) submitted/.exec(read(own));
      expect(stopped, read(own).slice(-2000)).not.toBeNull();
      const [, linesRead, total, words] = stopped!.map(Number);
      expect(total).toBe(words);
      expect(total).toBeGreaterThanOrEqual(3);
      expect(total).toBeLessThanOrEqual(linesRead! - 1);
    } finally {
      d.current?.child.kill('SIGKILL');
      remove();
    }
  }, 90_000);
});

describe('rulec check on issue 15\'s hostile patterns', () => {
  // [pattern, code, the sub-pattern named, its column on `regex = ...`, --strict's exit].
  const CASES: readonly (readonly [string, string, string, number, number])[] = [
    // Off the linear engine (\p{..}, a back reference, a lookahead not at the end): named, and --strict fails.
    [String.raw`(\p{L}+)@(\S+)`, 'R330', String.raw`(\p{L}+)`, 9, 1],
    [String.raw`(\w+) \1;`, 'R330', String.raw`(\w+)`, 9, 1],
    [String.raw`^(?=\w)(\w+\s?)*$`, 'R309', String.raw`(\w+\s?)*`, 16, 1],
    // A trailing lookahead rewritten into the linear subset, and the seeds' shape: bounded, said so (info).
    [String.raw`(\d+)\.(\d+)\.(\d+)\.(\d+)(?=\s)`, 'R331', String.raw`(\d+)`, 9, 0],
    [String.raw`(\w+)=(\w+);(?!x)`, 'R331', String.raw`(\w+)`, 9, 0],
    [String.raw`\]: Invalid user (.*) from (.*)$`, 'R331', '(.*)', 26, 0],
  ];

  it.each(CASES)('%s: %s naming the part that backtracks, --strict exits %s', async (pattern, code, part, column, strictExit) => {
    const { dir, remove } = tempDir('rulec-hostile-check-');
    try {
      writeFileSync(join(dir, 'p.rules'), `[X]\npath = /var/log/x.log\nregex = ${pattern}\nupbound_action = /bin/true\n`);
      expect((await runHere(['check', 'p.rules'], { cwd: dir })).code).toBe(0);
      const strict = await runHere(['check', '--strict', 'p.rules'], { cwd: dir });
      expect(strict.stderr).toContain(`p.rules:3:${column}: ${code === 'R331' ? 'info' : 'warning'}[${code}]: \`${part}\` `);
      expect(strict.code).toBe(strictExit);
    } finally {
      remove();
    }
  });

  it('gives the seeds\' own `(.*) from (.*)$` items a verdict: bounded by the linear-time engine (R331, info)', async () => {
    const seed = join(REPO, 'test/fixtures/seeds/lognot-ssh-brute-force.rules');
    const result = await runHere(['check', '--strict', seed], { cwd: REPO });
    expect(result.code).toBe(0);
    const verdicts = result.stderr.split('\n').filter((l) => l.includes('[R331]'));
    expect(verdicts.length).toBeGreaterThanOrEqual(2);
    for (const v of verdicts) expect(v).toMatch(/info\[R331\]: `\(\.\*\)` can backtrack: .*the time per line stays linear$/);
  });
});
