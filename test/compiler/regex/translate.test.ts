import { describe, expect, it } from 'vitest';
import { sourceRange, translateRegex, type TranslatedRegex } from '../../../compiler/regex/translate.js';
import { seededRandom } from '../../../compiler/seeded-random.js';
import { corpusLines, sampleLines } from '../../helpers/corpus.js';
import { patternFrom } from './generated-patterns.js';
import { jsMatch, perlMatches } from './perl-oracle.js';

function ok(source: string, flags = ''): TranslatedRegex {
  const r = translateRegex(source, flags);
  expect(r.problems).toEqual([]);
  expect(r.value).not.toBeNull();
  return r.value!;
}

/** The problems as `[code, text at the span]`, so each test shows exactly what is underlined. */
function spans(source: string, flags = ''): [string, string][] {
  const r = translateRegex(source, flags);
  expect(r.value).toBeNull();
  const text = `${source}/${flags}`;
  return r.problems.map((p) => [p.code, text.slice(p.start, p.end)]);
}

// Translatable patterns, run against Perl itself on real log lines.
const DIFFERENTIAL: [string, string][] = [
  ['error: PAM: Authentication failure for (.*) from (.*)$', ''],
  ['\\]: Invalid user (.*) from (.*)$', ''],
  ['Failed password for (\\S+) from (\\S+)', ''],
  ['^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] "(\\S+) (\\S+)', ''],
  ['(?i)failed password for (?P<user>\\S+) from (?<ip>[\\d.]+)', ''],
  ['failed PASSWORD for (?:invalid user )?(\\w+)', 'i'],
  ['(?x) Failed \\  password # the verb\n  \\s for \\s (\\S+)', ''],
  ['Invalid \\s user \\ (.*) \\x20 from [ ] (.*)', 'x'],
  ['^(?<month>[[:alpha:]]{3}) +(\\d+) ([[:digit:]:]+) (\\S+) ([^[:space:]\\[]+)', ''],
  ['\\A\\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d\\b', 'm'],
  ['port (\\d+)\\z', 'm'],
  ['(\\d+)\\Z', ''],
  ['sshd\\[(\\d+)\\]: (\\w+) (\\w+)(?: (\\w+))?', ''],
  ['(\\w)\\1', ''],
  ['(?<c>[a-z])\\k<c>', ''],
  ["(?'c'[a-z])\\k'c'\\k{c}(?P=c)", ''],
  ['(\\d)\\.(\\d)\\g{-1}|(\\d)\\g3', ''],
  ['(\\w+) \\g1', ''],
  ['\\h+password\\h', ''],
  ['\\v', ''],
  ['\\V+$', ''],
  ['\\N+\\R?', ''],
  ['\\x{263A}|\\x{1F600}|\\xe9|\\x41', ''],
  ['\\p{Lu}\\p{Ll}+ \\P{L}', ''],
  ['[\\S\\h]+', ''],
  ['[^\\s\\d]{4,}', ''],
  ['\\e|\\a|\\cI|\\011|\\o{101}', ''],
  ['(?s)sshd.+port', ''],
  ['a(?s:.)b|(?m)^Dec', ''],
  ['Failed (?i)PASSWORD FOR (\\S+)', ''],
  ['(?i:FAILED|accepted) password', ''],
  ['(?i)SSHD(?-i)\\[(\\d+)\\]: (?i:[A-Z]+) user', ''],
  ['[A-Z][a-z]{2} (?i:[[:upper:]]+)\\b', ''],
  ['(?m:^Dec)', ''],
  ['[[:punct:]]{2}|[[:^alnum:][:space:]]x', ''],
  ['\\d{2,}?:(\\d{1,2})', ''],
  ['x{,2}y', ''],
  ['a{', ''],
  ['(?#comment)from (?:\\d{1,3}\\.){3}\\d{1,3}', ''],
  ['(?=.*root)(?!.*10\\.0\\.0\\.2)Failed', ''],
  ['(?<=user )\\w+(?<!root)', ''],
  ['[\\]\\[-]+', ''],
  ['[a-f-]+x', ''],
  ['.\\r', ''],
  ['\\$HOME|\\$\\(\\w+\\)', ''],
  ['\\b\\d+\\B', ''],
  ['"(\\S+) (\\S+) HTTP/1\\.[01]" (\\d{3})', ''],
];

describe('translateRegex against Perl', () => {
  const lines = sampleLines(120);
  const perl = perlMatches(DIFFERENTIAL, lines);

  it.each(DIFFERENTIAL.map((c, i) => [c[0], c[1], i] as const))('%j /%s matches and captures as Perl does', (source, flags, i) => {
    const reference = perl[i]!;
    if ('error' in reference) throw new Error(`Perl rejected the pattern: ${reference.error}`);
    const t = ok(source, flags);
    const re = new RegExp(t.js, t.flags);
    const outcomes = lines.map((line) => jsMatch(re, line));
    expect(outcomes).toEqual(reference.lines);
  });

  it('the differential table exercises matches and non-matches', () => {
    for (const [i, r] of perl.entries()) {
      if ('error' in r) continue;
      expect(r.lines.some((l) => l !== null), `pattern ${DIFFERENTIAL[i]![0]} matches something`).toBe(true);
    }
  });
});

