import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MatchOperand, Statement } from '../../grammar/ast.js';
import { parse } from '../../grammar/index.js';
import { as } from '../helpers/grammar.js';

const dir = fileURLToPath(new URL('../fixtures/seeds/', import.meta.url));

function load(name: string) {
  return parse(readFileSync(dir + name, 'utf8'), name);
}

/** A compact, readable picture of what a statement means. */
function meaning(s: Statement): unknown {
  switch (s.kind) {
    case 'command':
      return ['command', s.name.value, ...s.args.map((a) => a.value)];
    case 'block':
      return ['block', s.name.value, ...s.args.map((a) => a.value), s.tag, s.body.map(meaning)];
    case 'section':
      return ['section', s.name, s.implicit, s.entries.map((e) => [e.key, e.value])];
    case 'match':
      return [s.mode, operand(s.operand)];
    case 'group':
      return ['do', s.mode, s.operands.map(operand)];
    case 'heredoc-comment':
      return ['heredoc-comment', s.tag];
  }
}

function operand(o: MatchOperand): string {
  return `${o.negated ? '!~' : '=~'} /${o.pattern}/${o.flags}`;
}

function meaningOf(name: string): unknown[] {
  return load(name).value.statements.map(meaning);
}

describe('seed fixtures', () => {
  const fixtures = readdirSync(dir).filter((f) => f.endsWith('.rules'));

  it('has every fixture the README lists', () => {
    const readme = readFileSync(dir + 'README.md', 'utf8');
    const listed = [...readme.matchAll(/^\| `([^`]+\.rules)`/gm)].map((m) => m[1]);
    expect(fixtures.sort()).toEqual(listed.sort());
    expect(fixtures).toHaveLength(18);
  });

  it.each(fixtures)('%s parses with no errors', (name) => {
    expect(load(name).diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('logNOT 0.6: two items, the wrapped regex joined into one value', () => {
    const r = load('lognot-ssh-brute-force.rules');
    expect(r.value.statements.map(meaning)).toEqual([
      ['section', 'SSH_AUTH', false, [
        ['regex', 'error: PAM: Authentication failure for illegal user (.*) from (.*)$'],
        ['path', '/var/log/messages'],
        ['usecrc', 'TRUE'],
        ['upbound_action', '/root/block_source "$2"'],
        ['upbound_freq', '5/30'],
      ]],
      ['section', 'SSH_IU', false, [
        ['regex', '\\]: Invalid user (.*) from (.*)$'],
        ['path', '/var/log/messages'],
        ['usecrc', 'TRUE'],
        ['upbound_action', '/root/block_source "$2"'],
        ['upbound_freq', '5/30'],
      ]],
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['R209', 'info']]);
  });

  it('logNOT 0.6: the iptables action, raw', () => {
    expect(meaningOf('lognot-iptables-action.rules')).toEqual([
      ['section', 'SSH_IU', false, [
        ['path', '/var/log/messages'],
        ['regex', '\\]: Invalid user (.*) from (.*)$'],
        ['upbound_action', '/sbin/iptables -I SSHD -s $2 -j DROP'],
      ]],
    ]);
  });

  it('logNOT 0.9.1: system errors', () => {
    expect(meaningOf('lognot-system-errors.rules')).toEqual([
      ['section', 'messages', false, [
        ['path', '/var/log/messages'],
        ['regex', 'error'],
        ['upbound_action', '/root/scripts/email_warning $@'],
      ]],
    ]);
  });

  it('logNOT 0.9.2: trailing spaces on headers and values are trimmed', () => {
    const item = (name: string, regex: string) => ['section', name, false, [
      ['regex', regex],
      ['path', '/var/log/messages'],
      ['usecrc', 'TRUE'],
      ['upbound_action', '/root/block_source "$2"'],
      ['upbound_freq', '3/60'],
    ]];
    expect(meaningOf('lognot-ssh-brute-force-15min.rules')).toEqual([
      item('SSH_AUTH', 'error: PAM: Authentication failure for (.*) from (.*)$'),
      item('SSH_IU', '\\]: Invalid user (.*) from (.*)$'),
    ]);
  });

  it('logNOT 0.9.3: typographic quotes stay in the raw value', () => {
    expect(meaningOf('lognot-log-size.rules')).toEqual([
      ['section', 'messages', false, [
        ['path', '/var/log/messages'],
        ['size', '100M'],
        ['size_action', '/root/scripts/email_warning \u201cMessage about log size\u201d'],
      ]],
    ]);
  });

  it('MailLog settings: quotes removed, the pgp command one word', () => {
    expect(meaningOf('maillog-settings.rules')).toEqual([
      ['command', 'set', 'pgp', "gpg -a -e -r 'you@example.com' --no-tty --batch"],
      ['command', 'set', 'to', 'you@example.com'],
      ['command', 'set', 'from', 'you@example.com'],
      ['command', 'set', 'smtp', 'smtp.example.com'],
      ['command', 'set', 'debug'],
    ]);
  });

  it('MailLog schematic examples', () => {
    expect(meaningOf('maillog-command-schematic.rules')).toEqual([['command', 'command', 'argument', 'argument two']]);
    expect(meaningOf('maillog-block-schematic.rules')).toEqual([
      ['block', 'command', '__HERE', [['command', 'Configuration', 'local', 'to', 'command']]],
    ]);
  });

  it('MailLog comments: # and a heredoc with no command', () => {
    expect(meaningOf('maillog-comments.rules')).toEqual([['heredoc-comment', '__EOC']]);
  });

  it('MailLog module alias', () => {
    const cmd = ['command', 'command'];
    expect(meaningOf('maillog-module-alias.rules')).toEqual([
      ['command', 'module', 'Perl::Package', 'alias', '/path/to/file.pm'],
      ['block', 'alias', '__HERE', [cmd, cmd, cmd]],
    ]);
  });

  it('MailLog command module', () => {
    expect(meaningOf('maillog-command.rules')).toEqual([
      ['block', 'command', '__EOC', [
        ['command', 'exec', 'ls -l'],
        ['command', 'description', 'Show directory'],
        ['command', 'mime_file', 'ls.txt'],
      ]],
    ]);
  });

  it('MailLog monitor: dir lines, one-line dir, and the full example', () => {
    expect(meaningOf('maillog-dir-lines.rules')).toEqual([
      ['block', 'monitor', '__EOM', [['command', 'dir', '/patha'], ['command', 'dir', '/pathb'], ['command', 'dir', '/pathc']]],
    ]);
    expect(meaningOf('maillog-dir-one-line.rules')).toEqual([
      ['block', 'monitor', '__EOM', [['command', 'dir', '/path1', '/pathb', '/pathc']]],
    ]);
    expect(meaningOf('maillog-monitor.rules')).toEqual([
      ['block', 'monitor', '__EOM', [
        ['command', 'mime_file', 'monitor.txt'],
        ['command', 'description', 'MD5 sum of files'],
        ['command', 'dir', '/etc'],
        ['command', 'dir', '/opt'],
        ['command', 'dir', '/usr/bin', '/usr/lib', '/usr/local', '/usr/sbin'],
      ]],
    ]);
  });

  it('MailLog watch: ignore lines and do groups', () => {
    expect(meaningOf('maillog-ignore.rules')).toEqual([
      ['block', 'watch', '__HERE', [['command', 'logfile', '/var/log/messages'], ['ignore', '=~ /MARK/'], ['ignore', '=~ /Another/']]],
    ]);
    expect(meaningOf('maillog-do-ignore.rules')).toEqual([
      ['block', 'watch', '__HERE', [['command', 'logfile', '/var/log/messages'], ['do', 'ignore', ['=~ /pattern/', '=~ /pattern 2/']]]],
    ]);
    expect(meaningOf('maillog-do-filter.rules')).toEqual([
      ['block', 'watch', '__HERE', [['command', 'logfile', '/var/log/messages'], ['do', 'filter', ['=~ /THIS/', '=~ /AND/', '=~ /THAT/']]]],
    ]);
  });

  it('MailLog custom module: declaration and block', () => {
    expect(meaningOf('maillog-custom-module.rules')).toEqual([
      ['command', 'module', 'MyModule', 'custom', '/path/to/MyModule.pm'],
      ['block', 'custom', '__MY_MODULE', [
        ['command', 'directive_a', 'argument'],
        ['command', '...'],
        ['command', 'directive_b', 'argument'],
      ]],
    ]);
  });

  it('keeps the seed lines byte for byte (trailing spaces included)', () => {
    const text = readFileSync(dir + 'lognot-ssh-brute-force-15min.rules', 'utf8');
    expect(text.startsWith('[SSH_AUTH] \n')).toBe(true);
    expect(text).toContain('usecrc=TRUE \n');
    const monitor = readFileSync(dir + 'maillog-monitor.rules', 'utf8');
    expect(monitor).toContain('                dir /etc \n');
    const block = as(load('maillog-monitor.rules').value.statements[0], 'block');
    expect(block.span.start).toBe(8);
  });
});
