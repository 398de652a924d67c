import type { AST } from '@eslint-community/regexpp';
import { complement, union, type Ranges } from './char-sets.js';


const MAX = 0x10ffff;
/** Every code point. */
export const ALL: Ranges = [[0, MAX]];
const DIGIT: Ranges = [[48, 57]];
const WORD: Ranges = [[48, 57], [65, 90], [95, 95], [97, 122]];
// JS \s: ASCII and Unicode white space and line terminators.
const SPACE: Ranges = [[9, 13], [32, 32], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
const NOT_LINE_TERMINATOR = complement([[10, 10], [13, 13], [0x2028, 0x2029]], MAX);

/** True when some code point is in both sets (one merge pass over the sorted ranges). */
export function overlaps(a: Ranges, b: Ranges): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [a0, a1] = a[i]!;
    const [b0, b1] = b[j]!;
    if (a1 < b0) i++;
    else if (b1 < a0) j++;
    else return true;
  }
  return false;
}

/** The characters one character-matching node can match; properties are taken as "anything" (conservative). */
export function charsOf(node: AST.Character | AST.CharacterSet | AST.CharacterClass | AST.CharacterClassRange, caseless: boolean, dotAll: boolean): Ranges {
  switch (node.type) {
    case 'Character':
      return withCase([[node.value, node.value]], caseless);
    case 'CharacterClassRange':
      return withCase([[node.min.value, node.max.value]], caseless);
    case 'CharacterSet': {
      if (node.kind === 'any') return dotAll ? ALL : NOT_LINE_TERMINATOR;
      if (node.kind === 'property') return ALL;
      const base = node.kind === 'digit' ? DIGIT : node.kind === 'word' ? WORD : SPACE;
      return node.negate ? complement(base, MAX) : base;
    }
    case 'CharacterClass': {
      const inner = union(...node.elements.map((e) => (isCharNode(e) ? charsOf(e, caseless, dotAll) : ALL)));
      return node.negate ? complement(inner, MAX) : inner;
    }
  }
}

/** True for the regexpp nodes that match exactly one character. */
export function isCharNode(node: AST.Node): node is AST.Character | AST.CharacterSet | AST.CharacterClass | AST.CharacterClassRange {
  return node.type === 'Character' || node.type === 'CharacterSet' || node.type === 'CharacterClass' || node.type === 'CharacterClassRange';
}

/** Adds the other case of ASCII letters in the set (enough for overlap tests on log patterns). */
function withCase(set: Ranges, caseless: boolean): Ranges {
  if (!caseless) return set;
  const extra: [number, number][] = [];
  for (const [a, b] of set) {
    const lo = Math.max(a, 65);
    const hi = Math.min(b, 90);
    if (lo <= hi) extra.push([lo + 32, hi + 32]);
    const lo2 = Math.max(a, 97);
    const hi2 = Math.min(b, 122);
    if (lo2 <= hi2) extra.push([lo2 - 32, hi2 - 32]);
  }
  return union(set, extra);
}
