import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../compiler/seeded-random.js';
import { GRAM_MIN_LENGTH, GramIndex, hitLiteral } from '../../../runtime/prefilter/gram-index.js';
import { Prefilter } from '../../../runtime/prefilter/prefilter.js';
import { prefilterSampleLines } from '../../helpers/corpus.js';

const isAscii = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** Scans an ASCII line as the prefilter does: its bytes inside a larger buffer, sorted indices out. */
function found(index: GramIndex, size: number, line: string): number[] {
  // Bytes before and after the line must not count: they are letters the literals are made of.
  const bytes = Buffer.alloc(line.length + 24, 0x41);
  bytes.write(line, 8, 'latin1');
  const out = new Int32Array(size);
  const n = index.scanLine(bytes, 8, 8 + line.length, out);
  const viaText = new Int32Array(size);
  const m = index.scanText(line, viaText);
  expect(Array.from(viaText.subarray(0, m))).toEqual(Array.from(out.subarray(0, n)));
  return Array.from(out.subarray(0, n), hitLiteral).sort((a, b) => a - b);
}

/**
 * Scans `lines` as one batch, as the engine hands them over: their bytes in one buffer between
 * letters the literals are made of, some lines without bytes (-1); sorted indices per line.
 */
function batchFound(index: GramIndex, size: number, lines: readonly string[], noBytes: (k: number) => boolean = () => false): number[][] {
  const starts = new Int32Array(lines.length);
  const ends = new Int32Array(lines.length);
  const parts: Buffer[] = [];
  let at = 0;
  lines.forEach((line, k) => {
    const bytes = Buffer.from(`A${line}\n`, 'latin1');
    starts[k] = noBytes(k) ? -1 : at + 1;
    ends[k] = at + 1 + line.length;
    parts.push(bytes);
    at += bytes.length;
  });
  const bytes = Buffer.concat(parts);
  const out = new Int32Array(size);
  const result: number[][] = [];
  for (let k = 0; k < lines.length; k++) {
    if (!index.covers(k)) expect(index.scanBatch(bytes, starts, ends, k, lines.length)).toBeGreaterThan(k);
    const n = index.batchHits(k, out);
    result.push(Array.from(out.subarray(0, n), hitLiteral).sort((a, b) => a - b));
  }
  return result;
}

/** The specification: the literals whose text occurs in the line, ASCII case folded. */
function naive(literals: readonly (string | null)[], line: string): number[] {
  const folded = line.toLowerCase();
  return literals.flatMap((literal, j) => (literal !== null && folded.includes(literal) ? [j] : []));
}

const ASCII_LINES = prefilterSampleLines().filter(isAscii);

