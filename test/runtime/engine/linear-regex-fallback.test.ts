import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { translateRegex } from '../../../compiler/regex/translate.js';
import { REPO } from '../../cli/run-cli.js';
import { perlMatches, type Outcome } from '../../compiler/regex/perl-oracle.js';

/**
 * For each pattern, a line it matches and one it does not; on at least one of them it
 * backtracks far past the limit (2× to effectively forever without the fallback), so V8 finishes
 * that match on its linear-time engine. The result must still be Perl's.
 */
const CASES: readonly (readonly [string, string, readonly string[]])[] = [
  ['(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)', '', [`${'1'.repeat(5000)} 10.20.30.40 x`, '9'.repeat(5000)]],
  ['(\\S+)=(\\S+);', '', [`${'k'.repeat(5000)} a=b; c=d;`, 'k'.repeat(5000)]],
  ['(a|aa)+b', '', [`${'a'.repeat(25)}c aab`, `${'a'.repeat(25)}c`]],
  // 40 letters: ~2^40 steps without the fallback, so this test cannot pass with it gone.
  ['^(\\w+\\s?)*$', '', ['hello big world', `${'a'.repeat(40)}!`]],
  ['(\\S+) from (\\S+) port (\\d+)', 'i', [`${'x'.repeat(3000)} FROM ${'y'.repeat(3000)} Port 22`, `${'x'.repeat(3000)} from ${'y'.repeat(3000)} port x`]],
  ['(?i:(\\S+)) FROM (\\S+);', '', [`${'x'.repeat(5000)} Z FROM y;`, 'x'.repeat(5000)]],
];

describe("V8's linear-time fallback, as rulec run sets it", () => {
  it('gives the matches and captures Perl gives, on lines that force it', () => {
    const lines = CASES.flatMap(([, , l]) => l);
    const perl = perlMatches(CASES.map(([pcre, flags]) => [pcre, flags] as const), lines);
    const translated = CASES.map(([pcre, flags]) => {
      const t = translateRegex(pcre, flags).value;
      if (t === null) throw new Error(`${pcre} does not translate`);
      expect(t.flags, pcre).not.toContain('i');
      return [t.js, t.flags] as const;
    });
    const script = [
      "const { enableLinearRegexFallback } = await import('rulec/runtime');",
      'enableLinearRegexFallback();',
      'const { patterns, lines } = JSON.parse(process.argv[1]);',
      'console.log(JSON.stringify(patterns.map(([js, flags]) => lines.map((line) => {',
      '  const m = new RegExp(js, flags).exec(line); return m === null ? null : [...m];',
      '}))));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify({ patterns: translated, lines })], {
      cwd: REPO, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.stderr).toBe('');
    // JSON turns a capture that did not take part (undefined) into null, as Perl's side does.
    const v8 = (JSON.parse(run.stdout) as ((string | null)[] | null)[][]).map((outcomes) =>
      outcomes.map((o): Outcome => (o === null ? null : o.map((c) => c ?? undefined))),
    );
    CASES.forEach(([pcre], k) => {
      const reference = perl[k]!;
      if ('error' in reference) throw new Error(`Perl rejected ${pcre}: ${reference.error}`);
      expect(v8[k], pcre).toEqual(reference.lines);
    });
    // Each pattern matches at least one of the lines, and fails on at least one.
    for (const outcomes of v8) expect(new Set(outcomes.map((o) => o === null)).size).toBe(2);
  }, 60_000);
});
