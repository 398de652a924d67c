/**
 * `rulec report` runs `monitor` and `watch` blocks: the real CLI code (in this process), the
 * finished message parsed with mailparser, every attachment decrypted by real gpg.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gpg } from '../helpers/gpg.js';
import { main } from '../../cli/main.js';
import { runMonitor } from '../../runtime/sources/monitor/monitor-block.js';
import { REPO, tempDir, type CliResult } from './run-cli.js';

let tmp: ReturnType<typeof tempDir>;
let gpg: Gpg;

beforeAll(() => {
  tmp = tempDir('rulec-report-scan-');
  gpg = new Gpg();
  gpg.generate('ops <you@example.com>');
  gpg.exportKey('you@example.com', join(tmp.dir, 'ops.asc'));
}, 60_000);

afterAll(() => {
  gpg?.dispose();
  tmp?.remove();
});

function ruleFile(name: string, body: string): string {
  const text = ['set pgp ops.asc', "set to 'ops@example.com'", "set from 'rulec@example.com'", 'set host web-1', body].join('\n');
  writeFileSync(join(tmp.dir, `${name}.rules`), text);
  return join(tmp.dir, `${name}.rules`);
}

async function report(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['report', ...args], { out: (t) => void (stdout += t), err: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

function decrypted(mail: ParsedMail, name: string): string {
  const attachment = mail.attachments.find((a) => a.filename === name);
  expect(attachment, `attachment ${name}`).toBeDefined();
  expect(attachment!.content.toString('latin1')).toContain('-----BEGIN PGP MESSAGE-----');
  return gpg.decrypt(attachment!.content).toString('utf8');
}

describe('rulec report with a monitor block', () => {
  it('attaches the listing of the trees, encrypted, as rulec monitor writes it', async () => {
    const tree = join(tmp.dir, 'tree');
    mkdirSync(join(tree, 'etc'), { recursive: true });
    writeFileSync(join(tree, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(join(tree, 'etc/odd\tname'), 'x');
    const rules = ruleFile('monitor', `monitor <<__EOM\n    mime_file "monitor.txt"\n    description "MD5 sum of files"\n    dir ${tree}\n__EOM\n`);
    const result = await report(rules, '--dry-run');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const mail = await simpleParser(result.stdout);
    expect(mail.attachments.map((a) => a.filename)).toEqual(['monitor.txt']);
    let expected = '';
    runMonitor({ dirs: [tree], digest: 'md5', crossFilesystems: false }, { print: (t) => void (expected += t) });
    expect(decrypted(mail, 'monitor.txt')).toBe(expected);
    expect(expected).toContain(`\t${tree}/etc/odd\\tname\n`);
  });
});

describe('rulec report with a watch block', () => {
  it('attaches the unusual lines of the log, encrypted; the seed\'s ignore, do ... end and trim as written', async () => {
    const log = join(tmp.dir, 'messages');
    writeFileSync(log, ['-- MARK --', 'sshd[1]: session opened for user root', 'sshd[1]: Failed password for root', '  padded unusual line  ', 'kernel: \x1b[31mred', ''].join('\n'));
    const rules = ruleFile(
      'watch',
      [
        '[general]',
        `state = ${join(tmp.dir, 'state')}`,
        '',
        'watch <<__END',
        `    logfile ${log}`,
        '    mime_file "messages.txt"',
        '    description "Unusual lines"',
        "    trim 'yes'",
        '    ignore =~ /MARK/',
        '    do ignore',
        '        =~ /sshd/',
        '        =~ /session opened/',
        '    end',
        '__END',
        '',
      ].join('\n'),
    );
    const result = await report(rules, '--dry-run');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const mail = await simpleParser(result.stdout);
    expect(decrypted(mail, 'messages.txt')).toBe('sshd[1]: Failed password for root\npadded unusual line\nkernel: \\x1b[31mred\n');
  });

  it('does not stall on a hostile line: an ignore regex outside V8\'s linear engine runs under the deadline, and the line is reported unjudged', async () => {
    const log = join(tmp.dir, 'hostile.log');
    const hostile = 'a'.repeat(31);
    writeFileSync(log, ['aaaa', hostile, 'kept', ''].join('\n'));
    const rules = ruleFile(
      'hostile',
      ['[general]', `state = ${join(tmp.dir, 'state')}`, '', 'watch <<__END', `    logfile ${log}`, '    mime_file "h.txt"', '    ignore =~ /^((a+)+)\\1$/', '__END', ''].join('\n'),
    );
    const result = await report(rules, '--dry-run');
    expect(result.code).toBe(0);
    const body = decrypted(await simpleParser(result.stdout), 'h.txt');
    expect(body.split('\n')).toEqual([hostile, 'kept', expect.stringMatching(/^\[rulec: 1 line is here unjudged: a pattern ran past its time bound/), '']);
  });

  it('reports a line cut at line_max, marked, unless an ignore matches it without needing its end: $-anchored ignores, lists and filters cannot hide it', async () => {
    const log = join(tmp.dir, 'long.log');
    const long = (head: string): string => `${head}${'x'.repeat(70_000)}END`;
    const cut = (head: string): string => `${long(head).slice(0, 64 * 1024)} [rulec: cut at line_max]`;
    writeFileSync(log, [long('foo'), 'foo short', long('baz'), long('keep'), 'keep', 'nope', long('neg'), ''].join('\n'));
    writeFileSync(join(tmp.dir, 'long.list'), '^foo.*$\n^baz\n^keep$\n^nope$\n');
    const block = (name: string, lines: string[]): string => ['watch <<__END', `    logfile ${log}`, `    mime_file "${name}.txt"`, ...lines.map((l) => `    ${l}`), '__END'].join('\n');
    const rules = ruleFile('long', [
      '[general]',
      `state = ${join(tmp.dir, 'state-long')}`,
      '',
      block('ignores', ['ignore =~ /^foo.*$/', 'ignore =~ /^baz/', 'ignore =~ /^keep\\z/', 'ignore =~ /^nope$/', 'do ignore', '    !~ /END$/', '    =~ /^neg/', 'end']),
      block('lists', ['ignore_from long.list']),
      block('filters', ['do filter', '    =~ /^keep$/', '    !~ /^neg/', 'end']),
      '',
    ].join('\n'));
    const result = await report(rules, '--dry-run');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const mail = await simpleParser(result.stdout);
    const note = (n: number): string => `[rulec: ${n} lines were longer than line_max ( [rulec: cut at line_max] where reported): an ignore whose match needs the line's end does not ignore them]`;
    // ^baz needs no end: it ignores the cut line. The others would see a whole line ending in END.
    expect(decrypted(mail, 'ignores.txt').split('\n')).toEqual([cut('foo'), cut('keep'), cut('neg'), note(4), '']);
    expect(decrypted(mail, 'lists.txt').split('\n')).toEqual([cut('foo'), cut('keep'), cut('neg'), note(4), '']);
    // A filter cannot tell a cut line is not one of its lines (the rest is unseen), unless a negated operand proves it.
    expect(decrypted(mail, 'filters.txt').split('\n')).toEqual([cut('foo'), cut('baz'), cut('keep'), 'keep', note(4), '']);
  });

  it('runs filters, do groups and ignore_from lists under the deadline too, on whole and on cut lines: hostile lines are reported unjudged, not stalled on', async () => {
    const log = join(tmp.dir, 'hostile-all.log');
    const hostile = 'a'.repeat(31);
    const cutHostile = 'a'.repeat(70_000);
    writeFileSync(log, ['aaaa', hostile, 'kept', cutHostile, ''].join('\n'));
    // An end anchor never matches a cut line (V8 fails `[]` at once): the patterns without one show the deadline there.
    writeFileSync(join(tmp.dir, 'hostile.list'), '^((a+)+)\\1$\n^((a+)+)\\1b\n');
    const block = (name: string, lines: string[]): string => ['watch <<__END', `    logfile ${log}`, `    mime_file "${name}.txt"`, ...lines.map((l) => `    ${l}`), '__END'].join('\n');
    const rules = ruleFile('hostile-all', [
      '[general]',
      `state = ${join(tmp.dir, 'state-hostile-all')}`,
      '',
      block('filter', ['filter =~ /^((a+)+)\\1$/']),
      block('group', ['do ignore', '    =~ /^a/', '    =~ /^((a+)+)\\1b/', 'end']),
      block('list', ['ignore_from hostile.list']),
      '',
    ].join('\n'));
    const started = Date.now();
    const result = await report(rules, '--dry-run');
    expect(result.stderr.match(/warning\[R309\]/g)).toHaveLength(2);
    expect(result.code).toBe(0);
    // Unbounded, the 31 a's alone take 2^30 steps per pattern, the cut line far more (past 120 s):
    // the bound leaves a loaded machine room, the unjudged lines below say the deadline ran.
    expect(Date.now() - started).toBeLessThan(90_000);
    const mail = await simpleParser(result.stdout);
    const cut = `${'a'.repeat(64 * 1024)} [rulec: cut at line_max]`;
    const unjudged = (n: number): RegExp => new RegExp(`^\\[rulec: ${n} lines? (?:is|are) here unjudged`);
    const cutNote = expect.stringMatching(/^\[rulec: 1 line was longer than line_max/);
    // A filter's =~ is not tried on a cut line at all: it could not drop it (see the test above).
    expect(decrypted(mail, 'filter.txt').split('\n')).toEqual(['aaaa', hostile, cut, expect.stringMatching(unjudged(1)), cutNote, '']);
    expect(decrypted(mail, 'group.txt').split('\n')).toEqual(['aaaa', hostile, 'kept', cut, expect.stringMatching(unjudged(2)), cutNote, '']);
    expect(decrypted(mail, 'list.txt').split('\n')).toEqual([hostile, 'kept', cut, expect.stringMatching(unjudged(2)), cutNote, '']);
  }, 180_000);

  it('stops before anything runs when an ignore_from list is broken (R365)', async () => {
    writeFileSync(join(tmp.dir, 'bad.list'), 'fine\n(unclosed\n');
    const rules = ruleFile('badlist', `watch <<__END\n    logfile ${join(tmp.dir, 'messages')}\n    ignore_from bad.list\n__END\n`);
    const result = await report(rules, '--dry-run');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('bad.list:2:1: error[R365]: unmatched ( or \\(');
    expect(result.stdout).toBe('');
  });
});

describe("the seed's MailLog monitor and watch examples, as written", () => {
  const seed = (name: string): string => readFileSync(join(REPO, 'test/fixtures/seeds', name), 'utf8');

  it('lists every dir of the monitor example: the same lines, over a small tree in place of the system directories', async () => {
    const root = join(tmp.dir, 'seed-root');
    const dirs = ['etc', 'opt', 'usr/bin', 'usr/lib', 'usr/local', 'usr/sbin'];
    for (const dir of dirs) {
      mkdirSync(join(root, dir), { recursive: true });
      writeFileSync(join(root, dir, 'file'), `${dir}\n`);
    }
    // Only the directory names change: ` /etc` becomes ` <root>/etc`, and so on (usr/local holds no other dir here).
    const text = seed('maillog-monitor.rules').replace(/ \/(etc|opt|usr\/\w+)/g, ` ${root}/$1`);
    expect(text.split('\n').filter((line) => line.includes(root))).toHaveLength(3);
    const result = await report(ruleFile('seed-monitor', text), '--dry-run');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const mail = await simpleParser(result.stdout);
    expect(mail.attachments.map((a) => [a.filename, a.headers.get('content-description')])).toEqual([['monitor.txt', 'MD5 sum of files']]);
    const listed = decrypted(mail, 'monitor.txt').trimEnd().split('\n').map((line) => line.split('\t')[3]);
    expect(listed).toEqual(dirs.map((dir) => `${root}/${dir}/file`));
  });

  it('runs the ignore, do ignore and do filter examples on a log', async () => {
    const log = join(tmp.dir, 'seed-messages');
    const lines = ['-- MARK --', 'Another line', 'a pattern alone', 'a pattern and pattern 2', 'THIS AND THAT', 'THIS alone', 'plain'];
    writeFileSync(log, `${lines.join('\n')}\n`);
    const blocks = ['maillog-ignore.rules', 'maillog-do-ignore.rules', 'maillog-do-filter.rules'].map((name) => seed(name).replace('logfile /var/log/messages', `logfile ${log}`));
    const named = blocks.map((text, k) => text.replace(`logfile ${log}`, `logfile ${log}\n  mime_file "seed-${k}.txt"`));
    const rules = ruleFile('seed-watch', [`[general]`, `state = ${join(tmp.dir, 'seed-state')}`, '', ...named].join('\n'));
    const result = await report(rules, '--dry-run');
    expect([result.code, result.stderr]).toEqual([0, '']);
    const mail = await simpleParser(result.stdout);
    const body = (k: number): string[] => decrypted(mail, `seed-${k}.txt`).trimEnd().split('\n');
    expect(body(0)).toEqual(['a pattern alone', 'a pattern and pattern 2', 'THIS AND THAT', 'THIS alone', 'plain']);
    expect(body(1)).toEqual(['-- MARK --', 'Another line', 'a pattern alone', 'THIS AND THAT', 'THIS alone', 'plain']);
    expect(body(2)).toEqual(['THIS AND THAT']);
  });
});