describe('translateRegex output', () => {
  it('turns leading inline options and Perl flags into JS flags, never g or y', () => {
    expect(ok('(?i)\\p{L}').flags).toBe('iu');
    expect(ok('(?is)(a)\\1.').flags).toBe('is');
    expect(ok('(?m)(?s)^a').flags).toBe('s');
    expect(ok('(?x) a b', '').js).toBe('ab');
    expect(ok('abc', 'imsx').flags).toBe('s');
    expect(ok('(?-i)abc', 'i').flags).toBe('');
    expect(ok('abc', 'i').caseInsensitive).toBe(true);
  });

  it('adds u only when the pattern needs it, and then stays valid under u', () => {
    expect(ok('\\x{263A}-\\@\\#\\%[\\-\\d]{').flags).toBe('');
    const astral = ok('\\x{1F600}-\\@\\#\\%[\\-\\d]{\\}');
    expect(astral.flags).toBe('u');
    expect(new RegExp(astral.js, 'u').test('\u{1F600}-@#%-{}')).toBe(true);
    expect(ok('\\p{L}').flags).toBe('u');
    expect(ok('😀+').flags).toBe('u');
    expect(new RegExp(ok('😀+').js, 'u').test('😀😀')).toBe(true);
  });

  it('numbers groups as PCRE does, named groups included', () => {
    const t = ok('(a)(?<x>b)(?:c)(?P<y>d)(?=e)(e)');
    expect(t.groupCount).toBe(4);
    expect(t.groupNames).toEqual(['x', 'y']);
    expect(t.namedGroups).toEqual({ x: 2, y: 3 });
    expect(new RegExp(t.js, t.flags).exec('abcde')!.slice(1)).toEqual(['a', 'b', 'd', 'e']);
  });

  it('keeps a group named __proto__ as its own entry, not as the prototype', () => {
    const t = ok('(?<__proto__>a)(?<toString>b)');
    expect(Object.hasOwn(t.namedGroups, '__proto__')).toBe(true);
    expect(Object.entries(t.namedGroups)).toEqual([['__proto__', 1], ['toString', 2]]);
  });

  it('resolves relative and forward references', () => {
    expect(ok('(a)(b)\\g{-1}\\g{-2}').js).toBe('(a)(b)\\2\\1');
    expect(spans('(a)\\g{+1}(b)')).toEqual([['R308', '\\g{+1}']]);
    expect(ok('(a)\\g1').js).toBe('(a)\\1');
  });

  it('quotes \\Q...\\E text literally, a quantifier after \\E taking the last character', () => {
    const t = ok('\\Q[client $1.*\\E+(\\S+)\\Q]');
    expect(t.js).toBe('\\[client \\$1\\.\\*+([^\\x09-\\x0D ]+)\\]');
    expect(new RegExp(t.js).exec('[client $1.**10.0.0.1]')?.[1]).toBe('10.0.0.1');
  });

  it('refuses back references JavaScript would match as empty', () => {
    expect(spans('(a)?\\1')).toEqual([['R308', '\\1']]);
    expect(spans('(a)|b\\1')).toEqual([['R308', '\\1']]);
    expect(spans('(a\\1)')).toEqual([['R308', '\\1']]);
    expect(spans('\\k<n>(?<n>a)')).toEqual([['R308', '\\k<n>']]);
    ok('(a)+\\1');
    ok('(a)(?:b|c)\\1');
    ok('(?:(a)|b(a))(c)\\3');
    expect(spans('(?:(a)|(a))\\1')).toEqual([['R308', '\\1']]);
  });

  it('keeps a digit after a back reference from extending it', () => {
    const t = ok('(a)\\g{1}0');
    expect(new RegExp(t.js, t.flags).test('aa0')).toBe(true);
    expect(new RegExp(t.js, t.flags).test('a')).toBe(false);
  });

  it('reads \\10 as a back reference only when ten groups exist, else octal', () => {
    expect(new RegExp(ok('a\\10').js).test('a\b')).toBe(true);
    const ten = ok('(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10');
    expect(new RegExp(ten.js).test('abcdefghijj')).toBe(true);
  });

  it('writes every anchor as plain ^ or $ and drops m: a line has no newline for them to tell apart', () => {
    const t = ok('\\Aa$\\z|^b\\Z|(?m:^c$)', 'm');
    expect(t).toMatchObject({ js: '^a$$|^b$|(?:^c$)', flags: '' });
    const re = new RegExp(t.js, t.flags);
    for (const line of ['a', 'b', 'c']) expect(re.test(line)).toBe(true);
    // JavaScript's m flag would also have ended a line at \r and U+2028; PCRE does not.
    for (const line of ['xa', 'a\r', 'b\u2028', 'c\rc', 'x\u2028c']) expect(re.test(line)).toBe(false);
  });

  it('matches PCRE vertical white space for \\v, not JavaScript\'s vertical tab', () => {
    const re = new RegExp(ok('^\\v$').js);
    for (const c of ['\n', '\u000b', '\f', '\r', '\u0085', '\u2028', '\u2029']) expect(re.test(c)).toBe(true);
    expect(re.test(' ')).toBe(false);
  });

  it('maps JS offsets back to the source', () => {
    const source = '(?s)ab\\x{263A}(c)';
    const t = ok(source);
    expect(t.js).toBe('ab\\u263A(c)');
    expect(t.sourceOffset(0)).toBe(4);
    expect(t.sourceOffset(1)).toBe(5);
    expect(t.sourceOffset(2)).toBe(6);
    expect(t.sourceOffset(5)).toBe(6);
    expect(t.sourceOffset(t.js.indexOf('c'))).toBe(source.indexOf('c'));
    expect(t.sourceOffset(t.js.length)).toBe(source.length);
  });

  it('maps a letter spelled out with its cases back to the letter', () => {
    const source = '(?i)ab\\x{263A}(c)';
    const t = ok(source);
    expect(t.js).toBe('[Aa][Bb]\\u263A([Cc])');
    expect(t.sourceOffset(0)).toBe(4);
    expect(t.sourceOffset(t.js.indexOf('[Bb]') + 2)).toBe(5);
    expect(t.sourceOffset(t.js.indexOf('[Cc]'))).toBe(source.indexOf('c'));
    expect(sourceRange(t, t.js.indexOf('[Bb]'), t.js.indexOf('[Bb]') + 4)).toEqual({ start: 5, end: 6 });
  });
});

