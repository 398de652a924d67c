import { describe, expect, it } from 'vitest';
import { renderGithub, renderText, SHOWN_LINE_MAX, toJson } from '../../cli/render.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';

const d = (file: string, start: number, end: number, extra: Partial<Diagnostic> = {}): Diagnostic => ({
  code: 'R301',
  severity: 'error',
  message: 'unknown key `x`',
  span: { file, start, end },
  ...extra,
});

describe('render', () => {
  it('cuts a long source line around the span, with … where it was cut, the carets still under the span', () => {
    // A 16 KB line (a binary or minified file) was repeated whole by every diagnostic on it.
    const line = `${'a'.repeat(8000)}BAD${'z'.repeat(8000)}`;
    const start = line.indexOf('BAD');
    const [head, source, carets] = renderText([d('f.rules', start, start + 3)], new Map([['f.rules', `${line}\n`]])).split('\n');
    expect(head).toBe(`f.rules:1:${start + 1}: error[R301]: unknown key \`x\``);
    expect(source!.length).toBeLessThanOrEqual('1 | '.length + SHOWN_LINE_MAX + 2);
    expect(source).toMatch(/^1 \| …a+BADz+…$/);
    expect(carets!.indexOf('^')).toBe(source!.indexOf('BAD'));
    expect(carets).toMatch(/\^\^\^$/);
    // Near the start: cut at the end only; a span running past the cut: carets to the cut.
    const early = renderText([d('f.rules', 2, 9000)], new Map([['f.rules', line]])).split('\n');
    expect(early[1]).toMatch(/^1 \| a{160}…$/);
    expect(early[2]).toBe(`  |   ${'^'.repeat(158)}`);
  });


  it('keeps tabs before the carets, cuts carets at the end of the first line, replaces control characters', () => {
    const text = 'a = 1\n\tkey\u001b[31m = value\nnext line\n';
    const start = text.indexOf('key');
    const out = renderText([d('f.rules', start, text.indexOf('next') + 4)], new Map([['f.rules', text]]));
    expect(out.split('\n').slice(0, 3)).toEqual([
      'f.rules:2:2: error[R301]: unknown key `x`',
      '2 | \tkey\ufffd[31m = value',
      `  | \t${'^'.repeat('key\u001b[31m = value'.length)}`,
    ]);
  });

  it('shows control characters a message quotes from the rule text, rather than sending them to the terminal', () => {
    const text = "set 'ev\u001b[31mil' x\n";
    const diagnostic = d('f.rules', 4, 16, { message: 'unknown setting `ev\u001b[31mil`', notes: ['did you mean `e\u0007v`? (regex \\S+)'] });
    const out = renderText([diagnostic], new Map([['f.rules', text]]));
    expect(out).toContain('error[R301]: unknown setting `ev\\x1b[31mil`\n');
    expect(out).toContain('= note: did you mean `e\\x07v`? (regex \\S+)\n');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });

  it('prints one caret for an empty span, labels and notes after the source', () => {
    const text = '[A]\nkey = 1\n[A]\n';
    const diagnostic = d('f.rules', 13, 13, {
      labels: [{ span: { file: 'f.rules', start: 0, end: 3 }, message: 'first defined here' }],
      notes: ['did you mean `path`?'],
    });
    expect(renderText([diagnostic], new Map([['f.rules', text]]))).toBe(
      ['f.rules:3:2: error[R301]: unknown key `x`', '3 | [A]', '  |  ^', '  = first defined here: f.rules:1:1', '  = note: did you mean `path`?', ''].join('\n'),
    );
  });

  it('orders by file as read, then offset, and drops exact repeats', () => {
    const sources = new Map([
      ['b.rules', 'x\ny\n'],
      ['a.rules', 'z\n'],
    ]);
    const json = toJson([d('a.rules', 0, 1), d('b.rules', 2, 3), d('b.rules', 0, 1), d('b.rules', 0, 1)], sources);
    expect(json.map((j) => [j.file, j.line])).toEqual([
      ['b.rules', 1],
      ['b.rules', 2],
      ['a.rules', 1],
    ]);
  });

  it('escapes GitHub workflow command properties and data', () => {
    const out = renderGithub(
      [d('dir,x:y%.rules', 0, 1, { severity: 'info', message: '50% of\nlines, here: yes' })],
      new Map([['dir,x:y%.rules', 'abc\n']]),
    );
    expect(out).toBe('::notice file=dir%2Cx%3Ay%25.rules,line=1,col=1,endLine=1,endColumn=2,title=R301::50%25 of%0Alines, here: yes\n');
  });

  it('shows the other control characters a GitHub message or file name quotes escaped, as the text format does', () => {
    const out = renderGithub([d('e\u001b[2J.rules', 0, 1, { message: 'unknown key `\u001b[31mred\u0007`\r\n\u009b' })], new Map([['e\u001b[2J.rules', 'abc\n']]));
    expect(out).toBe('::error file=e\\x1b[2J.rules,line=1,col=1,endLine=1,endColumn=2,title=R301::unknown key `\\x1b[31mred\\x07`%0D%0A\\x9b\n');
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
