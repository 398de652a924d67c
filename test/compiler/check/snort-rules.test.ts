import { describe, expect, it } from 'vitest';
import { checkText, marked } from './check-helper.js';

const problems = (c: ReturnType<typeof checkText>) => c.diagnostics.map((d) => `${d.code} ${d.message}`);

describe('rules over Snort alerts', () => {
  it('reads an INI item with `snort =` and a `rule` block into the listener of their log directory', () => {
    const c = checkText(`[FLOOD]
snort = /var/log/snort
msg = ^SCAN
sid = 498, 1000-1999, !1500
src = 10.0.0.0/8 fe80::/10 !10.1.2.3
dport = 22
proto = tcp icmpv6 17
classification = attempted-recon 3
key = $src
upbound_freq = 20/60
upbound_action = /sbin/block "$src" $dport

snort <<__S
  logdir /var/log/snort
  byte_order little
  threads 4
  rule EVERY <<__R
    priority 1
    upbound_action /usr/bin/logger -t snort "$0"
  __R
__S
`);
    expect(problems(c)).toEqual([]);
    expect(c.model.items).toEqual([]);
    const [block] = c.model.blocks;
    expect(block).toMatchObject({ kind: 'snort', logdir: '/var/log/snort', byteOrder: 'little', threads: 4 });
    const rules = block?.kind === 'snort' ? block.rules ?? [] : [];
    expect(rules.map((r) => r.name)).toEqual(['FLOOD', 'EVERY']);
    const flood = rules[0]!;
    expect(flood.key).toEqual({ kind: 'capture', index: 8 });
    expect(flood.alert).toMatchObject({
      msg: { js: '^SCAN' },
      sid: { any: [[498, 498], [1000, 1999]], not: [[1500, 1500]] },
      src: { any: [{ address: '10.0.0.0', bits: 8, family: 'ipv4' }, { address: 'fe80::', bits: 10, family: 'ipv6' }], not: [{ address: '10.1.2.3', bits: 32, family: 'ipv4' }] },
      dport: { any: [[22, 22]], not: [] },
      proto: { any: [6, 58, 17], not: [] },
      classification: { any: ['attempted-recon', '3'], not: [] },
      gid: null,
    });
    expect(flood.upboundAction?.spec).toMatchObject({ argv: [[{ kind: 'text', text: '/sbin/block' }], [{ kind: 'capture', index: 8 }], [{ kind: 'capture', index: 11 }]] });
    expect(rules[1]!.upboundAction?.spec).toMatchObject({ argv: [[{ text: '/usr/bin/logger' }], [{ text: '-t' }], [{ text: 'snort' }], [{ kind: 'capture', index: 0 }]] });
  });

  it('makes a listener with defaults for items on a directory no block names', () => {
    const c = checkText('[A]\nsnort = /l\nupbound_action = /bin/true\n');
    expect(c.model.blocks).toMatchObject([{ kind: 'snort', logdir: '/l', variant: 'snort2', handlers: [], rules: [{ name: 'A' }] }]);
  });

  it('reports bad conditions where they are (R350)', () => {
    const m = marked('[A]\nsnort = /l\nupbound_action = /bin/true\nsrc = 10.0.0.0/8, <|10.0.0.300|>\ndport = <|70000|>\nproto = <|sctp|>\n');
    const c = checkText(m.text);
    expect(c.diagnostics.map((d) => d.code)).toEqual(['R350', 'R350', 'R350']);
    c.diagnostics.forEach((d, i) => expect(d.span).toMatchObject(m.marks[i]!));
  });

  it('keeps the two kinds of item apart (R351, R352) and names apart (R353)', () => {
    const c = checkText(`[general]
snort = /l
[F]
path = /var/log/x
upbound_action = /bin/true
sid = 1
[S]
snort = /l
regex = x
size = 1M
upbound_action = /bin/true
snort <<__S
  logdir /m
  rule S <<__R
    upbound_action /bin/true
  __R
__S
`);
    expect(c.codes().sort()).toEqual(['R302', 'R351', 'R351', 'R351', 'R352', 'R353'].sort());
    expect(problems(c)).toContain('R351 `sid` is a condition on Snort alerts; this item reads a file');
    expect(problems(c)).toContain('R353 duplicate rule name `S`');
  });

  it('refuses a second block on one directory (R354) and unknown handlers and options (R355)', () => {
    const c = checkText('snort <<__A\n  logdir /l\n  handler jsn\n  handler http url=x tmeout=5\n__A\nsnort <<__B\n  logdir /l\n__B\n');
    expect(problems(c)).toEqual([
      'R355 unknown handler `jsn`',
      'R356 handler `http`: url=x must be an http:// or https:// URL',
      'R355 handler `http` has no option `tmeout`',
      'R354 a second `snort` block on /l',
    ]);
  });

  it('reads handler option values as the runtime does (R356), pointing at the value', () => {
    const c = checkText('snort <<__A\n  logdir /l\n  handler http url=ftp://x retries=many timeout=2m backoff=250\n  handler mail count=0 every=10m subject={hostname}\n__A\nset to a@example.com\nset pgp k.asc\nset smtp 127.0.0.1\n');
    expect(problems(c)).toEqual([
      'R356 handler `http`: url=ftp://x must be an http:// or https:// URL',
      'R356 handler `http`: retries=many must be a whole number from 0 to 100',
      'R356 handler `mail`: count=0 must be a whole number from 1 to 100000',
      'R356 handler `mail`: subject={hostname}: unknown placeholder {hostname}; the subject may hold {host}, {date}, {time}',
    ]);
    expect(c.text(c.diagnostics[1]!)).toBe('many');
  });

  it('refuses a mail handler in a file without the mail settings it needs (R357), wherever the `set` lines stand', () => {
    const c = checkText('snort <<__A\n  logdir /l\n  handler mail every=1h\n__A\nset to a@example.com\n');
    expect(problems(c)).toEqual(['R357 handler `mail` needs `set pgp`, `set smtp` in the rule file']);
    const ok = checkText('snort <<__A\n  logdir /l\n  handler mail every=1h\n__A\nset to a@example.com\nset pgp keys/ops.asc\nset smtp 127.0.0.1:25\n');
    expect(problems(ok)).toEqual([]);
  });

  it('lets an action and a key name the alert fields, and refuses others', () => {
    const c = checkText('[A]\nsnort = /l\nkey = $nope\nupbound_action = /bin/echo $dst ${sport} $bogus\n');
    // `$nope` names no field (R310); `$bogus` in an action is left as text, with a warning (R328).
    expect(c.codes()).toEqual(['R310', 'R328']);
  });
});
