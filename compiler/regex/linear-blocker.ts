import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';
import type { TranslatedRegex } from './translate.js';

/**
 * V8 copies the body of a counted repeat once per repetition for its linear engine, and gives up
 * when the copies of one part would exceed this: a bound above it, or nested bounds whose
 * product does (an unbounded repeat counts as its minimum plus one). Node 20's V8 11.3,
 * `CanBeHandledVisitor` in src/regexp/experimental/experimental-compiler.cc.
 */
const MAX_REPLICATION = 16;

/**
 * What keeps a translated pattern off V8's linear-time engine, which `rulec run` falls back to
 * when a match backtracks too long (runtime/engine/linear-regex-fallback.ts); null when nothing
 * does. Node 20's engine takes no `i` or `u` flag, lookaround, back reference, or counted
 * repeat copied more than 16 times.
 */
export function linearBlocker(t: TranslatedRegex): string | null {
  if (t.flags.includes('u')) return '\\p{..} or a character above U+FFFF (the u flag)';
  if (t.flags.includes('i')) return 'case-insensitive matching with a back reference';
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(t.js, 0, t.js.length, { unicode: false });
  } catch {
    return null;
  }
  let blocker: string | null = null;
  const replication: number[] = [1];
  visitRegExpAST(pattern, {
    onBackreferenceEnter: () => void (blocker ??= 'a back reference'),
    onAssertionEnter: (node) => {
      if (node.kind === 'lookahead' || node.kind === 'lookbehind') blocker ??= 'a lookaround';
    },
    onQuantifierEnter: (node) => {
      const copies = node.max === Infinity ? node.min + 1 : node.max;
      const total = replication[replication.length - 1]! * copies;
      replication.push(total);
      if (node.min > MAX_REPLICATION || (node.max !== Infinity && node.max > MAX_REPLICATION) || total > MAX_REPLICATION) {
        blocker ??= `a counted repeat too large for it (\`${node.raw}\`: bounds above ${MAX_REPLICATION}, or nested repeats of more than ${MAX_REPLICATION} copies)`;
      }
    },
    onQuantifierLeave: () => void replication.pop(),
  });
  return blocker;
}

/** How a warned pattern fares at run time, for the end of an R309 message. */
export function runTimeBound(t: TranslatedRegex): string {
  const blocker = linearBlocker(t);
  return blocker === null
    ? "at run time V8's linear-time engine takes over a match that backtracks too long"
    : `nothing bounds it at run time: ${blocker} keeps it off V8's linear-time engine`;
}
