/**
 * The Aho–Corasick automaton behind a source's prefilter: one pass over a line's code units,
 * each folded (ASCII upper → lower, U+017F → `s`, U+212A → `k`), reports every literal that
 * occurs, overlapping ones included.
 */

/** More distinct folded code units than this and the non-ASCII ones share one class. */
const MAX_CLASSES = 127;

function folded(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c === 0x17f ? 115 : c === 0x212a ? 107 : c;
}

/** Finds which of `literals` (null: none) occur in a line; indices are positions in `literals`. */
export class Automaton {
  private readonly classOf: Uint16Array;
  private readonly delta: Int32Array;
  private readonly shift: number;
  private readonly outStart: Int32Array;
  private readonly outItems: Int32Array;
  private readonly withLiteral: number;
  private readonly seen: Uint32Array;
  private generation = 0;

  constructor(literals: readonly (string | null)[]) {
    const count = literals.length;
    this.seen = new Uint32Array(count);
    this.withLiteral = literals.filter((text) => text !== null).length;
    const literalOf = (j: number): string | null => literals[j] ?? null;

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

  /** Writes the index of each literal found in `line` into `found`, once each, in the order found; returns how many. */
  scan(line: string, found: Int32Array): number {
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
    return hits;
  }
}