describe('translateRegex problems', () => {
  it.each([
    ['a++b', 'R308', '++'],
    ['a*+', 'R308', '*+'],
    ['a{2,3}+', 'R308', '{2,3}+'],
    ['x(?>ab)', 'R308', '(?>'],
    ['(a)(?(1)b|c)', 'R308', '(?(1)'],
    ['a(?R)?', 'R308', '(?R)'],
    ['(a)(?1)', 'R308', '(?1)'],
    ['(?<n>a)(?&n)', 'R308', '(?&n)'],
    ['(?P<n>a)(?P>n)', 'R308', '(?P>n)'],
    ['a(*SKIP)b', 'R308', '(*SKIP)'],
    ['(*UTF)a', 'R308', '(*UTF)'],
    ['\\Ga', 'R308', '\\G'],
    ['ab\\Kc', 'R308', '\\K'],
    ['\\X', 'R308', '\\X'],
    ['a\\C', 'R308', '\\C'],
    ['a(?C1)b', 'R308', '(?C1)'],
    ['a(?i)b\\p{L}', 'R308', '(?i)'],
    ['(a)(?i:b)\\1', 'R308', '(?i:'],
    ['(?i)(a)(?-i)b\\1', 'R308', '(?-i)'],
    ['a(?U)b', 'R308', '(?U)'],
    ['(?|(a)|(b))', 'R308', '(?|'],
    ['\\p{Xan}', 'R308', '\\p{Xan}'],
    ['(a)\\g<1>', 'R308', '\\g<1>'],
    ['(?=a)*', 'R308', '*'],
    ['abc', 'R308', 'g', 'g'],
    ['abc', 'R308', 'e', 'ie'],
    ['(abc', 'R307', '(abc'],
    ['abc)', 'R307', ')'],
    ['[abc', 'R307', '[abc'],
    ['[z-a]', 'R307', 'z-a'],
    ['*a', 'R307', '*'],
    ['a|+', 'R307', '+'],
    ['a{3,2}', 'R307', '{3,2}'],
    ['a**', 'R307', '*'],
    ['\\1(a)(b)\\3', 'R307', '\\3'],
    ['\\k<nope>', 'R307', '\\k<nope>'],
    ['(?<n>a)(?<n>b)', 'R307', '(?<n>'],
    ['[[:alfa:]]', 'R307', '[:alfa:]'],
    ['\\p{Klingon}', 'R307', '\\p{Klingon}'],
    ['\\y', 'R307', '\\y'],
    ['\\x{110000}', 'R307', '\\x{110000}'],
    ['[\\d-z]', 'R307', '\\d-z'],
    ['a\\', 'R307', '\\'],
    ['(?Q)', 'R307', '(?Q)'],
    ['(?#unterminated', 'R307', '(?#unterminated'],
  ])('%j: %s at %j', (source, code, text, flags = '') => {
    expect(spans(source, flags)).toContainEqual([code, text]);
  });

  it('reports every problem, sorted by position', () => {
    expect(spans('a++(?>b)\\G', 'o')).toEqual([
      ['R308', '++'],
      ['R308', '(?>'],
      ['R308', '\\G'],
      ['R308', 'o'],
    ]);
  });

  it('accepts inline options that can be rewritten exactly anywhere', () => {
    for (const source of ['a(?s).', 'a(?s:.)b', 'a(?m)^b', 'a(?x) b c', '(?i)a(?i)b', 'a(?-s:.)']) ok(source);
    expect(ok('a(?i:b)', 'i')).toMatchObject({ js: '[Aa](?:[Bb])', flags: '' });
  });

  it('never throws on hostile input', () => {
    const nasty = ['', '(', ')', '[', ']', '\\', '(?', '(?<', '(?P', '(*', '{,}', '[[:', '\\x{', '\\p{', '\\Q', '(?(', '\\g{', '\u0000', '\ud800', '(?i'];
    for (const source of nasty) {
      for (const flags of ['', 'x', 'imsx', '\u0000']) {
        const r = translateRegex(source, flags);
        expect(r.value !== null || r.problems.length > 0).toBe(true);
        for (const p of r.problems) expect(p.end).toBeGreaterThanOrEqual(p.start);
      }
    }
  });
});

