import { describe, expect, it } from 'vitest';
import type { Statement } from '../../grammar/ast.js';
import { codes } from '../../grammar/codes.js';
import { parse } from '../../grammar/index.js';
import { MAX_BLOCK_DEPTH } from '../../grammar/to-ast.js';
import { GRAMMAR_VERSION } from '../../grammar/version.js';
import { located, parseText } from '../helpers/grammar.js';

describe('error recovery', () => {
  it('reports five different mistakes in one run, each at its line and column', () => {
    const text = [
      '[item]',
      'path = /x',
      'set to "ops@example.com',
      'watch <<W junk',
      '  ignore =~ /MARK',
      '  end',
      'W',
      'stray = 1',
      'set from ops',
    ].join('\n');
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['3:8 R102', '4:11 R105', '5:13 R104', '6:3 R203', '8:1 R202']);
    expect(r.value.statements.map((s) => s.kind)).toEqual(['section', 'command', 'block', 'command']);
  });

  it('reports stray text at the end of a line once and keeps the statement', () => {
    const text = 'ignore =~ /x/ extra words\n[a] b\nset c d\n';
    const r = parseText(text);
    expect(located(text, r.diagnostics)).toEqual(['1:15 R201', '2:5 R201']);
    expect(r.value.statements.map((s) => s.kind)).toEqual(['match', 'section', 'command']);
  });

  it('never throws and keeps spans inside the file on random input', () => {
    const pieces = [
      'set a "b', "x 'y", '<<T', 'T', 'watch <<W', 'W', '[s', '[s]', 'k = v', 'k =~', '=~ /a', '!~ /b/i', 'do',
      'do ignore', 'end', 'ignore', 'filter =~', '#', ';', '\\', '"', '\x00', '\r', '\t', '  ', 'a#b', '$@', '“q”',
      '\uD800', '\u2028', '\u00a0', '\ufeff', '=', 'x=~', '[', ']',
    ];
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const started = Date.now();
    for (let round = 0; round < 300 && Date.now() - started < 10_000; round++) {
      const lines: string[] = [];
      for (let l = next(12); l > 0; l--) {
        lines.push(Array.from({ length: next(4) + 1 }, () => pieces[next(pieces.length)]).join(next(2) ? ' ' : ''));
      }
      const text = lines.join(next(3) ? '\n' : '\r\n');
      const r = parse(text, 'fuzz.rules');
      for (const d of r.diagnostics) {
        expect(Object.keys(codes)).toContain(d.code);
        expect(d.message).not.toContain('\n');
        // The grammar has an alternative for every line, so Chevrotain's generic errors never show.
        expect(d.message).not.toMatch(/^syntax error:/);
        expect(d.span.start).toBeGreaterThanOrEqual(0);
        expect(d.span.end).toBeLessThanOrEqual(text.length);
      }
      const check = (s: Statement): void => {
        expect(s.span.start).toBeGreaterThanOrEqual(0);
        expect(s.span.end).toBeLessThanOrEqual(text.length);
        if (s.kind === 'block') s.body.forEach(check);
      };
      r.value.statements.forEach(check);
    }
  });
});

describe('limits', () => {
  it('stops reading bodies nested deeper than the limit, and says so', () => {
    const depth = MAX_BLOCK_DEPTH + 5;
    const open = Array.from({ length: depth }, (_, i) => `b${i} <<T${i}`);
    const close = Array.from({ length: depth }, (_, i) => `T${depth - 1 - i}`);
    const text = [...open, ...close].join('\n');
    const r = parseText(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['R210']);
    expect(located(text, r.diagnostics)).toEqual([`${MAX_BLOCK_DEPTH + 1}:${String(MAX_BLOCK_DEPTH).length + 3} R210`]);
  });

  it('survives thousands of unterminated nested openers without overflowing the stack', () => {
    const text = Array.from({ length: 3000 }, (_, i) => `b <<T${i}`).join('\n');
    const r = parseText(text);
    expect(r.diagnostics.filter((d) => d.code === 'R103')).toHaveLength(MAX_BLOCK_DEPTH + 1);
    expect(r.diagnostics.filter((d) => d.code === 'R210')).toHaveLength(1);
  });

  // A lexer that backtracked here would not finish within the test timeout; its speed is
  // bench/compiler-check.ts's to measure.
  it('lexes very long lines', () => {
    const text = `set ${'word '.repeat(50_000)}\n[a]\nk = ${'v'.repeat(100_000)}\n`;
    const r = parseText(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.value.statements).toHaveLength(2);
  });
});

describe('size', () => {
  // How fast is bench/compiler-check.ts's figure (goal < 1 s), not a test's.
  it('parses a 5,000-line file of every block kind', () => {
    const chunk = [
      '[item_N]',
      'path = /var/log/messages',
      'regex = Failed password for (\\S+) from (\\S+)',
      'upbound_freq = 3/60',
      'upbound_action = /usr/local/sbin/block "$2"',
      'watch <<__END',
      '    logfile "/var/log/N.log"',
      '    ignore =~ /MARK/',
      '    do ignore',
      '        =~ /sshd/',
      '        !~ /session opened/',
      '    end',
      '__END',
      'set subject \'report N\' # why',
      '',
    ];
    const lines: string[] = [];
    for (let i = 0; lines.length < 5000; i++) lines.push(...chunk.map((l) => l.replace('N', String(i))));
    const text = lines.slice(0, 5000).join('\n');
    const r = parse(text, 'big.rules');
    expect(r.diagnostics).toEqual([]);
    expect(r.value.statements.length).toBe(1000);
  });
});

describe('version', () => {
  it('exports the grammar version', () => {
    expect(GRAMMAR_VERSION).toMatch(/^\d+$/);
  });
});
