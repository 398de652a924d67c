import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lintRedos } from '../../../compiler/regex/redos.js';
import { translateRegex } from '../../../compiler/regex/translate.js';

function lint(source: string, flags = ''): ReturnType<typeof lintRedos> {
  const t = translateRegex(source, flags).value;
  if (!t) throw new Error(`untranslatable: ${source}`);
  return lintRedos(t, source);
}

// fail2ban-style sshd and Apache patterns (with <HOST> written out) and the seed's own.
const ORDINARY = [
  '(?:x(?:\\d+\\.?){1,3})+',
  'error: PAM: Authentication failure for (.*) from (.*)$',
  '\\]: Invalid user (.*) from (.*)$',
  'Failed password for (\\S+) from (\\S+)',
  '^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] "(\\S+) (\\S+)',
  'error: PAM: Authentication failure for illegal user (.*) from (.*)$',
  '^sshd\\[\\d+\\]: (?:error: PAM: )?[aA]uthentication (?:failure|error|failed) for .* from (?P<host>\\S+)( via \\S+)?\\s*$',
  '^sshd\\[\\d+\\]: Failed \\S+ for (?:invalid user )?(?P<user>.+?) from (?P<host>\\S+)(?: port \\d+)?(?: ssh\\d*)?(?: on \\S+)?\\s*$',
  '^sshd\\[\\d+\\]: Connection closed by (?:authenticating user \\S+ )?(?P<host>[\\d.]+) port \\d+ \\[preauth\\]$',
  '^sshd\\[\\d+\\]: Did not receive identification string from (?P<host>\\S+)',
  '^sshd\\[\\d+\\]: User .+ from (?P<host>\\S+) not allowed because not listed in AllowUsers',
  '^sshd\\[\\d+\\]: pam_unix\\(sshd:auth\\): authentication failure; logname=\\S* uid=\\d* euid=\\d* tty=\\S* ruser=\\S* rhost=(?P<host>\\S+)',
  '^\\[\\w{3} \\w{3} \\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)? \\d{4}\\] \\[(?:error|auth_basic:error)\\] \\[client (?P<host>[\\d.]+)(?::\\d+)?\\] user (?P<user>\\S+) (?:not found|authentication failure)',
  '^(?P<host>\\S+) - (?P<user>\\S+) \\[[^\\]]+\\] "(?:GET|POST|HEAD) (?P<path>[^ "]+) HTTP/[\\d.]+" (?P<status>\\d{3}) (?P<size>\\d+|-)',
  '^\\w{3} +\\d+ \\d\\d:\\d\\d:\\d\\d (\\S+) (\\w+)(?:\\[(\\d+)\\])?: (.*)$',
  '(?:[^,]*,)*',
  '(?:\\d{1,3}\\.){3}\\d{1,3}',
  '([\\w.-]+)@([\\w-]+\\.)+[a-z]{2,}',
  '(?:\\s+\\S+)*',
  '(GET|POST|HEAD)+',
  '(?i)invalid user (\\S+) from ([0-9a-f:.]+)',
];

// Known-bad shapes: [pattern, the sub-pattern that must be named].
const DANGEROUS: [string, string][] = [
  ['(a+)+', '(a+)+'],
  ['(\\w*\\s?)*', '(\\w*\\s?)*'],
  ['(.*,)*', '(.*,)*'],
  ['(a|a)*', '(a|a)*'],
  ['(\\w|\\d)+', '(\\w|\\d)+'],
  ['(a|ab)*', '(a|ab)*'],
  ['\\d+\\d+', '\\d+\\d+'],
  ['.*.*', '.*.*'],
  ['\\s*\\s+', '\\s*\\s+'],
  ['^(\\w+\\s?)*$', '(\\w+\\s?)*'],
  ['^(\\d+)*$', '(\\d+)*'],
  ['x(\\s*\\S+\\s*)+y', '(\\s*\\S+\\s*)+'],
  ['user=(\\d+\\.?)+ ', '(\\d+\\.?)+'],
  ['^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+$', '(([\\-.]|[_]+)?([a-zA-Z0-9]+))*'],
  ['from (\\S+)(\\S+) port', '(\\S+)(\\S+)'],
  ['(x\\d+)(\\d+y)', '(x\\d+)(\\d+y)'],
  ['^.*=.*.*$', '.*.*'],
  ['\\x{263A} (a+)+', '(a+)+'],
  ['(?i)(A|a)+b', '(A|a)+'],
  ['(?:ab{0,3}(?:S|ai$|.+?|ok{2,4}?){2,4}?(?:for){0,3})+disk', '(?:ab{0,3}(?:S|ai$|.+?|ok{2,4}?){2,4}?(?:for){0,3})+'],
];

describe('lintRedos', () => {
  it.each(ORDINARY)('stays quiet on %j', (source) => {
    expect(lint(source)).toEqual([]);
  });

  it.each(DANGEROUS)('flags %j at %j', (source, subpattern) => {
    const warnings = lint(source);
    expect(warnings.map((w) => w.subpattern)).toContain(subpattern);
    for (const w of warnings) {
      expect(source.slice(w.start, w.end)).toBe(w.subpattern);
      expect(w.message).toContain(w.subpattern);
    }
  });

  it('reports source offsets even where the JS spelling differs in length', () => {
    const source = '(?i)\\x{263A}\\h(\\d+\\.?)+';
    const [w] = lint(source);
    expect(w).toBeDefined();
    expect([w!.start, w!.end]).toEqual([source.indexOf('(\\d'), source.length]);
  });

  it('one flagged pattern really is slow in V8 (child process, bounded)', () => {
    // 24 × "a" then "!": 25 characters, 2^24 ways to split the run before failing.
    const bad = translateRegex('^(a+)+$', '').value!;
    const good = translateRegex('^(a+)$', '').value!;
    expect(lintRedos(bad, '^(a+)+$')).toHaveLength(1);
    expect(lintRedos(good, '^(a+)$')).toHaveLength(0);
    // CPU time of `runs` tests, per test: a busy machine that deschedules the child does not add
    // to it, and the fast case's average over many runs is not one timer tick.
    const cpuMsPerTest = (js: string, runs: number): number => {
      const script = `const re = new RegExp(${JSON.stringify(js)}); const s = 'a'.repeat(24) + '!';
        const t = process.cpuUsage(); for (let i = 0; i < ${runs}; i++) re.test(s); const u = process.cpuUsage(t);
        console.log((u.user + u.system) / 1000 / ${runs});`;
      const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
      if (run.error) throw run.error;
      return Number(run.stdout.trim());
    };
    const slowMs = cpuMsPerTest(bad.js, 1);
    const fastMs = cpuMsPerTest(good.js, 100_000);
    console.info(`^(a+)+$ on a 25-char input: ${slowMs.toFixed(1)} ms CPU; ^(a+)$: ${(fastMs * 1000).toFixed(3)} µs CPU`);
    expect(slowMs).toBeGreaterThan(50);
    expect(slowMs).toBeGreaterThan(fastMs * 1000);
  });
});

describe('lintRedos messages', () => {
  it('quote the sub-pattern verbatim, even with replacement-looking text', () => {
    const source = "(?:x$&|y$'|\\d+)+";
    const [w] = lint(source);
    expect(w?.subpattern).toBe(source);
    expect(w?.message).toContain(source);
  });
});
