import { RegExpParser, type AST } from '@eslint-community/regexpp';
import { linearBlockerOf } from './linear-blocker.js';
import type { TranslatedRegex } from './translate.js';

/**
 * A translated pattern rewritten into V8's linear-time subset, and how its captures map back.
 * `lookGroup`: the trailing lookahead now consumes its text as capture group `lookGroup`; the
 * original `$0` is the match without that group's text, and original groups from `lookGroup`
 * on are one number higher in the rewritten pattern.
 */
export interface LinearForm {
  readonly js: string;
  readonly flags: string;
  readonly lookGroup: number;
}

/**
 * Rewrites a pattern whose only obstacle to V8's linear-time engine is a lookahead at its very
 * end, which is the common case in log patterns (`(\d+)\.(\d+)(?=\s)`, `;(?!x)`):
 *
 * - `X(?=Y)` at the end becomes `X(Y)`. Exact: nothing follows, so the first way Y matches after
 *   the first X that allows one is the one the lookahead takes, and X's choices are tried in
 *   the same order; captures inside Y are kept by a JS lookahead too.
 * - `X(?!c)` at the end, c one character or class, becomes `X(?:([^c])|$)`: the next character
 *   is not in c, or there is none.
 *
 * Null when the pattern has no such lookahead or still needs something the linear engine
 * lacks after the rewrite (another lookaround, a back reference, the `i` or `u` flag).
 */
export function linearForm(t: TranslatedRegex): LinearForm | null {
  if (t.flags.includes('i') || t.flags.includes('u')) return null;
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(t.js, 0, t.js.length, { unicode: false });
  } catch {
    return null;
  }
  if (pattern.alternatives.length !== 1) return null;
  const elements = pattern.alternatives[0]!.elements;
  const last = elements[elements.length - 1];
  if (last === undefined || last.type !== 'Assertion' || last.kind !== 'lookahead') return null;
  const body = t.js.slice(last.alternatives[0]!.start, last.alternatives[last.alternatives.length - 1]!.end);
  let tail: string;
  if (!last.negate) tail = `(${body})`;
  else {
    const other = complementOf(last);
    if (other === null) return null;
    tail = `(?:(${other})|$)`;
  }
  const js = t.js.slice(0, last.start) + tail;
  if (linearBlockerOf(js, t.flags) !== null) return null;
  try {
    new RegExp(js, t.flags);
  } catch {
    return null;
  }
  return { js, flags: t.flags, lookGroup: groupsBefore(pattern, last.start) + 1 };
}

/** The class of characters a negative lookahead of one character or class lets through. */
function complementOf(look: AST.LookaheadAssertion): string | null {
  if (look.alternatives.length !== 1 || look.alternatives[0]!.elements.length !== 1) return null;
  const el = look.alternatives[0]!.elements[0]!;
  switch (el.type) {
    case 'Character':
      return `[^\\u${el.value.toString(16).padStart(4, '0')}]`;
    case 'CharacterClass':
      if (el.unicodeSets) return null;
      return el.negate ? `[${el.raw.slice(2, -1)}]` : `[^${el.raw.slice(1, -1)}]`;
    case 'CharacterSet':
      if (el.kind === 'digit' || el.kind === 'space' || el.kind === 'word') return el.negate ? `\\${el.raw[1]!.toLowerCase()}` : `\\${el.raw[1]!.toUpperCase()}`;
      return null;
    default:
      return null;
  }
}

function groupsBefore(pattern: AST.Pattern, offset: number): number {
  let count = 0;
  const visit = (node: AST.Node): void => {
    if (node.start >= offset) return;
    if (node.type === 'CapturingGroup') count++;
    if ('alternatives' in node) for (const alt of node.alternatives) visit(alt);
    if (node.type === 'Alternative') for (const el of node.elements) visit(el);
    if (node.type === 'Quantifier') visit(node.element);
  };
  for (const alt of pattern.alternatives) visit(alt);
  return count;
}

/** Captures of the rewritten pattern's match, as the original pattern numbers them. */
export function originalCaptures(m: readonly (string | undefined)[], lookGroup: number): (string | undefined)[] {
  const consumed = m[lookGroup]?.length ?? 0;
  const whole = m[0]!;
  return [whole.slice(0, whole.length - consumed), ...m.slice(1, lookGroup), ...m.slice(lookGroup + 1)];
}
