import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate } from '../../../compiler/generate/index.js';
import { prefilterLiteral } from '../../../compiler/generate/prefilter.js';
import type { ItemModel } from '../../../compiler/model.js';
import type { RuleModule } from '../../../runtime/contract.js';
import { importGenerated } from './load-module.js';
import { item, model, regex } from './models.js';

const corpus = (name: string): string[] =>
  readFileSync(new URL(`../../../../shared/corpus/${name}`, import.meta.url), 'utf8').split('\n').filter((l) => l.length > 0);

const LOG = '/var/log/auth.log';

/** Log-like rules with the literals the translator would prove, a few without any, overlapping literals. */
const RULES: ItemModel[] = [
  item('invalid', LOG, regex('Invalid user (\\S+) from (\\S+)', '', ['Invalid user ', ' from '])),
  item('failed', LOG, regex('Failed password for (?:invalid user )?(\\S+) from (\\S+)', '', ['Failed password for ', ' from '])),
  item('break-in', LOG, regex('POSSIBLE BREAK-IN', 'i', ['possible break-in'])),
  item('pam', LOG, regex('authentication failure;.*rhost=(\\S+)', '', ['authentication failure;', 'rhost='])),
  item('any-sshd', LOG, regex('sshd\\[\\d+\\]', '', ['sshd['])),
  item('no-literal', LOG, regex('^\\w+ \\d+ [\\d:]+ (\\S+)')),
  item('session', LOG, regex('session (opened|closed)', 'i', ['session '])),
  item('abc', LOG, regex('abc', '', ['abc'])),
  item('bc', LOG, regex('bc', '', ['bc'])),
  item('xabcd', LOG, regex('xabcd', '', ['xabcd'])),
  item('c', LOG, regex('c', 'i', ['c'])),
  item('long-s', LOG, regex('user', 'iu', ['user'])),
  item('kelvin', LOG, regex('kernel', 'iu', ['kernel'])),
  item('straße', LOG, regex('straße', 'i', ['straße'])),
  item('ünï-cs', LOG, regex('ünï (\\d)', '', ['ünï '])),
  item('other-file', '/var/log/other.log', regex('Invalid', '', ['Invalid'])),
];

/** The specification the automaton implements: literal null, or its folded form inside the folded line. */
function expectedCandidates(items: readonly ItemModel[], indices: readonly number[], line: string): number[] {
  const fold = (s: string): string => s.replace(/[A-Z\u017f\u212a]/g, (c) => (c === '\u017f' ? 's' : c === '\u212a' ? 'k' : c.toLowerCase()));
  return indices.filter((i) => {
    const literal = prefilterLiteral(items[i]!);
    return literal === null || fold(line).includes(fold(literal));
  });
}

async function load(items: ItemModel[]): Promise<RuleModule> {
  return importGenerated(generate(model({ items })).value[0]!.text);
}

describe('prefilter', () => {
  it('groups items by path into sources, in order of first appearance', async () => {
    const loaded = await load(RULES);
    expect(loaded.sources.map((s) => [s.path, s.items])).toEqual([
      [LOG, RULES.map((_, i) => i).filter((i) => RULES[i]!.path === LOG)],
      ['/var/log/other.log', [RULES.length - 1]],
    ]);
  });

  it('never drops a real match and reports exactly the items whose literal occurs (corpus lines)', async () => {
    const loaded = await load(RULES);
    const source = loaded.sources[0]!;
    const lines = [
      ...corpus('loghub/OpenSSH_2k.log'),
      ...corpus('loghub/Linux_2k.log'),
      ...corpus('elastic/auth.log').slice(0, 3000),
      'xabcd abc bc C',
      'xabc',
      'ab',
      'UſER name', // U+017F folds to s under /iu
      '\u212aERNEL panic', // Kelvin sign folds to k under /iu
      'STRASSE straße STRAßE',
      'ünï 1 ÜNÏ 2',
      '',
    ];
    let realMatches = 0;
    let skipped = 0;
    for (const line of lines) {
      const candidates = source.candidates(line);
      expect(candidates).toEqual(expectedCandidates(RULES, source.items, line));
      for (const i of source.items) {
        if (loaded.items[i]!.match(line) === null) continue;
        realMatches++;
        expect(candidates, `${RULES[i]!.name} on ${JSON.stringify(line)}`).toContain(i);
      }
      skipped += source.items.length - candidates.length;
    }
    expect(realMatches).toBeGreaterThan(1000);
    expect(skipped).toBeGreaterThan(lines.length); // the prefilter really filters
  });

  it('uses no non-ASCII literal of a case-insensitive regex', () => {
    expect(prefilterLiteral(item('s', LOG, regex('straße', 'i', ['straße'])))).toBeNull();
    expect(prefilterLiteral(item('s', LOG, regex('x straße', 'i', ['straße', 'x '])))).toBe('x ');
    expect(prefilterLiteral(item('s', LOG, regex('straße', '', ['straße'])))).toBe('straße');
    expect(prefilterLiteral(item('s', LOG, regex('a+bcd', '', ['a', 'bcd'])))).toBe('bcd');
  });

  it('returns every item for every line when no item has a literal, and nothing extra when all do', async () => {
    const none = await load([item('a', LOG, regex('.*')), item('b', LOG, regex('x?'))]);
    expect(none.sources[0]!.candidates('anything')).toEqual([0, 1]);
    const all = await load([item('a', LOG, regex('foo', '', ['foo'])), item('b', LOG, regex('bar', '', ['bar']))]);
    expect(all.sources[0]!.candidates('nothing here')).toEqual([]);
    expect(all.sources[0]!.candidates('bar foo')).toEqual([0, 1]);
    expect(all.sources[0]!.candidates('BAR')).toEqual([1]); // folding only widens, the regex decides
  });
});

describe('prefilter with many distinct non-ASCII characters', () => {
  it('shares one class among them and still never drops a match', async () => {
    // 200 literals of CJK characters: far more distinct code units than the table keeps apart.
    const cjk = (i: number): string => String.fromCharCode(0x4e00 + i * 3, 0x4e01 + i * 3, 0x4e02 + i * 3);
    const items = Array.from({ length: 200 }, (_, i) => item(`cjk${i}`, LOG, regex(`${cjk(i)}(\\d+)`, '', [cjk(i)])));
    items.push(item('user', LOG, regex('user (\\S+)', 'iu', ['user '])));
    const loaded = await load(items);
    const source = loaded.sources[0]!;
    const lines = [`x ${cjk(7)}42 y`, `${cjk(199)}1${cjk(0)}2`, 'U\u017fER bob', 'plain ascii line', `${cjk(5).slice(0, 2)}9`];
    for (const line of lines) {
      const candidates = source.candidates(line);
      for (const i of source.items) if (loaded.items[i]!.match(line) !== null) expect(candidates, line).toContain(i);
    }
    expect(source.candidates('plain ascii line')).toEqual([]);
    expect(source.candidates('U\u017fER bob')).toEqual([200]);
  });
});
