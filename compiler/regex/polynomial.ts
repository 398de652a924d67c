import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { complement, union, type Ranges } from './char-sets.js';
import { ALL, charsOf, isCharNode, overlaps } from './redos-chars.js';
import { lintRedos } from './redos.js';
import { sourceRange, type TranslatedRegex } from './translate.js';

/** A sub-pattern that makes matching one line cost more than linear time; offsets in the SOURCE pattern. */
export interface SlowSpot {
  start: number;
  end: number;
  subpattern: string;
  /** Why, e.g. "tried from every start ... (quadratic)". */
  reason: string;
}

/**
 * The first place where a backtracking engine can spend more than linear time on one line:
 * R309's shapes (exponential), or, polynomial:
 *
 * - an unbounded repeat that a match can start in front of again and again (nothing before it,
 *   or only characters it repeats itself, and no `^`), followed by something that can fail:
 *   from each start it reads the rest of the run once more (`(\d+)\.`, `(\S+)@`, the seed's
 *   `user (.*) from`);
 * - a lookaround holding an unbounded repeat, read again at every position it is tried.
 *
 * Heuristic like the lint: it names shapes, it does not prove a bound.
 */
export function slowSpot(t: TranslatedRegex, source: string): SlowSpot | null {
  const exponential = lintRedos(t, source)[0];
  if (exponential !== undefined) return { start: exponential.start, end: exponential.end, subpattern: exponential.subpattern, reason: 'it can backtrack exponentially (R309)' };
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(t.js, 0, t.js.length, { unicode: t.flags.includes('u') });
  } catch {
    return null;
  }
  const caseless = t.flags.includes('i');
  const dotAll = t.flags.includes('s');
  const spot = (node: AST.Node, reason: string): SlowSpot => {
    const { start, end } = sourceRange(t, node.start, node.end);
    return { start, end, subpattern: source.slice(start, end), reason };
  };
  for (const alt of pattern.alternatives) {
    const found = restartQuadratic(flatten(alt.elements), caseless, dotAll);
    if (found !== null) return spot(found, 'a match can start again inside the text it repeats, and reads the rest of it once more from each start (quadratic in the line\'s length)');
  }
  let look: AST.LookaroundAssertion | null = null;
  const visit = (node: AST.Node): void => {
    if (look !== null) return;
    if (node.type === 'Assertion' && (node.kind === 'lookahead' || node.kind === 'lookbehind') && hasUnbounded(node)) look = node;
    else if ('alternatives' in node) node.alternatives.forEach(visit);
    else if (node.type === 'Alternative') node.elements.forEach(visit);
    else if (node.type === 'Quantifier') visit(node.element);
  };
  pattern.alternatives.forEach(visit);
  if (look !== null) return spot(look, 'a lookaround with an unbounded repeat is read again at every position it is tried (quadratic)');
  return null;
}

function restartQuadratic(seq: readonly AST.Element[], caseless: boolean, dotAll: boolean): AST.Element | null {
  const before: Ranges[] = [];
  for (let i = 0; i < seq.length; i++) {
    const el = seq[i]!;
    if (el.type === 'Assertion') {
      if (el.kind === 'start') return null;
      continue;
    }
    if (el.type === 'Quantifier' && el.max === Infinity) {
      const repeated = allChars(el.element, caseless, dotAll);
      const prefix = union(...before);
      const restartsInside = !overlaps(prefix, complement(repeated, 0x10ffff));
      const canFail = seq.slice(i + 1).some((next) => !nullable(next));
      if (restartsInside && canFail && repeated.length > 0) return outerOf.get(el) ?? el;
    }
    before.push(allChars(el, caseless, dotAll));
  }
  return null;
}

/** Leaves of single-alternative groups remember the group, so the spot names `(\d+)` whole. */
const outerOf = new WeakMap<AST.Element, AST.Element>();

function flatten(elements: readonly AST.Element[]): AST.Element[] {
  return elements.flatMap((el) => {
    if ((el.type === 'Group' || el.type === 'CapturingGroup') && el.alternatives.length === 1) {
      const inner = flatten(el.alternatives[0]!.elements);
      if (inner.length === 1) outerOf.set(inner[0]!, outerOf.get(el) ?? el);
      return inner;
    }
    return [el];
  });
}

function allChars(node: AST.Node, caseless: boolean, dotAll: boolean): Ranges {
  if (isCharNode(node)) return charsOf(node, caseless, dotAll);
  switch (node.type) {
    case 'Quantifier':
      return node.max === 0 ? [] : allChars(node.element, caseless, dotAll);
    case 'Group':
    case 'CapturingGroup':
      return union(...node.alternatives.map((alt) => allChars(alt, caseless, dotAll)));
    case 'Alternative':
      return union(...node.elements.map((e) => allChars(e, caseless, dotAll)));
    case 'Backreference':
      return ALL;
    default:
      return [];
  }
}

function hasUnbounded(node: AST.Node): boolean {
  if (node.type === 'Quantifier') return node.max === Infinity || hasUnbounded(node.element);
  if ('alternatives' in node) return node.alternatives.some(hasUnbounded);
  if (node.type === 'Alternative') return node.elements.some(hasUnbounded);
  return false;
}

function nullable(el: AST.Element): boolean {
  switch (el.type) {
    case 'Quantifier':
      return el.min === 0 || nullable(el.element);
    case 'Group':
    case 'CapturingGroup':
      return el.alternatives.some((alt) => alt.elements.every(nullable));
    case 'Assertion':
    case 'Backreference':
      return true;
    default:
      return false;
  }
}
