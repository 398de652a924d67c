import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { union, type Ranges } from './char-sets.js';
import { ALL, charsOf, isCharNode, overlaps } from './redos-chars.js';
import { sourceRange, type TranslatedRegex } from './translate.js';

/** A sub-pattern that may backtrack catastrophically; offsets are in the SOURCE pattern. */
export interface RedosWarning {
  start: number;
  end: number;
  subpattern: string;
  message: string;
}

type Seq = readonly AST.Element[];

/**
 * Looks for the three shapes behind most catastrophic backtracking in log patterns: (a) an
 * unbounded quantifier whose body can split the same text between iterations in more than one
 * way because of an inner unbounded quantifier (`(a+)+`, `(\w*\s?)*`, `(.*,)*`); (b) an unbounded
 * quantifier over alternatives that can start with the same character (`(\w|\d)+`); (c) two
 * unbounded quantifiers over overlapping characters with nothing mandatory between them
 * (`\d+\d+`, `.*.*`). A heuristic: it errs towards warning on these shapes only.
 */
export function lintRedos(t: TranslatedRegex, source: string): RedosWarning[] {
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(t.js, 0, t.js.length, { unicode: t.flags.includes('u') });
  } catch {
    // translateRegex already validated the pattern with V8; a parser disagreement is not the user's problem.
    return [];
  }
  const lint = new Linter(t, source);
  lint.alternatives(pattern.alternatives);
  return lint.result();
}

class Linter {
  private readonly found = new Map<string, RedosWarning>();
  private readonly caseless: boolean;
  private readonly dotAll: boolean;

  constructor(private readonly t: TranslatedRegex, private readonly source: string) {
    this.caseless = t.flags.includes('i');
    this.dotAll = t.flags.includes('s');
  }

  result(): RedosWarning[] {
    return [...this.found.values()].sort((a, b) => a.start - b.start || a.end - b.end);
  }

  alternatives(alts: readonly AST.Alternative[]): void {
    for (const alt of alts) {
      this.adjacent(alt.elements);
      for (const el of alt.elements) this.element(el);
    }
  }

  private element(el: AST.Element): void {
    if (el.type === 'Quantifier') {
      if (el.max === Infinity) {
        if (!this.nested(el)) this.overlappingAlternatives(el);
      }
      this.element(el.element);
    } else if (el.type === 'Group' || el.type === 'CapturingGroup' || (el.type === 'Assertion' && (el.kind === 'lookahead' || el.kind === 'lookbehind'))) {
      this.alternatives(el.alternatives);
    }
  }

  /**
   * (a): an inner unbounded quantifier that iterations of the outer one can share text with,
   * also one inside a group or a counted repeat there (`(?:x(?:a|.+?){2,4})+`).
   */
  private nested(outer: AST.Quantifier): boolean {
    for (const seq of sequencesOf(outer.element)) {
      for (let j = 0; j < seq.length; j++) {
        const head = seq.slice(0, j);
        const tail = seq.slice(j + 1);
        for (const inner of unboundedWithin(seq[j]!)) {
          const innerChars = this.allChars(inner.element);
          const ambiguous =
            (head.every(nullable) && tail.every(nullable)) ||
            (!tail.every(nullable) && overlaps(innerChars, this.firstChars(tail))) ||
            (!head.every(nullable) && overlaps(innerChars, this.lastChars(head)));
          if (ambiguous) {
            this.warn(outer, `nested quantifiers: \`%s\` can split the same text between repetitions in exponentially many ways`);
            return true;
          }
        }
      }
    }
    return false;
  }

  /** (b): an unbounded quantifier over alternatives that can begin with the same character. */
  private overlappingAlternatives(q: AST.Quantifier): void {
    const el = q.element;
    if (el.type !== 'Group' && el.type !== 'CapturingGroup') return;
    const firsts = el.alternatives.map((alt) => this.firstChars(alt.elements));
    for (let i = 0; i < firsts.length; i++) {
      for (let j = i + 1; j < firsts.length; j++) {
        if (overlaps(firsts[i]!, firsts[j]!)) {
          this.warn(q, `\`%s\` repeats alternatives that can match the same text`);
          return;
        }
      }
    }
  }

  /** (c): two unbounded quantifiers with only optional parts between, where the first can end with a character the second can start with. */
  private adjacent(elements: Seq): void {
    // Leaves of opened-up groups remember their group, so `(\d+)(\d+)` is named whole.
    const outer = new Map<AST.Element, AST.Element>();
    const seq = elements.flatMap((el) => {
      const leaves = flatten([el]);
      if (leaves.length > 0 && leaves[leaves.length - 1] !== el) outer.set(leaves[leaves.length - 1]!, el);
      if (leaves.length > 0 && leaves[0] !== el) outer.set(leaves[0]!, el);
      return leaves;
    });
    for (let i = 0; i < seq.length; i++) {
      const a = seq[i]!;
      if (a.type !== 'Quantifier' || a.max !== Infinity || !canConsume(a.element)) continue;
      for (let j = i + 1; j < seq.length; j++) {
        const b = seq[j]!;
        if (b.type === 'Quantifier' && b.max === Infinity && canConsume(b.element) && overlaps(this.edgeChars(a.element, 'last'), this.edgeChars(b.element, 'first'))) {
          this.warnRange((outer.get(a) ?? a).start, (outer.get(b) ?? b).end, `adjacent quantifiers \`%s\` over overlapping characters can split the same text in many ways`);
          break;
        }
        if (!nullable(b)) break;
      }
    }
  }

