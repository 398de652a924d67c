/**
 * The shared prefilter of one source: which of its items may match a line, found in one pass.
 *
 * Why an Aho–Corasick automaton: with many rules on one file, `line.includes(lit)` per item
 * costs one scan per rule, and one combined alternation regex only answers "some literal is
 * here" (it cannot report overlapping hits). The automaton reads each code unit once and
 * reports every item whose literal occurs, whatever the number of rules. With only a few ASCII
 * literals, native regex tests are cheaper than that JS pass and give the same answer. When
 * some literals are long (and at most a few short), a gram index (gram-index.ts) probes an ASCII
 * line's bytes every few positions instead of reading them all, whatever the number of rules,
 * and the native tests or the automaton serve only the lines that are not ASCII.
 *
 * Exactness: the line is compared after a per-code-unit fold (ASCII upper → lower, U+017F →
 * `s`, U+212A → `k`, the only non-ASCII code units a case-insensitive JS regex equates with
 * ASCII letters). Literals are folded the same way, so a raw occurrence is always a folded
 * occurrence; extra candidates are harmless (the item's regex decides). The compiler never
 * hands over a non-ASCII literal of a case-insensitive regex (lower-casing does not follow the
 * regex engine's case equivalence there); such an item has a null literal: always a candidate.
 */
import { Automaton } from './automaton.js';
import type { SequenceSpec } from '../contract.js';
import type { AsciiLineBytes } from '../sources/tail/types.js';
import { GRAM_MIN_LENGTH, GramIndex, hitLiteral, hitMatched, regexDecides } from './gram-index.js';

/**
 * Up to this many literals, all ASCII, one native regex test per literal beats the automaton's
 * JS pass over every character (measured on the bench log: 1 literal 0.07 vs 0.25 µs per line,
 * 4 literals 0.18 vs 0.24, 8 literals 0.36 vs 0.24): they serve sources whose literals are
 * short, and the lines a gram index cannot take. Also the most short literals tested beside a
 * gram index. The gram index beats them from one literal on (a batch of bench lines: 1 literal
 * 35 vs 46 ns per line, 3 literals 38 vs 106, 4 literals 46 vs 148).
 */
const MAX_REGEX_LITERALS = 4;
/** Regex syntax characters: escaped, nothing else (a needless escape is an error under `u`). */
const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);

/**
 * A gram index, or null where this process cannot run one: node without WebAssembly
 * (`--jitless`), or no address space left for another instance (V8 reserves ~10 GiB of it per
 * WebAssembly memory, so `ulimit -v` or systemd's LimitAS can refuse one). The other scanners
 * then take its lines.
 */
