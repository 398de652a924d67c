import { describe, expect, it } from 'vitest';
import { as, located, parseText, sliceOf, statementsOf } from '../helpers/grammar.js';

describe('heredoc blocks', () => {
  it.each(['__HERE', '__EOC', '__MY_MODULE', 'EOF', 'x1'])('accepts the tag %s', (tag) => {
    const text = `watch args "two words" <<${tag}\n  logfile /var/log/messages\n${tag}\nset a b\n`;
    const [block, after] = statementsOf(text);
    const b = as(block, 'block');
    expect([b.name.value, b.args.map((a) => a.value), b.tag]).toEqual(['watch', ['args', 'two words'], tag]);
    expect(as(b.body[0], 'command').args[0]!.value).toBe('/var/log/messages');
    expect(sliceOf(text, b.openerSpan)).toBe(`<<${tag}`);
    expect(sliceOf(text, b.bodySpan)).toBe('  logfile /var/log/messages\n');
    expect(sliceOf(text, b.span)).toBe(`watch args "two words" <<${tag}\n  logfile /var/log/messages\n${tag}`);
    expect(as(after, 'command').name.value).toBe('set');
  });

  it('accepts an indented terminator with trailing blanks, and a comment after the opener', () => {
    const text = 'command <<__EOC   # run these\n\texec \'ls -l\'\n        __EOC  \t\nset a b';
    const [block, after] = statementsOf(text);
    expect(as(block, 'block').body).toHaveLength(1);
    expect(as(after, 'command').name.value).toBe('set');
  });

  it('does not close on a line that merely contains the tag', () => {
    const text = 'watch <<END\n  description "END of it"\n  ENDS\nEND\n';
    const b = as(statementsOf(text)[0], 'block');
    expect(b.body.map((s) => as(s, 'command').name.value)).toEqual(['description', 'ENDS']);
  });

  it('parses nested blocks with spans into the whole file', () => {
    const text = [
      'set to x',
      'watch <<__OUTER',
      '    logfile /var/log/a',
      '    custom one <<__INNER',
      '        directive_a "argument"',
      '        ignore =~ /MARK/',
      '    __INNER',
      '    mime_file "a.txt"',
      '__OUTER',
      '',
    ].join('\n');
    const outer = as(statementsOf(text)[1], 'block');
    expect(outer.body.map((s) => s.kind)).toEqual(['command', 'block', 'command']);
    const inner = as(outer.body[1], 'block');
    expect(sliceOf(text, inner.name.span)).toBe('custom');
    expect(sliceOf(text, inner.openerSpan)).toBe('<<__INNER');
    const directive = as(inner.body[0], 'command');
    expect(sliceOf(text, directive.args[0]!.span)).toBe('"argument"');
    const match = as(inner.body[1], 'match');
    expect(sliceOf(text, match.operand.patternSpan)).toBe('MARK');
    expect(text.slice(0, match.operand.patternSpan.start).split('\n')).toHaveLength(6);
    expect(sliceOf(text, as(outer.body[2], 'command').span)).toBe('mime_file "a.txt"');
  });

  it('lets the first line equal to the parent tag close the parent', () => {
    const text = 'watch <<T\n  inner <<T\n  x\nT\nT\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['2:9 R103']);
    expect(r.diagnostics[0]!.notes).toContain("a nested block needs a tag different from its parent's");
    // The second `T` line is then an ordinary command at the top level.
    expect(r.value.statements.map((s) => s.kind)).toEqual(['block', 'command']);
  });

  it('reads a heredoc with no command as a comment whose body is never parsed', () => {
    const text = '  # This is a comment.\n  <<__EOC\n\n  This is also a comment\n  [x]\n  a = b\n  do ignore\n  __EOC\nset a b\n';
    const [comment, after] = statementsOf(text);
    const c = as(comment, 'heredoc-comment');
    expect(c.tag).toBe('__EOC');
    expect(sliceOf(text, c.span)).toBe('<<__EOC\n\n  This is also a comment\n  [x]\n  a = b\n  do ignore\n  __EOC');
    expect(as(after, 'command').name.value).toBe('set');
  });

  it('reports an unterminated heredoc at its opener and reads the rest of the file as its body', () => {
    const text = 'set a b\nwatch <<__END\n  logfile /x\n  mime_file y\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['2:7 R103']);
    expect(sliceOf(text, r.diagnostics[0]!.span)).toBe('<<__END');
    const b = as(r.value.statements[1], 'block');
    expect(b.body).toHaveLength(2);
    expect(b.bodySpan.end).toBe(text.length);
  });

  it('reports text after the tag on the opener line (R105)', () => {
    const text = 'watch <<__END logfile /x\n  mime_file y\n__END\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['1:15 R105']);
    expect(sliceOf(text, r.diagnostics[0]!.span)).toBe('logfile /x');
    expect(as(r.value.statements[0], 'block').body).toHaveLength(1);
  });

  it('does not read << without a tag as a heredoc', () => {
    const c = as(statementsOf('echo a<<1 << b')[0], 'command');
    expect(c.args.map((a) => a.value)).toEqual(['a<<1', '<<', 'b']);
  });

  it('reads a heredoc opener glued to the previous word, as sh does', () => {
    const b = as(statementsOf('cat<<EOF\nx\nEOF')[0], 'block');
    expect([b.name.value, b.tag, b.body.length]).toEqual(['cat', 'EOF', 1]);
  });

  it('reads CRLF files the same as LF files', () => {
    const lf = '[a]\nk = v \nwatch <<__END\n  ignore =~ /x/\n  do filter\n    !~ /y/\n  end\n  __END  \nset a "b"\n';
    const crlf = lf.replaceAll('\n', '\r\n');
    const shape = (text: string) => JSON.stringify(statementsOf(text), (k, v) => (k === 'span' || k.endsWith('Span') ? undefined : v));
    expect(shape(crlf)).toBe(shape(lf));
    const block = as(statementsOf(crlf)[1], 'block');
    expect(sliceOf(crlf, block.span).endsWith('__END')).toBe(true);
  });

  it('reports diagnostics inside a body at their place in the whole file', () => {
    const text = 'set a b\nwatch <<W\n  ok line\n  bad "quote\nW\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['4:7 R102']);
  });
});
