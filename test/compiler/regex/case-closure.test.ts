import { describe, expect, it } from 'vitest';
import { translateRegex, type TranslatedRegex } from '../../../compiler/regex/translate.js';
import { seededRandom } from '../../../compiler/seeded-random.js';

function caseless(source: string): TranslatedRegex {
  const { value, problems } = translateRegex(source, 'i');
  if (value === null) throw new Error(`${source}: ${problems.map((p) => p.message).join('; ')}`);
  return value;
}

/**
 * PCRE patterns and the same pattern in JS syntax, run with the `i` flag as the reference.
 * Letters with unusual case classes: Kelvin sign, long s, micro sign, final sigma, dotted and
 * dotless i, the titlecase ǅ, ß (whose upper case is two letters).
 */
const SINGLE: readonly (readonly [string, string])[] = [
  ...['a', 'k', 's', 'K', 'S', 'i', 'é', 'ß', 'ſ', 'µ', 'σ', 'ς', 'Σ', 'İ', 'ı', 'ǅ', 'Ǆ', 'K', 'ÿ', '1', '_'].map((c) => [c, c] as const),
  ['[a-z]', '[a-z]'],
  ['[^a-z]', '[^a-z]'],
  ['[^k]', '[^k]'],
  ['[A-Z0-9_]', '[A-Z0-9_]'],
  ['[à-ÿ]', '[à-ÿ]'],
  ['[Ѐ-ӿ]', '[Ѐ-ӿ]'],
  ['[^Ѐ-ӿa]', '[^Ѐ-ӿa]'],
  ['\\w', '\\w'],
  ['\\W', '\\W'],
  ['[^\\W\\d]', '[^\\W\\d]'],
  ['[[:alpha:]]', '[a-zA-Z]'],
  ['[[:^lower:]]', '[^a-z]'],
  ['.', '[^\\n]'],
  ['\\S', '[^\\t-\\r ]'],
  ['\\h', '[\\t \\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000]'],
];

describe('caseless patterns spelled out without the i flag', () => {
  it('match exactly the code units the i flag matches, for every BMP code unit', () => {
    for (const [pcre, js] of SINGLE) {
      const folded = caseless(`^${pcre}$`);
      expect(folded.flags, pcre).not.toContain('i');
      const mine = new RegExp(folded.js, folded.flags);
      const reference = new RegExp(`^${js}$`, 'i');
      const differ: string[] = [];
      for (let unit = 0; unit <= 0xffff; unit++) {
        const text = String.fromCharCode(unit);
        if (mine.test(text) !== reference.test(text)) differ.push(unit.toString(16));
      }
      expect(differ, `${pcre} differs from /${js}/i at these code units`).toEqual([]);
    }
  });

  it('give the same match and captures as the i flag on mixed-case text (seeded, 2000 lines per pattern)', () => {
    const patterns: readonly (readonly [string, string])[] = [
      ['Failed password for (\\S+) from (\\S+) port (\\d+)', 'Failed password for (\\S+) from (\\S+) port (\\d+)'],
      ['kernel: [^\\n]*(error|failed)', 'kernel: [^\\n]*(error|failed)'],
      ['(?<user>[a-zß]+)@([^\\s]+)\\b', '(?<user>[a-zß]+)@([^\\s]+)\\b'],
      ['^(?:sudo|su)\\b.*?(Σ|σ)', '^(?:sudo|su)\\b.*?(Σ|σ)'],
    ];
    const alphabet = [...'FfAaIiLlEeDdPpSsWwOoRrKkNnUuMmΣσςſK ', ' ', ' ', ':', '@', '1', '0', '.'];
    const words = ['failed PASSWORD for ROOT from 10.0.0.1 port 22', 'FAILED password FOR ſ FROM K PoRt 2', 'from', 'PORT', 'Kernel: disk ', 'ERROR', 'faiLED', 'SUDO ', 'su ς', 'RootSS@Host', 'ß@x '];
    const random = seededRandom(11);
    for (const [pcre, js] of patterns) {
      const folded = caseless(pcre);
      const mine = new RegExp(folded.js, folded.flags);
      const reference = new RegExp(js, 'i');
      let matched = 0;
      for (let n = 0; n < 2000; n++) {
        let line = '';
        while (line.length < 60) line += random() < 0.3 ? words[Math.floor(random() * words.length)] : alphabet[Math.floor(random() * alphabet.length)];
        const got = mine.exec(line);
        expect(got && [...got], `${pcre} on ${JSON.stringify(line)}`).toEqual(reference.exec(line) && [...reference.exec(line)!]);
        if (got !== null) matched++;
      }
      expect(matched, `${pcre} should match some lines`).toBeGreaterThan(20);
    }
  });

  it('keeps the i flag under u and with a back reference, where spelling out is not the same', () => {
    expect(caseless('\\p{Lu}x').flags).toBe('iu');
    const backref = caseless('(ab)\\1');
    expect(backref.flags).toBe('i');
    expect(new RegExp(backref.js, backref.flags).test('abAB')).toBe(true);
  });
});
