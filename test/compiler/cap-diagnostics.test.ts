import { describe, expect, it } from 'vitest';
import { checkFiles } from '../../compiler/pipeline.js';
import { MAX_QUOTE, capPerFile, shortenQuotes } from '../../compiler/cap-diagnostics.js';
import type { Diagnostic } from '../../grammar/diagnostic.js';

const at = (file: string, start: number, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({ code: 'R301', severity, message: `m${start}`, span: { file, start, end: start + 1 } });

describe('capPerFile', () => {
  it('keeps the first N of a file by position and counts the rest in one R215 with their worst level', () => {
    const many = [at('b', 0), ...Array.from({ length: 5 }, (_, i) => at('a', 50 - i, i === 4 ? 'error' : 'warning'))];
    const capped = capPerFile(many, 2);
    expect(capped.map((d) => [d.span.file, d.code, d.span.start, d.severity])).toEqual([
      ['b', 'R301', 0, 'error'],
      ['a', 'R301', 46, 'error'],
      ['a', 'R301', 47, 'warning'],
      ['a', 'R215', 48, 'warning'],
    ]);
    expect(capped[3]!.message).toBe('3 more problems in a not shown (3 warnings); the first 2 are shown');
    expect(capPerFile(many, 10)).toEqual(many);
  });

  it('through the API, as CLI and editor get it: a file with 300 problems gives 100 and one R215 that is still an error', () => {
    const text = Array.from({ length: 300 }, (_, i) => `[ITEM${i}]\nbogus = 1\n`).join('');
    const [result] = checkFiles(['m.rules'], { readFile: (n) => (n === 'm.rules' ? text : undefined) });
    expect(result!.diagnostics).toHaveLength(101);
    const last = result!.diagnostics.at(-1)!;
    expect(last).toMatchObject({ code: 'R215', severity: 'error' });
    expect(last.message).toMatch(/^\d+ more problems in m\.rules not shown \(\d+ errors\); the first 100 are shown$/);
  });

  it('cuts a long quote to MAX_QUOTE characters with its length, never inside a surrogate pair, and leaves short ones', () => {
    expect(shortenQuotes('unknown key `upbound_freq`')).toBe('unknown key `upbound_freq`');
    const long = shortenQuotes(`unknown key \`${'k'.repeat(500)}\` in \`[item]\``);
    expect(long).toBe(`unknown key \`${'k'.repeat(MAX_QUOTE - 1)}…\` (500 characters) in \`[item]\``);
    const pairs = shortenQuotes(`\`${'😀'.repeat(100)}\``);
    expect(pairs).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(pairs).toContain('(200 characters)');
    const [d] = capPerFile([{ code: 'R301', severity: 'error', message: `\`${'z'.repeat(1000)}\``, span: { file: 'f', start: 0, end: 1 }, notes: [`did you mean \`${'y'.repeat(1000)}\`?`] }]);
    expect(d!.message.length).toBeLessThan(120);
    expect(d!.notes![0]!.length).toBeLessThan(140);
  });
});
