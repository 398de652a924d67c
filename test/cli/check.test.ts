import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineIndex } from '../../grammar/diagnostic.js';
import { runCli, tempDir } from './run-cli.js';
import { runHere } from './run-here.js';

const CLEAN = `[SSH]
path = /var/log/auth.log
regex = Failed password for (\\S+) from (\\S+)
upbound_freq = 5/60
upbound_action = /bin/echo "$2"
`;

// Two errors: a misspelt key (R301) and a capture the regex lacks (R310).
const BAD = `[SSH]
path = /var/log/auth.log
regex = Failed password for (\\S+) from (\\S+)
upbund_freq = 5/60
upbound_action = /bin/echo "$3"
`;

// Only a warning: shell actions (R312).
const WARN = `[SH]
path = /var/log/x.log
regex = x
shell = true
upbound_action = echo hi
`;

// Only an info: typographic quotes read as ASCII ones (R323).
const INFO = `[Q]
path = /var/log/x.log
regex = x (\\d+)
upbound_action = /bin/echo \u201chello there\u201d
`;

/** Where `needle` starts in `text`, as the 1-based line and column a diagnostic must carry. */
function at(text: string, needle: string): { line: number; column: number } {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  return new LineIndex(text).position(offset);
}

interface JsonOut {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

describe('rulec check', () => {
  let dir: string;
  let remove: () => void;
  beforeAll(() => {
    ({ dir, remove } = tempDir('rulec-check-'));
    writeFileSync(join(dir, 'clean.rules'), CLEAN);
    writeFileSync(join(dir, 'bad.rules'), BAD);
    writeFileSync(join(dir, 'warn.rules'), WARN);
    writeFileSync(join(dir, 'info.rules'), INFO);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub/main.rules'), 'source "inc.rules"\n');
    writeFileSync(join(dir, 'sub/inc.rules'), BAD);
  });
  afterAll(() => remove());

  it('is silent and exits 0 on a clean file', async () => {
    const result = await runCli(['check', 'clean.rules'], { cwd: dir });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('prints file:line:col, the source line and carets, and notes; exits 1', async () => {
    const result = await runHere(['check', 'bad.rules'], { cwd: dir });
    expect(result.code).toBe(1);
    const key = at(BAD, 'upbund_freq');
    const capture = at(BAD, '$3');
    const lines = result.stderr.split('\n');
    const first = lines.findIndex((l) => l.startsWith(`bad.rules:${key.line}:${key.column}: error[R301]: `));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(lines[first + 1]).toBe(`${key.line} | upbund_freq = 5/60`);
    expect(lines[first + 2]).toBe(`  | ${'^'.repeat('upbund_freq'.length)}`);
    expect(lines.slice(first + 3)).toContain('  = note: did you mean `upbound_freq`?');
    const second = lines.findIndex((l) => l.startsWith(`bad.rules:${capture.line}:${capture.column}: error[R310]: `));
    expect(second).toBeGreaterThan(first);
    expect(lines[second + 2]).toBe(`  | ${' '.repeat(capture.column - 1)}^^`);
    expect(result.stderr).toContain('2 errors, 0 warnings');
  });

  it('refuses a NUL byte in a path or an action, which would fail only once running: one error for the file, at the first', async () => {
    const text = '[A]\npath = /var/log/a\0b\nregex = x\nupbound_action = /bin/echo a\0b\n';
    writeFileSync(join(dir, 'nul.rules'), text);
    const checked = await runHere(['check', 'nul.rules'], { cwd: dir });
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/^nul\.rules:2:18: error\[R213\]: rule file is binary: nul\.rules holds a NUL byte$/m);
    expect(checked.stderr).toContain('1 error, 0 warnings');
    const built = await runHere(['build', 'nul.rules', '-o', 'nul-out'], { cwd: dir });
    expect(built.code).toBe(1);
    expect(built.stderr).toContain('build refused');
  });

  it('refuses a rule file that is not UTF-8 (saved as Latin-1) at the first byte it cannot read', async () => {
    writeFileSync(join(dir, 'latin1.rules'), Buffer.from('[A]\npath = /var/log/a\nregex = caf\xe9 from (\\S+)\nupbound_action = /bin/echo "$1"\n', 'latin1'));
    const checked = await runHere(['check', 'latin1.rules'], { cwd: dir });
    expect(checked.code).toBe(1);
    expect(checked.stderr).toMatch(/^latin1\.rules:3:12: error\[R214\]: rule file is not UTF-8: latin1\.rules has a byte \(at byte offset 33\) that is not part of a UTF-8 character$/m);
    expect(checked.stderr).toContain('save the file as UTF-8');
  });

  it('says in one error that a bundle is not a rule file, for check and test alike (R211)', async () => {
    writeFileSync(join(dir, 'tiny.rules'), CLEAN);
    expect((await runHere(['build', 'tiny.rules', '-o', 'tiny-out'], { cwd: dir })).code).toBe(0);
    for (const args of [['check', 'tiny-out/bundle.mjs'], ['test', 'tiny-out/bundle.mjs', '--log', 'tiny.rules']]) {
      const result = await runHere(args, { cwd: dir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^tiny-out\/bundle\.mjs:1:1: error\[R211\]: a bundle made by rulec build, not a rule file$/m);
      expect(result.stderr).toContain('1 error, 0 warnings');
    }
  });

  it('prints JSON with 1-based positions and exclusive ends', async () => {
    const result = await runHere(['check', '--format', 'json', 'bad.rules', 'clean.rules'], { cwd: dir });
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout) as JsonOut[];
    const key = at(BAD, 'upbund_freq');
    const capture = at(BAD, '$3');
    expect(out.map((d) => ({ ...d, message: typeof d.message }))).toEqual([
      { file: 'bad.rules', ...key, endLine: key.line, endColumn: key.column + 11, severity: 'error', code: 'R301', message: 'string' },
      { file: 'bad.rules', ...capture, endLine: capture.line, endColumn: capture.column + 2, severity: 'error', code: 'R310', message: 'string' },
    ]);
  });

  it('prints GitHub workflow commands', async () => {
    const result = await runHere(['check', '--format', 'github', 'bad.rules', 'warn.rules', 'info.rules'], { cwd: dir });
    expect(result.code).toBe(1);
    const key = at(BAD, 'upbund_freq');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^::error file=bad\\.rules,line=${key.line},col=${key.column},endLine=${key.line},endColumn=${key.column + 11},title=R301::\\S`),
    );
    expect(lines.some((l) => /^::warning file=warn\.rules,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=R312::/.test(l))).toBe(true);
    expect(lines.some((l) => /^::notice file=info\.rules,.*title=R323::/.test(l))).toBe(true);
    expect(lines.every((l) => /^::(error|warning|notice) file=/.test(l))).toBe(true);
  });

  it('fails on warnings only with --strict, never on info', async () => {
    expect((await runHere(['check', 'warn.rules'], { cwd: dir })).code).toBe(0);
    const strict = await runHere(['check', '--strict', 'warn.rules'], { cwd: dir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^warn\.rules:\d+:\d+: warning\[R312\]: /m);
    const info = await runHere(['check', '--strict', 'info.rules'], { cwd: dir });
    expect(info.code).toBe(0);
    expect(info.stderr).toMatch(/^info\.rules:\d+:\d+: info\[R323\]: /m);
    // The summary counts what it printed, info too.
    expect(info.stderr).toMatch(/^0 errors, 0 warnings, 2 info$/m);
  });

  it('names included files as the user reaches them', async () => {
    const result = await runHere(['check', '--format', 'json', 'sub/main.rules'], { cwd: dir });
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout) as JsonOut[];
    expect(out.map((d) => [d.file, d.code])).toEqual([
      ['sub/inc.rules', 'R301'],
      ['sub/inc.rules', 'R310'],
    ]);
  });

  it('names files in include messages as in the positions: missing and unreadable includes, cycles', async () => {
    mkdirSync(join(dir, 'nest', 'inc'), { recursive: true });
    writeFileSync(join(dir, 'nest', 'main.rules'), 'source "inc/a.rules"\n');
    writeFileSync(join(dir, 'nest', 'inc', 'a.rules'), 'source "b.rules"\nsource "a.rules"\nsource "d.rules"\n');
    // There, but not a file it can read.
    mkdirSync(join(dir, 'nest', 'inc', 'd.rules'));
    const result = await runHere(['check', '--format', 'json', 'nest/main.rules'], { cwd: dir });
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as JsonOut[]).map((d) => [d.file, d.code, d.message])).toEqual([
      ['nest/inc/a.rules', 'R205', 'source file not found: nest/inc/b.rules'],
      ['nest/inc/a.rules', 'R206', 'source include cycle: nest/inc/a.rules → nest/inc/a.rules'],
      ['nest/inc/a.rules', 'R205', 'source file cannot be read: nest/inc/d.rules (EISDIR: is a directory)'],
    ]);
  });

  it('finds an include cycle through another spelling of a file: a directory symlink, a file symlink', async () => {
    mkdirSync(join(dir, 'loop'));
    // `link/a.rules` with link → . is a.rules again; by name alone it recursed until ELOOP.
    writeFileSync(join(dir, 'loop', 'a.rules'), 'source "link/a.rules"\n');
    symlinkSync('.', join(dir, 'loop', 'link'));
    writeFileSync(join(dir, 'loop', 'b.rules'), 'source "c.rules"\n');
    symlinkSync('b.rules', join(dir, 'loop', 'c.rules'));
    const result = await runHere(['check', '--format', 'json', 'loop/a.rules', 'loop/b.rules'], { cwd: dir });
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as JsonOut[]).map((d) => [d.file, d.code, d.message])).toEqual([
      ['loop/a.rules', 'R206', 'source include cycle: loop/a.rules → loop/link/a.rules'],
      ['loop/b.rules', 'R206', 'source include cycle: loop/b.rules → loop/c.rules'],
    ]);
  });

  it('exits 2 on usage errors and unreadable files', async () => {
    const none = await runHere(['check'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: rulec check FILE...');
    expect((await runHere(['check', '--format', 'xml', 'clean.rules'], { cwd: dir })).code).toBe(2);
    expect((await runHere(['check', '--nope', 'clean.rules'], { cwd: dir })).code).toBe(2);
    const missing = await runHere(['check', 'missing.rules'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('rulec check: cannot read missing.rules: ENOENT: no such file or directory\n');
    // The files that can be read are still reported, in valid JSON; the exit says one could not.
    writeFileSync(join(dir, 'bad.rules'), BAD);
    const mixed = await runHere(['check', 'bad.rules', 'missing.rules', '--format', 'json'], { cwd: dir });
    expect(mixed.code).toBe(2);
    expect((JSON.parse(mixed.stdout) as JsonOut[]).map((o) => [o.file, o.code])).toEqual([['bad.rules', 'R301'], ['bad.rules', 'R310']]);
    expect(mixed.stderr).toBe('rulec check: cannot read missing.rules: ENOENT: no such file or directory\n');
  });
});
