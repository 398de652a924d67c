import { describe, expect, it } from 'vitest';
import { checkText, marked, problems } from './check-helper.js';

const monitor = (body: string): string => `monitor <<__EOM\n    dir /etc\n${body}__EOM\n`;
const watch = (body: string): string => `watch <<__EOW\n    logfile /var/log/syslog\n${body}__EOW\n`;
const MAIL = 'set to ops@example.com\nset pgp ops.asc\nset smtp mail.example.com\n';

describe('monitor directives', () => {
  it('defaults to MD5, no mount points, not realtime, no action', () => {
    const c = checkText(monitor(''));
    expect(problems(c)).toEqual([]);
    expect(c.model.blocks[0]).toMatchObject({ kind: 'monitor', dirs: ['/etc'], digest: 'md5', crossFilesystems: false, realtime: false, action: null });
  });

  it('reads digest, cross_filesystems, realtime and an action with $change and $path', () => {
    const c = checkText(monitor('    dir /usr/bin /usr/sbin\n    digest sha256\n    cross_filesystems yes\n    realtime yes\n    action /usr/local/bin/alert "$change" "$path"\n'));
    expect(problems(c)).toEqual([]);
    const block = c.model.blocks[0]!;
    expect(block).toMatchObject({ dirs: ['/etc', '/usr/bin', '/usr/sbin'], digest: 'sha256', crossFilesystems: true, realtime: true });
    expect(block.kind === 'monitor' && block.action).toEqual({
      shell: false,
      source: '/usr/local/bin/alert "$change" "$path"',
      argv: [[{ kind: 'text', text: '/usr/local/bin/alert' }], [{ kind: 'capture', index: 1 }], [{ kind: 'capture', index: 2 }]],
    });
  });

  it('rejects an unknown digest and a yes/no that is neither (R321)', () => {
    const m = marked(monitor('    digest <|sha1|>\n    realtime <|maybe|>\n'));
    const c = checkText(m.text);
    const found = c.diagnostics.filter((d) => d.code === 'R321');
    expect(found.map((d) => d.span)).toMatchObject(m.marks);
  });

  it('warns that an action without realtime never runs (R366)', () => {
    const m = marked(monitor('    <|action|> /bin/true\n'));
    const c = checkText(m.text);
    expect(c.only('R366').span).toMatchObject(m.marks[0]!);
  });

  it('refuses a capture the action cannot have', () => {
    const c = checkText(monitor('    realtime yes\n    action /bin/echo "$3"\n'));
    expect(c.codes()).toContain('R310');
  });
});

describe('watch directives', () => {
  it('reads ignore_from lists (several per line or lines) and every', () => {
    const c = checkText(MAIL + watch('    ignore_from /etc/logcheck/ignore.d.server /etc/local.ignore\n    ignore_from ./more\n    every 1h\n'));
    expect(problems(c)).toEqual([]);
    expect(c.model.blocks[0]).toMatchObject({ ignoreFrom: ['/etc/logcheck/ignore.d.server', '/etc/local.ignore', './more'], every: 3600 });
  });

  it('has no lists and no period by default', () => {
    expect(checkText(watch('')).model.blocks[0]).toMatchObject({ ignoreFrom: [], every: null });
  });

  it('refuses a period without the mail settings its digests need (R367)', () => {
    const m = marked(`set to ops@example.com\n${watch('    <|every 1h|>\n')}`);
    const c = checkText(m.text);
    const d = c.only('R367');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(d.message).toBe('`every` mails digests, which need `set pgp`, `set smtp` in the rule file');
  });

  it('rejects a period that is not a duration or is under a minute (R306)', () => {
    const m = marked(`${MAIL}${watch('    every <|hourly|>\n')}${watch('    every <|30s|>\n')}`);
    const c = checkText(m.text);
    const found = c.diagnostics.filter((d) => d.code === 'R306');
    expect(found.map((d) => d.span)).toMatchObject(m.marks);
  });
});
