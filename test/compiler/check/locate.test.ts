import { describe, expect, it } from 'vitest';
import { cover, spanWithin } from '../../../compiler/check/locate.js';
import { span } from '../../../grammar/diagnostic.js';

/** The located value is the text at [start, end) of `file`; `value` is what the checker read there. */
function located(file: string, sourceText: string, value: string) {
  const start = file.indexOf(sourceText);
  return { text: value, span: span('f.rules', start, start + sourceText.length) };
}

function slice(file: string, s: { start: number; end: number }): string {
  return file.slice(s.start, s.end);
}

describe('spanWithin', () => {
  it('maps offsets one to one when the value is its source text', () => {
    const file = 'regex = Failed (\\S+) from (\\S+)\n';
    const at = located(file, 'Failed (\\S+) from (\\S+)', 'Failed (\\S+) from (\\S+)');
    expect(slice(file, spanWithin(file, at, 7, 12))).toBe('(\\S+)');
    expect(slice(file, spanWithin(file, at))).toBe('Failed (\\S+) from (\\S+)');
  });

  it('skips quotes and escapes of a shell word', () => {
    const file = 'exec "ls \\"-l\\"" x\n';
    const at = located(file, '"ls \\"-l\\""', 'ls "-l"');
    expect(slice(file, spanWithin(file, at, 3, 7))).toBe('\\"-l\\"');
    expect(slice(file, spanWithin(file, at, 4, 6))).toBe('-l');
  });

  it('follows a value continued on the next line', () => {
    const file = 'regex=error: PAM: failure for (.*) \nfrom (.*)$\npath=/x\n';
    const at = located(file, 'error: PAM: failure for (.*) \nfrom (.*)$', 'error: PAM: failure for (.*) from (.*)$');
    const value = at.text;
    const from = value.indexOf('from');
    expect(slice(file, spanWithin(file, at, from, from + 9))).toBe('from (.*)');
    expect(slice(file, spanWithin(file, at, value.length - 1, value.length))).toBe('$');
  });

  it('clamps ranges outside the value and keeps empty ranges empty', () => {
    const file = 'size = 10Q\n';
    const at = located(file, '10Q', '10Q');
    expect(spanWithin(file, at, -5, 99)).toEqual(at.span);
    const empty = spanWithin(file, at, 2, 2);
    expect(empty.end - empty.start).toBe(0);
    expect(empty.start).toBe(at.span.start + 2);
  });

  it('falls back to linear offsets when the file text is unknown', () => {
    const at = { text: 'abc', span: span('gone.rules', 10, 13) };
    expect(spanWithin(undefined, at, 1, 2)).toEqual(span('gone.rules', 11, 12));
  });

  it('covers two spans', () => {
    expect(cover(span('f', 8, 9), span('f', 2, 4))).toEqual(span('f', 2, 9));
  });
});
