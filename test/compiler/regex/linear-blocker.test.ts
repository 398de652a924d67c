import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linearBlocker } from '../../../compiler/regex/linear-blocker.js';
import { translateRegex } from '../../../compiler/regex/translate.js';
import { REPO } from '../../cli/run-cli.js';
import { patternFrom } from './generated-patterns.js';

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
  { pcre: '^(?:(\\w+\\s?){2,9})+$', input: `${'a'.repeat(17)}!`, blocked: 'a counted repeat too large' },
  { pcre: '^(?:(\\w+\\s?){2,4})+$', input: `${'a'.repeat(23)}!`, blocked: null },
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
    // Timed in a process with the flags rulec run sets, in CPU time (a busy machine that deschedules
    // the child does not add to it): ~500 ms for the unbounded cases against well under 1 ms.
    const script = [
      "const { enableLinearRegexFallback } = await import('rulec/runtime');",
      'enableLinearRegexFallback();',
      'const cases = JSON.parse(process.argv[1]);',
      'const cpuMs = (u) => (u.user + u.system) / 1000;',
      'console.log(JSON.stringify(cases.map(([js, flags, input]) => {',
      '  const re = new RegExp(js, flags); const t0 = process.cpuUsage(); re.test(input); return cpuMs(process.cpuUsage(t0));',
      '})));',
    ].join('\n');
    const input = JSON.stringify(translated.map((t, k) => [t.js, t.flags, CASES[k]!.input]));
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, input], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    const times = JSON.parse(result.stdout) as number[];
    const bounded = times.map((ms) => ms < 40);
    expect(bounded, `CPU times: ${times.map((ms) => ms.toFixed(1)).join(', ')} ms`).toEqual(CASES.map((c) => c.blocked === null));
  }, 90_000);
});

describe('linearBlocker against V8 itself', () => {
  it('says a pattern is off the linear engine exactly when V8 refuses it with the l flag', () => {
    const patterns = [
      'a{16}', 'a{17}', 'a{15,}', 'a{16,}', 'a{2,16}?', '(?:a{4}){4}', '(?:a{4}){5}', '(?:a{8})+', '(?:a{9})+', '(?:a{16})*',
      '(?:a{17})*', '(?:a{1,8}){2,}', '(?:(?:y{2,4}){2,4})+', '(?:y{2,4}){2,4}', '(a)'.repeat(200), '\\d{1,20}', 'x(?=y)', '(a)\\1',
      '(?:ab{0,3}(?:S|ai$|.+?|ok{2,4}?){2,4}?(?:for){0,3})+disk', '^(\\S+) sshd\\[(\\d+)\\]: Failed password for (\\S+) from (\\S+)',
    ];
    let s = 7;
    const random = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const lines = readFileSync(join(REPO, '../shared/corpus/loghub/OpenSSH_2k.log'), 'utf8').split('\n').filter((l) => l !== '').slice(0, 300);
    for (const line of lines) patterns.push(patternFrom(line, random)[0]);
    const translated = patterns.flatMap((pcre) => {
      const t = translateRegex(pcre, '').value;
      return t === null || t.flags.includes('i') || t.flags.includes('u') ? [] : [t];
    });
    expect(translated.length).toBeGreaterThan(250);
    const script = [
      'const patterns = JSON.parse(process.argv[1]);',
      "console.log(JSON.stringify(patterns.map((js) => { try { new RegExp(js, 'l'); return true; } catch { return false; } })));",
    ].join('\n');
    const result = spawnSync(process.execPath, ['--enable-experimental-regexp-engine', '-e', script, JSON.stringify(translated.map((t) => t.js))], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    const v8Takes = JSON.parse(result.stdout) as boolean[];
    const disagree = translated.filter((t, k) => (linearBlocker(t) === null) !== v8Takes[k]).map((t) => t.js);
    expect(disagree).toEqual([]);
    expect(v8Takes.filter((ok) => !ok).length).toBeGreaterThan(8);
  });
});