describe('GramIndex', () => {
  // Shortest 7: a probe every 4 bytes, taken four at a time (one 16-byte load).
  it.each([GRAM_MIN_LENGTH, 7])('finds exactly the literals in each line for 300 literals cut at random from the corpus lines, the shortest %i long', (shortest) => {
    const next = seededRandom(7);
    const literals = Array.from({ length: 300 }, (): string => {
      const line = ASCII_LINES[Math.floor(next() * ASCII_LINES.length)]!.padEnd(60, '.');
      const length = shortest + Math.floor(next() * 30);
      const start = Math.floor(next() * (line.length - length));
      return line.slice(start, start + length).toLowerCase();
    });
    const index = new GramIndex(literals);
    let hits = 0;
    for (const line of ASCII_LINES) {
      const got = found(index, literals.length, line);
      if (got.join() !== naive(literals, line).join()) expect(got, line).toEqual(naive(literals, line));
      hits += got.length;
    }
    expect(hits).toBeGreaterThan(ASCII_LINES.length); // most literals occur, many lines hold several
  });

  it.each([GRAM_MIN_LENGTH, 7])('finds a literal at every alignment, at the very start and end of the line, in either case, beside one %i long', (other) => {
    for (let length = other; length <= 14; length++) {
      const literal = 'qwertyuiopasdfgh'.slice(0, length);
      const index = new GramIndex([literal, 'zzzzzzzzzzzzzzzz'.slice(0, other)]);
      for (let pad = 0; pad <= 16; pad++) {
        for (const after of ['', 'x', 'xy ', 'xyz tail']) {
          const line = `${'-'.repeat(pad)}${pad % 2 === 0 ? literal : literal.toUpperCase()}${after}`;
          expect(found(index, 2, line), line).toEqual([0]);
          expect(found(index, 2, line.slice(0, -1 - after.length)), 'cut by one').toEqual([]);
        }
      }
    }
  });

  it('folds letters only: characters 0x20 apart that are not letters stay apart', () => {
    const index = new GramIndex(['a{b}c@d`e^z~', 'x[y]z\\w_v|']);
    expect(found(index, 2, 'A{B}C@D`E^Z~')).toEqual([0]);
    expect(found(index, 2, 'a[b]c`d@e~z^')).toEqual([]);
    expect(found(index, 2, 'X[Y]Z\\W_V|')).toEqual([1]);
    expect(found(index, 2, 'x{y}z|w\x7fv\\')).toEqual([]);
  });

  it('reports each literal once, overlapping, nested and repeated ones included, and nothing in short lines', () => {
    const index = new GramIndex(['aaaaaa', 'aaaaaaaa', 'baaaaa', 'aaaaaa']);
    expect(found(index, 4, 'aaaaaaaaaaaaaaaaaaaaaaa')).toEqual([0, 1, 3]);
    expect(found(index, 4, 'baaaaaaaa')).toEqual([0, 1, 2, 3]);
    expect(found(index, 4, 'aaaaa')).toEqual([]);
    expect(found(index, 4, 'aaa')).toEqual([]);
    expect(found(index, 4, '')).toEqual([]);
  });

  it('skips null literals and refuses one shorter than it can probe for', () => {
    const index = new GramIndex([null, 'session opened', null]);
    expect(found(index, 3, 'pam_unix(sshd:session): SESSION OPENED for user')).toEqual([1]);
    expect(() => new GramIndex(['long enough', 'short'])).toThrow(/shorter/);
  });

  it('answers a batch of lines as it answers each line, across calls, beside lines without bytes and lines longer than a call holds', () => {
    const next = seededRandom(11);
    const literals = Array.from({ length: 120 }, (): string => {
      const line = ASCII_LINES[Math.floor(next() * ASCII_LINES.length)]!.padEnd(40, '.');
      const start = Math.floor(next() * (line.length - 12));
      return line.slice(start, start + GRAM_MIN_LENGTH + Math.floor(next() * 6)).toLowerCase();
    });
    const index = new GramIndex(literals);
    // More lines and more text than one call takes (1,024 lines, 64 KiB), two lines over 64 KiB.
    // Literals that are whole lines, or begin or end one: a line's bounds are exact in a batch too.
    const edges = literals.slice(0, 40).flatMap((literal) => [literal, `x ${literal}`, `${literal.toUpperCase()} x`]);
    const lines = [...ASCII_LINES.slice(0, 3000), `${'.'.repeat(70_000)}${ASCII_LINES[5]}`, ...edges, ...ASCII_LINES.slice(3000, 3500), `${ASCII_LINES[9]}${'-'.repeat(90_000)}`];
    const noBytes = (k: number): boolean => k % 97 === 3;
    const got = batchFound(index, literals.length, lines, noBytes);
    let hits = 0;
    lines.forEach((line, k) => {
      const expected = noBytes(k) ? [] : naive(literals, line);
      if (got[k]!.join() !== expected.join()) expect(got[k], `line ${k}`).toEqual(expected);
      hits += expected.length;
    });
    expect(hits).toBeGreaterThan(lines.length / 2);
    expect(edges.every((_, k) => noBytes(3001 + k) || got[3001 + k]!.length > 0)).toBe(true);
    // A line too long for one call right after lines without bytes starts a call of its own.
    const after = [ASCII_LINES[1]!, `${'.'.repeat(200_000)}${ASCII_LINES[2]}`, ASCII_LINES[3]!];
    expect(batchFound(index, literals.length, after, (k) => k === 0)).toEqual([[], naive(literals, after[1]!), naive(literals, after[2]!)]);
    // A single line scanned in between leaves the batch's answers alone.
    const out = new Int32Array(literals.length);
    expect(index.scanBatch(Buffer.from(`x${lines[0]!}`), Int32Array.of(1), Int32Array.of(1 + lines[0]!.length), 0, 1)).toBe(1);
    index.scanText('nothing here at all', out);
    const n = index.batchHits(0, out);
    expect(Array.from(out.subarray(0, n), hitLiteral).sort((a, b) => a - b)).toEqual(naive(literals, lines[0]!));
  });

  it('finds a literal wherever it lies in a line scanned in pieces (over 64 KiB), once', () => {
    const index = new GramIndex(['needle in the', 'haystack that is long']);
    // Pieces are 64 KiB and overlap by the longest literal less one: try every start around
    // the first two piece edges, for both literals, and both at once.
    const edges = [65536, 2 * 65536 - 20];
    for (const edge of edges) {
      for (let start = edge - 24; start <= edge + 2; start++) {
        const line = `${'.'.repeat(start)}NEEDLE in the${'-'.repeat(70_000)}`;
        expect(found(index, 2, line), `needle at ${start}`).toEqual([0]);
        const both = `${'.'.repeat(start)}haystack that is long${'.'.repeat(9)}needle in the${'.'.repeat(start)}needle in the`;
        expect(found(index, 2, both), `haystack at ${start}`).toEqual([0, 1]);
      }
    }
  });

  it('indexes each literal by the window whose grams the first 64 KiB of text held least, and finds the same after', () => {
    // The shortest literal makes the step 3: a window of 6 bytes, 3 grams.
    const literals = ['connection from', 'qwxzvk'];
    const index = new GramIndex(literals);
    expect(index.windowStarts()).toEqual(Int32Array.of(0, 0));
    const text = 'Connection closed by connection manager';
    const lines = Array.from({ length: 2000 }, (_, k) => (k % 100 === 7 ? `${text} connection from 10.0.0.${k % 250}` : text));
    const got = batchFound(index, literals.length, lines);
    lines.forEach((line, k) => expect(got[k], `line ${k}`).toEqual(naive(literals, line)));
    const start = index.windowStarts()[0]!;
    expect(start).toBeGreaterThan(0);
    // None of the chosen window's three grams occurs in the text that was scanned most.
    for (let k = start; k < start + 3; k++) expect(text.toLowerCase().includes(literals[0]!.slice(k, k + 4)), literals[0]!.slice(k, k + 4)).toBe(false);
    expect(found(index, 2, `${text} CONNECTION FROM x`)).toEqual([0]);
    expect(found(index, 2, 'connection fro qwxzv')).toEqual([]);
  });

  it('keeps its seen-marks apart between lines over many lines', () => {
    const index = new GramIndex(['foo bar', 'bar baz', 'quux quux']);
    for (let i = 0; i < 20_000; i++) {
      const line = i % 3 === 0 ? 'foo bar' : i % 3 === 1 ? 'bar baz foo bar' : 'none at all';
      const expected = i % 3 === 0 ? [0] : i % 3 === 1 ? [0, 1] : [];
      if (found(index, 3, line).join() !== expected.join()) throw new Error(`line ${i}: ${line}`);
    }
  });
});