  private warn(node: AST.Node, message: string): void {
    this.warnRange(node.start, node.end, message);
  }

  private warnRange(jsStart: number, jsEnd: number, message: string): void {
    const { start, end } = sourceRange(this.t, jsStart, jsEnd);
    const subpattern = this.source.slice(start, end);
    const key = `${start}:${end}`;
    if (!this.found.has(key)) this.found.set(key, { start, end, subpattern, message: message.replace('%s', () => subpattern) });
  }

  /** Every character any part of the node can consume. */
  private allChars(node: AST.Node): Ranges {
    if (isCharNode(node)) return charsOf(node, this.caseless, this.dotAll);
    switch (node.type) {
      case 'Quantifier':
        return node.max === 0 ? [] : this.allChars(node.element);
      case 'Group':
      case 'CapturingGroup':
        return union(...node.alternatives.map((alt) => this.allChars(alt)));
      case 'Alternative':
        return union(...node.elements.map((e) => this.allChars(e)));
      case 'Backreference':
        return ALL;
      default:
        return [];
    }
  }

  /** Characters that can begin a match of the sequence. */
  private firstChars(seq: Seq): Ranges {
    const parts: Ranges[] = [];
    for (const el of seq) {
      parts.push(this.edgeChars(el, 'first'));
      if (!nullable(el)) break;
    }
    return union(...parts);
  }

  /** Characters that can end a match of the sequence. */
  private lastChars(seq: Seq): Ranges {
    const parts: Ranges[] = [];
    for (let i = seq.length - 1; i >= 0; i--) {
      parts.push(this.edgeChars(seq[i]!, 'last'));
      if (!nullable(seq[i]!)) break;
    }
    return union(...parts);
  }

  private edgeChars(el: AST.Element, edge: 'first' | 'last'): Ranges {
    if (isCharNode(el)) return charsOf(el, this.caseless, this.dotAll);
    switch (el.type) {
      case 'Quantifier':
        return el.max === 0 ? [] : this.edgeChars(el.element, edge);
      case 'Group':
      case 'CapturingGroup':
        return union(...el.alternatives.map((alt) => (edge === 'first' ? this.firstChars(alt.elements) : this.lastChars(alt.elements))));
      case 'Backreference':
        return ALL;
      default:
        return [];
    }
  }
}

/** A sequence with single-alternative groups opened up, so `(\d+)(\d+)` reads as `\d+\d+`. */
function flatten(elements: Seq): AST.Element[] {
  return elements.flatMap((el) => ((el.type === 'Group' || el.type === 'CapturingGroup') && el.alternatives.length === 1 ? flatten(el.alternatives[0]!.elements) : [el]));
}

/** The unbounded quantifiers that can consume text in `el`: itself, or any inside its groups and counted repeats. */
function unboundedWithin(el: AST.Element): AST.Quantifier[] {
  if (el.type === 'Quantifier') {
    if (el.max === Infinity) return canConsume(el.element) ? [el] : [];
    return el.max > 0 ? unboundedWithin(el.element) : [];
  }
  if (el.type === 'Group' || el.type === 'CapturingGroup') return el.alternatives.flatMap((alt) => alt.elements.flatMap(unboundedWithin));
  return [];
}

/** The sequences one repetition of a quantified element can take. */
function sequencesOf(el: AST.QuantifiableElement): AST.Element[][] {
  if (el.type === 'Group' || el.type === 'CapturingGroup') return el.alternatives.map((alt) => flatten(alt.elements));
  return [[el]];
}

function nullable(el: AST.Element | AST.Alternative): boolean {
  switch (el.type) {
    case 'Alternative':
      return el.elements.every(nullable);
    case 'Quantifier':
      return el.min === 0 || nullable(el.element);
    case 'Group':
    case 'CapturingGroup':
      return el.alternatives.some(nullable);
    case 'Assertion':
    case 'Backreference':
      return true;
    default:
      return false;
  }
}

/** Whether the node can consume at least one character. */
function canConsume(el: AST.Element | AST.Alternative): boolean {
  switch (el.type) {
    case 'Alternative':
      return el.elements.some(canConsume);
    case 'Quantifier':
      return el.max > 0 && canConsume(el.element);
    case 'Group':
    case 'CapturingGroup':
      return el.alternatives.some(canConsume);
    case 'Assertion':
      return false;
    default:
      return true;
  }
}
