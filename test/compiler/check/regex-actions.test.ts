import { describe, expect, it } from 'vitest';
import { BASE, checkFiles, checkText, item, marked, problems } from './check-helper.js';

describe('regexes and actions', () => {
  it('points a regex problem inside the pattern', () => {
    const m = marked(`[ITEM]\n${BASE}regex = ^user <|(?|a|b)|> done\n`);
    const c = checkText(m.text);
    const d = c.diagnostics.find((x) => x.code === 'R308' || x.code === 'R307');
    expect(d, c.codes().join(',')).toBeDefined();
    expect(d!.span.start).toBeGreaterThanOrEqual(m.marks[0]!.start);
    expect(d!.span.end).toBeLessThanOrEqual(m.marks[0]!.end);
    expect(c.model.items).toEqual([]);
  });

  it('follows a regex continued on the next line to the exact sub-span', () => {
    const c = checkText('[ITEM]\npath = /x\nregex = error: PAM: failure for (.*)\n   from (a++) port\nupbound_action = /bin/x $9\n');
    const d = c.only('R308');
    expect([c.where(d), c.text(d)]).toEqual(['main.rules:4:11', '++']);
    // The group count of a broken regex is unknown: no capture error piles onto it.
    expect(problems(c).map((x) => x.code)).toEqual(['R308']);
  });

  it('points a bad flag of a match operand at the flag', () => {
    const m = marked('watch <<__W\n  logfile /x\n  ignore =~ /MARK/i<|g|>\n__W\n');
    const c = checkText(m.text);
    expect(c.only('R308').span).toMatchObject(m.marks[0]!);
  });

  it('reports problems of an included file in that file', () => {
    const c = checkFiles({
      'main.rules': `${item(BASE, 'MAIN')}source "inc/more.rules"\n`,
      'inc/more.rules': '[MORE]\npath = /y\nupbound_action = /bin/y\nupbound_freq = 3/z\n',
    });
    expect(c.diagnostics.map((d) => `${c.where(d)} ${d.code}`)).toEqual(['inc/more.rules:4:18 R303']);
  });

  it('warns about catastrophic backtracking naming the sub-pattern (R309)', () => {
    const c = checkText(item(`${BASE}regex = ^(a+)+$\n`));
    const d = c.only('R309');
    expect(d.severity).toBe('warning');
    expect(d.message).toContain('(a+)+');
    expect(c.text(d)).toContain('a+');
    expect(d.message).toMatch(/at run time V8's linear-time engine takes over a match that backtracks too long$/);
  });

  it('says in R309 when the pattern runs under the deadline at run time, and why', () => {
    const d = checkText(item(`${BASE}regex = ^(?=a)(a+)+b\n`)).only('R309');
    expect(d.message).toMatch(/a lookaround keeps it off V8's linear-time engine, so at run time it runs under a 25 ms deadline per line: a line that takes longer is abandoned, counted and logged$/);
  });

  it('rewrites a trailing lookahead so the linear-time engine bounds it, and says so where it warns', () => {
    const d = checkText(item(`${BASE}regex = ^(a+)+(?=b)\n`)).only('R309');
    expect(d.message).toMatch(/at run time V8's linear-time engine takes over a match that backtracks too long$/);
  });

  it('warns (R330) naming the part that backtracks in a pattern kept off the linear-time engine, and informs (R331) on the seeds\' shape', () => {
    const warned = checkText(item(`${BASE}regex = ^mail (\\p{L}+)@(\\S+)\n`));
    expect(problems(warned).map((x) => x.code)).toEqual([]);
    const c = checkText(item(`${BASE}regex = (\\p{L}+)@(\\S+)\n`));
    const d = c.only('R330');
    expect(d.severity).toBe('warning');
    expect(c.text(d)).toBe('(\\p{L}+)');
    const seed = checkText(item(`${BASE}regex = \\]: Invalid user (.*) from (.*)$\n`));
    const info = seed.only('R331');
    expect(info.severity).toBe('info');
    expect(seed.text(info)).toBe('(.*)');
  });

  it('refuses a pattern of 30,000 capturing groups at once, and one longer than 8,192 characters (R332)', () => {
    const started = Date.now();
    const groups = checkText(item(`${BASE}regex = x${'(a)'.repeat(2000)}\n`));
    expect(groups.only('R332').message).toBe('regex too large: 2,000 capturing groups (at most 1,000)');
    const long = checkText(item(`${BASE}regex = ${'(a)'.repeat(30_000)}\n`));
    const d = long.only('R332');
    expect(d.message).toBe('regex too large: 90,000 characters (at most 8,192)');
    // The span starts where the limit is passed.
    expect(long.text(d)).toHaveLength(90_000 - 8192);
    expect(long.model.items).toEqual([]);
    // Generous: it took over 60 s before; here both fail in well under a second.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('accepts 1,000 capturing groups', () => {
    expect(problems(checkText(item(`${BASE}regex = ${'(a)'.repeat(1000)}\n`)))).toEqual([]);
  });

  it('reports $N beyond the groups at the exact `$N` (R310)', () => {
    const m = marked(`[ITEM]\npath = /x\nregex = from (\\S+)\nupbound_action = /bin/block $1 <|$3|>\n`);
    const c = checkText(m.text);
    const d = c.only('R310');
    expect(d.span).toMatchObject(m.marks[0]!);
    expect(c.model.items[0]!.upboundAction).toBeNull();
  });

  it('fills a named group by its name in an action, and points at a name the regex lacks (R310)', () => {
    const ok = checkText('[ITEM]\npath = /x\nregex = for (?P<user>\\S+) from (?<host>\\S+)\nupbound_action = /sbin/block ${host} $user\n');
    expect(problems(ok)).toEqual([]);
    expect(ok.model.items[0]!.upboundAction?.spec).toMatchObject({ argv: [[{ text: '/sbin/block' }], [{ kind: 'capture', index: 2 }], [{ kind: 'capture', index: 1 }]] });
    const m = marked('[ITEM]\npath = /x\nregex = from (?<host>\\S+)\nupbound_action = /sbin/block <|${hots}|>\n');
    const c = checkText(m.text);
    expect(c.only('R310').span).toMatchObject(m.marks[0]!);
  });

  it('refuses captures in down-bound and size actions', () => {
    const m = marked('[ITEM]\npath = /x\nregex = (a)\ndownbound_freq = 1/60\ndownbound_action = /bin/x <|$1|>\nsize = 1K\nsize_action = /bin/y <|$@|>\n');
    const c = checkText(m.text);
    const found = c.diagnostics.filter((d) => d.code === 'R310');
    expect(found.map((d) => d.span)).toMatchObject(m.marks);
  });

  it('reports an unterminated quote in an action (R311)', () => {
    const c = checkText(item('path = /x\nupbound_action = /bin/x "open\n'));
    expect(c.only('R311').severity).toBe('error');
  });

  it('reads typographic quotes as ASCII quotes with an info (R323)', () => {
    const c = checkText(item('path = /x\nsize = 1M\nsize_action = /bin/warn “about size”\n'));
    expect(problems(c)).toEqual([]);
    const infos = c.diagnostics.filter((d) => d.code === 'R323');
    expect(infos.map((d) => [d.severity, c.text(d)])).toEqual([
      ['info', '“'],
      ['info', '”'],
    ]);
    expect(c.model.items[0]!.sizeAction?.spec).toMatchObject({
      argv: [[{ kind: 'text', text: '/bin/warn' }], [{ kind: 'text', text: 'about size' }]],
    });
  });
});