describe('Prefilter with a gram index', () => {
  const fold = (s: string): string => s.replace(/[A-Z\u017f\u212a]/g, (c) => (c === '\u017f' ? 's' : c === '\u212a' ? 'k' : c.toLowerCase()));
  const spec = (literals: readonly (string | null)[], line: string): number[] =>
    literals.flatMap((literal, j) => (literal === null || fold(line).includes(fold(literal)) ? [j] : []));

  it('answers as the specification on ASCII and non-ASCII lines, with short, non-ASCII and missing literals beside long ones', () => {
    const literals = ['failed password for ', 'Invalid user ', 'session opened', 'sshd[', 'user', 'ünï 1', null, 'authentication failure', 'kernel:', 'Accepted publickey for '];
    const prefilter = new Prefilter(literals.map((_, j) => j), literals);
    let candidates = 0;
    const lines = [...prefilterSampleLines(), 'INVALID USER x', 'U\u017fER session opened', 'x \u212aernel: y', 'é Failed password for root'];
    for (const line of lines) {
      const got = prefilter.candidates(line);
      if (got.join() !== spec(literals, line).join()) expect(got, line).toEqual(spec(literals, line));
      candidates += got.length;
    }
    expect(candidates).toBeGreaterThan(lines.length * 2);
    // Folding cases only a non-ASCII line has: the automaton takes those lines.
    expect(prefilter.candidates('U\u017fER x')).toEqual([4, 6]);
    expect(prefilter.candidates('x \u212aernel: y')).toEqual([6, 8]);
  });

  it('answers for lines far longer than any before, ASCII or not', () => {
    const prefilter = new Prefilter([0, 1, 2, 3, 4], ['needle in', 'haystack end', 'x'.repeat(10), 'yyyyyyy', 'zzzzzzz']);
    expect(prefilter.candidates('short needle in')).toEqual([0]);
    const long = `${'.'.repeat(200_000)}needle in${'.'.repeat(100_000)}haystack end`;
    expect(prefilter.candidates(long)).toEqual([0, 1]);
    expect(prefilter.candidates(`${'é'.repeat(50_000)} haystack end`)).toEqual([1]);
  });
});