function gramIndexOrNull(literals: readonly (string | null)[], sequences: readonly (SequenceSpec | null | undefined)[]): GramIndex | null {
  if (!GramIndex.available()) return null;
  try {
    return new GramIndex(literals, sequences);
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
}

/** A case-insensitive native regex that finds `text`. */
function literalTest(text: string): RegExp {
  return new RegExp(text.replace(SYNTAX, '\\$&'), 'iu');
}

/** Long ASCII literals probed in a line's bytes; the few short ones tested natively. */
interface GramScan {
  readonly index: GramIndex;
  readonly shortTests: readonly { readonly local: number; readonly re: RegExp }[];
}

/**
 * The prefilter of one source. `scan` writes the candidates of a line into `found` (indices
 * into `RuleModule.items`, in the source's item order) and returns how many; nothing is
 * allocated per line. `candidates` is the same as a fresh array.
 */
export class Prefilter {
  /** After `scan`: the first n entries are the candidates of the last line scanned. */
  readonly found: Int32Array;
  /**
   * After `scan`: 1 where the candidate in `found` is known to match the whole line scanned
   * (the gram scan ran its item's sequence program, see `SourceSpec.sequences`), so its regex
   * need not run; 0 where the regex decides.
   */
  readonly matched: Uint8Array;
  private readonly items: Int32Array;
  private readonly own: readonly (string | null)[];
  private readonly alwaysLocal: Int32Array;
  private automatonBuilt: Automaton | null = null;
  /**
   * Few ASCII literals: one case-insensitive regex per item with a literal (null: none), for
   * every line when there is no gram index, and for the lines that are not ASCII when there is.
   * Under `iu`, an ASCII letter matches exactly the code units the fold maps to it (its two
   * cases, and U+017F for `s`, U+212A for `k`), so the answer is the automaton's.
   */
  private readonly tests: (RegExp | null)[] | null;
  private readonly grams: GramScan | null;
  private batch: AsciiLineBytes | null = null;
  private batchCount = 0;

  /**
   * `items[j]` is a module item index, `literals[j]` its literal (null, or missing: always a
   * candidate) and `sequences[j]` its regex as a sequence anchored on that literal, if it is one.
   */
  constructor(
    items: readonly number[],
    literals: readonly (string | null | undefined)[],
    sequences: readonly (SequenceSpec | null | undefined)[] = [],
  ) {
    const count = items.length;
    this.items = Int32Array.from(items);
    this.found = new Int32Array(count);
    this.matched = new Uint8Array(count);
    const own = Array.from({ length: count }, (_, j): string | null => {
      const text = literals[j];
      return typeof text === 'string' && text.length > 0 ? text : null;
    });
    this.own = own;
    const always: number[] = [];
    own.forEach((text, j) => {
      if (text === null) always.push(j);
    });
    this.alwaysLocal = Int32Array.from(always);
    const withLiteral = count - always.length;
    const long = own.map((text) => (text !== null && isAscii(text) && text.length >= GRAM_MIN_LENGTH ? text.toLowerCase() : null));
    const short = own.flatMap((text, local) => (text !== null && isAscii(text) && text.length < GRAM_MIN_LENGTH ? [{ local, text }] : []));
    const few = own.every((text) => text === null || isAscii(text)) && withLiteral <= MAX_REGEX_LITERALS;
    // Native tests also serve, exactly, the lines a gram index cannot take (not ASCII). With no
    // literal at all they are all null: every item is a candidate.
    this.tests = few ? own.map((text) => (text === null ? null : literalTest(text))) : null;
    // Non-ASCII literals cannot occur in an ASCII line.
    const index = long.some((text) => text !== null) && short.length <= MAX_REGEX_LITERALS ? gramIndexOrNull(long, sequences) : null;
    this.grams = index === null ? null : { index, shortTests: short.map(({ local, text }) => ({ local, re: literalTest(text) })) };
    if (index === null && !few) this.automatonBuilt = new Automaton(own);
  }

  /** Writes the candidates of `line` into `found` (and `matched`); returns their number. */
  scan(line: string): number {
    const grams = this.grams;
    // Every code unit is one UTF-8 byte only when all of them are ASCII.
    if (grams !== null && Buffer.byteLength(line, 'utf8') === line.length) {
      return this.merge(this.scanShort(grams, line, grams.index.scanText(line, this.found)));
    }
    const tests = this.tests;
    const hits = tests === null ? this.automaton().scan(line, this.found) : this.testLiterals(tests, line);
    // Found without a program: every regex decides.
    for (let k = 0; k < hits; k++) this.found[k] = regexDecides(this.found[k]!);
    return this.merge(hits);
  }

  /** The items whose literal `tests` find in `line` (local indices); returns how many. */
  private testLiterals(tests: readonly (RegExp | null)[], line: string): number {
    const found = this.found;
    let n = 0;
    for (let j = 0; j < tests.length; j++) {
      const re = tests[j];
      if (re !== null && re !== undefined && re.test(line)) found[n++] = j;
    }
    return n;
  }

  /**
   * Adds the items without a literal to the `hits` in `found` (as `GramIndex` writes them:
   * 2·j + 1, or 2·j when a program matched), sorts them into item order, and writes them as
   * module indices, with `matched`; returns the total.
   */
  private merge(hits: number): number {
    const found = this.found;
    const matched = this.matched;
    const items = this.items;
    const always = this.alwaysLocal;
    if (hits === 0) {
      for (let k = 0; k < always.length; k++) {
        found[k] = items[always[k]!]!;
        matched[k] = 0;
      }
      return always.length;
    }
    for (let k = 0; k < always.length; k++) found[hits + k] = regexDecides(always[k]!);
    const total = hits + always.length;
    // Hits come in the order found; candidates keep item order (few hits: insertion sort).
    for (let a = 1; a < total; a++) {
      const hit = found[a]!;
      let b = a - 1;
      for (; b >= 0 && found[b]! > hit; b--) found[b + 1] = found[b]!;
      found[b + 1] = hit;
    }
    for (let k = 0; k < total; k++) {
      const hit = found[k]!;
      matched[k] = hitMatched(hit) ? 1 : 0;
      found[k] = items[hitLiteral(hit)]!;
    }
    return total;
  }

  /**
   * Before `scanBatched`: the lines about to be scanned, `count` of them, and their bytes when
   * the reader has them (null: each line is scanned as a string). `endBatch` lets them go.
   */
  beginBatch(ascii: AsciiLineBytes | null, count: number): void {
    this.batch = ascii;
    this.batchCount = ascii === null ? 0 : count;
    this.grams?.index.forgetBatch();
  }

  endBatch(): void {
    this.batch = null;
    this.batchCount = 0;
  }

  /**
   * `scan` for line `k` of the batch begun (its text `line`). With a gram index, the lines that
   * have bytes are scanned a block at a time ahead of the caller, so they cost one WebAssembly
   * call per block, not one per line.
   */
  scanBatched(k: number, line: string): number {
    const grams = this.grams;
    const batch = this.batch;
    if (grams === null || batch === null || k >= this.batchCount || batch.starts[k] === -1) return this.scan(line);
    const index = grams.index;
    if (!index.covers(k)) index.scanBatch(batch.bytes, batch.starts, batch.ends, k, this.batchCount);
    return this.merge(this.scanShort(grams, line, index.batchHits(k, this.found)));
  }

  /** The candidates of `line` as a new array of module item indices. */
  candidates(line: string): number[] {
    const n = this.scan(line);
    return Array.from(this.found.subarray(0, n));
  }

  /** Appends the short literals found in `line` to the `hits` already in `found`; returns the new count. */
  private scanShort(grams: GramScan, line: string, hits: number): number {
    for (const { local, re } of grams.shortTests) if (re.test(line)) this.found[hits++] = regexDecides(local);
    return hits;
  }

  /** Built on first use when there is a gram index: then only a line that is not ASCII needs it (with more than a few literals). */
  private automaton(): Automaton {
    return (this.automatonBuilt ??= new Automaton(this.own));
  }
}
