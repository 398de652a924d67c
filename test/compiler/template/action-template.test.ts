import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../compiler/problem.js';
import { compileActionTemplate, SHELL_ACTION_WARNING } from '../../../compiler/template/action-template.js';
import type { ActionSpec, TemplatePart } from '../../../runtime/contract.js';

const T = (text: string): TemplatePart => ({ kind: 'text', text });
const C = (index: number): TemplatePart => ({ kind: 'capture', index });
const LINE: TemplatePart = { kind: 'line' };

function argv(raw: string, groupCount = 3): readonly (readonly TemplatePart[])[] {
  const r = compileActionTemplate(raw, { shell: false, groupCount });
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const v = r.value as Extract<ActionSpec, { shell: false }>;
  expect(v.shell).toBe(false);
  expect(v.source).toBe(raw);
  return v.argv;
}

/** Problems as `[code, severity, underlined text]`. */
function problems(raw: string, groupCount = 3): [string, string, string][] {
  return compileActionTemplate(raw, { shell: false, groupCount }).problems.map((p: Problem) => [p.code, p.severity, raw.slice(p.start, p.end)]);
}

/** Fills a compiled argv as the runtime does: each part fills its own word, nothing is re-read. */
function fill(words: readonly (readonly TemplatePart[])[], captures: readonly (string | undefined)[], line: string): string[] {
  return words.map((w) => w.map((p) => (p.kind === 'text' ? p.text : p.kind === 'line' ? line : (captures[p.index] ?? ''))).join(''));
}

describe('compileActionTemplate: the seed actions', () => {
  it('/root/block_source "$2"', () => {
    expect(argv('/root/block_source "$2"', 2)).toEqual([[T('/root/block_source')], [C(2)]]);
  });

  it('/sbin/iptables -I SSHD -s $2 -j DROP', () => {
    expect(argv('/sbin/iptables -I SSHD -s $2 -j DROP', 2)).toEqual([
      [T('/sbin/iptables')], [T('-I')], [T('SSHD')], [T('-s')], [C(2)], [T('-j')], [T('DROP')],
    ]);
  });

  it('/root/scripts/email_warning $@', () => {
    expect(argv('/root/scripts/email_warning $@', 0)).toEqual([[T('/root/scripts/email_warning')], [LINE]]);
  });

  it('reads the seed\'s typographic quotes as quotes, with an info', () => {
    const raw = '/root/scripts/email_warning \u201cMessage about log size\u201d';
    const r = compileActionTemplate(raw, { shell: false, groupCount: 0 });
    expect(r.value).toEqual({ shell: false, argv: [[T('/root/scripts/email_warning')], [T('Message about log size')]], source: raw });
    expect(problems(raw, 0)).toEqual([
      ['R323', 'info', '\u201c'],
      ['R323', 'info', '\u201d'],
    ]);
  });

  it('tolerates the trailing blank the seed leaves after a value', () => {
    expect(argv('/root/block_source "$2" ', 2)).toEqual([[T('/root/block_source')], [C(2)]]);
  });
});

