import { describe, expect, it } from 'vitest';
import { checkText, marked, problems } from './check-helper.js';

describe('set', () => {
  it('keeps settings verbatim in order of first appearance, the last value winning', () => {
    const c = checkText(
      [
        'set to "ops@example.com"',
        "set pgp \"gpg -a -e -r 'you@example.com' --no-tty --batch\"",
        'set debug',
        'set subject "Report"',
        'set to other@example.com',
        '',
      ].join('\n'),
    );
    expect(problems(c)).toEqual([]);
    expect(Object.entries(c.model.settings)).toEqual([
      ['to', 'other@example.com'],
      ['pgp', "gpg -a -e -r 'you@example.com' --no-tty --batch"],
      ['debug', '1'],
      ['subject', 'Report'],
    ]);
  });

  it('reports an unknown setting with a suggestion (R319)', () => {
    const m = marked('set <|smpt|> mail.example.com\n');
    const c = checkText(m.text);
    const d = c.only('R319');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(d.notes).toEqual(['did you mean `smtp`?']);
  });

  it('reports a wrong number of values (R318)', () => {
    const m = marked('set to a@example.com <|b@example.com c|>\nset\nset from\n');
    const c = checkText(m.text);
    const found = c.diagnostics.filter((d) => d.code === 'R318');
    expect(found).toHaveLength(3);
    expect(found[0]!.span).toMatchObject(m.marks[0]!);
    expect(c.model.settings).toEqual({});
  });

  it('says "at least 1 argument", in the singular (R318)', () => {
    const c = checkText('monitor <<__EOM\n    dir\n__EOM\n');
    expect(c.only('R318').message).toBe('`dir` takes at least 1 argument, got 0');
  });
});

describe('module and custom blocks', () => {
  it('declares an alias and records a custom block', () => {
    const c = checkText(
      'module MyModule custom /path/to/MyModule.pm\ncustom <<__MY_MODULE\n    directive_a "argument"\n    directive_b x y\n__MY_MODULE\n',
    );
    expect(problems(c)).toEqual([]);
    expect(c.model.modules).toMatchObject([{ name: 'MyModule', alias: 'custom', path: '/path/to/MyModule.pm' }]);
    expect(c.model.blocks).toMatchObject([
      {
        kind: 'custom',
        alias: 'custom',
        module: 'MyModule',
        path: '/path/to/MyModule.pm',
        directives: [
          { name: 'directive_a', args: ['argument'] },
          { name: 'directive_b', args: ['x', 'y'] },
        ],
      },
    ]);
  });

  it('needs exactly three module arguments (R318)', () => {
    const c = checkText('module MyModule custom\n');
    expect(c.only('R318').message).toContain('3 arguments');
  });

  it('refuses to redefine a built-in or an alias (R324)', () => {
    const m = marked('module A <|watch|> /a.pm\nmodule B mine /b.pm\nmodule C <|mine|> /c.pm\n');
    const c = checkText(m.text);
    const found = c.diagnostics.filter((d) => d.code === 'R324');
    expect(found.map((d) => d.span)).toMatchObject(m.marks);
    expect(found[1]!.labels).toHaveLength(1);
  });

  it('reports a custom block used before its module line (R315)', () => {
    const m = marked('<|later|> <<__X\n  a b\n__X\nmodule Later later /l.pm\n');
    const c = checkText(m.text);
    const d = c.only('R315');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(d.message).toContain('before its `module` line');
  });

  it('reports an unknown block kind with a suggestion (R315)', () => {
    const c = checkText('wacth <<__W\n  logfile /x\n__W\n');
    expect(c.only('R315').notes).toEqual(['did you mean `watch`?']);
  });
});

describe('command and monitor', () => {
  it('builds a command block', () => {
    const c = checkText('command <<__EOC\n    exec \'ls -l\'\n    description "Show directory"\n    mime_file "ls.txt"\n__EOC\n');
    expect(problems(c)).toEqual([]);
    expect(c.model.blocks).toMatchObject([{ kind: 'command', exec: 'ls -l', description: 'Show directory', mimeFile: 'ls.txt' }]);
  });

  it('requires exec (R317) and knows its directives (R316 with a suggestion)', () => {
    const m = marked('<|command|> <<__EOC\n    <|descripton|> "x"\n__EOC\n');
    const c = checkText(m.text);
    expect(c.only('R317').span).toMatchObject(m.marks[0]!);
    const d = c.only('R316');
    expect(d.span).toMatchObject(m.marks[1]!);
    expect(d.notes).toEqual(['did you mean `description`?']);
    expect(c.model.blocks).toEqual([]);
  });

  it('says a block name used as a plain command needs a body (R317)', () => {
    const m = marked('<|command|> argument "argument two"\n');
    const c = checkText(m.text);
    const d = c.only('R317');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(d.message).toBe('`command` needs a <<TAG block body');
  });

  it('gathers monitor dirs from one or more lines', () => {
    const c = checkText('monitor <<__EOM\n    dir /etc\n    dir /usr/bin /usr/lib\n__EOM\n');
    expect(problems(c)).toEqual([]);
    expect(c.model.blocks).toMatchObject([{ kind: 'monitor', dirs: ['/etc', '/usr/bin', '/usr/lib'], description: null }]);
  });

  it('requires at least one dir and one-argument directives', () => {
    const m = marked('monitor <<__EOM\n    description "a" <|"b"|>\n__EOM\n');
    const c = checkText(m.text);
    expect(c.only('R317').message).toContain('`dir`');
    expect(c.only('R318').span).toMatchObject(m.marks[0]!);
  });

  it('reports a repeated single directive (R314)', () => {
    const c = checkText("command <<__EOC\n  exec 'a'\n  exec 'b'\n__EOC\n");
    const d = c.only('R314');
    expect(d.labels).toHaveLength(1);
  });
});

