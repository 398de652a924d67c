import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../compiler/manifest.js';
import { Prefilter } from '../../../runtime/prefilter/prefilter.js';
import { prefilterSampleLines } from '../../helpers/corpus.js';

setFlagsFromString('--expose-gc');


/** Items as the compiler hands them over: a regex and the literal it proved (null: none usable). */
const RULES: { re: RegExp; literal: string | null }[] = [
  { re: /Invalid user (\S+) from (\S+)/, literal: 'Invalid user ' },
  { re: /Failed password for (?:invalid user )?(\S+) from (\S+)/, literal: 'Failed password for ' },
  { re: /POSSIBLE BREAK-IN/i, literal: 'possible break-in' },
  { re: /authentication failure;.*rhost=(\S+)/, literal: 'authentication failure;' },
  { re: /sshd\[\d+\]/, literal: 'sshd[' },
  { re: /^\w+ \d+ [\d:]+ (\S+)/, literal: null },
  { re: /session (opened|closed)/i, literal: 'session ' },
  { re: /abc/, literal: 'abc' },
  { re: /bc/, literal: 'bc' },
  { re: /xabcd/, literal: 'xabcd' },
  { re: /c/i, literal: 'c' },
  { re: /user/iu, literal: 'user' },
  { re: /kernel/iu, literal: 'kernel' },
  { re: /straße/i, literal: null }, // non-ASCII case-insensitive: the compiler gives none
  { re: /ünï (\d)/, literal: 'ünï ' },
];

const fold = (s: string): string => s.replace(/[A-Z\u017f\u212a]/g, (c) => (c === '\u017f' ? 's' : c === '\u212a' ? 'k' : c.toLowerCase()));

/** The specification: literal null, or its folded form inside the folded line (items in order). */
function naive(items: readonly number[], literals: readonly (string | null)[], line: string): number[] {
  const folded = fold(line);
  return items.filter((_, j) => {
    const literal = literals[j];
    return literal === null || literal === undefined || folded.includes(fold(literal));
  });
}

const LINES = prefilterSampleLines();

describe('Prefilter', () => {
  it('reports exactly the items whose folded literal occurs and never drops a real match (corpus lines)', () => {
    // Module indices differ from positions in the source, as when several paths share a module.
    const items = RULES.map((_, j) => 10 + j * 2);
    const literals = RULES.map((r) => r.literal);
    const prefilter = new Prefilter(items, literals);
    const lines = LINES;
    let realMatches = 0;
    let skipped = 0;
    for (const line of lines) {
      const candidates = prefilter.candidates(line);
      expect(candidates).toEqual(naive(items, literals, line));
      const n = prefilter.scan(line);
      expect(Array.from(prefilter.found.subarray(0, n))).toEqual(candidates);
      RULES.forEach((rule, j) => {
        if (!rule.re.test(line)) return;
        realMatches++;
        expect(candidates, `${String(rule.re)} on ${JSON.stringify(line)}`).toContain(items[j]);
      });
      skipped += items.length - candidates.length;
    }
    expect(realMatches).toBeGreaterThan(1000);
    expect(skipped).toBeGreaterThan(lines.length); // it really filters
  });

  it('with up to four ASCII literals (a gram index for long ones on ASCII lines, native regex tests for the rest), answers exactly as the specification', () => {
    const ascii = RULES.map((r) => r.literal).filter((l): l is string => l === null || /^[\x00-\x7f]*$/.test(l));
    const sets = [...ascii.map((l) => [l]), ascii.slice(0, 4), ascii.slice(4, 8), ascii.slice(8, 12), ['user', 'kernel', null, 'abc'], ['a.b*c', '[x] (y)', '{z} |/\\', '^$?+']];
    let hits = 0;
    for (const literals of sets) {
      const items = literals.map((_, j) => j * 3);
      const prefilter = new Prefilter(items, literals);
      for (const line of LINES) {
        const candidates = prefilter.candidates(line);
        if (candidates.join() !== naive(items, literals, line).join()) {
          expect(candidates, `${JSON.stringify(literals)} on ${JSON.stringify(line)}`).toEqual(naive(items, literals, line));
        }
        hits += candidates.length;
      }
    }
    expect(hits).toBeGreaterThan(1000);
  });

  it('with few literals, a long one among them, folds U+017F and U+212A on lines that are not ASCII', () => {
    const prefilter = new Prefilter([0, 1, 2], ['session opened', 'kernel:', 'sshd[']);
    expect(prefilter.candidates('x \u017fession opened \u212aernel: é')).toEqual([0, 1]);
    expect(prefilter.candidates('x SESSION OPENED kernel: sshd[1]')).toEqual([0, 1, 2]);
  });

  it('returns every item when none has a literal, and nothing extra when all do', () => {
    expect(new Prefilter([0, 1], [null, null]).candidates('anything')).toEqual([0, 1]);
    const all = new Prefilter([0, 1], ['foo', 'bar']);
    expect(all.candidates('nothing here')).toEqual([]);
    expect(all.candidates('bar foo')).toEqual([0, 1]);
    expect(all.candidates('BAR')).toEqual([1]); // folding only widens, the regex decides
    expect(all.candidates('')).toEqual([]);
  });

  it('treats a missing or empty literal as always a candidate', () => {
    const prefilter = new Prefilter([4, 5, 6], ['x', '']);
    expect(prefilter.candidates('nothing')).toEqual([5, 6]);
    expect(prefilter.candidates('x')).toEqual([4, 5, 6]);
  });

  it('reports each item once however often its literal occurs, overlapping literals included', () => {
    const prefilter = new Prefilter([0, 1, 2], ['aa', 'a', 'aaa']);
    expect(prefilter.candidates('aaaaaa')).toEqual([0, 1, 2]);
    expect(prefilter.candidates('a a')).toEqual([1]);
  });

  it('keeps working past many lines (the seen-marks never leak between lines)', () => {
    const prefilter = new Prefilter([0, 1], ['foo', 'bar']);
    for (let i = 0; i < 10_000; i++) {
      const line = i % 3 === 0 ? 'foo' : i % 3 === 1 ? 'bar foo' : 'baz';
      const expected = i % 3 === 0 ? [0] : i % 3 === 1 ? [0, 1] : [];
      if (prefilter.candidates(line).join() !== expected.join()) throw new Error(`line ${i}: ${line}`);
    }
  });

  it('with many distinct non-ASCII characters, shares one class among them and still never drops a match', () => {
    // 200 literals of CJK characters: far more distinct code units than the table keeps apart.
    const cjk = (i: number): string => String.fromCharCode(0x4e00 + i * 3, 0x4e01 + i * 3, 0x4e02 + i * 3);
    const res = Array.from({ length: 200 }, (_, i) => new RegExp(`${cjk(i)}(\\d+)`));
    res.push(/user (\S+)/iu);
    const literals = [...Array.from({ length: 200 }, (_, i) => cjk(i)), 'user '];
    const items = res.map((_, i) => i);
    const prefilter = new Prefilter(items, literals);
    const lines = [`x ${cjk(7)}42 y`, `${cjk(199)}1${cjk(0)}2`, 'U\u017fER bob', 'plain ascii line', `${cjk(5).slice(0, 2)}9`];
    for (const line of lines) {
      const candidates = prefilter.candidates(line);
      res.forEach((re, i) => {
        if (re.test(line)) expect(candidates, line).toContain(i);
      });
    }
    expect(prefilter.candidates(`x ${cjk(7)}42 y`)).toContain(7);
    expect(prefilter.candidates('plain ascii line')).toEqual([]);
    expect(prefilter.candidates('U\u017fER bob')).toEqual([200]);
  });
});

