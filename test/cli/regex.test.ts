import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, runCli } from './run-cli.js';
import { runHere } from './run-here.js';

describe('rulec regex', () => {
  it('prints the captures of each matching line, numbered and named, PCRE syntax translated', async () => {
    const input = [
      'Mar 27 14:54:57 h sshd[2967]: Failed password for invalid user pi from 203.0.113.5 port 50378 ssh2',
      'no match here',
      'Mar 27 14:55:00 h sshd[2968]: Failed password for root from 2001:db8::1 port 22 ssh2',
    ].join('\n');
    const regex = '\\AMar.*Failed password for (?:invalid user )?(?P<user>\\S+) from (\\S+) port \\d+ ssh2\\Z';
    const result = await runCli(['regex', regex], { cwd: REPO, input });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        `1: ${input.split('\n')[0]}`,
        `  $0 = "${input.split('\n')[0]}"`,
        '  $1 = "pi"',
        '  $2 = "203.0.113.5"',
        '  $user ($1) = "pi"',
        `3: ${input.split('\n')[2]}`,
        `  $0 = "${input.split('\n')[2]}"`,
        '  $1 = "root"',
        '  $2 = "2001:db8::1"',
        '  $user ($1) = "root"',
        '2 of 3 line(s) matched',
        '',
      ].join('\n'),
    );
  });

  it('escapes control characters of the input and shows unset groups', async () => {
    const result = await runHere(['regex', '(a)|(b)', '--flags', 'i'], { cwd: REPO, input: 'B\x1b[31m\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('1: B\\x1b[31m\n  $0 = "B"\n  $1 = (unset)\n  $2 = "B"\n1 of 1 line(s) matched\n');
  });

  it('points at the part of a pattern JavaScript cannot express, and exits 1', async () => {
    const result = await runHere(['regex', 'a(?>bc)d'], { cwd: REPO, input: 'abcd\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error\[R308\].*atomic/i);
    // The carets start under `(?>`, right after the `a`.
    expect(result.stderr).toMatch(/\n  a\(\?>bc\)d\n {3}\^+\n/);
  });

  it('shows the pattern without a trailing slash when no flags were given, and with /flags when they were', async () => {
    const bare = await runHere(['regex', 'foo\\Kbar'], { cwd: REPO, input: 'x\n' });
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('\n  foo\\Kbar\n     ^^\n');
    const flagged = await runHere(['regex', 'foo', '--flags', 'iq'], { cwd: REPO, input: 'x\n' });
    expect(flagged.code).toBe(1);
    expect(flagged.stderr).toContain('\n  foo/iq\n       ^\n');
  });

  it('warns about a pattern that may backtrack catastrophically but still runs it', async () => {
    const result = await runHere(['regex', '(a+)+$'], { cwd: REPO, input: 'aaa\n' });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning\[R309\]: .*; at run time V8's linear-time engine takes over/);
    expect(result.stdout).toContain('1 of 1 line(s) matched');
  });

  it('shows the pattern as typed, backslashes single, with the carets under the part meant', async () => {
    const result = await runHere(['regex', 'x(\\w+\\s?)*$'], { cwd: REPO, input: '' });
    expect(result.stderr).toContain('\n  x(\\w+\\s?)*$\n   ^^^^^^^^^\n');
  });

  it('ends quietly with exit 0 when the reader of its output goes away (| head)', async () => {
    const child = spawn(process.execPath, [BIN, 'regex', '(\\d+)'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout.once('data', () => child.stdout.destroy());
    child.stdin.on('error', () => {});
    child.stdin.end(Array.from({ length: 200_000 }, (_, i) => `line ${i}`).join('\n'));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('matches a line cut at 64 KiB as the engine does, no end anchor at the cut, and says how many lines were cut', async () => {
    // 1 MB of `a`s ending in `!`: its first 64 KiB are all `a`s, which `(a+)+$` would match.
    const input = `${'a'.repeat(1_000_000)}!\naaa\n`;
    const anchored = await runHere(['regex', '(a+)+$'], { cwd: REPO, input });
    expect(anchored.code).toBe(0);
    expect(anchored.stdout).toMatch(/^2: aaa\n/);
    expect(anchored.stdout).toContain('\n1 of 2 line(s) matched\n1 line(s) longer than 65536 bytes cut to that (line_max): nothing after the cut is seen, and no end anchor matches at it\n');
    const bang = await runHere(['regex', '!'], { cwd: REPO, input });
    expect(bang.stdout).toBe('0 of 2 line(s) matched\n1 line(s) longer than 65536 bytes cut to that (line_max): nothing after the cut is seen, and no end anchor matches at it\n');
  });

  it('splits its input as the engine does: on \\n only, one trailing \\r dropped', async () => {
    const result = await runHere(['regex', '(\\w)(\\d)'], { cwd: REPO, input: 'a1\rb2\nc3\r\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1: a1\\rb2\n/);
    expect(result.stdout).toMatch(/\n2: c3\n/);
    expect(result.stdout).toMatch(/2 of 2 line\(s\) matched\n$/);
  });

  it('says so, exit 2, when standard input cannot be read', () => {
    const dir = openSync(REPO, 'r');
    try {
      const run = spawnSync(process.execPath, [BIN, 'regex', 'c'], { cwd: REPO, stdio: [dir, 'pipe', 'pipe'], encoding: 'utf8' });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('rulec regex: cannot read standard input: it is a directory\n');
    } finally {
      closeSync(dir);
    }
  });
});
