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

/** More distinct folded code units than this and the non-ASCII ones share one class. */
const MAX_CLASSES = 127;
/**
 * Up to this many literals, all ASCII, one native regex test per literal beats a JS pass over
 * every character (measured on the bench log: 1 literal 0.07 vs 0.25 µs per line, 4 literals
 * 0.18 vs 0.24, 8 literals 0.36 vs 0.24).
 */
const MAX_REGEX_LITERALS = 4;
/** Regex syntax characters: escaped, nothing else (a needless escape is an error under `u`). */
const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;

function folded(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c === 0x17f ? 115 : c === 0x212a ? 107 : c;
}

/**
 * The automaton of one source. `scan` writes the candidates of a line into `found` (indices into
 * `RuleModule.items`, in the source's item order) and returns how many; nothing is allocated
 * per line. `candidates` is the same as a fresh array.
 */
export class Prefilter {
  /** After `scan`: the first n entries are the candidates of the last line scanned. */
  readonly found: Int32Array;
  private readonly items: Int32Array;
  private readonly withLiteral: number;
  private readonly alwaysLocal: Int32Array;
  private readonly classOf: Uint16Array;
  private readonly delta: Int32Array;
  private readonly shift: number;
  private readonly outStart: Int32Array;
  private readonly outItems: Int32Array;
  private readonly seen: Uint32Array;
  private generation = 0;
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
    this.seen = new Uint32Array(count);
    const literalOf = (j: number): string | null => {
      const text = literals[j];
      return typeof text === 'string' && text.length > 0 ? text : null;
    };
    const always: number[] = [];
    for (let j = 0; j < count; j++) if (literalOf(j) === null) always.push(j);
    this.alwaysLocal = Int32Array.from(always);
    this.withLiteral = count - always.length;
    let ascii = true;
    for (let j = 0; j < count && ascii; j++) {
      const text = literalOf(j);
      for (let i = 0; text !== null && i < text.length; i++) if (text.charCodeAt(i) > 127) ascii = false;
    }
    this.tests = ascii && this.withLiteral <= MAX_REGEX_LITERALS
      ? Array.from({ length: count }, (_, j) => {
          const text = literalOf(j);
          return text === null ? null : new RegExp(text.replace(SYNTAX, '\\$&'), 'iu');
        })
      : null;

    // Many distinct non-ASCII characters would make the table huge: then they all share one
    // class, which only adds candidates, never loses one.
    const distinct = new Set<number>();
    for (let j = 0; j < count; j++) {
      const text = literalOf(j);
      for (let i = 0; text !== null && i < text.length; i++) distinct.add(folded(text.charCodeAt(i)));
    }
    const coarse = distinct.size > MAX_CLASSES;
    const fold = (c: number): number => {
      const unit = folded(c);
      return coarse && unit > 127 ? 128 : unit;
    };

    // Trie over character classes (class 0: a code unit in no literal).
    const classByUnit = new Map<number, number>();
    const edges: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    for (let j = 0; j < count; j++) {
      const text = literalOf(j);
      if (text === null) continue;
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const unit = fold(text.charCodeAt(i));
        let cls = classByUnit.get(unit);
        if (cls === undefined) {
          cls = classByUnit.size + 1;
          classByUnit.set(unit, cls);
        }
        let next = edges[state]!.get(cls);
        if (next === undefined) {
          next = edges.length;
          edges.push(new Map());
          ends.push([]);
          edges[state]!.set(cls, next);
        }
        state = next;
      }
      ends[state]!.push(j);
    }

    // Rows are a power of two wide, so a transition holds the next row's offset (no multiply
    // per character) and a state is recovered with a shift.
    const shift = Math.max(1, Math.ceil(Math.log2(classByUnit.size + 1)));
    const width = 1 << shift;
    this.shift = shift;
    this.classOf = new Uint16Array(65536);
    for (let unit = 0; unit < 65536; unit++) this.classOf[unit] = classByUnit.get(fold(unit)) ?? 0;

    // Breadth-first: failure links, full transition table, outputs merged along failure links.
    const delta = new Int32Array(edges.length * width);
    const fail = new Int32Array(edges.length);
    const queue: number[] = [];
    for (const [cls, next] of edges[0]!) {
      delta[cls] = next;
      queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      ends[state]!.push(...ends[fail[state]!]!);
      for (let cls = 0; cls < width; cls++) {
        const next = edges[state]!.get(cls);
        if (next === undefined) {
          delta[state * width + cls] = delta[fail[state]! * width + cls]!;
        } else {
          fail[next] = delta[fail[state]! * width + cls]!;
          delta[state * width + cls] = next;
          queue.push(next);
        }
      }
    }
    const outStart = new Int32Array(edges.length + 1);
    const outItems: number[] = [];
    ends.forEach((list, state) => {
      outStart[state] = outItems.length;
      outItems.push(...new Set(list));
    });
    outStart[edges.length] = outItems.length;
    this.outStart = outStart;
    this.outItems = Int32Array.from(outItems);
    // Transitions into a state with outputs are stored complemented (negative): one sign test per character.
    for (let k = 0; k < delta.length; k++) {
      const next = delta[k]!;
      delta[k] = ends[next]!.length > 0 ? ~(next << shift) : next << shift;
    }
    this.delta = delta;
  }

  /** Writes the candidates of `line` into `found`; returns their number. */
  scan(line: string): number {
    const found = this.found;
    if (this.withLiteral === 0) return this.always(0);
    const tests = this.tests;
    if (tests !== null) {
      // In item order already; items without a literal are in their place.
      let n = 0;
      for (let j = 0; j < tests.length; j++) {
        const re = tests[j];
        if (re === null || re === undefined || re.test(line)) found[n++] = this.items[j]!;
      }
      return n;
    }
    const seen = this.seen;
    const generation = (this.generation = this.generation === 0xffffffff ? 1 : this.generation + 1);
    if (generation === 1) seen.fill(0);
    const { delta, classOf, outStart, outItems, shift, withLiteral } = this;
    let row = 0;
    let hits = 0;
    for (let i = 0, n = line.length; i < n; i++) {
      const next = delta[row + classOf[line.charCodeAt(i)]!]!;
      if (next >= 0) {
        row = next;
        continue;
      }
      row = ~next;
      const state = row >> shift;
      for (let k = outStart[state]!, end = outStart[state + 1]!; k < end; k++) {
        const j = outItems[k]!;
        if (seen[j] !== generation) {
          seen[j] = generation;
          found[hits++] = j;
        }
      }
      if (hits === withLiteral) break;
    }
    if (hits === 0) return this.always(0);
    const total = this.always(hits);
    // Hits come in the order found; candidates keep item order (few hits: insertion sort).
    for (let a = 1; a < total; a++) {
      const j = found[a]!;
      let b = a - 1;
      for (; b >= 0 && found[b]! > j; b--) found[b + 1] = found[b]!;
      found[b + 1] = j;
    }
    const items = this.items;
    for (let k = 0; k < total; k++) found[k] = items[found[k]!]!;
    return total;
  }

  /** The candidates of `line` as a new array of module item indices. */
  candidates(line: string): number[] {
    const n = this.scan(line);
    return Array.from(this.found.subarray(0, n));
  }

  /** Appends the always-candidates (local indices) after `hits`; maps them when nothing else hit. */
  private always(hits: number): number {
    const found = this.found;
    const always = this.alwaysLocal;
    if (hits === 0) {
      for (let k = 0; k < always.length; k++) found[k] = this.items[always[k]!]!;
      return always.length;
    }
    for (let k = 0; k < always.length; k++) found[hits + k] = always[k]!;
    return hits + always.length;
  }
}
