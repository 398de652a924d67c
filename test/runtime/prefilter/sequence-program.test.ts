/**
 * The gram scan's sequence programs against V8: wherever a program says a line matches, the
 * item's regex matches it, and wherever the scan reports no hit, the regex does not. Patterns
 * go through the real translator and the compiler's sequence reading, as a rule file's would.
 */
import { describe, expect, it } from 'vitest';
import { logTemplates, templateRegex } from '../../../bench/bench.js';
import { sequenceOf } from '../../../compiler/generate/sequence.js';
import { translateRegex } from '../../../compiler/regex/translate.js';
import { seededRandom } from '../../../compiler/seeded-random.js';
import type { SequenceSpec } from '../../../runtime/contract.js';
import { GRAM_MIN_LENGTH, GramIndex, hitLiteral, hitMatched } from '../../../runtime/prefilter/gram-index.js';
import { prefilterSampleLines } from '../../helpers/corpus.js';

interface Case {
  readonly source: string;
  readonly re: RegExp;
  readonly literal: string;
  readonly sequence: SequenceSpec | null;
}

/** A PCRE pattern as a rule's item gets it: translated, its longest literal, its sequence. */
function caseOf(source: string, perlFlags = ''): Case {
  const translated = translateRegex(source, perlFlags).value;
  if (translated === null) throw new Error(`does not translate: ${source}`);
  const literal = [...translated.requiredLiterals].sort((a, b) => b.length - a.length)[0];
  if (literal === undefined || literal.length < GRAM_MIN_LENGTH) throw new Error(`no literal for the gram index: ${source}`);
  return { source, re: new RegExp(translated.js, translated.flags), literal, sequence: sequenceOf(translated.js, translated.flags, literal) };
}

/** Patterns where a run is not the only length that can lead on, starts and ends, case folding. */
const TRICKY = [
  'Accepted (\\S+) for (\\S+)\\)',
  'abc(.*)def(.*)ghi xyz',
  'session (\\w+) for user (\\w+)$',
  '^(\\w+) (\\d+) [\\d:]+ (\\S+) sshd\\[',
  '(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+) port (\\d+) ssh2',
  'x{2,3}yzzzzz',
  '(?i)failed password for',
  '[Kk]ernel: .*error',
  'aaaaaaa+b',
  'a+aaaaaab',
  'from (\\S+) port \\d+ ssh2$',
  '[^ ]* password for \\S*',
  'user=(\\S*) +rhost=\\S+',
  '(?:ab){0}opened for user',
  '(\\S+) password for (\\S+)',
  '^(.*) session opened for',
  'x{2,3}yzzzzz (\\S{2,9})$',
];

/** Lines that make programs work: near-misses made by cutting, doubling and rewriting pieces of real lines. */
function mutants(lines: readonly string[], count: number): string[] {
  const next = seededRandom(11);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let line = pick(lines);
    for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--) {
      const at = Math.floor(next() * (line.length + 1));
      const span = Math.floor(next() * 12);
      const kind = next();
      if (kind < 0.3) line = line.slice(0, at) + line.slice(at + span);
      else if (kind < 0.6) line = line.slice(0, at) + line.slice(at, at + span) + line.slice(at);
      else if (kind < 0.8) line = line.slice(0, at) + pick([' ', 'a', 'x', ')', '.', '1', '\t', 'ab', 'def', 'ghi ']) + line.slice(at);
      else line = line.slice(0, at) + line.slice(at, at + span).toUpperCase() + line.slice(at + span);
    }
    out.push(line);
  }
  return out;
}

/** Lines made of the pieces the patterns are made of, in random order: the cases a program must backtrack on. */
function tokenSoup(count: number): string[] {
  const tokens = [
    'abc', 'def', 'ghi', ' xyz', ' ', '  ', 'a', 'aaaaaaa', 'b', 'x', 'xx', 'yzzzzz', 'Accepted ', 'for ', ')', '(', '1', '.', '22',
    'port ', ' port ', 'user=', 'rhost=', 'session ', ' for user ', 'opened', 'kernel: ', 'Kernel: ', 'error', 'ERROR',
    'failed password for', 'FAILED PASSWORD FOR', 'sshd[', 'Dec 10 06:55:46 ', 'ssh2', 'from ', '\t', '\r', 'root',
  ];
  const next = seededRandom(5);
  return Array.from({ length: count }, () => {
    let line = '';
    for (let n = 1 + Math.floor(next() * 12); n > 0; n--) line += tokens[Math.floor(next() * tokens.length)];
    return line;
  });
}

