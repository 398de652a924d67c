/**
 * The seed documents' examples (test/fixtures/seeds/, copied verbatim by the grammar's owner)
 * check clean and their model means what the seeds say. `*-schematic.rules` files are syntax
 * illustrations and exempt. Fragments were wrapped, in the fixture itself, in the smallest
 * block or item that gives them the context the seed leaves implicit (see its README).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ActionModel, BlockModel, RegexModel } from '../../../compiler/model.js';
import { checkFiles, problems } from './check-helper.js';
import type { Checked } from './check-helper.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/seeds');
const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.rules')).sort();
const read = (name: string): string => readFileSync(join(DIR, name), 'utf8');

function checkFixture(name: string): Checked {
  return checkFiles({ [name]: read(name) }, name);
}

function regexOf(r: RegexModel): RegExp {
  return new RegExp(r.js, r.flags);
}

function argv(action: ActionModel | null): unknown {
  expect(action?.spec.shell).toBe(false);
  return action?.spec.shell === false ? action.spec.argv : null;
}

function block<K extends BlockModel['kind']>(c: Checked, kind: K): Extract<BlockModel, { kind: K }> {
  expect(c.model.blocks.map((b) => b.kind)).toEqual([kind]);
  return c.model.blocks[0] as Extract<BlockModel, { kind: K }>;
}

const sources = (groups: readonly { operands: readonly { negated: boolean; regex: RegexModel }[] }[]) =>
  groups.map((g) => g.operands.map((o) => `${o.negated ? '!~' : '=~'} ${o.regex.source}`));

describe('seed fixtures', () => {
  it('are all here', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(17);
  });

  it.each(fixtures.filter((f) => !f.endsWith('-schematic.rules')))('%s checks with no errors and no warnings', (name) => {
    const c = checkFixture(name);
    expect(problems(c).map((d) => `${c.where(d)} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('schematic illustrations are caught for what they lack', () => {
    expect(checkFixture('maillog-command-schematic.rules').only('R317').message).toBe('`command` needs a <<TAG block body');
    const block = checkFixture('maillog-block-schematic.rules');
    expect(block.codes().sort()).toEqual(['R316', 'R317']);
  });
});

describe('what the seeds mean', () => {
  it('logNOT §0.6: SSH brute force, per CRC, 5 in 30 s, block the source', () => {
    const c = checkFixture('lognot-ssh-brute-force.rules');
    expect(c.model.items.map((i) => i.name)).toEqual(['SSH_AUTH', 'SSH_IU']);
    for (const item of c.model.items) {
      expect(item).toMatchObject({ path: '/var/log/messages', key: { kind: 'crc' }, upbound: { count: 5, seconds: 30 } });
      expect(argv(item.upboundAction)).toEqual([[{ kind: 'text', text: '/root/block_source' }], [{ kind: 'capture', index: 2 }]]);
    }
    const [auth, iu] = c.model.items;
    // The regex wrapped over two lines in the seed is one pattern.
    expect(auth!.regex.source).toBe('error: PAM: Authentication failure for illegal user (.*) from (.*)$');
    expect(regexOf(auth!.regex).exec('sshd[1]: error: PAM: Authentication failure for illegal user bob from 10.0.0.9')?.[2]).toBe('10.0.0.9');
    expect(regexOf(iu!.regex).exec('Oct 1 sshd[42]: Invalid user admin from 192.0.2.7')?.slice(1)).toEqual(['admin', '192.0.2.7']);
  });

  it('logNOT §0.9.2: SSH_AUTH and SSH_IU on /var/log/messages, CRC key, 3 in 60 s', () => {
    const c = checkFixture('lognot-ssh-brute-force-15min.rules');
    expect(c.model.items.map((i) => [i.name, i.path, i.key.kind, i.upbound])).toEqual([
      ['SSH_AUTH', '/var/log/messages', 'crc', { count: 3, seconds: 60 }],
      ['SSH_IU', '/var/log/messages', 'crc', { count: 3, seconds: 60 }],
    ]);
    for (const item of c.model.items) {
      expect(argv(item.upboundAction)).toEqual([[{ kind: 'text', text: '/root/block_source' }], [{ kind: 'capture', index: 2 }]]);
    }
    expect(c.model.items[0]!.regex.source).toBe('error: PAM: Authentication failure for (.*) from (.*)$');
  });

  it('logNOT §0.9.1: every line with "error" runs the warning script with the whole line', () => {
    const c = checkFixture('lognot-system-errors.rules');
    const [item] = c.model.items;
    expect(item).toMatchObject({ name: 'messages', path: '/var/log/messages', upbound: null, key: { kind: 'none' } });
    expect(regexOf(item!.regex).test('kernel: I/O error on sda')).toBe(true);
    expect(argv(item!.upboundAction)).toEqual([[{ kind: 'text', text: '/root/scripts/email_warning' }], [{ kind: 'line' }]]);
  });

  it('logNOT §0.9.3: 100 MiB size alarm, typographic quotes read as one argument', () => {
    const c = checkFixture('lognot-log-size.rules');
    const [item] = c.model.items;
    expect(item).toMatchObject({ name: 'messages', size: 100 * 1024 * 1024, upboundAction: null });
    expect(argv(item!.sizeAction)).toEqual([
      [{ kind: 'text', text: '/root/scripts/email_warning' }],
      [{ kind: 'text', text: 'Message about log size' }],
    ]);
    expect(c.diagnostics.map((d) => d.code)).toContain('R323');
  });

  it('logNOT §0.6: iptables called directly with $2 as one argument', () => {
    const c = checkFixture('lognot-iptables-action.rules');
    expect(argv(c.model.items[0]!.upboundAction)).toEqual([
      ...['/sbin/iptables', '-I', 'SSHD', '-s'].map((text) => [{ kind: 'text', text }]),
      [{ kind: 'capture', index: 2 }],
      ...['-j', 'DROP'].map((text) => [{ kind: 'text', text }]),
    ]);
  });

  it('MailLog settings: each `set key value` of the seed is kept verbatim', () => {
    expect(checkFixture('maillog-settings.rules').model.settings).toEqual({
      pgp: "gpg -a -e -r 'you@example.com' --no-tty --batch",
      to: 'you@example.com',
      from: 'you@example.com',
      smtp: 'smtp.example.com',
      debug: '1',
    });
  });

  it('MailLog command: exec, description, attachment name', () => {
    expect(block(checkFixture('maillog-command.rules'), 'command')).toMatchObject({
      exec: 'ls -l',
      description: 'Show directory',
      mimeFile: 'ls.txt',
    });
  });

  it('MailLog monitor: dirs from one line or many, the same set', () => {
    expect(block(checkFixture('maillog-dir-lines.rules'), 'monitor').dirs).toEqual(['/patha', '/pathb', '/pathc']);
    expect(block(checkFixture('maillog-dir-one-line.rules'), 'monitor').dirs).toEqual(['/path1', '/pathb', '/pathc']);
    expect(block(checkFixture('maillog-monitor.rules'), 'monitor')).toMatchObject({
      dirs: ['/etc', '/opt', '/usr/bin', '/usr/lib', '/usr/local', '/usr/sbin'],
      description: 'MD5 sum of files',
      mimeFile: 'monitor.txt',
    });
  });

  it('MailLog watch: single ignores are OR-ed groups of one, do-groups AND their operands', () => {
    expect(sources(block(checkFixture('maillog-ignore.rules'), 'watch').ignore)).toEqual([['=~ MARK'], ['=~ Another']]);
    const doIgnore = block(checkFixture('maillog-do-ignore.rules'), 'watch');
    expect(sources(doIgnore.ignore)).toEqual([['=~ pattern', '=~ pattern 2']]);
    expect(doIgnore.filter).toEqual([]);
    const doFilter = block(checkFixture('maillog-do-filter.rules'), 'watch');
    expect(sources(doFilter.filter)).toEqual([['=~ THIS', '=~ AND', '=~ THAT']]);
    expect(doFilter.ignore).toEqual([]);
  });

  it('MailLog modules: an alias declared by `module` is a block kind with free directives', () => {
    const custom = checkFixture('maillog-custom-module.rules');
    expect(custom.model.modules).toMatchObject([{ name: 'MyModule', alias: 'custom', path: '/path/to/MyModule.pm' }]);
    expect(block(custom, 'custom').directives).toEqual([
      { name: 'directive_a', args: ['argument'] },
      { name: '...', args: [] },
      { name: 'directive_b', args: ['argument'] },
    ]);
    const alias = checkFixture('maillog-module-alias.rules');
    expect(block(alias, 'custom')).toMatchObject({ alias: 'alias', module: 'Perl::Package', directives: [1, 2, 3].map(() => ({ name: 'command', args: [] })) });
  });

  it('MailLog comments: nothing to run', () => {
    const c = checkFixture('maillog-comments.rules');
    expect([c.model.items, c.model.blocks, c.diagnostics]).toEqual([[], [], []]);
  });
});
