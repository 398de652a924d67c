/**
 * The shared prefilter of one source: which of its items may match a line, found in one pass.
 *
 * Why an Aho–Corasick automaton: with many rules on one file, `line.includes(lit)` per item
 * costs one scan per rule, and one combined alternation regex only answers "some literal is
 * here" (it cannot report overlapping hits). The automaton reads each code unit once and
 * reports every item whose literal occurs, whatever the number of rules. With only a few ASCII
 * literals, native regex tests are cheaper than that JS pass and give the same answer.
 *
 * Exactness: the line is compared after a per-code-unit fold (ASCII upper → lower, U+017F →
 * `s`, U+212A → `k`, the only non-ASCII code units a case-insensitive JS regex equates with
 * ASCII letters). Literals are folded the same way, so a raw occurrence is always a folded
 * occurrence; extra candidates are harmless (the item's regex decides). The compiler never
 * hands over a non-ASCII literal of a case-insensitive regex (lower-casing does not follow the
 * regex engine's case equivalence there); such an item has a null literal: always a candidate.
 */
import { Automaton } from './automaton.js';

/**
 * Up to this many literals, all ASCII, one native regex test per literal beats a JS pass over
 * every character (measured on the bench log: 1 literal 0.07 vs 0.25 µs per line, 4 literals
 * 0.18 vs 0.24, 8 literals 0.36 vs 0.24).
 */
const MAX_REGEX_LITERALS = 4;
/** Regex syntax characters: escaped, nothing else (a needless escape is an error under `u`). */
const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

/**
 * The prefilter of one source. `scan` writes the candidates of a line into `found` (indices
 * into `RuleModule.items`, in the source's item order) and returns how many; nothing is
 * allocated per line. `candidates` is the same as a fresh array.
 */
export class Prefilter {
  /** After `scan`: the first n entries are the candidates of the last line scanned. */
  readonly found: Int32Array;
  private readonly items: Int32Array;
  private readonly alwaysLocal: Int32Array;
  private readonly automaton: Automaton | null;
  /**
   * Few ASCII literals: one case-insensitive regex per item with a literal (null: none). Under
   * `iu`, an ASCII letter matches exactly the code units the fold maps to it (its two cases,
   * and U+017F for `s`, U+212A for `k`), so the answer is the automaton's.
   */
  private readonly tests: (RegExp | null)[] | null;

  /**
   * `items[j]` is a module item index and `literals[j]` its literal (null, or missing: always
   * a candidate).
   */
  constructor(items: readonly number[], literals: readonly (string | null | undefined)[]) {
    const count = items.length;
    this.items = Int32Array.from(items);
    this.found = new Int32Array(count);
    const own = Array.from({ length: count }, (_, j): string | null => {
      const text = literals[j];
      return typeof text === 'string' && text.length > 0 ? text : null;
    });
    const always: number[] = [];
    own.forEach((text, j) => {
      if (text === null) always.push(j);
    });
    this.alwaysLocal = Int32Array.from(always);
    const withLiteral = count - always.length;
    const ascii = own.every((text) => text === null || /^[\x00-\x7f]*$/.test(text));
    if (withLiteral === 0) {
      this.tests = null;
      this.automaton = null;
    } else if (ascii && withLiteral <= MAX_REGEX_LITERALS) {
      this.tests = own.map((text) => (text === null ? null : new RegExp(text.replace(SYNTAX, '\\$&'), 'iu')));
      this.automaton = null;
    } else {
      this.tests = null;
      this.automaton = new Automaton(own);
    }
  }

  /** Writes the candidates of `line` into `found`; returns their number. */
  scan(line: string): number {
    const found = this.found;
    const items = this.items;
    const tests = this.tests;
    if (tests !== null) {
      // In item order already; items without a literal are in their place.
      let n = 0;
      for (let j = 0; j < tests.length; j++) {
        const re = tests[j];
        if (re === null || re === undefined || re.test(line)) found[n++] = items[j]!;
      }
      return n;
    }
    const hits = this.automaton === null ? 0 : this.automaton.scan(line, found);
    const always = this.alwaysLocal;
    if (hits === 0) {
      for (let k = 0; k < always.length; k++) found[k] = items[always[k]!]!;
      return always.length;
    }
    for (let k = 0; k < always.length; k++) found[hits + k] = always[k]!;
    const total = hits + always.length;
    // Hits come in the order found; candidates keep item order (few hits: insertion sort).
    for (let a = 1; a < total; a++) {
      const j = found[a]!;
      let b = a - 1;
      for (; b >= 0 && found[b]! > j; b--) found[b + 1] = found[b]!;
      found[b + 1] = j;
    }
    for (let k = 0; k < total; k++) found[k] = items[found[k]!]!;
    return total;
  }

  /** The candidates of `line` as a new array of module item indices. */
  candidates(line: string): number[] {
    const n = this.scan(line);
    return Array.from(this.found.subarray(0, n));
  }
}