describe('compileActionTemplate: words and substitution', () => {
  it.each([
    ['/bin/x a${1}b', [[T('/bin/x')], [T('a'), C(1), T('b')]]],
    ['/bin/x $12', [[T('/bin/x')], [C(12)]]],
    ["/bin/x '$1 and $2'", [[T('/bin/x')], [T('$1 and $2')]]],
    ['/bin/x "$@"', [[T('/bin/x')], [LINE]]],
    ['/bin/x $@x', [[T('/bin/x')], [LINE, T('x')]]],
    ['/bin/x $0', [[T('/bin/x')], [C(0)]]],
    ['/bin/x \\$1 "\\$2" \'\\$3\'', [[T('/bin/x')], [T('$1')], [T('$2')], [T('\\$3')]]],
    ['/bin/x \\\\ "\\\\" \'\\\\\'', [[T('/bin/x')], [T('\\')], [T('\\')], [T('\\\\')]]],
    ['/bin/x "a \\"b\\" \\x"', [[T('/bin/x')], [T('a "b" \\x')]]],
    ["/bin/x 'it''s' '\\x'", [[T('/bin/x')], [T('its')], [T('\\x')]]],
    ['/bin/x $ 5$ $x ${', undefined],
    ['/bin/x "" \'\'', [[T('/bin/x')], [T('')], [T('')]]],
    ['/bin/x a"b c"d', [[T('/bin/x')], [T('ab cd')]]],
    ['  /bin/x\t\ta  ', [[T('/bin/x')], [T('a')]]],
    ['/bin/x "it\'s"', [[T('/bin/x')], [T("it's")]]],
    ['/bin/x \u201cdon\u2019t\u201d', [[T('/bin/x')], [T('don\u2019t')]]],
    ['/bin/x \'$(reboot)\' \'`id`\' "\\`x\\`"', [[T('/bin/x')], [T('$(reboot)')], [T('`id`')], [T('`x`')]]],
    ['/usr/bin/logger Bob\u2019s disk', [[T('/usr/bin/logger')], [T('Bob\u2019s')], [T('disk')]]],
    ['/bin/x "disk \u201cfull\u201d"', [[T('/bin/x')], [T('disk \u201cfull\u201d')]]],
    ['/bin/x it\u2019s full', [[T('/bin/x')], [T('it\u2019s')], [T('full')]]],
    ['/bin/x \u2018it\u2019s\u2019', [[T('/bin/x')], [T('it\u2019s')]]],
    ['/bin/x *.log ~/a', [[T('/bin/x')], [T('*.log')], [T('~/a')]]],
  ] as const)('%j', (raw, expected) => {
    if (expected === undefined) {
      expect(problems(raw)).toEqual([['R328', 'warning', '$x'], ['R311', 'error', '${']]);
      return;
    }
    expect(argv(raw, 12)).toEqual(expected);
  });

  it('keeps a bare $ literal', () => {
    expect(argv('/bin/x $ 5$ $x', 0)).toEqual([[T('/bin/x')], [T('$')], [T('5$')], [T('$x')]]);
  });
});

