import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { linearForm, originalCaptures } from '../../../compiler/regex/linear-rewrite.js';
import { runTimeForm, runTimeVerdict } from '../../../compiler/regex/run-time.js';
import { translateRegex, type TranslatedRegex } from '../../../compiler/regex/translate.js';
import { sampleLines } from '../../helpers/corpus.js';

function translated(pcre: string, flags = ''): TranslatedRegex {
  const t = translateRegex(pcre, flags).value;
  if (t === null) throw new Error(`${pcre} does not translate`);
  return t;
}

/** Patterns ending in a lookahead, as log rules write them. */
const REWRITTEN = [
  '(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)(?=\\s)',
  '(\\S+)@(\\S+)(?= )',
  '(\\w+)=(\\w+);(?!x)',
  'user (\\S+)(?=\\s+from (\\S+))',
  '(?<who>\\w+)\\s(?=(?<what>\\w+))',
  'sshd\\[\\d+\\]: (\\w+)(?![\\w.])',
  'port (\\d+)(?!\\d)',
  '(a)(?!])',
  '(?i)failed (\\S+)(?=\\s)',
  'x(?!\\S)',
];

/** Corpus lines plus lines made for the edges: at the end, a lookahead that fails, `]`, `x`. */
function lines(): string[] {
  return [
    ...sampleLines(60),
    'ip 10.0.0.1 x', 'ip 10.0.0.1', '1.2.3.4\t', 'a@b c', 'a@b', 'k=v;', 'k=v;x k2=v2;y', 'k=v;x', 'a]a', 'a]', 'a',
    'user root  from 1.2.3.4', 'user root', 'who what', 'sshd[1]: ok.', 'sshd[1]: ok', 'port 22', 'port 2222x', 'FAILED ROOT now', 'x', 'x y', 'xx',
  ];
}

describe('linearForm: a trailing lookahead rewritten into V8\'s linear-time subset', () => {
  it('gives every pattern the same matches and captures as the lookahead did, with nothing left to keep it off the linear engine', () => {
    const sample = lines();
    for (const pcre of REWRITTEN) {
      const t = translated(pcre);
      const form = linearForm(t);
      expect(form, pcre).not.toBeNull();
      expect(runTimeForm(t).blocker, pcre).toBeNull();
      const before = new RegExp(t.js, t.flags);
      const after = new RegExp(form!.js, form!.flags);
      for (const line of sample) {
        const a = before.exec(line);
        const b = after.exec(line);
        expect(b === null ? null : originalCaptures([...b], form!.lookGroup), `${pcre} on ${JSON.stringify(line)}`).toEqual(a === null ? null : [...a]);
        if (a !== null && b !== null) expect(b.groups, pcre).toEqual(a.groups);
      }
    }
  });

  it('is accepted by V8 itself with the l flag (its linear-time engine)', () => {
    const forms = REWRITTEN.map((pcre) => linearForm(translated(pcre))!).map((f) => [f.js, f.flags]);
    const script = 'const forms = JSON.parse(process.argv[1]); for (const [js, flags] of forms) new RegExp(js, flags + "l"); console.log(forms.length);';
    const run = spawnSync(process.execPath, ['--enable-experimental-regexp-engine', '-e', script, JSON.stringify(forms)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(String(REWRITTEN.length));
  });

  it('leaves what it cannot rewrite exactly: a lookahead not at the end, a lookbehind, a back reference, a negative lookahead of more than one character', () => {
    for (const pcre of ['^(?=\\w)(\\w+\\s?)*$', '(?<=x)(\\d+)', '(\\w+) \\1(?=;)', 'a(?!bc)', 'a(?=b)|c(?=d)', '(\\p{L}+)(?=@)']) {
      expect(linearForm(translated(pcre)), pcre).toBeNull();
      expect(runTimeForm(translated(pcre)).blocker, pcre).not.toBeNull();
    }
  });
});

describe('runTimeVerdict', () => {
  it("gives the seeds' `(.*) from (.*)$` shapes a verdict: they can backtrack, and the linear-time engine bounds them (R331, info)", () => {
    for (const pcre of ['error: PAM: Authentication failure for illegal user (.*) from (.*)$', '\\]: Invalid user (.*) from (.*)$']) {
      const t = translated(pcre);
      const v = runTimeVerdict(t, pcre, runTimeForm(t));
      expect(v).toMatchObject({ code: 'R331', severity: 'info' });
      expect(pcre.slice(v!.start, v!.end)).toBe('(.*)');
      expect(v!.message).toContain("inside V8's linear-time engine's subset");
    }
  });

  it('names the part that backtracks in a pattern that runs under the deadline (R330, warning)', () => {
    const cases: [string, string, string][] = [
      ['(\\p{L}+)@(\\S+)', '(\\p{L}+)', '\\p{..}'],
      ['(\\w+) \\1;', '(\\w+)', 'a back reference'],
      ['foo(?=.*bar)(\\w+)', '(?=.*bar)', 'a lookaround'],
    ];
    for (const [pcre, part, blocker] of cases) {
      const t = translated(pcre);
      const v = runTimeVerdict(t, pcre, runTimeForm(t));
      expect(v, pcre).toMatchObject({ code: 'R330', severity: 'warning' });
      expect(pcre.slice(v!.start, v!.end), pcre).toBe(part);
      expect(v!.message).toContain(blocker);
      expect(v!.message).toContain('deadline');
    }
  });

  it('says nothing about anchored patterns that read each character a bounded number of times', () => {
    for (const pcre of ['^\\w{3} [ \\d]\\d \\S+ sshd\\[\\d+\\]: Failed password for (\\S+) from ([0-9.]+) port \\d+ ssh2$', 'Failed password for (\\S+) from (\\S+)', 'sshd\\[\\d+\\](?=:)']) {
      const t = translated(pcre);
      expect(runTimeVerdict(t, pcre, runTimeForm(t)), pcre).toBeNull();
    }
  });
});