describe('translateRegex on random input', () => {
  it('never throws, keeps spans in range, and only returns patterns V8 compiles (seeded, 3000 cases)', () => {
    let s = 7;
    const random = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['(', ')', '[', ']', '{', '}', '\\', '?', '*', '+', '|', '^', '$', '.', '-', ':', '<', '>', "'", '=', '!', '#', ' ', 'a', 'b', '1', '2', ',', 'P', 'k', 'g', 'x', 'Q', 'E', 'p', 'd', 's', 'i', 'R', '\u263a', '\u{1F600}'];
    let translated = 0;
    for (let n = 0; n < 3000; n++) {
      const length = 1 + Math.floor(random() * 16);
      let source = '';
      for (let i = 0; i < length; i++) source += alphabet[Math.floor(random() * alphabet.length)];
      const flags = random() < 0.2 ? 'x' : random() < 0.1 ? 'is' : '';
      const r = translateRegex(source, flags);
      for (const p of r.problems) {
        expect(p.start).toBeGreaterThanOrEqual(0);
        expect(p.end).toBeLessThanOrEqual(source.length + 1 + flags.length);
      }
      if (r.value) {
        translated++;
        expect(() => new RegExp(r.value!.js, r.value!.flags)).not.toThrow();
        expect(r.value.sourceOffset(0)).toBeLessThanOrEqual(source.length);
      }
    }
    expect(translated).toBeGreaterThan(300);
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    // As deep as the size bound (R332) lets a pattern be.
    const deep = '('.repeat(4000) + 'a' + ')'.repeat(4000);
    const r = translateRegex(deep, '');
    expect(r.value).toBeNull();
    expect(r.problems.map((p) => p.message)).toEqual(['groups nested more than 200 deep']);
    expect(translateRegex('(?(1)'.repeat(1600), '').value).toBeNull();
    expect(translateRegex('('.repeat(50_000) + 'a' + ')'.repeat(50_000), '').problems.map((p) => p.code)).toEqual(['R332']);
    const ok200 = '(?:'.repeat(150) + 'a' + ')'.repeat(150);
    expect(translateRegex(ok200, '').value?.requiredLiterals).toEqual(['a']);
  });
});

describe('translateRegex against Perl on generated patterns', () => {
  it('agrees on 300 patterns generated from real lines (seeded)', () => {
    const random = seededRandom(4242);
    const sources = corpusLines('loghub/OpenSSH_2k.log', 300).concat(corpusLines('elastic/auth.log', 300), corpusLines('loghub/Apache_2k.log', 100));
    const cases = Array.from({ length: 300 }, () => patternFrom(sources[Math.floor(random() * sources.length)]!, random));
    const lines = sampleLines(80);
    const perl = perlMatches(cases, lines);
    let matches = 0;
    cases.forEach(([source, flags], i) => {
      const reference = perl[i]!;
      if ('error' in reference) throw new Error(`Perl rejected ${source}: ${reference.error}`);
      const t = ok(source, flags);
      const re = new RegExp(t.js, t.flags);
      const outcomes = lines.map((line) => jsMatch(re, line));
      expect(outcomes, `${source} /${flags}`).toEqual(reference.lines);
      matches += outcomes.filter((o) => o !== null).length;
    });
    expect(matches).toBeGreaterThan(300);
  });
});