describe('compileActionTemplate: problems', () => {
  it.each([
    ['/bin/x $3', 2, [['R310', 'error', '$3']]],
    ['/bin/x $10', 2, [['R310', 'error', '$10']]],
    ['/bin/x "${4}"', 3, [['R310', 'error', '${4}']]],
    ['/bin/x $1', 0, [['R310', 'error', '$1']]],
    ['/bin/x ${a}', 3, [['R310', 'error', '${a}']]],
    ['/bin/x ${a-b}', 3, [['R311', 'error', '${a-b}']]],
    ['/bin/x "abc', 3, [['R311', 'error', '"abc']]],
    ["/bin/x 'abc", 3, [['R311', 'error', "'abc"]]],
    ['/bin/x \u201cabc', 3, [['R323', 'info', '\u201c'], ['R311', 'error', '\u201cabc']]],
    ['/bin/x abc\\', 3, [['R311', 'error', '\\']]],
    ['', 3, [['R311', 'error', '']]],
    ['   ', 3, [['R311', 'error', '   ']]],
    ['""', 3, [['R311', 'error', '""']]],
    ["'' x", 3, [['R311', 'error', "''"]]],
    ['LANG=C /usr/bin/logger x', 3, [['R311', 'error', 'LANG=C']]],
    ['/bin/a && /bin/b', 3, [['R311', 'error', '&&']]],
    ['/bin/a x 2>&1', 3, [['R311', 'error', '>&']]],
    ['/bin/x "$(reboot)"', 3, [['R311', 'error', '$(']]],
    ['/bin/x "`id`"', 3, [['R311', 'error', '`'], ['R311', 'error', '`']]],
    ["/root/block '$2'", 3, [['R328', 'warning', '$2']]],
    ['/bin/x "$HOME/bin" $USER $$', 3, [['R328', 'warning', '$HOME'], ['R328', 'warning', '$USER'], ['R328', 'warning', '$$']]],
    ['/bin/sh -c "echo $1 >> /tmp/f"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/sudo -u www /bin/bash -o pipefail -ec "x=$2"', 3, [['R327', 'error', '$2']]],
    ['/usr/bin/env LC_ALL=C python3.11 -c $@', 3, [['R327', 'error', '$@']]],
    ['/usr/bin/awk "/$1/" /var/log/x', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/perl -lne "print $1" f', 3, [['R327', 'error', '$1']]],
    ['node -e "${3}"', 3, [['R327', 'error', '${3}']]],
    // Ways around a check that looked at an option's last letter and at the word after it only.
    ['/bin/sh -ce "echo $1"', 3, [['R327', 'error', '$1']]],
    ['/bin/bash -c -- "echo $1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/python3 "-c$1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/perl "-e$1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/node --eval="$1"', 3, [['R327', 'error', '$1']]],
    ['/bin/sh "-$1" /root/x.sh', 3, [['R327', 'error', '$1']]],
    // Programs that hand their arguments to a shell.
    ['/usr/bin/env -S "sh -c \'echo $1\'"', 3, [['R327', 'error', '$1']]],
    ['/bin/su root -c "echo $1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/flock /run/x.lock -c "echo $1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/watch -n 5 "grep $1 /var/log/x"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/ssh -p 22 fw.example /usr/local/bin/block "$1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/ssh "$1"', 3, []],
    ['/usr/bin/ssh fw.example /usr/local/bin/block -p "$1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/watch -n 5 /bin/grep -e "$1" /var/log/x', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/sudo -u www -s /usr/local/bin/block "$1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/sudo --login /usr/local/bin/block "$1"', 3, [['R327', 'error', '$1']]],
    ['/usr/bin/sudo -u www /usr/local/bin/block "$1"', 3, []],
    ['/usr/bin/flock /run/x.lock /usr/local/bin/block "$1"', 3, []],
    ['/bin/su root /usr/local/bin/block "$1"', 3, []],
    ["/usr/bin/awk '{ print $1 }' /var/log/x", 3, []],
    ["/usr/bin/awk -F : -v ip=\"$1\" '{ print ip, $2 }' f", 3, []],
    ["/bin/sh -c 'echo \"$1\" >> /tmp/f' sh \"$2\"", 3, []],
    ['/bin/sh /root/script.sh "$1"', 3, []],
    ['/usr/bin/awk -f prog.awk "$1"', 3, []],
    ['$1 --flag', 3, [['R311', 'error', '$1']]],
    ['/bin/$1', 3, [['R311', 'error', '/bin/$1']]],
    ['/bin/echo $1; rm -rf /', 3, [['R311', 'error', ';']]],
    ['/bin/echo $1 > /tmp/x', 3, [['R311', 'error', '>']]],
    ['/bin/echo $(reboot)', 3, [['R311', 'error', '('], ['R311', 'error', ')']]],
    ['/bin/echo `id`', 3, [['R311', 'error', '`'], ['R311', 'error', '`']]],
    ['/bin/echo a | sh', 3, [['R311', 'error', '|']]],
    ['/bin/echo a & b', 3, [['R311', 'error', '&']]],
    ['/bin/echo $1 # block it', 3, [['R311', 'error', '#']]],
    ['/bin/echo $1 $0', -1, [['R310', 'error', '$1'], ['R310', 'error', '$0']]],
    ['/bin/echo $@', -1, [['R310', 'error', '$@']]],
  ] as const)('%j with %i groups', (raw, groups, expected) => {
    expect(problems(raw, groups)).toEqual(expected);
    const r = compileActionTemplate(raw, { shell: false, groupCount: groups });
    expect(r.value === null).toBe(expected.some(([, severity]) => severity === 'error'));
  });

  it('keeps # inside a word and quoted', () => {
    expect(argv('/bin/x a#b "#c"')).toEqual([[T('/bin/x')], [T('a#b')], [T('#c')]]);
  });

  it('names the group count in the R310 message', () => {
    const [p] = compileActionTemplate('/bin/x $3', { shell: false, groupCount: 2 }).problems;
    expect(p!.message).toContain('only 2 capture groups');
  });
});

describe('compileActionTemplate: named groups', () => {
  const names = { host: 2, user: 1 };
  const compile = (raw: string, groupCount = 2) => compileActionTemplate(raw, { shell: false, groupCount, groupNames: names });

  it('fills ${name} and $name with the named group, as key = $name counts by it', () => {
    const r = compile('/sbin/block ${host} "$user@$host" $HOME');
    expect(r.value).toMatchObject({ argv: [[T('/sbin/block')], [C(2)], [C(1), T('@'), C(2)], [T('$HOME')]] });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['R328', 'warning']]);
  });

  it('refuses ${name} for a group the regex lacks, and any group in an action that fires without a match', () => {
    expect(compile('/sbin/block ${hots}').problems.map((p) => [p.code, p.message])).toEqual([['R310', '`${hots}` names capture group `hots`, but the regex has no group of that name']]);
    expect(compile('/sbin/alarm ${host}', -1).problems.map((p) => p.code)).toEqual(['R310']);
  });

  it("keeps a named group's $name inside single quotes as text, with a warning", () => {
    const r = compile("/bin/echo '$host and $HOME'");
    expect(r.value).toMatchObject({ argv: [[T('/bin/echo')], [T('$host and $HOME')]] });
    expect(r.problems.map((p) => [p.code, p.start, p.end])).toEqual([['R328', 11, 16]]);
  });
});