describe('watch', () => {
  it('builds ignore and filter groups: single lines are groups of one, do-groups AND their operands', () => {
    const c = checkText(
      [
        'watch <<__END',
        '    logfile /var/log/messages',
        '    mime_file "messages.txt"',
        "    trim 'yes'",
        '    ignore =~ /MARK/',
        '    ignore !~ /kernel/i',
        '    do ignore',
        '        =~ /sshd/',
        '        !~ /session opened/',
        '    end',
        '    filter =~ /error/',
        '__END',
        '',
      ].join('\n'),
    );
    expect(problems(c)).toEqual([]);
    const [watch] = c.model.blocks;
    expect(watch?.kind).toBe('watch');
    if (watch?.kind !== 'watch') return;
    expect(watch).toMatchObject({ logfile: '/var/log/messages', mimeFile: 'messages.txt', trim: true, description: null });
    const shape = (groups: typeof watch.ignore) => groups.map((g) => g.operands.map((o) => [o.negated, o.regex.source, o.regex.caseInsensitive]));
    expect(shape(watch.ignore)).toEqual([
      [[false, 'MARK', false]],
      [[true, 'kernel', true]],
      [
        [false, 'sshd', false],
        [true, 'session opened', false],
      ],
    ]);
    expect(shape(watch.filter)).toEqual([[[false, 'error', false]]]);
  });

  it('requires logfile and checks trim', () => {
    const m = marked("<|watch|> <<__W\n  trim <|'maybe'|>\n__W\n");
    const c = checkText(m.text);
    expect(c.only('R317').span).toMatchObject(m.marks[0]!);
    expect(c.only('R321').span).toMatchObject(m.marks[1]!);
  });

  it('refuses an empty do-group, a match line without its operator and a nested block', () => {
    const m = marked('watch <<__W\n  logfile /x\n  do <|ignore|>\n  end\n  <|ignore MARK|>\n  <|inner|> <<__I\n    exec x\n  __I\n__W\n');
    const c = checkText(m.text);
    expect(c.diagnostics.map((d) => [d.code, d.span])).toMatchObject([
      ['R317', m.marks[0]],
      ['R318', m.marks[1]],
      ['R316', m.marks[2]],
    ]);
    // The block itself is still built, without the empty group.
    expect(c.model.blocks).toMatchObject([{ kind: 'watch', ignore: [], filter: [] }]);
  });

  it('points a bad pattern inside the slashes', () => {
    const m = marked('watch <<__W\n  logfile /x\n  ignore =~ /ok <|a{2,1}|>/\n__W\n');
    const c = checkText(m.text);
    const d = c.diagnostics.find((x) => x.code === 'R307' || x.code === 'R308');
    expect(d, c.codes().join(',')).toBeDefined();
    expect(d!.span.start).toBeGreaterThanOrEqual(m.marks[0]!.start);
    expect(d!.span.end).toBeLessThanOrEqual(m.marks[0]!.end);
  });

  it('refuses match statements outside a watch block (R316)', () => {
    const m = marked('<|ignore|> =~ /x/\ncommand <<__C\n  exec ls\n  <|filter|> =~ /y/\n__C\n');
    const c = checkText(m.text);
    const found = c.diagnostics.filter((d) => d.code === 'R316');
    expect(found.map((d) => d.span)).toMatchObject(m.marks);
  });

  it('ignores heredoc comments anywhere', () => {
    const c = checkText('<<__EOC\nnot checked [at] all\n__EOC\nwatch <<__W\n  logfile /x\n  <<__C\n  bogus words\n  __C\n__W\n');
    expect(problems(c)).toEqual([]);
    expect(c.model.blocks).toHaveLength(1);
  });
});

describe('snort', () => {
  it('builds the listener with handlers', () => {
    const c = checkText('snort <<__S\n  logdir /var/log/snort\n  variant snort3\n  handler http url=http://127.0.0.1:8080/alerts timeout=5\n  handler json\n__S\n');
    expect(problems(c)).toEqual([]);
    expect(c.model.blocks).toEqual([
      {
        kind: 'snort',
        span: expect.anything(),
        logdir: '/var/log/snort',
        variant: 'snort3',
        byteOrder: 'native',
        threads: 1,
        classificationConfig: null,
        handlers: [
          { name: 'http', options: { url: 'http://127.0.0.1:8080/alerts', timeout: '5' } },
          { name: 'json', options: {} },
        ],
        rules: [],
      },
    ]);
  });

  it('defaults to snort2 and checks the variant and handler options', () => {
    expect(checkText('snort <<__S\n  logdir /l\n__S\n').model.blocks).toMatchObject([{ variant: 'snort2', handlers: [] }]);
    const m = marked('snort <<__S\n  logdir /l\n  variant <|snort4|>\n  handler http <|url|>\n__S\n');
    const c = checkText(m.text);
    expect(c.only('R321').span).toMatchObject(m.marks[0]!);
    expect(c.only('R318').span).toMatchObject(m.marks[1]!);
  });
});