describe('Prefilter memory', () => {
  it('does not keep a scratch buffer the size of the longest line it was given', async () => {
    const gc = runInNewContext('gc') as () => void;
    // Five long literals: the gram index, which copies a line's bytes when the reader has none.
    const prefilter = new Prefilter([0, 1, 2, 3, 4], ['Failed password', 'Invalid user', 'Accepted publickey', 'session opened', 'Connection closed']);
    expect(prefilter.candidates('sshd: Invalid user x')).toEqual([1]);
    gc();
    const before = process.memoryUsage().external;
    let line: string | null = `${'x'.repeat(16 * 1024 * 1024)} Failed password`;
    expect(prefilter.candidates(line)).toEqual([0]);
    line = null;
    expect(prefilter.candidates('sshd: session opened')).toEqual([3]);
    // V8 may hand a freed backing store back a little later: a few collections, bounded.
    let kept = Infinity;
    for (let round = 0; round < 10 && kept >= 1024 * 1024; round++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
      kept = process.memoryUsage().external - before;
    }
    expect(kept).toBeLessThan(1024 * 1024);
  });
});

describe('Prefilter where WebAssembly cannot run', () => {
  /**
   * The same candidates asked in a child node started through `sh -c` with `shell` before it;
   * `wasm` says whether that node could make a WebAssembly memory at all.
   */
  const childAnswers = (shell: string, flags: string): { wasm: string; answers: unknown } => {
    const script = `
      import { Prefilter } from ${JSON.stringify(pathToFileURL(join(packageRoot(), 'out/runtime/prefilter/prefilter.js')).href)};
      let wasm = 'none';
      try { new WebAssembly.Memory({ initial: 1 }); wasm = 'ok'; } catch (err) { wasm = typeof WebAssembly === 'undefined' ? 'none' : 'refused'; }
      const many = new Prefilter([0, 1, 2, 3, 4, 5], ['Failed password', 'Invalid user', 'Accepted publickey', 'session opened', 'Connection closed', 'kernel:']);
      const few = new Prefilter([0, 1], ['session opened', 'sshd[']);
      const lines = ${JSON.stringify(['sshd: Invalid user x Failed password', 'x SESSION OPENED sshd[1]', 'é \u212aernel: y', 'nothing'])};
      console.log(JSON.stringify({ wasm, answers: lines.map((l) => [many.candidates(l), few.candidates(l)]) }));`;
    const result = spawnSync('/bin/sh', ['-c', `${shell} exec "$0" ${flags} --input-type=module -e "$1"`, process.execPath, script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr.replace(/.*disabling flag --expose_wasm.*\n?/g, '')).toBe('');
    return JSON.parse(result.stdout) as { wasm: string; answers: unknown };
  };
  const expected = [[[0, 1], []], [[3], [0, 1]], [[5], []], [[], []]];

  it('answers as with it: a normal node, one without WebAssembly (--jitless), one without address space for it (ulimit -v; V8 reserves ~10 GiB per memory)', () => {
    expect(childAnswers('', '')).toEqual({ wasm: 'ok', answers: expected });
    expect(childAnswers('', '--jitless')).toEqual({ wasm: 'none', answers: expected });
    expect(childAnswers('ulimit -v 8000000 &&', '')).toEqual({ wasm: 'refused', answers: expected });
  });
});
