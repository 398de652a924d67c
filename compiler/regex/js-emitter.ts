import { caseClosure } from './case-closure.js';
import { complement, jsChar, rangesBody, type Ranges, type SetRef } from './char-sets.js';
import type { Alternation, Assertion, ClassItem, Node } from './pcre-ast.js';

/** The JS flags the whole pattern is compiled with; scoped options were resolved per node. */
export interface JsFlags {
  readonly dotAll: boolean;
  readonly unicode: boolean;
  /** No `i` flag: each character, class and set marked caseless is written with its other cases (case-closure.ts). */
  readonly caseFolded: boolean;
}

/** A run of JS output and the source range it came from. */
export interface Segment {
  readonly jsStart: number;
  readonly jsEnd: number;
  readonly srcStart: number;
  readonly srcEnd: number;
}

/** Writes a parsed PCRE pattern as JS regex source, recording where each piece came from. */
export function emitJs(ast: Alternation, flags: JsFlags): { js: string; segments: Segment[] } {
  const e = new Emitter(flags);
  e.alternation(ast);
  return { js: e.out, segments: e.segments };
}

class Emitter {
  out = '';
  readonly segments: Segment[] = [];
  /** A digit right after `\1` would extend the reference, so it is written as `\x3N`. */
  private afterNumericBackref = false;

  constructor(private readonly flags: JsFlags) {}

  private put(text: string, srcStart: number, srcEnd: number): void {
    if (text === '') return;
    this.segments.push({ jsStart: this.out.length, jsEnd: this.out.length + text.length, srcStart, srcEnd });
    this.out += text;
    this.afterNumericBackref = false;
  }

  alternation(alt: Alternation): void {
    alt.branches.forEach((branch, i) => {
      if (i > 0) {
        const prev = alt.branches[i - 1]!;
        const at = prev.length > 0 ? prev[prev.length - 1]!.end : alt.start;
        this.put('|', at, at + 1);
      }
      for (const node of branch) this.node(node);
    });
  }

  private node(n: Node): void {
    switch (n.kind) {
      case 'alt':
        this.alternation(n);
        return;
      case 'group': {
        const open = n.look === 'ahead' ? '(?=' : n.look === 'not-ahead' ? '(?!' : n.look === 'behind' ? '(?<=' : n.look === 'not-behind' ? '(?<!' : n.index === null ? '(?:' : n.name !== null ? `(?<${n.name}>` : '(';
        this.put(open, n.start, n.bodyStart);
        this.alternation(n.body);
        this.put(')', Math.max(n.bodyStart, n.end - 1), n.end);
        return;
      }
      case 'quant': {
        this.node(n.body);
        const range = n.max === Infinity ? (n.min === 0 ? '*' : n.min === 1 ? '+' : `{${n.min},}`) : n.min === 0 && n.max === 1 ? '?' : n.min === n.max ? `{${n.min}}` : `{${n.min},${n.max}}`;
        this.put(range + (n.lazy ? '?' : ''), n.quantStart, n.end);
        return;
      }
      case 'char': {
        const cases = this.cased([[n.cp, n.cp]], n.caseless);
        if (cases.length > 1 || cases[0]![0] !== cases[0]![1]) {
          this.put(`[${rangesBody(cases)}]`, n.start, n.end);
          return;
        }
        const digit = n.cp >= 0x30 && n.cp <= 0x39 && this.afterNumericBackref;
        this.put(digit ? `\\x${n.cp.toString(16)}` : jsChar(n.cp, false), n.start, n.end);
        return;
      }
      case 'class':
        this.put(`[${n.negated ? '^' : ''}${n.items.map((item) => this.classItem(item, n.caseless)).join('')}]`, n.start, n.end);
        return;
      case 'set':
        this.put(n.dotAll && this.flags.dotAll ? '.' : this.standaloneSet(n.set, n.caseless), n.start, n.end);
        return;
      case 'assert':
        this.put(this.assertion(n), n.start, n.end);
        return;
      case 'backref':
        this.put(n.name !== null ? `\\k<${n.name}>` : `\\${n.index}`, n.start, n.end);
        this.afterNumericBackref = n.name === null;
        return;
      case 'raw':
        this.put(n.js, n.start, n.end);
        return;
    }
  }

  private classItem(item: ClassItem, caseless: true | undefined): string {
    if (this.flags.caseFolded && caseless && item.kind !== 'set') return rangesBody(caseClosure(item.kind === 'char' ? [[item.cp, item.cp]] : [[item.from, item.to]]));
    if (item.kind === 'char') return jsChar(item.cp, true);
    if (item.kind === 'range') return `${jsChar(item.from, true)}-${jsChar(item.to, true)}`;
    const set = item.set;
    if (set.kind !== 'ranges') return simpleSet(set);
    const ranges = this.cased(set.ranges, caseless);
    return rangesBody(set.negated ? complement(ranges, this.flags.unicode ? 0x10ffff : 0xffff) : ranges);
  }

  private standaloneSet(set: SetRef, caseless: true | undefined): string {
    if (set.kind !== 'ranges') return simpleSet(set);
    if (set.negated && set.ranges.length === 0) return '[\\s\\S]';
    return `[${set.negated ? '^' : ''}${rangesBody(this.cased(set.ranges, caseless))}]`;
  }

  /**
   * The ranges with their other cases when case is folded; a negated set is closed before it is
   * negated, which is what `i` does. `\d`, `\w` and their negations are closed already (ASCII
   * letters with both cases), as are `\R`'s line breaks.
   */
  private cased(ranges: Ranges, caseless: true | undefined): Ranges {
    return this.flags.caseFolded && caseless ? caseClosure(ranges) : ranges;
  }

  private assertion(a: Assertion): string {
    // A line holds no newline, so PCRE's anchors, with or without `m`, and `\Z` all mean the
    // start or the end of the text: plain `^`/`$` without the JS m flag (which would also break
    // at `\r` and U+2028), and no lookaround to keep the pattern off V8's linear engine.
    switch (a.which) {
      case 'start':
      case 'abs-start':
        return '^';
      case 'end':
      case 'abs-end':
      case 'end-or-newline':
        return '$';
      case 'word':
        return '\\b';
      case 'not-word':
        return '\\B';
    }
  }
}

function simpleSet(set: Exclude<SetRef, { kind: 'ranges' }>): string {
  if (set.kind === 'escape') return `\\${set.letter}`;
  return `\\${set.negated ? 'P' : 'p'}{${set.name}}`;
}
