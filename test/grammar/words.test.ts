import { describe, expect, it } from 'vitest';
import { as, located, parseText, sliceOf, statementsOf } from '../helpers/grammar.js';

function words(line: string): string[] {
  const command = as(statementsOf(line)[0], 'command');
  return [command.name, ...command.args].map((w) => w.value);
}

describe('shell words', () => {
  it('splits on blanks and keeps quoted blanks', () => {
    expect(words('command argument "argument two"')).toEqual(['command', 'argument', 'argument two']);
    expect(words("exec 'ls -l'\t  x")).toEqual(['exec', 'ls -l', 'x']);
  });

  it('joins adjacent parts into one word as sh does', () => {
    expect(words(`set a"b c"'d' e`)).toEqual(['set', 'ab cd', 'e']);
    expect(words(`x ''"" '' ""`)).toEqual(['x', '', '', '']);
  });

  it('marks quoted words, so an empty quoted word is still a word', () => {
    const command = as(statementsOf(`set subject ""`)[0], 'command');
    expect(command.args.map((a) => [a.value, a.quoted])).toEqual([['subject', false], ['', true]]);
  });

  it('keeps single-quoted text literal', () => {
    expect(words(String.raw`x 'a\nb$c"d'`)).toEqual(['x', String.raw`a\nb$c"d`]);
  });

  it('applies the sh escapes in double quotes and keeps other backslashes', () => {
    expect(words(String.raw`x "q\" b\\ d\$ t\` n\n"`)).toEqual(['x', 'q" b\\ d$ t` n\\n']);
  });

  it('removes backslash-newline inside double quotes and between words', () => {
    expect(words('x "ab\\\ncd" y \\\n z')).toEqual(['x', 'abcd', 'y', 'z']);
  });

  it('applies backslash escapes in bare words', () => {
    expect(words(String.raw`x a\ b \"c\' d\\e`)).toEqual(['x', 'a b', `"c'`, 'd\\e']);
  });

  it('keeps the raw text and a span over the whole word', () => {
    const text = `set  to "ops@example.com"x`;
    const arg = as(statementsOf(text)[0], 'command').args[1]!;
    expect(arg.raw).toBe('"ops@example.com"x');
    expect(sliceOf(text, arg.span)).toBe(arg.raw);
    expect(arg.value).toBe('ops@example.comx');
  });

  it('reads a line that ends in CRLF like one that ends in LF', () => {
    expect(statementsOf('set to x\r\nset from y\r\n')).toHaveLength(2);
    expect(words('set to "x"\r\n')).toEqual(['set', 'to', 'x']);
  });
});

describe('comments', () => {
  it('starts a comment only at the start of a word', () => {
    expect(words('a#b c # d e')).toEqual(['a#b', 'c']);
    expect(words(`x "#y"#z`)).toEqual(['x', '#y#z']);
  });

  it('accepts whole-line # and ; comments and blank lines anywhere', () => {
    const s = statementsOf('# one\n\n   ; two\n\t# three\nset a b\n\n');
    expect(s.map((x) => x.kind)).toEqual(['command']);
  });

  it('treats ; inside a command line as a word', () => {
    expect(words('a ; b')).toEqual(['a', ';', 'b']);
  });
});

describe('lexical errors', () => {
  it('reports an unterminated quote at the quote and still builds the word (R102)', () => {
    const text = `set a\nset to "ops@x\nset b c`;
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['2:8 R102']);
    expect(r.value.statements).toHaveLength(3);
    expect(as(r.value.statements[1], 'command').args[1]!.value).toBe('ops@x');
  });

  it('reports a control character (R101) and goes on', () => {
    const text = 'set a b\x07\nset c d';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['1:8 R101']);
    expect(r.diagnostics[0]!.message).toBe('unexpected character U+0007');
    expect(r.value.statements).toHaveLength(2);
  });

  it('reports each NUL byte once, in values and heredoc bodies too, where no later stage could use it (R101)', () => {
    const text = '[A]\npath = /var/log/a\0b\nupbound_action = /bin/echo \0\ncommand <<__E\nexec ls\0\n__E\nset x\0\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['2:18 R101', '3:28 R101', '5:8 R101', '7:6 R101']);
    expect(r.diagnostics[0]!.message).toBe('unexpected character U+0000 (a NUL byte)');
  });

  it('reports U+FFFD, what an invalid UTF-8 byte of the file reads as, wherever it is (R101)', () => {
    // `café` saved as Latin-1, read as UTF-8.
    const text = Buffer.from('# Auteur: Jos\xe9\n[A]\n  ; r\xe9seau\npath = /var/log/a\nregex = caf\xe9 (\\S+)\nupbound_action = /bin/echo \xe9\n', 'latin1').toString('utf8');
    const r = parseText(text);
    // Not in comment lines: nothing there can match.
    expect(located(text, r.diagnostics)).toEqual(['5:12 R101', '6:28 R101']);
    expect(r.diagnostics[0]!.message).toBe('unexpected character U+FFFD: a byte that is not UTF-8, or a replacement character');
    expect(r.diagnostics[0]!.notes?.[0]).toContain('\\x{FFFD}');
  });
});

describe('backslash-newline', () => {
  it('joins a command with its next line, which then is no INI or comment line', () => {
    const text = 'set a \\\n[b]=c \\\n; d\n[real]\n';
    const [command, section] = statementsOf(text);
    expect(as(command, 'command').args.map((a) => a.value)).toEqual(['a', '[b]=c', ';', 'd']);
    expect(as(section, 'section').name).toBe('real');
  });

  it('does not continue a comment or an entry value ending in a backslash', () => {
    const text = '# C:\\logs\\\n[a]\nk = v\\\n[b]\n';
    expect(statementsOf(text).map((s) => as(s, 'section').name)).toEqual(['a', 'b']);
  });
});
