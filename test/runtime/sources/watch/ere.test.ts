import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileEre } from '../../../../runtime/sources/watch/ere-compile.js';
import { EreError } from '../../../../runtime/sources/watch/ere-parse.js';

/** Whether GNU grep -E matches each line (C locale, as a byte-exact reference for ASCII text). */
function grepMatches(pattern: string, lines: readonly string[]): boolean[] {
  const out = spawnSync('grep', ['-E', '-n', '--', pattern], { input: `${lines.join('\n')}\n`, env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8' });
  expect(out.status, out.stderr).not.toBe(2);
  const hit = new Set(out.stdout.split('\n').filter(Boolean).map((l) => Number(l.slice(0, l.indexOf(':'))) - 1));
  return lines.map((_, i) => hit.has(i));
}

/** Patterns of grep -E's dialect, each with lines that tell its reading apart from a naive one. */
const CASES: readonly [string, readonly string[]][] = [
  ['*a', ['*a', 'a', 'b*a']],
  ['a**', ['', 'aaa', 'b']],
  ['a{', ['a{', 'a', '{']],
  ['a{1', ['a{1', 'a1']],
  ['a{,2}b', ['b', 'aab', 'x']],
  ['^a{,}b$', ['b', 'aaab', 'ab{,}']],
  ['a{1,2', ['a{1,2', 'a']],
  ['a{ 1}', ['a{ 1}', 'a']],
  ['(*a)', ['*a', 'a']],
  ['\\n', ['n', '\\n']],
  ['[\\.]', ['\\', '.', 'x']],
  ['a|*b', ['*b', 'b', 'a']],
  ['^*', ['*', 'x']],
  ['^a+?$', ['', 'a', 'aa', 'b']],
  ['()', ['x', '']],
  ['a|', ['x']],
  ['{1}', ['{1}', '1']],
  ['^a{1}{2}$', ['aa', 'a', 'aaa']],
  ['x\\{', ['x{', 'x']],
  ['a)', ['a)', 'a']],
  ['\\w+\\W\\s\\S', ['ab- x', 'ab-\tx', 'ab- ', '_ x']],
  ['a\\b', ['a b', 'ab']],
  ['\\<b', ['a b', 'ab']],
  ['b\\>', ['ab c', 'abc']],
  ["\\`a\\'", ['a', 'aa', 'ba']],
  ['\\]', [']', 'x']],
  ['[]a]', [']', 'a', 'b']],
  ['[^]a]', [']', 'a', 'b']],
  ['[a-]', ['-', 'a', 'b']],
  ['[]-a]', ['b', '^', 'a', '-']],
  ['[--/]', ['.', ',', '0']],
  ['[a\\]', ['\\', 'a', ']']],
  ['[[.-.]]', ['-', 'x']],
  ['[[=a=]b]', ['a', 'b', 'c']],
  ['^[[:alpha:][:digit:]_]+$', ['ab_1', 'a-b', '']],
  ['[[:space:]][[:blank:]][[:punct:]][[:xdigit:]]', ['\t !F', '  !g', '\v\t.0']],
  ['[[:upper:]][[:lower:]][[:cntrl:]][[:graph:]][[:print:]]', ['Ab\x01~ ', 'AB\x01~ ', 'Ab ~ ']],
  ['^a{2}*$', ['', 'aa', 'aaa', 'aaaa']],
  ['\\(', ['(', 'x']],
  ['$a', ['a', '$a']],
  ['a^', ['a', 'a^']],
  ['x*^a', ['a', 'xa']],
  ['b(^a)', ['ba', 'a']],
  ['a$*', ['a', 'a*', 'a$*', 'b']],
  ['^+', ['x', '']],
  ['x|{2}y', ['x', 'y', '{2}y', 'z']],
  ['^{1}a', ['a', '{1}a']],
  ['^(a|ab)(c|bcd)(d*)$', ['abcd', 'abcdd', 'acd', 'ab']],
  ['(a)\\1x', ['aax', 'ax', 'a1x']],
  ['^(\\w{3} [ :[:digit:]]{11}|[0-9T:.+-]{32}) [._[:alnum:]-]+ kernel:( \\[ *[[:digit:]]+\\.[[:digit:]]+\\])? ([[:lower:]]+):( (\\1[[:digit:]]+|[<>]))+', [
    'Jun  9 06:06:20 combo kernel: ata: <',
    'Jun  9 06:06:20 combo kernel: [ 1.5] sd: >',
    'Jun  9 06:06:20 combo kernel: ata: x',
  ]],
  ['^[0-9]{1,3}(\\.[0-9]{1,3}){3}$', ['10.0.0.1', '10.0.0', '1234.0.0.1']],
  ['a{0}b', ['b', 'ab', 'c']],
];

describe('POSIX ERE as grep -E reads it', () => {
  it.each(CASES)('%s matches the lines grep matches', (pattern, lines) => {
    const { regex } = compileEre(pattern);
    expect(lines.map((line) => regex.test(line))).toEqual(grepMatches(pattern, lines));
  });

  it('refuses what grep refuses, at the character it points at', () => {
    const refused: [string, RegExp][] = [
      ['[a', /unmatched \[/],
      ['(a', /unmatched \(/],
      ['a{}', /invalid content/],
      ['a{2,1}', /invalid content/],
      ['a{32768}', /too big/],
      ['[z-a]', /invalid range end/],
      ['[[:alpha:]-z]', /invalid range end/],
      ['[[:foo:]]', /invalid character class/],
      ['[[.space.]]', /invalid collation/],
      ['a\\', /trailing backslash/],
      ['(a)\\2', /invalid back reference/],
    ];
    for (const [pattern, message] of refused) {
      expect(() => compileEre(pattern), pattern).toThrow(message);
      const grep = spawnSync('grep', ['-E', '--', pattern], { input: '', env: { ...process.env, LC_ALL: 'C' } });
      expect(grep.status, `grep -E ${pattern}`).toBe(2);
    }
    try {
      compileEre('abc[[:nope:]]');
    } catch (error) {
      expect((error as EreError).at).toBe(4);
    }
  });

  it('refuses a back reference to a group that may not take part, where grep and JavaScript differ', () => {
    expect(() => compileEre('(a)?b\\1')).toThrow(/may not take part/);
    expect(() => compileEre('((a)|b)\\2')).toThrow(/may not take part/);
    // grep fails the match where JavaScript would match the empty string:
    expect(execFileSync('sh', ['-c', "printf 'b\\n' | LC_ALL=C grep -E -c '(a)?b\\1' || true"], { encoding: 'utf8' }).trim()).toBe('0');
  });

  it('keys each pattern by literals its every match holds', () => {
    const { literals, required } = compileEre('^(\\w{3} [ :0-9]{11}) [._[:alnum:]-]+ sshd\\[[0-9]+\\]: Accepted (publickey|password) for');
    expect(required).toContain(']: Accepted ');
    expect(required).toContain(' sshd[');
    expect(literals!.length).toBeGreaterThan(0);
    expect(compileEre('(foo|bar)baz').literals).toEqual(['foobaz', 'barbaz']);
    expect(compileEre('a*').literals).toBeNull();
  });

  it('lengthens a short key with what the items around it start or end with', () => {
    // ` ovpn-` and ` openvpn`, not `ovpn-` (5 characters: too short for the prefilter's index).
    expect(compileEre(' (openvpn|ovpn-[a-z]+)\\[').literals).toEqual([' openvpn', ' ovpn-']);
    const su = compileEre('su(\\[[0-9]+\\])?: (\\+|-) (/dev/)?(pts/[0-9]{1,2}|tty[0-9]) ').literals!;
    expect(Math.min(...su.map((text) => text.length))).toBeGreaterThanOrEqual(7);
    expect(su).toContain(': + tty');
    // A key long enough already is not split into one string per digit before it.
    expect(compileEre('cvsd\\[[0-9]+\\]: connection from [0-9]+').literals).toEqual([']: connection from ']);
  });

  it('marks a pattern with a back reference for the deadline, with a linear screen that matches every line it matches', () => {
    const { deadline, screen, regex } = compileEre('^(a+)-\\1$');
    expect(deadline).toBe(true);
    expect(screen!.source).not.toMatch(/\\1/);
    for (const line of ['aa-aa', 'a-a', 'aa-a', 'b-b', 'aaa-']) if (regex.test(line)) expect(screen!.test(line)).toBe(true);
    expect(screen!.test('aa-a')).toBe(true); // wider: the regex says no
    expect(regex.test('aa-a')).toBe(false);
    expect(compileEre('^(a+)-x$').deadline).toBe(false);
    expect(compileEre('\\<(a+)-\\1').screen).toBeNull(); // a lookaround keeps any regex off the linear engine
  });
});
