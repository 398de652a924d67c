import { describe, expect, it } from 'vitest';
import { generate } from '../../../compiler/generate/index.js';
import { sourceLiterals } from '../../../compiler/generate/prefilter.js';
import type { ItemModel } from '../../../compiler/model.js';
import type { RuleModule } from '../../../runtime/contract.js';
import { Prefilter } from '../../../runtime/prefilter/prefilter.js';
import { prefilterSampleLines } from '../../helpers/corpus.js';
import { importGenerated, syntaxErrors } from './load-module.js';
import { item, model, regex } from './models.js';


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
  const literals = sourceLiterals(indices.map((i) => items[i]!));
  return indices.filter((_, k) => {
    const literal = literals[k]!;
    return literal === null || fold(line).includes(fold(literal));
  });
}

/** The literal of a lone item: its source holds nothing else. */
const literalOf = (one: ItemModel): string | null => sourceLiterals([one])[0]!;

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
    // The module carries data only: one literal (or null) per item of the source.
    expect(loaded.sources[0]!.literals).toEqual(sourceLiterals(loaded.sources[0]!.items.map((i) => RULES[i]!)));
    expect(loaded.sources[1]!.literals).toEqual(['Invalid']);
  });

  it('with the runtime automaton, never drops a real match and reports exactly the items whose literal occurs (corpus lines)', async () => {
    const loaded = await load(RULES);
    const source = loaded.sources[0]!;
    const prefilter = new Prefilter(source.items, source.literals);
    const lines = prefilterSampleLines();
    let realMatches = 0;
    let skipped = 0;
    for (const line of lines) {
      const candidates = prefilter.candidates(line);
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
    expect(literalOf(item('s', LOG, regex('straße', 'i', ['straße'])))).toBeNull();
    expect(literalOf(item('s', LOG, regex('x straße', 'i', ['straße', 'x '])))).toBe('x ');
    expect(literalOf(item('s', LOG, regex('straße', '', ['straße'])))).toBe('straße');
    expect(literalOf(item('s', LOG, regex('a+bcd', '', ['a', 'bcd'])))).toBe('bcd');
  });

  it('gives an item a literal no other item of its source requires, when one is long enough', () => {
    const opened = item('opened', LOG, regex('session opened for user (\\S+) by \\(uid=(\\S+)\\)', '', ['session opened for user ', ' by (uid=', ')']));
    const login = item('login', LOG, regex('session opened for user (\\S+) by LOGIN\\(uid=(\\S+)\\)', '', ['session opened for user ', ' by LOGIN(uid=', ')']));
    const root = item('root', LOG, regex('Failed password for root from (\\S+)', '', ['Failed password for root from ']));
    const failed = item('failed', LOG, regex('Failed password for (\\S+) from (\\S+) port', 'i', ['failed password for ', ' from ', ' port']));
    const pid = item('pid', LOG, regex('sshd\\[(\\d+)\\]: (\\S+)', '', ['sshd[', ']: ']));
    // opened and login share their longest literal, so each takes the other one it has; failed's
    // longest lies inside root's (ignoring case), but its others are short words, so it keeps it.
    expect(sourceLiterals([opened, login, root, failed, pid])).toEqual([' by (uid=', ' by LOGIN(uid=', 'Failed password for root from ', 'failed password for ', 'sshd[']);
    // Not for a literal shorter than the source's shortest (every line would be probed more often).
    expect(sourceLiterals([opened, login, root])).toEqual(['session opened for user ', 'session opened for user ', 'Failed password for root from ']);
    // Alone, every item takes its longest.
    expect([opened, login, root, failed, pid].map(literalOf)).toEqual(['session opened for user ', 'session opened for user ', 'Failed password for root from ', 'failed password for ', 'sshd[']);
    // Equal items keep their shared literal: neither has one of its own.
    expect(sourceLiterals([opened, opened])).toEqual(['session opened for user ', 'session opened for user ']);
  });

  it('does not count a literal as shared because it runs across two of another item\'s literals', () => {
    const a = item('a', LOG, regex('abcdefghij.klmnopqrst', '', ['abcdefghij', 'klmnopqrst']));
    const b = item('b', LOG, regex('ij\\x00klmnopq.uvwxyzuvwx', '', ['ij\u0000klmnopq', 'uvwxyzuvwx']));
    // Joined, a's two literals read `abcdefghij\0klmnopqrst`: b's longest occurs there, across the NUL.
    expect(sourceLiterals([a, b])).toEqual(['abcdefghij', 'ij\u0000klmnopq']);
  });
});

describe('prefilter literal table with hostile literals', () => {
  it('carries each literal byte for byte as a plain string, and the runtime finds it', async () => {
    const hostile = ['quote " and \' and `', 'back\\slash \\n', '${process.exit(7)}', '*/ /* // <!--', 'new\nline\r\n', 'sep\u2028ara\u2029tor', '\u0000nul', "'); process.exit(8); ('", 'emoji 😀 \uD83D'];
    // Case-sensitive regexes that are the literal itself, so the literal is truly required.
    const escape = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&');
    const items = hostile.map((text, i) => item(`h${i}`, LOG, regex(escape(text), '', [text])));
    const text = generate(model({ items })).value[0]!.text;
    expect(syntaxErrors(text)).toEqual([]);
    expect(text).not.toMatch(/[\u2028\u2029]/);
    const loaded = await load(items);
    const source = loaded.sources[0]!;
    expect(source.literals).toEqual(hostile);
    const prefilter = new Prefilter(source.items, source.literals);
    hostile.forEach((literal, i) => {
      const line = `before ${literal} after`;
      expect(prefilter.candidates(line), JSON.stringify(literal)).toContain(i);
      expect(loaded.items[i]!.match(line), JSON.stringify(literal)).not.toBeNull();
    });
    expect(prefilter.candidates('nothing hostile here')).toEqual([]);
  });
});

