import { describe, expect, it } from 'vitest';
import { formatRules } from '../../grammar/format.js';

const format = (text: string): string | null => formatRules(text, 'test.rules').value;

describe('formatRules', () => {
  it('indents block bodies and groups, one space between words, terminator at the block\'s indent', () => {
    const text = 'watch   <<__HERE   # the log\n  logfile    /var/log/messages\n        do filter\n   =~   /THIS/i\n                end\n  __HERE\n';
    expect(format(text)).toBe('watch <<__HERE # the log\n    logfile /var/log/messages\n    do filter\n        =~ /THIS/i\n    end\n__HERE\n');
  });

  it('writes `key = value` and `[name]`, keeps values and continuation lines as written', () => {
    const text = '[ SSH ]\nregex=a  (.*) ; b # c \n  from (.*)$\npath   =\n';
    expect(format(text)).toBe('[SSH]\nregex = a  (.*) ; b # c\nfrom (.*)$\npath =\n');
  });

  it('collapses blank lines, drops them at both ends, ends with one newline and LF', () => {
    expect(format('\r\n\r\nset to x\r\n\r\n\r\n\r\nset from y\r\n\r\n')).toBe('set to x\n\nset from y\n');
  });

  it('keeps quoted words, a backslash-newline joined command and a heredoc comment as written', () => {
    const text = 'set  subject  "a  b"\\\n   "c"\n  <<__EOC\n   anything   \n __EOC\nset to \'x  y\'\n';
    expect(format(text)).toBe('set  subject  "a  b"\\\n   "c"\n<<__EOC\n   anything   \n __EOC\nset to \'x  y\'\n');
  });

  it('nests blocks four spaces a level', () => {
    const text = 'snort <<__S\nlogdir /l\nrule R <<__R\nmsg "^SCAN"\n__R\n__S\n';
    expect(format(text)).toBe('snort <<__S\n    logdir /l\n    rule R <<__R\n        msg "^SCAN"\n    __R\n__S\n');
  });

  it('is idempotent', () => {
    const text = 'a b   <<X\n\n\n c d # e\n\nX\n\n[s]\nk=v\n';
    const once = format(text)!;
    expect(format(once)).toBe(once);
  });

  it('leaves a file with syntax errors alone, with the errors', () => {
    const result = formatRules('watch <<__HERE\nlogfile x\n', 'test.rules');
    expect(result.value).toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['R103']);
  });
});
