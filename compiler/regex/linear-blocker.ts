import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';
import { REGEX_WINDOW_MS as WINDOW_MS } from '../../runtime/index.js';
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
  return linearBlockerOf(t.js, t.flags);
}

/** `linearBlocker` for a JS pattern and its flags. */
export function linearBlockerOf(js: string, flags: string): string | null {
  if (flags.includes('u')) return '\\p{..} or a character above U+FFFF (the u flag)';
  if (flags.includes('i')) return 'case-insensitive matching with a back reference';
  let pattern: AST.Pattern;
  try {
    pattern = new RegExpParser({ ecmaVersion: 2024 }).parsePattern(js, 0, js.length, { unicode: false });
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

/** How a pattern that may backtrack fares at run time (`linearBlocker`'s answer), for the end of an R309 or R330 message. */
export function runTimeBound(blocker: string | null): string {
  return blocker === null
    ? "at run time V8's linear-time engine takes over a match that backtracks too long"
    : `${blocker} keeps it off V8's linear-time engine, so at run time it runs under a ${WINDOW_MS} ms deadline per line: a line that takes longer is abandoned, counted and logged`;
}