describe('compileActionTemplate: shell = true', () => {
  it('keeps the command verbatim and substitutes nothing', () => {
    const raw = '/root/block_source "$2" | logger -t rulec';
    expect(compileActionTemplate(raw, { shell: true, groupCount: 0 })).toEqual({ value: { shell: true, command: raw, source: raw }, problems: [] });
  });

  it('still refuses an empty command', () => {
    expect(compileActionTemplate(' ', { shell: true, groupCount: 0 }).value).toBeNull();
  });

  it('offers the checker the R312 wording', () => {
    expect(SHELL_ACTION_WARNING).toContain('RULEC_0');
    expect(SHELL_ACTION_WARNING).toContain('RULEC_LINE');
    expect(SHELL_ACTION_WARNING).toContain('"$RULEC_1"');
  });
});

describe('hostile log text through a compiled template', () => {
  it('reaches a real process as exactly one argument each, never substituted again', () => {
    const words = argv(`${process.execPath} -e "process.stdout.write(JSON.stringify(process.argv.slice(1)))" -- $1 "x$2y" "$@"`, 2);
    const hostile = ['$2; rm -rf / #', '`reboot` $(id) "quoted" \'single\' \\ $@'];
    const line = 'Failed password for $1 from $(touch /tmp/pwned)';
    const filled = fill(words, ['whole', ...hostile], line);
    const run = spawnSync(filled[0]!, filled.slice(1), { encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([hostile[0], `x${hostile[1]}y`, line]);
  });
  it('runs a real /bin/sh script with the capture as its argument, not as its code', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rulec-sh-idiom-'));
    try {
      const out = join(dir, 'out');
      const words = argv(`/bin/sh -c 'printf "%s" "$1" > "$2"' sh "$1" ${out}`, 1);
      const hostile = `$(touch ${dir}/pwned) \`touch ${dir}/pwned\` '; touch ${dir}/pwned`;
      const filled = fill(words, ['whole', hostile], 'line');
      const run = spawnSync(filled[0]!, filled.slice(1), { encoding: 'utf8', timeout: 10_000 });
      expect(run.status).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(hostile);
      expect(existsSync(join(dir, 'pwned'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compileActionTemplate on random input', () => {
  it('never throws and keeps spans inside the value (seeded, 3000 cases)', () => {
    let s = 11;
    const random = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['$', '@', '{', '}', '1', '0', '9', '"', "'", '\\', ' ', '\t', 'a', '/', ';', '#', '\u201c', '\u201d', '\u2018', '\u2019', '\u{1F600}'];
    let compiled = 0;
    for (let n = 0; n < 3000; n++) {
      let raw = '/bin/x ';
      const length = Math.floor(random() * 14);
      for (let i = 0; i < length; i++) raw += alphabet[Math.floor(random() * alphabet.length)];
      const r = compileActionTemplate(raw, { shell: false, groupCount: Math.floor(random() * 4) - 1 });
      for (const p of r.problems) {
        expect(p.start).toBeGreaterThanOrEqual(0);
        expect(p.end).toBeLessThanOrEqual(raw.length);
        expect(p.end).toBeGreaterThan(p.start);
      }
      if (r.value) compiled++;
      expect(r.value === null).toBe(r.problems.some((p) => p.severity === 'error'));
    }
    expect(compiled).toBeGreaterThan(300);
  });
});

describe('compileActionTemplate: messages', () => {
  it('quotes shell syntax that holds a backtick as a readable code span (R311)', () => {
    const found = compileActionTemplate('/bin/echo `;id', { shell: false, groupCount: 0 }).problems;
    expect(found.map((p) => p.message)).toContain('`` `; `` is shell syntax, but actions run without a shell; quote it to pass it as text, or set shell = true');
    const plain = compileActionTemplate('/bin/echo a;b', { shell: false, groupCount: 0 }).problems;
    expect(plain.map((p) => p.message)).toContain('`;` is shell syntax, but actions run without a shell; quote it to pass it as text, or set shell = true');
  });
});
