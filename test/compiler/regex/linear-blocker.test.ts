import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { linearBlocker } from '../../../compiler/regex/linear-blocker.js';
import { translateRegex } from '../../../compiler/regex/translate.js';
import { REPO } from '../../cli/run-cli.js';

/** Each exponential on its input without a bound (23 letters: ~2^23 steps, about half a second). */
const CASES: readonly { readonly pcre: string; readonly input: string; readonly blocked: string | null }[] = [
  { pcre: '^(\\w+\\s?)*$', input: `${'a'.repeat(23)}!`, blocked: null },
  { pcre: '(?i)^x(\\w+\\s?)*$', input: `X${'a'.repeat(23)}!`, blocked: null },
  { pcre: '^(\\w+\\s?)*(?=$)', input: `${'a'.repeat(23)}!`, blocked: 'a lookaround' },
  { pcre: '^(\\w+\\s?)*\\Z', input: `${'a'.repeat(23)}!`, blocked: null },
  { pcre: '^(\\w+\\s?)*(?<!x)$', input: `${'a'.repeat(23)}!`, blocked: 'a lookaround' },
  { pcre: '^(a)(\\w+\\s?)*\\1$', input: `${'a'.repeat(24)}!`, blocked: 'a back reference' },
  { pcre: '(?i)^(a)(\\w+\\s?)*\\1$', input: `${'a'.repeat(24)}!`, blocked: 'case-insensitive matching with a back reference' },
  { pcre: '^(\\w+\\s?)*\\p{Lu}$', input: `${'a'.repeat(23)}!`, blocked: '\\p{..}' },
];

describe('linearBlocker', () => {
  it("names what keeps a pattern off V8's linear engine, exactly when V8 really does not bound it", () => {
    const translated = CASES.map(({ pcre }) => {
      const t = translateRegex(pcre, '').value;
      if (t === null) throw new Error(`${pcre} does not translate`);
      return t;
    });
    translated.forEach((t, k) => {
      const blocker = linearBlocker(t);
      if (CASES[k]!.blocked === null) expect(blocker, CASES[k]!.pcre).toBeNull();
      else expect(blocker, CASES[k]!.pcre).toContain(CASES[k]!.blocked);
    });
    // Timed in a process with the flags rulec run sets: the margin is ~500 ms against well under 1 ms.
    const script = [
      "const { enableLinearRegexFallback } = await import('rulec/runtime');",
      'enableLinearRegexFallback();',
      'const cases = JSON.parse(process.argv[1]);',
      'console.log(JSON.stringify(cases.map(([js, flags, input]) => {',
      '  const re = new RegExp(js, flags); const t0 = performance.now(); re.test(input); return performance.now() - t0;',
      '})));',
    ].join('\n');
    const input = JSON.stringify(translated.map((t, k) => [t.js, t.flags, CASES[k]!.input]));
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, input], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    const times = JSON.parse(result.stdout) as number[];
    const bounded = times.map((ms) => ms < 40);
    expect(bounded, `times: ${times.map((ms) => ms.toFixed(1)).join(', ')} ms`).toEqual(CASES.map((c) => c.blocked === null));
  }, 90_000);
});
