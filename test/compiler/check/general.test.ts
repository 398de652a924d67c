import { describe, expect, it } from 'vitest';
import { BASE, checkFiles, checkText, item, marked, problems } from './check-helper.js';

describe('[general]', () => {
  it('warns about a shell default only where an item runs under it (R312)', () => {
    const m = marked(`[general]\n<|shell = true|>\n${item(BASE, 'A')}${item(`${BASE}shell = false\n`, 'B')}`);
    const c = checkText(m.text);
    expect(c.only('R312').span).toMatchObject(m.marks[0]!);
    expect(checkText(`[general]\nshell = true\n${item(`${BASE}shell = false\n`, 'B')}`).diagnostics).toEqual([]);
  });

  it('sets engine settings with defaults', () => {
    expect(checkText(item(BASE)).model.engine).toEqual({ actionThreads: 2, uid: null, gid: null, stateDir: null });
    const c = checkText(`athread_count = 8\nuid = nobody\ngid = adm\nstate = /var/lib/rulec\n${item(BASE)}`);
    expect(problems(c)).toEqual([]);
    expect(c.model.engine).toEqual({ actionThreads: 8, uid: 'nobody', gid: 'adm', stateDir: '/var/lib/rulec' });
  });

  it('bounds athread_count to 1..64 (R306)', () => {
    const m = marked('[general]\nathread_count = <|65|>\n');
    const c = checkText(m.text);
    expect(c.only('R306').span).toMatchObject(m.marks[0]!);
    expect(c.model.engine.actionThreads).toBe(2);
  });

  it('gives defaults to every item, wherever [general] appears', () => {
    const c = checkText(
      [
        '[A]',
        'path = /var/log/a',
        'upbound_action = /bin/a $1',
        '[general]',
        'regex = user (\\S+)',
        'upbound_freq = 3/60',
        'path = /var/log/default',
        '[B]',
        'upbound_action = /bin/b',
        'regex = other',
        '',
      ].join('\n'),
    );
    expect(problems(c)).toEqual([]);
    expect(c.model.items.map((i) => [i.name, i.path, i.regex.source, i.upbound])).toEqual([
      ['A', '/var/log/a', 'user (\\S+)', { count: 3, seconds: 60 }],
      ['B', '/var/log/default', 'other', { count: 3, seconds: 60 }],
    ]);
  });

  it('reads an implicit [general] before the first section', () => {
    const c = checkText(`path = /var/log/all\nupbound_action = /bin/x\n[ONE]\nregex = a\n[TWO]\nregex = b\n`);
    expect(problems(c)).toEqual([]);
    expect(c.model.items.map((i) => i.path)).toEqual(['/var/log/all', '/var/log/all']);
  });

  it('pools every [general], implicit, explicit or included, and reports a key set twice (R314)', () => {
    const m = marked(`<|athread_count|> = 3\n${item(BASE, 'A')}source "defaults.rules"\n`);
    const c = checkFiles({
      'main.rules': m.text,
      'defaults.rules': '[general]\nrotate_wait = 30\nathread_count = 9\n',
    });
    const d = c.only('R314');
    expect(c.where(d)).toBe('defaults.rules:3:1');
    expect(d.labels?.[0]?.span).toMatchObject({ file: 'main.rules', ...m.marks[0] });
    expect(c.model.engine.actionThreads).toBe(3);
    expect(c.model.items[0]!.rotateWait).toBe(30);
  });

  it('reports a bad default once, at [general]', () => {
    const m = marked(`[general]\nupbound_freq = <|lots|>\n${item(BASE, 'A')}${item(BASE, 'B')}`);
    const c = checkText(m.text);
    expect(c.only('R303').span).toMatchObject(m.marks[0]!);
  });

  it('names the item when an inherited action does not fit its regex', () => {
    const c = checkText(`[general]\nupbound_action = /bin/x $2\n[A]\npath = /a\nregex = (x)(y)\n[B]\npath = /b\nregex = (x)\n`);
    const d = c.only('R310');
    expect(c.text(d)).toBe('$2');
    expect(d.labels?.map((l) => l.message)).toEqual(['read by item `B`']);
  });
});

describe('keys of the real logNOT that rulec does not use', () => {
  it('loads a configuration that sets them, with a warning each (R375) instead of an error', () => {
    const m = marked(`[general]\n<|logfile|> = /var/log/lognot.log\n<|tmpdir|> = /tmp\n${item(`${BASE}<|separator|> = ,\n`)}`);
    const c = checkText(m.text);
    expect(problems(c).filter((d) => d.severity === 'error')).toEqual([]);
    expect(c.diagnostics.map((d) => [d.code, d.severity, d.span.start])).toEqual(
      m.marks.map((mark) => ['R375', 'warning', mark.start]),
    );
    expect(c.diagnostics[0]!.notes).toEqual(['give the own log on the command line instead: `rulec run -l FILE`']);
    expect(c.model.items).toHaveLength(1);
  });
});