const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** Hits of each line scanned as the engine's batches are: bytes of many lines in one buffer. */
function batchHits(index: GramIndex, lines: readonly string[], size: number): number[][] {
  const starts = new Int32Array(lines.length);
  const ends = new Int32Array(lines.length);
  const text = lines.map((line) => `${line}\n`).join('');
  let at = 0;
  lines.forEach((line, k) => {
    starts[k] = at;
    ends[k] = at + line.length;
    at += line.length + 1;
  });
  const bytes = Buffer.from(text, 'latin1');
  const out = new Int32Array(size);
  const result: number[][] = [];
  for (let k = 0; k < lines.length; k++) {
    if (!index.covers(k)) index.scanBatch(bytes, starts, ends, k, lines.length);
    result.push(Array.from(out.subarray(0, index.batchHits(k, out))));
  }
  return result;
}

describe('sequence programs in the gram scan', () => {
  const corpus = prefilterSampleLines().filter(isAscii);
  const extra = [
    'abc def ghi xyz', 'abcdefghi xyz', 'abc def def ghi ghi xyz', 'abc ghi def xyz', 'x abc def ghi xyzabc def ghi xyz',
    'Accepted a for b)', 'Accepted a for b) c)', 'Accepted a for (b)', 'Accepted  for b)', 'Accepted a) for b',
    'aaaaaaaab', 'aaaaaab', 'aaaaaaab', 'xxyzzzzz', 'xxxxyzzzzz', 'kernel: no', 'KERNEL: disk ERROR', 'Kernel: error',
    'user= rhost=x', 'user=a    rhost=', 'user=a rhost=b', 'opened for user', 'a.b.c.d port', '1.2.3.4 port', '1.2.3 .4 port',
    '1.2.3.4 port 22 ssh2 5.6.7.8 port 23 ssh2', '9.9.9.9 port x ssh2 1.1.1.1 port 1 ssh2', 'from a port 1 ssh2 from b port 2 ssh2',
    'abcdefghij password for abcdefghijk', 'a password for b', ' password for b', 'abc\t password for x', 'xxyzzzzz 1234567890',
    'xxyzzzzz 123456789', 'xxyzzzzz 12', 'xxyzzzzz 1', 'whole line session opened for', '\u007fabc password for x',
  ];
  // Two real lines in one: patterns that occur twice, and a failed first occurrence before a good one.
  const doubled = corpus.slice(0, 3000).map((line, k) => `${line} ${corpus[k + 1] ?? ''}`);
  const lines = [...corpus, ...extra, ...doubled, ...mutants([...corpus.slice(0, 4000), ...extra], 12_000), ...tokenSoup(20_000)].filter(isAscii);
  const cases = [...TRICKY.map((source) => caseOf(source)), ...logTemplates().slice(0, 120).map((t) => caseOf(templateRegex(t).regex))];

  it('reads the bench templates and most other patterns as sequences', () => {
    // A literal that begins inside a run (a+ after six a's) has no place every match holds it;
    // a quantified group is not a sequence.
    expect(cases.filter((c) => c.sequence === null).map((c) => c.source)).toEqual(['aaaaaaa+b', '(?:ab){0}opened for user']);
  });

  it('agrees with V8 on every line: a program match is a regex match, and no hit means no regex match', () => {
    let decided = 0;
    let matches = 0;
    for (const c of cases) {
      // Beside another literal, so that the programs' table has more than one entry.
      const index = new GramIndex([c.literal.toLowerCase(), 'zzqqzzqq'], [c.sequence, null]);
      const hits = batchHits(index, lines, 2);
      lines.forEach((line, k) => {
        const hit = hits[k]!.find((h) => hitLiteral(h) === 0);
        const expected = c.re.test(line);
        if (expected) matches++;
        if (hit === undefined) {
          if (expected) expect.fail(`${c.source} matches ${JSON.stringify(line)} but the scan found nothing`);
          return;
        }
        // Without a program the regex decides; with one, the program does.
        if (c.sequence === null) return;
        expect(hitMatched(hit), `${c.source} on ${JSON.stringify(line)}`).toBe(expected);
        decided++;
      });
    }
    // Not vacuous: thousands of lines matched, and every hit was decided by its program.
    expect(matches).toBeGreaterThan(5_000);
    expect(decided).toBeGreaterThan(5_000);
  });

  it('gives a line that costs too much back to the regex instead of stalling', () => {
    const c = caseOf('XXXXXXX.*.*.*Y');
    const index = new GramIndex([c.literal.toLowerCase()], [c.sequence]);
    const line = 'XXXXXXX'.repeat(9_000);
    const started = process.hrtime.bigint();
    const [hits] = batchHits(index, [line], 1);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(hits!.map(hitMatched)).toEqual([false]);
    // A bound on work, not a speed goal: without the budget this takes minutes.
    expect(ms).toBeLessThan(5_000);
  });
});
