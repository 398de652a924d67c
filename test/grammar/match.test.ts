import { describe, expect, it } from 'vitest';
import { as, located, parseText, sliceOf, statementsOf } from '../helpers/grammar.js';

describe('match statements', () => {
  it('reads `ignore =~ /re/flags` with exact pattern and flag spans', () => {
    const text = 'ignore =~ /sshd\\[\\d+\\]: a\\/b/ix  # note';
    const m = as(statementsOf(text)[0], 'match');
    expect([m.mode, m.operand.negated, m.operand.pattern, m.operand.flags]).toEqual(['ignore', false, 'sshd\\[\\d+\\]: a\\/b', 'ix']);
    expect(sliceOf(text, m.operand.patternSpan)).toBe(m.operand.pattern);
    expect(sliceOf(text, m.operand.flagsSpan)).toBe('ix');
    expect(sliceOf(text, m.modeSpan)).toBe('ignore');
    expect(sliceOf(text, m.span)).toBe('ignore =~ /sshd\\[\\d+\\]: a\\/b/ix');
  });

  it('reads `filter !~ /re/` as negated', () => {
    const m = as(statementsOf('filter !~ /MARK/')[0], 'match');
    expect([m.mode, m.operand.negated, m.operand.pattern, m.operand.flags]).toEqual(['filter', true, 'MARK', '']);
  });

  it('reads a pattern with blanks and # inside the slashes', () => {
    expect(as(statementsOf('ignore =~ /pattern 2 # x/')[0], 'match').operand.pattern).toBe('pattern 2 # x');
  });

  it('reads `ignore` followed by words as a command', () => {
    expect(as(statementsOf('ignore this')[0], 'command').name.value).toBe('ignore');
  });

  it('reports an unterminated regex at its slash (R104)', () => {
    const text = 'set a b\nignore =~ /abc\\/\nset c d';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['2:11 R104']);
    expect(as(r.value.statements[1], 'match').operand.pattern).toBe('abc\\/');
    expect(r.value.statements).toHaveLength(3);
  });

  it('reports a missing regex once', () => {
    const text = 'ignore =~ MARK\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['1:10 R201']);
    expect(r.diagnostics[0]!.message).toBe('expected a `/regex/` after `=~`');
  });
});

describe('do groups', () => {
  it('reads operands between `do` and `end`, blank and comment lines allowed', () => {
    const text = '        do ignore\n                =~ /pattern/\n\n  # why\n                !~ /pattern 2/i\n        end\n';
    const g = as(statementsOf(text)[0], 'group');
    expect(g.mode).toBe('ignore');
    expect(g.operands.map((o) => [o.negated, o.pattern, o.flags])).toEqual([
      [false, 'pattern', ''],
      [true, 'pattern 2', 'i'],
    ]);
    expect(sliceOf(text, g.span)).toBe(text.trim());
  });

  it('reads `do filter`', () => {
    const g = as(statementsOf('do filter\n=~ /THIS/\n=~ /AND/\nend')[0], 'group');
    expect([g.mode, g.operands.length]).toEqual(['filter', 2]);
  });

  it('reports `end` without `do` (R203)', () => {
    const text = 'watch <<W\n  logfile /x\n  end\nW\n';
    expect(located(text, parseText(text).diagnostics)).toEqual(['3:3 R203']);
  });

  it('reports `do` without `end` at the `do` (R204) and keeps the group', () => {
    const text = 'set a b\ndo ignore\n  =~ /x/\nset c d\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['2:1 R204']);
    expect(sliceOf(text, r.diagnostics[0]!.span)).toBe('do ignore');
    expect(r.value.statements.map((s) => s.kind)).toEqual(['command', 'group', 'command']);
  });

  it('reports an operand outside a group', () => {
    const text = '=~ /x/\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['1:1 R201']);
    expect(r.diagnostics[0]!.message).toContain('outside a `do ignore` or `do filter` group');
  });

  it('reports `do` with no mode', () => {
    const text = 'do\n=~ /x/\nend\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['1:1 R201']);
    expect(r.value.statements).toEqual([]);
  });
});
