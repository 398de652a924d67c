import { describe, expect, it } from 'vitest';
import { as, located, parseText, sliceOf, statementsOf } from '../helpers/grammar.js';

describe('INI sections', () => {
  it('reads headers and entries with raw, trimmed values', () => {
    const text = '[SSH_AUTH]  \nregex= a # b ; c "q" \n  path = /var/log/messages\nupbound_freq=5/30\n';
    const s = as(statementsOf(text)[0], 'section');
    expect([s.name, s.implicit]).toEqual(['SSH_AUTH', false]);
    expect(s.entries.map((e) => [e.key, e.value])).toEqual([
      ['regex', 'a # b ; c "q"'],
      ['path', '/var/log/messages'],
      ['upbound_freq', '5/30'],
    ]);
    expect(sliceOf(text, s.nameSpan)).toBe('SSH_AUTH');
    expect(sliceOf(text, s.entries[1]!.keySpan)).toBe('path');
    expect(sliceOf(text, s.entries[1]!.valueSpan)).toBe('/var/log/messages');
    expect(sliceOf(text, s.span)).toBe(text.slice(0, -1));
  });

  it('spans a section with no entries over its header, and allows a comment after it', () => {
    const text = '[empty]   # nothing yet\n[next]\n';
    const [empty, next] = statementsOf(text);
    expect(sliceOf(text, as(empty, 'section').span)).toBe('[empty]');
    expect(as(next, 'section').entries).toEqual([]);
  });

  it('trims the name between the brackets', () => {
    expect(as(statementsOf('[ item name ]\nk=v')[0], 'section').name).toBe('item name');
  });

  it('accepts keys with dots and dashes and an empty value', () => {
    const s = as(statementsOf('[a]\nx.y-z =\n')[0], 'section');
    expect(s.entries.map((e) => [e.key, e.value])).toEqual([['x.y-z', '']]);
  });

  it('never reads `=~` as an entry', () => {
    const [m] = statementsOf('ignore =~ /x/');
    expect(as(m, 'match').operand.pattern).toBe('x');
  });

  it('puts entries at the top of the file into an implicit [general]', () => {
    const text = '; globals\nathread_count = 2\nuid=0\n[item]\npath=/x\n';
    const [general, item] = statementsOf(text);
    const g = as(general, 'section');
    expect([g.name, g.implicit, g.entries.map((e) => e.key)]).toEqual(['general', true, ['athread_count', 'uid']]);
    expect(as(item, 'section').entries.map((e) => e.value)).toEqual(['/x']);
  });

  it('ends a section at the next top-level statement', () => {
    const text = '[a]\nk=1\nset to x\n[b]\nk=2\n';
    expect(statementsOf(text).map((s) => s.kind)).toEqual(['section', 'command', 'section']);
  });

  it('reports an entry after a statement and before a header (R202)', () => {
    const text = '[a]\nk=1\nwatch <<E\n  logfile /x\nE\nlost = 1\n[b]\nk=2\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['6:1 R202']);
    expect(r.diagnostics[0]!.notes).toEqual(['start a new `[section]` header above this line']);
    expect(sliceOf(text, r.diagnostics[0]!.labels![0]!.span)).toBe('watch <<E\n  logfile /x\nE');
    const sections = r.value.statements.filter((s) => s.kind === 'section');
    expect(sections.map((s) => as(s, 'section').entries.map((e) => e.key))).toEqual([['k'], ['k']]);
  });

  it('reports top-of-file entries after a statement too (no implicit section then)', () => {
    const text = 'set a b\nk = v\n';
    expect(located(text, parseText(text).diagnostics)).toEqual(['2:1 R202']);
  });

  it('rejects INI lines inside a heredoc body (R208)', () => {
    const text = 'watch <<E\n  [x]\n  key = value\n  logfile /x\nE\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['2:3 R208', '3:3 R208']);
    expect(as(r.value.statements[0], 'block').body.map((s) => s.kind)).toEqual(['command']);
  });

  it('reports a header without `]` and an empty header', () => {
    const text = '[abc\nk=1\n[]\n';
    expect(located(text, parseText(text).diagnostics)).toEqual(['1:1 R201', '3:1 R201']);
  });
});

describe('value continuation', () => {
  it('joins a wrapped value with one space and reports it as info (R209)', () => {
    const text = '[SSH_AUTH]\n\nregex=error: PAM: Authentication failure for illegal user (.*) \nfrom (.*)$\n\npath = /x\n';
    const r = parseText(text);
    const s = as(r.value.statements[0], 'section');
    expect(s.entries.map((e) => [e.key, e.value])).toEqual([
      ['regex', 'error: PAM: Authentication failure for illegal user (.*) from (.*)$'],
      ['path', '/x'],
    ]);
    expect(sliceOf(text, s.entries[0]!.valueSpan)).toBe('error: PAM: Authentication failure for illegal user (.*) \nfrom (.*)$');
    expect(located(text, r.diagnostics)).toEqual(['4:1 R209']);
    expect(r.diagnostics[0]!.severity).toBe('info');
  });

  it('continues over several lines until a blank line', () => {
    const text = '[a]\nk = one\n  two\nthree\n\nfour five\n';
    const r = parseText(text);
    expect(as(r.value.statements[0], 'section').entries[0]!.value).toBe('one two three');
    expect(located(text, r.diagnostics)).toEqual(['3:3 R209', '4:1 R209']);
    expect(r.value.statements.map((s) => s.kind)).toEqual(['section', 'command']);
  });

  it.each([
    ['a header', '[b]'],
    ['a comment', '# note'],
    ['a ; comment', '; note'],
    ['an entry', 'other = 1'],
    ['a heredoc opener', 'thing <<X\nX'],
    ['a known word', 'set to x'],
    ['a match', 'ignore =~ /x/'],
    ['a do group', 'do ignore\n=~ /x/\nend'],
    ['a declared alias', 'custom arg'],
  ])('does not continue into %s', (_what, line) => {
    const text = `module M custom /m.pm\n[a]\nk = v\n${line}\n`;
    const r = parseText(text);
    expect(r.diagnostics.filter((d) => d.code === 'R209')).toEqual([]);
    const section = r.value.statements.find((s) => s.kind === 'section' && s.name === 'a');
    expect(as(section, 'section').entries[0]!.value).toBe('v');
  });

  it('only knows aliases declared before the entry', () => {
    const text = '[a]\nk = v\ncustom arg\nmodule M custom /m.pm\n';
    const r = parseText(text);
    expect(as(r.value.statements[0], 'section').entries[0]!.value).toBe('v custom arg');
  });
});
