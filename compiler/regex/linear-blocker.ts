import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';
import type { TranslatedRegex } from './translate.js';

/**
 * What keeps a translated pattern off V8's linear-time engine, which `rulec run` falls back to
 * when a match backtracks too long (runtime/engine/linear-regex-fallback.ts); null when nothing
 * does. Node 20's engine takes no `i` or `u` flag, lookaround or back reference.
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
  visitRegExpAST(pattern, {
    onBackreferenceEnter: () => void (blocker ??= 'a back reference'),
    onAssertionEnter: (node) => {
      if (node.kind === 'lookahead' || node.kind === 'lookbehind') blocker ??= 'a lookaround';
    },
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
