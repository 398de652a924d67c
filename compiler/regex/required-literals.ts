import type { Alternation, Node } from './pcre-ast.js';

/** How many literals to report: enough for a prefilter to AND a few, few enough to stay cheap. */
const MAX_LITERALS = 4;

/**
 * Substrings every match must contain, longest first: runs of literal characters on the
 * mandatory path (never inside an alternative, an optional part or a lookaround). Characters
 * under `i` (the whole pattern's or a scoped one) are lower-cased and must be ASCII, whose
 * case-insensitive matches are exactly their upper and lower case; with the `u` flag `s` and `k`
 * also match `ſ` and the Kelvin sign, so they end a run too.
 */
export function requiredLiterals(ast: Alternation, unicode: boolean): string[] {
  const runs: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current !== '') runs.push(current);
    current = '';
  };
  const literalOf = (cp: number, caseless: true | undefined): string | undefined => {
    if (!caseless) return String.fromCodePoint(cp);
    if (cp >= 0x80) return undefined;
    const c = String.fromCharCode(cp).toLowerCase();
    return unicode && (c === 's' || c === 'k') ? undefined : c;
  };
  const walkSequence = (nodes: readonly Node[]): void => {
    for (const n of nodes) walk(n);
  };
  const walk = (n: Node): void => {
    switch (n.kind) {
      case 'char': {
        const lit = literalOf(n.cp, n.caseless);
        if (lit === undefined) flush();
        else current += lit;
        return;
      }
      case 'class': {
        // A one-character class such as `[.]` is that character.
        const only = n.items.length === 1 && !n.negated ? n.items[0]! : undefined;
        const lit = only?.kind === 'char' ? literalOf(only.cp, n.caseless) : undefined;
        if (lit === undefined) flush();
        else current += lit;
        return;
      }
      case 'assert':
        // Zero-width: the characters on either side are still adjacent in the match.
        return;
      case 'group':
        if (n.look !== null || n.body.branches.length !== 1) flush();
        else walkSequence(n.body.branches[0]!);
        return;
      case 'alt':
        if (n.branches.length === 1) walkSequence(n.branches[0]!);
        else flush();
        return;
      case 'quant': {
        // `b+` and `b{2}` extend the run with their mandatory copies of a single character.
        const single = n.body.kind === 'char' ? literalOf(n.body.cp, n.body.caseless) : undefined;
        if (single !== undefined && n.min >= 1 && n.min <= 64) {
          current += single.repeat(n.min);
          if (n.max !== n.min) flush();
          return;
        }
        flush();
        if (n.min >= 1) {
          // Every repetition holds the body's literals, but nothing joins them to what surrounds the quantifier.
          walk(n.body);
          flush();
        }
        return;
      }
      default:
        flush();
    }
  };
  walk(ast);
  flush();
  return pickLongest(runs);
}

/** Distinct runs, longest first, dropping any run contained in a longer one. */
function pickLongest(runs: readonly string[]): string[] {
  const sorted = [...new Set(runs)].sort((a, b) => b.length - a.length);
  const kept: string[] = [];
  for (const run of sorted) {
    if (kept.some((k) => k.includes(run))) continue;
    kept.push(run);
    if (kept.length === MAX_LITERALS) break;
  }
  return kept;
}
